//! How the widget calls the host backend: extra `requestHeaders` (a CSRF
//! token, never a credential) and the cookie policy (`credentials`).
use crate::error::ConfigError;

use super::options::Options;
use super::Credentials;

/// `requestHeaders`: an object of header names to string values, none of
/// them a credential, all of them headers `fetch` would send.
pub(super) fn request_headers(options: &Options<'_>) -> Result<Vec<(String, String)>, ConfigError> {
    let map = options.string_pairs(
        "requestHeaders",
        "an object of header names to string values",
    )?;
    // CSRF tokens belong in these headers; credentials for CxReports never do.
    if let Some((name, _)) = map.iter().find(|(k, _)| is_credential_header(k)) {
        return Err(ConfigError::SecretOption(format!("requestHeaders.{name}")));
    }
    // What `fetch` would refuse must be refused here, with a message.
    if let Some((name, _)) = map
        .iter()
        .find(|(k, v)| !is_header_name(k) || !is_header_value(v))
    {
        return Err(ConfigError::BadValue {
            name: "requestHeaders",
            detail: format!(
                "\"{name}\" is not a valid header name, or its value is not printable ASCII"
            ),
        });
    }
    Ok(map)
}

/// `credentials`: `same-origin` (the default) or `include`.
pub(super) fn credentials(options: &Options<'_>) -> Result<Credentials, ConfigError> {
    match options.string("credentials")?.as_deref() {
        None | Some("same-origin") => Ok(Credentials::SameOrigin),
        Some("include") => Ok(Credentials::Include),
        Some(_) => Err(ConfigError::WrongType {
            name: "credentials",
            expected: "\"same-origin\" or \"include\"",
        }),
    }
}

/// An HTTP header name: a non-empty token.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A header value the widget sends: printable ASCII (and spaces or tabs).
fn is_header_value(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
}

/// Headers that would carry a credential rather than a CSRF token.
fn is_credential_header(name: &str) -> bool {
    let folded = name.to_ascii_lowercase().replace(['-', '_'], "");
    folded.ends_with("authorization") || folded.contains("apikey") || folded.contains("bearer")
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::options::testing::{json, read, text};
    use super::*;
    use crate::config::RawValue;

    fn headers(value: RawValue) -> Result<Vec<(String, String)>, ConfigError> {
        read(&[("requestHeaders", value)], request_headers)
    }

    #[test]
    fn headers_are_an_object_of_strings_in_order() {
        assert_eq!(headers(RawValue::Absent), Ok(vec![]));
        assert_eq!(
            headers(json(r#"{"X-CSRF-Token":"a b","X-Other":"\tc"}"#)),
            Ok(vec![
                ("X-CSRF-Token".into(), "a b".into()),
                ("X-Other".into(), "\tc".into())
            ])
        );
        for wrong in [json(r#"{"X-N":1}"#), json(r#"["X-N"]"#), text("X-N: 1")] {
            assert_eq!(
                headers(wrong),
                Err(ConfigError::WrongType {
                    name: "requestHeaders",
                    expected: "an object of header names to string values"
                })
            );
        }
    }

    #[test]
    fn credential_headers_are_refused_as_secrets() {
        for name in [
            "Authorization",
            "Proxy-Authorization",
            "X-Api-Key",
            "x_bearer",
        ] {
            let given = json(&format!("{{{name:?}: \"v\"}}"));
            assert_eq!(
                headers(given),
                Err(ConfigError::SecretOption(format!("requestHeaders.{name}"))),
                "{name}"
            );
        }
        // Before a header that `fetch` would refuse.
        assert!(matches!(
            headers(json(r#"{"X Bad":"v","Authorization":"v"}"#)),
            Err(ConfigError::SecretOption(_))
        ));
    }

    #[test]
    fn headers_fetch_would_refuse_are_refused() {
        let err = headers(json(r#"{"X-Ok":"v","X(Bad)":"v"}"#)).unwrap_err();
        assert_eq!(
            err,
            ConfigError::BadValue {
                name: "requestHeaders",
                detail:
                    "\"X(Bad)\" is not a valid header name, or its value is not printable ASCII"
                        .into()
            }
        );
        for value in ["\u{7f}", "é", "a\nb"] {
            assert!(
                is_header_value("ok\t ~") && !is_header_value(value),
                "{value:?}"
            );
        }
        assert!(is_header_name("X-Request_ID.1~") && !is_header_name("") && !is_header_name("a:b"));
    }

    #[test]
    fn credentials_are_same_origin_or_include() {
        let policy = |v: RawValue| read(&[("credentials", v)], credentials);
        assert_eq!(policy(RawValue::Absent), Ok(Credentials::SameOrigin));
        assert_eq!(policy(text(" same-origin ")), Ok(Credentials::SameOrigin));
        assert_eq!(policy(text("include")), Ok(Credentials::Include));
        for wrong in [text("omit"), text("Include"), RawValue::Bool(true)] {
            assert!(matches!(
                policy(wrong),
                Err(ConfigError::WrongType {
                    name: "credentials",
                    ..
                })
            ),);
        }
    }
}
