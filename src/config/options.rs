//! Reading the raw options: the last value given under each name, and that
//! value as a string, a boolean, a number or an endpoint. Every option's
//! validation reads through [`Options`].
use crate::error::ConfigError;

use super::surface::OPTION_NAMES;
use super::urls::is_endpoint;
use super::{JsonValue, RawValue};

/// A JS number that is a whole number an `i64` holds exactly, as one.
/// (Integer formatting keeps float formatting out of the bundle.)
pub fn whole_number(n: f64) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    (n.is_finite() && n.fract() == 0.0 && n.abs() <= EXACT).then_some(n as i64)
}

/// A JSON object whose values are all strings, as name/value pairs.
pub(super) fn string_map(value: &JsonValue) -> Option<Vec<(String, String)>> {
    value
        .members
        .as_ref()?
        .iter()
        .map(|(name, value)| Some((name.clone(), value.clone()?)))
        .collect()
}

/// The raw options, read by name.
pub(super) struct Options<'a> {
    raw: &'a [(String, RawValue)],
}

impl<'a> Options<'a> {
    /// Reads `raw` (whose names have been checked).
    pub(super) fn new(raw: &'a [(String, RawValue)]) -> Self {
        Options { raw }
    }

    /// Refuses a value the front end could not read, reported under its
    /// option's name (the first such option in [`OPTION_NAMES`] order).
    pub(super) fn refuse_unreadable(&self) -> Result<(), ConfigError> {
        for &name in OPTION_NAMES {
            if let Some(RawValue::Unreadable(detail)) = self.get(name) {
                return Err(ConfigError::BadValue {
                    name,
                    detail: detail.clone(),
                });
            }
        }
        Ok(())
    }

    /// The option's value: the last one given that is not `null`/`undefined`.
    pub(super) fn get(&self, name: &str) -> Option<&'a RawValue> {
        self.raw
            .iter()
            .rev()
            .find(|(n, v)| n == name && !matches!(v, RawValue::Absent))
            .map(|(_, v)| v)
    }

    /// A string option, trimmed; blank is the same as absent. A whole number
    /// is taken as its digits.
    pub(super) fn string(&self, name: &'static str) -> Result<Option<String>, ConfigError> {
        match self.get(name) {
            None => Ok(None),
            Some(RawValue::Str(s)) if s.trim().is_empty() => Ok(None),
            Some(RawValue::Str(s)) => Ok(Some(s.trim().to_owned())),
            Some(RawValue::Num(n)) => match whole_number(*n) {
                Some(n) => Ok(Some(n.to_string())),
                None => Err(ConfigError::WrongType {
                    name,
                    expected: "a string",
                }),
            },
            Some(_) => Err(ConfigError::WrongType {
                name,
                expected: "a string",
            }),
        }
    }

    /// An object option whose values are all strings, as name/value pairs
    /// (none when absent); anything else is the wrong type, `expected`.
    pub(super) fn string_pairs(
        &self,
        name: &'static str,
        expected: &'static str,
    ) -> Result<Vec<(String, String)>, ConfigError> {
        match self.get(name) {
            None => Ok(Vec::new()),
            Some(RawValue::Json(json)) => {
                string_map(json).ok_or(ConfigError::WrongType { name, expected })
            }
            Some(_) => Err(ConfigError::WrongType { name, expected }),
        }
    }

    /// An endpoint option: a string that [`is_endpoint`].
    pub(super) fn endpoint(&self, name: &'static str) -> Result<Option<String>, ConfigError> {
        self.string(name)?
            .map(|value| {
                if is_endpoint(&value) {
                    Ok(value)
                } else {
                    Err(ConfigError::BadEndpoint { name, value })
                }
            })
            .transpose()
    }

    /// A boolean option: `true`/`false`, or that text; a present but blank
    /// attribute is `true`.
    pub(super) fn boolean(&self, name: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.get(name) {
            None => Ok(default),
            Some(RawValue::Bool(b)) => Ok(*b),
            Some(RawValue::Str(s)) => match s.trim() {
                "" | "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(ConfigError::WrongType {
                    name,
                    expected: "true or false",
                }),
            },
            Some(_) => Err(ConfigError::WrongType {
                name,
                expected: "true or false",
            }),
        }
    }

    /// A whole number of at least 0 (or its digits), at most `max`.
    pub(super) fn number(
        &self,
        name: &'static str,
        default: u32,
        max: u32,
    ) -> Result<u32, ConfigError> {
        let expected = "a whole number of at least 0";
        let value = match self.get(name) {
            None => return Ok(default),
            Some(RawValue::Num(n)) => *n,
            Some(RawValue::Str(s)) => s
                .trim()
                .parse::<u32>()
                .map(f64::from)
                .map_err(|_| ConfigError::WrongType { name, expected })?,
            Some(_) => return Err(ConfigError::WrongType { name, expected }),
        };
        if value.is_finite() && value >= 0.0 && value.fract() == 0.0 {
            Ok(value.min(f64::from(max)) as u32)
        } else {
            Err(ConfigError::WrongType { name, expected })
        }
    }
}

