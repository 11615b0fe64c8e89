//! Option names: refusing secret-like ones before anything else and unknown
//! ones (the known are [`OPTION_NAMES`], from the surface table), and the
//! attribute spelling of each.
use crate::error::ConfigError;

use super::surface::OPTION_NAMES;
use super::RawValue;

/// Whether an option name looks like it would carry a credential. Checked
/// before anything else, in any case and spelling (`apiKey`, `api-key`,
/// `ACCESS_TOKEN`, ...).
pub fn is_secret_like(name: &str) -> bool {
    let folded: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const EXACT: &[&str] = &["pat", "auth", "key", "jwt", "credential", "credentials"];
    const PARTS: &[&str] = &[
        "token",
        "secret",
        "password",
        "passwd",
        "apikey",
        "bearer",
        "authorization",
        "accesskey",
        "privatekey",
        "sessionid",
    ];
    // `credentials` is the fetch option (same-origin/include), not a secret.
    folded != "credentials"
        && (EXACT.contains(&folded.as_str()) || PARTS.iter().any(|p| folded.contains(p)))
}

/// Refuses the first option whose name [`is_secret_like`], whatever its value.
pub(super) fn refuse_secrets(raw: &[(String, RawValue)]) -> Result<(), ConfigError> {
    match raw.iter().find(|(name, _)| is_secret_like(name)) {
        Some((name, _)) => Err(ConfigError::SecretOption(name.clone())),
        None => Ok(()),
    }
}

/// Refuses the first option not in [`OPTION_NAMES`], listing those.
pub(super) fn refuse_unknown(raw: &[(String, RawValue)]) -> Result<(), ConfigError> {
    match raw
        .iter()
        .find(|(n, _)| !OPTION_NAMES.contains(&n.as_str()))
    {
        Some((name, _)) => Err(ConfigError::Unknown {
            name: name.clone(),
            known: OPTION_NAMES.join(", "),
        }),
        None => Ok(()),
    }
}

/// Turns an attribute name (`cxreports-url`) into its option name (`cxreportsUrl`).
/// Every option name is ASCII, so only ASCII letters change case (and
/// Unicode's case tables stay out of the bundle).
///
/// ```
/// assert_eq!(cxreports_widget::internals::attribute_to_option("nonce-url"), "nonceUrl");
/// ```
pub fn attribute_to_option(attribute: &str) -> String {
    let mut out = String::with_capacity(attribute.len());
    let mut upper = false;
    for c in attribute.chars() {
        if c == '-' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn raw(names: &[&str]) -> Vec<(String, RawValue)> {
        names
            .iter()
            .map(|name| (name.to_string(), RawValue::Absent))
            .collect()
    }

    #[test]
    fn secret_like_names_in_any_spelling() {
        for name in [
            "pat",
            "Auth",
            "KEY",
            "jwt",
            "credential",
            "x-session-id",
            "Private_Key",
            "accessKey",
            "passwd",
            "myToken",
        ] {
            assert!(is_secret_like(name), "{name}");
        }
        for name in [
            "credentials",
            "Credentials",
            "keys",
            "author",
            "patch",
            "monkey",
        ] {
            assert!(!is_secret_like(name), "{name}");
        }
    }

    #[test]
    fn the_first_secret_like_name_is_refused_even_without_a_value() {
        assert_eq!(refuse_secrets(&raw(&["workspace", "height"])), Ok(()));
        assert_eq!(
            refuse_secrets(&raw(&["workspace", "apiKey", "token"])),
            Err(ConfigError::SecretOption("apiKey".into()))
        );
    }

    #[test]
    fn the_first_unknown_name_is_refused_with_the_known_ones() {
        assert_eq!(refuse_unknown(&raw(OPTION_NAMES)), Ok(()));
        let err = refuse_unknown(&raw(&["workspace", "reprot", "hieght"])).unwrap_err();
        assert_eq!(
            err,
            ConfigError::Unknown {
                name: "reprot".into(),
                known: OPTION_NAMES.join(", "),
            }
        );
        assert!(err
            .to_string()
            .contains("cxreportsUrl, workspace, nonceUrl"));
        // Names are case-sensitive, as the JS API spells them.
        assert!(refuse_unknown(&raw(&["Workspace"])).is_err());
    }

    #[test]
    fn attribute_names_become_camel_case() {
        assert_eq!(attribute_to_option("nonce-max-age-ms"), "nonceMaxAgeMs");
        assert_eq!(attribute_to_option("height"), "height");
        assert_eq!(attribute_to_option("trailing-"), "trailing");
        assert_eq!(attribute_to_option("a--b"), "aB");
    }
}
