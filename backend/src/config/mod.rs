//! The backend's settings, read and validated once at the edge.
//!
//! One file a concern: this one holds [`BackendConfig`] and its defaults
//! (the demo setup against the simulator); `env` reads it from the
//! environment; `sign_in` holds how users are known and reads those
//! variables; `validate` checks the URL and the PAT; `error` says what is
//! wrong and how to fix it.
mod env;
mod error;
mod sign_in;
mod validate;

use std::fmt;
use std::time::Duration;

use crate::secret::Secret;

pub use error::ConfigError;
pub(crate) use sign_in::decoding_key;
pub use sign_in::{ForwardAuth, Jwt, JwtKey, SignIn};

/// Where the demo simulator listens unless told otherwise.
pub(crate) const DEMO_CXREPORTS_URL: &str = "http://127.0.0.1:8081";
/// The simulator's public demo PAT (it guards nothing real). Only ever a
/// default when `CXREPORTS_URL` is unset, i.e. when talking to the simulator.
pub(crate) const DEMO_PAT: &str = "cxr_pat_demo_7f3a9c2e51b84d06a1e2f3c4d5b6a7980";
/// Origins the demo setup allows: any local port, for `trunk serve` and
/// friends.
const DEMO_ORIGINS: [&str; 2] = ["http://127.0.0.1:*", "http://localhost:*"];
const DEFAULT_WORKSPACE: &str = "sales";
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_MAX_TEMP_DATA_BYTES: usize = 256 * 1024;
/// The report list is asked for in pages of this many unless
/// `CXREPORTS_PAGE_SIZE` says otherwise.
pub(crate) const DEFAULT_PAGE_SIZE: usize = 200;
/// The largest page size the backend asks for (`CXREPORTS_PAGE_SIZE`).
pub(crate) const MAX_PAGE_SIZE: usize = 1000;
/// A shorter signing key would make forging a session cookie feasible.
const MIN_SESSION_SECRET_BYTES: usize = 32;
/// The same holds for an HS256 key signing the host app's JWTs.
const MIN_JWT_SECRET_BYTES: usize = 32;
/// Hosts the demo setup answers to: loopback, any port.
const DEMO_HOSTS: [&str; 3] = ["127.0.0.1:*", "localhost:*", "[::1]:*"];
const DEFAULT_EXPORT_TIMEOUT: Duration = Duration::from_secs(120);
const DEFAULT_NONCES_PER_MINUTE_PER_USER: u32 = 30;
const DEFAULT_NONCES_PER_MINUTE_PER_CLIENT: u32 = 300;
const DEFAULT_TEMP_DATA_HANDLE_TTL: Duration = Duration::from_secs(24 * 60 * 60);
const DEFAULT_FORWARD_AUTH_TIMEOUT: Duration = Duration::from_secs(3);
const DEFAULT_FORWARD_AUTH_CACHE: Duration = Duration::from_secs(5);

/// How the backend reaches CxReports and what it lets browsers see.
///
/// Build it with [`BackendConfig::from_env`] in a deployment, or
/// [`BackendConfig::simulator_default`] plus struct update syntax in tests.
/// `Debug` redacts the PAT and the session secret.
///
/// ```
/// use cxreports_backend::BackendConfig;
///
/// let config = BackendConfig {
///     cxreports_url: "http://127.0.0.1:9000".into(),
///     allowed_report_types: vec!["invoice".into()],
///     ..BackendConfig::simulator_default()
/// };
/// assert!(!format!("{config:?}").contains(config.pat.expose()));
/// ```
#[derive(Clone)]
pub struct BackendConfig {
    /// Base URL of CxReports, e.g. `https://reports.example.com` (a path
    /// prefix is kept). `CXREPORTS_URL`; default the demo simulator,
    /// `http://127.0.0.1:8081`.
    pub cxreports_url: String,
    /// The CxReports Personal Access Token. `CXREPORTS_PAT` or
    /// `CXREPORTS_PAT_FILE`; it never leaves the backend except as the
    /// `Authorization` header of calls to CxReports.
    pub pat: Secret,
    /// Workspace id or code every call is scoped to. `CXREPORTS_WORKSPACE`;
    /// default `sales`.
    pub workspace: String,
    /// Report-type codes browsers may list and export; empty: all.
    /// `CXREPORTS_ALLOWED_REPORT_TYPES`.
    pub allowed_report_types: Vec<String>,
    /// Report ids browsers may list and export; empty: all.
    /// `CXREPORTS_ALLOWED_REPORTS`.
    pub allowed_reports: Vec<i64>,
    /// Origins (`scheme://host[:port]`, or `scheme://host:*` for any port)
    /// allowed to call cross-origin with credentials and to POST.
    /// `BACKEND_ALLOWED_ORIGINS`.
    pub allowed_origins: Vec<String>,
    /// Key that signs session cookies; `None`: a random key per process
    /// (sessions then end with the process and do not cross instances).
    /// `BACKEND_SESSION_SECRET`.
    pub session_secret: Option<Vec<u8>>,
    /// Limit for each call to CxReports (connect, answer head, JSON body;
    /// for a streamed PDF, the longest pause between chunks).
    /// `CXREPORTS_TIMEOUT_MS`; default 10 s.
    pub upstream_timeout: Duration,
    /// Largest `temporary-data` request body accepted; default 256 KiB.
    pub max_temp_data_bytes: usize,
    /// How many reports the backend asks for per page of the report list
    /// (`limit`), 1 to 1000 (a value outside is taken as the nearest of
    /// the two). A CxReports that caps `limit` below it answers a short
    /// first page, which reads as the end of the list: keep it at most the
    /// server's maximum page size. `CXREPORTS_PAGE_SIZE`; default 200.
    pub page_size: usize,
    /// How users are known: see [`SignIn`].
    pub sign_in: SignIn,
    /// `Host` values served (`host[:port]`, or `host:*` for any port),
    /// besides the address the connection came in on (what a proxy in
    /// front sends by default). `BACKEND_ALLOWED_HOSTS`; default loopback
    /// hosts against the simulator, else the host of
    /// `BACKEND_PUBLIC_ORIGIN`.
    pub allowed_hosts: Vec<String>,
    /// The backend's own public origin (`https://app.example.com`), as
    /// browsers reach it; allowed as a page origin and read for the cookie
    /// prefix. `BACKEND_PUBLIC_ORIGIN`; default none.
    pub public_origin: Option<String>,
    /// The CxReports URL browsers load the viewer from, when it differs
    /// from `cxreports_url` (an internal address); `widget-config` shows
    /// this one. `CXREPORTS_PUBLIC_URL`; default `cxreports_url`.
    pub public_cxreports_url: Option<String>,
    /// Session cookie always `Secure` and named `__Host-host_session`.
    /// `BACKEND_SECURE_COOKIES`; default on when `BACKEND_PUBLIC_ORIGIN` is
    /// https.
    pub secure_cookies: bool,
    /// Limit for a PDF export (the answer head, and each pause while it
    /// streams): reports can take long to render. `CXREPORTS_EXPORT_TIMEOUT_MS`;
    /// default 120 s.
    pub export_timeout: Duration,
    /// Nonces one user may mint per minute (also the burst).
    /// `BACKEND_NONCES_PER_MINUTE_PER_USER`; default 30.
    pub nonces_per_minute_per_user: u32,
    /// Nonces one client address may mint per minute (also the burst).
    /// `BACKEND_NONCES_PER_MINUTE_PER_CLIENT`; default 300.
    pub nonces_per_minute_per_client: u32,
    /// How long a temporary-data handle works.
    /// `BACKEND_TEMP_DATA_HANDLE_TTL_SECS`; default 86400 (a day).
    pub temp_data_handle_ttl: Duration,
}

