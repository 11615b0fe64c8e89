//! Web origins and hosts: reading `scheme://host[:port]` patterns (the
//! entries of `BACKEND_ALLOWED_ORIGINS`) and `host[:port]` patterns (those
//! of `BACKEND_ALLOWED_HOSTS`), and matching `Origin` and `Host` header
//! values against them.
//!
//! An `Origin` is never compared with the request's own `Host`: with DNS
//! rebinding, a hostile site's page reaches the backend under the hostile
//! name, and its `Origin` and `Host` then agree.
use std::net::SocketAddr;

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

    /// Whether this names one origin (no `:*`).
    pub(crate) fn is_exact(&self) -> bool {
        self.port.is_some()
    }

    /// Whether its scheme is https.
    pub(crate) fn is_https(&self) -> bool {
        self.scheme == "https"
    }

    /// `host:port`, as a `Host` pattern (`host:*` for any port).
    pub(crate) fn authority(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => format!("{}:*", self.host),
        }
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

/// Whether `origin` names the address the connection came in on, under
/// either scheme. Unlike `Host`, that address is the server's own, not
/// something a page can choose.
pub(crate) fn is_local_origin(origin: &str, local: SocketAddr) -> bool {
    let Ok(actual) = OriginPattern::parse(origin) else {
        return false;
    };
    actual.port == Some(local.port()) && HostPattern::host_is_ip(&actual.host, local)
}

/// A `Host` value, or a family of them differing only in port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HostPattern {
    host: String,
    /// `None`: any port.
    port: Option<u16>,
}

impl HostPattern {
    /// Reads `host[:port]`, where the port may be `*`; without a port, 80
    /// or 443 are both meant (a `Host` omits the scheme's default).
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty()
            || text.contains(['/', '?', '#', '@'])
            || text.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(
                "a host is host[:port] only, like app.example.com or 127.0.0.1:*".to_owned(),
            );
        }
        let (host, port) = split_host_port(text);
        if host.is_empty() {
            return Err("it names no host".to_owned());
        }
        let port =
            match port {
                None => Some(0),
                Some("*") => None,
                Some(port) => Some(port.parse::<u16>().map_err(|_| {
                    format!("{port:?} is not a port: use a number, or * for any port")
                })?),
            };
        Ok(HostPattern {
            host: host.to_ascii_lowercase(),
            port,
        })
    }

    /// Whether the `Host` header value `host` belongs to this pattern.
    pub(crate) fn matches(&self, host: &str) -> bool {
        let Ok(actual) = HostPattern::parse(host) else {
            return false;
        };
        let Some(actual_port) = actual.port else {
            return false;
        };
        let port_ok = match self.port {
            None => true,
            // No port configured: the default ports, written or not.
            Some(0) => matches!(actual_port, 0 | 80 | 443),
            Some(port) => port == actual_port || (actual_port == 0 && matches!(port, 80 | 443)),
        };
        port_ok && actual.host == self.host
    }

    /// Whether the `Host` header value `host` is the address the
    /// connection came in on.
    pub(crate) fn is_local(host: &str, local: SocketAddr) -> bool {
        match HostPattern::parse(host) {
            Ok(actual) => {
                actual.port == Some(local.port()) && Self::host_is_ip(&actual.host, local)
            }
            Err(_) => false,
        }
    }

    fn host_is_ip(host: &str, local: SocketAddr) -> bool {
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip == local.ip())
    }
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

    #[test]
    fn hosts_match_their_patterns_and_the_local_address() {
        let any_port = HostPattern::parse("127.0.0.1:*").unwrap();
        assert!(any_port.matches("127.0.0.1:8082"));
        assert!(any_port.matches("127.0.0.1"));
        assert!(!any_port.matches("rebind.example:8082"));
        let bare = HostPattern::parse("App.Example.com").unwrap();
        assert!(bare.matches("app.example.com"));
        assert!(bare.matches("app.example.com:443"));
        assert!(!bare.matches("app.example.com:8443"));
        assert!(!bare.matches("app.example.com.evil.test"));
        let exact = HostPattern::parse("[::1]:8080").unwrap();
        assert!(exact.matches("[::1]:8080") && !exact.matches("[::1]:8081"));
        for bad in ["", "a/b", "x:port", "u@x", ":80"] {
            assert!(HostPattern::parse(bad).is_err(), "{bad}");
        }
        let local: SocketAddr = "127.0.0.1:8082".parse().unwrap();
        assert!(HostPattern::is_local("127.0.0.1:8082", local));
        assert!(!HostPattern::is_local("127.0.0.1:8083", local));
        assert!(!HostPattern::is_local("localhost:8082", local));
        assert!(!HostPattern::is_local("rebind.example:8082", local));
        assert!(is_local_origin("http://127.0.0.1:8082", local));
        assert!(!is_local_origin("http://rebind.example:8082", local));
        assert!(!is_local_origin("http://127.0.0.1", local));
    }
}
