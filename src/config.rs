//! The widget's options, validated once at mount. Pure: the JS and attribute
//! front ends turn what they were given into [`RawOptions`], and
//! [`ViewerConfig::from_raw`] does all the checking, natively testable.
use std::rc::Rc;

use cxreports_contract::model::Report;
use cxreports_contract::{encode_path_segment, ParamsEncoding, PreviewQuery, ReportRef};

use crate::error::ConfigError;
use crate::i18n::Key;

/// One option value as the host gave it, before validation.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    /// A string (every attribute value is one).
    Str(String),
    /// A number.
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// An object or array, as the browser read it.
    Json(JsonValue),
    /// A report list (`reports`), read with the contract's own types.
    Reports(Rc<Vec<Report>>),
    /// A value the front end could not read (JSON text the browser refused,
    /// a list of another shape): what was wrong.
    Unreadable(String),
    /// A JS function (only `fetchNonce` takes one).
    Func(js_sys::Function),
    /// `null` or `undefined`: the same as leaving the option out.
    Absent,
}

/// An object or array option as the browser read it: a JS value, or an
/// attribute's JSON text parsed by `JSON.parse`. The widget carries no JSON
/// parser of its own.
///
/// ```
/// use cxreports_widget::JsonValue;
/// let params = JsonValue {
///     text: r#"{"year":"2026"}"#.into(),
///     members: Some(vec![("year".into(), Some("2026".into()))]),
/// };
/// assert!(params.is_object());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonValue {
    /// Its JSON text, as `JSON.stringify` writes it.
    pub text: String,
    /// For an object, its members, each with its value when that is a
    /// string; `None` for an array.
    pub members: Option<Vec<(String, Option<String>)>>,
}

impl JsonValue {
    /// Whether it is an object (not an array).
    pub fn is_object(&self) -> bool {
        self.members.is_some()
    }
}

/// The options whose values are JSON (objects or arrays): the front ends
/// parse these when given as text (attributes), with the browser's parser.
pub const JSON_OPTIONS: &[&str] = &["params", "data", "reports", "requestHeaders", "messages"];

/// Options by name (camelCase, as the JS API spells them), in the order given.
pub type RawOptions = Vec<(String, RawValue)>;

/// Where nonces come from. Exactly one per widget.
#[derive(Debug, Clone, PartialEq)]
pub enum NonceSource {
    /// The host backend's endpoint: `POST` answers `{"nonce": "..."}`.
    Url(String),
    /// The host's own async function returning the nonce string.
    Callback(js_sys::Function),
}

/// Whether host-backend calls carry cookies to another origin.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Credentials {
    /// Cookies only to this page's own origin (the default).
    #[default]
    SameOrigin,
    /// Cookies also to a host backend on another origin (it must allow it by CORS).
    Include,
}

/// Validated widget configuration.
///
/// ```
/// use cxreports_widget::{RawValue, ViewerConfig};
/// let config = ViewerConfig::from_raw(vec![
///     ("cxreportsUrl".into(), RawValue::Str("https://reports.example.com".into())),
///     ("workspace".into(), RawValue::Str("sales".into())),
///     ("nonceUrl".into(), RawValue::Str("/api/cxreports/nonce".into())),
/// ])
/// .unwrap();
/// assert_eq!(config.cxreports_origin(), "https://reports.example.com");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ViewerConfig {
    /// CxReports base URL, without a trailing slash.
    pub cxreports_url: String,
    /// Workspace id or code.
    pub workspace: String,
    /// Where nonces come from.
    pub nonce: NonceSource,
    /// Host endpoint listing reports (`GET`, a JSON array of reports).
    pub reports_url: Option<String>,
    /// Host endpoint listing report types (`GET`), used to name and order groups.
    pub report_types_url: Option<String>,
    /// A static report list, instead of `reports_url`.
    pub reports: Option<Rc<Vec<Report>>>,
    /// The report shown first.
    pub report: Option<ReportRef>,
    /// Preview query options (params, data, timezone, ...).
    pub query: PreviewQuery,
    /// How `params` rides in the URL.
    pub params_encoding: ParamsEncoding,
    /// Host endpoint for PDFs: `{pdfUrl}/{report}/pdf?params=...` unless it holds `{report}`.
    pub pdf_url: Option<String>,
    /// Extra headers for host-backend calls (never sent to CxReports).
    pub request_headers: Vec<(String, String)>,
    /// Cookie policy for host-backend calls.
    pub credentials: Credentials,
    /// Show the report picker (default true).
    pub show_picker: bool,
    /// CSS height of the widget (default `600px`).
    pub height: String,
    /// Time limit of each host call in ms (default 15000).
    pub timeout_ms: u32,
    /// Retries of a transient host failure (default 2).
    pub retries: u32,
    /// Keep one fresh nonce ready so a switch needs no round trip (default true).
    pub prefetch_nonce: bool,
    /// Age after which a prefetched nonce is dropped unused, in ms (default 30000).
    pub nonce_max_age_ms: u32,
    /// Send the reader's own time zone as the viewer's `timezone` (the
    /// default, when `timezone` names none). The viewer looks it up once its
    /// first requests are on their way: a page's first `Intl.DateTimeFormat`
    /// takes the browser 15 to 25 ms.
    pub reader_time_zone: bool,
    /// The widget's language (a BCP 47 tag), when the host names one; else
    /// it follows `lang`, the page and the browser (see [`crate::i18n`]).
    pub locale: Option<String>,
    /// The host's own texts, by message key, over the language's catalog.
    pub messages: Vec<(String, String)>,
    /// Light, dark, or following the reader's system (default light).
    pub color_scheme: ColorScheme,
}

