//! Fault injection: make chosen paths misbehave on purpose, to test how a
//! client copes with slow, broken or hostile answers.
//!
//! [`install`] wraps any axum [`Router`] with a middleware that consults a
//! [`Faults`] registry, and adds the control routes:
//!
//! | request | effect |
//! |---|---|
//! | `POST /__faults` `{"path", "kind", "ms"?, "status"?, "times"?}` | adds a fault; `201 {"id": n}` |
//! | `GET /__faults` | lists the active faults |
//! | `DELETE /__faults` | clears them all and releases every held request; `{"cleared": n}` |
//!
//! `path` is a prefix of the request path, or a glob where `*` matches any
//! run of characters (`/`s included) and the whole path must match. The
//! first matching fault (oldest first) applies; with `times` it expires
//! after that many uses. A `hold` keeps its requests waiting until the
//! faults are cleared, so a client's in-between state (a spinner, say)
//! stays on screen exactly as long as whoever armed it needs, then they
//! are answered normally. The control paths (`/__faults`, `/__sim`) and CORS
//! preflights (`OPTIONS`) are never faulted, so a test can always clean up
//! and a browser still gets to see the injected answer.
//!
//! Apply any CORS layer *outside* `install` (after it, in builder order) so
//! that injected answers carry CORS headers too; otherwise a browser reports
//! every injected answer as a network error.
//!
//! ```
//! use axum::{routing::get, Router};
//! use cxreports_simulator::faults::{self, FaultKind, FaultSpec, Faults};
//!
//! let registry = Faults::new();
//! let app: Router = faults::install(
//!     Router::new().route("/api/nonce", get(|| async { "{}" })),
//!     registry.clone(),
//! );
//! let id = registry.add(FaultSpec::new("/api/*", FaultKind::Status).status(503).times(1))?;
//! assert_eq!(registry.list()[0].id, id);
//! # Ok::<(), faults::FaultError>(())
//! ```
use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use tokio::sync::watch;
use tower_http::cors::{Any, CorsLayer};

/// Latency when a `latency` fault names no `ms`.
pub const DEFAULT_LATENCY_MS: u64 = 1_000;
/// Status when a `status` fault names none.
pub const DEFAULT_STATUS: u16 = 500;
/// The longest a `stall` holds a connection (also its default); a client
/// that has not given up by then sees the connection cut.
pub const MAX_STALL_MS: u64 = 120_000;
/// Size of the `big` answer's padding string, in bytes.
pub const BIG_BYTES: usize = 1024 * 1024;

/// How a faulted request is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FaultKind {
    /// Wait `ms` (default [`DEFAULT_LATENCY_MS`]), then answer normally.
    Latency,
    /// Answer `status` (default [`DEFAULT_STATUS`]) with `{"error":"injected"}`.
    Status,
    /// Answer 200 with an HTML sign-in page, as an expired session might.
    Html,
    /// Answer 200 `application/json` whose body is cut short: `{"nonce": `.
    Malformed,
    /// Answer 200 `application/json` with an empty body.
    Empty,
    /// Send the status and headers, then never finish the body: hold the
    /// connection for `ms` (default and at most [`MAX_STALL_MS`]) or until
    /// the client gives up, then cut it.
    Stall,
    /// Close the connection without any answer (a network error).
    Drop,
    /// Answer 200 JSON of a shape no endpoint has: `{"unexpected": true}`.
    WrongShape,
    /// Answer 200 JSON of about 1 MiB: `{"padding": "xxx..."}`.
    Big,
    /// Answer 200 `{"nonce": ""}`: the right shape, but no nonce in it.
    EmptyNonce,
    /// Keep the request waiting until the faults are cleared
    /// (`DELETE /__faults`), then answer normally. `ms` (default and at most
    /// [`MAX_STALL_MS`]) bounds the wait, so a hold nobody releases still
    /// ends.
    Hold,
}

