//! Lists the browser parsed (`JSON.parse`, or an array a host page gave),
//! read row by row into the contract's [`Listing`]: a row that cannot be
//! read as `T` is skipped and counted, and anything but an array is an
//! error, as with `Listing`'s own `Deserialize`.
//!
//! Each row is read straight from its JS value, which can be read again: a
//! row that is not a `T` needs no copy to be skipped. (Through serde alone,
//! every row is first copied into serde's buffer so that a failed read can
//! be retried as "anything": code every host page would download.)
use std::marker::PhantomData;

use cxreports_contract::model::Listing;
use serde::de::{DeserializeOwned, Visitor};
use serde::Deserializer as _;
use wasm_bindgen::{JsCast, JsValue};

/// Reads `value` as a list of `T`, row by row.
///
/// # Errors
/// `value` is not an array: the error names what it is instead.
pub(crate) fn listing_from_js<T: DeserializeOwned>(
    value: JsValue,
) -> Result<Listing<T>, serde_wasm_bindgen::Error> {
    let Some(array) = value.dyn_ref::<js_sys::Array>() else {
        return serde_wasm_bindgen::Deserializer::from(value).deserialize_seq(AnArray(PhantomData));
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

/// What a list must be, for the error about a value that is not one. (An
/// array never reaches it, and nothing `JSON.parse` returns is iterable
/// but an array.)
struct AnArray<T>(PhantomData<T>);

impl<'de, T> Visitor<'de> for AnArray<T> {
    type Value = Listing<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array")
    }
}