/// The widget's built-in colors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ColorScheme {
    /// Dark text on a light background (the default).
    #[default]
    Light,
    /// Light text on a dark background.
    Dark,
    /// Follows `prefers-color-scheme`.
    Auto,
}

impl ColorScheme {
    /// The option's value for this scheme (`light`, `dark`, `auto`).
    pub fn as_str(self) -> &'static str {
        match self {
            ColorScheme::Light => "light",
            ColorScheme::Dark => "dark",
            ColorScheme::Auto => "auto",
        }
    }
}

/// Every option the widget knows, as the JS API spells it.
pub const OPTION_NAMES: &[&str] = &[
    "cxreportsUrl",
    "workspace",
    "nonceUrl",
    "fetchNonce",
    "reportsUrl",
    "reportTypesUrl",
    "reports",
    "report",
    "params",
    "data",
    "tempDataId",
    "timezone",
    "lang",
    "theme",
    "template",
    "paramsEncoding",
    "pdfUrl",
    "requestHeaders",
    "credentials",
    "showPicker",
    "height",
    "timeoutMs",
    "retries",
    "prefetchNonce",
    "nonceMaxAgeMs",
    "locale",
    "messages",
    "colorScheme",
];

/// A JS number that is a whole number an `i64` holds exactly, as one.
/// (Integer formatting keeps float formatting out of the bundle.)
pub fn whole_number(n: f64) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    (n.is_finite() && n.fract() == 0.0 && n.abs() <= EXACT).then_some(n as i64)
}

/// Whether an option name looks like it would carry a credential. Checked
/// before anything else, in any case and spelling (`apiKey`, `api-key`,
/// `ACCESS_TOKEN`, ...).
pub fn is_secret_like(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const EXACT: &[&str] = &["pat", "auth", "key", "jwt", "credential", "credentials"];
    const PARTS: &[&str] = &[
        "token",
        "secret",
        "password",
        "passwd",
        "apikey",
        "bearer",
        "authorization",
        "accesskey",
        "privatekey",
        "sessionid",
    ];
    // `credentials` is the fetch option (same-origin/include), not a secret.
    folded != "credentials"
        && (EXACT.contains(&folded.as_str()) || PARTS.iter().any(|p| folded.contains(p)))
}

/// A JSON object whose values are all strings, as name/value pairs.
fn string_map(value: &JsonValue) -> Option<Vec<(String, String)>> {
    value
        .members
        .as_ref()?
        .iter()
        .map(|(name, value)| Some((name.clone(), value.clone()?)))
        .collect()
}

