//! The CxReports API client: the one place that holds the PAT and talks to
//! CxReports. Every call is bounded in time and size, and every failure is
//! classified into an [`UpstreamError`] whose message tells what to fix.
//!
//! Only the paths built here are ever called: the workspace and report
//! segments are percent-encoded through the contract, so nothing from a
//! browser can steer a call to another path.
use std::time::Duration;

use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use cxreports_contract::encode_path_segment;
use cxreports_contract::model::{
    ApiError, NonceToken, Report, ReportType, TemporaryDataRequest, TemporaryDataResponse,
    Workspace,
};
use serde::de::DeserializeOwned;
use thiserror::Error;

use crate::config::{BackendConfig, Secret};
use crate::error::scrub;

/// No list, nonce or data answer is anywhere near this; a bigger one is a
/// misbehaving server and is not buffered.
const MAX_JSON_BYTES: usize = 8 * 1024 * 1024;
/// Error answers are read only for their message.
const MAX_ERROR_BYTES: usize = 64 * 1024;
/// Upstream error messages are passed on up to this many characters.
const MAX_MESSAGE_CHARS: usize = 300;

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
    /// 401/403, or a sign-in page where JSON or a PDF was expected.
    #[error(
        "CxReports refused the backend's PAT: check CXREPORTS_PAT (CxReports answered {detail})"
    )]
    Auth {
        /// What CxReports answered.
        detail: String,
    },
    /// Any other non-success status.
    #[error("CxReports answered status {status}{}", message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Status {
        /// The upstream status.
        status: u16,
        /// CxReports' own `{"error"}` message, if it sent one.
        message: Option<String>,
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
            UpstreamError::Timeout { .. } => "upstream_timeout",
            UpstreamError::Auth { .. } => "upstream_auth",
            UpstreamError::Status { .. } => "upstream_status",
            UpstreamError::BadResponse { .. } => "upstream_bad_response",
            UpstreamError::Config { .. } => "backend_config",
        }
    }

    /// The status a browser gets.
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            UpstreamError::Timeout { .. } => StatusCode::GATEWAY_TIMEOUT,
            UpstreamError::Config { .. } => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_GATEWAY,
        }
    }

    /// The message plus the operator-only detail.
    fn log_text(&self) -> String {
        match self {
            UpstreamError::Unreachable { detail } => format!("{self} [{detail}]"),
            _ => self.to_string(),
        }
    }
}

type Result<T> = std::result::Result<T, UpstreamError>;

/// A client for one CxReports workspace, built once.
#[derive(Debug)]
pub(crate) struct Upstream {
    http: std::result::Result<reqwest::Client, String>,
    base: String,
    workspace: String,
    /// The `Authorization` value, marked sensitive; `None` if the PAT
    /// cannot be a header value.
    auth: Option<HeaderValue>,
    pat: Secret,
    timeout: Duration,
}

impl Upstream {
    /// Builds the HTTP client (connect and read timeouts, no redirects) for
    /// `config`. A client that cannot be built is remembered as an error
    /// that every call then reports.
    pub(crate) fn new(config: &BackendConfig) -> Self {
        crate::install_crypto_provider();
        let http = reqwest::Client::builder()
            .connect_timeout(config.upstream_timeout)
            .read_timeout(config.upstream_timeout)
            // An API call that redirects is misconfigured (http vs https,
            // a sign-in page); following it could send the PAT elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("cxreports-backend/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("its HTTP client cannot be built: {}", error_chain(&e)));
        let auth = HeaderValue::from_str(&format!("Bearer {}", config.pat.expose()))
            .ok()
            .map(|mut value| {
                value.set_sensitive(true);
                value
            });
        Upstream {
            http,
            base: config.cxreports_url.trim_end_matches('/').to_owned(),
            workspace: config.workspace.clone(),
            auth,
            pat: config.pat.clone(),
            timeout: config.upstream_timeout,
        }
    }

    /// The CxReports base URL, without a trailing `/`.
    pub(crate) fn base_url(&self) -> &str {
        &self.base
    }

    /// The configured workspace (id or code).
    pub(crate) fn workspace(&self) -> &str {
        &self.workspace
    }

    /// Writes a line to the log with the PAT scrubbed out.
    pub(crate) fn log(&self, line: &str) {
        eprintln!("cxreports-backend: {}", scrub(line, self.pat.expose()));
    }

    fn timeout_error(&self) -> UpstreamError {
        UpstreamError::Timeout {
            ms: self.timeout.as_millis(),
        }
    }

    /// `/api/v1/ws/{workspace}{tail}`.
    fn workspace_path(&self, tail: &str) -> Result<String> {
        let segment = encode_path_segment(&self.workspace).map_err(|e| UpstreamError::Config {
            detail: format!("{e} (CXREPORTS_WORKSPACE)"),
        })?;
        Ok(format!("/api/v1/ws/{segment}{tail}"))
    }

    /// `GET /api/v1/workspaces`.
    pub(crate) async fn workspaces(&self) -> Result<Vec<Workspace>> {
        self.json(Method::GET, "/api/v1/workspaces".to_owned(), None)
            .await
    }

