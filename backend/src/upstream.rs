//! The CxReports API client: the one place that holds the PAT and talks to
//! CxReports. Every call is bounded in time and size, and every failure is
//! classified into an [`UpstreamError`] whose message tells what to fix.
//!
//! Only the paths built here are ever called: the workspace and report
//! segments are percent-encoded through the contract, so nothing from a
//! browser can steer a call to another path.
//!
//! Lists are read row by row ([`Listing`]): a row CxReports sent without
//! what a row needs is skipped, and the count logged as a warning, so one
//! bad row never fails the list. The report list is read in pages of
//! [`BackendConfig::page_size`] (`?offset=&limit=`, `CXREPORTS_PAGE_SIZE`,
//! default 200), never relying on a server's default page size, at most
//! [`MAX_PAGES`] of them, all within the upstream timeout.
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use cxreports_contract::model::{
    ApiError, Listing, NonceToken, Report, ReportType, TemporaryDataRequest, TemporaryDataResponse,
    Workspace,
};
use cxreports_contract::{encode_path_segment, encode_query_value};
use serde::de::DeserializeOwned;
use thiserror::Error;

use crate::config::{BackendConfig, MAX_PAGE_SIZE};
use crate::secret::{scrub, Secret};

/// No list, nonce or data answer is anywhere near this; a bigger one is a
/// misbehaving server and is not buffered.
const MAX_JSON_BYTES: usize = 8 * 1024 * 1024;
/// Error answers are read only for their message.
const MAX_ERROR_BYTES: usize = 64 * 1024;
/// Upstream error messages are passed on up to this many characters.
const MAX_MESSAGE_CHARS: usize = 300;
/// At most this many pages make one report list (100,000 reports at the
/// default page size of 200).
pub(crate) const MAX_PAGES: usize = 500;

