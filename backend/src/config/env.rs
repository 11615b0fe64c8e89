//! Reading [`BackendConfig`] from the environment: each variable in turn,
//! over the demo defaults.
use std::path::Path;
use std::time::Duration;

use cxreports_contract::encode_path_segment;
use cxreports_serve::{comma_list, parse_set, positive_number, switch as read_switch, NotUnicode};

use super::sign_in::read_sign_in;
use super::validate::{read_pat_file, validate_pat, validate_url};
use super::{BackendConfig, ConfigError, MAX_PAGE_SIZE, MIN_SESSION_SECRET_BYTES};
use crate::origin::{HostPattern, OriginPattern};

impl BackendConfig {
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
        Self::from_lookup(|var| {
            cxreports_serve::var(var).map_err(|NotUnicode(var)| ConfigError::NotUnicode(var))
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
            config.allowed_origins =
                checked_list(&origins, OriginPattern::parse, |value, reason| {
                    ConfigError::BadOrigin { value, reason }
                })?;
        }
        if let Some(secret) = get("BACKEND_SESSION_SECRET")? {
            if secret.len() < MIN_SESSION_SECRET_BYTES {
                return Err(ConfigError::ShortSessionSecret { len: secret.len() });
            }
            config.session_secret = Some(secret.into_bytes());
        }
        if let Some(ms) = get("CXREPORTS_TIMEOUT_MS")? {
            config.upstream_timeout = match positive_number(&ms) {
                Some(ms) => Duration::from_millis(ms),
                None => return Err(ConfigError::BadTimeout(ms)),
            };
        }
        if let Some(size) = get("CXREPORTS_PAGE_SIZE")? {
            config.page_size = match size.parse::<usize>() {
                Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
                _ => return Err(ConfigError::BadPageSize(size)),
            };
        }
        let number = |var: &'static str, example: u64| -> Result<Option<u64>, ConfigError> {
            parse_set(get(var)?, positive_number, |value| ConfigError::BadNumber {
                var,
                value,
                example,
            })
        };
        let switch = |var: &'static str| -> Result<Option<bool>, ConfigError> {
            parse_set(get(var)?, read_switch, |value| ConfigError::BadSwitch {
                var,
                value,
            })
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
            config.allowed_hosts = checked_list(&hosts, HostPattern::parse, |value, reason| {
                ConfigError::BadHost { value, reason }
            })?;
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

/// The entries of a comma-separated list, each one `check`ed; the first
/// that fails is `bad(entry, why)`.
fn checked_list<T>(
    text: &str,
    check: impl Fn(&str) -> Result<T, String>,
    bad: impl Fn(String, String) -> ConfigError,
) -> Result<Vec<String>, ConfigError> {
    comma_list(text)
        .map(|entry| match check(entry) {
            Ok(_) => Ok(entry.to_owned()),
            Err(why) => Err(bad(entry.to_owned(), why)),
        })
        .collect()
}