/// Helpers for the option tests of every file of this module.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(super) mod testing {
    use super::Options;
    use crate::config::{JsonValue, RawOptions, RawValue};
    use crate::error::ConfigError;

    /// An object or array option as the browser reads it.
    pub fn json(text: &str) -> RawValue {
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        RawValue::Json(JsonValue {
            text: value.to_string(),
            members: value.as_object().map(|members| {
                members
                    .iter()
                    .map(|(name, v)| (name.clone(), v.as_str().map(str::to_owned)))
                    .collect()
            }),
        })
    }

    /// A string option.
    pub fn text(s: &str) -> RawValue {
        RawValue::Str(s.into())
    }

    /// Runs one option's (or group's) validation over just these options.
    pub fn read<T>(
        entries: &[(&str, RawValue)],
        validate: impl FnOnce(&Options<'_>) -> Result<T, ConfigError>,
    ) -> Result<T, ConfigError> {
        let raw: RawOptions = entries
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect();
        validate(&Options::new(&raw))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::testing::{json, read, text};
    use super::*;

    #[test]
    fn whole_numbers_are_exact_integers_only() {
        assert_eq!(whole_number(42.0), Some(42));
        assert_eq!(whole_number(-3.0), Some(-3));
        assert_eq!(whole_number(9_007_199_254_740_992.0), Some(1 << 53));
        for not in [1.5, f64::NAN, f64::INFINITY, 9_007_199_254_740_994.0] {
            assert_eq!(whole_number(not), None, "{not}");
        }
    }

    #[test]
    fn string_maps_need_an_object_of_strings() {
        let pairs = |v: RawValue| match v {
            RawValue::Json(json) => string_map(&json),
            _ => unreachable!(),
        };
        assert_eq!(
            pairs(json(r#"{"a":"1","b":"2"}"#)),
            Some(vec![("a".into(), "1".into()), ("b".into(), "2".into())])
        );
        assert_eq!(pairs(json("{}")), Some(vec![]));
        assert_eq!(pairs(json(r#"{"a":1}"#)), None);
        assert_eq!(pairs(json(r#"["a"]"#)), None);
    }

    #[test]
    fn the_last_present_value_counts() {
        let entries = [
            ("height", text("1px")),
            ("height", text("2px")),
            ("height", RawValue::Absent),
        ];
        assert_eq!(
            read(&entries, |o| Ok(o.get("height").cloned())),
            Ok(Some(text("2px")))
        );
        assert_eq!(read(&entries, |o| Ok(o.get("lang").cloned())), Ok(None));
    }

    #[test]
    fn unreadable_values_are_refused_in_option_order() {
        let entries = [
            ("messages", RawValue::Unreadable("m".into())),
            ("params", RawValue::Unreadable("p".into())),
        ];
        assert_eq!(
            read(&entries, |o| o.refuse_unreadable()),
            Err(ConfigError::BadValue {
                name: "params",
                detail: "p".into()
            })
        );
        // A later value replaces an unreadable one.
        let entries = [
            ("params", RawValue::Unreadable("p".into())),
            ("params", json("{}")),
        ];
        assert_eq!(read(&entries, |o| o.refuse_unreadable()), Ok(()));
    }

    #[test]
    fn strings_are_trimmed_and_whole_numbers_read_as_digits() {
        let string = |v: RawValue| read(&[("lang", v)], |o| o.string("lang"));
        assert_eq!(string(text("  de ")), Ok(Some("de".into())));
        assert_eq!(string(text("   ")), Ok(None));
        assert_eq!(string(RawValue::Absent), Ok(None));
        assert_eq!(string(RawValue::Num(7.0)), Ok(Some("7".into())));
        for wrong in [RawValue::Num(7.5), RawValue::Bool(true), json("{}")] {
            assert_eq!(
                string(wrong),
                Err(ConfigError::WrongType {
                    name: "lang",
                    expected: "a string"
                })
            );
        }
    }

    #[test]
    fn endpoints_are_strings_that_are_endpoints() {
        let endpoint = |v: RawValue| read(&[("pdfUrl", v)], |o| o.endpoint("pdfUrl"));
        assert_eq!(endpoint(text(" /api/pdf ")), Ok(Some("/api/pdf".into())));
        assert_eq!(endpoint(RawValue::Absent), Ok(None));
        assert_eq!(
            endpoint(text("javascript:x")),
            Err(ConfigError::BadEndpoint {
                name: "pdfUrl",
                value: "javascript:x".into()
            })
        );
    }

    #[test]
    fn booleans_take_text_and_a_blank_attribute_is_true() {
        let boolean = |v: RawValue| read(&[("showPicker", v)], |o| o.boolean("showPicker", false));
        assert_eq!(boolean(RawValue::Absent), Ok(false));
        assert_eq!(boolean(RawValue::Bool(true)), Ok(true));
        assert_eq!(boolean(text("")), Ok(true));
        assert_eq!(boolean(text(" true ")), Ok(true));
        assert_eq!(boolean(text("false")), Ok(false));
        for wrong in [text("yes"), RawValue::Num(1.0)] {
            assert_eq!(
                boolean(wrong),
                Err(ConfigError::WrongType {
                    name: "showPicker",
                    expected: "true or false"
                })
            );
        }
    }

    #[test]
    fn numbers_are_whole_at_least_zero_and_clamped() {
        let number = |v: RawValue| read(&[("retries", v)], |o| o.number("retries", 2, 10));
        assert_eq!(number(RawValue::Absent), Ok(2));
        assert_eq!(number(RawValue::Num(0.0)), Ok(0));
        assert_eq!(number(RawValue::Num(99.0)), Ok(10));
        assert_eq!(number(text(" 7 ")), Ok(7));
        assert_eq!(number(text("99")), Ok(10));
        for wrong in [
            RawValue::Num(-1.0),
            RawValue::Num(1.5),
            RawValue::Num(f64::NAN),
            RawValue::Num(f64::INFINITY),
            text("-1"),
            text("1.0"),
            text(""),
            RawValue::Bool(true),
        ] {
            assert_eq!(
                number(wrong.clone()),
                Err(ConfigError::WrongType {
                    name: "retries",
                    expected: "a whole number of at least 0"
                }),
                "{wrong:?}"
            );
        }
    }
}