/// What a row of each list cannot do without; a row lacking any of it (or
/// holding it as another type) is skipped.
const WORKSPACE_NEEDS: &str = "id, name, code";
const REPORT_TYPE_NEEDS: &str = "id, name, code";
const REPORT_NEEDS: &str = "id, name, reportTypeId, reportTypeName";

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
    fn log_text(&self) -> String {
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

type Result<T> = std::result::Result<T, UpstreamError>;

/// A client for one CxReports workspace, built once.
#[derive(Debug)]
pub(crate) struct Upstream {
    http: std::result::Result<reqwest::Client, String>,
    /// For PDF exports, whose pauses may be as long as `export_timeout`.
    export_http: std::result::Result<reqwest::Client, String>,
    export_timeout: Duration,
    base: String,
    workspace: String,
    /// The `Authorization` value, marked sensitive; `None` if the PAT
    /// cannot be a header value.
    auth: Option<HeaderValue>,
    pat: Secret,
    timeout: Duration,
    /// Reports asked for per page of the report list (`limit`).
    page_size: usize,
}

impl Upstream {
    /// Builds the HTTP client (connect and read timeouts, no redirects) for
    /// `config`. A client that cannot be built is remembered as an error
    /// that every call then reports.
    pub(crate) fn new(config: &BackendConfig) -> Self {
        install_crypto_provider();
        let client = |read_timeout: Duration| {
            reqwest::Client::builder()
                .connect_timeout(config.upstream_timeout)
                .read_timeout(read_timeout)
                // An API call that redirects is misconfigured (http vs
                // https, a sign-in page); following it could send the PAT
                // elsewhere.
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("cxreports-backend/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| format!("its HTTP client cannot be built: {}", error_chain(&e)))
        };
        let http = client(config.upstream_timeout);
        let export_http = client(config.export_timeout.max(config.upstream_timeout));
        let auth = HeaderValue::from_str(&format!("Bearer {}", config.pat.expose()))
            .ok()
            .map(|mut value| {
                value.set_sensitive(true);
                value
            });
        Upstream {
            http,
            export_http,
            export_timeout: config.export_timeout.max(config.upstream_timeout),
            base: config.cxreports_url.trim_end_matches('/').to_owned(),
            workspace: config.workspace.clone(),
            auth,
            pat: config.pat.clone(),
            timeout: config.upstream_timeout,
            // `from_env` allows only 1..=1000; a value set in code outside
            // that is taken as the nearest bound, as 0 would never advance.
            page_size: config.page_size.clamp(1, MAX_PAGE_SIZE),
        }
    }

    /// The configured workspace (id or code).
    pub(crate) fn workspace(&self) -> &str {
        &self.workspace
    }

    /// Writes a line to the log with the PAT scrubbed out.
    pub(crate) fn log(&self, line: &str) {
        eprintln!("cxreports-backend: {}", scrub(line, self.pat.expose()));
    }

    /// The full URL of a path (and query) on CxReports.
    fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.base)
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
        self.list("/api/v1/workspaces".to_owned(), WORKSPACE_NEEDS)
            .await
    }

    /// `GET /api/v1/ws/{ws}/report-types`.
    pub(crate) async fn report_types(&self) -> Result<Vec<ReportType>> {
        let path = self.workspace_path("/report-types")?;
        self.list(path, REPORT_TYPE_NEEDS).await
    }

    /// `GET /api/v1/ws/{ws}/reports[?type=]`, every page of it.
    pub(crate) async fn reports(&self, type_code: Option<&str>) -> Result<Vec<Report>> {
        self.walk_reports(type_code, |_| false).await
    }

    /// The report with `id`, reading pages of the report list only until
    /// it turns up; `None` if the whole list lacks it.
    pub(crate) async fn report(&self, id: i64) -> Result<Option<Report>> {
        let reports = self
            .walk_reports(None, |page| page.iter().any(|r| r.id == id))
            .await?;
        Ok(reports.into_iter().find(|r| r.id == id))
    }

    /// A list answer, read row by row; skipped rows are logged.
    async fn list<T: DeserializeOwned>(&self, path: String, needs: &str) -> Result<Vec<T>> {
        let listing: Listing<T> = self.json(Method::GET, path.clone(), None).await?;
        self.warn_skipped(&path, listing.skipped, needs);
        Ok(listing.rows)
    }

    fn warn_skipped(&self, path: &str, skipped: usize, needs: &str) {
        if skipped > 0 {
            self.log(&skipped_warning(&self.base, path, skipped, needs));
        }
    }

    /// Reads `/reports[?type=]` page by page (`offset`, `limit` = the
    /// configured page size) until a page shorter than the limit, or one longer
    /// (a server that ignores `limit` sent all that was left), or until
    /// `enough` says so of a page's new reports. Bounded: at most
    /// [`MAX_PAGES`] pages, all within the upstream timeout; a page that
    /// brings only reports already read (a server that ignores `offset`)
    /// ends the walk with an error rather than a loop. A report that comes
    /// twice (the list changed between pages) is kept once.
    async fn walk_reports(
        &self,
        type_code: Option<&str>,
        mut enough: impl FnMut(&[Report]) -> bool + Send,
    ) -> Result<Vec<Report>> {
        let path = self.workspace_path("/reports")?;
        let filter = type_code
            .map(|code| format!("type={}&", encode_query_value(code)))
            .unwrap_or_default();
        let shown = match type_code {
            Some(code) => format!("{path}?type={}", encode_query_value(code)),
            None => path.clone(),
        };
        let page_size = self.page_size;
        let pages_read = AtomicUsize::new(0);
        let walk = async {
            let mut reports: Vec<Report> = Vec::new();
            let mut seen: HashSet<i64> = HashSet::new();
            let mut skipped = 0;
            let mut offset = 0;
            for page in 0..MAX_PAGES {
                let page_path = format!("{path}?{filter}offset={offset}&limit={page_size}");
                let listing: Listing<Report> = self.json(Method::GET, page_path, None).await?;
                pages_read.fetch_add(1, Ordering::Relaxed);
                let received = listing.rows.len() + listing.skipped;
                skipped += listing.skipped;
                let readable = listing.rows.len();
                let new: Vec<Report> = listing
                    .rows
                    .into_iter()
                    .filter(|r| seen.insert(r.id))
                    .collect();
                if page > 0 && readable > 0 && new.is_empty() {
                    return Err(UpstreamError::PagingIgnored { offset });
                }
                let done = received != page_size || enough(&new);
                reports.extend(new);
                if done {
                    self.warn_skipped(&shown, skipped, REPORT_NEEDS);
                    return Ok(reports);
                }
                offset += received;
            }
            Err(UpstreamError::ListTooLong { page_size })
        };
        let result = tokio::time::timeout(self.timeout, walk)
            .await
            .unwrap_or_else(|_| {
                Err(UpstreamError::ListTimeout {
                    ms: self.timeout.as_millis(),
                    pages: pages_read.load(Ordering::Relaxed),
                    page_size,
                })
            });
        if let Err(
            error @ (UpstreamError::ListTimeout { .. }
            | UpstreamError::ListTooLong { .. }
            | UpstreamError::PagingIgnored { .. }),
        ) = &result
        {
            // Failures of a page itself were logged with that page.
            self.log_failure(&Method::GET, &shown, error);
        }
        result
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
        let export_timeout = || UpstreamError::ExportTimeout {
            ms: self.export_timeout.as_millis(),
        };
        let result = tokio::time::timeout(self.export_timeout, async {
            let response = self
                .send_with(
                    self.export_http.as_ref(),
                    Method::GET,
                    &path_and_query,
                    None,
                    "application/pdf",
                )
                .await
                .map_err(|error| match error {
                    UpstreamError::Timeout { .. } => export_timeout(),
                    other => other,
                })?;
            let status = response.status();
            if !status.is_success() {
                let headers = response.headers().clone();
                let body = read_limited(self, response, MAX_ERROR_BYTES)
                    .await
                    .unwrap_or_default();
                return Err(failure(status, &headers, &body, &self.url(&path_and_query)));
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
        .unwrap_or_else(|_| Err(export_timeout()));
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
            let headers = response.headers().clone();
            let html = is_html(&headers);
            let limit = if status.is_success() {
                MAX_JSON_BYTES
            } else {
                MAX_ERROR_BYTES
            };
            let bytes = read_limited(self, response, limit).await?;
            if !status.is_success() {
                return Err(failure(status, &headers, &bytes, &self.url(&path)));
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
        self.send_with(self.http.as_ref(), method, path_and_query, body, accept)
            .await
    }

    async fn send_with(
        &self,
        http: std::result::Result<&reqwest::Client, &String>,
        method: Method,
        path_and_query: &str,
        body: Option<Vec<u8>>,
        accept: &'static str,
    ) -> Result<reqwest::Response> {
        let http = http.map_err(|detail| UpstreamError::Config {
            detail: detail.clone(),
        })?;
        let auth = self.auth.clone().ok_or_else(|| UpstreamError::Config {
            detail: "the PAT holds characters an HTTP header cannot carry: check CXREPORTS_PAT"
                .to_owned(),
        })?;
        let is_post = method == Method::POST;
        let mut request = http
            .request(method, self.url(path_and_query))
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

/// Makes `ring` the process's TLS crypto provider (reqwest is built without
/// one). Installing twice is harmless: the first provider stays.
fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The log line for rows a list skipped.
fn skipped_warning(base: &str, path: &str, skipped: usize, needs: &str) -> String {
    format!(
        "warning: GET {base}{path}: skipped {skipped} row{} CxReports sent without what a row needs ({needs})",
        if skipped == 1 { "" } else { "s" }
    )
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

/// A non-success answer to a request for `requested` (a full URL),
/// classified.
fn failure(status: StatusCode, headers: &HeaderMap, body: &[u8], requested: &str) -> UpstreamError {
    if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        return UpstreamError::Auth {
            detail: format!("status {}", status.as_u16()),
        };
    }
    if status.is_redirection() {
        let location = headers
            .get(header::LOCATION)
            .and_then(|value| value.to_str().ok());
        return redirect_failure(status, location, requested);
    }
    let message = if is_html(headers) {
        None
    } else {
        serde_json::from_slice::<ApiError>(body)
            .ok()
            .map(|e| e.error.chars().take(MAX_MESSAGE_CHARS).collect())
    };
    UpstreamError::Status {
        status: status.as_u16(),
        message,
        hint: None,
    }
}

/// Words in a redirect's target that mark a sign-in page.
const SIGN_IN_WORDS: [&str; 5] = ["login", "signin", "sign-in", "account", "auth"];
/// Endings of a redirect's target that mark a web page, not an API.
const PAGE_ENDINGS: [&str; 4] = [".html", ".htm", ".aspx", ".php"];

/// A redirect (never followed: it could carry the PAT elsewhere). One to a
/// sign-in page (its path, or its host if that differs, names login,
/// signin, sign-in, account or auth) or to a web page (`.html`, `.aspx`,
/// ...) is how older ASP.NET servers refuse a caller: the PAT. Any other,
/// e.g. one that only changes scheme or host (http to https), says
/// CXREPORTS_URL is not quite right. The target is never put in the
/// message, which browsers see.
fn redirect_failure(status: StatusCode, location: Option<&str>, requested: &str) -> UpstreamError {
    let wrong_url = || UpstreamError::Status {
        status: status.as_u16(),
        message: None,
        hint: Some(
            "a redirect, which an API call never gets from a correctly addressed CxReports: \
             check CXREPORTS_URL (https? the right path prefix?)",
        ),
    };
    let Ok(from) = reqwest::Url::parse(requested) else {
        return wrong_url();
    };
    let Some(to) = location.and_then(|location| from.join(location.trim()).ok()) else {
        return wrong_url();
    };
    if to.path() == from.path() {
        return wrong_url();
    }
    let path = to.path().to_ascii_lowercase();
    let mut target = path.clone();
    if to.host_str() != from.host_str() {
        target.push(' ');
        target.push_str(&to.host_str().unwrap_or_default().to_ascii_lowercase());
    }
    let sign_in = SIGN_IN_WORDS.iter().any(|word| target.contains(word));
    let page = PAGE_ENDINGS.iter().any(|ending| path.ends_with(ending));
    if sign_in || page {
        UpstreamError::Auth {
            detail: format!("status {}, a redirect to a sign-in page", status.as_u16()),
        }
    } else {
        wrong_url()
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

    const REQUESTED: &str =
        "http://reports.test:8081/cxr/api/v1/ws/sales/reports?offset=0&limit=200";

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (name.clone(), HeaderValue::from_static(value)))
            .collect()
    }

    #[test]
    fn failures_are_classified_by_status_and_body() {
        let none = HeaderMap::new();
        let html = headers(&[(header::CONTENT_TYPE, "text/html; charset=utf-8")]);
        assert_eq!(
            failure(StatusCode::UNAUTHORIZED, &none, b"", REQUESTED).kind(),
            "upstream_auth"
        );
        assert_eq!(
            failure(StatusCode::FORBIDDEN, &html, b"<html>", REQUESTED).kind(),
            "upstream_auth"
        );
        let error = failure(
            StatusCode::NOT_FOUND,
            &none,
            br#"{"error":"no report 9"}"#,
            REQUESTED,
        );
        assert_eq!(error.kind(), "upstream_status");
        // CxReports' own words go to the log, not to browsers.
        assert_eq!(error.to_string(), "CxReports answered status 404");
        assert!(error.log_text().contains("no report 9"));
        let error = failure(StatusCode::INTERNAL_SERVER_ERROR, &none, b"oops", REQUESTED);
        assert_eq!(error.to_string(), "CxReports answered status 500");
        assert!(failure(StatusCode::FOUND, &none, b"", REQUESTED)
            .to_string()
            .contains("CXREPORTS_URL"));
    }

    #[test]
    fn a_redirect_to_a_sign_in_page_is_a_refused_pat_and_any_other_a_wrong_url() {
        let redirect = |status: StatusCode, location: &'static str| {
            failure(
                status,
                &headers(&[(header::LOCATION, location)]),
                b"",
                REQUESTED,
            )
        };
        for location in [
            "/Account/Login?ReturnUrl=%2Fcxr%2Fapi%2Fv1%2Fws%2Fsales%2Freports",
            "/cxr/account/signin",
            "https://reports.test/Sign-In",
            "https://idp.test/oauth2/authorize?client_id=x",
            "https://login.example.test/",
            "/cxr/Home/Index.aspx",
            "/cxr/welcome.html",
        ] {
            let error = redirect(StatusCode::FOUND, location);
            assert_eq!(error.kind(), "upstream_auth", "{location}");
            assert_eq!(
                error.to_string(),
                "CxReports refused the backend's PAT: check CXREPORTS_PAT \
                 (CxReports answered status 302, a redirect to a sign-in page)",
                "{location}"
            );
        }
        for (status, location) in [
            // Only the scheme, host or port change: CXREPORTS_URL is off.
            (
                StatusCode::MOVED_PERMANENTLY,
                "https://reports.test:8081/cxr/api/v1/ws/sales/reports?offset=0&limit=200",
            ),
            (
                StatusCode::PERMANENT_REDIRECT,
                "https://reports.test/cxr/api/v1/ws/sales/reports",
            ),
            (
                StatusCode::FOUND,
                "//other.test/cxr/api/v1/ws/sales/reports",
            ),
            // Elsewhere, but not a sign-in page.
            (StatusCode::FOUND, "/"),
            (StatusCode::FOUND, "/v2/api/ws/sales/reports"),
            (StatusCode::FOUND, "::not a url::"),
        ] {
            let error = redirect(status, location);
            assert_eq!(error.kind(), "upstream_status", "{location}");
            assert!(
                error.to_string().contains("check CXREPORTS_URL"),
                "{location}"
            );
            assert!(!error.to_string().contains("other.test"), "{error}");
        }
        // No Location at all.
        let error = failure(StatusCode::SEE_OTHER, &HeaderMap::new(), b"", REQUESTED);
        assert!(error.to_string().contains("check CXREPORTS_URL"), "{error}");
        // A workspace whose code reads like a sign-in word, redirected to
        // https: still the URL.
        let error = failure(
            StatusCode::MOVED_PERMANENTLY,
            &headers(&[(
                header::LOCATION,
                "https://reports.test/api/v1/ws/accounting/reports",
            )]),
            b"",
            "http://reports.test/api/v1/ws/accounting/reports",
        );
        assert_eq!(error.kind(), "upstream_status");
    }

    #[test]
    fn the_skipped_rows_warning_counts_and_names_what_rows_need() {
        assert_eq!(
            skipped_warning(
                "http://cx.test",
                "/api/v1/ws/sales/reports",
                2,
                REPORT_NEEDS
            ),
            "warning: GET http://cx.test/api/v1/ws/sales/reports: skipped 2 rows CxReports sent \
             without what a row needs (id, name, reportTypeId, reportTypeName)"
        );
        assert!(
            skipped_warning("", "/api/v1/workspaces", 1, WORKSPACE_NEEDS)
                .contains("skipped 1 row CxReports sent without what a row needs (id, name, code)")
        );
    }

    #[test]
    fn list_messages_show_the_configured_page_size() {
        assert_eq!(
            UpstreamError::ListTooLong { page_size: 7 }.to_string(),
            "CxReports lists more than 3500 reports here (500 pages of 7), more than the backend \
             reads for one list: list one report type at a time (?type=), or spread the reports \
             over more workspaces"
        );
        let timeout = UpstreamError::ListTimeout {
            ms: 400,
            pages: 3,
            page_size: 50,
        };
        assert!(
            timeout.to_string().starts_with(
                "CxReports did not send the whole report list within 400 ms (3 pages of 50 read): "
            ),
            "{timeout}"
        );
        for (configured, used) in [(7, 7), (0, 1), (5000, 1000)] {
            let upstream = Upstream::new(&BackendConfig {
                page_size: configured,
                ..BackendConfig::simulator_default()
            });
            assert_eq!(upstream.page_size, used, "{configured}");
        }
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
