//! The browser-facing endpoints. Each one maps to exactly one fixed
//! CxReports call (or two, to check the allowlist), never to a path the
//! browser chose: this is not a proxy.
//!
//! One file a concern: [`sign_in`] (the demo sign-in), [`widget_config`]
//! and [`nonce`] (what the widget needs to start), [`lists`] (workspaces,
//! report types, reports), [`pdf`] with [`pdf_query`] and [`pdf_stream`]
//! (the export), [`temp_data`] (storing data for a report), [`body`]
//! (reading requests). This file puts them together.
mod body;
mod lists;
mod nonce;
mod pdf;
mod pdf_query;
mod pdf_stream;
mod sign_in;
mod temp_data;
mod widget_config;

use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, Uri};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};

use crate::allowlist::Allowlist;
use crate::auth::{self, Authenticator};
use crate::config::{BackendConfig, SignIn};
use crate::csrf::{self, Guard, Hosts, Origins};
use crate::error::{self, BackendError};
use crate::limits::NonceLimits;
use crate::session::SessionKeys;
use crate::upstream::Upstream;

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
        .route(
            "/api/cxreports/widget-config",
            get(widget_config::widget_config),
        )
        .route("/api/cxreports/nonce", post(nonce::nonce))
        .route("/api/cxreports/workspaces", get(lists::workspaces))
        .route("/api/cxreports/report-types", get(lists::report_types))
        .route("/api/cxreports/reports", get(lists::reports))
        .route("/api/cxreports/reports/{report}/pdf", get(pdf::pdf))
        .route(
            "/api/cxreports/temporary-data",
            post(temp_data::temporary_data),
        )
        .route_layer(middleware::from_fn_with_state(authenticator, auth::require));
    let mut app = Router::new()
        .merge(cxreports)
        .route("/healthz", get(health));
    // The demo sign-in signs in anyone: it exists only when asked for.
    if config.sign_in == SignIn::Demo {
        app = app
            .route("/auth/login", post(sign_in::login))
            .route("/auth/logout", post(sign_in::logout))
            .route("/auth/me", get(sign_in::me));
    }
    let app = app
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(middleware::from_fn_with_state(guard, csrf::guard))
        .layer(middleware::map_response(error::no_store));
    wrap(app).layer(csrf::cors(origins, cors_methods))
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "ok": true }))
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
