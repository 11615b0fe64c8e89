//! `/api/v1/...`: the server-side API, authenticated by a PAT.
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cxreports_contract::encode_query_value;
use cxreports_contract::model::{
    ApiError, NonceToken, Report, TemporaryDataRequest, TemporaryDataResponse,
};
use serde::Serialize;
use serde_json::Value;
use thiserror::Error;
use time::format_description::well_known::{Iso8601, Rfc3339};
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::catalog::LookupError;
use crate::html;
use crate::inputs::{InputError, RawPreviewQuery, ReportInputs};
use crate::pdf;
use crate::state::Sim;
use crate::token::constant_time_eq;

/// Temporary data exists for payloads too large for a URL; let them in.
const TEMP_DATA_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Where `SIM_AUTH_REDIRECT` sends an unauthenticated API call, as ASP.NET
/// cookie authentication does.
pub(crate) const SIGN_IN_PATH: &str = "/Account/Login";

/// The optional fields of each list's rows: what `SIM_EXPLICIT_NULLS`
/// writes as `null` when empty.
const WORKSPACE_OPTIONAL: &[&str] = &["description"];
const TYPE_OPTIONAL: &[&str] = &["description", "defaultReportId", "defaultReportName"];
const REPORT_OPTIONAL: &[&str] = &[
    "reportTemplateName",
    "isDefault",
    "previewImage",
    "themeName",
];

