//! Where nonces come from: `nonceUrl` or `fetchNonce`, exactly one.
use crate::error::ConfigError;

use super::options::Options;
use super::{NonceSource, RawValue};

/// `nonceUrl` (an endpoint) or `fetchNonce` (a function): exactly one.
pub(super) fn nonce_source(options: &Options<'_>) -> Result<NonceSource, ConfigError> {
    match (options.endpoint("nonceUrl")?, options.get("fetchNonce")) {
        (Some(url), None) => Ok(NonceSource::Url(url)),
        (None, Some(RawValue::Func(f))) => Ok(NonceSource::Callback(f.clone())),
        (None, Some(_)) => Err(ConfigError::WrongType {
            name: "fetchNonce",
            expected: "a function",
        }),
        _ => Err(ConfigError::NonceSource),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::options::testing::{read, text};
    use super::*;

    // A `js_sys::Function` exists only in a browser: the callback case is
    // covered by the wasm tests under tests/.

    #[test]
    fn a_nonce_url_is_an_endpoint() {
        assert_eq!(
            read(&[("nonceUrl", text(" /api/nonce "))], nonce_source),
            Ok(NonceSource::Url("/api/nonce".into()))
        );
        assert_eq!(
            read(&[("nonceUrl", text("//evil/nonce"))], nonce_source),
            Err(ConfigError::BadEndpoint {
                name: "nonceUrl",
                value: "//evil/nonce".into()
            })
        );
    }

    #[test]
    fn fetch_nonce_must_be_a_function() {
        for value in [text("x"), RawValue::Bool(true), RawValue::Num(1.0)] {
            assert_eq!(
                read(&[("fetchNonce", value)], nonce_source),
                Err(ConfigError::WrongType {
                    name: "fetchNonce",
                    expected: "a function"
                })
            );
        }
    }

    #[test]
    fn not_none_and_not_both() {
        assert_eq!(read(&[], nonce_source), Err(ConfigError::NonceSource));
        // A blank URL is no URL; `null` is no function.
        let blank = [("nonceUrl", text(" ")), ("fetchNonce", RawValue::Absent)];
        assert_eq!(read(&blank, nonce_source), Err(ConfigError::NonceSource));
        let both = [("nonceUrl", text("/n")), ("fetchNonce", text("x"))];
        assert_eq!(read(&both, nonce_source), Err(ConfigError::NonceSource));
    }
}
