//! The widget's own JSON reader against serde_json on any bytes: both accept
//! the same texts (except numbers beyond f64, which the reader keeps as text
//! and serde_json refuses), read the same values, and the contract's shapes
//! read from the widget's values equal serde's.
#![no_main]

use cxreports_contract::model::{ApiError, NonceToken, Report, ReportType};
use cxreports_widget::json::{parse, FromJson, Json};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn same(ours: &Json, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Json::Null, Value::Null) => true,
        (Json::Bool(a), Value::Bool(b)) => a == b,
        // Compared as numbers: the reader keeps the text as written, and
        // serde_json's float parsing may differ from std's in the last bit.
        (Json::Num(text), Value::Number(n)) => match (text.parse::<f64>(), n.as_f64()) {
            (Ok(a), Some(b)) => a == b || (a - b).abs() <= 4.0 * f64::EPSILON * a.abs().max(b.abs()),
            _ => false,
        },
        (Json::Str(a), Value::String(b)) => a == b,
        (Json::Arr(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        // Repeated names: the last one counts in both.
        (Json::Obj(members), Value::Object(b)) => {
            let mut names: Vec<&String> = members.iter().map(|(k, _)| k).collect();
            names.sort();
            names.dedup();
            names.len() == b.len()
                && b.iter()
                    .all(|(name, value)| ours.get(name).is_some_and(|v| same(v, value)))
        }
        _ => false,
    }
}

/// What serde reads as `T`, the widget reads equal, where the contract's
/// objects are JSON objects (serde also takes a struct from an array of its
/// fields in order; the contract never sends one, and the widget refuses it).
fn shape<T: FromJson + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
    text: &str,
    ours: &Json,
    list: bool,
) {
    let objects = match ours {
        Json::Arr(items) if list => items.iter().all(|i| matches!(i, Json::Obj(_))),
        Json::Obj(_) => !list,
        _ => false,
    };
    let Ok(theirs) = serde_json::from_str::<T>(text) else {
        return;
    };
    match T::from_json(ours) {
        Ok(read) => assert_eq!(read, theirs, "{text}"),
        Err(e) => assert!(!objects, "refused what serde reads ({e}): {text}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = parse(text);
    let theirs = serde_json::from_str::<Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => assert!(same(a, b), "{text:?}: {a:?} vs {b:?}"),
        (Ok(_), Err(e)) => assert!(
            e.to_string().contains("out of range"),
            "accepted what serde_json refuses ({e}): {text:?}"
        ),
        (Err(e), Ok(_)) => panic!("refused what serde_json accepts ({e}): {text:?}"),
        (Err(_), Err(_)) => {}
    }
    if let Ok(value) = &ours {
        shape::<Vec<Report>>(text, value, true);
        shape::<Vec<ReportType>>(text, value, true);
        shape::<NonceToken>(text, value, false);
        shape::<ApiError>(text, value, false);
    }
});
