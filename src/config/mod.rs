//! The widget's options, validated once at mount. Pure: the JS and attribute
//! front ends turn what they were given into [`RawOptions`], Rust hosts use
//! [`ViewerConfig::builder`], and [`ViewerConfig::from_raw`] does all the
//! checking for both, natively testable.
//!
//! `surface` declares every option and event once (the loader's lists and
//! the TypeScript declarations are rendered from it). One file per option
//! or group of options, each with its own tests, and
//! [`ViewerConfig::from_raw`] calling them in turn: `names` (known and
//! secret-like names), `options` (one value read as a string, boolean,
//! number or endpoint), `required` (`cxreportsUrl`, `workspace`), `nonce`,
//! `reports` (`reports`, `report`), `query` (the preview query), `requests`
//! (`requestHeaders`, `credentials`), `layout` (`showPicker`, `height`,
//! `colorScheme`), `language` (`locale`, `messages`), `endpoints` and
//! `timing`; `urls`, a leaf the others import, holds the rules every
//! address follows. `builder` is the typed front end, and `first_requests`
//! what a validated widget requests first.
use std::rc::Rc;

use cxreports_contract::model::Report;
use cxreports_contract::{ParamsEncoding, PreviewQuery, ReportRef};

use crate::error::ConfigError;

mod builder;
mod endpoints;
mod first_requests;
mod language;
mod layout;
mod names;
mod nonce;
mod options;
mod query;
mod reports;
mod requests;
mod required;
mod surface;
mod timing;
mod urls;

pub use builder::ConfigBuilder;
pub use first_requests::FirstRequests;
pub use names::{attribute_to_option, is_secret_like};
pub use options::whole_number;
pub use query::json_object;
pub use surface::{
    EventSpec, Kind, OptionSpec, ELEMENT_ATTRIBUTES, ELEMENT_ATTRIBUTE_PREFIXES, ENDPOINT_OPTIONS,
    ERROR_KINDS, ERROR_STAGES, EVENTS, JSON_OPTIONS, OPTIONS, OPTION_NAMES, WARNING_KINDS,
};
pub use urls::{
    is_endpoint, is_endpoint_char, is_server_url_char, validate_cxreports_url, ABSOLUTE_STARTS,
    PATH_STARTS,
};

use endpoints::Endpoints;
use options::Options;
use query::Preview;
use timing::Timing;
use urls::origin_of;

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

/// Validated widget configuration: only [`ViewerConfig::from_raw`] (the JS
/// and attribute front ends) and [`ViewerConfig::builder`] (Rust hosts)
/// make one, both through the same checks.
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
    pub(crate) cxreports_url: String,
    /// Workspace id or code.
    pub(crate) workspace: String,
    /// Where nonces come from.
    pub(crate) nonce: NonceSource,
    /// Host endpoint listing reports (`GET`, a JSON array of reports).
    pub(crate) reports_url: Option<String>,
    /// Host endpoint listing report types (`GET`), used to name and order groups.
    pub(crate) report_types_url: Option<String>,
    /// A static report list, instead of `reports_url`.
    pub(crate) reports: Option<Rc<Vec<Report>>>,
    /// The report shown first.
    pub(crate) report: Option<ReportRef>,
    /// Preview query options (params, data, timezone, ...).
    pub(crate) query: PreviewQuery,
    /// How `params` rides in the URL.
    pub(crate) params_encoding: ParamsEncoding,
    /// Host endpoint for PDFs: `{pdfUrl}/{report}/pdf?params=...` unless it holds `{report}`.
    pub(crate) pdf_url: Option<String>,
    /// Extra headers for host-backend calls (never sent to CxReports).
    pub(crate) request_headers: Vec<(String, String)>,
    /// Cookie policy for host-backend calls.
    pub(crate) credentials: Credentials,
    /// Show the report picker (default true).
    pub(crate) show_picker: bool,
    /// CSS height of the widget (default `600px`).
    pub(crate) height: String,
    /// Time limit of each host call in ms (default 15000).
    pub(crate) timeout_ms: u32,
    /// Time limit of a PDF export in ms (default 120000); an export is never
    /// retried.
    pub(crate) pdf_timeout_ms: u32,
    /// Retries of a transient host failure (default 2).
    pub(crate) retries: u32,
    /// Keep one fresh nonce ready so a switch needs no round trip (default true).
    pub(crate) prefetch_nonce: bool,
    /// Age after which a prefetched nonce is dropped unused, in ms (default 30000).
    pub(crate) nonce_max_age_ms: u32,
    /// Age after which the viewer's session is renewed when the page comes
    /// back (visible again, restored, online), in ms; 0 never (default
    /// 1800000).
    pub(crate) session_max_age_ms: u32,
    /// `loading: "lazy"`: nothing is requested and no report is shown until
    /// the widget nears the viewport (default: at once).
    pub(crate) lazy: bool,
    /// Send the reader's own time zone as the viewer's `timezone` (the
    /// default, when `timezone` names none). The viewer looks it up once its
    /// first requests are on their way: a page's first `Intl.DateTimeFormat`
    /// takes the browser 15 to 25 ms.
    pub(crate) reader_time_zone: bool,
    /// The widget's language (a BCP 47 tag), when the host names one; else
    /// it follows `lang`, the page and the browser (see [`crate::i18n`]).
    pub(crate) locale: Option<String>,
    /// The host's own texts, by message key, over the language's catalog.
    pub(crate) messages: Vec<(String, String)>,
    /// Light, dark, or following the reader's system (default light).
    pub(crate) color_scheme: ColorScheme,
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

