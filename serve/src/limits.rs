//! The listener's time and count limits, and reading them from the
//! environment.
use std::time::Duration;

use thiserror::Error;

use crate::env::{parse_set, positive_number};

/// Time and count limits of the listener, against clients that connect and
/// then dawdle.
///
/// ```
/// use cxreports_serve::Limits;
/// let limits = Limits::default();
/// assert_eq!(limits.max_connections, 1024);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A connection is closed when a request's headers have not all arrived
    /// this long after the connection opened or its previous answer was
    /// sent; the same clock closes idle keep-alive connections.
    /// `{PREFIX}_HEADER_TIMEOUT_MS`; default 10 s.
    pub header_read_timeout: Duration,
    /// A request fails when its body pauses longer than this between two
    /// pieces. `{PREFIX}_BODY_TIMEOUT_MS`; default 30 s.
    pub body_read_timeout: Duration,
    /// At most this many connections are open at once; more wait to be
    /// accepted. `{PREFIX}_MAX_CONNECTIONS`; default 1024.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            max_connections: 1024,
        }
    }
}

/// A listener setting that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LimitsError {
    /// Not a whole number above 0.
    #[error("{var}={value:?} is not a whole number above 0: set it like {var}={example}, or unset it for the default")]
    NotPositive {
        /// The variable.
        var: String,
        /// What it held.
        value: String,
        /// A value that would do.
        example: u64,
    },
}

impl Limits {
    /// The defaults, overridden by `{prefix}_HEADER_TIMEOUT_MS`,
    /// `{prefix}_BODY_TIMEOUT_MS` and `{prefix}_MAX_CONNECTIONS` where set
    /// (an empty variable counts as unset).
    pub fn from_env(prefix: &str) -> Result<Self, LimitsError> {
        Self::from_lookup(prefix, |var| std::env::var(var).ok())
    }

    /// [`Limits::from_env`] over any source of variables.
    pub fn from_lookup(
        prefix: &str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, LimitsError> {
        let mut limits = Limits::default();
        let read = |name: &str, example: u64| -> Result<Option<u64>, LimitsError> {
            let var = format!("{prefix}_{name}");
            let value = lookup(&var)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty());
            parse_set(value, positive_number, |value| LimitsError::NotPositive {
                var,
                value,
                example,
            })
        };
        if let Some(ms) = read("HEADER_TIMEOUT_MS", 10_000)? {
            limits.header_read_timeout = Duration::from_millis(ms);
        }
        if let Some(ms) = read("BODY_TIMEOUT_MS", 30_000)? {
            limits.body_read_timeout = Duration::from_millis(ms);
        }
        if let Some(n) = read("MAX_CONNECTIONS", 1024)? {
            limits.max_connections = usize::try_from(n).unwrap_or(usize::MAX);
        }
        Ok(limits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_read_with_their_prefix() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |var: &str| {
                pairs
                    .iter()
                    .find(|(name, _)| *name == var)
                    .map(|(_, value)| (*value).to_owned())
            }
        };
        assert_eq!(
            Limits::from_lookup("X", vars(&[])).unwrap(),
            Limits::default()
        );
        let limits = Limits::from_lookup(
            "X",
            vars(&[
                ("X_HEADER_TIMEOUT_MS", "1500"),
                ("X_BODY_TIMEOUT_MS", " 2000 "),
                ("X_MAX_CONNECTIONS", "7"),
                ("Y_MAX_CONNECTIONS", "9"),
            ]),
        )
        .unwrap();
        assert_eq!(limits.header_read_timeout, Duration::from_millis(1500));
        assert_eq!(limits.body_read_timeout, Duration::from_millis(2000));
        assert_eq!(limits.max_connections, 7);
        for bad in ["0", "x", "-1"] {
            let pairs: &'static [(&'static str, &'static str)] =
                Box::leak(Box::new([("X_MAX_CONNECTIONS", bad)]));
            let message = Limits::from_lookup("X", vars(pairs))
                .unwrap_err()
                .to_string();
            assert!(message.contains("X_MAX_CONNECTIONS"), "{message}");
        }
    }
}