impl fmt::Debug for BackendConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackendConfig")
            .field("cxreports_url", &self.cxreports_url)
            .field("pat", &self.pat)
            .field("workspace", &self.workspace)
            .field("allowed_report_types", &self.allowed_report_types)
            .field("allowed_reports", &self.allowed_reports)
            .field("allowed_origins", &self.allowed_origins)
            .field(
                "session_secret",
                &self.session_secret.as_ref().map(|_| "[redacted]"),
            )
            .field("upstream_timeout", &self.upstream_timeout)
            .field("max_temp_data_bytes", &self.max_temp_data_bytes)
            .field("page_size", &self.page_size)
            .field("sign_in", &self.sign_in)
            .field("allowed_hosts", &self.allowed_hosts)
            .field("public_origin", &self.public_origin)
            .field("public_cxreports_url", &self.public_cxreports_url)
            .field("secure_cookies", &self.secure_cookies)
            .field("export_timeout", &self.export_timeout)
            .field(
                "nonces_per_minute_per_user",
                &self.nonces_per_minute_per_user,
            )
            .field(
                "nonces_per_minute_per_client",
                &self.nonces_per_minute_per_client,
            )
            .field("temp_data_handle_ttl", &self.temp_data_handle_ttl)
            .finish()
    }
}

impl BackendConfig {
    /// The demo setup: the simulator at `http://127.0.0.1:8081` with its
    /// public demo PAT, workspace `sales`, no allowlist, local origins on
    /// any port, a random session key, 10 s timeout, 256 KiB data limit,
    /// report list pages of 200.
    ///
    /// ```
    /// use cxreports_backend::BackendConfig;
    /// let config = BackendConfig::simulator_default();
    /// assert_eq!(config.workspace, "sales");
    /// assert!(config.allowed_reports.is_empty());
    /// ```
    pub fn simulator_default() -> Self {
        BackendConfig {
            cxreports_url: DEMO_CXREPORTS_URL.to_owned(),
            pat: Secret::new(DEMO_PAT),
            workspace: DEFAULT_WORKSPACE.to_owned(),
            allowed_report_types: Vec::new(),
            allowed_reports: Vec::new(),
            allowed_origins: DEMO_ORIGINS.iter().map(|o| (*o).to_owned()).collect(),
            session_secret: None,
            upstream_timeout: DEFAULT_TIMEOUT,
            max_temp_data_bytes: DEFAULT_MAX_TEMP_DATA_BYTES,
            page_size: DEFAULT_PAGE_SIZE,
            sign_in: SignIn::Demo,
            allowed_hosts: DEMO_HOSTS.iter().map(|h| (*h).to_owned()).collect(),
            public_origin: None,
            public_cxreports_url: None,
            secure_cookies: false,
            export_timeout: DEFAULT_EXPORT_TIMEOUT,
            nonces_per_minute_per_user: DEFAULT_NONCES_PER_MINUTE_PER_USER,
            nonces_per_minute_per_client: DEFAULT_NONCES_PER_MINUTE_PER_CLIENT,
            temp_data_handle_ttl: DEFAULT_TEMP_DATA_HANDLE_TTL,
        }
    }
}

#[cfg(test)]
mod tests;
