//! JSON shapes of the CxReports API, field names as CxReports spells them.
//!
//! These types are the one reader of the contract: the simulator writes
//! them, the reference backend reads CxReports' answers with them, and the
//! widget reads its host backend's answers with them. They read what any
//! faithful server may send:
//! - an optional field may be absent or an explicit `null` (as .NET
//!   serializers write empty values), and reads as its default;
//! - unknown fields are ignored, so a newer CxReports keeps working;
//! - in a list ([`Listing`]), a row that lacks what a row cannot do without
//!   (`id`, `name`, …) is skipped and counted, never a failure of the list.
//!
//! ```
//! use cxreports_contract::model::{Listing, Report};
//! let json = r#"[{"id":7,"name":"Q3","reportTypeId":1,"reportTypeName":"Sales",
//!                 "reportTemplateName":null,"isDefault":null,"themeName":null},
//!                {"name":"a row without an id"}]"#;
//! let list: Listing<Report> = serde_json::from_str(json).unwrap();
//! assert_eq!(list.rows[0].report_type_name, "Sales");
//! assert_eq!((list.rows.len(), list.skipped), (1, 1));
//! ```
use std::fmt;
use std::marker::PhantomData;

use serde::de::{IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// Reads an explicit `null` as the type's default, as an absent field reads.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A list answer, read row by row.
///
/// A row that cannot be read as `T` (a required field missing, `null` or of
/// another type) is skipped and counted in [`skipped`](Self::skipped), so one
/// bad row never hides the others; readers report the count (the backend in
/// its log, the widget as a console warning). Anything but an array is an
/// error. It writes as the plain array of its rows.
///
/// ```
/// use cxreports_contract::model::{Listing, Workspace};
/// let list: Listing<Workspace> =
///     serde_json::from_str(r#"[{"id":1,"name":"Sales","code":"sales","extra":true}]"#).unwrap();
/// assert_eq!(list.rows[0].code, "sales");
/// assert!(serde_json::from_str::<Listing<Workspace>>(r#"{"id":1}"#).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listing<T> {
    /// The rows that were read, in order.
    pub rows: Vec<T>,
    /// How many rows were skipped as unreadable.
    pub skipped: usize,
}

impl<T> From<Vec<T>> for Listing<T> {
    fn from(rows: Vec<T>) -> Self {
        Listing { rows, skipped: 0 }
    }
}

impl<T: Serialize> Serialize for Listing<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.rows.serialize(serializer)
    }
}

/// One row of a list: what `T` reads, or anything else (skipped).
#[derive(Deserialize)]
#[serde(untagged)]
enum Row<T> {
    Valid(T),
    Invalid(IgnoredAny),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Listing<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Rows<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for Rows<T> {
            type Value = Listing<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut listing = Listing {
                    // Bounded: a length hint comes from outside.
                    rows: Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024)),
                    skipped: 0,
                };
                while let Some(row) = seq.next_element::<Row<T>>()? {
                    match row {
                        Row::Valid(row) => listing.rows.push(row),
                        Row::Invalid(_) => listing.skipped += 1,
                    }
                }
                Ok(listing)
            }
        }

        deserializer.deserialize_seq(Rows(PhantomData))
    }
}

/// `GET /api/v1/workspaces` answers a list of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    /// Numeric id; usable in paths in place of the code.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Optional description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Short code used in paths, e.g. `sales`.
    pub code: String,
}

/// `GET /api/v1/ws/{ws}/report-types` answers a list of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportType {
    /// Numeric id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Optional description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Code; a preview or PDF path may name the type's default report by it.
    pub code: String,
    /// Id of the type's default report, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_report_id: Option<i64>,
    /// Name of the type's default report, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_report_name: Option<String>,
}

/// `GET /api/v1/ws/{ws}/reports` answers a list of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Numeric id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Id of the report's type.
    pub report_type_id: i64,
    /// Name of the report's type.
    pub report_type_name: String,
    /// Name of the template the report is built on (empty when absent or `null`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub report_template_name: String,
    /// Optional preview image URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_image: Option<String>,
    /// Optional theme name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme_name: Option<String>,
    /// Whether this is its type's default report (`false` when absent or `null`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_default: bool,
}

/// `POST /api/v1/nonce-tokens` answers this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NonceToken {
    /// The single-use nonce.
    pub nonce: String,
}

/// Body of `POST /api/v1/ws/{ws}/temporary-data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TemporaryDataRequest {
    /// Any JSON the report reads as its data.
    pub content: serde_json::Value,
    /// When the data may be dropped (ISO-8601); the server picks one if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<String>,
}

/// Answer of `POST /api/v1/ws/{ws}/temporary-data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TemporaryDataResponse {
    /// Id to pass as the preview's `tempDataId`.
    pub temp_data_id: i64,
    /// When the data expires (ISO-8601).
    pub expiry_date: String,
}