/// Why an API call failed; answered as `{"error": "..."}` with a status.
#[derive(Debug, Error)]
pub(crate) enum ApiFailure {
    #[error("missing or unknown personal access token: send `Authorization: Bearer <PAT>` with a PAT the simulator accepts (SIM_PATS)")]
    Unauthorized,
    #[error(transparent)]
    NotFound(#[from] LookupError),
    #[error("{0}")]
    BadRequest(String),
    #[error("the system's random number generator failed ({0}): retry, and check the host's entropy source if it persists")]
    Random(getrandom::Error),
}

impl From<getrandom::Error> for ApiFailure {
    fn from(error: getrandom::Error) -> Self {
        ApiFailure::Random(error)
    }
}

impl From<InputError> for ApiFailure {
    fn from(error: InputError) -> Self {
        ApiFailure::BadRequest(error.to_string())
    }
}

impl From<PathRejection> for ApiFailure {
    fn from(rejection: PathRejection) -> Self {
        ApiFailure::BadRequest(format!("bad path: {}", rejection.body_text()))
    }
}

impl From<QueryRejection> for ApiFailure {
    fn from(rejection: QueryRejection) -> Self {
        ApiFailure::BadRequest(format!("bad query string: {}", rejection.body_text()))
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let status = match &self {
            ApiFailure::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiFailure::NotFound(_) => StatusCode::NOT_FOUND,
            ApiFailure::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiFailure::Random(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let mut response = (
            status,
            Json(ApiError {
                error: self.to_string(),
            }),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

type ApiResult<T> = Result<T, ApiFailure>;

/// The API routes, PAT-protected.
pub(crate) fn routes(sim: Sim) -> Router {
    Router::new()
        .route("/api/v1/workspaces", get(workspaces))
        .route("/api/v1/ws/{ws}/report-types", get(report_types))
        .route("/api/v1/ws/{ws}/reports", get(reports))
        .route("/api/v1/ws/{ws}/reports/{report}/pdf", get(report_pdf))
        .route(
            "/api/v1/ws/{ws}/temporary-data",
            post(temporary_data).layer(DefaultBodyLimit::max(TEMP_DATA_BODY_LIMIT)),
        )
        .route("/api/v1/nonce-tokens", post(nonce_token))
        .route_layer(middleware::from_fn_with_state(sim.clone(), require_pat))
        // Where the auth redirect leads; open to anyone, like a sign-in page.
        .route(SIGN_IN_PATH, get(sign_in_page))
        .with_state(sim)
}

/// Lets a request through only with a configured PAT as its bearer token.
async fn require_pat(State(sim): State<Sim>, request: Request, next: Next) -> Response {
    let presented = bearer_token(request.headers());
    let known = presented.is_some_and(|token| {
        sim.config()
            .pats
            .iter()
            .any(|pat| constant_time_eq(pat.as_bytes(), token.as_bytes()))
    });
    if known {
        next.run(request).await
    } else if sim.auth_redirect() {
        // Older ASP.NET servers send an anonymous caller to their sign-in
        // page, API calls included; clients must not follow it with a PAT.
        let original = request
            .uri()
            .path_and_query()
            .map_or("/", |target| target.as_str());
        let location = format!("{SIGN_IN_PATH}?ReturnUrl={}", encode_query_value(original));
        let location = HeaderValue::from_str(&location)
            .unwrap_or_else(|_| HeaderValue::from_static(SIGN_IN_PATH));
        (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
    } else if sim.login_page_200() {
        // Some deployments answer an anonymous API call with their sign-in
        // page and 200; clients must notice the text/html.
        Html(html::login_page()).into_response()
    } else {
        ApiFailure::Unauthorized.into_response()
    }
}

/// `GET /Account/Login`: the sign-in page the auth redirect leads to.
async fn sign_in_page() -> Response {
    Html(html::login_page()).into_response()
}

/// A list answer. With `explicit_nulls`, each of the row fields named in
/// `optional` that is absent, empty or `false` is written as `null`.
fn list<T: Serialize>(sim: &Sim, rows: &[T], optional: &[&str]) -> Response {
    if !sim.config().explicit_nulls {
        return Json(rows).into_response();
    }
    let Ok(Value::Array(mut rows)) = serde_json::to_value(rows) else {
        return Json(rows).into_response();
    };
    for row in &mut rows {
        let Value::Object(fields) = row else { continue };
        for &name in optional {
            let empty = match fields.get(name) {
                None | Some(Value::Null) => true,
                Some(Value::String(text)) => text.is_empty(),
                Some(Value::Bool(flag)) => !flag,
                Some(_) => false,
            };
            if empty {
                fields.insert(name.to_owned(), Value::Null);
            }
        }
    }
    Json(rows).into_response()
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|token| !token.is_empty())
}

async fn workspaces(State(sim): State<Sim>) -> Response {
    list(&sim, &sim.catalog().workspaces, WORKSPACE_OPTIONAL)
}

async fn report_types(
    State(sim): State<Sim>,
    path: Result<Path<String>, PathRejection>,
) -> ApiResult<Response> {
    let Path(ws) = path?;
    let workspace = sim.catalog().workspace(&ws)?;
    let types: Vec<_> = sim.catalog().types_of(workspace.id).collect();
    Ok(list(&sim, &types, TYPE_OPTIONAL))
}

async fn reports(
    State(sim): State<Sim>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<cxreports_contract::ReportsQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Path(ws) = path?;
    let Query(query) = query?;
    let (offset, mut limit) = query
        .window()
        .map_err(|e| ApiFailure::BadRequest(e.to_string()))?;
    let limit_given = query.limit.as_deref().is_some_and(|l| !l.trim().is_empty());
    if let (false, Some(page_size)) = (limit_given, sim.config().default_page_size) {
        limit = page_size;
    }
    let catalog = sim.catalog();
    let workspace = catalog.workspace(&ws)?;
    let type_id = match query.type_code.as_deref().filter(|t| !t.is_empty()) {
        None => None,
        Some(code) => match catalog.types_of(workspace.id).find(|t| t.code == code) {
            Some(report_type) => Some(report_type.id),
            // An unknown type has no reports, like a filter with no match.
            None => return Ok(list::<Report>(&sim, &[], REPORT_OPTIONAL)),
        },
    };
    let reports: Vec<&Report> = catalog
        .reports_of(workspace.id)
        .filter(|r| type_id.is_none_or(|id| r.report_type_id == id))
        .skip(offset)
        .take(limit)
        .collect();
    Ok(list(&sim, &reports, REPORT_OPTIONAL))
}

async fn report_pdf(
    State(sim): State<Sim>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<RawPreviewQuery>, QueryRejection>,
) -> ApiResult<Response> {
    let Path((ws, report)) = path?;
    let Query(query) = query?;
    let catalog = sim.catalog();
    let workspace = catalog.workspace(&ws)?;
    let report = catalog.report(workspace, &report)?;
    let inputs = ReportInputs::read(&query, &sim, workspace.id)?;
    let bytes = pdf::render(workspace, report, &inputs);
    let disposition = content_disposition(&report.name);
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// `attachment` named after the report (RFC 6266): `filename` an ASCII
/// fallback (anything else, quotes and slashes too, as `_`), `filename*`
/// the name itself, percent-encoded UTF-8 (RFC 5987).
fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() || c == ' ') && !matches!(c, '"' | '\\' | '/') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{fallback}.pdf\"; filename*=UTF-8''{}.pdf",
        encode_query_value(name)
    )
}

/// Reads `expiryDate` as RFC 3339, or ISO-8601 with or without an offset
/// (without one it is taken as UTC, as .NET clients may send it).
fn parse_expiry(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(text, &Iso8601::DEFAULT))
        .or_else(|_| PrimitiveDateTime::parse(text, &Iso8601::DEFAULT).map(|t| t.assume_utc()))
        .ok()
}

async fn temporary_data(
    State(sim): State<Sim>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Json<TemporaryDataRequest>, JsonRejection>,
) -> ApiResult<Response> {
    let Path(ws) = path?;
    let workspace = sim.catalog().workspace(&ws)?;
    let Json(request) = body.map_err(|rejection| {
        ApiFailure::BadRequest(format!(
            "the body must be JSON like {{\"content\": <any JSON>, \"expiryDate\": \"2026-01-01T00:00:00Z\"}}: {}",
            rejection.body_text()
        ))
    })?;
    let now = OffsetDateTime::now_utc();
    let expires = match request.expiry_date.as_deref().filter(|d| !d.is_empty()) {
        None => now + sim.config().temp_data_ttl,
        Some(text) => {
            let expires = parse_expiry(text).ok_or_else(|| {
                ApiFailure::BadRequest(format!(
                    "`expiryDate` {text:?} is not an ISO-8601 date-time: use e.g. \"2026-01-01T12:00:00Z\""
                ))
            })?;
            if expires <= now {
                return Err(ApiFailure::BadRequest(format!(
                    "`expiryDate` {text:?} is already past: give a moment in the future, or leave it out"
                )));
            }
            expires
        }
    };
    // Whole seconds: the answer reads like a server's, not a clock dump.
    let expires = expires.replace_nanosecond(0).unwrap_or(expires);
    let id = sim.store_temp_data(workspace.id, request.content, expires);
    let expiry_date = expires
        .format(&Rfc3339)
        .map_err(|e| ApiFailure::BadRequest(format!("`expiryDate` cannot be written back: {e}")))?;
    Ok(Json(TemporaryDataResponse {
        temp_data_id: id,
        expiry_date,
    })
    .into_response())
}

async fn nonce_token(State(sim): State<Sim>) -> ApiResult<Response> {
    let nonce = sim.issue_nonce()?;
    Ok(Json(NonceToken { nonce }).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_scheme_is_case_insensitive_and_must_carry_a_token() {
        let mut headers = HeaderMap::new();
        assert_eq!(bearer_token(&headers), None);
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer abc"),
        );
        assert_eq!(bearer_token(&headers), Some("abc"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer_token(&headers), None);
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer "));
        assert_eq!(bearer_token(&headers), None);
    }

    #[test]
    fn the_pdf_is_named_after_the_report_in_both_forms() {
        assert_eq!(
            content_disposition("Z\u{fc}rich \"Q3\" summary"),
            "attachment; filename=\"Z_rich _Q3_ summary.pdf\"; \
             filename*=UTF-8''Z%C3%BCrich%20%22Q3%22%20summary.pdf"
        );
        assert_eq!(
            content_disposition("a/b\\c"),
            "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%2Fb%5Cc.pdf"
        );
    }

    #[test]
    fn expiry_dates_read_in_common_iso_forms() {
        for text in [
            "2030-01-02T03:04:05Z",
            "2030-01-02T03:04:05.123+02:00",
            "2030-01-02T03:04:05",
        ] {
            assert!(parse_expiry(text).is_some(), "{text}");
        }
        assert!(parse_expiry("tomorrow").is_none());
    }
}