/// Reads an option that must be a JSON object (`params`), returning its text.
///
/// ```
/// use cxreports_widget::{json_object, JsonValue, RawValue};
/// let object = JsonValue { text: r#"{"y":1}"#.into(), members: Some(vec![("y".into(), None)]) };
/// let array = JsonValue { text: "[1]".into(), members: None };
/// assert_eq!(json_object("params", Some(&RawValue::Json(object))).unwrap().as_deref(), Some(r#"{"y":1}"#));
/// assert!(json_object("params", Some(&RawValue::Json(array))).is_err());
/// ```
pub fn json_object(
    name: &'static str,
    value: Option<&RawValue>,
) -> Result<Option<String>, ConfigError> {
    match value {
        None | Some(RawValue::Absent) => Ok(None),
        Some(RawValue::Json(json)) if json.is_object() => Ok(Some(json.text.clone())),
        Some(RawValue::Unreadable(detail)) => Err(ConfigError::BadValue {
            name,
            detail: detail.clone(),
        }),
        Some(_) => Err(ConfigError::WrongType {
            name,
            expected: "an object",
        }),
    }
}

/// An HTTP header name: a non-empty token.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A header value the widget sends: printable ASCII (and spaces or tabs).
fn is_header_value(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
}

/// Headers that would carry a credential rather than a CSRF token.
fn is_credential_header(name: &str) -> bool {
    let folded = name.to_ascii_lowercase().replace(['-', '_'], "");
    folded.ends_with("authorization") || folded.contains("apikey") || folded.contains("bearer")
}

