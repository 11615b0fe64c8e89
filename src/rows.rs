//! Lists the browser parsed (`JSON.parse`, or an array a host page gave),
//! read row by row into the contract's [`Listing`]: a row that cannot be
//! read as `T` is skipped and counted, and anything but an array is an
//! error that says what it is, as with `Listing`'s own `Deserialize`.
//!
//! Each row is read straight from its JS value, which can be read again: a
//! row that is not a `T` needs no copy to be skipped. (Through serde alone,
//! every row is first copied into serde's buffer so that a failed read can
//! be retried as "anything": code every host page would download.)
use cxreports_contract::model::Listing;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

/// Reads `value` as a list of `T`, row by row.
///
/// # Errors
/// `value` is not an array: the error says what it is instead ("an
/// object", "a string", "a number", "true or false" or "null").
pub(crate) fn listing_from_js<T: DeserializeOwned>(
    value: JsValue,
) -> Result<Listing<T>, &'static str> {
    let Some(array) = value.dyn_ref::<js_sys::Array>() else {
        return Err(kind_of(&value));
    };
    let mut listing = Listing {
        rows: Vec::with_capacity(array.length().min(1024) as usize),
        skipped: 0,
    };
    for row in array.iter() {
        match serde_wasm_bindgen::from_value::<T>(row) {
            Ok(row) => listing.rows.push(row),
            Err(_) => listing.skipped += 1,
        }
    }
    Ok(listing)
}

/// What a JSON value that is not an array is, as a message names it.
fn kind_of(value: &JsValue) -> &'static str {
    if value.is_null() {
        "null"
    } else if value.is_string() {
        "a string"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.as_bool().is_some() {
        "true or false"
    } else {
        "an object"
    }
}
