//! The contract's JSON shapes as the widget reads them: reports, report types,
//! nonces and error bodies, from [`Json`] values. Field names and defaults
//! are the contract's (`cxreports_contract::model`); unknown fields are
//! ignored, so a newer CxReports that adds fields keeps working.
use cxreports_contract::model::{ApiError, NonceToken, Report, ReportType};

use crate::json::Json;

/// A value read from JSON, or what about it was unexpected.
pub trait FromJson: Sized {
    /// Reads `value`, or says which field was missing or of the wrong type.
    fn from_json(value: &Json) -> Result<Self, String>;
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Json) -> Result<Self, String> {
        match value {
            Json::Arr(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| T::from_json(item).map_err(|e| format!("item {i}: {e}")))
                .collect(),
            _ => Err("expected an array".into()),
        }
    }
}

/// An object's fields, read by name.
struct Fields<'a>(&'a Json);

impl<'a> Fields<'a> {
    fn of(value: &'a Json) -> Result<Self, String> {
        match value {
            Json::Obj(_) => Ok(Fields(value)),
            _ => Err("expected an object".into()),
        }
    }

    /// A required field, read by `read`; `expected` names its type in the error.
    fn field<T>(
        &self,
        name: &str,
        read: impl Fn(&Json) -> Option<T>,
        expected: &str,
    ) -> Result<T, String> {
        self.0
            .get(name)
            .and_then(read)
            .ok_or_else(|| format!("`{name}` must be {expected}"))
    }

    /// A field that may be absent or `null`.
    fn optional<T>(
        &self,
        name: &str,
        read: impl Fn(&Json) -> Option<T>,
        expected: &str,
    ) -> Result<Option<T>, String> {
        match self.0.get(name) {
            None | Some(Json::Null) => Ok(None),
            Some(_) => self.field(name, read, expected).map(Some),
        }
    }

    fn int(&self, name: &str) -> Result<i64, String> {
        self.field(name, Json::as_i64, "an integer")
    }

    fn text(&self, name: &str) -> Result<String, String> {
        self.field(name, owned_str, "a string")
    }

    fn opt_int(&self, name: &str) -> Result<Option<i64>, String> {
        self.optional(name, Json::as_i64, "an integer")
    }

    fn opt_text(&self, name: &str) -> Result<Option<String>, String> {
        self.optional(name, owned_str, "a string")
    }

    /// A flag; absent or `null` is `false`.
    fn flag(&self, name: &str) -> Result<bool, String> {
        Ok(self
            .optional(name, Json::as_bool, "true or false")?
            .unwrap_or(false))
    }
}

fn owned_str(value: &Json) -> Option<String> {
    value.as_str().map(str::to_owned)
}

impl FromJson for Report {
    fn from_json(value: &Json) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(Report {
            id: f.int("id")?,
            name: f.text("name")?,
            report_type_id: f.int("reportTypeId")?,
            report_type_name: f.text("reportTypeName")?,
            report_template_name: f.opt_text("reportTemplateName")?.unwrap_or_default(),
            preview_image: f.opt_text("previewImage")?,
            theme_name: f.opt_text("themeName")?,
            is_default: f.flag("isDefault")?,
        })
    }
}

impl FromJson for ReportType {
    fn from_json(value: &Json) -> Result<Self, String> {
        let f = Fields::of(value)?;
        Ok(ReportType {
            id: f.int("id")?,
            name: f.text("name")?,
            description: f.opt_text("description")?,
            code: f.text("code")?,
            default_report_id: f.opt_int("defaultReportId")?,
            default_report_name: f.opt_text("defaultReportName")?,
        })
    }
}

impl FromJson for NonceToken {
    fn from_json(value: &Json) -> Result<Self, String> {
        Ok(NonceToken {
            nonce: Fields::of(value)?.text("nonce")?,
        })
    }
}

