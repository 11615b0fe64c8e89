//! The backend's settings, read and validated once at the edge.
use std::fmt;
use std::path::Path;
use std::time::Duration;

use cxreports_contract::encode_path_segment;
use jsonwebtoken::{Algorithm, DecodingKey};
use thiserror::Error;

use crate::origin::{HostPattern, OriginPattern};
use crate::secret::Secret;

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

/// How the backend learns who the signed-in user of the host application
/// is. Nothing under `/api/cxreports/` is served without one.
#[derive(Clone, PartialEq, Eq)]
pub enum SignIn {
    /// The demo sign-in: `POST /auth/login {"user"}` signs in any name and
    /// sets a signed session cookie. `BACKEND_DEMO_SIGN_IN=1`; the default
    /// only against the simulator (`CXREPORTS_URL` unset).
    Demo,
    /// Ask the host application: see [`ForwardAuth`].
    ForwardAuth(ForwardAuth),
    /// A JWT the host application issued: see [`Jwt`].
    Jwt(Jwt),
    /// The application that mounts [`crate::router`] puts a [`crate::User`]
    /// in each request's extensions itself, from its own session; a request
    /// without one is refused with 401. Set in code only.
    Application,
}

impl fmt::Debug for SignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignIn::Demo => f.write_str("Demo"),
            SignIn::ForwardAuth(forward) => f.debug_tuple("ForwardAuth").field(forward).finish(),
            SignIn::Jwt(jwt) => f.debug_tuple("Jwt").field(jwt).finish(),
            SignIn::Application => f.write_str("Application"),
        }
    }
}

impl SignIn {
    /// A short name for logs and the startup line.
    pub fn name(&self) -> &'static str {
        match self {
            SignIn::Demo => "demo sign-in (POST /auth/login)",
            SignIn::ForwardAuth(_) => "forward auth",
            SignIn::Jwt(_) => "JWT",
            SignIn::Application => "the application's own",
        }
    }
}

/// Forward auth, as nginx `auth_request` and Traefik `forwardAuth` do it:
/// for each request the backend asks the host application's endpoint, with
/// the request's `Cookie` and `Authorization`, whether someone is signed in.
/// A 2xx answer means yes, and names the user in a header or a JSON field;
/// anything else means no (401).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardAuth {
    /// The endpoint, e.g. `http://app.internal/auth/check`.
    /// `BACKEND_FORWARD_AUTH_URL`.
    pub url: String,
    /// Answer header naming the user. `BACKEND_FORWARD_AUTH_USER_HEADER`;
    /// default `X-Auth-User`.
    pub user_header: String,
    /// Else, the field of a JSON answer naming the user.
    /// `BACKEND_FORWARD_AUTH_USER_FIELD`; default `user`.
    pub user_field: String,
    /// Limit for each call. `BACKEND_FORWARD_AUTH_TIMEOUT_MS`; default 3 s.
    pub timeout: Duration,
    /// How long a yes is remembered for the same credentials (kept as a
    /// hash); zero asks every time. `BACKEND_FORWARD_AUTH_CACHE_MS`;
    /// default 5 s.
    pub cache_ttl: Duration,
}

/// The key that checks the host application's JWTs.
#[derive(Clone, PartialEq, Eq)]
pub enum JwtKey {
    /// HS256 with a shared secret. `BACKEND_JWT_SECRET`.
    Hs256(Secret),
    /// RS256 with an RSA public key (PEM). `BACKEND_JWT_PUBLIC_KEY_FILE`.
    Rs256(Vec<u8>),
    /// ES256 with a P-256 public key (PEM). `BACKEND_JWT_PUBLIC_KEY_FILE`
    /// and `BACKEND_JWT_ALGORITHM=ES256`.
    Es256(Vec<u8>),
}

impl fmt::Debug for JwtKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JwtKey::Hs256(_) => "Hs256([redacted])",
            JwtKey::Rs256(_) => "Rs256(public key)",
            JwtKey::Es256(_) => "Es256(public key)",
        })
    }
}

/// A JWT from the host application, as `Authorization: Bearer <token>` or
/// in a cookie, checked with a configured key: signature, `exp` (required),
/// `nbf`, and `aud`/`iss` when configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwt {
    /// The key.
    pub key: JwtKey,
    /// Required `aud`. `BACKEND_JWT_AUDIENCE`; default none (not checked).
    pub audience: Option<String>,
    /// Required `iss`. `BACKEND_JWT_ISSUER`; default none (not checked).
    pub issuer: Option<String>,
    /// Cookie holding the token, when not sent as a bearer token.
    /// `BACKEND_JWT_COOKIE`; default none.
    pub cookie: Option<String>,
    /// Claim naming the user. `BACKEND_JWT_USER_CLAIM`; default `sub`.
    pub user_claim: String,
}

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

