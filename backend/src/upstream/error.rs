//! Why a call to CxReports failed, in words for browsers and, with the
//! detail, for the operator's log.
use axum::http::StatusCode;
use thiserror::Error;

use super::MAX_PAGES;

/// Why a call to CxReports failed. The `Display` text goes to browsers, so
/// it names the fix but never internal addresses or the PAT; the detail for
/// the operator goes to the log only.
#[derive(Debug, Error)]
pub(crate) enum UpstreamError {
    /// No connection, or it broke before an answer.
    #[error("CxReports cannot be reached from the backend: check that it is running and that CXREPORTS_URL points at it")]
    Unreachable {
        /// For the log.
        detail: String,
    },
    /// No complete answer within the configured time.
    #[error("CxReports did not answer within {ms} ms: retry later; if it is just slow, raise CXREPORTS_TIMEOUT_MS")]
    Timeout {
        /// The limit, in milliseconds.
        ms: u128,
    },
    /// A PDF export did not start, or paused, longer than its own limit.
    #[error("CxReports did not deliver the PDF within {ms} ms: retry later; if its reports just take long to render, raise CXREPORTS_EXPORT_TIMEOUT_MS")]
    ExportTimeout {
        /// The limit, in milliseconds.
        ms: u128,
    },
    /// The pages of the report list did not all arrive within the
    /// configured time (which bounds a whole list, all pages together).
    #[error("CxReports did not send the whole report list within {ms} ms ({pages} pages of {page_size} read): retry later; if it is just slow, raise CXREPORTS_TIMEOUT_MS, which bounds a whole list, all its pages together")]
    ListTimeout {
        /// The limit, in milliseconds.
        ms: u128,
        /// How many pages had arrived.
        pages: usize,
        /// The configured page size (`limit`).
        page_size: usize,
    },
    /// The report list has more pages than the backend reads.
    #[error("CxReports lists more than {} reports here ({MAX_PAGES} pages of {page_size}), more than the backend reads for one list: list one report type at a time (?type=), or spread the reports over more workspaces", MAX_PAGES * .page_size)]
    ListTooLong {
        /// The configured page size (`limit`).
        page_size: usize,
    },
    /// A page of the report list repeated the reports already read, as
    /// from a server that ignores `offset`.
    #[error("CxReports answered the same reports for offset={offset} as for the page before, as if it ignored `offset`, so the backend cannot read the whole report list: check that CXREPORTS_URL points at a CxReports whose report list pages by `offset` and `limit`")]
    PagingIgnored {
        /// The offset of the repeated page.
        offset: usize,
    },
    /// 401/403, or a sign-in page where JSON or a PDF was expected.
    #[error(
        "CxReports refused the backend's PAT: check CXREPORTS_PAT (CxReports answered {detail})"
    )]
    Auth {
        /// What CxReports answered.
        detail: String,
    },
    /// Any other non-success status. CxReports' own message goes to the
    /// log only: it may name internal things browsers need not see.
    #[error("CxReports answered status {status}{}", hint.map(|h| format!(": {h}")).unwrap_or_default())]
    Status {
        /// The upstream status.
        status: u16,
        /// CxReports' own `{"error"}` message, if it sent one (log only).
        message: Option<String>,
        /// The backend's own advice, shown to browsers.
        hint: Option<&'static str>,
    },
    /// A success status with a body that is not what the contract says.
    #[error("CxReports answered something the backend cannot read ({detail}): check that CXREPORTS_URL points at CxReports")]
    BadResponse {
        /// What was wrong with it.
        detail: String,
    },
    /// The backend's own setup prevents the call.
    #[error("the backend cannot call CxReports: {detail}")]
    Config {
        /// What is wrong.
        detail: String,
    },
}

impl UpstreamError {
    /// The machine-readable kind.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            UpstreamError::Unreachable { .. } => "upstream_unreachable",
            UpstreamError::Timeout { .. }
            | UpstreamError::ListTimeout { .. }
            | UpstreamError::ExportTimeout { .. } => "upstream_timeout",
            UpstreamError::ListTooLong { .. } => "upstream_list_too_long",
            UpstreamError::PagingIgnored { .. } => "upstream_bad_response",
            UpstreamError::Auth { .. } => "upstream_auth",
            UpstreamError::Status { .. } => "upstream_status",
            UpstreamError::BadResponse { .. } => "upstream_bad_response",
            UpstreamError::Config { .. } => "backend_config",
        }
    }

    /// The status a browser gets.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            UpstreamError::Timeout { .. }
            | UpstreamError::ListTimeout { .. }
            | UpstreamError::ExportTimeout { .. } => StatusCode::GATEWAY_TIMEOUT,
            UpstreamError::Config { .. } => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_GATEWAY,
        }
    }

    /// The message plus the operator-only detail.
    pub(super) fn log_text(&self) -> String {
        match self {
            UpstreamError::Unreachable { detail } => format!("{self} [{detail}]"),
            UpstreamError::Status {
                message: Some(message),
                ..
            } => format!("{self} [CxReports said: {message}]"),
            _ => self.to_string(),
        }
    }
}