    /// `GET /api/v1/ws/{ws}/report-types`.
    pub(crate) async fn report_types(&self) -> Result<Vec<ReportType>> {
        let path = self.workspace_path("/report-types")?;
        self.json(Method::GET, path, None).await
    }

    /// `GET /api/v1/ws/{ws}/reports[?type=]`.
    pub(crate) async fn reports(&self, type_code: Option<&str>) -> Result<Vec<Report>> {
        let mut path = self.workspace_path("/reports")?;
        if let Some(code) = type_code {
            path.push_str("?type=");
            path.push_str(&cxreports_contract::encode_query_value(code));
        }
        self.json(Method::GET, path, None).await
    }

    /// `POST /api/v1/nonce-tokens`.
    pub(crate) async fn nonce(&self) -> Result<NonceToken> {
        let token: NonceToken = self
            .json(Method::POST, "/api/v1/nonce-tokens".to_owned(), None)
            .await?;
        if token.nonce.is_empty() {
            let error = UpstreamError::BadResponse {
                detail: "an empty nonce".to_owned(),
            };
            self.log_failure(&Method::POST, "/api/v1/nonce-tokens", &error);
            return Err(error);
        }
        Ok(token)
    }

    /// `POST /api/v1/ws/{ws}/temporary-data`.
    pub(crate) async fn temporary_data(
        &self,
        request: &TemporaryDataRequest,
    ) -> Result<TemporaryDataResponse> {
        let path = self.workspace_path("/temporary-data")?;
        let body = serde_json::to_vec(request).map_err(|e| UpstreamError::Config {
            detail: format!("the data cannot be written as JSON: {e}"),
        })?;
        self.json(Method::POST, path, Some(body)).await
    }

    /// `GET /api/v1/ws/{ws}/reports/{report}/pdf?{query}`: the answer head,
    /// checked to be a PDF, with its body still to stream. `report_segment`
    /// is already encoded; `query` is already built from known keys.
    pub(crate) async fn pdf(&self, report_segment: &str, query: &str) -> Result<reqwest::Response> {
        let path = self.workspace_path(&format!("/reports/{report_segment}/pdf"))?;
        let path_and_query = if query.is_empty() {
            path.clone()
        } else {
            format!("{path}?{query}")
        };
        let result = tokio::time::timeout(self.timeout, async {
            let response = self
                .send(Method::GET, &path_and_query, None, "application/pdf")
                .await?;
            let status = response.status();
            if !status.is_success() {
                let html = is_html(response.headers());
                let body = read_limited(self, response, MAX_ERROR_BYTES)
                    .await
                    .unwrap_or_default();
                return Err(failure(status, html, &body));
            }
            if is_html(response.headers()) {
                return Err(sign_in_page());
            }
            let content_type = content_type(response.headers());
            if !content_type.starts_with("application/pdf") {
                return Err(UpstreamError::BadResponse {
                    detail: format!("{content_type:?} where a PDF was expected"),
                });
            }
            Ok(response)
        })
        .await
        .unwrap_or_else(|_| Err(self.timeout_error()));
        // The query may carry the user's report data: log the path only.
        if let Err(error) = &result {
            self.log_failure(&Method::GET, &path, error);
        }
        result
    }

    /// A JSON call: status, body and shape checked, all within the timeout.
    async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: String,
        body: Option<Vec<u8>>,
    ) -> Result<T> {
        let result = tokio::time::timeout(self.timeout, async {
            let response = self
                .send(method.clone(), &path, body, "application/json")
                .await?;
            let status = response.status();
            let html = is_html(response.headers());
            let limit = if status.is_success() {
                MAX_JSON_BYTES
            } else {
                MAX_ERROR_BYTES
            };
            let bytes = read_limited(self, response, limit).await?;
            if !status.is_success() {
                return Err(failure(status, html, &bytes));
            }
            if html || bytes.trim_ascii_start().starts_with(b"<") {
                return Err(sign_in_page());
            }
            if bytes.trim_ascii().is_empty() {
                return Err(UpstreamError::BadResponse {
                    detail: "an empty answer".to_owned(),
                });
            }
            serde_json::from_slice(&bytes).map_err(|e| UpstreamError::BadResponse {
                detail: if e.is_syntax() || e.is_eof() {
                    format!("not JSON: {e}")
                } else {
                    format!("JSON of another shape than the CxReports API's: {e}")
                },
            })
        })
        .await
        .unwrap_or_else(|_| Err(self.timeout_error()));
        if let Err(error) = &result {
            self.log_failure(&method, &path, error);
        }
        result
    }

    async fn send(
        &self,
        method: Method,
        path_and_query: &str,
        body: Option<Vec<u8>>,
        accept: &'static str,
    ) -> Result<reqwest::Response> {
        let http = self.http.as_ref().map_err(|detail| UpstreamError::Config {
            detail: detail.clone(),
        })?;
        let auth = self.auth.clone().ok_or_else(|| UpstreamError::Config {
            detail: "the PAT holds characters an HTTP header cannot carry: check CXREPORTS_PAT"
                .to_owned(),
        })?;
        let is_post = method == Method::POST;
        let mut request = http
            .request(method, format!("{}{path_and_query}", self.base))
            .header(header::AUTHORIZATION, auth)
            .header(header::ACCEPT, accept);
        match body {
            Some(body) => {
                request = request
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(body);
            }
            // An explicit empty body sends `Content-Length: 0`, which some
            // servers require on a POST.
            None if is_post => request = request.body(Vec::new()),
            None => {}
        }
        request.send().await.map_err(|e| self.classify(e))
    }

    fn classify(&self, error: reqwest::Error) -> UpstreamError {
        // Never format the request: only the error chain, without the URL.
        let detail = error_chain(&error);
        if error.is_timeout() {
            self.timeout_error()
        } else if error.is_builder() {
            UpstreamError::Config {
                detail: format!("the request cannot be built ({detail}): check CXREPORTS_URL"),
            }
        } else {
            UpstreamError::Unreachable { detail }
        }
    }

    fn log_failure(&self, method: &Method, path: &str, error: &UpstreamError) {
        self.log(&format!(
            "{method} {}{path} failed: {}",
            self.base,
            error.log_text()
        ));
    }
}

