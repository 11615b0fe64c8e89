//! The simulator's settings, validated once at the edge.
use std::str::FromStr;
use std::time::Duration;

use cxreports_serve::{comma_list, parse_set, positive_number, switch, NotUnicode};
use thiserror::Error;

use crate::DEMO_PAT;

/// The `SameSite` attribute of the viewer's session cookie.
///
/// `Lax` is what browsers assume anyway; `None` lets the cookie ride in a
/// cross-site iframe (the widget on another site than CxReports) and
/// therefore also needs `Secure`, which the simulator then adds.
///
/// ```
/// use cxreports_simulator::SameSite;
/// assert_eq!("none".parse::<SameSite>(), Ok(SameSite::None));
/// assert_eq!(SameSite::default(), SameSite::Lax);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SameSite {
    /// `SameSite=Lax` (the default).
    #[default]
    Lax,
    /// `SameSite=Strict`.
    Strict,
    /// `SameSite=None; Secure`.
    None,
}

impl SameSite {
    /// The attribute value as it appears in `Set-Cookie`.
    pub fn as_str(self) -> &'static str {
        match self {
            SameSite::Lax => "Lax",
            SameSite::Strict => "Strict",
            SameSite::None => "None",
        }
    }
}

impl FromStr for SameSite {
    type Err = ConfigError;

    /// Reads `lax`, `strict` or `none`, in any letter case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "lax" => Ok(SameSite::Lax),
            "strict" => Ok(SameSite::Strict),
            "none" => Ok(SameSite::None),
            _ => Err(ConfigError::BadSameSite(text.to_owned())),
        }
    }
}

/// How the viewer prints when asked to (its `#print-button`, or a window
/// message `"print"` from its parent).
///
/// Browsers never let a page call `print()` on a cross-origin frame, so a
/// viewer that only asks its parent to print cannot be printed from a host
/// page on another origin.
///
/// ```
/// use cxreports_simulator::ViewerPrint;
/// assert_eq!("parent".parse::<ViewerPrint>(), Ok(ViewerPrint::Parent));
/// assert_eq!(ViewerPrint::default().as_str(), "self");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ViewerPrint {
    /// `self` (the default): the viewer calls `window.print()` in its own
    /// frame, then posts `"printed"` to its parent.
    #[default]
    Frame,
    /// `parent`: the viewer posts `"print"` to its parent and leaves the
    /// printing to it, as the vendor's demo viewer does.
    Parent,
}

impl ViewerPrint {
    /// The setting's value, as `SIM_VIEWER_PRINT` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ViewerPrint::Frame => "self",
            ViewerPrint::Parent => "parent",
        }
    }
}

impl FromStr for ViewerPrint {
    type Err = ConfigError;

    /// Reads `self` or `parent`, in any letter case.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "self" => Ok(ViewerPrint::Frame),
            "parent" => Ok(ViewerPrint::Parent),
            _ => Err(ConfigError::BadViewerPrint(text.to_owned())),
        }
    }
}

/// The most reports `SIM_EXTRA_REPORTS` may add.
pub const MAX_EXTRA_REPORTS: usize = 100_000;

