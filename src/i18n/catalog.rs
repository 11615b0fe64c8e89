//! Fetching a shipped catalog (`<base><tag>.json`) from beside the widget's
//! files, once per page and language.
use std::cell::RefCell;

use wasm_bindgen::JsCast;

use crate::error::HostError;
use crate::i18n::messages::Messages;

thread_local! {
    /// Where the catalogs are: the loader sets it to `locales/` beside itself.
    static BASE: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Catalogs already read on this page.
    static LOADED: RefCell<Vec<(&'static str, Messages)>> = const { RefCell::new(Vec::new()) };
}

/// Sets where catalogs are fetched from: a URL ending in `/` under which
/// `<tag>.json` files lie. `cxreports-widget.js` sets it to the `locales/`
/// folder beside itself; a page that loads `pkg/` directly calls it once.
///
/// ```js
/// import init, { setCatalogBase } from "./pkg/cxreports-widget.js";
/// await init();
/// setCatalogBase(new URL("./locales/", import.meta.url).href);
/// ```
#[wasm_bindgen::prelude::wasm_bindgen(js_name = setCatalogBase)]
pub fn set_catalog_base(url: &str) {
    BASE.with(|b| *b.borrow_mut() = Some(url.to_owned()));
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

/// Fetches and reads the catalog for `tag` (a [`SHIPPED`](super::SHIPPED)
/// name). Catalogs are static files: no credentials, no host headers.
pub async fn fetch(tag: &'static str, cancel: web_sys::AbortSignal) -> Result<Messages, HostError> {
    if let Some(messages) = cached(tag) {
        return Ok(messages);
    }
    let base = BASE.with(|b| b.borrow().clone()).ok_or_else(|| HostError::BadResponse {
        url: format!("{tag}.json"),
        detail: "no catalog location: load the widget through cxreports-widget.js, or call setCatalogBase()".into(),
    })?;
    let url = format!("{base}{tag}.json");
    let network = || HostError::Network { url: url.clone() };
    let response = gloo_net::http::Request::get(&url)
        .abort_signal(Some(&cancel))
        .build()
        .map_err(|_| network())?;
    let response = response.send().await.map_err(|_| network())?;
    if !response.ok() {
        return Err(HostError::Status {
            url,
            status: response.status(),
            message: None,
        });
    }
    let text = response.text().await.map_err(|_| network())?;
    let bad = |detail: &str| HostError::BadResponse {
        url: url.clone(),
        detail: detail.into(),
    };
    let value = js_sys::JSON::parse(&text).map_err(|_| bad("not JSON"))?;
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(bad("not a JSON object of key to text"));
    }
    let entries = js_sys::Object::entries(value.unchecked_ref());
    let messages = Messages::english().with(entries.iter().filter_map(|entry| {
        let pair: js_sys::Array = entry.unchecked_into();
        Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
    }));
    LOADED.with(|l| l.borrow_mut().push((tag, messages.clone())));
    Ok(messages)
}