/// The error and its sources on one line. reqwest's own `Display` names
/// the URL; only its kind is shown, then the sources (hyper's, io's), which
/// carry no URL.
fn error_chain(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else if error.is_body() || error.is_decode() {
        "the answer broke off"
    } else if error.is_builder() {
        "bad request"
    } else {
        "request failed"
    }
    .to_owned();
    let mut source = std::error::Error::source(error);
    while let Some(error) = source {
        text.push_str(": ");
        text.push_str(&error.to_string());
        source = error.source();
    }
    text
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_html(headers: &HeaderMap) -> bool {
    content_type(headers).starts_with("text/html")
}

fn sign_in_page() -> UpstreamError {
    UpstreamError::Auth {
        detail: "an HTML page where an API answer was expected, as for an unauthenticated caller"
            .to_owned(),
    }
}

/// A non-success answer, classified.
fn failure(status: StatusCode, html: bool, body: &[u8]) -> UpstreamError {
    if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        return UpstreamError::Auth {
            detail: format!("status {}", status.as_u16()),
        };
    }
    if status.is_redirection() {
        return UpstreamError::Status {
            status: status.as_u16(),
            message: Some(
                "a redirect, which an API call never gets from a correctly addressed CxReports: \
                 check CXREPORTS_URL (https? the right path prefix?)"
                    .to_owned(),
            ),
        };
    }
    let message = if html {
        None
    } else {
        serde_json::from_slice::<ApiError>(body)
            .ok()
            .map(|e| e.error.chars().take(MAX_MESSAGE_CHARS).collect())
    };
    UpstreamError::Status {
        status: status.as_u16(),
        message,
    }
}

/// Reads a whole body, refusing to buffer more than `limit` bytes.
async fn read_limited(
    upstream: &Upstream,
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>> {
    let too_big = || UpstreamError::BadResponse {
        detail: format!("an answer larger than {limit} bytes"),
    };
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(too_big());
    }
    let mut body = Vec::new();
    loop {
        let chunk = response.chunk().await.map_err(|e| upstream.classify(e))?;
        let Some(chunk) = chunk else {
            return Ok(body);
        };
        if body.len() + chunk.len() > limit {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_classified_by_status_and_body() {
        assert_eq!(
            failure(StatusCode::UNAUTHORIZED, false, b"").kind(),
            "upstream_auth"
        );
        assert_eq!(
            failure(StatusCode::FORBIDDEN, true, b"<html>").kind(),
            "upstream_auth"
        );
        let error = failure(StatusCode::NOT_FOUND, false, br#"{"error":"no report 9"}"#);
        assert_eq!(error.kind(), "upstream_status");
        assert_eq!(
            error.to_string(),
            "CxReports answered status 404: no report 9"
        );
        let error = failure(StatusCode::INTERNAL_SERVER_ERROR, false, b"oops");
        assert_eq!(error.to_string(), "CxReports answered status 500");
        assert!(failure(StatusCode::FOUND, false, b"")
            .to_string()
            .contains("CXREPORTS_URL"));
    }

    #[test]
    fn a_pat_that_cannot_be_a_header_is_reported_not_sent() {
        let upstream = Upstream::new(&BackendConfig {
            pat: Secret::new("bad\npat"),
            ..BackendConfig::simulator_default()
        });
        assert!(upstream.auth.is_none());
        let debug = format!("{upstream:?}");
        assert!(
            !debug.contains("bad\\npat") && !debug.contains("demo"),
            "{debug}"
        );
    }

    #[test]
    fn debug_never_shows_the_pat() {
        let config = BackendConfig::simulator_default();
        let upstream = Upstream::new(&config);
        let debug = format!("{upstream:?}");
        assert!(!debug.contains(config.pat.expose()), "{debug}");
    }
}
