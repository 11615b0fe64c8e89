//! Loading a shipped catalog (the `locales/<tag>.js` module beside the
//! widget's files, through the loader's import), once per page and language.
use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};

use crate::error::HostError;
use crate::i18n::messages::Messages;

thread_local! {
    /// How catalogs are loaded: the loader registers a function that imports
    /// `locales/<tag>.js` beside itself and resolves to its object.
    static LOADER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    /// Catalogs already read on this page.
    static LOADED: RefCell<Vec<(&'static str, Messages)>> = const { RefCell::new(Vec::new()) };
}

/// Sets how catalogs are loaded: `load(tag)` returns a promise of the
/// catalog object (message key → text) for a shipped language tag such as
/// `de` or `sr-Latn`. `cxreports-widget.js` registers one that imports the
/// `locales/<tag>.js` module beside itself; a page that loads `pkg/`
/// directly registers its own.
///
/// ```js
/// import init, { setCatalogLoader } from "./pkg/cxreports-widget.js";
/// await init();
/// setCatalogLoader((tag) => import(`./locales/${tag}.js`).then((m) => m.default));
/// ```
#[wasm_bindgen::prelude::wasm_bindgen(js_name = setCatalogLoader)]
pub fn set_catalog_loader(load: js_sys::Function) {
    LOADER.with(|l| *l.borrow_mut() = Some(load));
}

/// The catalog for `tag`, if it was read on this page already.
pub fn cached(tag: &'static str) -> Option<Messages> {
    LOADED.with(|l| {
        l.borrow()
            .iter()
            .find(|(t, _)| *t == tag)
            .map(|(_, m)| m.clone())
    })
}

/// Loads and reads the catalog for `tag` (a [`SHIPPED`](super::SHIPPED) name).
pub async fn fetch(tag: &'static str) -> Result<Messages, HostError> {
    if let Some(messages) = cached(tag) {
        return Ok(messages);
    }
    let url = format!("locales/{tag}.js");
    let load = LOADER.with(|l| l.borrow().clone()).ok_or_else(|| HostError::BadResponse {
        url: url.clone(),
        detail: "no catalog loader: load the widget through cxreports-widget.js, or call setCatalogLoader()".into(),
    })?;
    let promise = load
        .call1(&JsValue::NULL, &JsValue::from_str(tag))
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
        .ok_or_else(|| HostError::Network { url: url.clone() })?;
    let value = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|_| HostError::Network { url: url.clone() })?;
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(HostError::BadResponse {
            url,
            detail: "not an object of message keys to texts".into(),
        });
    }
    // Into a list as the `messages` option's, so both are read by one copy
    // of `Messages::with`.
    let mut texts = Vec::new();
    for entry in js_sys::Object::entries(value.unchecked_ref()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        if let (Some(name), Some(text)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            texts.push((name, text));
        }
    }
    let messages = Messages::english().with(texts);
    LOADED.with(|l| l.borrow_mut().push((tag, messages.clone())));
    Ok(messages)
}
