//! Timing of host calls and nonces: `timeoutMs`, `retries`, `prefetchNonce`
//! and `nonceMaxAgeMs`, each clamped to a sane range.
use crate::error::ConfigError;

use super::options::Options;

/// The timing options, read together.
#[derive(Debug, PartialEq)]
pub(super) struct Timing {
    /// `timeoutMs`: 1 to 600 000 (default 15 000).
    pub(super) timeout_ms: u32,
    /// `retries`: 0 to 10 (default 2).
    pub(super) retries: u32,
    /// `prefetchNonce` (default true).
    pub(super) prefetch_nonce: bool,
    /// `nonceMaxAgeMs`: 0 to 3 600 000 (default 30 000).
    pub(super) nonce_max_age_ms: u32,
}

/// `timeoutMs`, `retries`, `prefetchNonce` and `nonceMaxAgeMs`, checked in
/// that order.
pub(super) fn timing(options: &Options<'_>) -> Result<Timing, ConfigError> {
    Ok(Timing {
        timeout_ms: options.number("timeoutMs", 15_000, 600_000)?.max(1),
        retries: options.number("retries", 2, 10)?,
        prefetch_nonce: options.boolean("prefetchNonce", true)?,
        nonce_max_age_ms: options.number("nonceMaxAgeMs", 30_000, 3_600_000)?,
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
                retries: 2,
                prefetch_nonce: true,
                nonce_max_age_ms: 30_000
            })
        );
    }

    #[test]
    fn each_is_clamped_to_its_range() {
        let given = [
            ("timeoutMs", RawValue::Num(1e9)),
            ("retries", text("11")),
            ("prefetchNonce", text("false")),
            ("nonceMaxAgeMs", RawValue::Num(4e6)),
        ];
        assert_eq!(
            read(&given, timing),
            Ok(Timing {
                timeout_ms: 600_000,
                retries: 10,
                prefetch_nonce: false,
                nonce_max_age_ms: 3_600_000
            })
        );
        let zero = [
            ("timeoutMs", RawValue::Num(0.0)),
            ("retries", RawValue::Num(0.0)),
            ("nonceMaxAgeMs", text("0")),
        ];
        let t = read(&zero, timing).unwrap();
        assert_eq!((t.timeout_ms, t.retries, t.nonce_max_age_ms), (1, 0, 0));
    }

    #[test]
    fn checked_in_order() {
        let all = [
            ("nonceMaxAgeMs", RawValue::Num(-1.0)),
            ("prefetchNonce", RawValue::Num(1.0)),
            ("retries", RawValue::Num(0.5)),
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
            ["timeoutMs", "retries", "prefetchNonce", "nonceMaxAgeMs"]
        );
    }
}
