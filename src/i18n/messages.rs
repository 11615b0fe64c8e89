//! Every string the widget shows or announces, by key, with its English
//! text. English is compiled in; other languages are catalogs (JSON objects
//! from key to text) fetched beside the WebAssembly, and a host's `messages`
//! option overrides any key.
//!
//! A text may hold placeholders like `{name}`, filled by [`Messages::format`];
//! each catalog keeps the same placeholders as English (a native test checks
//! every shipped catalog).
use std::rc::Rc;

macro_rules! keys {
    ($($key:ident = $name:literal => $english:literal,)*) => {
        /// A message key. Its [`Key::name`] is how catalogs and the
        /// `messages` option spell it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub enum Key { $($key),* }

        impl Key {
            /// Every key, in catalog order.
            pub const ALL: &'static [Key] = &[$(Key::$key),*];

            /// The key as catalogs spell it (camelCase).
            pub fn name(self) -> &'static str {
                match self { $(Key::$key => $name),* }
            }

            /// The English text.
            pub fn english(self) -> &'static str {
                match self { $(Key::$key => $english),* }
            }
        }
    };
}

keys! {
    Reports = "reports" => "Reports",
    SearchPlaceholder = "searchPlaceholder" => "Search reports",
    NoReports = "noReports" => "No reports are available.",
    NoMatch = "noMatch" => "No reports match \u{201c}{filter}\u{201d}.",
    DefaultBadge = "defaultBadge" => "default",
    DefaultBadgeTitle = "defaultBadgeTitle" => "Default report of this type",
    LoadingReports = "loadingReports" => "Loading reports\u{2026}",
    ChooseReport = "chooseReport" => "Choose a report",
    ChooseHint = "chooseHint" => "Choose a report to see it here.",
    Close = "close" => "Close",
    PreviewLabel = "previewLabel" => "Report preview",
    ActionsLabel = "actionsLabel" => "Report actions",
    MoreActions = "moreActions" => "More actions",
    Refresh = "refresh" => "Refresh",
    RefreshTitle = "refreshTitle" => "Reload the report",
    Print = "print" => "Print",
    PrintTitle = "printTitle" => "Print the report",
    Pdf = "pdf" => "PDF",
    PdfBusy = "pdfBusy" => "PDF\u{2026}",
    PdfTitle = "pdfTitle" => "Download the report as PDF",
    NewTab = "newTab" => "Open in new tab",
    NewTabTitle = "newTabTitle" => "Open the report in a new tab",
    FullScreen = "fullScreen" => "Full screen",
    FullScreenTitle = "fullScreenTitle" => "Show the report full screen",
    Retry = "retry" => "Retry",
    Opening = "opening" => "Opening {name}\u{2026}",
    Loaded = "loaded" => "{name} is shown.",
    ReportById = "reportById" => "report {id}",
    FrameTitle = "frameTitle" => "Report",
    FrameTitleNamed = "frameTitleNamed" => "Report: {name}",
    ErrorReports = "errorReports" => "The report list could not be loaded: {reason}",
    ErrorTypes = "errorTypes" => "The report types could not be loaded, so the reports are not grouped by type: {reason}",
    ErrorOpen = "errorOpen" => "The report could not be opened: {reason}",
    ErrorPdf = "errorPdf" => "The PDF could not be downloaded: {reason}",
    ErrorBadReport = "errorBadReport" => "The report \u{201c}{report}\u{201d} cannot be shown: its id or code cannot form a viewer address. Choose another report.",
    ErrorPopup = "errorPopup" => "The browser blocked the new tab: allow pop-ups for this site and try again.",
    ErrorPrint = "errorPrint" => "This browser does not let the page print the report: use the PDF button or open the report in a new tab.",
    ReasonNetwork = "reasonNetwork" => "could not reach {url}. Check your connection, then try again.",
    ReasonTimeout = "reasonTimeout" => "{url} did not answer within {seconds} s. Try again in a moment.",
    ReasonStatus = "reasonStatus" => "{url} answered HTTP {status}.",
    ReasonStatusMessage = "reasonStatusMessage" => "{url} answered HTTP {status}: {message}",
    ReasonHtml = "reasonHtml" => "your session with this site may have expired. Sign in again, then try again.",
    ReasonBadResponse = "reasonBadResponse" => "{url} answered something the widget cannot read ({detail}).",
    ReasonEmptyNonce = "reasonEmptyNonce" => "the site gave no usable nonce (sign-in token) for the report. Try again; if it keeps failing, tell the site's administrator.",
    ReasonCallback = "reasonCallback" => "the site could not provide a sign-in token ({detail}). Try again.",
}

