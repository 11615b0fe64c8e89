//! `GET /api/cxreports/reports/{id or typeCode}/pdf`: a PDF export,
//! checked against the allowlist, named, and streamed through.
use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Extension, Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::Response;
use cxreports_contract::{encode_path_segment, PdfFileName, ReportRef};

use super::body::bad_query;
use super::lists::{report_refused, type_refused};
use super::pdf_query::{owned_temp_data, upstream_pdf_query, PdfQuery};
use super::pdf_stream::complete_pdf;
use super::{AppState, Result};
use crate::auth::User;
use crate::error::{BackendError, BackendError::BadRequest};

/// Checks `report` against the allowlist and the workspace, and answers
/// what to ask CxReports for and the name to give the file.
async fn resolve_pdf(state: &AppState, report: &ReportRef) -> Result<(ReportRef, String)> {
    let allowlist = &state.allowlist;
    let upstream = &state.upstream;
    match report {
        ReportRef::Id(id) => {
            if !allowlist.allows_report_id(*id) {
                return Err(report_refused(&id.to_string()));
            }
            let (found, types) = if allowlist.restricts_types() {
                tokio::try_join!(upstream.report(*id), upstream.report_types())?
            } else {
                (upstream.report(*id).await?, Vec::new())
            };
            let found = found.ok_or_else(|| {
                BackendError::NotFound(format!(
                    "there is no report {id} in this workspace: use one from GET /api/cxreports/reports"
                ))
            })?;
            if !allowlist.allows_report(&found, &types) {
                return Err(report_refused(&id.to_string()));
            }
            Ok((ReportRef::Id(*id), found.name))
        }
        ReportRef::TypeCode(code) => {
            if !allowlist.allows_type(code) {
                return Err(type_refused(code));
            }
            let types = upstream.report_types().await?;
            let found = types.iter().find(|t| t.code == *code).ok_or_else(|| {
                BackendError::NotFound(format!(
                    "there is no report type {code:?} in this workspace: use one from GET /api/cxreports/report-types"
                ))
            })?;
            let name = found
                .default_report_name
                .clone()
                .unwrap_or_else(|| code.clone());
            if !allowlist.restricts_reports() {
                return Ok((report.clone(), name));
            }
            // With reports restricted by id, export the default report by
            // the id just checked, so a change of default in between
            // cannot slip another report through.
            match found.default_report_id {
                Some(id) if allowlist.allows_report_id(id) => Ok((ReportRef::Id(id), name)),
                _ => Err(report_refused(&format!("{code:?} (its default report)"))),
            }
        }
    }
}

/// `GET /api/cxreports/reports/{id or typeCode}/pdf?params=&data=&...`:
/// the PDF, streamed through as a download.
pub(super) async fn pdf(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    path: std::result::Result<Path<String>, PathRejection>,
    query: std::result::Result<Query<PdfQuery>, QueryRejection>,
) -> Result<Response> {
    let Path(report) = path.map_err(|rejection| {
        BadRequest(format!("bad report in the path: {}", rejection.body_text()))
    })?;
    let Query(mut query) = query.map_err(bad_query)?;
    owned_temp_data(&state, &mut query, &user)?;
    if encode_path_segment(&report).is_err() {
        return Err(BadRequest(format!(
            "{report:?} is not a report: give a report id or a report-type code"
        )));
    }
    let upstream_query = upstream_pdf_query(query)?;
    let (target, name) = resolve_pdf(&state, &ReportRef::parse(&report)).await?;
    let segment = encode_path_segment(&target.to_string())
        .map_err(|e| BackendError::Internal(e.to_string()))?;
    let answer = state.upstream.pdf(&segment, &upstream_query).await?;
    // CxReports' own name for the file, if it gives one it can be read.
    let name = answer
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .and_then(|value| PdfFileName::from_disposition(&String::from_utf8_lossy(value.as_bytes())))
        .unwrap_or_else(|| PdfFileName::new(name));

    let length = answer.content_length();
    let stream = complete_pdf(answer, state.upstream.clone(), target);
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    // Printable ASCII only, so always a header value; the fallback is
    // for the impossible case.
    let disposition = HeaderValue::from_str(&name.content_disposition())
        .unwrap_or_else(|_| HeaderValue::from_static("attachment; filename=\"report.pdf\""));
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(length) = length {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    Ok(response)
}
