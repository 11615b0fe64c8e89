//! The drop-in path end to end: the trunk-built `dist/` served from one
//! origin (as from a CDN), included by the plain HTML page in
//! `www/examples/drop-in.html` served from another, in headless Chromium.
//! The page reports what it sees by `postMessage`.
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
async fn a_plain_page_includes_the_bundle_and_shows_a_report() {
    let seen: Rc<RefCell<Vec<serde_json::Value>>> = Rc::default();
    let store = seen.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let data = js_sys::JSON::stringify(&e.data())
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default();
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&data) {
                if value["source"] == "drop-in" {
                    store.borrow_mut().push(value);
                }
            }
        });
    let window = web_sys::window().unwrap();
    window
        .add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref())
        .unwrap();

    let page = format!(
        "{}/www/examples/drop-in.html?widget={}/dist&cxreports={}&backend={}&workspace=sales",
        static_site(),
        cdn(),
        sim(),
        backend()
    );
    assert_ne!(
        static_site(),
        cdn(),
        "page and bundle come from two origins"
    );
    let frame = document().create_element("iframe").unwrap();
    frame.set_attribute("src", &page).unwrap();
    frame
        .set_attribute("style", "width: 1000px; height: 700px")
        .unwrap();
    document().body().unwrap().append_child(&frame).unwrap();

    let kind = |k: &str| seen.borrow().iter().find(|m| m["kind"] == k).cloned();
    let listed = until("the drop-in page lists reports", || kind("listed")).await;
    assert!(
        listed["detail"]["options"].as_u64().unwrap() > 1,
        "{listed}"
    );
    let load = until("the drop-in page shows a report", || kind("load")).await;
    let src = load["detail"]["src"].as_str().unwrap().to_owned();
    assert!(
        src.starts_with(&format!("{}/ws/sales/reports/", sim())),
        "{src}"
    );
    assert!(consumed_once(&query_param(&src, "nonce").unwrap()).await);
    assert!(kind("error").is_none(), "{:?}", seen.borrow());

    // The `report` attribute changed after the first load: the widget followed.
    let loads = || {
        seen.borrow()
            .iter()
            .filter(|m| m["kind"] == "load")
            .cloned()
            .collect::<Vec<_>>()
    };
    until("the attribute switch loads report 103", || {
        (loads().len() >= 2).then_some(())
    })
    .await;
    let second = loads()[1].clone();
    assert_eq!(second["detail"]["report"], 103, "{second}");
    assert!(second["detail"]["src"]
        .as_str()
        .unwrap()
        .contains("/reports/103/preview?nonce="));

    // The element with a secret-looking attribute refused it visibly.
    let refused = until("the refusal", || kind("refused")).await;
    assert_eq!(refused["detail"]["kind"], "config");
    assert!(
        refused["detail"]["shown"]
            .as_str()
            .unwrap()
            .contains("apiKey"),
        "{refused}"
    );
    assert!(kind("ready").is_some());

    window
        .remove_event_listener_with_callback("message", on_message.as_ref().unchecked_ref())
        .unwrap();
    frame.remove();
}