/// How the simulator behaves. Build it with [`SimConfig::default`] (and
/// struct update syntax) in tests, or [`SimConfig::from_env`] in the binary.
///
/// ```
/// use std::time::Duration;
/// use cxreports_simulator::{SimConfig, DEMO_PAT};
///
/// let config = SimConfig { nonce_ttl: Duration::from_secs(1), ..SimConfig::default() };
/// assert_eq!(config.pats, vec![DEMO_PAT.to_owned()]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimConfig {
    /// Personal access tokens the API accepts as `Authorization: Bearer <PAT>`.
    /// Default: `[DEMO_PAT]`.
    pub pats: Vec<String>,
    /// How long an unspent nonce stays valid. Default: 60 s.
    pub nonce_ttl: Duration,
    /// How long the viewer's session cookie stays valid. Default: 1 h.
    pub session_ttl: Duration,
    /// `SameSite` of the session cookie. Default: `Lax`; switchable at run
    /// time through `POST /__sim/session-cookie`.
    pub same_site: SameSite,
    /// Set the session cookie `Partitioned` (and therefore `Secure`), as a
    /// CxReports on another site than its host pages must for browsers
    /// that block third-party cookies: the browser then keeps one cookie
    /// per top-level site. Default: `false`; switchable at run time through
    /// `POST /__sim/session-cookie`.
    pub partitioned: bool,
    /// Answer unauthenticated API calls with an HTML login page and status
    /// 200, as some CxReports deployments do, instead of a JSON 401.
    /// Default: `false`; switchable at run time through `POST /__sim/login-page`.
    pub login_page_200: bool,
    /// How long temporary data lives when the request names no `expiryDate`.
    /// Default: 1 h.
    pub temp_data_ttl: Duration,
    /// Answer unauthenticated API calls with `302 Found` to
    /// `/Account/Login?ReturnUrl=...` (a sign-in page the simulator serves),
    /// as older ASP.NET servers do. Takes precedence over `login_page_200`.
    /// Default: `false`; switchable at run time through
    /// `POST /__sim/auth-redirect`.
    pub auth_redirect: bool,
    /// Write every empty optional field of the list answers as an explicit
    /// `null`, as .NET serializers do: `description`, `defaultReportId`,
    /// `defaultReportName`, `previewImage`, `themeName`, and
    /// `reportTemplateName` when empty, `isDefault` when false.
    /// Default: `false` (such fields are left out).
    pub explicit_nulls: bool,
    /// How many reports `GET /api/v1/ws/{ws}/reports` answers when the
    /// request names no `limit`. Default: `None` (all of them).
    pub default_page_size: Option<usize>,
    /// How many generated reports to add to the `sales` workspace (ids from
    /// 1001), so that paging has something to page. At most
    /// [`MAX_EXTRA_REPORTS`]. Default: 0.
    pub extra_reports: usize,
    /// How the viewer prints. Default: [`ViewerPrint::Frame`]; switchable at
    /// run time through `POST /__sim/viewer-print`.
    pub viewer_print: ViewerPrint,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            pats: vec![DEMO_PAT.to_owned()],
            nonce_ttl: Duration::from_secs(60),
            session_ttl: Duration::from_secs(3600),
            same_site: SameSite::Lax,
            partitioned: false,
            login_page_200: false,
            temp_data_ttl: Duration::from_secs(3600),
            auth_redirect: false,
            explicit_nulls: false,
            default_page_size: None,
            extra_reports: 0,
            viewer_print: ViewerPrint::Frame,
        }
    }
}

/// A setting in the environment that the simulator cannot use.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// `SIM_PATS` was set but named no token.
    #[error("SIM_PATS is set but lists no token: give one or more comma-separated PATs, or unset it to accept the demo PAT")]
    NoPats,
    /// A duration variable was not a whole number of seconds above zero.
    #[error("{var}={value:?} is not a whole number of seconds above 0: set it like {var}=60, or unset it for the default")]
    BadSeconds {
        /// The variable's name.
        var: &'static str,
        /// What it held.
        value: String,
    },
    /// `SIM_SAME_SITE` was not one of the three values.
    #[error("SIM_SAME_SITE={0:?} is not a SameSite value: use lax, strict or none")]
    BadSameSite(String),
    /// A boolean variable was not a boolean.
    #[error("{var}={value:?} is not a boolean: use true or false")]
    BadBool {
        /// The variable's name.
        var: &'static str,
        /// What it held.
        value: String,
    },
    /// A count variable was not a whole number in its range.
    #[error("{var}={value:?} is not a whole number from {min} to {max}: set it like {var}={min}, or unset it for the default")]
    BadCount {
        /// The variable's name.
        var: &'static str,
        /// What it held.
        value: String,
        /// The smallest value allowed.
        min: usize,
        /// The largest value allowed.
        max: usize,
    },
    /// `SIM_VIEWER_PRINT` was not one of the two values.
    #[error("SIM_VIEWER_PRINT={0:?} is not a print mode: use self (the viewer prints itself) or parent (it asks its parent)")]
    BadViewerPrint(String),
    /// A variable held bytes that are not Unicode.
    #[error("{0} holds text that is not valid Unicode: set it to plain ASCII")]
    NotUnicode(&'static str),
}