/// Turns an attribute name (`cxreports-url`) into its option name (`cxreportsUrl`).
///
/// ```
/// assert_eq!(cxreports_widget::attribute_to_option("nonce-url"), "nonceUrl");
/// ```
pub fn attribute_to_option(attribute: &str) -> String {
    let mut out = String::with_capacity(attribute.len());
    let mut upper = false;
    for c in attribute.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

impl ViewerConfig {
    /// Validates raw options. Fails on the first problem, secrets first.
    pub fn from_raw(raw: RawOptions) -> Result<Self, ConfigError> {
        if let Some((name, _)) = raw.iter().find(|(name, _)| is_secret_like(name)) {
            return Err(ConfigError::SecretOption(name.clone()));
        }
        if let Some((name, _)) = raw
            .iter()
            .find(|(n, _)| !OPTION_NAMES.contains(&n.as_str()))
        {
            return Err(ConfigError::Unknown {
                name: name.clone(),
                known: OPTION_NAMES.join(", "),
            });
        }
        let get = |name: &str| {
            raw.iter()
                .rev()
                .find(|(n, v)| n == name && *v != RawValue::Absent)
                .map(|(_, v)| v)
        };
        // What the front end could not read is reported under its option's name.
        for &name in OPTION_NAMES {
            if let Some(RawValue::Unreadable(detail)) = get(name) {
                return Err(ConfigError::BadValue {
                    name,
                    detail: detail.clone(),
                });
            }
        }
        let string = |name: &'static str| -> Result<Option<String>, ConfigError> {
            match get(name) {
                None => Ok(None),
                Some(RawValue::Str(s)) if s.trim().is_empty() => Ok(None),
                Some(RawValue::Str(s)) => Ok(Some(s.trim().to_owned())),
                Some(RawValue::Num(n)) => match whole_number(*n) {
                    Some(n) => Ok(Some(n.to_string())),
                    None => Err(ConfigError::WrongType {
                        name,
                        expected: "a string",
                    }),
                },
                Some(_) => Err(ConfigError::WrongType {
                    name,
                    expected: "a string",
                }),
            }
        };
        let endpoint = |name: &'static str| -> Result<Option<String>, ConfigError> {
            string(name)?
                .map(|value| {
                    if is_endpoint(&value) {
                        Ok(value)
                    } else {
                        Err(ConfigError::BadEndpoint { name, value })
                    }
                })
                .transpose()
        };
        let boolean = |name: &'static str, default: bool| -> Result<bool, ConfigError> {
            match get(name) {
                None => Ok(default),
                Some(RawValue::Bool(b)) => Ok(*b),
                Some(RawValue::Str(s)) => match s.trim() {
                    "" | "true" => Ok(true),
                    "false" => Ok(false),
                    _ => Err(ConfigError::WrongType {
                        name,
                        expected: "true or false",
                    }),
                },
                Some(_) => Err(ConfigError::WrongType {
                    name,
                    expected: "true or false",
                }),
            }
        };
        let number = |name: &'static str, default: u32, max: u32| -> Result<u32, ConfigError> {
            let expected = "a whole number of at least 0";
            let value = match get(name) {
                None => return Ok(default),
                Some(RawValue::Num(n)) => *n,
                Some(RawValue::Str(s)) => s
                    .trim()
                    .parse::<u32>()
                    .map(f64::from)
                    .map_err(|_| ConfigError::WrongType { name, expected })?,
                Some(_) => return Err(ConfigError::WrongType { name, expected }),
            };
            if value.is_finite() && value >= 0.0 && value.fract() == 0.0 {
                Ok(value.min(f64::from(max)) as u32)
            } else {
                Err(ConfigError::WrongType { name, expected })
            }
        };
        let cxreports_url = string("cxreportsUrl")?.ok_or(ConfigError::Missing("cxreportsUrl"))?;
        let cxreports_url = validate_cxreports_url(&cxreports_url)?;
        let workspace = string("workspace")?.ok_or(ConfigError::Missing("workspace"))?;
        encode_path_segment(&workspace).map_err(|e| ConfigError::BadValue {
            name: "workspace",
            detail: e.to_string(),
        })?;

        let nonce = match (endpoint("nonceUrl")?, get("fetchNonce")) {
            (Some(url), None) => NonceSource::Url(url),
            (None, Some(RawValue::Func(f))) => NonceSource::Callback(f.clone()),
            (None, Some(_)) => {
                return Err(ConfigError::WrongType {
                    name: "fetchNonce",
                    expected: "a function",
                })
            }
            _ => return Err(ConfigError::NonceSource),
        };

        let reports = match get("reports") {
            None => None,
            Some(RawValue::Reports(list)) => Some(list.clone()),
            Some(_) => {
                return Err(ConfigError::WrongType {
                    name: "reports",
                    expected: "an array of reports",
                })
            }
        };
        let report = string("report")?.map(|r| ReportRef::parse(&r));
        if let Some(r) = &report {
            encode_path_segment(&r.to_string()).map_err(|e| ConfigError::BadValue {
                name: "report",
                detail: e.to_string(),
            })?;
        }

        let params_encoding = match string("paramsEncoding")? {
            None => ParamsEncoding::Json,
            Some(text) => ParamsEncoding::parse(&text).ok_or(ConfigError::WrongType {
                name: "paramsEncoding",
                expected: "\"json\" or \"base64\"",
            })?,
        };
        let temp_data_id = match get("tempDataId") {
            None => None,
            Some(_) => Some(i64::from(number("tempDataId", 0, u32::MAX)?)),
        };
        let data_json = match get("data") {
            None => None,
            Some(RawValue::Json(json)) => Some(json.text.clone()),
            Some(_) => {
                return Err(ConfigError::WrongType {
                    name: "data",
                    expected: "JSON data (an object or an array)",
                })
            }
        };
        let query = PreviewQuery {
            params_json: json_object("params", get("params"))?,
            data_json,
            temp_data_id,
            timezone: match get("timezone") {
                Some(RawValue::Bool(_)) => None,
                Some(RawValue::Str(s)) if time_zone_keyword(s).is_some() => None,
                _ => string("timezone")?,
            },
            lang: string("lang")?,
            theme: string("theme")?,
            template: string("template")?,
            // The widget's toolbar prints; the viewer's own button would duplicate it.
            hide_print_button: true,
        };

        let request_headers = match get("requestHeaders") {
            None => Vec::new(),
            Some(RawValue::Json(json)) => {
                let map = string_map(json).ok_or(ConfigError::WrongType {
                    name: "requestHeaders",
                    expected: "an object of header names to string values",
                })?;
                // CSRF tokens belong in these headers; credentials for CxReports never do.
                if let Some((name, _)) = map.iter().find(|(k, _)| is_credential_header(k)) {
                    return Err(ConfigError::SecretOption(format!("requestHeaders.{name}")));
                }
                // What `fetch` would refuse must be refused here, with a message.
                if let Some((name, _)) = map
                    .iter()
                    .find(|(k, v)| !is_header_name(k) || !is_header_value(v))
                {
                    return Err(ConfigError::BadValue {
                        name: "requestHeaders",
                        detail: format!("\"{name}\" is not a valid header name, or its value is not printable ASCII"),
                    });
                }
                map
            }
            Some(_) => {
                return Err(ConfigError::WrongType {
                    name: "requestHeaders",
                    expected: "an object of header names to string values",
                })
            }
        };
        let credentials = match string("credentials")?.as_deref() {
            None | Some("same-origin") => Credentials::SameOrigin,
            Some("include") => Credentials::Include,
            Some(_) => {
                return Err(ConfigError::WrongType {
                    name: "credentials",
                    expected: "\"same-origin\" or \"include\"",
                })
            }
        };
        let height = match get("height") {
            // Whole pixels: formatting a float would add its code to the bundle.
            Some(RawValue::Num(n)) if n.is_finite() && *n >= 1.0 => {
                format!("{}px", n.round().min(f64::from(u32::MAX)) as u32)
            }
            _ => string("height")?.unwrap_or_else(|| "600px".to_owned()),
        };
        if !height
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "%. ()+-*/".contains(c))
        {
            return Err(ConfigError::WrongType {
                name: "height",
                expected: "a CSS length like 600px",
            });
        }

        // By default dates render in the reader's own zone; `false`/`none`
        // leaves the zone to the server.
        let reader_time_zone = match get("timezone") {
            None => true,
            Some(RawValue::Bool(on)) => *on,
            Some(RawValue::Str(s)) => time_zone_keyword(s).unwrap_or(false),
            Some(_) => false,
        };

        let locale = string("locale")?;
        if let Some(tag) = &locale {
            let well_formed = tag.len() <= 35
                && tag.split(['-', '_']).all(|part| {
                    (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
                });
            if !well_formed {
                return Err(ConfigError::WrongType {
                    name: "locale",
                    expected: "a language tag like de, pt-BR or sr-Latn",
                });
            }
        }
        let messages = match get("messages") {
            None => Vec::new(),
            Some(RawValue::Json(json)) => {
                let map = string_map(json).ok_or(ConfigError::WrongType {
                    name: "messages",
                    expected: "an object of message keys to texts",
                })?;
                if let Some((name, _)) = map.iter().find(|(k, _)| Key::from_name(k).is_none()) {
                    let keys: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
                    return Err(ConfigError::BadValue {
                        name: "messages",
                        detail: format!(
                            "there is no message \"{name}\"; the keys are: {}",
                            keys.join(", ")
                        ),
                    });
                }
                map
            }
            Some(_) => {
                return Err(ConfigError::WrongType {
                    name: "messages",
                    expected: "an object of message keys to texts",
                })
            }
        };
        let color_scheme = match string("colorScheme")?.as_deref() {
            None | Some("light") => ColorScheme::Light,
            Some("dark") => ColorScheme::Dark,
            Some("auto") => ColorScheme::Auto,
            Some(_) => {
                return Err(ConfigError::WrongType {
                    name: "colorScheme",
                    expected: "\"light\", \"dark\" or \"auto\"",
                })
            }
        };

        Ok(ViewerConfig {
            locale,
            messages,
            color_scheme,
            reader_time_zone,
            cxreports_url,
            workspace,
            nonce,
            reports_url: endpoint("reportsUrl")?,
            report_types_url: endpoint("reportTypesUrl")?,
            reports,
            report,
            query,
            params_encoding,
            pdf_url: endpoint("pdfUrl")?,
            request_headers,
            credentials,
            show_picker: boolean("showPicker", true)?,
            height,
            timeout_ms: number("timeoutMs", 15_000, 600_000)?.max(1),
            retries: number("retries", 2, 10)?,
            prefetch_nonce: boolean("prefetchNonce", true)?,
            nonce_max_age_ms: number("nonceMaxAgeMs", 30_000, 3_600_000)?,
        })
    }

    /// The CxReports origin (`scheme://host[:port]`): the only origin print
    /// messages go to and are accepted from.
    pub fn cxreports_origin(&self) -> &str {
        origin_of(&self.cxreports_url)
    }
}

