//! What a downloaded PDF is called, decided once for every side: the
//! reference backend names the PDFs it passes on (from CxReports' own
//! `Content-Disposition`, or else the report's title), and the widget saves
//! a PDF under the name its host backend gives.
//!
//! A name may come from anywhere (a report title an author typed, a header
//! a server wrote), so it is made safe before it is used: no path, no
//! quotes or control characters, no leading dots (a hidden file), bounded,
//! and never empty.

use crate::{disposition_file_name, encode_query_value};

/// Longest name a downloaded PDF is given, in characters, before `.pdf`.
pub const MAX_FILE_NAME_CHARS: usize = 100;

/// What a PDF is called when its name leaves nothing to call it by.
const FALLBACK_STEM: &str = "report";

/// The extension every downloaded PDF gets.
const EXTENSION: &str = ".pdf";

/// Whether `c` can carry a name: an ASCII letter or digit, or any
/// character beyond ASCII that is neither a space nor a control character
/// (the letters and digits of every script, and signs such as `€`). ASCII
/// punctuation alone (`_`, `.`, `-`) names nothing. Decided without
/// Unicode's letter tables, which the widget would otherwise download.
fn carries_name(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && !c.is_whitespace() && !c.is_control())
}

/// The name a PDF is downloaded under, kept as it was given and made safe
/// when it is written out: [`PdfFileName::file_name`] to save it,
/// [`PdfFileName::content_disposition`] to send it.
///
/// ```
/// use cxreports_contract::PdfFileName;
///
/// let name = PdfFileName::new("../Zürich \"Q3\"");
/// assert_eq!(name.file_name(), "Zürich Q3.pdf");
/// assert_eq!(
///     name.content_disposition(),
///     "attachment; filename=\"Z_rich _Q3.pdf\"; filename*=UTF-8''Z%C3%BCrich%20Q3.pdf"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfFileName {
    /// The name as given, without `.pdf`; unsafe until written out.
    given: String,
}

impl PdfFileName {
    /// A PDF named `name` (a report's title, say), as given.
    pub fn new(name: impl Into<String>) -> Self {
        PdfFileName { given: name.into() }
    }

    /// The name a `Content-Disposition` value gives (read as the contract
    /// reads it: [`disposition_file_name`]), without a `.pdf` in any case.
    /// `None` when it names nothing with a letter, digit or other
    /// non-ASCII sign in it, so the caller falls back to
    /// a name of its own.
    ///
    /// ```
    /// use cxreports_contract::PdfFileName;
    /// let name = PdfFileName::from_disposition("attachment; filename=\"../../etc/passwd\"");
    /// assert_eq!(name.map(|n| n.file_name()).as_deref(), Some("etc_passwd.pdf"));
    /// assert_eq!(PdfFileName::from_disposition("attachment; filename=\".pdf\""), None);
    /// ```
    pub fn from_disposition(value: &str) -> Option<Self> {
        let name = disposition_file_name(value)?;
        let name = name.trim();
        let stem = match name.len().checked_sub(EXTENSION.len()) {
            Some(cut)
                if name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(EXTENSION) =>
            {
                &name[..cut]
            }
            _ => name,
        };
        stem.chars()
            .any(carries_name)
            .then(|| PdfFileName::new(stem))
    }

    /// The name, without `.pdf`, safe in any file system that takes
    /// Unicode: path separators become `_`, quotes and control characters
    /// are dropped.
    pub fn stem(&self) -> String {
        let safe: String = self
            .given
            .chars()
            .filter(|c| !c.is_control() && *c != '"')
            .map(|c| if matches!(c, '/' | '\\') { '_' } else { c })
            .collect();
        finish(&safe)
    }

    /// The name, without `.pdf`, in characters every file system and every
    /// browser reads: ASCII letters, digits and ` -_.,()+`; each run of
    /// anything else becomes one `_`, and runs of spaces one space.
    pub fn ascii_stem(&self) -> String {
        let mut safe = String::new();
        for c in self.given.chars() {
            if c.is_ascii_alphanumeric() || " -_.,()+".contains(c) {
                if !(c == ' ' && safe.ends_with(' ')) {
                    safe.push(c);
                }
            } else if !safe.ends_with('_') {
                safe.push('_');
            }
        }
        finish(&safe)
    }

    /// The file to save: [`PdfFileName::stem`] and `.pdf`.
    pub fn file_name(&self) -> String {
        let mut name = self.stem();
        name.push_str(EXTENSION);
        name
    }

