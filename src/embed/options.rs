//! Reading options from a JS object or from an element's attributes into
//! [`RawOptions`](crate::config::RawOptions). All checking happens later, in
//! [`ViewerConfig::from_raw`](crate::config::ViewerConfig::from_raw).
use wasm_bindgen::{JsCast, JsValue};

use crate::config::{attribute_to_option, RawOptions, RawValue};
use crate::error::ConfigError;

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
        raw.push((key, value_of(&pair.get(1))));
    }
    Ok(raw)
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
        // Objects and arrays travel as JSON text; a value JSON cannot hold
        // (a cycle, a BigInt) becomes text that fails validation clearly.
        match js_sys::JSON::stringify(v) {
            Ok(text) => RawValue::Json(String::from(text)),
            Err(_) => RawValue::Json("<not JSON-serialisable>".into()),
        }
    }
}

/// Attributes that belong to the element, not to the widget.
fn is_element_attribute(name: &str) -> bool {
    matches!(
        name,
        "id" | "class" | "style" | "slot" | "title" | "hidden" | "tabindex" | "role" | "part"
    ) || name.starts_with("data-")
        || name.starts_with("aria-")
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
            (attribute_to_option(&name), RawValue::Str(value))
        })
        .collect()
}
