//! The URL rules every option that names an address follows: the CxReports
//! server's URL, the host backend's endpoints, and the origin print messages
//! are checked against. A leaf: pure string checks that import nothing else
//! of the configuration.
use crate::error::ConfigError;

/// How an absolute endpoint starts, in any letter case.
pub const ABSOLUTE_STARTS: &[&str] = &["http://", "https://"];

/// How an endpoint that is a path on this site starts (never `//`, which
/// names another host).
pub const PATH_STARTS: &[&str] = &["/", "./", "../"];

/// Whether an endpoint may hold `c`: no white space, no control character,
/// no backslash (which browsers read as a slash).
pub fn is_endpoint_char(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && c != '\\'
}

/// An endpoint is absolute http(s) or a path on this site (`/x`, `./x`, `../x`).
/// `javascript:`, `data:` and other schemes, and protocol-relative `//host`, are not.
pub fn is_endpoint(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let clean = url.chars().all(is_endpoint_char);
    let absolute = ABSOLUTE_STARTS.iter().any(|start| lower.starts_with(start))
        && validate_cxreports_url(url.split(['?', '#']).next().unwrap_or_default()).is_ok();
    let path = PATH_STARTS.iter().any(|start| url.starts_with(start)) && !url.starts_with("//");
    clean && (absolute || path)
}

/// Whether a server URL (`cxreportsUrl`, or an absolute endpoint before
/// its query) may hold `c`: no white space or control character, and none
/// of `?#@\"'<>` and the backtick (no query, fragment or credentials, and
/// nothing that could close an attribute or a string).
pub fn is_server_url_char(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && !"?#@\\\"'<>`".contains(c)
}

/// Checks `cxreportsUrl`: absolute http(s), a host, no credentials, query or
/// fragment. Returns it without trailing slashes.
pub fn validate_cxreports_url(url: &str) -> Result<String, ConfigError> {
    let bad = || ConfigError::BadCxreportsUrl(url.to_owned());
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let authority = rest.split('/').next().unwrap_or_default();
    // A bracketed IPv6 literal, or a name of letters, digits, `-` and `.`
    // (internationalised names in their `xn--` form), then an optional port.
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (address, after) = v6.split_once(']').ok_or_else(bad)?;
            let ok = !address.is_empty()
                && address
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
            if !ok {
                return Err(bad());
            }
            let port = match after {
                "" => None,
                rest => Some(rest.strip_prefix(':').ok_or_else(bad)?),
            };
            (address, port)
        }
        None => match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    let host_ok = authority.starts_with('[')
        || (!host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            }));
    let port_ok = port.is_none_or(|p| {
        p.parse::<u16>().is_ok_and(|n| n > 0) && p.bytes().all(|b| b.is_ascii_digit())
    });
    if !host_ok || !port_ok || !url.chars().all(is_server_url_char) {
        return Err(bad());
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// The origin of a URL that [`validate_cxreports_url`] accepted, serialised
/// as browsers serialise it (`MessageEvent.origin`, `location.origin`):
/// scheme and host in lower case, without the scheme's default port. The
/// option's own text may differ (`HTTPS://Reports.Example.com:443/cx`), and
/// a print message compared with that text would be refused.
pub(crate) fn origin_of(url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://").unwrap_or(("", &lower));
    let authority = rest.split('/').next().unwrap_or_default();
    let default_port = match scheme {
        "https" => ":443",
        "http" => ":80",
        _ => "",
    };
    let authority = match authority.strip_suffix(default_port) {
        // `[::1]:443` loses its port; `h.example:8443` keeps it.
        Some(host) if !default_port.is_empty() && !host.ends_with(':') => host,
        _ => authority,
    };
    format!("{scheme}://{authority}")
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_http_or_paths_on_this_site() {
        for good in [
            "/a",
            "./a",
            "../a",
            "HTTPS://H.example/a?b#c",
            "http://[::1]:8/a",
        ] {
            assert!(is_endpoint(good), "{good}");
        }
        for bad in [
            "",
            "a/b",
            "//h/a",
            "/a\\b",
            "/a\tb",
            "https://u@h/a",
            "https://h:0/a",
            "mailto:a@b",
            "vbscript:x",
        ] {
            assert!(!is_endpoint(bad), "{bad:?}");
        }
    }

    #[test]
    fn server_urls_are_absolute_http_with_a_clean_host() {
        for good in [
            "https://reports.example.com",
            "HTTP://H.EXAMPLE:8080/cx/",
            "http://[::1]",
            "http://[::ffff:127.0.0.1]:1",
            "https://xn--bcher-kva.example",
        ] {
            assert!(validate_cxreports_url(good).is_ok(), "{good}");
        }
        for bad in [
            "http://",
            "http://h:",
            "http://h:+80",
            "http://[]",
            "http://[::1]:",
            "http://h.example/a b",
            "http://h.example/<x>",
            "http://h.example/a'b",
            "http://h.example\\x",
            "http://h-.example",
        ] {
            assert_eq!(
                validate_cxreports_url(bad),
                Err(ConfigError::BadCxreportsUrl(bad.into())),
                "{bad}"
            );
        }
    }

    #[test]
    fn origins_end_before_the_path() {
        assert_eq!(origin_of("https://h.example"), "https://h.example");
        assert_eq!(origin_of("http://[::1]:8/cx/y"), "http://[::1]:8");
    }

    #[test]
    fn origins_are_serialised_as_browsers_do() {
        for (url, origin) in [
            (
                "HTTPS://Reports.Example.COM/cx",
                "https://reports.example.com",
            ),
            (
                "https://reports.example.com:443/cx",
                "https://reports.example.com",
            ),
            (
                "http://reports.example.com:80",
                "http://reports.example.com",
            ),
            (
                "http://reports.example.com:443",
                "http://reports.example.com:443",
            ),
            (
                "https://reports.example.com:4430",
                "https://reports.example.com:4430",
            ),
            (
                "https://reports.example.com:8443",
                "https://reports.example.com:8443",
            ),
            ("https://[::1]:443/x", "https://[::1]"),
            ("http://[::1]:8080", "http://[::1]:8080"),
        ] {
            assert_eq!(origin_of(url), origin, "{url}");
        }
    }
}