/// A fault to add: where, what, and how often.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSpec {
    /// Path prefix, or glob with `*` (then the whole path must match).
    pub path: String,
    /// What happens.
    pub kind: FaultKind,
    /// Optional; milliseconds for `latency` and `stall`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms: Option<u64>,
    /// Optional; the status for `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Optional; how many more requests it applies to. Absent: until cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
}

impl FaultSpec {
    /// A fault on `path` of `kind`, applying until cleared, with defaults.
    pub fn new(path: impl Into<String>, kind: FaultKind) -> Self {
        FaultSpec {
            path: path.into(),
            kind,
            ms: None,
            status: None,
            times: None,
        }
    }

    /// Sets `ms` (latency or stall duration).
    #[must_use]
    pub fn ms(mut self, ms: u64) -> Self {
        self.ms = Some(ms);
        self
    }

    /// Sets the status a `status` fault answers.
    #[must_use]
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Limits the fault to the next `times` matching requests.
    #[must_use]
    pub fn times(mut self, times: u32) -> Self {
        self.times = Some(times);
        self
    }
}

/// An active fault; `spec.times` counts down the uses left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fault {
    /// Id answered when it was added.
    pub id: u64,
    /// What it does; `times` is what is left.
    #[serde(flatten)]
    pub spec: FaultSpec,
}

/// A fault that cannot be added.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FaultError {
    /// The path pattern was empty or did not start with `/` or `*`.
    #[error("fault path {0:?} matches nothing: give a path prefix like \"/api/\" or a glob like \"/api/*/nonce\"")]
    BadPath(String),
    /// The status was not an HTTP status code.
    #[error("fault status {0} is not an HTTP status: use 100 to 599")]
    BadStatus(u16),
    /// `times` was 0, so the fault would never apply.
    #[error("fault `times` is 0, so it would never apply: leave it out for \"until cleared\"")]
    ZeroTimes,
}

/// The registry of active faults; clones share it.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    inner: Arc<Mutex<Registry>>,
}

#[derive(Debug)]
struct Registry {
    next_id: u64,
    faults: Vec<Fault>,
    /// How many times the faults were cleared: held requests wait for it to
    /// change.
    clears: watch::Sender<u64>,
}

impl Default for Registry {
    fn default() -> Self {
        Registry {
            next_id: 0,
            faults: Vec::new(),
            clears: watch::Sender::new(0),
        }
    }
}

/// A faulted request's fate: the fault, and for a `hold`, what releases it.
struct Taken {
    spec: FaultSpec,
    released: watch::Receiver<u64>,
}

impl Faults {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    // A panic elsewhere cannot leave the list half-written; keep using it.
    fn registry(&self) -> MutexGuard<'_, Registry> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a fault and answers its id.
    pub fn add(&self, spec: FaultSpec) -> Result<u64, FaultError> {
        if !(spec.path.starts_with('/') || spec.path.starts_with('*')) {
            return Err(FaultError::BadPath(spec.path));
        }
        if let Some(status) = spec.status {
            if !(100..=599).contains(&status) {
                return Err(FaultError::BadStatus(status));
            }
        }
        if spec.times == Some(0) {
            return Err(FaultError::ZeroTimes);
        }
        let mut registry = self.registry();
        registry.next_id += 1;
        let id = registry.next_id;
        registry.faults.push(Fault { id, spec });
        Ok(id)
    }

    /// Removes every fault and releases every held request; answers how
    /// many faults there were.
    pub fn clear(&self) -> usize {
        let mut registry = self.registry();
        let cleared = registry.faults.len();
        registry.faults.clear();
        registry.clears.send_modify(|clears| *clears += 1);
        cleared
    }

    /// The active faults, oldest first.
    pub fn list(&self) -> Vec<Fault> {
        self.registry().faults.clone()
    }

    /// The fault that applies to `path`, counting one use of it.
    fn take(&self, path: &str) -> Option<Taken> {
        let mut registry = self.registry();
        let index = registry
            .faults
            .iter()
            .position(|fault| path_matches(&fault.spec.path, path))?;
        // Subscribed under the same lock that `clear` takes: a clear after
        // this point is never missed.
        let released = registry.clears.subscribe();
        let fault = &mut registry.faults[index];
        let spec = fault.spec.clone();
        match &mut fault.spec.times {
            Some(1) => {
                registry.faults.remove(index);
            }
            Some(times) => *times -= 1,
            None => {}
        }
        Some(Taken { spec, released })
    }
}

