//! Timing of host calls and nonces: `timeoutMs`, `pdfTimeoutMs`, `retries`,
//! `prefetchNonce`, `nonceMaxAgeMs` and `sessionMaxAgeMs`, each clamped to a
//! sane range, and `loading`: at once, or once the widget is about to be seen.
use crate::error::ConfigError;

use super::options::Options;

/// The timing options, read together.
#[derive(Debug, PartialEq)]
pub(super) struct Timing {
    /// `timeoutMs`: 1 to 600 000 (default 15 000).
    pub(super) timeout_ms: u32,
    /// `pdfTimeoutMs`: 1 to 1 800 000 (default 120 000). A PDF export is
    /// rendered while the reader waits, and is never sent twice.
    pub(super) pdf_timeout_ms: u32,
    /// `retries`: 0 to 10 (default 2).
    pub(super) retries: u32,
    /// `prefetchNonce` (default true).
    pub(super) prefetch_nonce: bool,
    /// `nonceMaxAgeMs`: 0 to 3 600 000 (default 30 000).
    pub(super) nonce_max_age_ms: u32,
    /// `sessionMaxAgeMs`: 0 (never) to 604 800 000, a week (default
    /// 1 800 000, half an hour).
    pub(super) session_max_age_ms: u32,
    /// `loading`: `"lazy"` waits until the widget nears the viewport
    /// (default `"eager"`: at once).
    pub(super) lazy: bool,
}

/// `timeoutMs`, `pdfTimeoutMs`, `retries`, `prefetchNonce`, `nonceMaxAgeMs`,
/// `sessionMaxAgeMs` and `loading`, checked in that order.
pub(super) fn timing(options: &Options<'_>) -> Result<Timing, ConfigError> {
    Ok(Timing {
        timeout_ms: options.number("timeoutMs", 15_000, 600_000)?.max(1),
        pdf_timeout_ms: options.number("pdfTimeoutMs", 120_000, 1_800_000)?.max(1),
        retries: options.number("retries", 2, 10)?,
        prefetch_nonce: options.boolean("prefetchNonce", true)?,
        nonce_max_age_ms: options.number("nonceMaxAgeMs", 30_000, 3_600_000)?,
        session_max_age_ms: options.number("sessionMaxAgeMs", 1_800_000, 604_800_000)?,
        lazy: match options.string("loading")?.as_deref() {
            None | Some("eager") => false,
            Some("lazy") => true,
            Some(_) => {
                return Err(ConfigError::WrongType {
                    name: "loading",
                    expected: "\"eager\" or \"lazy\"",
                })
            }
        },
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::options::testing::{read, text};
    use super::super::RawValue;
    use super::*;

    #[test]
    fn defaults() {
        assert_eq!(
            read(&[], timing),
            Ok(Timing {
                timeout_ms: 15_000,
                pdf_timeout_ms: 120_000,
                retries: 2,
                prefetch_nonce: true,
                nonce_max_age_ms: 30_000,
                session_max_age_ms: 1_800_000,
                lazy: false,
            })
        );
    }

    #[test]
    fn each_is_clamped_to_its_range() {
        let given = [
            ("timeoutMs", RawValue::Num(1e9)),
            ("pdfTimeoutMs", RawValue::Num(1e9)),
            ("retries", text("11")),
            ("prefetchNonce", text("false")),
            ("nonceMaxAgeMs", RawValue::Num(4e6)),
            ("sessionMaxAgeMs", RawValue::Num(1e12)),
        ];
        assert_eq!(
            read(&given, timing),
            Ok(Timing {
                timeout_ms: 600_000,
                pdf_timeout_ms: 1_800_000,
                retries: 10,
                prefetch_nonce: false,
                nonce_max_age_ms: 3_600_000,
                session_max_age_ms: 604_800_000,
                lazy: false,
            })
        );
        let zero = [
            ("timeoutMs", RawValue::Num(0.0)),
            ("pdfTimeoutMs", RawValue::Num(0.0)),
            ("retries", RawValue::Num(0.0)),
            ("nonceMaxAgeMs", text("0")),
            ("sessionMaxAgeMs", text("0")),
        ];
        let t = read(&zero, timing).unwrap();
        assert_eq!(
            (
                t.timeout_ms,
                t.pdf_timeout_ms,
                t.retries,
                t.nonce_max_age_ms,
                t.session_max_age_ms
            ),
            (1, 1, 0, 0, 0)
        );
    }

    #[test]
    fn checked_in_order() {
        let all = [
            ("sessionMaxAgeMs", RawValue::Num(0.5)),
            ("nonceMaxAgeMs", RawValue::Num(-1.0)),
            ("prefetchNonce", RawValue::Num(1.0)),
            ("retries", RawValue::Num(0.5)),
            ("pdfTimeoutMs", RawValue::Bool(true)),
            ("timeoutMs", text("soon")),
        ];
        let names: Vec<&str> = (1..=all.len())
            .rev()
            .map(|n| match read(&all[..n], timing) {
                Err(ConfigError::WrongType { name, .. }) => name,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            names,
            [
                "timeoutMs",
                "pdfTimeoutMs",
                "retries",
                "prefetchNonce",
                "nonceMaxAgeMs",
                "sessionMaxAgeMs"
            ]
        );
    }

    #[test]
    fn loading_is_eager_unless_lazy() {
        let lazy = |v: RawValue| read(&[("loading", v)], timing).map(|t| t.lazy);
        assert_eq!(lazy(RawValue::Absent), Ok(false));
        assert_eq!(lazy(text("")), Ok(false));
        assert_eq!(lazy(text("eager")), Ok(false));
        assert_eq!(lazy(text("lazy")), Ok(true));
        for wrong in [text("Lazy"), text("auto"), RawValue::Bool(true)] {
            assert!(matches!(
                lazy(wrong),
                Err(ConfigError::WrongType {
                    name: "loading",
                    ..
                })
            ));
        }
    }
}
