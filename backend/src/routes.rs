//! The browser-facing endpoints. Each one maps to exactly one fixed
//! CxReports call (or two, to check the allowlist), never to a path the
//! browser chose: this is not a proxy.
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{ConnectInfo, Extension, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use cxreports_contract::model::{
    NonceToken, Report, ReportType, TemporaryDataRequest, TemporaryDataResponse, Workspace,
};
use cxreports_contract::{
    decode_params, disposition_file_name, encode_path_segment, encode_query_value, ParamsEncoding,
    PreviewQuery, ReportRef,
};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use crate::allowlist::Allowlist;
use crate::auth::{self, Authenticator, User};
use crate::config::{BackendConfig, SignIn};
use crate::csrf::{self, Guard, Hosts, Origins};
use crate::error::{self, BackendError, BackendError::BadRequest};
use crate::limits::NonceLimits;
use crate::session::{self, SessionKeys};
use crate::upstream::Upstream;

/// Login bodies are a user name; nothing bigger is read.
const MAX_LOGIN_BYTES: usize = 4 * 1024;
/// Longest file name offered for a downloaded PDF, before `.pdf`.
const MAX_FILENAME_CHARS: usize = 100;

type Result<T> = std::result::Result<T, BackendError>;

/// What every handler shares; cheap to clone.
#[derive(Debug, Clone)]
struct AppState {
    upstream: Arc<Upstream>,
    allowlist: Arc<Allowlist>,
    sessions: Arc<SessionKeys>,
    limits: Arc<NonceLimits>,
    max_temp_data_bytes: usize,
    temp_data_handle_ttl: Duration,
    /// What `widget-config` shows as CxReports' URL.
    public_cxreports_url: Arc<str>,
}

/// The whole app. `wrap` sees the app inside CORS, so that anything it
/// adds (fault injection in tests) answers with CORS headers too.
/// `cors_methods` are the methods CORS allows: `GET` and `POST`, plus
/// `DELETE` when the fault-injection control API is mounted.
pub(crate) fn app(
    config: BackendConfig,
    wrap: impl FnOnce(Router) -> Router,
    cors_methods: &[Method],
) -> Router {
    let mut origins = config.allowed_origins.clone();
    origins.extend(config.public_origin.clone());
    let origins = Origins::new(&origins);
    let guard = Guard {
        origins: origins.clone(),
        hosts: Hosts::new(&config.allowed_hosts),
    };
    let sessions = Arc::new(
        SessionKeys::new(config.session_secret.clone()).with_secure_cookies(config.secure_cookies),
    );
    let authenticator = Arc::new(Authenticator::new(&config.sign_in, sessions.clone()));
    let state = AppState {
        upstream: Arc::new(Upstream::new(&config)),
        allowlist: Arc::new(Allowlist::new(
            config.allowed_report_types.clone(),
            config.allowed_reports.clone(),
        )),
        sessions,
        limits: Arc::new(NonceLimits::new(
            config.nonces_per_minute_per_user,
            config.nonces_per_minute_per_client,
        )),
        max_temp_data_bytes: config.max_temp_data_bytes,
        temp_data_handle_ttl: config.temp_data_handle_ttl,
        public_cxreports_url: config
            .public_cxreports_url
            .clone()
            .unwrap_or_else(|| config.cxreports_url.trim_end_matches('/').to_owned())
            .into(),
    };
    let cxreports = Router::new()
        .route("/api/cxreports/widget-config", get(widget_config))
        .route("/api/cxreports/nonce", post(nonce))
        .route("/api/cxreports/workspaces", get(workspaces))
        .route("/api/cxreports/report-types", get(report_types))
        .route("/api/cxreports/reports", get(reports))
        .route("/api/cxreports/reports/{report}/pdf", get(pdf))
        .route("/api/cxreports/temporary-data", post(temporary_data))
        .route_layer(middleware::from_fn_with_state(authenticator, auth::require));
    let mut app = Router::new()
        .merge(cxreports)
        .route("/healthz", get(health));
    // The demo sign-in signs in anyone: it exists only when asked for.
    if config.sign_in == SignIn::Demo {
        app = app
            .route("/auth/login", post(login))
            .route("/auth/logout", post(logout))
            .route("/auth/me", get(me));
    }
    let app = app
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(middleware::from_fn_with_state(guard, csrf::guard))
        .layer(middleware::map_response(error::no_store));
    wrap(app).layer(csrf::cors(origins, cors_methods))
}

fn bad_query(rejection: QueryRejection) -> BackendError {
    BackendError::BadRequest(format!("bad query string: {}", rejection.body_text()))
}

/// Reads a request body of at most `limit` bytes.
async fn read_body(request: Request, limit: usize) -> Result<Vec<u8>> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(BackendError::TooLarge { limit });
    }
    let mut stream = request.into_body().into_data_stream();
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| {
            BackendError::BadRequest("the request body broke off: send it again".to_owned())
        })?;
        if body.len() + chunk.len() > limit {
            return Err(BackendError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

// ---- demo login ----------------------------------------------------------

#[derive(Debug, Deserialize)]
struct LoginBody {
    user: String,
}

/// `POST /auth/login {"user"}`: the demo sign-in, mounted only with
/// [`SignIn::Demo`]. A real application signs users in its own way.
async fn login(State(state): State<AppState>, request: Request) -> Result<Response> {
    let secure = session::is_https(request.headers());
    let body = read_body(request, MAX_LOGIN_BYTES).await?;
    let body: LoginBody = serde_json::from_slice(&body)
        .map_err(|_| BackendError::BadRequest("send JSON like {\"user\": \"alice\"}".to_owned()))?;
    let user = session::validate_user(&body.user)?;
    let (token, session) = state.sessions.issue(&user, session::now())?;
    let cookie = HeaderValue::from_str(&state.sessions.set_cookie(&token, secure))
        .map_err(|_| BackendError::Internal("the session cookie cannot be written".to_owned()))?;
    let mut response = Json(session).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

/// `POST /auth/logout`: deletes the cookie. Being stateless, the backend
/// cannot revoke a copied cookie before it expires; a real application's
/// own session store can.
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let cookie = state.sessions.clear_cookie(session::is_https(&headers));
    let mut response = Json(serde_json::json!({ "signedOut": true })).into_response();
    if let Ok(cookie) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// `GET /auth/me`: who is signed in, or 401.
async fn me(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<session::Session>> {
    state
        .sessions
        .session_of(&headers, session::now())
        .map(Json)
        .ok_or(BackendError::Unauthenticated)
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "ok": true }))
}

// ---- CxReports -----------------------------------------------------------

/// What a host page needs to configure the widget: the CxReports URL
/// browsers use (`CXREPORTS_PUBLIC_URL`), never an internal one.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct WidgetConfig<'a> {
    cxreports_url: &'a str,
    workspace: &'a str,
}

