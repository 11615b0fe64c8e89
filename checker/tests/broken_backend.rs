//! The checker against a fixture host backend (axum, in-process, on
//! loopback) that is honest by default and can break each rule the checks
//! stand for, one switch at a time. The honest fixture must pass every
//! check; each broken one must fail its own check, and only that one.
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use cxreports_backend_check::{parse_args, run, CheckError, Command, Outcome, Report, CHECKS};
use serde_json::{json, Value};

/// The fixture's PAT: distinctive, so finding it anywhere means a leak.
const PAT: &str = "cxr_pat_FIXTURE_9b1e4c7d2a_LEAKCANARY";
/// The fixture's sessions: user a's, and user b's.
const SESSION: &str = "fixture_session=signed-in-user-0001";
const SESSION_B: &str = "fixture_session=signed-in-user-0002";
/// The honest fixture's nonce bucket: this many at once, refilled at this
/// many a second.
const NONCE_BURST: f64 = 20.0;

/// One switch per rule; all off is an honest backend.
#[derive(Debug, Clone, Copy, Default)]
struct Breaks {
    no_csrf_header: bool,
    no_origin_check: bool,
    /// Checks that a session cookie is there, not that it verifies.
    any_session_value: bool,
    /// A request with no cookie at all is a default user (a "dev mode").
    anonymous_allowed: bool,
    /// Compares Origin with the request's own Host, and serves any Host.
    origin_from_host: bool,
    /// Served by a listener without a header read timeout.
    no_header_timeout: bool,
    /// Any user's export takes any tempDataId.
    shared_temp_data: bool,
    /// Mints nonces without limit.
    no_rate_limit: bool,
    reused_nonce: bool,
    cacheable_nonce: bool,
    pat_in_header: bool,
    pat_in_error_body: bool,
    cors_star: bool,
    cors_star_credentials: bool,
    cors_reflect: bool,
    html_errors: bool,
    stack_traces: bool,
    rows_without_type_id: bool,
    type_filter_ignored: bool,
    viewer_reuses_nonce: bool,
    pdf_not_pdf: bool,
    no_pdf_route: bool,
    /// Not a break: POSTs also need this `X-CSRF-Token` (a host page
    /// passes it in the widget's `requestHeaders`).
    csrf_token: Option<&'static str>,
}

struct Fixture {
    breaks: Breaks,
    /// `http://127.0.0.1:PORT`: its own origin, the only one it allows.
    origin: String,
    issued: Mutex<HashSet<String>>,
    spent: Mutex<HashSet<String>>,
    /// Stored temporary data: id -> (owner, handle).
    temp_data: Mutex<HashMap<i64, (&'static str, String)>>,
    /// Nonce buckets per user: tokens left and when last counted.
    buckets: Mutex<HashMap<&'static str, (f64, Instant)>>,
}

type Shared = Arc<Fixture>;

const TYPES: &[(i64, &str, &str)] = &[(1, "Invoice", "invoice"), (2, "Sales summary", "sales")];

fn rows(fixture: &Fixture) -> Vec<Value> {
    let mut rows = vec![
        json!({"id": 101, "name": "Standard invoice", "reportTypeId": 1, "reportTypeName": "Invoice",
               "reportTemplateName": "Classic", "isDefault": true}),
        // As .NET writes empty fields: explicit nulls.
        json!({"id": 102, "name": "Compact invoice", "reportTypeId": 1, "reportTypeName": "Invoice",
               "reportTemplateName": null, "isDefault": null, "themeName": null, "previewImage": null}),
        json!({"id": 201, "name": "Monthly sales", "reportTypeId": 2, "reportTypeName": "Sales summary"}),
        json!({"id": 202, "name": "Yearly sales", "reportTypeId": 2, "reportTypeName": "Sales summary",
               "extraField": {"a": 1}}),
    ];
    if fixture.breaks.rows_without_type_id {
        if let Some(row) = rows[2].as_object_mut() {
            row.remove("reportTypeId");
        }
    }
    rows
}

fn error(fixture: &Fixture, status: StatusCode, message: &str) -> Response {
    let mut message = message.to_owned();
    if fixture.breaks.pat_in_error_body {
        // As a careless backend passes on a debug dump of its upstream call.
        let dump = STANDARD.encode(format!("Authorization: Bearer {PAT}"));
        message.push_str(&format!(" (upstream request: {dump})"));
    }
    if fixture.breaks.stack_traces {
        message.push_str(
            "\n    at Object.<anonymous> (/srv/app/node_modules/express/lib/router/index.js:284:7)",
        );
    }
    if fixture.breaks.html_errors {
        let page =
            format!("<!DOCTYPE html><html><body><h1>{status}</h1><p>{message}</p></body></html>");
        return (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            page,
        )
            .into_response();
    }
    (status, Json(json!({ "error": message }))).into_response()
}

/// Who the request's cookie signs in, if anyone.
fn user(fixture: &Fixture, headers: &HeaderMap) -> Option<&'static str> {
    let pairs: Vec<String> = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(|pair| pair.trim().to_owned())
        .collect();
    if pairs.is_empty() && fixture.breaks.anonymous_allowed {
        return Some("anonymous");
    }
    if pairs.iter().any(|pair| pair == SESSION) {
        return Some("a");
    }
    if pairs.iter().any(|pair| pair == SESSION_B) {
        return Some("b");
    }
    let any = pairs
        .iter()
        .any(|pair| pair.starts_with("fixture_session="));
    (any && fixture.breaks.any_session_value).then_some("a")
}