impl FromJson for ApiError {
    fn from_json(value: &Json) -> Result<Self, String> {
        Ok(ApiError {
            error: Fields::of(value)?.text("error")?,
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::parse;
    use proptest::prelude::*;

    fn read<T: FromJson>(text: &str) -> Result<T, String> {
        T::from_json(&parse(text).map_err(|e| e.to_string())?)
    }

    fn any_report() -> impl Strategy<Value = Report> {
        (
            any::<i64>(),
            any::<String>(),
            any::<i64>(),
            any::<String>(),
            any::<String>(),
            proptest::option::of(any::<String>()),
            proptest::option::of(any::<String>()),
            any::<bool>(),
        )
            .prop_map(
                |(id, name, type_id, type_name, template, image, theme, default)| Report {
                    id,
                    name,
                    report_type_id: type_id,
                    report_type_name: type_name,
                    report_template_name: template,
                    preview_image: image,
                    theme_name: theme,
                    is_default: default,
                },
            )
    }

    fn any_type() -> impl Strategy<Value = ReportType> {
        (
            any::<i64>(),
            any::<String>(),
            proptest::option::of(any::<String>()),
            any::<String>(),
            proptest::option::of(any::<i64>()),
            proptest::option::of(any::<String>()),
        )
            .prop_map(
                |(id, name, description, code, report_id, report_name)| ReportType {
                    id,
                    name,
                    description,
                    code,
                    default_report_id: report_id,
                    default_report_name: report_name,
                },
            )
    }

    #[test]
    fn defaults_are_the_contracts() {
        let r: Report =
            read(r#"{"id":1,"name":"A","reportTypeId":2,"reportTypeName":"T","extra":[1]}"#)
                .unwrap();
        assert_eq!((r.report_template_name.as_str(), r.is_default), ("", false));
        assert_eq!(r.theme_name, None);
        let t: ReportType =
            read(r#"{"id":1,"name":"T","code":"t","defaultReportId":null}"#).unwrap();
        assert_eq!(t.default_report_id, None);
    }

    #[test]
    fn wrong_shapes_say_which_field() {
        assert_eq!(
            read::<NonceToken>(r#"{"unexpected":true}"#).unwrap_err(),
            "`nonce` must be a string"
        );
        assert_eq!(
            read::<Vec<Report>>(r#"[{"id":"7","name":"A","reportTypeId":2,"reportTypeName":"T"}]"#)
                .unwrap_err(),
            "item 0: `id` must be an integer"
        );
        assert_eq!(read::<Vec<Report>>("{}").unwrap_err(), "expected an array");
        assert_eq!(read::<ApiError>("[]").unwrap_err(), "expected an object");
        assert!(
            read::<Report>(r#"{"id":1.5,"name":"A","reportTypeId":2,"reportTypeName":"T"}"#)
                .is_err()
        );
    }

    proptest! {
        /// What the servers write (serde, from the contract's own types) reads back equal.
        #[test]
        fn reads_what_the_servers_write(
            reports in prop::collection::vec(any_report(), 0..6),
            types in prop::collection::vec(any_type(), 0..6),
            nonce in any::<String>(),
        ) {
            let text = serde_json::to_string(&reports).unwrap();
            prop_assert_eq!(read::<Vec<Report>>(&text).unwrap(), reports);
            let text = serde_json::to_string(&types).unwrap();
            prop_assert_eq!(read::<Vec<ReportType>>(&text).unwrap(), types);
            let token = NonceToken { nonce };
            prop_assert_eq!(read::<NonceToken>(&serde_json::to_string(&token).unwrap()).unwrap(), token);
        }

        /// Whatever a serde reader of the same types accepts, this reader accepts too.
        #[test]
        fn accepts_what_serde_accepts(text in r#"\{("(id|name|reportTypeId|reportTypeName|isDefault|themeName)":(1|-2|"x"|null|true|1.5),?){0,6}\}"#) {
            if let Ok(expected) = serde_json::from_str::<Report>(&text) {
                prop_assert_eq!(read::<Report>(&text), Ok(expected));
            }
        }
    }
}
