//! `POST /api/cxreports/temporary-data`: data stored in CxReports for a
//! report, with a handle that proves who stored it.
use axum::extract::{Extension, Request, State};
use axum::Json;
use cxreports_contract::model::{TemporaryDataRequest, TemporaryDataResponse};
use serde::Serialize;

use super::body::read_body;
use super::{AppState, Result};
use crate::auth::User;
use crate::error::BackendError::BadRequest;
use crate::session;

/// The answer to `POST temporary-data`: CxReports' own, plus the handle
/// that proves the signed-in user stored it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct StoredTemporaryData {
    #[serde(flatten)]
    stored: TemporaryDataResponse,
    temp_data_handle: String,
}

/// `POST /api/cxreports/temporary-data {content, expiryDate?}`: stores data
/// for a report, answered with its `tempDataId` (for the preview) and a
/// `tempDataHandle` (for PDF exports, which take it from this user only).
pub(super) async fn temporary_data(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    request: Request,
) -> Result<Json<StoredTemporaryData>> {
    let body = read_body(request, state.max_temp_data_bytes).await?;
    let body: TemporaryDataRequest = serde_json::from_slice(&body).map_err(|e| {
        BadRequest(format!(
            "the body must be JSON like {{\"content\": <any JSON>, \"expiryDate\": \"2026-01-01T00:00:00Z\"}}: {e}"
        ))
    })?;
    let stored = state.upstream.temporary_data(&body).await?;
    let expires_at = session::now().saturating_add(state.temp_data_handle_ttl.as_secs());
    let temp_data_handle =
        state
            .sessions
            .temp_data_handle(user.name(), stored.temp_data_id, expires_at)?;
    Ok(Json(StoredTemporaryData {
        stored,
        temp_data_handle,
    }))
}
