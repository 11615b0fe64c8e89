//! The preview query: `params`, `data`, `tempDataId`, `timezone`, `lang`,
//! `theme`, `template`, and how `params` rides in the URL (`paramsEncoding`).
use cxreports_contract::{ParamsEncoding, PreviewQuery};

use crate::error::ConfigError;

use super::options::Options;
use super::RawValue;

/// The preview query options, read together.
#[derive(Debug, PartialEq)]
pub(super) struct Preview {
    /// The query (params, data, timezone, ...).
    pub(super) query: PreviewQuery,
    /// `paramsEncoding`.
    pub(super) params_encoding: ParamsEncoding,
    /// Whether the reader's own time zone is sent (see [`timezone`]).
    pub(super) reader_time_zone: bool,
}

/// Every preview query option, checked in this order: `paramsEncoding`,
/// `tempDataId`, `data`, `params`, `timezone`, `lang`, `theme`, `template`.
pub(super) fn preview(options: &Options<'_>) -> Result<Preview, ConfigError> {
    let params_encoding = params_encoding(options)?;
    let temp_data_id = temp_data_id(options)?;
    let data_json = data(options)?;
    let params_json = json_object("params", options.get("params"))?;
    let (timezone, reader_time_zone) = timezone(options)?;
    let query = PreviewQuery {
        params_json,
        data_json,
        temp_data_id,
        timezone,
        lang: options.string("lang")?,
        theme: options.string("theme")?,
        template: options.string("template")?,
        // The widget's toolbar prints; the viewer's own button would duplicate it.
        hide_print_button: true,
    };
    Ok(Preview {
        query,
        params_encoding,
        reader_time_zone,
    })
}

/// `paramsEncoding`: `json` (the default) or `base64`.
fn params_encoding(options: &Options<'_>) -> Result<ParamsEncoding, ConfigError> {
    match options.string("paramsEncoding")? {
        None => Ok(ParamsEncoding::Json),
        Some(text) => ParamsEncoding::parse(&text).ok_or(ConfigError::WrongType {
            name: "paramsEncoding",
            expected: "\"json\" or \"base64\"",
        }),
    }
}

/// `tempDataId`: a whole number of at least 0.
fn temp_data_id(options: &Options<'_>) -> Result<Option<i64>, ConfigError> {
    match options.get("tempDataId") {
        None => Ok(None),
        Some(_) => Ok(Some(i64::from(options.number(
            "tempDataId",
            0,
            u32::MAX,
        )?))),
    }
}

/// `data`: any JSON (an object or an array), as its text.
fn data(options: &Options<'_>) -> Result<Option<String>, ConfigError> {
    match options.get("data") {
        None => Ok(None),
        Some(RawValue::Json(json)) => Ok(Some(json.text.clone())),
        Some(_) => Err(ConfigError::WrongType {
            name: "data",
            expected: "JSON data (an object or an array)",
        }),
    }
}

/// `timezone` when it names a zone (a keyword or a boolean names none),
/// and whether the reader's own zone is sent: by default dates render in
/// the reader's own zone; `false`/`none` leaves the zone to the server, and
/// a named zone is sent as it is.
fn timezone(options: &Options<'_>) -> Result<(Option<String>, bool), ConfigError> {
    match options.get("timezone") {
        None => Ok((None, true)),
        Some(RawValue::Bool(on)) => Ok((None, *on)),
        Some(RawValue::Str(s)) => match time_zone_keyword(s) {
            Some(reader) => Ok((None, reader)),
            None => Ok((options.string("timezone")?, false)),
        },
        Some(_) => Ok((options.string("timezone")?, false)),
    }
}

/// `timezone` given as a word rather than a zone: `Some(true)` for the
/// reader's own zone (`auto`, `true`, blank), `Some(false)` for none.
fn time_zone_keyword(value: &str) -> Option<bool> {
    match value.trim() {
        "" | "auto" | "true" => Some(true),
        "none" | "false" | "off" => Some(false),
        _ => None,
    }
}