fn signed_in(fixture: &Fixture, headers: &HeaderMap) -> bool {
    user(fixture, headers).is_some()
}

/// The refusal of a request without the session, if it lacks one.
fn require_session(fixture: &Fixture, headers: &HeaderMap) -> Option<Response> {
    (!signed_in(fixture, headers))
        .then(|| error(fixture, StatusCode::UNAUTHORIZED, "sign in first"))
}

/// One nonce from `user`'s bucket, or the 429 that says when to retry.
fn take_nonce(fixture: &Fixture, user: &'static str) -> Option<Response> {
    if fixture.breaks.no_rate_limit {
        return None;
    }
    let mut buckets = fixture.buckets.lock().unwrap();
    let now = Instant::now();
    let (tokens, last) = buckets.entry(user).or_insert((NONCE_BURST, now));
    *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * NONCE_BURST).min(NONCE_BURST);
    *last = now;
    if *tokens >= 1.0 {
        *tokens -= 1.0;
        return None;
    }
    let mut response = error(fixture, StatusCode::TOO_MANY_REQUESTS, "too many nonces");
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    Some(response)
}

/// The refusal of a forgeable POST, if it is one.
fn csrf(fixture: &Fixture, headers: &HeaderMap) -> Option<Response> {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let own_host = fixture.origin.trim_start_matches("http://");
    if !fixture.breaks.origin_from_host && host != Some(own_host) {
        return Some(error(
            fixture,
            StatusCode::MISDIRECTED_REQUEST,
            "this host is not served here",
        ));
    }
    let requested_with = headers
        .get("x-requested-with")
        .is_some_and(|v| !v.is_empty());
    if !fixture.breaks.no_csrf_header && !requested_with {
        return Some(error(
            fixture,
            StatusCode::FORBIDDEN,
            "X-Requested-With is missing",
        ));
    }
    if let Some(token) = fixture.breaks.csrf_token {
        if headers.get("x-csrf-token").is_none_or(|v| v != token) {
            return Some(error(
                fixture,
                StatusCode::FORBIDDEN,
                "the CSRF token is missing",
            ));
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let own = if fixture.breaks.origin_from_host {
            // The rebinding mistake: "our own origin" read from Host.
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("");
            format!("http://{host}")
        } else {
            fixture.origin.clone()
        };
        if !fixture.breaks.no_origin_check && origin.as_bytes() != own.as_bytes() {
            return Some(error(fixture, StatusCode::FORBIDDEN, "origin not allowed"));
        }
    }
    None
}

fn random_nonce() -> String {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).unwrap();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn nonce(State(fixture): State<Shared>, headers: HeaderMap) -> Response {
    // CSRF first, as the reference backend: a forged POST learns nothing.
    if let Some(refused) = csrf(&fixture, &headers).or_else(|| require_session(&fixture, &headers))
    {
        return refused;
    }
    if let Some(refused) = user(&fixture, &headers).and_then(|user| take_nonce(&fixture, user)) {
        return refused;
    }
    let nonce = if fixture.breaks.reused_nonce {
        "fixed-nonce-0123456789abcdef".to_owned()
    } else {
        random_nonce()
    };
    fixture.issued.lock().unwrap().insert(nonce.clone());
    let mut response = Json(json!({ "nonce": nonce })).into_response();
    let cache = if fixture.breaks.cacheable_nonce {
        "public, max-age=300"
    } else {
        "no-store"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

async fn widget_config(State(fixture): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(refused) = require_session(&fixture, &headers) {
        return refused;
    }
    Json(json!({ "cxreportsUrl": fixture.origin, "workspace": "sales" })).into_response()
}

async fn report_types(State(fixture): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(refused) = require_session(&fixture, &headers) {
        return refused;
    }
    let types: Vec<Value> = TYPES
        .iter()
        .map(|(id, name, code)| json!({"id": id, "name": name, "code": code, "description": null}))
        .collect();
    Json(types).into_response()
}

async fn reports(
    State(fixture): State<Shared>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = require_session(&fixture, &headers) {
        return refused;
    }
    let mut rows = rows(&fixture);
    if let Some(code) = query.get("type") {
        let Some((id, _, _)) = TYPES.iter().find(|(_, _, c)| c == code) else {
            return error(&fixture, StatusCode::NOT_FOUND, "no such report type");
        };
        if !fixture.breaks.type_filter_ignored {
            rows.retain(|row| row["reportTypeId"] == json!(id));
        }
    }
    Json(rows).into_response()
}

async fn temporary_data(State(fixture): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(refused) = csrf(&fixture, &headers).or_else(|| require_session(&fixture, &headers))
    {
        return refused;
    }
    let owner = user(&fixture, &headers).unwrap_or("a");
    let mut stored = fixture.temp_data.lock().unwrap();
    let id = 500 + stored.len() as i64;
    let handle = format!("handle-{}", random_nonce());
    stored.insert(id, (owner, handle.clone()));
    Json(json!({"tempDataId": id, "expiryDate": "2099-01-01T00:00:00Z", "tempDataHandle": handle}))
        .into_response()
}

async fn pdf(
    State(fixture): State<Shared>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = require_session(&fixture, &headers) {
        return refused;
    }
    if let Some(temp) = query.get("tempDataId") {
        let stored = fixture.temp_data.lock().unwrap();
        let entry = temp.parse::<i64>().ok().and_then(|id| stored.get(&id));
        let Some((owner, handle)) = entry else {
            return error(&fixture, StatusCode::NOT_FOUND, "no such temporary data");
        };
        let mine =
            Some(*owner) == user(&fixture, &headers) && query.get("tempDataHandle") == Some(handle);
        if !mine && !fixture.breaks.shared_temp_data {
            return error(&fixture, StatusCode::FORBIDDEN, "not your temporary data");
        }
    }
    if !rows(&fixture)
        .iter()
        .any(|row| row["id"].as_i64() == id.parse().ok())
    {
        return error(&fixture, StatusCode::NOT_FOUND, "no such report");
    }
    if fixture.breaks.pdf_not_pdf {
        return (
            [(header::CONTENT_TYPE, "text/html")],
            "<html><body>Your session has expired</body></html>",
        )
            .into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"Standard invoice.pdf\"",
            ),
        ],
        &b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"[..],
    )
        .into_response()
}

/// The viewer, as CxReports shows it: a nonce opens it once.
async fn preview(
    State(fixture): State<Shared>,
    Path((workspace, report)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let accepted = query.get("nonce").is_some_and(|nonce| {
        fixture.issued.lock().unwrap().contains(nonce)
            && (fixture.spent.lock().unwrap().insert(nonce.clone())
                || fixture.breaks.viewer_reuses_nonce)
    });
    let html = [(header::CONTENT_TYPE, "text/html; charset=utf-8")];
    if accepted && workspace == "sales" {
        (
            html,
            format!("<!DOCTYPE html><title>Report {report}</title><h1>Report {report}</h1>"),
        )
            .into_response()
    } else {
        let page = "<!DOCTYPE html><form><input name=\"password\" type=\"password\"></form>";
        (StatusCode::UNAUTHORIZED, html, page).into_response()
    }
}

async fn not_found(State(fixture): State<Shared>) -> Response {
    error(&fixture, StatusCode::NOT_FOUND, "no such endpoint")
}

/// CORS (none when honest) and the leaky header, around everything.
async fn edge(State(fixture): State<Shared>, request: Request, next: Next) -> Response {
    let origin = request.headers().get(header::ORIGIN).cloned();
    let mut response = if request.method() == Method::OPTIONS {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    let allow = |headers: &mut HeaderMap, origin: HeaderValue, credentials: bool| {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if credentials {
            headers.insert(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
        }
    };
    let breaks = fixture.breaks;
    if breaks.cors_star || breaks.cors_star_credentials {
        allow(
            headers,
            HeaderValue::from_static("*"),
            breaks.cors_star_credentials,
        );
    } else if let (true, Some(origin)) = (breaks.cors_reflect, origin) {
        allow(headers, origin, true);
    }
    if breaks.pat_in_header {
        let value = HeaderValue::from_str(&format!("Bearer {PAT}")).unwrap();
        headers.insert("x-upstream-authorization", value);
    }
    response
}

/// Starts a fixture; answers its origin.
async fn start(breaks: Breaks) -> (String, Shared) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let fixture = Arc::new(Fixture {
        breaks,
        origin: origin.clone(),
        issued: Mutex::default(),
        spent: Mutex::default(),
        temp_data: Mutex::default(),
        buckets: Mutex::default(),
    });
    let mut api = Router::new()
        .route("/api/cxreports/nonce", post(nonce))
        .route("/api/cxreports/widget-config", get(widget_config))
        .route("/api/cxreports/report-types", get(report_types))
        .route("/api/cxreports/reports", get(reports))
        .route("/api/cxreports/temporary-data", post(temporary_data))
        .route("/ws/{ws}/reports/{report}/preview", get(preview));
    if !breaks.no_pdf_route {
        api = api.route("/api/cxreports/reports/{id}/pdf", get(pdf));
    }
    let app = api
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(fixture.clone(), edge))
        .with_state(fixture.clone());
    if breaks.no_header_timeout {
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    } else {
        let limits = cxreports_serve::Limits {
            header_read_timeout: Duration::from_millis(300),
            ..cxreports_serve::Limits::default()
        };
        cxreports_serve::spawn(listener, app, limits);
    }
    (origin, fixture)
}

/// A PAT file like a mounted secret (with a trailing newline).
fn pat_file() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "cxreports-check-pat-{}-{}.txt",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, format!("{PAT}\n")).unwrap();
    path
}