/// A pattern without `*` is a prefix; with `*`, a glob over the whole path.
fn path_matches(pattern: &str, path: &str) -> bool {
    if !pattern.contains('*') {
        return path.starts_with(pattern);
    }
    // Classic wildcard matching with one backtrack point: linear enough for
    // URL paths.
    let (p, s) = (pattern.as_bytes(), path.as_bytes());
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
        } else if pi < p.len() && p[pi] == s[si] {
            pi += 1;
            si += 1;
        } else if let Some((star_pi, star_si)) = star {
            pi = star_pi + 1;
            si = star_si + 1;
            star = Some((star_pi, star_si + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// Paths of the test harness, never faulted.
pub(crate) fn is_control_path(path: &str) -> bool {
    path.starts_with("/__faults") || path.starts_with("/__sim")
}

/// Wraps `router` with the fault middleware and adds the `/__faults`
/// control routes (CORS open to any origin). See the [module docs](self).
pub fn install(router: Router, faults: Faults) -> Router {
    let control = Router::new()
        .route("/__faults", get(list).post(add).delete(clear))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST, Method::DELETE])
                .allow_headers([header::CONTENT_TYPE]),
        )
        .with_state(faults.clone());
    router
        .merge(control)
        .layer(middleware::from_fn_with_state(faults, inject))
}

fn json_error(status: StatusCode, message: String) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

async fn list(State(faults): State<Faults>) -> Response {
    Json(faults.list()).into_response()
}

