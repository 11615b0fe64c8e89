//! The PAT and the nonces: the forms in which a leaked PAT may appear, and
//! the scrubbing that keeps both out of everything the checker prints.
use std::fmt;
use std::path::Path;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, NO_PAD};
use base64::Engine as _;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::{CheckError, Result};

/// How a secret is shown: its first 4 characters and `…`.
pub(crate) fn mask(secret: &str) -> String {
    let head: String = secret.chars().take(4).collect();
    format!("{head}…")
}

/// What JavaScript's `encodeURIComponent` leaves alone.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// Base64 runs shorter than this could turn up by chance.
const MIN_BASE64_RUN: usize = 8;

/// One way a PAT can be written into an answer.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Form {
    /// How it was written: "as is", "percent-encoded", "base64"…
    pub(crate) label: &'static str,
    /// The bytes to look for.
    pub(crate) needle: Vec<u8>,
    /// Percent escapes may be written in either letter case.
    pub(crate) ignore_case: bool,
}

/// The PAT the backend uses, from `--pat-file`. Never printed.
pub(crate) struct Pat(String);

impl fmt::Debug for Pat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pat([redacted])")
    }
}

impl Pat {
    /// Reads `path`, trimmed as the reference backend trims `CXREPORTS_PAT_FILE`.
    pub(crate) fn load(path: &Path) -> Result<Pat> {
        let text = std::fs::read_to_string(path).map_err(|e| CheckError::PatFile {
            path: path.to_owned(),
            cause: e.to_string(),
        })?;
        let pat = text.trim();
        if pat.is_empty() {
            return Err(CheckError::EmptyPatFile {
                path: path.to_owned(),
            });
        }
        Ok(Pat(pat.to_owned()))
    }

    #[cfg(test)]
    pub(crate) fn new(pat: &str) -> Pat {
        Pat(pat.to_owned())
    }

    /// The PAT's own text, for the scrubber only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Every form to sweep answers for: as is, percent-encoded (as
    /// `encodeURIComponent` and as strict encoders write it), JSON-escaped
    /// (PHP writes `/` as `\/`), and base64 / base64url at each of the
    /// three alignments it can have inside a longer encoded text (e.g. a
    /// `Basic` header or a dumped `Authorization: Bearer …`).
    pub(crate) fn forms(&self) -> Vec<Form> {
        let pat = self.0.as_str();
        let mut forms = vec![Form {
            label: "as is",
            needle: pat.as_bytes().to_vec(),
            ignore_case: false,
        }];
        let mut add = |label, text: String, ignore_case| {
            let form = Form {
                label,
                needle: text.into_bytes(),
                ignore_case,
            };
            if form.needle.len() >= MIN_BASE64_RUN.min(pat.len())
                && !forms.iter().any(|f| f.needle == form.needle)
            {
                forms.push(form);
            }
        };
        add(
            "percent-encoded",
            utf8_percent_encode(pat, URI_COMPONENT).to_string(),
            true,
        );
        add(
            "percent-encoded",
            utf8_percent_encode(pat, NON_ALPHANUMERIC).to_string(),
            true,
        );
        let json = serde_json::to_string(pat).unwrap_or_default();
        let json = json.trim_matches('"');
        add("JSON-escaped", json.to_owned(), false);
        add("JSON-escaped", json.replace('/', "\\/"), false);
        for (label, alphabet) in [
            ("base64", &alphabet::STANDARD),
            ("base64url", &alphabet::URL_SAFE),
        ] {
            let engine = GeneralPurpose::new(alphabet, NO_PAD);
            for run in base64_runs(pat.as_bytes(), &engine) {
                add(label, run, false);
            }
        }
        forms
    }
}

/// The base64 characters that depend on `secret` alone, for each of the
/// three byte alignments `secret` can have in a longer encoded text.
fn base64_runs(secret: &[u8], engine: &GeneralPurpose) -> Vec<String> {
    (0..3)
        .filter_map(|shift: usize| {
            let mut bytes = vec![0u8; shift];
            bytes.extend_from_slice(secret);
            let encoded = engine.encode(&bytes);
            let (first_bit, end_bit) = (8 * shift, 8 * (shift + secret.len()));
            // Character i encodes bits [6i, 6i + 6).
            let run: String = encoded
                .chars()
                .enumerate()
                .filter(|(i, _)| 6 * i >= first_bit && 6 * i + 6 <= end_bit)
                .map(|(_, c)| c)
                .collect();
            (run.len() >= MIN_BASE64_RUN).then_some(run)
        })
        .collect()
}

