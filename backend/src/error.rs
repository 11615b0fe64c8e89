//! What the browser sees when something fails: a status and
//! `{"error": "<what to do>", "kind": "<machine kind>"}`.
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use thiserror::Error;

use crate::upstream::UpstreamError;

/// Why a browser-facing request failed.
#[derive(Debug, Error)]
pub(crate) enum BackendError {
    /// No valid host session.
    #[error(
        "sign in to the application first: this needs a signed-in user of the host application"
    )]
    Unauthenticated,
    /// The host application's sign-in check could not be asked.
    #[error("the application's sign-in check did not answer, so the backend cannot tell who is signed in: retry later; the backend's log says why")]
    AuthUnavailable,
    /// `Host` names no host this backend serves.
    #[error("{0}")]
    Misdirected(String),
    /// Too many nonces for this user or client.
    #[error("too many report previews opened in a short time ({scope}): wait {retry_after_secs} s and retry")]
    RateLimited {
        /// `per user` or `per client address`.
        scope: &'static str,
        /// Seconds until one more is allowed.
        retry_after_secs: u64,
    },
    /// The CSRF guard refused a `POST`.
    #[error("{0}")]
    Csrf(String),
    /// Not on the allowlist.
    #[error("{0}")]
    Forbidden(String),
    /// No such report, type or endpoint.
    #[error("{0}")]
    NotFound(String),
    /// The request itself is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// The path exists, the method does not.
    #[error("this endpoint does not take that method: see the backend's README for its endpoints")]
    MethodNotAllowed,
    /// A body over the limit.
    #[error("the body is larger than this endpoint accepts ({limit} bytes): send less data, or raise the backend's limit")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The configured workspace is not visible to the PAT.
    #[error("CxReports shows the backend's PAT no workspace {0:?}: check CXREPORTS_WORKSPACE (a workspace id or code) and the PAT's permissions")]
    WorkspaceMissing(String),
    /// CxReports failed or could not be reached.
    #[error(transparent)]
    Upstream(#[from] UpstreamError),
    /// The backend itself cannot serve this.
    #[error("{0}")]
    Internal(String),
}

/// The JSON error body. `error` reads like CxReports' own `{"error"}`, so a
/// client that knows only that shape still shows the message.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody<'a> {
    error: String,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    upstream_status: Option<u16>,
}

impl BackendError {
    /// The machine-readable kind.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            BackendError::Unauthenticated => "unauthenticated",
            BackendError::AuthUnavailable => "auth_unavailable",
            BackendError::Misdirected(_) => "misdirected",
            BackendError::RateLimited { .. } => "rate_limited",
            BackendError::Csrf(_) => "csrf",
            BackendError::Forbidden(_) => "forbidden",
            BackendError::NotFound(_) => "not_found",
            BackendError::BadRequest(_) => "bad_request",
            BackendError::MethodNotAllowed => "method_not_allowed",
            BackendError::TooLarge { .. } => "too_large",
            BackendError::WorkspaceMissing(_) => "workspace_not_found",
            BackendError::Upstream(e) => e.kind(),
            BackendError::Internal(_) => "internal",
        }
    }

    /// The HTTP status.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            BackendError::Unauthenticated => StatusCode::UNAUTHORIZED,
            BackendError::AuthUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            BackendError::Misdirected(_) => StatusCode::MISDIRECTED_REQUEST,
            BackendError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            BackendError::Csrf(_) | BackendError::Forbidden(_) => StatusCode::FORBIDDEN,
            BackendError::NotFound(_) => StatusCode::NOT_FOUND,
            BackendError::BadRequest(_) => StatusCode::BAD_REQUEST,
            BackendError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            BackendError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            BackendError::WorkspaceMissing(_) => StatusCode::BAD_GATEWAY,
            BackendError::Upstream(e) => e.status(),
            BackendError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for BackendError {
    fn into_response(self) -> Response {
        let upstream_status = match &self {
            BackendError::Upstream(UpstreamError::Status { status, .. }) => Some(*status),
            _ => None,
        };
        let retry_after = match &self {
            BackendError::RateLimited {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        };
        let body = ErrorBody {
            error: self.to_string(),
            kind: self.kind(),
            upstream_status,
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// Marks every answer as not cacheable: nonces are single-use and lists
/// depend on the signed-in user.
pub(crate) async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_answer_json_with_kind_and_status() {
        let response = BackendError::Forbidden("not allowed".into()).into_response();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let response = BackendError::RateLimited {
            scope: "per user",
            retry_after_secs: 3,
        }
        .into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "3");
        let response = BackendError::Upstream(UpstreamError::Status {
            status: 500,
            message: None,
            hint: None,
        })
        .into_response();
        assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    }
}