/// The checker's options against `origin`, with `extra` arguments.
fn options(origin: &str, extra: &[&str]) -> cxreports_backend_check::Options {
    let base = format!("{origin}/api/cxreports");
    let mut args = vec!["--base", base.as_str()];
    args.extend_from_slice(extra);
    match parse_args(args) {
        Ok(Command::Run(options)) => *options,
        other => panic!("{other:?}"),
    }
}

/// Runs the checker, signed in and with the PAT file, against a fixture.
async fn check(breaks: Breaks) -> (Report, Shared) {
    let (origin, fixture) = start(breaks).await;
    let pat = pat_file();
    let pat_arg = pat.to_string_lossy().into_owned();
    let options = options(
        &origin,
        &[
            "--cookie",
            SESSION,
            "--cookie-b",
            SESSION_B,
            "--pat-file",
            &pat_arg,
            "--slow-client-secs",
            "3",
        ],
    );
    let report = run(&options).await.unwrap();
    let _ = std::fs::remove_file(&pat);
    (report, fixture)
}

fn failing(report: &Report) -> Vec<&'static str> {
    report
        .checks
        .iter()
        .filter(|c| c.outcome == Outcome::Fail)
        .map(|c| c.id)
        .collect()
}

/// Nothing the checker prints holds the PAT or a whole nonce.
fn assert_no_secrets(report: &Report, fixture: &Fixture) {
    for text in [report.to_text(), report.to_json_text()] {
        assert!(!text.contains(PAT), "{text}");
        assert!(!text.contains(&STANDARD.encode(PAT)[..20]), "{text}");
        for nonce in fixture.issued.lock().unwrap().iter() {
            assert!(
                !text.contains(nonce.as_str()),
                "nonce {nonce} printed: {text}"
            );
        }
        assert!(!text.contains("signed-in-user-0001"), "{text}");
    }
}