/// Reads an option that must be a JSON object (`params`), returning its text.
///
/// ```
/// use cxreports_widget::{internals::json_object, JsonValue, RawValue};
/// let object = JsonValue { text: r#"{"y":1}"#.into(), members: Some(vec![("y".into(), None)]) };
/// let array = JsonValue { text: "[1]".into(), members: None };
/// assert_eq!(json_object("params", Some(&RawValue::Json(object))).unwrap().as_deref(), Some(r#"{"y":1}"#));
/// assert!(json_object("params", Some(&RawValue::Json(array))).is_err());
/// ```
pub fn json_object(
    name: &'static str,
    value: Option<&RawValue>,
) -> Result<Option<String>, ConfigError> {
    match value {
        None | Some(RawValue::Absent) => Ok(None),
        Some(RawValue::Json(json)) if json.is_object() => Ok(Some(json.text.clone())),
        Some(RawValue::Unreadable(detail)) => Err(ConfigError::BadValue {
            name,
            detail: detail.clone(),
        }),
        Some(_) => Err(ConfigError::WrongType {
            name,
            expected: "an object",
        }),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::options::testing::{json, read, text};
    use super::*;

    #[test]
    fn nothing_given_is_the_default_query() {
        let preview = read(&[], preview).unwrap();
        assert_eq!(
            preview,
            Preview {
                query: PreviewQuery {
                    hide_print_button: true,
                    ..PreviewQuery::default()
                },
                params_encoding: ParamsEncoding::Json,
                reader_time_zone: true,
            }
        );
    }

    #[test]
    fn the_text_options_are_trimmed_strings() {
        let given = [
            ("lang", text(" de ")),
            ("theme", RawValue::Num(3.0)),
            ("template", text("t")),
        ];
        let query = read(&given, preview).unwrap().query;
        assert_eq!(query.lang.as_deref(), Some("de"));
        assert_eq!(query.theme.as_deref(), Some("3"));
        assert_eq!(query.template.as_deref(), Some("t"));
        for name in ["lang", "theme", "template"] {
            assert!(
                matches!(
                    read(&[(name, RawValue::Bool(true))], preview),
                    Err(ConfigError::WrongType { name: n, expected: "a string" }) if n == name
                ),
                "{name}"
            );
        }
    }

    #[test]
    fn params_are_an_object_and_data_any_json() {
        let given = [("params", json(r#"{"y":"1"}"#)), ("data", json("[1,2]"))];
        let query = read(&given, preview).unwrap().query;
        assert_eq!(query.params_json.as_deref(), Some(r#"{"y":"1"}"#));
        assert_eq!(query.data_json.as_deref(), Some("[1,2]"));
        assert_eq!(
            read(&[("data", json(r#"{"a":1}"#))], data),
            Ok(Some(r#"{"a":1}"#.into()))
        );
        for wrong in [text("[1]"), RawValue::Num(1.0), RawValue::Bool(false)] {
            assert_eq!(
                read(&[("data", wrong)], data),
                Err(ConfigError::WrongType {
                    name: "data",
                    expected: "JSON data (an object or an array)"
                })
            );
        }
    }

    #[test]
    fn json_objects_only() {
        assert_eq!(json_object("params", None), Ok(None));
        assert_eq!(json_object("params", Some(&RawValue::Absent)), Ok(None));
        assert_eq!(
            json_object("params", Some(&json(r#"{"a":[1]}"#))),
            Ok(Some(r#"{"a":[1]}"#.into()))
        );
        assert_eq!(
            json_object("params", Some(&RawValue::Unreadable("not JSON".into()))),
            Err(ConfigError::BadValue {
                name: "params",
                detail: "not JSON".into()
            })
        );
        for wrong in [json("[]"), text("{}"), RawValue::Num(1.0)] {
            assert_eq!(
                json_object("params", Some(&wrong)),
                Err(ConfigError::WrongType {
                    name: "params",
                    expected: "an object"
                })
            );
        }
    }

    #[test]
    fn params_encoding_is_json_or_base64() {
        let encoding = |v: RawValue| read(&[("paramsEncoding", v)], params_encoding);
        assert_eq!(encoding(RawValue::Absent), Ok(ParamsEncoding::Json));
        assert_eq!(encoding(text(" base64 ")), Ok(ParamsEncoding::Base64));
        assert_eq!(encoding(text("json")), Ok(ParamsEncoding::Json));
        for wrong in [text("JSON"), text("xml"), RawValue::Num(64.0)] {
            assert_eq!(
                encoding(wrong),
                Err(ConfigError::WrongType {
                    name: "paramsEncoding",
                    expected: "\"json\" or \"base64\""
                })
            );
        }
    }

    #[test]
    fn temp_data_ids_are_whole_numbers() {
        let id = |v: RawValue| read(&[("tempDataId", v)], temp_data_id);
        assert_eq!(id(RawValue::Absent), Ok(None));
        assert_eq!(id(RawValue::Num(5.0)), Ok(Some(5)));
        assert_eq!(id(text("12")), Ok(Some(12)));
        assert_eq!(id(RawValue::Num(1e12)), Ok(Some(i64::from(u32::MAX))));
        assert!(matches!(
            id(RawValue::Num(-1.0)),
            Err(ConfigError::WrongType {
                name: "tempDataId",
                ..
            })
        ));
    }

    #[test]
    fn time_zone_words_and_zones() {
        let zone = |v: RawValue| {
            let given = [("timezone", v)];
            read(&given, timezone)
        };
        assert_eq!(zone(text(" UTC ")), Ok((Some("UTC".into()), false)));
        assert_eq!(zone(RawValue::Num(0.0)), Ok((Some("0".into()), false)));
        for reader in ["", "auto", "true", " auto "] {
            assert_eq!(zone(text(reader)), Ok((None, true)), "{reader:?}");
        }
        for server in ["none", "false", "off"] {
            assert_eq!(zone(text(server)), Ok((None, false)), "{server}");
        }
        assert_eq!(zone(RawValue::Bool(true)), Ok((None, true)));
        assert_eq!(zone(RawValue::Bool(false)), Ok((None, false)));
        assert_eq!(zone(RawValue::Absent), Ok((None, true)));
        assert_eq!(
            read(&[("timezone", json("{}"))], timezone),
            Err(ConfigError::WrongType {
                name: "timezone",
                expected: "a string"
            })
        );
    }

    #[test]
    fn checked_in_order() {
        let all_wrong = [
            ("template", RawValue::Bool(true)),
            ("theme", RawValue::Bool(true)),
            ("lang", RawValue::Bool(true)),
            ("timezone", RawValue::Num(0.5)),
            ("params", json("[]")),
            ("data", text("x")),
            ("tempDataId", text("x")),
            ("paramsEncoding", text("x")),
        ];
        // Given in the reverse order: the order of checks is not the order given.
        let mut names = Vec::new();
        for n in (1..=all_wrong.len()).rev() {
            match read(&all_wrong[..n], preview) {
                Err(ConfigError::WrongType { name, .. }) => names.push(name),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(
            names,
            [
                "paramsEncoding",
                "tempDataId",
                "data",
                "params",
                "timezone",
                "lang",
                "theme",
                "template"
            ]
        );
    }
}
