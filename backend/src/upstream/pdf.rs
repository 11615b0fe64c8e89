//! Starting a PDF export: the answer head, checked to be a PDF, within
//! the export's own time limit.
use axum::http::Method;

use super::answer::{content_type, failure, is_html, read_limited, sign_in_page, MAX_ERROR_BYTES};
use super::{Result, Upstream, UpstreamError};

impl Upstream {
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
}
