//! Arbitrary JSON into the contract's types, as every side reads it (the
//! backend from CxReports' text, the widget from what the browser parsed):
//! nothing panics; anything but an array fails as a list; an array reads row
//! by row, each kept row equal to its item read alone and every other item
//! counted as skipped; and a kept row reads the same again with its empty
//! optional fields written as `null` and an unknown field added.
#![no_main]

use std::fmt::Debug;

use cxreports_contract::model::{
    ApiError, Listing, NonceToken, Report, ReportType, TemporaryDataResponse, Workspace,
};
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Fields a faithful server may write as `null` (or leave out).
const OPTIONAL: &[&str] = &[
    "description",
    "defaultReportId",
    "defaultReportName",
    "reportTemplateName",
    "previewImage",
    "themeName",
    "isDefault",
];

fn read<T: DeserializeOwned>(value: &Value) -> Option<T> {
    serde_json::from_value(value.clone()).ok()
}

fn check_list<T: DeserializeOwned + Serialize + PartialEq + Debug>(value: &Value, extra: &Value) {
    let listing = read::<Listing<T>>(value);
    let Some(items) = value.as_array() else {
        assert!(listing.is_none(), "{value} read as a list");
        return;
    };
    let listing = listing.unwrap_or_else(|| panic!("the array {value} did not read as a list"));
    let alone: Vec<T> = items.iter().filter_map(read::<T>).collect();
    assert_eq!(listing.rows, alone, "{value}");
    assert_eq!(listing.rows.len() + listing.skipped, items.len(), "{value}");
    for row in &listing.rows {
        let Ok(Value::Object(mut written)) = serde_json::to_value(row) else {
            panic!("{row:?} does not write as an object");
        };
        for name in OPTIONAL {
            // Absent (an empty `Option`, or a field the type does not have,
            // which stays unknown), or the default of a field that is no `Option`.
            let empty = match written.get(*name) {
                None => true,
                Some(v) => {
                    (*name == "reportTemplateName" && *v == Value::from(""))
                        || (*name == "isDefault" && *v == Value::from(false))
                }
            };
            if empty {
                written.insert((*name).to_owned(), Value::Null);
            }
        }
        written.insert("fuzzUnknownField".to_owned(), extra.clone());
        let again = read::<T>(&Value::Object(written.clone()));
        assert_eq!(again.as_ref(), Some(row), "{}", Value::Object(written));
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let extra = value.get(0).cloned().unwrap_or(Value::Null);
    check_list::<Report>(&value, &extra);
    check_list::<ReportType>(&value, &extra);
    check_list::<Workspace>(&value, &extra);
    let _ = read::<NonceToken>(&value);
    let _ = read::<ApiError>(&value);
    let _ = read::<TemporaryDataResponse>(&value);
});
