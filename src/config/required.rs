//! The two options every widget needs: the CxReports server (`cxreportsUrl`)
//! and the `workspace` on it.
use cxreports_contract::encode_path_segment;

use crate::error::ConfigError;

use super::options::Options;

/// `cxreportsUrl`: required, and [`validate_cxreports_url`].
pub(super) fn cxreports_url(options: &Options<'_>) -> Result<String, ConfigError> {
    let url = options
        .string("cxreportsUrl")?
        .ok_or(ConfigError::Missing("cxreportsUrl"))?;
    validate_cxreports_url(&url)
}

/// `workspace`: required, and usable as one path segment.
pub(super) fn workspace(options: &Options<'_>) -> Result<String, ConfigError> {
    let workspace = options
        .string("workspace")?
        .ok_or(ConfigError::Missing("workspace"))?;
    encode_path_segment(&workspace).map_err(|e| ConfigError::BadValue {
        name: "workspace",
        detail: e.to_string(),
    })?;
    Ok(workspace)
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
    let clean = |c: char| !c.is_whitespace() && !c.is_control() && !"?#@\\\"'<>`".contains(c);
    if !host_ok || !port_ok || !url.chars().all(clean) {
        return Err(bad());
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// `scheme://authority` of an absolute URL (the whole string if it has no path).
pub(super) fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::options::testing::{read, text};
    use super::super::RawValue;
    use super::*;

    #[test]
    fn the_server_is_required_and_loses_its_trailing_slashes() {
        let url = |v: RawValue| read(&[("cxreportsUrl", v)], cxreports_url);
        assert_eq!(
            url(text(" https://h.example/cx// ")),
            Ok("https://h.example/cx".into())
        );
        assert_eq!(
            url(RawValue::Num(8.0)),
            Err(ConfigError::BadCxreportsUrl("8".into()))
        );
        for missing in [RawValue::Absent, text("  ")] {
            assert_eq!(url(missing), Err(ConfigError::Missing("cxreportsUrl")));
        }
        assert_eq!(
            url(RawValue::Bool(true)),
            Err(ConfigError::WrongType {
                name: "cxreportsUrl",
                expected: "a string"
            })
        );
        assert_eq!(
            url(text("ftp://h")),
            Err(ConfigError::BadCxreportsUrl("ftp://h".into()))
        );
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
    fn the_workspace_is_required_and_one_path_segment() {
        let ws = |v: RawValue| read(&[("workspace", v)], workspace);
        assert_eq!(ws(text(" sales ")), Ok("sales".into()));
        assert_eq!(ws(text("a/b")), Ok("a/b".into()), "encoded, not refused");
        assert_eq!(ws(RawValue::Num(3.0)), Ok("3".into()));
        assert_eq!(ws(RawValue::Absent), Err(ConfigError::Missing("workspace")));
        for dots in [".", ".."] {
            assert!(
                matches!(
                    ws(text(dots)),
                    Err(ConfigError::BadValue {
                        name: "workspace",
                        ..
                    })
                ),
                "{dots}"
            );
        }
    }

    #[test]
    fn origins_end_before_the_path() {
        assert_eq!(origin_of("https://h.example"), "https://h.example");
        assert_eq!(origin_of("http://[::1]:8/cx/y"), "http://[::1]:8");
    }
}