#[tokio::test]
async fn an_honest_backend_passes_every_check() {
    let (report, fixture) = check(Breaks::default()).await;
    let text = report.to_text();
    let ids: Vec<&str> = report.checks.iter().map(|c| c.id).collect();
    let all: Vec<&str> = CHECKS.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, all, "every check, once, in order:\n{text}");
    assert_eq!((report.failed(), report.skipped()), (0, 0), "{text}");
    assert_eq!(report.exit_code(), 0);
    assert!(
        text.ends_with(&format!("{} passed, 0 failed, 0 skipped\n", CHECKS.len())),
        "{text}"
    );
    let single_use = report.check("nonce.single_use").unwrap();
    assert!(single_use.detail.contains("second 401"), "{text}");
    assert!(
        report
            .check("reports.shape")
            .unwrap()
            .detail
            .contains("4 reports"),
        "{text}"
    );
    assert!(
        report
            .check("errors.json")
            .unwrap()
            .detail
            .starts_with("6 refusals"),
        "{text}"
    );
    assert_no_secrets(&report, &fixture);
}

#[tokio::test]
async fn each_broken_rule_fails_its_own_check() {
    let off = Breaks::default();
    let cases: Vec<(Breaks, &str, &str)> = vec![
        (
            Breaks {
                no_csrf_header: true,
                ..off
            },
            "csrf.header",
            "X-Requested-With",
        ),
        (
            Breaks {
                no_origin_check: true,
                ..off
            },
            "csrf.origin",
            "Origin",
        ),
        (
            Breaks {
                any_session_value: true,
                ..off
            },
            "auth.required",
            "with the cookie's values altered answered 200",
        ),
        (
            Breaks {
                anonymous_allowed: true,
                ..off
            },
            "auth.no_credentials",
            "without any credentials answered 200",
        ),
        (
            Breaks {
                origin_from_host: true,
                ..off
            },
            "host.rebinding",
            "DNS rebinding",
        ),
        (
            Breaks {
                no_header_timeout: true,
                ..off
            },
            "conn.slow_headers",
            "still open after 3 s",
        ),
        (
            Breaks {
                shared_temp_data: true,
                ..off
            },
            "tempdata.owner",
            "temporary data is shared",
        ),
        (
            Breaks {
                no_rate_limit: true,
                ..off
            },
            "nonce.rate_limit",
            "none refused",
        ),
        (
            Breaks {
                reused_nonce: true,
                ..off
            },
            "nonce.fresh",
            "same nonce",
        ),
        (
            Breaks {
                cacheable_nonce: true,
                ..off
            },
            "nonce.no_store",
            "Cache-Control: public, max-age=300",
        ),
        (
            Breaks {
                pat_in_header: true,
                ..off
            },
            "pat.absent",
            "x-upstream-authorization header",
        ),
        (
            Breaks {
                pat_in_error_body: true,
                ..off
            },
            "pat.absent",
            "(base64) in the body",
        ),
        (
            Breaks {
                cors_star: true,
                ..off
            },
            "cors.not_open",
            "session data",
        ),
        (
            Breaks {
                cors_star_credentials: true,
                ..off
            },
            "cors.not_open",
            "* with Access-Control-Allow-Credentials: true",
        ),
        (
            Breaks {
                cors_reflect: true,
                ..off
            },
            "cors.not_open",
            "foreign Origin https://cxreports-check.invalid echoed",
        ),
        (
            Breaks {
                html_errors: true,
                ..off
            },
            "errors.json",
            "an HTML page",
        ),
        (
            Breaks {
                stack_traces: true,
                ..off
            },
            "errors.no_internal",
            "a Node stack trace",
        ),
        (
            Breaks {
                rows_without_type_id: true,
                ..off
            },
            "reports.shape",
            "skip 1 of 4 rows; the first, row 2: \"reportTypeId\" is missing",
        ),
        (
            Breaks {
                type_filter_ignored: true,
                ..off
            },
            "reports.type_filter",
            "of other types",
        ),
        (
            Breaks {
                viewer_reuses_nonce: true,
                ..off
            },
            "nonce.single_use",
            "opened twice",
        ),
        (
            Breaks {
                pdf_not_pdf: true,
                ..off
            },
            "pdf.download",
            "an HTML page",
        ),
    ];
    for (breaks, id, says) in cases {
        let (report, fixture) = check(breaks).await;
        let text = report.to_text();
        assert_eq!(failing(&report), [id], "{breaks:?}:\n{text}");
        let detail = &report.check(id).unwrap().detail;
        assert!(
            detail.contains(says),
            "{breaks:?}: {id} should say {says:?}:\n{text}"
        );
        assert_eq!(report.exit_code(), 1, "{breaks:?}");
        assert!(text.contains(&format!("  FAIL  {id:<19}  ")), "{text}");
        assert_no_secrets(&report, &fixture);
    }
}