/// `scheme://authority` of an absolute URL (the whole string if it has no path).
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

/// `timezone` given as a word rather than a zone: `Some(true)` for the
/// reader's own zone (`auto`, `true`, blank), `Some(false)` for none.
fn time_zone_keyword(value: &str) -> Option<bool> {
    match value.trim() {
        "" | "auto" | "true" => Some(true),
        "none" | "false" | "off" => Some(false),
        _ => None,
    }
}

/// Checks `cxreportsUrl`: absolute http(s), a host, no credentials, query or
/// fragment. Returns it without trailing slashes.
pub fn validate_cxreports_url(url: &str) -> Result<String, ConfigError> {
    let bad = || ConfigError::BadCxreportsUrl(url.to_owned());
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let authority = rest.split('/').next().unwrap_or_default();
    // A bracketed IPv6 literal, or a name of letters, digits, `-` and `.`
    // (internationalised names in their `xn--` form), then an optional port.
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (address, after) = v6.split_once(']').ok_or_else(bad)?;
            let ok = !address.is_empty()
                && address
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
            if !ok {
                return Err(bad());
            }
            let port = match after {
                "" => None,
                rest => Some(rest.strip_prefix(':').ok_or_else(bad)?),
            };
            (address, port)
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let host_ok = authority.starts_with('[')
        || (!host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            }));
    let port_ok = port.is_none_or(|p| {
        p.parse::<u16>().is_ok_and(|n| n > 0) && p.bytes().all(|b| b.is_ascii_digit())
    });
    let clean = |c: char| !c.is_whitespace() && !c.is_control() && !"?#@\\\"'<>`".contains(c);
    if !host_ok || !port_ok || !url.chars().all(clean) {
        return Err(bad());
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// An endpoint is absolute http(s) or a path on this site (`/x`, `./x`, `../x`).
/// `javascript:`, `data:` and other schemes, and protocol-relative `//host`, are not.
pub fn is_endpoint(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let clean = url
        .chars()
        .all(|c| !c.is_whitespace() && !c.is_control() && c != '\\');
    let absolute = (lower.starts_with("https://") || lower.starts_with("http://"))
        && validate_cxreports_url(url.split(['?', '#']).next().unwrap_or_default()).is_ok();
    let path = (url.starts_with('/') && !url.starts_with("//"))
        || url.starts_with("./")
        || url.starts_with("../");
    clean && (absolute || path)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An object or array option as the browser reads it.
    fn json(text: &str) -> RawValue {
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        RawValue::Json(JsonValue {
            text: value.to_string(),
            members: value.as_object().map(|members| {
                members
                    .iter()
                    .map(|(name, v)| (name.clone(), v.as_str().map(str::to_owned)))
                    .collect()
            }),
        })
    }

    fn base() -> RawOptions {
        vec![
            (
                "cxreportsUrl".into(),
                RawValue::Str("https://reports.example.com/".into()),
            ),
            ("workspace".into(), RawValue::Str("sales".into())),
            (
                "nonceUrl".into(),
                RawValue::Str("/api/cxreports/nonce".into()),
            ),
        ]
    }

    fn with(extra: &[(&str, RawValue)]) -> Result<ViewerConfig, ConfigError> {
        let mut raw = base();
        raw.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
        ViewerConfig::from_raw(raw)
    }

    #[test]
    fn defaults() {
        let c = with(&[]).unwrap();
        assert_eq!(c.cxreports_url, "https://reports.example.com");
        assert_eq!(c.nonce, NonceSource::Url("/api/cxreports/nonce".into()));
        assert!(c.show_picker && c.prefetch_nonce && c.query.hide_print_button);
        assert_eq!(
            (c.timeout_ms, c.retries, c.nonce_max_age_ms),
            (15_000, 2, 30_000)
        );
        assert_eq!(c.height, "600px");
        assert_eq!(c.params_encoding, ParamsEncoding::Json);
    }

    #[test]
    fn secret_like_options_are_refused_in_any_spelling() {
        for name in [
            "token",
            "authToken",
            "accessToken",
            "pat",
            "PAT",
            "apiKey",
            "api-key",
            "API_KEY",
            "bearer",
            "bearerToken",
            "personalAccessToken",
            "Authorization",
            "secret",
            "password",
            "clientSecret",
            "jwt",
        ] {
            let err = with(&[(name, RawValue::Str("x".into()))]).unwrap_err();
            assert_eq!(err, ConfigError::SecretOption(name.into()), "{name}");
            assert!(err.to_string().contains("nonceUrl"));
        }
        assert!(!is_secret_like("credentials"));
        assert!(!is_secret_like("nonceUrl"));
        assert!(!is_secret_like("fetchNonce"));
        for &name in OPTION_NAMES {
            assert!(!is_secret_like(name), "{name}");
        }
        let err = with(&[("requestHeaders", json(r#"{"Authorization":"Bearer x"}"#))]);
        assert!(matches!(err, Err(ConfigError::SecretOption(_))));
        let ok = with(&[("requestHeaders", json(r#"{"X-CSRF-Token":"abc"}"#))]).unwrap();
        assert_eq!(
            ok.request_headers,
            vec![("X-CSRF-Token".into(), "abc".into())]
        );
    }

    #[test]
    fn urls_are_checked() {
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "ftp://x",
            "//evil.example",
            "reports.example.com",
            "https://",
            "https://user:pw@host",
            "https://host?x",
            "https://host#x",
            "https://h:port",
            "https://h/\"onload=",
        ] {
            let mut raw = base();
            raw[0].1 = RawValue::Str(bad.into());
            assert!(
                matches!(
                    ViewerConfig::from_raw(raw),
                    Err(ConfigError::BadCxreportsUrl(_) | ConfigError::Missing(_))
                ),
                "{bad}"
            );
        }
        assert!(validate_cxreports_url("http://127.0.0.1:8081").is_ok());
        assert!(validate_cxreports_url("http://[::1]:8081/cx").is_ok());
        for bad in [
            "https://a%b.example",
            "http://h:99999",
            "http://h:0",
            "http://a|b",
            "http://[::1",
            "http://[::1]x",
            "http://-a.example",
            "http://a..b",
        ] {
            assert!(validate_cxreports_url(bad).is_err(), "{bad}");
        }
        for (name, value) in [("X Bad", "v"), ("X-Ok", "€"), ("X-Ok", "a\r\nb"), ("", "v")] {
            let headers = format!("{{{:?}: {:?}}}", name, value);
            let err = with(&[("requestHeaders", json(&headers))]).unwrap_err();
            assert!(
                matches!(
                    err,
                    ConfigError::BadValue {
                        name: "requestHeaders",
                        ..
                    }
                ),
                "{name:?}"
            );
        }
        assert!(validate_cxreports_url("https://h.example/cx/").is_ok());
        for bad in [
            "javascript:fetch()",
            "data:,x",
            "//evil/x",
            "nonce",
            "JavaScript:x",
            "/a b",
        ] {
            let err = with(&[("reportsUrl", RawValue::Str(bad.into()))]).unwrap_err();
            assert!(
                matches!(
                    err,
                    ConfigError::BadEndpoint {
                        name: "reportsUrl",
                        ..
                    }
                ),
                "{bad}"
            );
        }
        for good in [
            "/api/r",
            "./r",
            "../r",
            "https://h/api/r?x=1",
            "http://127.0.0.1:9/r",
        ] {
            assert!(is_endpoint(good), "{good}");
        }
    }

    #[test]
    fn exactly_one_nonce_source() {
        let mut raw = base();
        raw.remove(2);
        assert_eq!(ViewerConfig::from_raw(raw), Err(ConfigError::NonceSource));
        let err = with(&[("fetchNonce", RawValue::Str("x".into()))]).unwrap_err();
        assert_eq!(err, ConfigError::NonceSource);
    }

    #[test]
    fn wrong_types_and_unknown_options() {
        assert!(matches!(
            with(&[("showPicker", RawValue::Num(1.0))]),
            Err(ConfigError::WrongType { .. })
        ));
        assert!(matches!(
            with(&[("params", RawValue::Str("[1]".into()))]),
            Err(ConfigError::WrongType { .. })
        ));
        assert!(matches!(
            with(&[("params", RawValue::Unreadable("not JSON: Unexpected token".into()))]),
            Err(ConfigError::BadValue { name: "params", detail }) if detail.contains("not JSON")
        ));
        assert!(matches!(
            with(&[("params", json("[1]"))]),
            Err(ConfigError::WrongType { name: "params", .. })
        ));
        assert!(matches!(
            with(&[("data", RawValue::Num(1.0))]),
            Err(ConfigError::WrongType { name: "data", .. })
        ));
        assert!(matches!(
            with(&[("timeoutMs", RawValue::Num(-1.0))]),
            Err(ConfigError::WrongType { .. })
        ));
        assert!(matches!(
            with(&[("paramsEncoding", RawValue::Str("xml".into()))]),
            Err(ConfigError::WrongType { .. })
        ));
        assert!(matches!(
            with(&[("reports", RawValue::Unreadable("expected an array".into()))]),
            Err(ConfigError::BadValue {
                name: "reports",
                ..
            })
        ));
        assert!(matches!(
            with(&[("reports", json("{}"))]),
            Err(ConfigError::WrongType {
                name: "reports",
                ..
            })
        ));
        assert!(matches!(
            with(&[("reprot", RawValue::Str("1".into()))]),
            Err(ConfigError::Unknown { .. })
        ));
        assert!(matches!(
            with(&[("report", RawValue::Str("..".into()))]),
            Err(ConfigError::BadValue { .. })
        ));
        assert!(matches!(
            with(&[("height", RawValue::Str("1px;background:red".into()))]),
            Err(ConfigError::WrongType { .. })
        ));
        let mut raw = base();
        raw[1].1 = RawValue::Absent;
        assert_eq!(
            ViewerConfig::from_raw(raw),
            Err(ConfigError::Missing("workspace"))
        );
    }

    #[test]
    fn every_query_option_is_read() {
        let c = with(&[
            ("params", json(r#"{"y":1}"#)),
            ("data", json("[1]")),
            ("tempDataId", RawValue::Num(5.0)),
            ("timezone", RawValue::Str("UTC".into())),
            ("lang", RawValue::Str("de".into())),
            ("theme", RawValue::Str("dark".into())),
            ("template", RawValue::Str("t".into())),
            ("paramsEncoding", RawValue::Str("base64".into())),
            ("report", RawValue::Num(42.0)),
            ("showPicker", RawValue::Str("false".into())),
            ("height", RawValue::Num(480.0)),
        ])
        .unwrap();
        assert_eq!(c.query.params_json.as_deref(), Some(r#"{"y":1}"#));
        assert_eq!(c.query.data_json.as_deref(), Some("[1]"));
        assert_eq!(c.query.temp_data_id, Some(5));
        assert_eq!(c.query.lang.as_deref(), Some("de"));
        assert_eq!(c.report, Some(ReportRef::Id(42)));
        assert_eq!(c.params_encoding, ParamsEncoding::Base64);
        assert!(!c.show_picker);
        assert_eq!(c.height, "480px");
    }

    #[test]
    fn the_time_zone_is_the_readers_unless_given_or_turned_off() {
        let zone = |value: RawValue| {
            let c = with(&[("timezone", value)]).unwrap();
            (c.query.timezone, c.reader_time_zone)
        };
        assert_eq!(
            zone(RawValue::Str("Europe/Belgrade".into())),
            (Some("Europe/Belgrade".into()), false)
        );
        for off in [
            RawValue::Bool(false),
            RawValue::Str("none".into()),
            RawValue::Str(" false ".into()),
        ] {
            assert_eq!(zone(off), (None, false));
        }
        for reader in [
            RawValue::Str("auto".into()),
            RawValue::Bool(true),
            RawValue::Absent,
        ] {
            assert_eq!(zone(reader), (None, true));
        }
        assert!(with(&[]).unwrap().reader_time_zone);
        assert!(matches!(
            with(&[("timezone", RawValue::Num(1.5))]),
            Err(ConfigError::WrongType {
                name: "timezone",
                ..
            })
        ));
    }

    #[test]
    fn attributes_map_to_options() {
        assert_eq!(attribute_to_option("cxreports-url"), "cxreportsUrl");
        assert_eq!(attribute_to_option("report-types-url"), "reportTypesUrl");
        assert_eq!(attribute_to_option("workspace"), "workspace");
        assert_eq!(origin_of("https://h:8/a/b"), "https://h:8");
    }

    fn raw_value() -> impl Strategy<Value = RawValue> {
        prop_oneof![
            "\\PC{0,30}".prop_map(RawValue::Str),
            any::<f64>().prop_map(RawValue::Num),
            any::<bool>().prop_map(RawValue::Bool),
            "\\PC{0,30}".prop_map(
                |text| match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(_) => json(&text),
                    Err(e) => RawValue::Unreadable(e.to_string()),
                }
            ),
            Just(RawValue::Absent),
        ]
    }

    proptest! {
        #[test]
        fn validation_never_panics(
            entries in prop::collection::vec((prop::sample::select(OPTION_NAMES.to_vec()), raw_value()), 0..12),
            junk in "\\PC{0,12}",
        ) {
            let mut raw: RawOptions = entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            raw.push((junk, RawValue::Str("x".into())));
            let _ = ViewerConfig::from_raw(raw.clone());
            raw.pop();
            let _ = ViewerConfig::from_raw(raw);
        }

        #[test]
        fn accepted_cxreports_urls_have_an_http_origin(url in "\\PC{0,40}") {
            if let Ok(ok) = validate_cxreports_url(&url) {
                let lower = ok.to_ascii_lowercase();
                prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"));
                prop_assert!(!ok.contains(['?', '#', '@', ' ', '"', '<']));
            }
        }
    }
}
