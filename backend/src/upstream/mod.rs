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
//!
//! One file a concern: this one holds the client and its plumbing (one
//! JSON call, sending with the PAT, logging without it), the nonce and
//! temporary data; `lists` reads the lists, page by page; `pdf` starts an
//! export; `answer` reads and classifies what CxReports answered; `error`
//! is [`UpstreamError`].
mod answer;
mod error;
mod lists;
mod pdf;

use std::time::Duration;

use axum::http::{header, HeaderValue, Method};
use cxreports_contract::encode_path_segment;
use cxreports_contract::model::{NonceToken, TemporaryDataRequest, TemporaryDataResponse};
use serde::de::DeserializeOwned;

use crate::config::{BackendConfig, MAX_PAGE_SIZE};
use crate::secret::{scrub, Secret};

use answer::{failure, is_html, read_limited, sign_in_page, MAX_ERROR_BYTES};
pub(crate) use error::UpstreamError;

/// No list, nonce or data answer is anywhere near this; a bigger one is a
/// misbehaving server and is not buffered.
const MAX_JSON_BYTES: usize = 8 * 1024 * 1024;
/// At most this many pages make one report list (100,000 reports at the
/// default page size of 200).
pub(crate) const MAX_PAGES: usize = 500;

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

#[cfg(test)]
mod tests {
    use super::*;

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