impl SimConfig {
    /// Reads the configuration from the environment; unset variables keep
    /// their defaults.
    ///
    /// | variable | meaning | default |
    /// |---|---|---|
    /// | `SIM_PATS` | comma-separated PATs the API accepts | [`DEMO_PAT`] |
    /// | `SIM_NONCE_TTL_SECS` | nonce lifetime, seconds | 60 |
    /// | `SIM_SESSION_TTL_SECS` | viewer session lifetime, seconds | 3600 |
    /// | `SIM_TEMP_DATA_TTL_SECS` | temporary data lifetime when none is asked, seconds | 3600 |
    /// | `SIM_SAME_SITE` | `lax`, `strict` or `none` | `lax` |
    /// | `SIM_LOGIN_PAGE_200` | `true`: unauthenticated API calls get an HTML page with 200 | `false` |
    /// | `SIM_AUTH_REDIRECT` | `true`: unauthenticated API calls get `302` to `/Account/Login?ReturnUrl=...` | `false` |
    /// | `SIM_EXPLICIT_NULLS` | `true`: empty optional fields of lists are written as `null` | `false` |
    /// | `SIM_DEFAULT_PAGE_SIZE` | reports answered when a list request names no `limit` | all |
    /// | `SIM_EXTRA_REPORTS` | generated reports added to `sales` (0 to 100000) | 0 |
    /// | `SIM_VIEWER_PRINT` | `self` (the viewer prints itself) or `parent` (it asks its parent) | `self` |
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|var| {
            cxreports_serve::var(var).map_err(|NotUnicode(var)| ConfigError::NotUnicode(var))
        })
    }

    /// [`SimConfig::from_env`] over any source of variables, so that the
    /// parsing is testable without touching the process environment.
    fn from_lookup(
        lookup: impl Fn(&'static str) -> Result<Option<String>, ConfigError>,
    ) -> Result<Self, ConfigError> {
        let mut config = SimConfig::default();
        if let Some(pats) = lookup("SIM_PATS")? {
            let pats: Vec<String> = comma_list(&pats).map(str::to_owned).collect();
            if pats.is_empty() {
                return Err(ConfigError::NoPats);
            }
            config.pats = pats;
        }
        let seconds = |var: &'static str, default: Duration| -> Result<Duration, ConfigError> {
            let secs = parse_set(lookup(var)?, positive_number, |value| {
                ConfigError::BadSeconds { var, value }
            })?;
            Ok(secs.map_or(default, Duration::from_secs))
        };
        config.nonce_ttl = seconds("SIM_NONCE_TTL_SECS", config.nonce_ttl)?;
        config.session_ttl = seconds("SIM_SESSION_TTL_SECS", config.session_ttl)?;
        config.temp_data_ttl = seconds("SIM_TEMP_DATA_TTL_SECS", config.temp_data_ttl)?;
        if let Some(value) = lookup("SIM_SAME_SITE")? {
            config.same_site = value.parse()?;
        }
        let boolean = |var: &'static str, default: bool| -> Result<bool, ConfigError> {
            match lookup(var)? {
                None => Ok(default),
                // Set but empty reads as off, as `SIM_X= cmd` clears it.
                Some(value) if value.trim().is_empty() => Ok(false),
                Some(value) => switch(&value).ok_or(ConfigError::BadBool { var, value }),
            }
        };
        config.partitioned = boolean("SIM_PARTITIONED", config.partitioned)?;
        config.login_page_200 = boolean("SIM_LOGIN_PAGE_200", config.login_page_200)?;
        config.auth_redirect = boolean("SIM_AUTH_REDIRECT", config.auth_redirect)?;
        config.explicit_nulls = boolean("SIM_EXPLICIT_NULLS", config.explicit_nulls)?;
        let count =
            |var: &'static str, min: usize, max: usize| -> Result<Option<usize>, ConfigError> {
                match lookup(var)? {
                    None => Ok(None),
                    Some(value) if value.trim().is_empty() => Ok(None),
                    Some(value) => match value.trim().parse::<usize>() {
                        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
                        _ => Err(ConfigError::BadCount {
                            var,
                            value,
                            min,
                            max,
                        }),
                    },
                }
            };
        config.default_page_size = count("SIM_DEFAULT_PAGE_SIZE", 1, usize::MAX)?;
        config.extra_reports = count("SIM_EXTRA_REPORTS", 0, MAX_EXTRA_REPORTS)?.unwrap_or(0);
        if let Some(value) = lookup("SIM_VIEWER_PRINT")? {
            config.viewer_print = value.parse()?;
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(vars: &[(&str, &str)]) -> Result<SimConfig, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        SimConfig::from_lookup(|var| Ok(vars.get(var).cloned()))
    }

    #[test]
    fn nothing_set_is_the_default() {
        assert_eq!(read(&[]).unwrap(), SimConfig::default());
    }

    #[test]
    fn every_variable_is_read() {
        let config = read(&[
            ("SIM_PATS", " a , b ,,"),
            ("SIM_NONCE_TTL_SECS", "5"),
            ("SIM_SESSION_TTL_SECS", "7"),
            ("SIM_TEMP_DATA_TTL_SECS", "9"),
            ("SIM_SAME_SITE", "None"),
            ("SIM_PARTITIONED", "on"),
            ("SIM_LOGIN_PAGE_200", "TRUE"),
            ("SIM_AUTH_REDIRECT", "1"),
            ("SIM_EXPLICIT_NULLS", "yes"),
            ("SIM_DEFAULT_PAGE_SIZE", " 7 "),
            ("SIM_EXTRA_REPORTS", "250"),
            ("SIM_VIEWER_PRINT", "Parent"),
        ])
        .unwrap();
        assert_eq!(config.pats, vec!["a", "b"]);
        assert_eq!(config.nonce_ttl, Duration::from_secs(5));
        assert_eq!(config.session_ttl, Duration::from_secs(7));
        assert_eq!(config.temp_data_ttl, Duration::from_secs(9));
        assert_eq!(config.same_site, SameSite::None);
        assert!(config.partitioned);
        assert!(config.login_page_200);
        assert!(config.auth_redirect);
        assert!(config.explicit_nulls);
        assert_eq!(config.default_page_size, Some(7));
        assert_eq!(config.extra_reports, 250);
        assert_eq!(config.viewer_print, ViewerPrint::Parent);
    }

    #[test]
    fn bad_values_name_the_variable_and_the_fix() {
        let err = read(&[("SIM_NONCE_TTL_SECS", "0")]).unwrap_err();
        assert!(
            err.to_string().contains("SIM_NONCE_TTL_SECS=\"0\""),
            "{err}"
        );
        let err = read(&[("SIM_NONCE_TTL_SECS", "1m")]).unwrap_err();
        assert!(err.to_string().contains("whole number of seconds"), "{err}");
        assert_eq!(
            read(&[("SIM_SAME_SITE", "relaxed")]),
            Err(ConfigError::BadSameSite("relaxed".into()))
        );
        assert_eq!(
            read(&[("SIM_LOGIN_PAGE_200", "maybe")]),
            Err(ConfigError::BadBool {
                var: "SIM_LOGIN_PAGE_200",
                value: "maybe".into()
            })
        );
        let err = read(&[("SIM_EXPLICIT_NULLS", "nulls")]).unwrap_err();
        assert!(
            err.to_string().contains("SIM_EXPLICIT_NULLS=\"nulls\""),
            "{err}"
        );
        let err = read(&[("SIM_DEFAULT_PAGE_SIZE", "0")]).unwrap_err();
        assert!(
            err.to_string()
                .contains("SIM_DEFAULT_PAGE_SIZE=\"0\" is not a whole number from 1"),
            "{err}"
        );
        let err = read(&[("SIM_EXTRA_REPORTS", "100001")]).unwrap_err();
        assert!(err.to_string().contains("to 100000"), "{err}");
        assert!(read(&[("SIM_EXTRA_REPORTS", "-1")]).is_err());
        assert_eq!(
            read(&[("SIM_VIEWER_PRINT", "host")]),
            Err(ConfigError::BadViewerPrint("host".into()))
        );
        assert_eq!(read(&[("SIM_PATS", " , ")]), Err(ConfigError::NoPats));
    }
}
