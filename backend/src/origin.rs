//! Web origins: reading `scheme://host[:port]` patterns (the entries of
//! `BACKEND_ALLOWED_ORIGINS`) and matching `Origin` header values against
//! them or against the backend's own `Host`.
use axum::http::{header, HeaderMap};

/// An origin, or a family of origins differing only in port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OriginPattern {
    scheme: String,
    host: String,
    /// `None`: any port.
    port: Option<u16>,
}

/// The port of `scheme` when an origin names none.
fn default_port(scheme: &str) -> u16 {
    if scheme == "https" {
        443
    } else {
        80
    }
}

/// Splits `host[:port]` (host possibly a bracketed IPv6 address).
fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    if authority.starts_with('[') {
        match authority.find(']') {
            Some(end) => {
                let (host, rest) = authority.split_at(end + 1);
                (host, rest.strip_prefix(':'))
            }
            None => (authority, None),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    }
}

impl OriginPattern {
    /// Reads `scheme://host[:port]`, where the port may be `*`. A trailing
    /// `/` is tolerated; any other path is refused, because browsers never
    /// send one in `Origin`.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (scheme, rest) = text.split_once("://").ok_or_else(|| {
            "an origin starts with http:// or https://, like https://app.example.com".to_owned()
        })?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(format!("the scheme must be http or https, not {scheme:?}"));
        }
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '?', '#', '@']) || authority.chars().any(char::is_whitespace) {
            return Err(
                "an origin is only scheme://host[:port], without path, query or user".to_owned(),
            );
        }
        let (host, port) = split_host_port(authority);
        if host.is_empty() {
            return Err("it names no host".to_owned());
        }
        let port =
            match port {
                None => Some(default_port(&scheme)),
                Some("*") => None,
                Some(port) => Some(port.parse::<u16>().map_err(|_| {
                    format!("{port:?} is not a port: use a number, or * for any port")
                })?),
            };
        Ok(OriginPattern {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// Whether the `Origin` header value `origin` belongs to this pattern.
    pub(crate) fn matches(&self, origin: &str) -> bool {
        match OriginPattern::parse(origin) {
            Ok(actual) => {
                actual.port.is_some()
                    && actual.scheme == self.scheme
                    && actual.host == self.host
                    && (self.port.is_none() || self.port == actual.port)
            }
            Err(_) => false,
        }
    }
}

/// Whether `origin` is the backend's own origin, as the `Host` header names
/// it. The scheme is not compared: behind a TLS-terminating proxy the
/// backend cannot know it, and the host and port already pin the origin.
pub(crate) fn is_own_origin(origin: &str, headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let Ok(actual) = OriginPattern::parse(origin) else {
        return false;
    };
    let (host, port) = split_host_port(host.trim());
    let port = match port {
        None => Some(default_port(&actual.scheme)),
        Some(port) => port.parse::<u16>().ok(),
    };
    port.is_some() && actual.port == port && actual.host == host.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_patterns_are_refused_with_a_reason() {
        for bad in [
            "app.example.com",
            "ftp://x",
            "https://",
            "https://x/p",
            "https://x:port",
            "https://u@x",
        ] {
            assert!(OriginPattern::parse(bad).is_err(), "{bad}");
        }
    }
}
