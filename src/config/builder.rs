//! A typed way for Rust and Yew hosts to configure the widget. The builder
//! only collects options under their JS names; [`ConfigBuilder::build`]
//! hands them to [`ViewerConfig::from_raw`], so a Rust host is held to
//! exactly the checks a JS host or an element's attributes are.
use std::rc::Rc;

use cxreports_contract::model::Report;
use cxreports_contract::{ParamsEncoding, ReportRef};

use crate::error::ConfigError;

use super::{ColorScheme, Credentials, JsonValue, RawOptions, RawValue, ViewerConfig};

/// Options for a [`ViewerConfig`], set one by one with Rust types; see
/// [`ViewerConfig::builder`]. Each method sets the JS option of the same
/// name in camelCase (`nonce_url` sets `nonceUrl`); setting one twice keeps
/// the last value.
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ConfigBuilder {
    raw: RawOptions,
}

impl ViewerConfig {
    /// Starts a configuration with the two options every widget needs: the
    /// CxReports server and the workspace on it. Give a nonce source
    /// ([`nonce_url`](ConfigBuilder::nonce_url) or
    /// [`fetch_nonce`](ConfigBuilder::fetch_nonce)) before
    /// [`build`](ConfigBuilder::build).
    ///
    /// ```
    /// use cxreports_widget::{ReportRef, ViewerConfig};
    ///
    /// let config = ViewerConfig::builder("https://reports.example.com", "sales")
    ///     .nonce_url("/api/cxreports/nonce")
    ///     .reports_url("/api/cxreports/reports")
    ///     .report(ReportRef::TypeCode("invoice".into()))
    ///     .height("480px")
    ///     .build()
    ///     .expect("valid options");
    /// assert_eq!(config.cxreports_origin(), "https://reports.example.com");
    ///
    /// // Refused as `from_raw` refuses it, with the same message.
    /// let err = ViewerConfig::builder("https://reports.example.com", "sales")
    ///     .nonce_url("javascript:alert(1)")
    ///     .build()
    ///     .unwrap_err();
    /// assert!(err.to_string().contains("nonceUrl"));
    /// ```
    pub fn builder(
        cxreports_url: impl Into<String>,
        workspace: impl Into<String>,
    ) -> ConfigBuilder {
        ConfigBuilder { raw: Vec::new() }
            .text("cxreportsUrl", cxreports_url.into())
            .text("workspace", workspace.into())
    }
}

impl ConfigBuilder {
    fn set(mut self, name: &str, value: RawValue) -> Self {
        self.raw.push((name.to_owned(), value));
        self
    }

    fn text(self, name: &str, value: String) -> Self {
        self.set(name, RawValue::Str(value))
    }

    fn flag(self, name: &str, value: bool) -> Self {
        self.set(name, RawValue::Bool(value))
    }

    fn number(self, name: &str, value: u32) -> Self {
        self.set(name, RawValue::Num(f64::from(value)))
    }

    /// `nonceUrl`: the host backend's endpoint answering `POST` with `{"nonce": "..."}`.
    pub fn nonce_url(self, url: impl Into<String>) -> Self {
        self.text("nonceUrl", url.into())
    }

    /// `fetchNonce`: the host's own JS function returning a fresh nonce
    /// (or a promise of one), instead of `nonceUrl`.
    pub fn fetch_nonce(self, function: js_sys::Function) -> Self {
        self.set("fetchNonce", RawValue::Func(function))
    }

    /// `reportsUrl`: the host backend's endpoint listing reports.
    pub fn reports_url(self, url: impl Into<String>) -> Self {
        self.text("reportsUrl", url.into())
    }

    /// `reportTypesUrl`: the host backend's endpoint listing report types.
    pub fn report_types_url(self, url: impl Into<String>) -> Self {
        self.text("reportTypesUrl", url.into())
    }

    /// `reports`: a static report list, instead of `reportsUrl`.
    pub fn reports(self, reports: Vec<Report>) -> Self {
        self.set("reports", RawValue::Reports(Rc::new(reports)))
    }

    /// `report`: the report shown first.
    pub fn report(self, report: ReportRef) -> Self {
        self.text("report", report.to_string())
    }

    /// `params`: the report's parameters, a JSON object.
    pub fn params(self, params: JsonValue) -> Self {
        self.set("params", RawValue::Json(params))
    }

    /// `data`: inline report data, a JSON object or array.
    pub fn data(self, data: JsonValue) -> Self {
        self.set("data", RawValue::Json(data))
    }

    /// `tempDataId`: data stored through the host backend's temporary-data endpoint.
    pub fn temp_data_id(self, id: u32) -> Self {
        self.number("tempDataId", id)
    }

