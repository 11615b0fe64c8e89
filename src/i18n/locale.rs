//! Which language a widget speaks: pure negotiation over the languages it
//! is asked for, natively tested.
//!
//! The order: the `locale` option; else the `lang` option, the host
//! element's (or page's) `lang`, then the browser's languages, the first of
//! them that a shipped catalog serves; else English. A `locale` the widget
//! has no catalog for still names the widget's language (its `lang` and
//! direction), with English text under the host's `messages`.

/// The languages with a shipped catalog, as their files are named
/// (`locales/<tag>.json`). English is compiled in.
pub const SHIPPED: &[&str] = &[
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "hr", "sr-Latn",
];

/// Scripts written right to left (ISO 15924).
const RTL_SCRIPTS: &[&str] = &["arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg"];
/// Languages written right to left unless a script subtag says otherwise.
const RTL_LANGUAGES: &[&str] = &[
    "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "ug", "ur", "yi",
];

/// The language a widget speaks.
///
/// ```
/// use cxreports_widget::i18n::Language;
/// let language = Language::negotiate(None, &["de-AT", "en"]);
/// assert_eq!(language.tag(), "de-AT");
/// assert_eq!(language.catalog(), Some("de"));
/// assert!(!language.is_rtl());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    tag: String,
    catalog: &'static str,
}

impl Default for Language {
    fn default() -> Self {
        Language {
            tag: "en".into(),
            catalog: "en",
        }
    }
}

impl Language {
    /// Chooses the language: an explicit `locale` decides alone; else the
    /// first of `requested` (most wanted first) that a shipped catalog
    /// serves; else English.
    pub fn negotiate(locale: Option<&str>, requested: &[&str]) -> Language {
        if let Some(tag) = locale.map(str::trim).filter(|t| !t.is_empty()) {
            return Language {
                tag: tag.to_owned(),
                catalog: shipped_catalog(tag).unwrap_or("en"),
            };
        }
        requested
            .iter()
            .map(|t| t.trim())
            .find_map(|tag| {
                Some(Language {
                    catalog: shipped_catalog(tag)?,
                    tag: tag.to_owned(),
                })
            })
            .unwrap_or_default()
    }

    /// The language tag the widget marks itself with (`lang`).
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The shipped catalog to fetch, or `None` for English (compiled in).
    pub fn catalog(&self) -> Option<&'static str> {
        (self.catalog != "en").then_some(self.catalog)
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(&self) -> bool {
        // Compared as ASCII in any case: no lowered copies of the subtags.
        let mut parts = self.tag.split(['-', '_']);
        let language = parts.next().unwrap_or_default();
        match parts.find(|p| p.len() == 4) {
            Some(script) => is_one_of(RTL_SCRIPTS, script),
            None => is_one_of(RTL_LANGUAGES, language),
        }
    }

    /// `rtl` or `ltr`, for the `dir` attribute.
    pub fn dir(&self) -> &'static str {
        if self.is_rtl() {
            "rtl"
        } else {
            "ltr"
        }
    }
}

/// The shipped catalog that serves `tag` (BCP 47, any case, `-` or `_`):
/// `de-AT` → `de`, `pt-BR` → `pt`, `sr`, `sr-RS` and `sr-Latn-RS` →
/// `sr-Latn`; `sr-Cyrl` has none.
pub fn shipped_catalog(tag: &str) -> Option<&'static str> {
    let mut parts = tag.split(['-', '_']);
    let language = parts.next().filter(|l| (2..=3).contains(&l.len()))?;
    let script = parts.find(|p| p.len() == 4 && p.bytes().all(|c| c.is_ascii_alphabetic()));
    if script.is_some_and(|s| !s.eq_ignore_ascii_case("latn")) {
        return None;
    }
    if language.eq_ignore_ascii_case("sr") {
        return Some("sr-Latn");
    }
    SHIPPED
        .iter()
        .copied()
        .find(|s| s.eq_ignore_ascii_case(language))
}

/// Whether `subtag` is one of `list` (lowercase), in any ASCII case.
fn is_one_of(list: &[&str], subtag: &str) -> bool {
    list.iter().any(|s| s.eq_ignore_ascii_case(subtag))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn explicit_locale_decides_alone() {
        let l = Language::negotiate(Some("fr-CA"), &["de"]);
        assert_eq!((l.tag(), l.catalog()), ("fr-CA", Some("fr")));
        // No catalog: English text, but the widget speaks the given language.
        let l = Language::negotiate(Some("ar"), &["de"]);
        assert_eq!((l.tag(), l.catalog(), l.dir()), ("ar", None, "rtl"));
        // Blank is as absent.
        let l = Language::negotiate(Some("  "), &["nl-BE"]);
        assert_eq!((l.tag(), l.catalog()), ("nl-BE", Some("nl")));
    }

    #[test]
    fn the_first_served_request_wins() {
        let l = Language::negotiate(None, &["sv", "sr-Cyrl", "pt_BR", "de"]);
        assert_eq!((l.tag(), l.catalog()), ("pt_BR", Some("pt")));
        let l = Language::negotiate(None, &["sv", "ja"]);
        assert_eq!((l.tag(), l.catalog()), ("en", None));
        let l = Language::negotiate(None, &["en-GB", "de"]);
        assert_eq!((l.tag(), l.catalog()), ("en-GB", None));
        assert_eq!(Language::negotiate(None, &[]), Language::default());
    }

    #[test]
    fn serbian_latin_and_croatian() {
        for tag in ["sr", "sr-RS", "sr-Latn", "SR-latn-rs", "sr_Latn"] {
            assert_eq!(shipped_catalog(tag), Some("sr-Latn"), "{tag}");
        }
        assert_eq!(shipped_catalog("sr-Cyrl"), None);
        assert_eq!(shipped_catalog("hr-HR"), Some("hr"));
        assert_eq!(shipped_catalog("de-Cyrl"), None);
        assert_eq!(shipped_catalog("german"), None);
        assert_eq!(shipped_catalog(""), None);
    }

    #[test]
    fn direction_follows_language_and_script() {
        for (tag, rtl) in [
            ("ar", true),
            ("he-IL", true),
            ("fa", true),
            ("ur-PK", true),
            ("az-Arab", true),
            ("ks-Deva", false),
            ("en", false),
            ("sr-Latn", false),
        ] {
            let l = Language::negotiate(Some(tag), &[]);
            assert_eq!(l.is_rtl(), rtl, "{tag}");
        }
    }

    proptest! {
        #[test]
        fn negotiation_never_fails_and_serves_a_shipped_catalog(
            locale in proptest::option::of("[a-zA-Z_-]{0,12}"),
            requested in proptest::collection::vec("[a-zA-Z_-]{0,12}", 0..5),
        ) {
            let requested: Vec<&str> = requested.iter().map(String::as_str).collect();
            let l = Language::negotiate(locale.as_deref(), &requested);
            if let Some(catalog) = l.catalog() {
                prop_assert!(SHIPPED.contains(&catalog));
            }
            prop_assert!(!l.tag().is_empty());
        }
    }
}
