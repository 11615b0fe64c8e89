//! A host page under the strict Content-Security-Policy that SECURITY.md
//! recommends (no inline script or style, `'wasm-unsafe-eval'`, `frame-src`
//! for CxReports only) loads the widget, lists, and shows a report with no
//! policy violation.
#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_widget_works_under_a_strict_csp() {
    let seen: Rc<RefCell<Vec<serde_json::Value>>> = Rc::default();
    let store = seen.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let text = js_sys::JSON::stringify(&e.data())
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default();
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
                if value["source"] == "csp" {
                    store.borrow_mut().push(value);
                }
            }
        });
    let window = web_sys::window().unwrap();
    window
        .add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref())
        .unwrap();

    let page = format!(
        "{}/www/examples/csp.html?cdn={}&backend={}&cxreports={}",
        static_site(),
        cdn(),
        backend(),
        sim()
    );
    let frame = document().create_element("iframe").unwrap();
    frame.set_attribute("src", &page).unwrap();
    document().body().unwrap().append_child(&frame).unwrap();

    let kind = |k: &str| seen.borrow().iter().find(|m| m["kind"] == k).cloned();
    let load = until("the report under CSP", || {
        kind("load").or_else(|| kind("error"))
    })
    .await;
    assert_eq!(load["kind"], "load", "{load}");
    assert!(
        load["detail"]["options"].as_u64().unwrap() > 1,
        "the list rendered: {load}"
    );
    assert_eq!(
        load["detail"]["styled"], "flex",
        "the widget's styles applied: {load}"
    );
    sleep(200).await;
    assert!(
        kind("violation").is_none(),
        "CSP violations: {:?}",
        seen.borrow()
    );

    window
        .remove_event_listener_with_callback("message", on_message.as_ref().unchecked_ref())
        .unwrap();
    frame.remove();
}