#[tokio::test]
async fn a_missing_pdf_route_is_skipped_not_failed() {
    let (report, _) = check(Breaks {
        no_pdf_route: true,
        ..Breaks::default()
    })
    .await;
    let text = report.to_text();
    assert_eq!(
        report.outcome("pdf.download"),
        Some(Outcome::Skip),
        "{text}"
    );
    assert!(
        report
            .check("pdf.download")
            .unwrap()
            .detail
            .contains("no PDF endpoint"),
        "{text}"
    );
    assert_eq!((report.failed(), report.exit_code()), (0, 0), "{text}");
    // The unknown report's PDF is not asked for without a PDF route.
    assert!(
        report
            .check("errors.json")
            .unwrap()
            .detail
            .starts_with("4 refusals"),
        "{text}"
    );
}

#[tokio::test]
async fn without_the_pat_file_a_leaked_bearer_token_still_fails() {
    let (origin, fixture) = start(Breaks {
        pat_in_header: true,
        ..Breaks::default()
    })
    .await;
    let report = run(&options(&origin, &["--cookie", SESSION]))
        .await
        .unwrap();
    assert_eq!(failing(&report), ["pat.absent"], "{}", report.to_text());
    assert!(report
        .check("pat.absent")
        .unwrap()
        .detail
        .contains("Bearer token in the x-upstream-authorization header"));
    assert_no_secrets(&report, &fixture);

    let (origin, _) = start(Breaks::default()).await;
    let report = run(&options(&origin, &["--cookie", SESSION]))
        .await
        .unwrap();
    let pat = report.check("pat.absent").unwrap();
    assert_eq!(pat.outcome, Outcome::Pass, "{}", report.to_text());
    assert!(pat.detail.contains("pass --pat-file"), "{}", pat.detail);
}

