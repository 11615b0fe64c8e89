//! A faithful simulator of the CxReports API and report viewer, for
//! development, tests and the demo, where no real CxReports is reachable.
//!
//! It serves the contract of [`cxreports_contract`]: the PAT-protected
//! `/api/v1/...` endpoints over a seeded catalog, single-use nonces that
//! turn into an HttpOnly session cookie on the viewer, real PDFs, and
//! temporary data. On top it offers what tests need: a request and nonce
//! log (`/__sim/events`), run-time switches for how it answers anonymous
//! API calls (`/__sim/login-page`, `/__sim/auth-redirect`) and how its
//! viewer prints (`/__sim/viewer-print`), and [`faults`] injection
//! (`/__faults`).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use cxreports_simulator::{spawn, SimConfig, DEMO_PAT};
//!
//! let addr = spawn(SimConfig::default()).await?;
//! let workspaces_url = format!("http://{addr}/api/v1/workspaces");
//! // GET it with `Authorization: Bearer {DEMO_PAT}`.
//! # let _ = (workspaces_url, DEMO_PAT);
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod api;
mod catalog;
mod config;
pub mod faults;
mod html;
mod inputs;
mod introspection;
mod pdf;
mod state;
mod token;
mod viewer;

use std::net::SocketAddr;

use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{middleware, Json, Router};
use cxreports_contract::model::ApiError;

pub use config::{ConfigError, SameSite, SimConfig, ViewerPrint, MAX_EXTRA_REPORTS};

/// The PAT the simulator accepts unless `SIM_PATS` says otherwise. Public on
/// purpose: it guards nothing real.
pub const DEMO_PAT: &str = "cxr_pat_demo_7f3a9c2e51b84d06a1e2f3c4d5b6a7980";

/// The whole simulator as an axum app: API, viewer, introspection and
/// fault injection.
///
/// ```
/// let app: axum::Router = cxreports_simulator::router(Default::default());
/// # drop(app);
/// ```
pub fn router(config: SimConfig) -> Router {
    let sim = state::Sim::new(config);
    let app = Router::new()
        .merge(api::routes(sim.clone()))
        .merge(viewer::routes(sim.clone()))
        .fallback(not_found);
    faults::install(app, faults::Faults::new())
        .merge(introspection::routes(sim.clone()))
        // Outermost, so that faulted answers are logged too.
        .layer(middleware::from_fn_with_state(sim, introspection::record))
}

/// Binds `127.0.0.1` on a free port, serves [`router`] on it in a tokio
/// task, and answers the address. For tests: the server lives as long as
/// the runtime.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// let addr = cxreports_simulator::spawn(Default::default()).await?;
/// println!("simulator at http://{addr}");
/// # Ok(())
/// # }
/// ```
pub async fn spawn(config: SimConfig) -> std::io::Result<SocketAddr> {
    cxreports_serve::spawn_on_loopback(router(config), cxreports_serve::Limits::default()).await
}

async fn not_found(uri: Uri) -> Response {
    let message = format!(
        "nothing at {}: see the simulator's README for its endpoints",
        uri.path()
    );
    if uri.path().starts_with("/api/") {
        (StatusCode::NOT_FOUND, Json(ApiError { error: message })).into_response()
    } else {
        (StatusCode::NOT_FOUND, message).into_response()
    }
}