impl ViewerConfig {
    /// Validates raw options. Fails on the first problem, secrets first.
    pub fn from_raw(raw: RawOptions) -> Result<Self, ConfigError> {
        names::refuse_secrets(&raw)?;
        names::refuse_unknown(&raw)?;
        let options = Options::new(&raw);
        options.refuse_unreadable()?;
        // Built in place: each option's value is written into the one
        // configuration as soon as it has been checked.
        let mut config = ViewerConfig::unset();
        config.read(&options)?;
        Ok(config)
    }

    /// A configuration whose every field is about to be written by
    /// [`ViewerConfig::read`]; never handed out as it is.
    fn unset() -> Self {
        ViewerConfig {
            cxreports_url: String::new(),
            workspace: String::new(),
            nonce: NonceSource::Url(String::new()),
            reports_url: None,
            report_types_url: None,
            reports: None,
            report: None,
            query: PreviewQuery::default(),
            params_encoding: ParamsEncoding::Json,
            pdf_url: None,
            request_headers: Vec::new(),
            credentials: Credentials::SameOrigin,
            show_picker: false,
            height: String::new(),
            timeout_ms: 0,
            pdf_timeout_ms: 0,
            retries: 0,
            prefetch_nonce: false,
            nonce_max_age_ms: 0,
            session_max_age_ms: 0,
            lazy: false,
            reader_time_zone: false,
            locale: None,
            messages: Vec::new(),
            color_scheme: ColorScheme::Light,
        }
    }

    /// Checks each option and writes its value, in this order: the first
    /// problem found is the one reported.
    fn read(&mut self, options: &Options<'_>) -> Result<(), ConfigError> {
        self.cxreports_url = required::cxreports_url(options)?;
        self.workspace = required::workspace(options)?;
        self.nonce = nonce::nonce_source(options)?;
        self.reports = reports::report_list(options)?;
        self.report = reports::first_report(options)?;
        Preview {
            query: self.query,
            params_encoding: self.params_encoding,
            reader_time_zone: self.reader_time_zone,
        } = query::preview(options)?;
        self.request_headers = requests::request_headers(options)?;
        self.credentials = requests::credentials(options)?;
        self.height = layout::height(options)?;
        self.locale = language::locale(options)?;
        self.messages = language::messages(options)?;
        self.color_scheme = layout::color_scheme(options)?;
        Endpoints {
            reports_url: self.reports_url,
            report_types_url: self.report_types_url,
            pdf_url: self.pdf_url,
        } = endpoints::endpoints(options)?;
        self.show_picker = layout::show_picker(options)?;
        Timing {
            timeout_ms: self.timeout_ms,
            pdf_timeout_ms: self.pdf_timeout_ms,
            retries: self.retries,
            prefetch_nonce: self.prefetch_nonce,
            nonce_max_age_ms: self.nonce_max_age_ms,
            session_max_age_ms: self.session_max_age_ms,
            lazy: self.lazy,
        } = timing::timing(options)?;
        Ok(())
    }