    /// `timezone`: the IANA zone of the viewer's dates (default: the reader's own).
    pub fn timezone(self, zone: impl Into<String>) -> Self {
        self.text("timezone", zone.into())
    }

    /// `timezone: false`: the viewer is sent no time zone at all.
    pub fn no_timezone(self) -> Self {
        self.flag("timezone", false)
    }

    /// `lang`: the report's language (and the widget's, without `locale`).
    pub fn lang(self, lang: impl Into<String>) -> Self {
        self.text("lang", lang.into())
    }

    /// `theme`: a theme id or code.
    pub fn theme(self, theme: impl Into<String>) -> Self {
        self.text("theme", theme.into())
    }

    /// `template`: a template id or code.
    pub fn template(self, template: impl Into<String>) -> Self {
        self.text("template", template.into())
    }

    /// `paramsEncoding`: how `params` ride in the viewer URL.
    pub fn params_encoding(self, encoding: ParamsEncoding) -> Self {
        let name = match encoding {
            ParamsEncoding::Json => "json",
            ParamsEncoding::Base64 => "base64",
        };
        self.text("paramsEncoding", name.to_owned())
    }

    /// `pdfUrl`: the host backend's PDF endpoint; enables the PDF button.
    pub fn pdf_url(self, url: impl Into<String>) -> Self {
        self.text("pdfUrl", url.into())
    }

    /// `requestHeaders`: extra headers on calls to the host backend (never
    /// a credential: `Authorization` is refused).
    pub fn request_headers<N, V>(self, headers: impl IntoIterator<Item = (N, V)>) -> Self
    where
        N: Into<String>,
        V: Into<String>,
    {
        self.set("requestHeaders", RawValue::Json(string_object(headers)))
    }

    /// `credentials`: whether host-backend calls carry cookies to another origin.
    pub fn credentials(self, credentials: Credentials) -> Self {
        let name = match credentials {
            Credentials::SameOrigin => "same-origin",
            Credentials::Include => "include",
        };
        self.text("credentials", name.to_owned())
    }

    /// `showPicker`: show the report picker (default true).
    pub fn show_picker(self, show: bool) -> Self {
        self.flag("showPicker", show)
    }

    /// `height`: the widget's CSS height (default `600px`).
    pub fn height(self, height: impl Into<String>) -> Self {
        self.text("height", height.into())
    }

    /// `timeoutMs`: the time limit of each host call.
    pub fn timeout_ms(self, ms: u32) -> Self {
        self.number("timeoutMs", ms)
    }

    /// `pdfTimeoutMs`: the time limit of a PDF export.
    pub fn pdf_timeout_ms(self, ms: u32) -> Self {
        self.number("pdfTimeoutMs", ms)
    }

    /// `retries`: retries of a transient host failure.
    pub fn retries(self, retries: u32) -> Self {
        self.number("retries", retries)
    }

    /// `prefetchNonce`: keep one fresh nonce ready (default true).
    pub fn prefetch_nonce(self, prefetch: bool) -> Self {
        self.flag("prefetchNonce", prefetch)
    }

    /// `nonceMaxAgeMs`: the age after which a prefetched nonce is dropped.
    pub fn nonce_max_age_ms(self, ms: u32) -> Self {
        self.number("nonceMaxAgeMs", ms)
    }

    /// `sessionMaxAgeMs`: the age after which the viewer's session is
    /// renewed when the page comes back; 0 never.
    pub fn session_max_age_ms(self, ms: u32) -> Self {
        self.number("sessionMaxAgeMs", ms)
    }

    /// `loading: "lazy"` (true) or `"eager"` (false, the default).
    pub fn lazy(self, lazy: bool) -> Self {
        let loading = if lazy { "lazy" } else { "eager" };
        self.text("loading", loading.to_owned())
    }

    /// `locale`: the widget's own language, a BCP 47 tag.
    pub fn locale(self, locale: impl Into<String>) -> Self {
        self.text("locale", locale.into())
    }

    /// `messages`: the host's own texts by message key, over the language's catalog.
    pub fn messages<K, V>(self, messages: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        self.set("messages", RawValue::Json(string_object(messages)))
    }

    /// `colorScheme`: light, dark or following the reader's system.
    pub fn color_scheme(self, scheme: ColorScheme) -> Self {
        self.text("colorScheme", scheme.as_str().to_owned())
    }

    /// The options set so far, as [`ViewerConfig::from_raw`] reads them.
    pub fn raw(&self) -> &RawOptions {
        &self.raw
    }