    /// A `Content-Disposition` value offering the PDF as a download: a
    /// plain ASCII `filename` (RFC 6266) for every browser and the real
    /// name as an RFC 5987 `filename*` for those that read it. Only
    /// printable ASCII, so it is always a valid header value.
    pub fn content_disposition(&self) -> String {
        format!(
            "attachment; filename=\"{}{EXTENSION}\"; filename*=UTF-8''{}{EXTENSION}",
            self.ascii_stem(),
            encode_query_value(&self.stem())
        )
    }
}

/// Trims what a file name must not start or end with (spaces, dots, `_`),
/// bounds its length, and names it [`FALLBACK_STEM`] if nothing is left.
fn finish(name: &str) -> String {
    let edge = |c: char| c.is_whitespace() || c == '.' || c == '_';
    let bounded: String = name
        .trim_matches(edge)
        .chars()
        .take(MAX_FILE_NAME_CHARS)
        .collect();
    match bounded.trim_end_matches(edge) {
        "" => FALLBACK_STEM.to_owned(),
        safe => safe.to_owned(),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ascii(name: &str) -> String {
        PdfFileName::new(name).ascii_stem()
    }

    fn unicode(name: &str) -> String {
        PdfFileName::new(name).stem()
    }

    fn named(value: &str) -> Option<String> {
        PdfFileName::from_disposition(value).map(|name| name.given)
    }

    fn passed_on(value: &str) -> String {
        PdfFileName::from_disposition(value)
            .map(|name| name.content_disposition())
            .unwrap_or_default()
    }

    #[test]
    fn names_are_safe_and_keep_what_they_can() {
        assert_eq!(ascii("Standard Invoice"), "Standard Invoice");
        assert_eq!(
            ascii("Quarterly <b>Revenue</b> & Margin"),
            "Quarterly _b_Revenue_b_ _ Margin"
        );
        assert_eq!(ascii("Zürich \"Q3\" summary"), "Z_rich _Q3_ summary");
        assert_eq!(ascii("../../etc/passwd"), "etc_passwd");
        assert_eq!(ascii("東京"), "report");
        assert_eq!(ascii(&"a".repeat(300)).len(), MAX_FILE_NAME_CHARS);
        assert_eq!(unicode("a/b\"c\"\n\\d"), "a_bc_d");
        assert_eq!(
            PdfFileName::new("Zürich \"Q3\"").content_disposition(),
            "attachment; filename=\"Z_rich _Q3.pdf\"; filename*=UTF-8''Z%C3%BCrich%20Q3.pdf"
        );
    }

    #[test]
    fn a_disposition_name_loses_its_pdf_and_must_name_something() {
        // How RFC 6266 is read is `disposition_file_name`'s (tested
        // there); the name drops `.pdf`, in any case, and wants a letter,
        // a digit or a sign beyond ASCII in what is left.
        assert_eq!(
            named(r#"attachment; filename="Q3 \"final\".pdf""#).as_deref(),
            Some(r#"Q3 "final""#)
        );
        assert_eq!(
            named("inline; filename=report-101.PDF").as_deref(),
            Some("report-101")
        );
        assert_eq!(
            named("attachment; filename*=UTF-8''Z%C3%BCrich%20%22Q3%22.pdf; filename=\"Z.pdf\"")
                .as_deref(),
            Some("Zürich \"Q3\"")
        );
        assert_eq!(
            named("attachment; filename*=UTF-8''bad%2; filename=\"fallback.pdf\"").as_deref(),
            Some("fallback")
        );
        for none in [
            "attachment",
            "",
            "attachment; filename=\"\"",
            "attachment; filename=\".pdf\"",
            "inline; filename=\"/../\"",
            "attachment; filename=\"_-_ . \u{3000}.pdf\"",
        ] {
            assert_eq!(named(none), None, "{none:?}");
        }
        // Letters and digits of any script, and signs beyond ASCII, name
        // something.
        for (value, stem) in [
            (
                "attachment; filename*=UTF-8''%E5%A0%B1%E5%91%8A.pdf",
                "報告",
            ),
            ("attachment; filename*=UTF-8''%D9%A3.pdf", "\u{663}"),
            ("attachment; filename*=UTF-8''%E2%82%AC.pdf", "€"),
        ] {
            assert_eq!(named(value).as_deref(), Some(stem), "{value:?}");
        }
        // Raw UTF-8 in a quoted filename, as some servers send it.
        assert_eq!(
            named("attachment; filename=\"Zürich.pdf\"").as_deref(),
            Some("Zürich")
        );
    }

    #[test]
    fn a_disposition_name_is_made_safe_before_it_is_passed_on() {
        // Path traversal, in either form, and separators of both kinds.
        assert_eq!(
            passed_on("attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd.pdf"),
            "attachment; filename=\"etc_passwd.pdf\"; filename*=UTF-8''etc_passwd.pdf"
        );
        assert_eq!(
            passed_on(r#"attachment; filename="..\\..\\windows\\win.ini""#),
            "attachment; filename=\"windows_win.ini.pdf\"; filename*=UTF-8''windows_win.ini.pdf"
        );
        // Control characters and quotes never reach the header.
        assert_eq!(
            passed_on("attachment; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%22y.pdf"),
            "attachment; filename=\"a_Set-Cookie_ x_y.pdf\"; filename*=UTF-8''aSet-Cookie%3A%20xy.pdf"
        );
        // Bounded length.
        let long = format!("attachment; filename*=UTF-8''{}.pdf", "%C3%BC".repeat(500));
        let value = passed_on(&long);
        assert_eq!(
            value.matches("%C3%BC").count(),
            MAX_FILE_NAME_CHARS,
            "{value}"
        );
    }

    #[test]
    fn a_name_cut_to_length_does_not_end_in_a_dot() {
        let name = format!("{}. b", "a".repeat(MAX_FILE_NAME_CHARS - 1));
        assert_eq!(unicode(&name), "a".repeat(MAX_FILE_NAME_CHARS - 1));
        assert_eq!(ascii(&name), "a".repeat(MAX_FILE_NAME_CHARS - 1));
    }

    /// What a stem must never be, whatever it came from.
    fn assert_safe(stem: &str) -> std::result::Result<(), TestCaseError> {
        prop_assert!(!stem.is_empty());
        prop_assert!(stem.chars().count() <= MAX_FILE_NAME_CHARS, "{stem:?}");
        prop_assert!(
            !stem
                .chars()
                .any(|c| c.is_control() || matches!(c, '/' | '\\' | '"')),
            "{stem:?}"
        );
        for edge in [stem.chars().next(), stem.chars().last()]
            .into_iter()
            .flatten()
        {
            prop_assert!(
                !(edge.is_whitespace() || edge == '.' || edge == '_'),
                "{stem:?}"
            );
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn any_name_gives_a_safe_stem(name in "\\PC{0,160}|[./\\\\ _\"\u{0}-\u{1f}a-z]{0,40}") {
            let file = PdfFileName::new(name.as_str());
            assert_safe(&file.stem())?;
            assert_safe(&file.ascii_stem())?;
            prop_assert!(file
                .ascii_stem()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " -_.,()+".contains(c)));
            prop_assert!(!file.ascii_stem().contains("  "));
            prop_assert_eq!(file.file_name(), format!("{}.pdf", file.stem()));
        }

        #[test]
        fn a_safe_stem_stays_as_it_is(name in "\\PC{0,160}") {
            let stem = PdfFileName::new(name.as_str()).stem();
            prop_assert_eq!(PdfFileName::new(stem.as_str()).stem(), stem);
        }

        #[test]
        fn the_header_is_always_a_valid_header_value(name in "\\PC{0,160}|[\r\n\"\\\\;=a]{0,20}") {
            let value = PdfFileName::new(name.as_str()).content_disposition();
            prop_assert!(value.bytes().all(|b| b == b' ' || b.is_ascii_graphic()), "{value:?}");
        }

        #[test]
        fn a_name_sent_is_the_name_saved(name in "\\PC{0,160}") {
            let sent = PdfFileName::new(name.as_str());
            let received = PdfFileName::from_disposition(&sent.content_disposition());
            if sent.stem().chars().any(carries_name) {
                prop_assert_eq!(received.map(|n| n.file_name()), Some(sent.file_name()));
            } else {
                prop_assert_eq!(received, None);
            }
        }

        #[test]
        fn any_header_names_a_safe_file_or_nothing(value in "\\PC{0,80}") {
            if let Some(name) = PdfFileName::from_disposition(&value) {
                assert_safe(&name.stem())?;
                prop_assert!(name.file_name().ends_with(".pdf"));
            }
        }
    }
}
