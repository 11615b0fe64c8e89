//! The lists a widget picks from: the workspace, report types and reports,
//! each filtered by the allowlist; and the refusals for what it leaves out.
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use cxreports_contract::model::{Report, ReportType, Workspace};

use super::body::bad_query;
use super::{AppState, Result};
use crate::error::BackendError;

/// `GET /api/cxreports/workspaces`: the configured workspace only.
pub(super) async fn workspaces(State(state): State<AppState>) -> Result<Json<Vec<Workspace>>> {
    let configured = state.upstream.workspace();
    let mine: Vec<Workspace> = state
        .upstream
        .workspaces()
        .await?
        .into_iter()
        .filter(|w| w.code == configured || w.id.to_string() == configured)
        .take(1)
        .collect();
    if mine.is_empty() {
        return Err(BackendError::WorkspaceMissing(configured.to_owned()));
    }
    Ok(Json(mine))
}

/// `GET /api/cxreports/report-types`: the allowed types.
pub(super) async fn report_types(State(state): State<AppState>) -> Result<Json<Vec<ReportType>>> {
    let types = state.upstream.report_types().await?;
    Ok(Json(state.allowlist.filter_types(types)))
}

/// A report type the allowlist leaves out.
pub(super) fn type_refused(code: &str) -> BackendError {
    BackendError::Forbidden(format!(
        "report type {code:?} is not available here: use one from GET /api/cxreports/report-types \
         (the backend's CXREPORTS_ALLOWED_REPORT_TYPES)"
    ))
}

/// A report the allowlist leaves out.
pub(super) fn report_refused(report: &str) -> BackendError {
    BackendError::Forbidden(format!(
        "report {report} is not available here: use one from GET /api/cxreports/reports \
         (the backend's CXREPORTS_ALLOWED_REPORTS and CXREPORTS_ALLOWED_REPORT_TYPES)"
    ))
}

/// `GET /api/cxreports/reports?type=&offset=&limit=`: the allowed reports.
/// `offset` and `limit` apply after the allowlist, so pages stay full.
pub(super) async fn reports(
    State(state): State<AppState>,
    query: std::result::Result<Query<cxreports_contract::ReportsQuery>, QueryRejection>,
) -> Result<Json<Vec<Report>>> {
    let Query(query) = query.map_err(bad_query)?;
    let (offset, limit) = query
        .window()
        .map_err(|e| BackendError::BadRequest(e.to_string()))?;
    let type_code = query.type_code.filter(|t| !t.is_empty());
    if let Some(code) = &type_code {
        if !state.allowlist.allows_type(code) {
            return Err(type_refused(code));
        }
    }
    let upstream = &state.upstream;
    let (reports, types) = if state.allowlist.restricts_types() {
        tokio::try_join!(
            upstream.reports(type_code.as_deref()),
            upstream.report_types()
        )?
    } else {
        (upstream.reports(type_code.as_deref()).await?, Vec::new())
    };
    let reports = state
        .allowlist
        .filter_reports(reports, &types)
        .into_iter()
        .skip(offset)
        .take(limit)
        .collect();
    Ok(Json(reports))
}