    /// The CxReports base URL, without a trailing slash.
    pub fn cxreports_url(&self) -> &str {
        &self.cxreports_url
    }

    /// The workspace id or code.
    pub fn workspace(&self) -> &str {
        &self.workspace
    }

    /// Where nonces come from.
    pub fn nonce_source(&self) -> &NonceSource {
        &self.nonce
    }

    /// The report shown first, if one is preselected.
    pub fn report(&self) -> Option<&ReportRef> {
        self.report.as_ref()
    }

    /// The preview query options (params, data, time zone, ...).
    pub fn query(&self) -> &PreviewQuery {
        &self.query
    }

    /// These options once the reader's own time zone is known: `None` when
    /// the options name a zone or turn the reader's off (nothing changes),
    /// else the viewer is sent the zone `zone()` gives as its `timezone`
    /// (asked only then: the browser's first lookup is slow).
    pub fn with_reader_zone(&self, zone: impl FnOnce() -> Option<String>) -> Option<Self> {
        if !self.reader_time_zone || self.query.timezone.is_some() {
            return None;
        }
        let mut config = self.clone();
        config.query.timezone = zone();
        Some(config)
    }

    /// The host backend's PDF endpoint, when the PDF button is on.
    pub fn pdf_url(&self) -> Option<&str> {
        self.pdf_url.as_deref()
    }

    /// The host's extra headers on calls to its backend.
    pub fn request_headers(&self) -> &[(String, String)] {
        &self.request_headers
    }

    /// The CxReports origin (`scheme://host[:port]`, as a browser writes it:
    /// lower case, no default port): the only origin print messages go to
    /// and are accepted from.
    pub fn cxreports_origin(&self) -> String {
        origin_of(&self.cxreports_url)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::options::testing::json;
    use super::*;
    use proptest::prelude::*;

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
            (
                c.timeout_ms,
                c.pdf_timeout_ms,
                c.retries,
                c.nonce_max_age_ms,
                c.session_max_age_ms
            ),
            (15_000, 120_000, 2, 30_000, 1_800_000)
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

    #[test]
    fn options_are_checked_in_a_fixed_order() {
        let text = |s: &str| RawValue::Str(s.into());
        // Each option with a wrong value, in the order they are checked.
        let wrong = [
            ("cxreportsUrl", text("ftp://x")),
            ("workspace", text("..")),
            ("nonceUrl", text("javascript:x")),
            ("fetchNonce", text("x")),
            ("reports", json("[]")),
            ("report", text(".")),
            ("paramsEncoding", text("xml")),
            ("tempDataId", RawValue::Num(-1.0)),
            ("data", text("x")),
            ("params", json("[]")),
            ("timezone", RawValue::Num(0.5)),
            ("lang", RawValue::Bool(true)),
            ("theme", RawValue::Bool(true)),
            ("template", RawValue::Bool(true)),
            ("requestHeaders", text("x")),
            ("credentials", text("omit")),
            ("height", text("1px;")),
            ("locale", text("bad tag")),
            ("messages", json(r#"{"nope":"x"}"#)),
            ("colorScheme", text("blue")),
            ("reportsUrl", text("x")),
            ("reportTypesUrl", text("x")),
            ("pdfUrl", text("x")),
            ("showPicker", text("x")),
            ("timeoutMs", text("x")),
            ("pdfTimeoutMs", text("x")),
            ("retries", text("x")),
            ("prefetchNonce", text("x")),
            ("nonceMaxAgeMs", text("x")),
            ("sessionMaxAgeMs", text("x")),
            ("loading", text("x")),
        ];
        assert_eq!(wrong.len(), OPTION_NAMES.len());
        let option_of = |err: ConfigError| match err {
            ConfigError::BadCxreportsUrl(_) => "cxreportsUrl",
            // `fetchNonce` given with a (valid) `nonceUrl`.
            ConfigError::NonceSource => "fetchNonce",
            ConfigError::WrongType { name, .. }
            | ConfigError::BadValue { name, .. }
            | ConfigError::BadEndpoint { name, .. } => name,
            other => panic!("{other:?}"),
        };
        for (i, (name, _)) in wrong.iter().enumerate() {
            // This one and all checked after it are wrong, given last first.
            let rest: Vec<_> = wrong[i..].iter().rev().cloned().collect();
            assert_eq!(option_of(with(&rest).unwrap_err()), *name);
        }
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
