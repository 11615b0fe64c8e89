//! The backend's settings, read and validated once at the edge.
use std::fmt;
use std::path::Path;
use std::time::Duration;

use cxreports_contract::encode_path_segment;
use thiserror::Error;

use crate::origin::OriginPattern;
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
        Ok(config)
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
        ])
        .unwrap();
        assert_eq!(config.cxreports_url, "https://r.example.com/cx");
        assert_eq!(config.pat.expose(), "pat123");
        assert!(config.allowed_origins.is_empty());
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