/// The error body CxReports (and the reference backend) send with a 4xx/5xx.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// Human-readable message.
    pub error: String,
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    #[test]
    fn optional_fields_may_be_missing_or_null() {
        let t: ReportType = serde_json::from_str(
            r#"{"id":1,"name":"Sales","code":"sales","description":null,"defaultReportId":null}"#,
        )
        .unwrap();
        assert_eq!(t.default_report_id, None);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"id":1,"name":"Sales","code":"sales"}"#);
        let r: Report = serde_json::from_str(
            r#"{"id":1,"name":"A","reportTypeId":2,"reportTypeName":"T","reportTemplateName":null,
                "isDefault":null,"themeName":null,"previewImage":null}"#,
        )
        .unwrap();
        assert_eq!((r.report_template_name.as_str(), r.is_default), ("", false));
        assert_eq!((r.theme_name, r.preview_image), (None, None));
    }

    #[test]
    fn report_round_trips_in_camel_case() {
        let r = Report {
            id: 3,
            name: "Q3 <b>&".into(),
            report_type_id: 1,
            report_type_name: "Sales".into(),
            report_template_name: "T".into(),
            preview_image: None,
            theme_name: Some("Dark".into()),
            is_default: true,
        };
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"reportTypeId\":1"));
        assert!(json.contains("\"isDefault\":true"));
        assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), r);
    }

    #[test]
    fn rows_without_what_a_row_needs_are_skipped_and_counted() {
        let list: Listing<Report> = serde_json::from_value(json!([
            {"id": 1, "name": "A", "reportTypeId": 2, "reportTypeName": "T"},
            {"name": "no id", "reportTypeId": 2, "reportTypeName": "T"},
            {"id": 3, "name": null, "reportTypeId": 2, "reportTypeName": "T"},
            {"id": "4", "name": "id of another type", "reportTypeId": 2, "reportTypeName": "T"},
            null,
            7,
            {"id": 5, "name": "E", "reportTypeId": 2, "reportTypeName": "T", "new": {"x": [1]}}
        ]))
        .unwrap();
        let ids: Vec<i64> = list.rows.iter().map(|r| r.id).collect();
        assert_eq!((ids, list.skipped), (vec![1, 5], 5));
        assert_eq!(
            serde_json::to_value(&list)
                .unwrap()
                .as_array()
                .map(Vec::len),
            Some(2)
        );
        let error = serde_json::from_str::<Listing<Report>>(r#"{"error":"x"}"#).unwrap_err();
        assert!(error.to_string().contains("expected an array"), "{error}");
    }

    fn any_report() -> impl Strategy<Value = Report> {
        (
            (any::<i64>(), any::<String>(), any::<i64>(), any::<String>()),
            (
                any::<String>(),
                proptest::option::of(any::<String>()),
                proptest::option::of(any::<String>()),
                any::<bool>(),
            ),
        )
            .prop_map(
                |((id, name, type_id, type_name), (template, image, theme, default))| Report {
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

    /// Writes `rows` as a server might: each field that reads as its
    /// default written as `null` or left out (`blanks` says which), and
    /// unknown fields added.
    fn as_a_server_writes<T: Serialize>(rows: &[T], blanks: &[bool], extra: &Value) -> Value {
        const DEFAULTS: &[&str] = &[
            "reportTemplateName",
            "isDefault",
            "previewImage",
            "themeName",
            "description",
            "defaultReportId",
            "defaultReportName",
        ];
        let mut choice = blanks.iter().cycle();
        let rows = rows.iter().map(|row| {
            let mut object = match serde_json::to_value(row).unwrap() {
                Value::Object(object) => object,
                other => panic!("{other}"),
            };
            for name in DEFAULTS {
                // Absent, or the default of a field that is not an `Option`.
                let empty = match object.get(*name) {
                    None => true,
                    Some(v) => {
                        (*name == "reportTemplateName" && v == &json!(""))
                            || (*name == "isDefault" && v == &json!(false))
                    }
                };
                if empty {
                    if *choice.next().unwrap_or(&true) {
                        object.insert((*name).to_owned(), Value::Null);
                    } else {
                        object.remove(*name);
                    }
                }
            }
            object.insert("someNewField".to_owned(), extra.clone());
            object.insert("$id".to_owned(), json!("1"));
            Value::Object(object)
        });
        Value::Array(rows.collect())
    }

    proptest! {
        /// Nulls for empty fields and unknown fields read to the same model.
        #[test]
        fn nulls_and_unknown_fields_read_to_the_same_model(
            reports in prop::collection::vec(any_report(), 0..6),
            types in prop::collection::vec(any_type(), 0..6),
            blanks in prop::collection::vec(any::<bool>(), 1..8),
            extra in prop_oneof![Just(json!(null)), Just(json!({"a": [1, null]})), any::<i64>().prop_map(|n| json!(n))],
        ) {
            let list: Listing<Report> =
                serde_json::from_value(as_a_server_writes(&reports, &blanks, &extra)).unwrap();
            prop_assert_eq!(list, Listing::from(reports));
            let list: Listing<ReportType> =
                serde_json::from_value(as_a_server_writes(&types, &blanks, &extra)).unwrap();
            prop_assert_eq!(list, Listing::from(types));
        }

        /// Any JSON reads as a listing or fails cleanly; a listing of `n`
        /// array items has rows and skipped adding up to `n`.
        #[test]
        fn any_array_reads_row_by_row(text in r#"\[(\{("(id|name|reportTypeId|reportTypeName|isDefault)":(1|-2|"x"|null|true|1.5),?){0,5}\},?){0,5}\]"#) {
            if let Ok(value) = serde_json::from_str::<Value>(&text) {
                let items = value.as_array().map(Vec::len).unwrap_or(0);
                let list: Listing<Report> = serde_json::from_value(value).unwrap();
                prop_assert_eq!(list.rows.len() + list.skipped, items);
            }
        }
    }
}