#[tokio::test]
async fn without_a_cookie_the_session_checks_say_what_to_pass() {
    let (origin, _) = start(Breaks::default()).await;
    let report = run(&options(&origin, &[])).await.unwrap();
    let text = report.to_text();
    assert_eq!(
        report.outcome("auth.required"),
        Some(Outcome::Skip),
        "{text}"
    );
    assert!(report
        .check("auth.required")
        .unwrap()
        .detail
        .contains("--cookie"));
    let shape = report.check("nonce.shape").unwrap();
    assert_eq!(shape.outcome, Outcome::Fail, "{text}");
    assert!(
        shape.detail.contains("401") && shape.detail.contains("--cookie"),
        "{text}"
    );
    // No widget-config without a session: single_use names the flags.
    assert!(
        report
            .check("nonce.single_use")
            .unwrap()
            .detail
            .contains("--cxreports-url"),
        "{text}"
    );
    // The CSRF rules come before the session and still show.
    assert_eq!(report.outcome("csrf.header"), Some(Outcome::Pass), "{text}");
    assert_eq!(report.exit_code(), 1);
}

#[tokio::test]
async fn request_headers_go_with_every_widget_call() {
    let breaks = Breaks {
        csrf_token: Some("t0k3n-from-the-page"),
        ..Breaks::default()
    };
    let (origin, _) = start(breaks).await;
    let report = run(&options(&origin, &["--cookie", SESSION]))
        .await
        .unwrap();
    assert_eq!(
        report.outcome("nonce.shape"),
        Some(Outcome::Fail),
        "{}",
        report.to_text()
    );
    let header = [
        "--cookie",
        SESSION,
        "--header",
        "X-CSRF-Token: t0k3n-from-the-page",
    ];
    let report = run(&options(&origin, &header)).await.unwrap();
    assert_eq!(report.failed(), 0, "{}", report.to_text());
}