/// `GET /api/cxreports/widget-config`: where CxReports is and which
/// workspace, so a host page need not repeat the backend's configuration.
async fn widget_config(State(state): State<AppState>) -> Response {
    Json(WidgetConfig {
        cxreports_url: &state.public_cxreports_url,
        workspace: state.upstream.workspace(),
    })
    .into_response()
}

/// `POST /api/cxreports/nonce`: a fresh single-use nonce for the iframe,
/// within the user's and the client address's rate limits.
async fn nonce(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    client: Option<Extension<ConnectInfo<SocketAddr>>>,
) -> Result<Json<NonceToken>> {
    let client = client.map(|Extension(ConnectInfo(addr))| addr.ip());
    state.limits.check(&user, client)?;
    Ok(Json(state.upstream.nonce().await?))
}

/// `GET /api/cxreports/workspaces`: the configured workspace only.
async fn workspaces(State(state): State<AppState>) -> Result<Json<Vec<Workspace>>> {
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
async fn report_types(State(state): State<AppState>) -> Result<Json<Vec<ReportType>>> {
    let types = state.upstream.report_types().await?;
    Ok(Json(state.allowlist.filter_types(types)))
}

fn type_refused(code: &str) -> BackendError {
    BackendError::Forbidden(format!(
        "report type {code:?} is not available here: use one from GET /api/cxreports/report-types \
         (the backend's CXREPORTS_ALLOWED_REPORT_TYPES)"
    ))
}

fn report_refused(report: &str) -> BackendError {
    BackendError::Forbidden(format!(
        "report {report} is not available here: use one from GET /api/cxreports/reports \
         (the backend's CXREPORTS_ALLOWED_REPORTS and CXREPORTS_ALLOWED_REPORT_TYPES)"
    ))
}

/// `GET /api/cxreports/reports?type=&offset=&limit=`: the allowed reports.
/// `offset` and `limit` apply after the allowlist, so pages stay full.
async fn reports(
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

/// The preview keys a PDF export understands; anything else in the query
/// (a `nonce` above all) is dropped.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PdfQuery {
    params: Option<String>,
    data: Option<String>,
    temp_data_id: Option<String>,
    timezone: Option<String>,
    lang: Option<String>,
    theme: Option<String>,
    template: Option<String>,
    /// What `POST temporary-data` answered besides the id: the proof that
    /// this user stored it.
    temp_data_handle: Option<String>,
}

fn not_yours() -> BackendError {
    BackendError::Forbidden(
        "this temporary data was not stored by the signed-in user, or its handle has expired: \
         store it again (POST /api/cxreports/temporary-data) and pass the tempDataHandle it \
         answers with the export (e.g. in the widget's pdfUrl: .../{report}/pdf?tempDataHandle=...)"
            .to_owned(),
    )
}

/// Binds a PDF export's temporary data to its owner: the data goes to
/// CxReports only under a handle `user` got for it (and, if `tempDataId`
/// is given too, for that same id).
fn owned_temp_data(state: &AppState, query: &mut PdfQuery, user: &User) -> Result<()> {
    let present = |value: &Option<String>| value.as_deref().is_some_and(|v| !v.trim().is_empty());
    let handle = query.temp_data_handle.take();
    if !present(&query.temp_data_id) && !present(&handle) {
        return Ok(());
    }
    if let Some(given) = query
        .temp_data_id
        .as_deref()
        .filter(|v| !v.trim().is_empty())
    {
        if given.trim().parse::<i64>().is_err() {
            return Err(BadRequest(format!(
                "`tempDataId` must be the number POST /api/cxreports/temporary-data answered, not {given:?}"
            )));
        }
    }
    let handle = handle.ok_or_else(not_yours)?;
    let id = state
        .sessions
        .verify_temp_data_handle(&handle, user.name(), session::now())
        .ok_or_else(not_yours)?;
    if let Some(given) = query
        .temp_data_id
        .as_deref()
        .filter(|v| !v.trim().is_empty())
    {
        if given.trim().parse::<i64>().ok() != Some(id) {
            return Err(not_yours());
        }
    }
    query.temp_data_id = Some(id.to_string());
    Ok(())
}

/// Validates the PDF query and writes the upstream query string: `params`
/// (JSON text or base64url, as the contract allows) is forwarded as JSON
/// text; `data` must be JSON; `tempDataId` a number.
fn upstream_pdf_query(query: PdfQuery) -> Result<String> {
    let present = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    let params_json = match present(query.params) {
        None => None,
        Some(raw) => Some(
            decode_params(&raw)
                .map_err(|e| BadRequest(e.to_string()))?
                .to_string(),
        ),
    };
    let data_json = match present(query.data) {
        None => None,
        Some(data) => {
            serde_json::from_str::<serde_json::Value>(&data).map_err(|e| {
                BadRequest(format!("`data` must be JSON text, like [{{\"a\":1}}]: {e}"))
            })?;
            Some(data)
        }
    };
    let temp_data_id = match present(query.temp_data_id) {
        None => None,
        Some(id) => Some(id.trim().parse::<i64>().map_err(|_| {
            BadRequest(format!(
                "`tempDataId` must be the number POST /api/cxreports/temporary-data answered, not {id:?}"
            ))
        })?),
    };
    let preview = PreviewQuery {
        params_json,
        data_json,
        temp_data_id,
        timezone: query.timezone,
        lang: query.lang,
        theme: query.theme,
        template: query.template,
        hide_print_button: false,
    };
    Ok(preview
        .pairs("", ParamsEncoding::Json)
        .into_iter()
        .filter(|(key, _)| *key != "nonce")
        .map(|(key, value)| format!("{key}={}", encode_query_value(&value)))
        .collect::<Vec<_>>()
        .join("&"))
}

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
async fn pdf(
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
        .and_then(|value| disposition_filename(value.as_bytes()))
        .unwrap_or(name);

    let length = answer.content_length();
    let stream = complete_pdf(answer, state.upstream.clone(), target);
    let mut response = Response::new(Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    headers.insert(header::CONTENT_DISPOSITION, content_disposition(&name));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(length) = length {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    Ok(response)
}

/// The PDF's bytes as they come, ending in an error (so the browser's
/// download fails, never ends as a complete file) when CxReports breaks
/// off, pauses past the export limit, or ends the body without a PDF's
/// closing `%%EOF`, as a connection closed mid-file would.
fn complete_pdf(
    answer: reqwest::Response,
    upstream: Arc<Upstream>,
    target: ReportRef,
) -> impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send {
    /// How far from the end `%%EOF` may be (trailing line ends, a little
    /// padding).
    const TAIL: usize = 32;
    let broke = move |upstream: &Upstream, why: &str| {
        upstream.log(&format!(
            "the PDF of report {target} broke off while streaming: {why}"
        ));
        std::io::Error::other("CxReports broke off the PDF")
    };
    // The last bytes are held back until the end is seen to be a PDF's,
    // so a cut file never reaches the browser whole-looking (with a
    // Content-Length, the final bytes would otherwise complete it).
    futures_util::stream::unfold(
        (
            answer.bytes_stream(),
            Vec::<u8>::new(),
            false,
            upstream,
            broke,
        ),
        |(mut stream, mut held, done, upstream, broke)| async move {
            if done {
                return None;
            }
            match stream.next().await {
                Some(Ok(chunk)) => {
                    held.extend_from_slice(&chunk);
                    let cut = held.len().saturating_sub(TAIL);
                    let ready = bytes::Bytes::from(held.drain(..cut).collect::<Vec<u8>>());
                    Some((Ok(ready), (stream, held, false, upstream, broke)))
                }
                Some(Err(error)) => {
                    let why = if error.is_timeout() {
                        "timed out (CXREPORTS_EXPORT_TIMEOUT_MS)"
                    } else {
                        "connection lost"
                    };
                    let error = broke(&upstream, why);
                    Some((Err(error), (stream, held, true, upstream, broke)))
                }
                None if held.windows(5).any(|w| w == b"%%EOF") => {
                    let rest = bytes::Bytes::from(std::mem::take(&mut held));
                    Some((Ok(rest), (stream, held, true, upstream, broke)))
                }
                None => {
                    let error = broke(&upstream, "it ended without %%EOF, so it is incomplete");
                    Some((Err(error), (stream, held, true, upstream, broke)))
                }
            }
        },
    )
}

/// `attachment` with a plain ASCII `filename` every browser reads and an
/// RFC 5987 `filename*` with the real name for those that can.
fn content_disposition(name: &str) -> HeaderValue {
    let value = format!(
        "attachment; filename=\"{}.pdf\"; filename*=UTF-8''{}.pdf",
        ascii_filename(name),
        encode_query_value(&unicode_filename(name))
    );
    HeaderValue::from_str(&value)
        .unwrap_or_else(|_| HeaderValue::from_static("attachment; filename=\"report.pdf\""))
}

/// The file name (without `.pdf`) a `Content-Disposition` value gives, as
/// the contract reads it (RFC 6266: `filename*` when it decodes, else
/// `filename`). `None` when it names nothing with a letter or digit in it.
/// The result is still to be made safe ([`content_disposition`] does).
fn disposition_filename(value: &[u8]) -> Option<String> {
    let name = disposition_file_name(&String::from_utf8_lossy(value))?;
    let name = name.trim();
    let stem = match name.len().checked_sub(4) {
        Some(cut) if name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(".pdf") => {
            &name[..cut]
        }
        _ => name,
    };
    stem.chars()
        .any(char::is_alphanumeric)
        .then(|| stem.to_owned())
}

/// The name in characters safe in any file system and in a quoted header
/// parameter; every run of anything else becomes one `_`.
fn ascii_filename(name: &str) -> String {
    let mut safe = String::new();
    for c in name.chars() {
        let keep = c.is_ascii_alphanumeric() || " -_.,()+".contains(c);
        if keep {
            if !(c == ' ' && safe.ends_with(' ')) {
                safe.push(c);
            }
        } else if !safe.ends_with('_') {
            safe.push('_');
        }
    }
    finish_filename(&safe)
}

/// The name with path separators replaced by `_`, and quotes and control
/// characters dropped.
fn unicode_filename(name: &str) -> String {
    let safe: String = name
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .map(|c| if matches!(c, '/' | '\\') { '_' } else { c })
        .collect();
    finish_filename(&safe)
}

fn finish_filename(name: &str) -> String {
    let trimmed: String = name
        .trim_matches(|c: char| c == ' ' || c == '.' || c == '_')
        .chars()
        .take(MAX_FILENAME_CHARS)
        .collect();
    let trimmed = trimmed.trim_end().to_owned();
    if trimmed.is_empty() {
        "report".to_owned()
    } else {
        trimmed
    }
}

/// The answer to `POST temporary-data`: CxReports' own, plus the handle
/// that proves the signed-in user stored it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct StoredTemporaryData {
    #[serde(flatten)]
    stored: TemporaryDataResponse,
    temp_data_handle: String,
}

/// `POST /api/cxreports/temporary-data {content, expiryDate?}`: stores data
/// for a report, answered with its `tempDataId` (for the preview) and a
/// `tempDataHandle` (for PDF exports, which take it from this user only).
async fn temporary_data(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    request: Request,
) -> Result<Json<StoredTemporaryData>> {
    let body = read_body(request, state.max_temp_data_bytes).await?;
    let body: TemporaryDataRequest = serde_json::from_slice(&body).map_err(|e| {
        BadRequest(format!(
            "the body must be JSON like {{\"content\": <any JSON>, \"expiryDate\": \"2026-01-01T00:00:00Z\"}}: {e}"
        ))
    })?;
    let stored = state.upstream.temporary_data(&body).await?;
    let expires_at = session::now().saturating_add(state.temp_data_handle_ttl.as_secs());
    let temp_data_handle =
        state
            .sessions
            .temp_data_handle(user.name(), stored.temp_data_id, expires_at)?;
    Ok(Json(StoredTemporaryData {
        stored,
        temp_data_handle,
    }))
}

async fn not_found(uri: Uri) -> BackendError {
    BackendError::NotFound(format!(
        "nothing at {}: this backend serves /api/cxreports/* (and /auth/* with the demo sign-in; see its README)",
        uri.path()
    ))
}

async fn method_not_allowed() -> BackendError {
    BackendError::MethodNotAllowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_are_safe_and_keep_what_they_can() {
        assert_eq!(ascii_filename("Standard Invoice"), "Standard Invoice");
        assert_eq!(
            ascii_filename("Quarterly <b>Revenue</b> & Margin"),
            "Quarterly _b_Revenue_b_ _ Margin"
        );
        assert_eq!(
            ascii_filename("Zürich \"Q3\" summary"),
            "Z_rich _Q3_ summary"
        );
        assert_eq!(ascii_filename("../../etc/passwd"), "etc_passwd");
        assert_eq!(ascii_filename("東京"), "report");
        assert_eq!(ascii_filename(&"a".repeat(300)).len(), MAX_FILENAME_CHARS);
        assert_eq!(unicode_filename("a/b\"c\"\n\\d"), "a_bc_d");
        let value = content_disposition("Zürich \"Q3\"");
        assert_eq!(
            value.to_str().unwrap(),
            "attachment; filename=\"Z_rich _Q3.pdf\"; filename*=UTF-8''Z%C3%BCrich%20Q3.pdf"
        );
    }

    fn named(value: &str) -> Option<String> {
        disposition_filename(value.as_bytes())
    }

    #[test]
    fn the_upstream_file_name_loses_its_pdf_and_must_name_something() {
        // How RFC 6266 is read is the contract's (`disposition_file_name`,
        // tested there); the backend drops `.pdf`, in any case, and wants a
        // letter or digit in what is left.
        assert_eq!(
            named(r#"attachment; filename="Q3 \"final\".pdf""#).as_deref(),
            Some(r#"Q3 "final""#)
        );
        assert_eq!(
            named("inline; filename=report-101.PDF").as_deref(),
            Some("report-101")
        );
        assert_eq!(
            named("attachment; filename*=UTF-8''Z%C3%BCrich%20%22Q3%22.pdf; filename=\"Z.pdf\"")
                .as_deref(),
            Some("Zürich \"Q3\"")
        );
        assert_eq!(
            named("attachment; filename*=UTF-8''bad%2; filename=\"fallback.pdf\"").as_deref(),
            Some("fallback")
        );
        for none in [
            "attachment",
            "",
            "attachment; filename=\"\"",
            "attachment; filename=\".pdf\"",
            "inline; filename=\"/../\"",
        ] {
            assert_eq!(named(none), None, "{none:?}");
        }
        // Raw UTF-8 in a quoted filename, as some servers send it.
        assert_eq!(
            disposition_filename("attachment; filename=\"Zürich.pdf\"".as_bytes()).as_deref(),
            Some("Zürich")
        );
    }

    #[test]
    fn an_upstream_file_name_is_made_safe_before_it_is_passed_on() {
        let passed_on = |value: &str| {
            content_disposition(&named(value).unwrap())
                .to_str()
                .unwrap()
                .to_owned()
        };
        // Path traversal, in either form, and separators of both kinds.
        assert_eq!(
            passed_on("attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd.pdf"),
            "attachment; filename=\"etc_passwd.pdf\"; filename*=UTF-8''etc_passwd.pdf"
        );
        assert_eq!(
            passed_on(r#"attachment; filename="..\\..\\windows\\win.ini""#),
            "attachment; filename=\"windows_win.ini.pdf\"; filename*=UTF-8''windows_win.ini.pdf"
        );
        // Control characters and quotes never reach the header.
        assert_eq!(
            passed_on("attachment; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%22y.pdf"),
            "attachment; filename=\"a_Set-Cookie_ x_y.pdf\"; filename*=UTF-8''aSet-Cookie%3A%20xy.pdf"
        );
        // Bounded length.
        let long = format!("attachment; filename*=UTF-8''{}.pdf", "%C3%BC".repeat(500));
        let value = passed_on(&long);
        assert_eq!(
            value.matches("%C3%BC").count(),
            MAX_FILENAME_CHARS,
            "{value}"
        );
    }

    #[test]
    fn the_pdf_query_keeps_known_keys_and_drops_the_rest() {
        let query = PdfQuery {
            params: Some("eyJ5ZWFyIjoyMDI2fQ".into()),
            data: Some("[1]".into()),
            temp_data_id: Some("7".into()),
            timezone: Some("Europe/Belgrade".into()),
            lang: Some(String::new()),
            ..PdfQuery::default()
        };
        assert_eq!(
            upstream_pdf_query(query).unwrap(),
            "params=%7B%22year%22%3A2026%7D&data=%5B1%5D&tempDataId=7&timezone=Europe%2FBelgrade"
        );
        assert_eq!(upstream_pdf_query(PdfQuery::default()).unwrap(), "");
        for bad in [
            PdfQuery {
                params: Some("[1]".into()),
                ..PdfQuery::default()
            },
            PdfQuery {
                data: Some("{nope".into()),
                ..PdfQuery::default()
            },
            PdfQuery {
                temp_data_id: Some("x".into()),
                ..PdfQuery::default()
            },
        ] {
            assert_eq!(upstream_pdf_query(bad).unwrap_err().kind(), "bad_request");
        }
    }
}
