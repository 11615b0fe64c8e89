//! The widget's public surface, declared once: every option (its name, how
//! its value is given, whether the host must give it, its TypeScript type
//! and description) and every DOM event the element dispatches, with the
//! `kind` and `stage` values of `cxreports:error`.
//!
//! Everything else is derived from these tables: the names validation knows
//! ([`OPTION_NAMES`]), the options the front ends parse as JSON
//! ([`JSON_OPTIONS`]), and, rendered by `tests/surface.rs`, the loader's
//! generated block (`www/cxreports-widget.js`), the TypeScript declarations'
//! generated region (`www/cxreports-widget.d.ts`) and the lists of the
//! custom-elements manifest (`www/surface.json`). Those files are checked in;
//! `CXR_REGENERATE=1 cargo test -p cxreports-widget --test surface` rewrites
//! them after a change here.
//!
//! Only the derived name lists reach the WebAssembly: the descriptions and
//! types are read by the native renderer alone.

/// How an option's value is given, which decides how the front ends read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text, a number or a boolean: an attribute, reflected by its property.
    Text,
    /// An address on the host backend the widget calls (text, reflected):
    /// it must be an endpoint, and the loader may call it before the
    /// WebAssembly is ready.
    Endpoint,
    /// An object or array: as an attribute, JSON text the browser parses;
    /// as a property, kept as given and not reflected.
    Json,
    /// A function: a property only, never an attribute.
    Function,
}

/// One option of the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    /// Its name, as the JS API spells it (camelCase).
    pub name: &'static str,
    /// How its value is given.
    pub kind: Kind,
    /// Whether every widget needs it.
    pub required: bool,
    /// Its TypeScript type in `ViewerOptions`.
    pub ts_type: &'static str,
    /// Its description, for the `.d.ts` and the manifest (lines split by `\n`).
    pub doc: &'static str,
}

impl OptionSpec {
    /// Whether the element observes it as an attribute (every option but a function).
    pub const fn is_attribute(&self) -> bool {
        !matches!(self.kind, Kind::Function)
    }

    /// Whether its property lives on the element only, not reflected to
    /// the attribute (objects and functions).
    pub const fn is_rich(&self) -> bool {
        matches!(self.kind, Kind::Json | Kind::Function)
    }

