//! Keeping secrets out of text: the [`Secret`] wrapper that never prints,
//! and [`scrub`] for text from outside that might still carry one.
use std::fmt;

/// A secret string (the CxReports PAT) that never prints: `Debug` and
/// `Display` show `[redacted]`, so it cannot slip into a log line or an
/// error message by accident.
///
/// ```
/// use cxreports_backend::Secret;
/// let pat = Secret::new("cxr_pat_do_not_print");
/// assert_eq!(format!("{pat} {pat:?}"), "[redacted] [redacted]");
/// assert_eq!(pat.expose(), "cxr_pat_do_not_print");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Secret(secret.into())
    }

    /// The secret itself, for the one place that must send it (the
    /// `Authorization` header to CxReports).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Replaces every occurrence of `secret` in `text`: a last line of defence
/// for text that came from outside (an upstream error message, a library's
/// error) before it is logged or answered.
pub(crate) fn scrub(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        text.to_owned()
    } else {
        text.replace(secret, "[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_every_copy() {
        assert_eq!(scrub("a PAT b PAT", "PAT"), "a [redacted] b [redacted]");
        assert_eq!(scrub("abc", ""), "abc");
    }
}