    /// Validates the options, exactly as [`ViewerConfig::from_raw`] does.
    pub fn build(self) -> Result<ViewerConfig, ConfigError> {
        ViewerConfig::from_raw(self.raw)
    }
}

/// A JSON object whose members are all strings.
fn string_object<N, V>(pairs: impl IntoIterator<Item = (N, V)>) -> JsonValue
where
    N: Into<String>,
    V: Into<String>,
{
    let members: Vec<(String, Option<String>)> = pairs
        .into_iter()
        .map(|(name, value)| (name.into(), Some(value.into())))
        .collect();
    let mut text = String::from("{");
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        quote(&mut text, name);
        text.push(':');
        quote(&mut text, value.as_deref().unwrap_or_default());
    }
    text.push('}');
    JsonValue {
        text,
        members: Some(members),
    }
}

/// Appends `s` as a JSON string, escaped as `JSON.stringify` escapes it.
fn quote(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::super::OPTION_NAMES;
    use super::*;

    const URL: &str = "https://reports.example.com";

    fn raw(entries: &[(&str, RawValue)]) -> RawOptions {
        entries
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect()
    }

    fn text(s: &str) -> RawValue {
        RawValue::Str(s.into())
    }

    #[test]
    fn every_option_but_a_js_function_has_a_typed_setter() {
        let builder = ViewerConfig::builder(URL, "sales")
            .nonce_url("/n")
            .reports_url("/r")
            .report_types_url("/t")
            .reports(Vec::new())
            .report(ReportRef::Id(3))
            .params(JsonValue {
                text: "{}".into(),
                members: Some(Vec::new()),
            })
            .data(JsonValue {
                text: "[]".into(),
                members: None,
            })
            .temp_data_id(5)
            .timezone("UTC")
            .lang("de")
            .theme("t")
            .template("t")
            .params_encoding(ParamsEncoding::Base64)
            .pdf_url("/pdf")
            .request_headers([("X-CSRF-Token", "a\"b")])
            .credentials(Credentials::Include)
            .show_picker(false)
            .height("400px")
            .timeout_ms(1)
            .pdf_timeout_ms(2)
            .retries(3)
            .prefetch_nonce(false)
            .nonce_max_age_ms(4)
            .session_max_age_ms(5)
            .lazy(true)
            .locale("fr")
            .messages([("close", "Fermer")])
            .color_scheme(ColorScheme::Dark);
        let set: BTreeSet<&str> = builder.raw().iter().map(|(n, _)| n.as_str()).collect();
        let known: BTreeSet<&str> = OPTION_NAMES
            .iter()
            .copied()
            .filter(|n| *n != "fetchNonce")
            .collect();
        assert_eq!(set, known);
        let config = builder.build().unwrap();
        assert_eq!(config.report(), Some(&ReportRef::Id(3)));
        assert_eq!(
            config.request_headers(),
            [("X-CSRF-Token".to_owned(), "a\"b".to_owned())]
        );
        assert_eq!(config.messages, [("close".to_owned(), "Fermer".to_owned())]);
        assert_eq!(config.query().temp_data_id, Some(5));
        assert_eq!(config.params_encoding, ParamsEncoding::Base64);
        assert_eq!(config.credentials, Credentials::Include);
        assert_eq!(config.color_scheme, ColorScheme::Dark);
        assert!(config.lazy && !config.show_picker && !config.prefetch_nonce);
        assert_eq!(
            (config.timeout_ms, config.pdf_timeout_ms, config.retries),
            (1, 2, 3)
        );
    }

    #[test]
    fn what_the_builder_refuses_from_raw_refuses_alike() {
        let base = || ViewerConfig::builder(URL, "sales").nonce_url("/n");
        let given = |extra: &[(&str, RawValue)]| {
            let mut options = raw(&[
                ("cxreportsUrl", text(URL)),
                ("workspace", text("sales")),
                ("nonceUrl", text("/n")),
            ]);
            options.extend(raw(extra));
            ViewerConfig::from_raw(options)
        };
        let cases: Vec<(ConfigBuilder, Vec<(&str, RawValue)>)> = vec![
            (
                ViewerConfig::builder("ftp://x", "sales").nonce_url("/n"),
                vec![("cxreportsUrl", text("ftp://x"))],
            ),
            (
                ViewerConfig::builder(URL, "..").nonce_url("/n"),
                vec![("workspace", text(".."))],
            ),
            (
                ViewerConfig::builder(URL, "sales"),
                vec![("nonceUrl", RawValue::Absent)],
            ),
            (
                base().reports_url("javascript:x"),
                vec![("reportsUrl", text("javascript:x"))],
            ),
            (
                base().pdf_url("//evil/x"),
                vec![("pdfUrl", text("//evil/x"))],
            ),
            (
                base().report(ReportRef::TypeCode("..".into())),
                vec![("report", text(".."))],
            ),
            (base().height("1px;x"), vec![("height", text("1px;x"))]),
            (base().locale("bad tag"), vec![("locale", text("bad tag"))]),
            (
                base().request_headers([("Authorization", "Bearer x")]),
                vec![("requestHeaders", text(r#"{"Authorization":"Bearer x"}"#))],
            ),
            (
                base().request_headers([("X Bad", "v")]),
                vec![("requestHeaders", text(r#"{"X Bad":"v"}"#))],
            ),
            (
                base().messages([("nope", "x")]),
                vec![("messages", text(r#"{"nope":"x"}"#))],
            ),
            (
                base().params(JsonValue {
                    text: "[1]".into(),
                    members: None,
                }),
                vec![("params", text("[1]"))],
            ),
        ];
        for (builder, extra) in cases {
            let built = builder.clone().build();
            assert!(built.is_err(), "{builder:?}");
            // As a JS host would give the same value: the same refusal.
            let extra: Vec<(&str, RawValue)> = extra
                .into_iter()
                .map(|(name, value)| match (name, &value) {
                    ("requestHeaders" | "messages" | "params", RawValue::Str(json)) => {
                        (name, super::super::options::testing::json(json))
                    }
                    _ => (name, value),
                })
                .collect();
            let from_raw = match extra.as_slice() {
                [("cxreportsUrl" | "workspace", _)] => {
                    let mut options = raw(&[
                        ("cxreportsUrl", text(URL)),
                        ("workspace", text("sales")),
                        ("nonceUrl", text("/n")),
                    ]);
                    let (name, value) = &extra[0];
                    if let Some(slot) = options.iter_mut().find(|(n, _)| n == name) {
                        slot.1 = value.clone();
                    }
                    ViewerConfig::from_raw(options)
                }
                [("nonceUrl", RawValue::Absent)] => ViewerConfig::from_raw(raw(&[
                    ("cxreportsUrl", text(URL)),
                    ("workspace", text("sales")),
                ])),
                _ => given(&extra),
            };
            assert_eq!(built, from_raw, "{builder:?}");
        }
    }

    proptest! {
        /// Over any values, the builder's result (a config or the first
        /// problem) is `from_raw`'s for the same options as JS gives them.
        #[test]
        fn the_builder_is_from_raw(
            url in prop_oneof![Just(URL.to_owned()), "\\PC{0,20}"],
            workspace in "\\PC{0,8}",
            nonce in prop_oneof![Just("/n".to_owned()), "\\PC{0,12}"],
            reports in proptest::option::of("\\PC{0,12}"),
            report in proptest::option::of("\\PC{0,8}"),
            height in proptest::option::of("\\PC{0,8}"),
            retries in proptest::option::of(any::<u32>()),
            picker in proptest::option::of(any::<bool>()),
            lazy in proptest::option::of(any::<bool>()),
            header in proptest::option::of(("\\PC{0,6}", "\\PC{0,6}")),
        ) {
            let mut builder = ViewerConfig::builder(url.clone(), workspace.clone()).nonce_url(nonce.clone());
            let mut js = raw(&[
                ("cxreportsUrl", text(&url)),
                ("workspace", text(&workspace)),
                ("nonceUrl", text(&nonce)),
            ]);
            if let Some(v) = &reports {
                builder = builder.reports_url(v.clone());
                js.push(("reportsUrl".into(), text(v)));
            }
            if let Some(v) = &report {
                let parsed = ReportRef::parse(v);
                builder = builder.report(parsed.clone());
                js.push(("report".into(), text(&parsed.to_string())));
            }
            if let Some(v) = &height {
                builder = builder.height(v.clone());
                js.push(("height".into(), text(v)));
            }
            if let Some(v) = retries {
                builder = builder.retries(v);
                js.push(("retries".into(), RawValue::Num(f64::from(v))));
            }
            if let Some(v) = picker {
                builder = builder.show_picker(v);
                js.push(("showPicker".into(), RawValue::Bool(v)));
            }
            if let Some(v) = lazy {
                builder = builder.lazy(v);
                js.push(("loading".into(), text(if v { "lazy" } else { "eager" })));
            }
            if let Some((name, value)) = &header {
                builder = builder.request_headers([(name.clone(), value.clone())]);
                let object = serde_json::json!({ name.clone(): value.clone() }).to_string();
                js.push(("requestHeaders".into(), super::super::options::testing::json(&object)));
            }
            prop_assert_eq!(builder.build(), ViewerConfig::from_raw(js));
        }
    }
}