/// A setting the backend cannot use. Messages name the variable and the fix,
/// and never echo a secret.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// `CXREPORTS_URL` names a real CxReports but no PAT was given.
    #[error("CXREPORTS_URL is set ({url}) but no PAT is: set CXREPORTS_PAT, or CXREPORTS_PAT_FILE to a file holding it (the demo PAT is only assumed for the default simulator URL)")]
    MissingPat {
        /// The configured CxReports URL.
        url: String,
    },
    /// Both `CXREPORTS_PAT` and `CXREPORTS_PAT_FILE` were set.
    #[error("both CXREPORTS_PAT and CXREPORTS_PAT_FILE are set: keep one of them")]
    TwoPats,
    /// The PAT (from the named source) was empty.
    #[error("{source_name} gives an empty PAT: put the Personal Access Token from CxReports' user menu there")]
    EmptyPat {
        /// `CXREPORTS_PAT` or the file's path.
        source_name: String,
    },
    /// The PAT holds characters an HTTP header cannot carry.
    #[error("the PAT from {source_name} holds spaces or control characters, which cannot go in an Authorization header: copy the token again, without quotes")]
    BadPat {
        /// `CXREPORTS_PAT` or the file's path.
        source_name: String,
    },
    /// `CXREPORTS_PAT_FILE` could not be read.
    #[error("cannot read CXREPORTS_PAT_FILE {path}: {reason} (check the path and the file's permissions)")]
    PatFile {
        /// The file's path.
        path: String,
        /// Why it could not be read.
        reason: String,
    },
    /// `CXREPORTS_URL` is not an http(s) URL.
    #[error("CXREPORTS_URL={value:?} is not usable ({reason}): give the CxReports base URL, like https://reports.example.com")]
    BadUrl {
        /// What it held.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `CXREPORTS_WORKSPACE` cannot name a workspace.
    #[error("CXREPORTS_WORKSPACE={0:?} cannot name a workspace: give a workspace id or code, like sales")]
    BadWorkspace(String),
    /// An entry of `CXREPORTS_ALLOWED_REPORTS` is not a report id.
    #[error("CXREPORTS_ALLOWED_REPORTS lists {0:?}, which is not a report id: give comma-separated numbers, like 101,105")]
    BadReportId(String),
    /// An entry of `CXREPORTS_ALLOWED_REPORT_TYPES` cannot be a type code.
    #[error("CXREPORTS_ALLOWED_REPORT_TYPES lists {0:?}, which cannot be a report-type code: give comma-separated codes, like invoice,revenue")]
    BadTypeCode(String),
    /// An entry of `BACKEND_ALLOWED_ORIGINS` is not an origin.
    #[error("BACKEND_ALLOWED_ORIGINS lists {value:?}: {reason}")]
    BadOrigin {
        /// The entry.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `BACKEND_SESSION_SECRET` is too short to sign sessions safely.
    #[error("BACKEND_SESSION_SECRET is {len} bytes long: use at least 32 random bytes, e.g. the output of `openssl rand -hex 32`")]
    ShortSessionSecret {
        /// Its length in bytes.
        len: usize,
    },
    /// `CXREPORTS_TIMEOUT_MS` is not a positive number of milliseconds.
    #[error("CXREPORTS_TIMEOUT_MS={0:?} is not a whole number of milliseconds above 0: set it like CXREPORTS_TIMEOUT_MS=10000, or unset it for 10 s")]
    BadTimeout(String),
    /// `CXREPORTS_PAGE_SIZE` is not a whole number from 1 to 1000.
    #[error("CXREPORTS_PAGE_SIZE={0:?} is not a whole number from 1 to 1000: set it to at most the largest page (`limit`) your CxReports answers in full, like CXREPORTS_PAGE_SIZE=100, or unset it for 200")]
    BadPageSize(String),
    /// A real CxReports is configured but no way to know the user is.
    #[error("CXREPORTS_URL is set ({url}) but no sign-in is configured, so anyone could get nonces: set BACKEND_FORWARD_AUTH_URL (your app's endpoint that answers 2xx for a signed-in request), or BACKEND_JWT_SECRET / BACKEND_JWT_PUBLIC_KEY_FILE (the key of your app's JWTs); BACKEND_DEMO_SIGN_IN=1 signs in anyone, for trials only")]
    NoSignIn {
        /// The configured CxReports URL.
        url: String,
    },
    /// More than one sign-in was configured.
    #[error("more than one sign-in is configured ({0}): keep one of BACKEND_FORWARD_AUTH_URL, BACKEND_JWT_SECRET / BACKEND_JWT_PUBLIC_KEY_FILE, BACKEND_DEMO_SIGN_IN=1")]
    TwoSignIns(String),
    /// A sign-in setting is unusable.
    #[error("{var}: {reason}")]
    BadSignIn {
        /// The variable.
        var: &'static str,
        /// What is wrong and what to do.
        reason: String,
    },
    /// An entry of `BACKEND_ALLOWED_HOSTS` is not a host.
    #[error("BACKEND_ALLOWED_HOSTS lists {value:?}: {reason}")]
    BadHost {
        /// The entry.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A whole-number setting is out of range.
    #[error("{var}={value:?} is not a whole number above 0: set it like {var}={example}, or unset it for the default")]
    BadNumber {
        /// The variable.
        var: &'static str,
        /// What it held.
        value: String,
        /// A value that would do.
        example: u64,
    },
    /// A yes/no setting is neither.
    #[error("{var}={value:?} is neither on nor off: set it to 1 or 0")]
    BadSwitch {
        /// The variable.
        var: &'static str,
        /// What it held.
        value: String,
    },
    /// A variable held bytes that are not Unicode.
    #[error("{0} holds text that is not valid Unicode: set it to plain text")]
    NotUnicode(&'static str),
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

    /// Reads the configuration from the environment. With nothing set it is
    /// [`BackendConfig::simulator_default`]; setting `CXREPORTS_URL` drops
    /// every demo default that could be wrong for a real CxReports (the demo
    /// PAT and the local origins).
    ///
    /// | variable | meaning | default |
    /// |---|---|---|
    /// | `CXREPORTS_URL` | CxReports base URL | `http://127.0.0.1:8081` |
    /// | `CXREPORTS_PAT` | the PAT | demo PAT, only if `CXREPORTS_URL` is unset |
    /// | `CXREPORTS_PAT_FILE` | file holding the PAT (surrounding whitespace trimmed) | |
    /// | `CXREPORTS_WORKSPACE` | workspace id or code | `sales` |
    /// | `CXREPORTS_ALLOWED_REPORT_TYPES` | comma-separated type codes | all |
    /// | `CXREPORTS_ALLOWED_REPORTS` | comma-separated report ids | all |
    /// | `BACKEND_ALLOWED_ORIGINS` | comma-separated origins, `:*` = any port | local origins if `CXREPORTS_URL` is unset, else none |
    /// | `BACKEND_SESSION_SECRET` | session signing key, ≥ 32 bytes | random per process |
    /// | `CXREPORTS_TIMEOUT_MS` | upstream timeout | 10000 |
    /// | `CXREPORTS_PAGE_SIZE` | reports per page of the report list (`limit`), 1 to 1000; at most the server's maximum page size | 200 |
    /// | `CXREPORTS_PUBLIC_URL` | CxReports URL browsers use, if not `CXREPORTS_URL` | `CXREPORTS_URL` |
    /// | `CXREPORTS_EXPORT_TIMEOUT_MS` | limit of a PDF export | 120000 |
    /// | `BACKEND_DEMO_SIGN_IN` | `1`: the demo sign-in (anyone) | on only if `CXREPORTS_URL` is unset |
    /// | `BACKEND_FORWARD_AUTH_URL` | the host app's endpoint answering 2xx when signed in | |
    /// | `BACKEND_FORWARD_AUTH_USER_HEADER` | its answer header naming the user | `X-Auth-User` |
    /// | `BACKEND_FORWARD_AUTH_USER_FIELD` | else its JSON answer's field | `user` |
    /// | `BACKEND_FORWARD_AUTH_TIMEOUT_MS` | limit of each call | 3000 |
    /// | `BACKEND_FORWARD_AUTH_CACHE_MS` | how long a yes is remembered | 5000 |
    /// | `BACKEND_JWT_SECRET` | HS256 key of the host app's JWTs, ≥ 32 bytes | |
    /// | `BACKEND_JWT_PUBLIC_KEY_FILE` | PEM public key of the host app's JWTs | |
    /// | `BACKEND_JWT_ALGORITHM` | `RS256` or `ES256`, with the key file | `RS256` |
    /// | `BACKEND_JWT_AUDIENCE` / `BACKEND_JWT_ISSUER` | required `aud` / `iss` | not checked |
    /// | `BACKEND_JWT_COOKIE` | cookie holding the JWT (else `Authorization: Bearer`) | |
    /// | `BACKEND_JWT_USER_CLAIM` | claim naming the user | `sub` |
    /// | `BACKEND_ALLOWED_HOSTS` | comma-separated `Host` values, `:*` = any port | loopback if `CXREPORTS_URL` is unset, else the host of `BACKEND_PUBLIC_ORIGIN` |
    /// | `BACKEND_PUBLIC_ORIGIN` | the backend's origin as browsers reach it | |
    /// | `BACKEND_SECURE_COOKIES` | `1`: `__Host-` cookie, always `Secure` | on if `BACKEND_PUBLIC_ORIGIN` is https |
    /// | `BACKEND_NONCES_PER_MINUTE_PER_USER` | nonces per user per minute | 30 |
    /// | `BACKEND_NONCES_PER_MINUTE_PER_CLIENT` | nonces per client address per minute | 300 |
    /// | `BACKEND_TEMP_DATA_HANDLE_TTL_SECS` | life of a temporary-data handle | 86400 |
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|var| match std::env::var(var) {
            Ok(value) => Ok(Some(value)),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError::NotUnicode(var)),
        })
    }

    /// [`BackendConfig::from_env`] over any source of variables, so the
    /// parsing is testable without touching the process environment.
    pub(crate) fn from_lookup(
        lookup: impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
    ) -> Result<Self, ConfigError> {
        // An empty variable counts as unset: `FOO= cmd` is a common way to
        // clear one.
        let get = |var: &'static str| -> Result<Option<String>, ConfigError> {
            Ok(lookup(var)?
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty()))
        };
        let mut config = BackendConfig::simulator_default();

        let url = get("CXREPORTS_URL")?;
        if let Some(url) = &url {
            config.cxreports_url = validate_url(url)?;
            config.allowed_origins.clear();
            config.allowed_hosts.clear();
        }

        let pat = match (get("CXREPORTS_PAT")?, get("CXREPORTS_PAT_FILE")?) {
            (Some(_), Some(_)) => return Err(ConfigError::TwoPats),
            (Some(pat), None) => Some((pat, "CXREPORTS_PAT".to_owned())),
            (None, Some(path)) => Some((read_pat_file(Path::new(&path))?, path)),
            (None, None) => None,
        };
        match pat {
            Some((pat, source_name)) => config.pat = validate_pat(pat, source_name)?,
            None if url.is_some() => {
                return Err(ConfigError::MissingPat {
                    url: config.cxreports_url,
                })
            }
            None => {}
        }

        if let Some(workspace) = get("CXREPORTS_WORKSPACE")? {
            if encode_path_segment(&workspace).is_err() {
                return Err(ConfigError::BadWorkspace(workspace));
            }
            config.workspace = workspace;
        }
        if let Some(types) = get("CXREPORTS_ALLOWED_REPORT_TYPES")? {
            config.allowed_report_types = comma_list(&types)
                .map(|code| match encode_path_segment(code) {
                    Ok(_) => Ok(code.to_owned()),
                    Err(_) => Err(ConfigError::BadTypeCode(code.to_owned())),
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(ids) = get("CXREPORTS_ALLOWED_REPORTS")? {
            config.allowed_reports = comma_list(&ids)
                .map(|id| {
                    id.parse::<i64>()
                        .map_err(|_| ConfigError::BadReportId(id.to_owned()))
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(origins) = get("BACKEND_ALLOWED_ORIGINS")? {
            config.allowed_origins = comma_list(&origins)
                .map(|origin| {
                    OriginPattern::parse(origin)
                        .map(|_| origin.to_owned())
                        .map_err(|reason| ConfigError::BadOrigin {
                            value: origin.to_owned(),
                            reason,
                        })
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(secret) = get("BACKEND_SESSION_SECRET")? {
            if secret.len() < MIN_SESSION_SECRET_BYTES {
                return Err(ConfigError::ShortSessionSecret { len: secret.len() });
            }
            config.session_secret = Some(secret.into_bytes());
        }
        if let Some(ms) = get("CXREPORTS_TIMEOUT_MS")? {
            config.upstream_timeout = match ms.parse::<u64>() {
                Ok(ms) if ms > 0 => Duration::from_millis(ms),
                _ => return Err(ConfigError::BadTimeout(ms)),
            };
        }
        if let Some(size) = get("CXREPORTS_PAGE_SIZE")? {
            config.page_size = match size.parse::<usize>() {
                Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
                _ => return Err(ConfigError::BadPageSize(size)),
            };
        }
        let number = |var: &'static str, example: u64| -> Result<Option<u64>, ConfigError> {
            match get(var)? {
                None => Ok(None),
                Some(value) => match value.parse::<u64>() {
                    Ok(n) if n > 0 => Ok(Some(n)),
                    _ => Err(ConfigError::BadNumber {
                        var,
                        value,
                        example,
                    }),
                },
            }
        };
        let switch = |var: &'static str| -> Result<Option<bool>, ConfigError> {
            match get(var)?.map(|v| v.to_ascii_lowercase()) {
                None => Ok(None),
                Some(v) if matches!(v.as_str(), "1" | "true" | "yes" | "on") => Ok(Some(true)),
                Some(v) if matches!(v.as_str(), "0" | "false" | "no" | "off") => Ok(Some(false)),
                Some(value) => Err(ConfigError::BadSwitch { var, value }),
            }
        };
        if let Some(public) = get("CXREPORTS_PUBLIC_URL")? {
            config.public_cxreports_url = Some(validate_url(&public).map_err(|e| match e {
                ConfigError::BadUrl { value, reason } => ConfigError::BadSignIn {
                    var: "CXREPORTS_PUBLIC_URL",
                    reason: format!("{value:?} is not usable ({reason}): give the CxReports URL browsers reach, like https://reports.example.com"),
                },
                other => other,
            })?);
        }
        if let Some(ms) = number("CXREPORTS_EXPORT_TIMEOUT_MS", 120_000)? {
            config.export_timeout = Duration::from_millis(ms);
        }
        if let Some(origin) = get("BACKEND_PUBLIC_ORIGIN")? {
            let pattern = OriginPattern::parse(&origin)
                .ok()
                .filter(OriginPattern::is_exact)
                .ok_or_else(|| ConfigError::BadOrigin {
                    value: origin.clone(),
                    reason: "BACKEND_PUBLIC_ORIGIN must be one origin, scheme://host[:port], like https://app.example.com".to_owned(),
                })?;
            if get("BACKEND_ALLOWED_HOSTS")?.is_none() {
                config.allowed_hosts.push(pattern.authority());
            }
            config.secure_cookies = pattern.is_https();
            config.public_origin = Some(origin.trim_end_matches('/').to_owned());
        }
        if let Some(hosts) = get("BACKEND_ALLOWED_HOSTS")? {
            config.allowed_hosts = comma_list(&hosts)
                .map(|host| {
                    HostPattern::parse(host)
                        .map(|_| host.to_owned())
                        .map_err(|reason| ConfigError::BadHost {
                            value: host.to_owned(),
                            reason,
                        })
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(secure) = switch("BACKEND_SECURE_COOKIES")? {
            config.secure_cookies = secure;
        }
        if let Some(n) = number("BACKEND_NONCES_PER_MINUTE_PER_USER", 30)? {
            config.nonces_per_minute_per_user = u32::try_from(n).unwrap_or(u32::MAX);
        }
        if let Some(n) = number("BACKEND_NONCES_PER_MINUTE_PER_CLIENT", 300)? {
            config.nonces_per_minute_per_client = u32::try_from(n).unwrap_or(u32::MAX);
        }
        if let Some(secs) = number("BACKEND_TEMP_DATA_HANDLE_TTL_SECS", 86_400)? {
            config.temp_data_handle_ttl = Duration::from_secs(secs);
        }
        config.sign_in = read_sign_in(&get, url.as_deref(), switch("BACKEND_DEMO_SIGN_IN")?)?;
        Ok(config)
    }
}

/// The sign-in the variables ask for: at most one of forward auth, JWT
/// and the demo; none at all is the demo against the simulator and an
/// error against a real CxReports.
fn read_sign_in(
    get: &dyn Fn(&'static str) -> Result<Option<String>, ConfigError>,
    url: Option<&str>,
    demo: Option<bool>,
) -> Result<SignIn, ConfigError> {
    let mut chosen = Vec::new();
    if let Some(forward) = read_forward_auth(get)? {
        chosen.push(SignIn::ForwardAuth(forward));
    }
    if let Some(jwt) = read_jwt(get)? {
        chosen.push(SignIn::Jwt(jwt));
    }
    if demo == Some(true) {
        chosen.push(SignIn::Demo);
    }
    match chosen.len() {
        0 if url.is_none() && demo != Some(false) => Ok(SignIn::Demo),
        0 => Err(ConfigError::NoSignIn {
            url: url.unwrap_or(DEMO_CXREPORTS_URL).to_owned(),
        }),
        1 => Ok(chosen.remove(0)),
        _ => Err(ConfigError::TwoSignIns(
            chosen
                .iter()
                .map(SignIn::name)
                .collect::<Vec<_>>()
                .join(", "),
        )),
    }
}

fn read_forward_auth(
    get: &dyn Fn(&'static str) -> Result<Option<String>, ConfigError>,
) -> Result<Option<ForwardAuth>, ConfigError> {
    let Some(url) = get("BACKEND_FORWARD_AUTH_URL")? else {
        return Ok(None);
    };
    let bad = |var: &'static str, reason: String| ConfigError::BadSignIn { var, reason };
    let url = validate_url(&url).map_err(|_| {
        bad(
            "BACKEND_FORWARD_AUTH_URL",
            format!("{url:?} is not an http(s) URL without user, query or fragment: give your app's check endpoint, like http://app.internal/auth/check"),
        )
    })?;
    let millis = |var: &'static str, default: Duration, zero_ok: bool| match get(var)? {
        None => Ok(default),
        Some(ms) => match ms.parse::<u64>() {
            Ok(ms) if ms > 0 || zero_ok => Ok(Duration::from_millis(ms)),
            _ => Err(bad(
                var,
                format!(
                    "{ms:?} is not a whole number of milliseconds{}",
                    if zero_ok { "" } else { " above 0" }
                ),
            )),
        },
    };
    let user_header =
        get("BACKEND_FORWARD_AUTH_USER_HEADER")?.unwrap_or_else(|| "X-Auth-User".to_owned());
    if axum::http::HeaderName::from_bytes(user_header.as_bytes()).is_err() {
        return Err(bad(
            "BACKEND_FORWARD_AUTH_USER_HEADER",
            format!("{user_header:?} is not a header name, like X-Auth-User"),
        ));
    }
    Ok(Some(ForwardAuth {
        url,
        user_header,
        user_field: get("BACKEND_FORWARD_AUTH_USER_FIELD")?.unwrap_or_else(|| "user".to_owned()),
        timeout: millis(
            "BACKEND_FORWARD_AUTH_TIMEOUT_MS",
            DEFAULT_FORWARD_AUTH_TIMEOUT,
            false,
        )?,
        cache_ttl: millis(
            "BACKEND_FORWARD_AUTH_CACHE_MS",
            DEFAULT_FORWARD_AUTH_CACHE,
            true,
        )?,
    }))
}

fn read_jwt(
    get: &dyn Fn(&'static str) -> Result<Option<String>, ConfigError>,
) -> Result<Option<Jwt>, ConfigError> {
    let bad = |var: &'static str, reason: String| ConfigError::BadSignIn { var, reason };
    let algorithm = get("BACKEND_JWT_ALGORITHM")?.map(|a| a.to_ascii_uppercase());
    let key = match (
        get("BACKEND_JWT_SECRET")?,
        get("BACKEND_JWT_PUBLIC_KEY_FILE")?,
    ) {
        (None, None) => return Ok(None),
        (Some(_), Some(_)) => {
            return Err(bad(
                "BACKEND_JWT_SECRET",
                "both it and BACKEND_JWT_PUBLIC_KEY_FILE are set: keep the one your app signs with"
                    .to_owned(),
            ))
        }
        (Some(secret), None) => {
            if algorithm.as_deref().is_some_and(|a| a != "HS256") {
                return Err(bad("BACKEND_JWT_ALGORITHM", "a BACKEND_JWT_SECRET is an HS256 key: set BACKEND_JWT_ALGORITHM=HS256 or unset it".to_owned()));
            }
            if secret.len() < MIN_JWT_SECRET_BYTES {
                return Err(bad(
                    "BACKEND_JWT_SECRET",
                    format!(
                        "it is {} bytes long: an HS256 key needs at least 32 random bytes",
                        secret.len()
                    ),
                ));
            }
            JwtKey::Hs256(Secret::new(secret))
        }
        (None, Some(path)) => {
            let pem = std::fs::read(&path).map_err(|e| {
                bad(
                    "BACKEND_JWT_PUBLIC_KEY_FILE",
                    format!("cannot read {path}: {e} (check the path and the file's permissions)"),
                )
            })?;
            let key = match algorithm.as_deref() {
                None | Some("RS256") => JwtKey::Rs256(pem),
                Some("ES256") => JwtKey::Es256(pem),
                Some(other) => {
                    return Err(bad(
                        "BACKEND_JWT_ALGORITHM",
                        format!("{other:?} is not supported with a key file: use RS256 or ES256"),
                    ))
                }
            };
            decoding_key(&key).map_err(|reason| {
                bad("BACKEND_JWT_PUBLIC_KEY_FILE", format!("{path}: {reason}"))
            })?;
            key
        }
    };
    Ok(Some(Jwt {
        key,
        audience: get("BACKEND_JWT_AUDIENCE")?,
        issuer: get("BACKEND_JWT_ISSUER")?,
        cookie: get("BACKEND_JWT_COOKIE")?,
        user_claim: get("BACKEND_JWT_USER_CLAIM")?.unwrap_or_else(|| "sub".to_owned()),
    }))
}

/// The `jsonwebtoken` key for a configured key, or why it cannot be read.
pub(crate) fn decoding_key(key: &JwtKey) -> Result<(DecodingKey, Algorithm), String> {
    match key {
        JwtKey::Hs256(secret) => DecodingKey::from_secret(secret.expose().as_bytes())
            .map(|key| (key, Algorithm::HS256))
            .map_err(|e| format!("the secret cannot be an HS256 key ({e})")),
        JwtKey::Rs256(pem) => DecodingKey::from_rsa_pem(pem)
            .map(|key| (key, Algorithm::RS256))
            .map_err(|e| format!("not an RSA public key in PEM ({e}): give the key your app's tokens are checked with, -----BEGIN PUBLIC KEY-----")),
        JwtKey::Es256(pem) => DecodingKey::from_ec_pem(pem)
            .map(|key| (key, Algorithm::ES256))
            .map_err(|e| format!("not an EC (P-256) public key in PEM ({e}): give the key your app's tokens are checked with, -----BEGIN PUBLIC KEY-----")),
    }
}

fn comma_list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

/// Checks the URL and answers it without a trailing `/`.
fn validate_url(url: &str) -> Result<String, ConfigError> {
    let bad = |reason: &str| ConfigError::BadUrl {
        value: url.to_owned(),
        reason: reason.to_owned(),
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| bad(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad("it must start with http:// or https://"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("it names no host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad(
            "it carries a user name or password; the PAT is the only credential, in CXREPORTS_PAT",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(bad("it has a query or fragment; give only the base URL"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

fn read_pat_file(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path)
        .map(|text| text.trim().to_owned())
        .map_err(|e| ConfigError::PatFile {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
}

fn validate_pat(pat: String, source_name: String) -> Result<Secret, ConfigError> {
    if pat.is_empty() {
        return Err(ConfigError::EmptyPat { source_name });
    }
    if !pat.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ConfigError::BadPat { source_name });
    }
    Ok(Secret::new(pat))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(vars: &[(&str, &str)]) -> Result<BackendConfig, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        BackendConfig::from_lookup(|var| Ok(vars.get(var).cloned()))
    }

    #[test]
    fn the_demo_pat_is_the_simulators() {
        assert_eq!(DEMO_PAT, cxreports_simulator::DEMO_PAT);
    }

    #[test]
    fn nothing_set_is_the_simulator_demo() {
        let config = read(&[]).unwrap();
        assert_eq!(config.cxreports_url, "http://127.0.0.1:8081");
        assert_eq!(config.pat.expose(), DEMO_PAT);
        assert_eq!(config.workspace, "sales");
        assert_eq!(
            config.allowed_origins,
            ["http://127.0.0.1:*", "http://localhost:*"]
        );
        assert_eq!(config.upstream_timeout, Duration::from_secs(10));
        assert_eq!(config.max_temp_data_bytes, 256 * 1024);
        assert_eq!(config.page_size, 200);
        assert_eq!(config.session_secret, None);
    }

    #[test]
    fn a_real_url_needs_a_real_pat_and_drops_the_demo_origins() {
        let err = read(&[("CXREPORTS_URL", "https://r.example.com")]).unwrap_err();
        assert!(matches!(err, ConfigError::MissingPat { .. }));
        assert!(err.to_string().contains("CXREPORTS_PAT"), "{err}");
        let config = read(&[
            ("CXREPORTS_URL", "https://r.example.com/cx/"),
            ("CXREPORTS_PAT", " pat123\n"),
            ("BACKEND_DEMO_SIGN_IN", "1"),
        ])
        .unwrap();
        assert_eq!(config.cxreports_url, "https://r.example.com/cx");
        assert_eq!(config.pat.expose(), "pat123");
        assert!(config.allowed_origins.is_empty());
        assert!(config.allowed_hosts.is_empty());
    }

    #[test]
    fn a_real_url_needs_a_sign_in_and_the_demo_one_only_on_request() {
        let real = [
            ("CXREPORTS_URL", "https://r.example.com"),
            ("CXREPORTS_PAT", "p"),
        ];
        let err = read(&real).unwrap_err();
        assert!(matches!(err, ConfigError::NoSignIn { .. }), "{err}");
        for needed in [
            "BACKEND_FORWARD_AUTH_URL",
            "BACKEND_JWT_SECRET",
            "BACKEND_DEMO_SIGN_IN=1",
        ] {
            assert!(err.to_string().contains(needed), "{err}");
        }
        assert_eq!(read(&[]).unwrap().sign_in, SignIn::Demo);
        let off = read(&[("BACKEND_DEMO_SIGN_IN", "0")]).unwrap_err();
        assert!(matches!(off, ConfigError::NoSignIn { .. }), "{off}");

        let with = |extra: &[(&'static str, &'static str)]| {
            let mut vars = real.to_vec();
            vars.extend_from_slice(extra);
            read(&vars)
        };
        let forward =
            with(&[("BACKEND_FORWARD_AUTH_URL", "http://app.internal/auth/check")]).unwrap();
        let SignIn::ForwardAuth(forward) = forward.sign_in else {
            panic!("{forward:?}")
        };
        assert_eq!(forward.user_header, "X-Auth-User");
        assert_eq!(forward.user_field, "user");
        assert_eq!(forward.timeout, Duration::from_secs(3));
        assert_eq!(forward.cache_ttl, Duration::from_secs(5));
        let secret = "0123456789abcdef0123456789abcdef";
        let jwt = with(&[
            ("BACKEND_JWT_SECRET", secret),
            ("BACKEND_JWT_AUDIENCE", "cx"),
            ("BACKEND_JWT_COOKIE", "token"),
        ])
        .unwrap();
        let SignIn::Jwt(jwt) = jwt.sign_in else {
            panic!("{jwt:?}")
        };
        assert_eq!(jwt.audience.as_deref(), Some("cx"));
        assert_eq!(jwt.user_claim, "sub");
        assert!(!format!("{jwt:?}").contains(secret));
        for (extra, var) in [
            (&[("BACKEND_JWT_SECRET", "short")][..], "BACKEND_JWT_SECRET"),
            (
                &[("BACKEND_FORWARD_AUTH_URL", "not a url")][..],
                "BACKEND_FORWARD_AUTH_URL",
            ),
            (
                &[
                    ("BACKEND_FORWARD_AUTH_URL", "http://a"),
                    ("BACKEND_FORWARD_AUTH_TIMEOUT_MS", "0"),
                ][..],
                "BACKEND_FORWARD_AUTH_TIMEOUT_MS",
            ),
            (
                &[("BACKEND_JWT_PUBLIC_KEY_FILE", "/nonexistent/key.pem")][..],
                "BACKEND_JWT_PUBLIC_KEY_FILE",
            ),
            (
                &[
                    ("BACKEND_JWT_SECRET", secret),
                    ("BACKEND_JWT_ALGORITHM", "RS256"),
                ][..],
                "BACKEND_JWT_ALGORITHM",
            ),
            (
                &[
                    ("BACKEND_FORWARD_AUTH_URL", "http://a"),
                    ("BACKEND_DEMO_SIGN_IN", "1"),
                ][..],
                "keep one",
            ),
            (
                &[("BACKEND_DEMO_SIGN_IN", "maybe")][..],
                "BACKEND_DEMO_SIGN_IN",
            ),
        ] {
            let err = with(extra).unwrap_err();
            assert!(err.to_string().contains(var), "{extra:?}: {err}");
        }
    }

    #[test]
    fn hosts_origins_and_cookies_follow_the_public_origin() {
        let config = read(&[]).unwrap();
        assert_eq!(
            config.allowed_hosts,
            ["127.0.0.1:*", "localhost:*", "[::1]:*"]
        );
        assert!(!config.secure_cookies);
        let config = read(&[
            ("CXREPORTS_URL", "http://cx.internal:5000"),
            ("CXREPORTS_PAT", "p"),
            ("BACKEND_DEMO_SIGN_IN", "1"),
            ("BACKEND_PUBLIC_ORIGIN", "https://app.example.com/"),
            ("CXREPORTS_PUBLIC_URL", "https://reports.example.com"),
        ])
        .unwrap();
        assert_eq!(config.allowed_hosts, ["app.example.com:443"]);
        assert_eq!(
            config.public_origin.as_deref(),
            Some("https://app.example.com")
        );
        assert_eq!(
            config.public_cxreports_url.as_deref(),
            Some("https://reports.example.com")
        );
        assert!(config.secure_cookies);
        let config = read(&[
            ("BACKEND_PUBLIC_ORIGIN", "https://app.example.com"),
            ("BACKEND_ALLOWED_HOSTS", "app.example.com, 10.0.0.5:8082"),
            ("BACKEND_SECURE_COOKIES", "0"),
        ])
        .unwrap();
        assert_eq!(config.allowed_hosts, ["app.example.com", "10.0.0.5:8082"]);
        assert!(!config.secure_cookies);
        for (var, value) in [
            ("BACKEND_PUBLIC_ORIGIN", "https://*.example.com:*"),
            ("BACKEND_ALLOWED_HOSTS", "a/b"),
            ("CXREPORTS_PUBLIC_URL", "ftp://x"),
            ("CXREPORTS_EXPORT_TIMEOUT_MS", "0"),
            ("BACKEND_NONCES_PER_MINUTE_PER_USER", "x"),
            ("BACKEND_NONCES_PER_MINUTE_PER_CLIENT", "-1"),
            ("BACKEND_TEMP_DATA_HANDLE_TTL_SECS", "0"),
        ] {
            let err = read(&[(var, value)]).unwrap_err();
            assert!(err.to_string().contains(var), "{var}={value}: {err}");
        }
        let config = read(&[
            ("CXREPORTS_EXPORT_TIMEOUT_MS", "300000"),
            ("BACKEND_NONCES_PER_MINUTE_PER_USER", "7"),
            ("BACKEND_NONCES_PER_MINUTE_PER_CLIENT", "70"),
            ("BACKEND_TEMP_DATA_HANDLE_TTL_SECS", "60"),
        ])
        .unwrap();
        assert_eq!(config.export_timeout, Duration::from_secs(300));
        assert_eq!(
            (
                config.nonces_per_minute_per_user,
                config.nonces_per_minute_per_client
            ),
            (7, 70)
        );
        assert_eq!(config.temp_data_handle_ttl, Duration::from_secs(60));
        assert_eq!(read(&[]).unwrap().export_timeout, Duration::from_secs(120));
    }

    #[test]
    fn every_variable_is_read() {
        let config = read(&[
            ("CXREPORTS_PAT", "p"),
            ("CXREPORTS_WORKSPACE", "ops"),
            ("CXREPORTS_ALLOWED_REPORT_TYPES", " invoice, revenue ,,"),
            ("CXREPORTS_ALLOWED_REPORTS", "101, 105"),
            (
                "BACKEND_ALLOWED_ORIGINS",
                "https://app.example.com,http://127.0.0.1:*",
            ),
            ("BACKEND_SESSION_SECRET", &"s".repeat(32)),
            ("CXREPORTS_TIMEOUT_MS", "250"),
            ("CXREPORTS_PAGE_SIZE", "50"),
        ])
        .unwrap();
        assert_eq!(config.workspace, "ops");
        assert_eq!(config.allowed_report_types, ["invoice", "revenue"]);
        assert_eq!(config.allowed_reports, [101, 105]);
        assert_eq!(
            config.allowed_origins,
            ["https://app.example.com", "http://127.0.0.1:*"]
        );
        assert_eq!(config.session_secret, Some(vec![b's'; 32]));
        assert_eq!(config.upstream_timeout, Duration::from_millis(250));
        assert_eq!(config.page_size, 50);
    }

    #[test]
    fn the_page_size_is_a_whole_number_from_1_to_1000() {
        assert_eq!(read(&[]).unwrap().page_size, 200);
        for (value, expected) in [("7", 7), (" 1 ", 1), ("1000", 1000)] {
            let config = read(&[("CXREPORTS_PAGE_SIZE", value)]).unwrap();
            assert_eq!(config.page_size, expected, "{value:?}");
        }
        // Empty counts as unset.
        assert_eq!(read(&[("CXREPORTS_PAGE_SIZE", "")]).unwrap().page_size, 200);
        for value in ["0", "1001", "x", "-5", "7.5", "99999999999999999999999"] {
            let err = read(&[("CXREPORTS_PAGE_SIZE", value)]).unwrap_err();
            assert_eq!(err, ConfigError::BadPageSize(value.to_owned()));
            assert_eq!(
                err.to_string(),
                format!(
                    "CXREPORTS_PAGE_SIZE={value:?} is not a whole number from 1 to 1000: set it \
                     to at most the largest page (`limit`) your CxReports answers in full, like \
                     CXREPORTS_PAGE_SIZE=100, or unset it for 200"
                )
            );
        }
    }

    #[test]
    fn the_pat_file_is_read_and_trimmed() {
        let path = std::env::temp_dir().join(format!("cxr-pat-test-{}", std::process::id()));
        std::fs::write(&path, "file_pat_value\n").unwrap();
        let path_text = path.display().to_string();
        let config = read(&[
            ("CXREPORTS_URL", "http://cx.internal:5000"),
            ("CXREPORTS_PAT_FILE", &path_text),
            ("BACKEND_DEMO_SIGN_IN", "1"),
        ])
        .unwrap();
        assert_eq!(config.pat.expose(), "file_pat_value");
        assert_eq!(
            read(&[("CXREPORTS_PAT_FILE", &path_text), ("CXREPORTS_PAT", "x")]).unwrap_err(),
            ConfigError::TwoPats
        );
        std::fs::remove_file(&path).unwrap();
        let err = read(&[("CXREPORTS_PAT_FILE", &path_text)]).unwrap_err();
        assert!(matches!(err, ConfigError::PatFile { .. }), "{err}");
    }

    #[test]
    fn bad_values_name_the_variable_and_never_echo_the_pat() {
        let err = read(&[("CXREPORTS_PAT", "secret value")]).unwrap_err();
        assert!(!err.to_string().contains("secret value"), "{err}");
        assert!(matches!(err, ConfigError::BadPat { .. }));
        for (var, value) in [
            ("CXREPORTS_URL", "ftp://x"),
            ("CXREPORTS_URL", "not a url"),
            ("CXREPORTS_URL", "https://user:pw@x"),
            ("CXREPORTS_URL", "https://x/?a=1"),
            ("CXREPORTS_WORKSPACE", ".."),
            ("CXREPORTS_ALLOWED_REPORTS", "101,abc"),
            ("CXREPORTS_ALLOWED_REPORT_TYPES", "invoice,.."),
            ("BACKEND_ALLOWED_ORIGINS", "app.example.com"),
            ("BACKEND_ALLOWED_ORIGINS", "https://a.example.com/path"),
            ("BACKEND_SESSION_SECRET", "short"),
            ("CXREPORTS_TIMEOUT_MS", "0"),
            ("CXREPORTS_TIMEOUT_MS", "10s"),
            ("CXREPORTS_PAGE_SIZE", "0"),
            ("CXREPORTS_PAGE_SIZE", "1001"),
            ("CXREPORTS_PAGE_SIZE", "x"),
        ] {
            let err = read(&[("CXREPORTS_PAT", "p"), (var, value)]).unwrap_err();
            assert!(err.to_string().contains(var), "{var}={value}: {err}");
        }
    }

    #[test]
    fn debug_redacts_both_secrets() {
        let config = BackendConfig {
            pat: Secret::new("pat-XYZZY"),
            session_secret: Some(b"session-PLUGH".to_vec()),
            ..BackendConfig::simulator_default()
        };
        let debug = format!("{config:?}");
        assert!(!debug.contains("XYZZY"), "{debug}");
        assert!(
            !debug.contains("PLUGH") && !debug.contains("115"),
            "{debug}"
        );
        assert!(debug.contains("[redacted]"));
    }
}
