//! Reading what a request carries: its query string and its body, within
//! limits, with errors that say what to send instead.
use axum::extract::rejection::QueryRejection;
use axum::extract::Request;
use axum::http::header;
use futures_util::StreamExt;

use super::Result;
use crate::error::BackendError;

/// The answer to a query string that does not read as the endpoint's.
pub(super) fn bad_query(rejection: QueryRejection) -> BackendError {
    BackendError::BadRequest(format!("bad query string: {}", rejection.body_text()))
}

/// Reads a request body of at most `limit` bytes.
pub(super) async fn read_body(request: Request, limit: usize) -> Result<Vec<u8>> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(BackendError::TooLarge { limit });
    }
    let mut stream = request.into_body().into_data_stream();
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| {
            BackendError::BadRequest("the request body broke off: send it again".to_owned())
        })?;
        if body.len() + chunk.len() > limit {
            return Err(BackendError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
