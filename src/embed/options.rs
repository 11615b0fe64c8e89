//! Reading options from a JS object or from an element's attributes into
//! [`RawOptions`](crate::config::RawOptions). All checking happens later, in
//! [`ViewerConfig::from_raw`](crate::config::ViewerConfig::from_raw).
//!
//! JSON-valued options ([`JSON_OPTIONS`]) given as text are parsed by the
//! browser (`JSON.parse`); a `reports` list is read with the contract's own
//! types through serde-wasm-bindgen, as the widget reads report lists from
//! the host backend.
use std::rc::Rc;

use cxreports_contract::model::Report;
use wasm_bindgen::{JsCast, JsValue};

use crate::config::{
    attribute_to_option, JsonValue, RawOptions, RawValue, ELEMENT_ATTRIBUTES,
    ELEMENT_ATTRIBUTE_PREFIXES, JSON_OPTIONS,
};
use crate::error::ConfigError;
use crate::rows::listing_from_js;

/// Reads a JS options object.
pub fn from_object(options: &JsValue) -> Result<RawOptions, ConfigError> {
    if !options.is_object() || options.is_function() || js_sys::Array::is_array(options) {
        return Err(ConfigError::WrongType {
            name: "options",
            expected: "an object like { cxreportsUrl, workspace, nonceUrl }",
        });
    }
    let object: &js_sys::Object = options.unchecked_ref();
    let mut raw = RawOptions::new();
    for entry in js_sys::Object::entries(object).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        let key = pair.get(0).as_string().unwrap_or_default();
        let value = option_value(&key, &pair.get(1));
        raw.push((key, value));
    }
    Ok(raw)
}

/// Reads the value of option `name`: JSON text for a JSON-valued option is
/// parsed first, and a `reports` list read as the contract's reports.
pub fn option_value(name: &str, v: &JsValue) -> RawValue {
    if !JSON_OPTIONS.contains(&name) {
        return value_of(v);
    }
    let parsed = match v.as_string() {
        Some(text) if text.trim().is_empty() => return RawValue::Absent,
        Some(text) => match js_sys::JSON::parse(&text) {
            Ok(value) => value,
            Err(e) => return unreadable("not JSON: ", &e),
        },
        None => v.clone(),
    };
    if name == "reports" && js_sys::Array::is_array(&parsed) {
        return match listing_from_js::<Report>(parsed) {
            Ok(list) => {
                if list.skipped > 0 {
                    web_sys::console::warn_1(&JsValue::from_str(&format!(
                        "cxreports-widget: `reports` has {} row(s) without what a report needs \
                         (an id, a name, its type's id and name); they are not shown",
                        list.skipped
                    )));
                }
                RawValue::Reports(Rc::new(list.rows))
            }
            Err(e) => RawValue::Unreadable(format!("expected an array of reports ({e})")),
        };
    }
    value_of(&parsed)
}

/// A value the browser refused, as `what` then the browser's reason.
fn unreadable(what: &str, e: &JsValue) -> RawValue {
    let mut detail = what.to_owned();
    if let Some(message) = e
        .dyn_ref::<js_sys::Error>()
        .and_then(|e| e.message().as_string())
    {
        detail.push_str(&message);
    }
    RawValue::Unreadable(detail)
}

/// Reads one JS value.
pub fn value_of(v: &JsValue) -> RawValue {
    if v.is_null() || v.is_undefined() {
        RawValue::Absent
    } else if let Some(s) = v.as_string() {
        RawValue::Str(s)
    } else if let Some(n) = v.as_f64() {
        RawValue::Num(n)
    } else if let Some(b) = v.as_bool() {
        RawValue::Bool(b)
    } else if let Some(f) = v.dyn_ref::<js_sys::Function>() {
        RawValue::Func(f.clone())
    } else {
        // Objects and arrays travel as their JSON text and, for an object,
        // its members; a value JSON cannot hold (a cycle, a BigInt) is
        // refused with the browser's reason.
        match js_sys::JSON::stringify(v) {
            Ok(text) => RawValue::Json(JsonValue {
                text: String::from(text),
                members: (!js_sys::Array::is_array(v)).then(|| members(v)),
            }),
            Err(e) => unreadable("not JSON-serialisable: ", &e),
        }
    }
}

/// An object's own members, each with its value when that is a string.
fn members(object: &JsValue) -> Vec<(String, Option<String>)> {
    js_sys::Object::entries(object.unchecked_ref())
        .iter()
        .map(|entry| {
            let pair: js_sys::Array = entry.unchecked_into();
            (
                pair.get(0).as_string().unwrap_or_default(),
                pair.get(1).as_string(),
            )
        })
        .collect()
}

/// Attributes that belong to the element, not to the widget
/// ([`ELEMENT_ATTRIBUTES`], and those with an [`ELEMENT_ATTRIBUTE_PREFIXES`] prefix).
pub fn is_element_attribute(name: &str) -> bool {
    ELEMENT_ATTRIBUTES.contains(&name)
        || ELEMENT_ATTRIBUTE_PREFIXES
            .iter()
            .any(|prefix| name.starts_with(prefix))
}

/// Reads the widget's options from an element's attributes (kebab-case).
pub fn from_attributes(element: &web_sys::Element) -> RawOptions {
    element
        .get_attribute_names()
        .iter()
        .filter_map(|name| name.as_string())
        .filter(|name| !is_element_attribute(name))
        .map(|name| {
            let value = element.get_attribute(&name).unwrap_or_default();
            let option = attribute_to_option(&name);
            let value = option_value(&option, &JsValue::from_str(&value));
            (option, value)
        })
        .collect()
}
