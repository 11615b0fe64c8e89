//! The widget's language: `locale` (a BCP 47 tag) and the host's own
//! `messages` over the language's catalog.
use crate::error::ConfigError;
use crate::i18n::Key;

use super::options::Options;

/// `locale`: a well-formed language tag (`de`, `pt-BR`, `sr_Latn`), when given.
pub(super) fn locale(options: &Options<'_>) -> Result<Option<String>, ConfigError> {
    let locale = options.string("locale")?;
    if let Some(tag) = &locale {
        let well_formed = tag.len() <= 35
            && tag.split(['-', '_']).all(|part| {
                (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if !well_formed {
            return Err(ConfigError::WrongType {
                name: "locale",
                expected: "a language tag like de, pt-BR or sr-Latn",
            });
        }
    }
    Ok(locale)
}

/// `messages`: an object of message keys (see [`Key`]) to texts.
pub(super) fn messages(options: &Options<'_>) -> Result<Vec<(String, String)>, ConfigError> {
    let map = options.string_pairs("messages", "an object of message keys to texts")?;
    if let Some((name, _)) = map.iter().find(|(k, _)| Key::from_name(k).is_none()) {
        let keys: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
        return Err(ConfigError::BadValue {
            name: "messages",
            detail: format!(
                "there is no message \"{name}\"; the keys are: {}",
                keys.join(", ")
            ),
        });
    }
    Ok(map)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::options::testing::{json, read, text};
    use super::*;
    use crate::config::RawValue;

    #[test]
    fn locales_are_well_formed_tags() {
        let tag = |v: RawValue| read(&[("locale", v)], locale);
        assert_eq!(tag(RawValue::Absent), Ok(None));
        for good in ["de", " pt-BR ", "sr_Latn", "zh-Hant-TW", "x-private1"] {
            assert_eq!(tag(text(good)), Ok(Some(good.trim().into())), "{good}");
        }
        let long = format!("en{}", "-abcdefgh".repeat(4)); // 38 characters
        for bad in [
            "de-",
            "-de",
            "de--AT",
            "toolongtag",
            "de AT",
            "d\u{e9}",
            long.as_str(),
        ] {
            assert_eq!(
                tag(text(bad)),
                Err(ConfigError::WrongType {
                    name: "locale",
                    expected: "a language tag like de, pt-BR or sr-Latn"
                }),
                "{bad}"
            );
        }
        assert!(matches!(
            tag(RawValue::Bool(true)),
            Err(ConfigError::WrongType {
                name: "locale",
                expected: "a string"
            })
        ));
    }

    #[test]
    fn messages_are_known_keys_to_texts() {
        let messages = |v: RawValue| read(&[("messages", v)], messages);
        assert_eq!(messages(RawValue::Absent), Ok(vec![]));
        assert_eq!(
            messages(json(r#"{"close":"Zu","retry":"Nochmal"}"#)),
            Ok(vec![
                ("close".into(), "Zu".into()),
                ("retry".into(), "Nochmal".into())
            ])
        );
        for wrong in [json(r#"{"retry":1}"#), json(r#"["retry"]"#), text("retry")] {
            assert_eq!(
                messages(wrong),
                Err(ConfigError::WrongType {
                    name: "messages",
                    expected: "an object of message keys to texts"
                })
            );
        }
        let Err(ConfigError::BadValue { name, detail }) =
            messages(json(r#"{"retry":"R","Retry":"R"}"#))
        else {
            panic!("an unknown key is refused");
        };
        assert_eq!(name, "messages");
        assert!(detail.starts_with("there is no message \"Retry\"; the keys are: reports, "));
        assert!(detail.contains(", retry,"));
    }
}
