//! The reference host backend for the CxReports widget: the piece that sits
//! beside your application, holds the CxReports Personal Access Token (PAT),
//! and gives the browser only what it needs.
//!
//! The browser never sees the PAT. It asks this backend for a single-use
//! nonce (`POST /api/cxreports/nonce`), which the widget puts in the
//! CxReports viewer URL of its iframe; lists and PDFs come through here too,
//! filtered by an allowlist. Every CxReports endpoint needs a user signed in
//! to the host application ([`SignIn`]: forward auth, a JWT, or the
//! application's own [`User`]; the demo login only when asked for), every
//! request must name a served `Host`, every `POST` passes a CSRF check,
//! nonces are rate-limited, and CORS is open only to the configured
//! origins.
//!
//! The backend is stateless: sessions are HMAC-signed cookies and nothing is
//! kept per user, so any number of instances can run behind any load
//! balancer, given one shared `BACKEND_SESSION_SECRET`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use cxreports_backend::{spawn, BackendConfig};
//!
//! let config = BackendConfig::from_env()?;
//! let addr = spawn(config).await?;
//! println!("backend at http://{addr}");
//! # Ok(())
//! # }
//! ```
//!
//! To mount it inside an existing axum app, set [`SignIn::Application`],
//! merge [`router`] and put a [`User`] in each request's extensions from
//! your own session (see [`User`] and the README).
#![deny(missing_docs)]
// Nothing from outside (network, config, browser) may panic the server.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

// Layering, top to bottom: each module uses (`use crate::...`) only modules
// listed below it, never one above, so there are no cycles.
//   (crate root, this file) -> auth, config, routes, secret
//   routes    -> allowlist, auth, config, csrf, error, limits, session, upstream
//   limits    -> auth, error
//   auth      -> config, error, session
//   session   -> error
//   csrf      -> error, origin
//   error     -> upstream
//   upstream  -> config, secret
//   config    -> origin, secret
//   allowlist -> (nothing)
//   origin    -> (nothing)
//   secret    -> (nothing)
mod allowlist;
mod auth;
mod config;
mod csrf;
mod error;
mod limits;
mod origin;
mod routes;
mod secret;
mod session;
mod upstream;

use std::net::SocketAddr;

use axum::http::Method;

pub use auth::User;
pub use config::{BackendConfig, ConfigError, ForwardAuth, Jwt, JwtKey, SignIn};
pub use cxreports_serve::Limits;
pub use secret::Secret;

/// The backend as an axum app: `/auth/*` (the demo login), `/api/cxreports/*`
/// and `/healthz`, with the CSRF guard and CORS applied.
///
/// ```
/// use cxreports_backend::{router, BackendConfig};
/// let app: axum::Router = router(BackendConfig::simulator_default());
/// # drop(app);
/// ```
pub fn router(config: BackendConfig) -> axum::Router {
    routes::app(config, |app| app, &[Method::GET, Method::POST])
}

/// [`router`] with the simulator's fault injection mounted inside CORS, so
/// tests can make the backend's own endpoints slow or broken through
/// `/__faults` and browsers still read the injected answers (CORS then also
/// allows `DELETE`, for `DELETE /__faults`). Test builds only (feature
/// `fault-injection`): never deploy it.
///
/// ```
/// use cxreports_backend::{router_with_faults, BackendConfig};
/// use cxreports_simulator::faults::Faults;
/// let app = router_with_faults(BackendConfig::simulator_default(), Faults::new());
/// # drop(app);
/// ```
#[cfg(feature = "fault-injection")]
pub fn router_with_faults(
    config: BackendConfig,
    faults: cxreports_simulator::faults::Faults,
) -> axum::Router {
    // DELETE only for clearing faults (`DELETE /__faults`) from a browser.
    routes::app(
        config,
        |app| cxreports_simulator::faults::install(app, faults),
        &[Method::GET, Method::POST, Method::DELETE],
    )
}

/// Binds `127.0.0.1` on a free port, serves [`router`] there in a tokio
/// task, and answers the address. For tests and embedding: the server lives
/// as long as the runtime.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use cxreports_backend::{spawn, BackendConfig};
/// let addr = spawn(BackendConfig::simulator_default()).await?;
/// println!("backend at http://{addr}");
/// # Ok(())
/// # }
/// ```
pub async fn spawn(config: BackendConfig) -> std::io::Result<SocketAddr> {
    spawn_with_limits(config, Limits::default()).await
}

/// [`spawn`] with the listener's time and connection limits given, as
/// `BACKEND_HEADER_TIMEOUT_MS` and friends set them for the binary.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use std::time::Duration;
/// use cxreports_backend::{spawn_with_limits, BackendConfig, Limits};
/// let limits = Limits { header_read_timeout: Duration::from_secs(2), ..Limits::default() };
/// let addr = spawn_with_limits(BackendConfig::simulator_default(), limits).await?;
/// # Ok(())
/// # }
/// ```
pub async fn spawn_with_limits(
    config: BackendConfig,
    limits: Limits,
) -> std::io::Result<SocketAddr> {
    cxreports_serve::spawn_on_loopback(router(config), limits).await
}