    /// Its attribute's name: the option's in kebab-case (`nonceUrl` → `nonce-url`).
    ///
    /// ```
    /// use cxreports_widget::internals::OPTIONS;
    /// assert_eq!(OPTIONS[0].attribute_name(), "cxreports-url");
    /// ```
    pub fn attribute_name(&self) -> String {
        let mut out = String::with_capacity(self.name.len() + 4);
        for c in self.name.chars() {
            if c.is_ascii_uppercase() {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }
}

/// Every option the widget knows, in the order validation reports them.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        name: "cxreportsUrl",
        kind: Kind::Text,
        required: true,
        ts_type: "string",
        doc: "CxReports base URL, absolute http(s). Required.",
    },
    OptionSpec {
        name: "workspace",
        kind: Kind::Text,
        required: true,
        ts_type: "string | number",
        doc: "Workspace id or code. Required.",
    },
    OptionSpec {
        name: "nonceUrl",
        kind: Kind::Endpoint,
        required: false,
        ts_type: "string",
        doc: r#"Your backend's endpoint: POST answers `{"nonce": "..."}`. Give this or `fetchNonce`."#,
    },
    OptionSpec {
        name: "fetchNonce",
        kind: Kind::Function,
        required: false,
        ts_type: "() => Promise<string> | string",
        doc: "Your own async function returning a fresh nonce. Give this or `nonceUrl`.",
    },
    OptionSpec {
        name: "reportsUrl",
        kind: Kind::Endpoint,
        required: false,
        ts_type: "string",
        doc: "Your backend's GET endpoint listing reports.",
    },
    OptionSpec {
        name: "reportTypesUrl",
        kind: Kind::Endpoint,
        required: false,
        ts_type: "string",
        doc: "Your backend's GET endpoint listing report types (orders the picker's groups).",
    },
    OptionSpec {
        name: "reports",
        kind: Kind::Json,
        required: false,
        ts_type: "Report[]",
        doc: "A static list instead of `reportsUrl`.",
    },
    OptionSpec {
        name: "report",
        kind: Kind::Text,
        required: false,
        ts_type: "ReportRef",
        doc: "The report shown first.",
    },
    OptionSpec {
        name: "params",
        kind: Kind::Json,
        required: false,
        ts_type: "Record<string, unknown>",
        doc: "Report parameters.",
    },
    OptionSpec {
        name: "data",
        kind: Kind::Json,
        required: false,
        ts_type: "unknown",
        doc: "Inline report data (small payloads: it rides in the URL).",
    },
    OptionSpec {
        name: "tempDataId",
        kind: Kind::Text,
        required: false,
        ts_type: "number",
        doc: "Id of data stored through your backend's temporary-data endpoint. For its PDF, the reference backend wants the `tempDataHandle` it answered too: put it in `pdfUrl`'s query.",
    },
    OptionSpec {
        name: "timezone",
        kind: Kind::Text,
        required: false,
        ts_type: "string | false",
        doc: r#"IANA time zone for the viewer's dates, e.g. "Europe/Belgrade". Default:
the reader's own zone (the browser's). `false` or "none" sends none."#,
    },
    OptionSpec {
        name: "lang",
        kind: Kind::Text,
        required: false,
        ts_type: "string",
        doc: "Report language (the viewer's); also the widget's, when `locale` is not given.",
    },
    OptionSpec {
        name: "theme",
        kind: Kind::Text,
        required: false,
        ts_type: "string",
        doc: "Theme id or code.",
    },
    OptionSpec {
        name: "template",
        kind: Kind::Text,
        required: false,
        ts_type: "string",
        doc: "Template id or code.",
    },
    OptionSpec {
        name: "paramsEncoding",
        kind: Kind::Text,
        required: false,
        ts_type: r#""json" | "base64""#,
        doc: r#"How params ride in the viewer URL. Default "json"."#,
    },
    OptionSpec {
        name: "pdfUrl",
        kind: Kind::Endpoint,
        required: false,
        ts_type: "string",
        doc: "Your backend's PDF endpoint: `{pdfUrl}/{report}/pdf`, or a URL containing `{report}`. Enables the PDF button.",
    },
    OptionSpec {
        name: "requestHeaders",
        kind: Kind::Json,
        required: false,
        ts_type: "Record<string, string>",
        doc: "Extra headers for calls to your backend only (e.g. a CSRF token). Never a credential.",
    },
    OptionSpec {
        name: "credentials",
        kind: Kind::Text,
        required: false,
        ts_type: r#""same-origin" | "include""#,
        doc: r#""include" when your backend is on another origin and uses cookies. Default "same-origin"."#,
    },
    OptionSpec {
        name: "showPicker",
        kind: Kind::Text,
        required: false,
        ts_type: "boolean",
        doc: "Show the report picker. Default true.",
    },
    OptionSpec {
        name: "height",
        kind: Kind::Text,
        required: false,
        ts_type: "string | number",
        doc: r#"CSS height, or pixels. Default "600px"."#,
    },
    OptionSpec {
        name: "timeoutMs",
        kind: Kind::Text,
        required: false,
        ts_type: "number",
        doc: "Time limit of each call to your backend and of `fetchNonce`, ms. Default 15000.",
    },
    OptionSpec {
        name: "pdfTimeoutMs",
        kind: Kind::Text,
        required: false,
        ts_type: "number",
        doc: "Time limit of a PDF export, ms: the report is rendered while the reader waits. Never retried. Default 120000.",
    },
    OptionSpec {
        name: "retries",
        kind: Kind::Text,
        required: false,
        ts_type: "number",
        doc: "Retries of a transient failure (network, timeout, 408/429/502/503/504). Default 2.",
    },
    OptionSpec {
        name: "prefetchNonce",
        kind: Kind::Text,
        required: false,
        ts_type: "boolean",
        doc: "Keep one fresh nonce ready so switching reports needs no round trip. Default true.",
    },
    OptionSpec {
        name: "nonceMaxAgeMs",
        kind: Kind::Text,
        required: false,
        ts_type: "number",
        doc: "Age after which a prefetched nonce is dropped unused, ms. Default 30000.",
    },
    OptionSpec {
        name: "sessionMaxAgeMs",
        kind: Kind::Text,
        required: false,
        ts_type: "number",
        doc: "Age after which the viewer's session counts as expired, ms: when the page becomes
visible again, is restored from the back/forward cache or comes back online with
an older session, the report is opened again with a fresh nonce
(`cxreports:reopen`). Set it a little below the CxReports server's session
lifetime. 0: never. Default 1800000 (30 minutes).",
    },
    OptionSpec {
        name: "loading",
        kind: Kind::Text,
        required: false,
        ts_type: r#""eager" | "lazy""#,
        doc: r#""lazy": request nothing and show no report until the widget nears the viewport (200px). Default "eager"."#,
    },
    OptionSpec {
        name: "locale",
        kind: Kind::Text,
        required: false,
        ts_type: "string",
        doc: r#"The widget's own language, a BCP 47 tag like "de" or "sr-Latn". Default:
the first of `lang`, the element's or page's `lang` and the browser's
languages that has a catalog (en, de, fr, es, it, pt, nl, pl, hr, sr-Latn),
else English. Right-to-left languages lay the widget out mirrored."#,
    },
    OptionSpec {
        name: "messages",
        kind: Kind::Json,
        required: false,
        ts_type: "Partial<Record<MessageKey, string>>",
        doc: "Your own texts for any message key, over the language's catalog (see the README).",
    },
    OptionSpec {
        name: "colorScheme",
        kind: Kind::Text,
        required: false,
        ts_type: r#""light" | "dark" | "auto""#,
        doc: r#"The built-in colors: "light" (default), "dark", or "auto" (follows prefers-color-scheme)."#,
    },];