/// Whether `needle` occurs in `haystack`.
pub(crate) fn contains(haystack: &[u8], needle: &[u8], ignore_case: bool) -> bool {
    !needle.is_empty()
        && haystack.windows(needle.len()).any(|window| {
            if ignore_case {
                window.eq_ignore_ascii_case(needle)
            } else {
                window == needle
            }
        })
}

/// Characters a bearer token is made of (RFC 6750 `b64token`).
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~+/=".contains(c)
}

/// A bearer token shorter than this is a word ("Bearer realm"), not a token.
const MIN_TOKEN: usize = 16;

/// Where `Bearer <token>` occurs in `text` (byte offset of the token).
pub(crate) fn bearer_tokens(text: &str) -> Vec<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("bearer ") {
        let start = from + at + "bearer ".len();
        let length = text[start..]
            .chars()
            .take_while(|c| is_token_char(*c))
            .count();
        if length >= MIN_TOKEN {
            found.push((start, length));
        }
        from = start;
    }
    found
}

/// Replaces every known secret (and any bearer token) in text about to be
/// printed by its masked form.
#[derive(Debug, Default)]
pub(crate) struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    /// From now on, `secret` is masked wherever it appears.
    pub(crate) fn add(&mut self, secret: &str) {
        if !secret.is_empty() && !self.secrets.iter().any(|s| s == secret) {
            self.secrets.push(secret.to_owned());
            // Longest first, so a secret that contains another is masked whole.
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    /// Adds the PAT in every textual form it may take.
    pub(crate) fn add_pat(&mut self, pat: &Pat) {
        self.add(pat.expose());
        for form in pat.forms() {
            if let Ok(text) = String::from_utf8(form.needle) {
                self.add(&text);
                if form.ignore_case {
                    self.add(&text.to_ascii_lowercase());
                }
            }
        }
    }

    /// `text` with every secret masked.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for secret in &self.secrets {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), &mask(secret));
            }
        }
        // Bearer tokens, known or not, from the last to the first.
        for (start, length) in bearer_tokens(&text).into_iter().rev() {
            let end = start
                + text[start..]
                    .chars()
                    .take(length)
                    .map(char::len_utf8)
                    .sum::<usize>();
            let masked = mask(&text[start..end]);
            text.replace_range(start..end, &masked);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;

    const PAT: &str = "cxr_pat/Test+Token_0123456789abcdef";

    fn found_in(text: &str) -> Vec<&'static str> {
        Pat::new(PAT)
            .forms()
            .into_iter()
            .filter(|f| contains(text.as_bytes(), &f.needle, f.ignore_case))
            .map(|f| f.label)
            .collect()
    }

    #[test]
    fn every_form_is_found_and_nothing_else() {
        assert_eq!(found_in(&format!("x-debug: Bearer {PAT}")), ["as is"]);
        assert_eq!(
            found_in("token=cxr_pat%2FTest%2bToken_0123456789abcdef"),
            ["percent-encoded"]
        );
        assert_eq!(
            found_in(r#"{"pat":"cxr_pat\/Test+Token_0123456789abcdef"}"#),
            ["JSON-escaped"]
        );
        for prefix in ["", "a", "ab", "Authorization: Bearer "] {
            let encoded = STANDARD.encode(format!("{prefix}{PAT} and more"));
            assert!(
                found_in(&encoded).contains(&"base64"),
                "{prefix:?}: {encoded}"
            );
        }
        assert!(found_in("cxr_pat/Test+Token_0123456789abcdeX").is_empty());
        assert!(found_in(&STANDARD.encode("something else entirely, long enough")).is_empty());
    }

    #[test]
    fn scrubbing_masks_secrets_and_bearer_tokens() {
        let mut redactor = Redactor::default();
        redactor.add_pat(&Pat::new(PAT));
        redactor.add("nonce-abcdef-123");
        let text = format!(
            "pat {PAT} nonce nonce-abcdef-123 enc cxr_pat%2FTest%2BToken_0123456789abcdef \
             other Bearer eyJhbGciOiJIUzI1NiJ9.payload realm: Bearer realm=\"x\""
        );
        let scrubbed = redactor.scrub(&text);
        assert!(!scrubbed.contains(PAT), "{scrubbed}");
        assert!(!scrubbed.contains("abcdef-123"), "{scrubbed}");
        assert!(!scrubbed.contains("0123456789abcdef"), "{scrubbed}");
        assert!(!scrubbed.contains("payload"), "{scrubbed}");
        assert!(
            scrubbed.contains("pat cxr_…") && scrubbed.contains("nonce nonc…"),
            "{scrubbed}"
        );
        assert!(scrubbed.contains("Bearer realm=\"x\""), "{scrubbed}");
        assert_eq!(mask("abcdefgh"), "abcd…");
        assert_eq!(format!("{:?}", Pat::new(PAT)), "Pat([redacted])");
    }
}
