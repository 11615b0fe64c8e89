//! The lists: workspaces, report types, and the report list read page by
//! page, bounded in pages and time; rows CxReports sent without what a row
//! needs are skipped and counted in the log.
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::Method;
use cxreports_contract::encode_query_value;
use cxreports_contract::model::{Listing, Report, ReportType, Workspace};
use serde::de::DeserializeOwned;

use super::{Result, Upstream, UpstreamError, MAX_PAGES};

/// What a row of each list cannot do without; a row lacking any of it (or
/// holding it as another type) is skipped.
const WORKSPACE_NEEDS: &str = "id, name, code";
const REPORT_TYPE_NEEDS: &str = "id, name, code";
const REPORT_NEEDS: &str = "id, name, reportTypeId, reportTypeName";

impl Upstream {
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
}

/// The log line for rows a list skipped.
fn skipped_warning(base: &str, path: &str, skipped: usize, needs: &str) -> String {
    format!(
        "warning: GET {base}{path}: skipped {skipped} row{} CxReports sent without what a row needs ({needs})",
        if skipped == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