/// Every option the widget knows, as the JS API spells it (from [`OPTIONS`]).
pub const OPTION_NAMES: &[&str] = &names_of::<{ OPTIONS.len() }>(None);

/// The options whose values are JSON (objects or arrays): the front ends
/// parse these when given as text (attributes), with the browser's parser
/// (from [`OPTIONS`]).
pub const JSON_OPTIONS: &[&str] = &names_of::<{ count(Kind::Json) }>(Some(Kind::Json));

/// The host endpoints the widget calls (from [`OPTIONS`]).
pub const ENDPOINT_OPTIONS: &[&str] = &names_of::<{ count(Kind::Endpoint) }>(Some(Kind::Endpoint));

/// How many options are of `kind`.
const fn count(kind: Kind) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < OPTIONS.len() {
        if OPTIONS[i].kind as u8 == kind as u8 {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The names of the `N` options of `kind` (of all, for `None`), in order.
const fn names_of<const N: usize>(kind: Option<Kind>) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut i, mut n) = (0, 0);
    while i < OPTIONS.len() {
        let wanted = match kind {
            Some(kind) => OPTIONS[i].kind as u8 == kind as u8,
            None => true,
        };
        if wanted {
            out[n] = OPTIONS[i].name;
            n += 1;
        }
        i += 1;
    }
    out
}

/// Attributes an element carries for the page, never options: the widget
/// and the loader pass them over. Besides these, every `data-*` and
/// `aria-*` ([`ELEMENT_ATTRIBUTE_PREFIXES`]).
pub const ELEMENT_ATTRIBUTES: &[&str] = &[
    "id", "class", "style", "slot", "title", "hidden", "tabindex", "role", "part",
];

/// Prefixes of attributes that belong to the element, not to the widget.
pub const ELEMENT_ATTRIBUTE_PREFIXES: &[&str] = &["data-", "aria-"];

/// One DOM event the widget dispatches on its element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSpec {
    /// The event's type.
    pub name: &'static str,
    /// When it is dispatched.
    pub doc: &'static str,
    /// The TypeScript type of its `detail`.
    pub detail_ts_type: &'static str,
}

/// Every event the widget dispatches (they bubble and are composed).
pub const EVENTS: &[EventSpec] = &[
    EventSpec {
        name: "cxreports:ready",
        doc: "Mounted and configured.",
        detail_ts_type: "Record<string, never>",
    },
    EventSpec {
        name: "cxreports:select",
        doc: "A report was chosen (by the picker or the host).",
        detail_ts_type: "{ report: ReportRef }",
    },
    EventSpec {
        name: "cxreports:load",
        doc: "The viewer page for the report finished loading.",
        detail_ts_type: "{ report: ReportRef; name: string | null }",
    },
    EventSpec {
        name: "cxreports:reopen",
        doc: "The widget opens the current report again by itself, with a fresh nonce: its
session had grown older than `sessionMaxAgeMs` (`session-stale`), or it was
opened while offline and the browser is online again (`back-online`).",
        detail_ts_type: r#"{ report: ReportRef; reason: "session-stale" | "back-online" }"#,
    },
    EventSpec {
        name: "cxreports:error",
        doc: "Something failed; the widget shows it too.",
        detail_ts_type: "ErrorDetail",
    },
    EventSpec {
        name: "cxreports:warning",
        doc: "The widget works, but how it is deployed will fail some readers; once per page, also on the console.",
        detail_ts_type: "WarningDetail",
    },
];

/// Every `kind` of a `cxreports:warning`
/// ([`Warning::kind`](crate::Warning::kind)'s). `cross-site`: CxReports is
/// on another site than the page, so browsers that block third-party
/// cookies break the viewer after its first page.
pub const WARNING_KINDS: &[&str] = &["cross-site"];