#[tokio::test]
async fn flags_name_cxreports_when_there_is_no_widget_config() {
    let (origin, _) = start(Breaks::default()).await;
    let report = run(&options(
        &origin,
        &[
            "--cookie",
            SESSION,
            "--cxreports-url",
            &origin,
            "--workspace",
            "sales",
            "--report",
            "202",
        ],
    ))
    .await
    .unwrap();
    let single_use = report.check("nonce.single_use").unwrap();
    assert_eq!(single_use.outcome, Outcome::Pass, "{}", report.to_text());
    assert!(
        single_use.detail.contains("report 202"),
        "{}",
        single_use.detail
    );
    // A wrong workspace: the first load fails, and says what to check.
    let report = run(&options(
        &origin,
        &[
            "--cookie",
            SESSION,
            "--cxreports-url",
            &origin,
            "--workspace",
            "other",
        ],
    ))
    .await
    .unwrap();
    let single_use = report.check("nonce.single_use").unwrap();
    assert_eq!(single_use.outcome, Outcome::Fail, "{}", report.to_text());
    assert!(
        single_use.detail.contains("first load"),
        "{}",
        single_use.detail
    );
}

#[tokio::test]
async fn json_output_has_the_documented_shape() {
    let (report, _) = check(Breaks {
        html_errors: true,
        ..Breaks::default()
    })
    .await;
    let json = report.to_json();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec!["base", "checks", "failed", "passed", "skipped"];
    expected.sort();
    assert_eq!(keys, expected);
    assert!(json["base"].as_str().unwrap().ends_with("/api/cxreports"));
    let checks = json["checks"].as_array().unwrap();
    assert_eq!(checks.len(), CHECKS.len());
    for check in checks {
        let mut keys: Vec<&str> = check
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort();
        assert_eq!(keys, ["detail", "id", "outcome"], "{check}");
        assert!(
            ["pass", "fail", "skip"].contains(&check["outcome"].as_str().unwrap()),
            "{check}"
        );
        assert!(!check["detail"].as_str().unwrap().is_empty(), "{check}");
    }
    let count = |outcome: &str| checks.iter().filter(|c| c["outcome"] == outcome).count();
    assert_eq!(json["passed"], count("pass"));
    assert_eq!(json["failed"], count("fail"));
    assert_eq!(json["skipped"], count("skip"));
    assert_eq!(json["failed"], 1);
    let failed = checks.iter().find(|c| c["outcome"] == "fail").unwrap();
    assert_eq!(failed["id"], "errors.json");
    // The text form keeps the documented key order.
    let text = report.to_json_text();
    let order: Vec<usize> = [
        "\"base\"",
        "\"passed\"",
        "\"failed\"",
        "\"skipped\"",
        "\"checks\"",
    ]
    .iter()
    .map(|k| text.find(k).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), json);
}

#[tokio::test]
async fn a_backend_that_is_not_there_stops_the_run() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    match run(&options(&origin, &[])).await {
        Err(error @ CheckError::Unreachable { .. }) => {
            assert_eq!(error.exit_code(), 2);
            let message = error.to_string();
            assert!(
                message.contains("cannot reach the backend") && message.contains("--base"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    let missing = std::env::temp_dir().join("cxreports-check-no-such-pat-file");
    let options = options(&origin, &["--pat-file", &missing.to_string_lossy()]);
    assert!(matches!(
        run(&options).await,
        Err(CheckError::PatFile { .. })
    ));
}

/// Runs the binary (in a blocking thread, so the fixture keeps serving).
async fn binary(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_cxreports-backend-check"))
            .args(args)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn the_binary_exits_0_1_or_2() {
    let (honest, _) = start(Breaks::default()).await;
    let (broken, _) = start(Breaks {
        cacheable_nonce: true,
        ..Breaks::default()
    })
    .await;
    let args = |origin: &str, extra: &[&str]| {
        let mut args = vec![
            "--base".to_owned(),
            format!("{origin}/api/cxreports"),
            "--cookie".into(),
            SESSION.into(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };

    let out = binary(args(&honest, &[])).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("  PASS  nonce.shape  ") && stdout.contains(" passed, 0 failed, "),
        "{stdout}"
    );

    let out = binary(args(&broken, &["--json"])).await;
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["failed"], 1);
    assert!(json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == "nonce.no_store" && c["outcome"] == "fail"));

    let out = binary(vec!["--base".into()]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--base needs a value"));

    let out = binary(vec!["--help".into()]).await;
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage:"));

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let gone = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let out = binary(args(&gone, &[])).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot reach the backend"));
    assert!(out.stdout.is_empty());
}