impl Key {
    /// The key spelled `name`, if there is one.
    ///
    /// ```
    /// use cxreports_widget::i18n::Key;
    /// assert_eq!(Key::from_name("refresh"), Some(Key::Refresh));
    /// assert_eq!(Key::from_name("Refresh"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.iter().copied().find(|k| k.name() == name)
    }
}

/// The strings of one widget: a language's catalog with the host's overrides.
///
/// ```
/// use cxreports_widget::i18n::{Key, Messages};
/// let german = Messages::english().with([("refresh".to_string(), "Aktualisieren".to_string())]);
/// assert_eq!(german.text(Key::Refresh), "Aktualisieren");
/// assert_eq!(german.format(Key::Opening, &[("name", "Sales")]), "Opening Sales\u{2026}");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Messages {
    /// Per key (in [`Key::ALL`] order), its text when it is not English.
    texts: Rc<Vec<Option<String>>>,
}

impl Messages {
    /// English, as compiled in.
    pub fn english() -> Self {
        Messages::default()
    }

    /// These messages with `entries` (key name → text) on top. Unknown keys
    /// are ignored: a catalog written for a newer widget still loads.
    pub fn with(&self, entries: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut texts = (*self.texts).clone();
        texts.resize(Key::ALL.len(), None);
        for (name, text) in entries {
            if let Some(key) = Key::from_name(&name) {
                texts[key as usize] = Some(text);
            }
        }
        Messages {
            texts: Rc::new(texts),
        }
    }

    /// The text of `key`.
    pub fn text(&self, key: Key) -> &str {
        match self.texts.get(key as usize) {
            Some(Some(text)) => text,
            _ => key.english(),
        }
    }

    /// The text of `key` with each `{name}` placeholder in `args` filled in.
    /// Placeholders are filled in one pass, so a value holding `{x}` stays
    /// as it is.
    pub fn format(&self, key: Key, args: &[(&str, &str)]) -> String {
        let text = self.text(key);
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let filled = after.find('}').and_then(|close| {
                let name = &after[..close];
                let value = args.iter().find(|(n, _)| *n == name)?.1;
                Some((value, close))
            });
            match filled {
                Some((value, close)) => {
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The placeholders (`{name}`) in `text`, sorted, for checking that a
/// translation keeps every one.
///
/// ```
/// use cxreports_widget::i18n::placeholders;
/// assert_eq!(placeholders("{url} answered {status}"), vec!["status", "url"]);
/// assert!(placeholders("answer {\"nonce\": \"…\"}").is_empty());
/// ```
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = text
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()))
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_english_is_complete() {
        for (i, a) in Key::ALL.iter().enumerate() {
            assert_eq!(*a as usize, i);
            assert!(!a.english().is_empty());
            assert_eq!(Key::ALL.iter().filter(|b| b.name() == a.name()).count(), 1);
        }
    }

    #[test]
    fn format_fills_known_placeholders_once() {
        let m = Messages::english();
        assert_eq!(
            m.format(Key::ReasonStatus, &[("url", "/api"), ("status", "503")]),
            "/api answered HTTP 503."
        );
        // A value that looks like a placeholder is not filled again.
        assert_eq!(
            m.format(Key::Opening, &[("name", "{name}")]),
            "Opening {name}\u{2026}"
        );
        // Unknown or unclosed braces stay.
        let m = m.with([("opening".into(), "{x} {name} {".into())]);
        assert_eq!(m.format(Key::Opening, &[("name", "A")]), "{x} A {");
    }

    #[test]
    fn overrides_replace_only_their_keys() {
        let m = Messages::english().with([
            ("print".to_string(), "Drucken".to_string()),
            ("nope".to_string(), "ignored".to_string()),
        ]);
        assert_eq!(m.text(Key::Print), "Drucken");
        assert_eq!(m.text(Key::Refresh), "Refresh");
        let m = m.with([("refresh".to_string(), "Neu laden".to_string())]);
        assert_eq!(m.text(Key::Print), "Drucken");
        assert_eq!(m.text(Key::Refresh), "Neu laden");
    }
}