/// Every `kind` of a `cxreports:error`: what went wrong. `load` is the
/// loader's own (the WebAssembly could not load); the others are
/// [`WidgetError::kind`](crate::WidgetError::kind)'s.
pub const ERROR_KINDS: &[&str] = &[
    "config",
    "network",
    "timeout",
    "http",
    "html",
    "bad-response",
    "empty-nonce",
    "fetch-nonce",
    "bad-report",
    "browser",
    "load",
];

/// Every `stage` of a `cxreports:error`: what the widget was doing. `load`
/// is the loader's own; the others are
/// [`WidgetError::stage`](crate::WidgetError::stage)'s.
pub const ERROR_STAGES: &[&str] = &[
    "config", "reports", "types", "nonce", "pdf", "catalog", "report", "load",
];

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::error::{ConfigError, HostError, Refusal, WidgetError};

    #[test]
    fn names_are_unique_camel_case_and_never_secret_like() {
        let names: BTreeSet<&str> = OPTION_NAMES.iter().copied().collect();
        assert_eq!(names.len(), OPTIONS.len());
        for option in OPTIONS {
            assert!(option.name.chars().all(|c| c.is_ascii_alphanumeric()));
            assert!(option.name.starts_with(|c: char| c.is_ascii_lowercase()));
            assert!(
                !super::super::is_secret_like(option.name),
                "{}",
                option.name
            );
            assert!(!option.doc.trim().is_empty() && !option.ts_type.is_empty());
            assert_eq!(
                super::super::attribute_to_option(&option.attribute_name()),
                option.name
            );
        }
    }

    #[test]
    fn derived_lists_follow_the_table() {
        assert_eq!(OPTION_NAMES.len(), OPTIONS.len());
        assert!(OPTIONS.iter().zip(OPTION_NAMES).all(|(o, n)| o.name == *n));
        let of = |kind| -> Vec<&str> {
            OPTIONS
                .iter()
                .filter(|o| o.kind == kind)
                .map(|o| o.name)
                .collect()
        };
        assert_eq!(JSON_OPTIONS, of(Kind::Json).as_slice());
        assert_eq!(ENDPOINT_OPTIONS, of(Kind::Endpoint).as_slice());
        assert_eq!(
            JSON_OPTIONS,
            ["reports", "params", "data", "requestHeaders", "messages"]
        );
        assert_eq!(
            ENDPOINT_OPTIONS,
            ["nonceUrl", "reportsUrl", "reportTypesUrl", "pdfUrl"]
        );
        let required: Vec<&str> = OPTIONS
            .iter()
            .filter(|o| o.required)
            .map(|o| o.name)
            .collect();
        assert_eq!(required, ["cxreportsUrl", "workspace"]);
    }

    #[test]
    fn error_kinds_and_stages_are_the_widgets() {
        let host = [
            HostError::Network { url: "/x".into() },
            HostError::Timeout {
                url: "/x".into(),
                ms: 1,
            },
            HostError::Status {
                url: "/x".into(),
                status: 500,
                message: None,
            },
            HostError::Html { url: "/x".into() },
            HostError::BadResponse {
                url: "/x".into(),
                detail: "x".into(),
            },
            HostError::EmptyNonce,
            HostError::Callback("x".into()),
        ];
        let mut errors = vec![
            WidgetError::Config(ConfigError::NonceSource),
            WidgetError::Popup(Refusal::NewTab),
            WidgetError::BadReport("x".into()),
        ];
        for e in host {
            errors.extend([
                WidgetError::Reports(e.clone()),
                WidgetError::Types(e.clone()),
                WidgetError::Nonce(e.clone()),
                WidgetError::Pdf(e.clone()),
                WidgetError::Catalog(e),
            ]);
        }
        let kinds: BTreeSet<&str> = errors.iter().map(WidgetError::kind).collect();
        let stages: BTreeSet<&str> = errors.iter().map(WidgetError::stage).collect();
        // Every value the widget gives is declared, and every declared one
        // but the loader's own `load` is one the widget gives.
        let declared = |values: &[&'static str]| -> BTreeSet<&'static str> {
            values.iter().copied().filter(|v| *v != "load").collect()
        };
        assert_eq!(kinds, declared(ERROR_KINDS));
        assert_eq!(stages, declared(ERROR_STAGES));
    }

    #[test]
    fn warning_kinds_are_the_widgets() {
        let warnings = [crate::Warning::CrossSite {
            page_origin: "http://localhost".into(),
            cxreports_origin: "http://127.0.0.1".into(),
        }];
        let kinds: BTreeSet<&str> = warnings.iter().map(crate::Warning::kind).collect();
        assert_eq!(kinds, WARNING_KINDS.iter().copied().collect());
    }
}