async fn add(
    State(faults): State<Faults>,
    body: Result<Json<FaultSpec>, JsonRejection>,
) -> Response {
    let spec = match body {
        Ok(Json(spec)) => spec,
        Err(rejection) => {
            return json_error(
                StatusCode::BAD_REQUEST,
                format!(
                    "send JSON like {{\"path\": \"/api/*\", \"kind\": \"status\", \"status\": 503, \"times\": 1}} \
                     with kind one of latency, status, html, malformed, empty, stall, drop, wrongShape, big, emptyNonce, hold: {}",
                    rejection.body_text()
                ),
            )
        }
    };
    match faults.add(spec) {
        Ok(id) => (StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response(),
        Err(e) => json_error(StatusCode::BAD_REQUEST, e.to_string()),
    }
}

async fn clear(State(faults): State<Faults>) -> Response {
    Json(serde_json::json!({ "cleared": faults.clear() })).into_response()
}

fn json_body(status: StatusCode, body: impl Into<Body>) -> Response {
    let mut response = (status, body.into()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

async fn inject(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if request.method() == Method::OPTIONS || is_control_path(path) {
        return next.run(request).await;
    }
    let Some(Taken { spec, mut released }) = faults.take(path) else {
        return next.run(request).await;
    };
    match spec.kind {
        FaultKind::Hold => {
            let bound = Duration::from_millis(spec.ms.unwrap_or(MAX_STALL_MS).min(MAX_STALL_MS));
            // Released by a clear, or by the bound; either way answered.
            let _ = tokio::time::timeout(bound, released.changed()).await;
            next.run(request).await
        }
        FaultKind::Latency => {
            let ms = spec.ms.unwrap_or(DEFAULT_LATENCY_MS);
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(request).await
        }
        FaultKind::Status => {
            let status = spec
                .status
                .and_then(|s| StatusCode::from_u16(s).ok())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            json_error(status, "injected".to_owned())
        }
        FaultKind::Html => Html(crate::html::login_page()).into_response(),
        FaultKind::Malformed => json_body(StatusCode::OK, "{\"nonce\": "),
        FaultKind::Empty => json_body(StatusCode::OK, Body::empty()),
        FaultKind::WrongShape => json_body(StatusCode::OK, "{\"unexpected\": true}"),
        FaultKind::EmptyNonce => json_body(StatusCode::OK, "{\"nonce\": \"\"}"),
        FaultKind::Big => {
            let body = format!("{{\"padding\":\"{}\"}}", "x".repeat(BIG_BYTES));
            json_body(StatusCode::OK, body)
        }
        FaultKind::Stall => {
            let hold = Duration::from_millis(spec.ms.unwrap_or(MAX_STALL_MS).min(MAX_STALL_MS));
            // The stream yields nothing until `hold` has passed, and then an
            // error, so the body never completes; hyper has flushed the
            // head by then, so the client sees a started answer. If the
            // client leaves first, the stream is dropped with it.
            let stream = futures_util::stream::once(async move {
                tokio::time::sleep(hold).await;
                Err::<Bytes, io::Error>(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "fault injection: stall ended",
                ))
            });
            json_body(StatusCode::OK, Body::from_stream(stream))
        }
        FaultKind::Drop => {
            // A body that fails before its first byte makes hyper abort the
            // connection with the head still unsent: the client gets no
            // answer at all, which a browser reports as a network error.
            let stream = futures_util::stream::once(async {
                Err::<Bytes, io::Error>(io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "fault injection: drop",
                ))
            });
            json_body(StatusCode::OK, Body::from_stream(stream))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_globs_match_as_documented() {
        assert!(path_matches("/api/", "/api/v1/nonce-tokens"));
        assert!(!path_matches("/api/", "/ws/1"));
        assert!(path_matches("/api/*/nonce-tokens", "/api/v1/nonce-tokens"));
        assert!(path_matches("*nonce*", "/api/v1/nonce-tokens"));
        assert!(path_matches("/ws/*/preview", "/ws/sales/reports/7/preview"));
        assert!(!path_matches("/ws/*/preview", "/ws/sales/reports/7/pdf"));
        assert!(path_matches("/a*b*c", "/axxbyyc"));
        assert!(!path_matches("/a*b*c", "/axxbyyd"));
        assert!(path_matches("*", "/anything"));
    }

    #[test]
    fn times_counts_down_and_expires() {
        let faults = Faults::new();
        faults
            .add(FaultSpec::new("/x", FaultKind::Empty).times(2))
            .unwrap();
        assert!(faults.take("/x").is_some());
        assert_eq!(faults.list()[0].spec.times, Some(1));
        assert!(faults.take("/x").is_some());
        assert!(faults.take("/x").is_none());
        assert!(faults.list().is_empty());
    }

    #[test]
    fn a_hold_waits_for_the_next_clear() {
        let faults = Faults::new();
        faults
            .add(FaultSpec::new("/x", FaultKind::Hold).times(1))
            .unwrap();
        let taken = faults.take("/x").unwrap();
        assert_eq!(taken.spec.kind, FaultKind::Hold);
        // Other faults come and go; only a clear releases it.
        faults.add(FaultSpec::new("/y", FaultKind::Empty)).unwrap();
        assert!(!taken.released.has_changed().unwrap());
        faults.clear();
        assert!(taken.released.has_changed().unwrap());
    }

    #[test]
    fn bad_specs_are_refused_with_a_reason() {
        let faults = Faults::new();
        assert!(matches!(
            faults.add(FaultSpec::new("api", FaultKind::Empty)),
            Err(FaultError::BadPath(_))
        ));
        assert_eq!(
            faults.add(FaultSpec::new("/", FaultKind::Status).status(1000)),
            Err(FaultError::BadStatus(1000))
        );
        assert_eq!(
            faults.add(FaultSpec::new("/", FaultKind::Empty).times(0)),
            Err(FaultError::ZeroTimes)
        );
    }

    #[test]
    fn kinds_are_spelled_as_the_control_api_spells_them() {
        let spec: FaultSpec =
            serde_json::from_str(r#"{"path":"/a","kind":"wrongShape","times":3}"#).unwrap();
        assert_eq!(spec, FaultSpec::new("/a", FaultKind::WrongShape).times(3));
        assert!(serde_json::from_str::<FaultSpec>(r#"{"path":"/a","kind":"explode"}"#).is_err());
    }
}
