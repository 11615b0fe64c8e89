//! The drop-in path end to end: the trunk-built `dist/` served from one
//! origin (as from a CDN), included by the plain HTML page in
//! `tests/pages/drop-in.html` served from another, in headless Chromium.
//! The page reports what it sees by `postMessage`.
#![cfg(target_arch = "wasm32")]

use crate::common;

use common::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The drop-in page on the static site, with the bundle from the "CDN";
/// `extra` adds to its query.
fn drop_in_page(extra: &str) -> HostPage {
    HostPage::open(
        &format!(
            "{}/tests/pages/drop-in.html?widget={}/dist&cxreports={}&backend={}&workspace=sales{extra}",
            static_site(),
            cdn(),
            sim(),
            backend()
        ),
        "drop-in",
    )
}

#[wasm_bindgen_test]
async fn a_plain_page_includes_the_bundle_and_shows_a_report() {
    assert_ne!(
        static_site(),
        cdn(),
        "page and bundle come from two origins"
    );
    let page = drop_in_page("");

    let listed = until("the drop-in page lists reports", || page.first("listed")).await;
    assert!(
        listed["detail"]["options"].as_u64().unwrap() > 1,
        "{listed}"
    );
    let load = until("the drop-in page shows a report", || page.first("load")).await;
    let src = load["detail"]["src"].as_str().unwrap().to_owned();
    assert!(
        src.starts_with(&format!("{}/ws/sales/reports/", sim())),
        "{src}"
    );
    assert!(consumed_once(&query_param(&src, "nonce").unwrap()).await);
    assert!(page.first("error").is_none(), "{:?}", page.messages());
    assert!(page.first("ready").is_some());

    // The `report` attribute changed after the first load: the widget followed.
    until("the attribute switch loads report 103", || {
        (page.all("load").len() >= 2).then_some(())
    })
    .await;
    let second = page.all("load")[1].clone();
    assert_eq!(
        second["detail"]["report"],
        103,
        "{second} in {:?}",
        page.messages()
    );
    assert!(second["detail"]["src"]
        .as_str()
        .unwrap()
        .contains("/reports/103/preview?nonce="));

    // Removing the element destroyed the widget.
    let removed = until("the element's removal", || page.first("removed")).await;
    assert_eq!(
        removed["detail"],
        serde_json::json!({"children": 0, "sheets": 0, "handle": true}),
        "{removed}"
    );

    // The element with a secret-looking attribute refused it visibly.
    let refused = until("the refusal", || page.first("refused")).await;
    assert_eq!(refused["detail"]["kind"], "config");
    assert!(
        refused["detail"]["shown"]
            .as_str()
            .unwrap()
            .contains("apiKey"),
        "{refused}"
    );
}

#[wasm_bindgen_test]
async fn the_bundle_speaks_the_pages_language_from_its_own_catalogs() {
    let page = drop_in_page("&lang=hr-HR");
    let listed = until("the drop-in page lists reports", || page.first("listed")).await;
    let hr: serde_json::Value = catalog_module(include_str!("../../www/locales/hr.js"));
    assert_eq!(listed["detail"]["label"], hr["reports"], "{listed}");
    assert!(page.first("error").is_none(), "{:?}", page.messages());
}
