//! The cold start as a host page sees it: the first report list and nonce
//! leave from the loader while the WebAssembly is still loading, the widget
//! takes them over (nothing is asked twice), and nothing leaves early that
//! it would refuse. The page (`tests/pages/head-start.html`) is on the
//! backend's own origin and records every call to it, with whether the
//! widget was ready when the call left.
#![cfg(target_arch = "wasm32")]

use crate::common;

use common::*;
use serde_json::Value;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn run(mode: &str) -> Value {
    run_with(mode, &format!("{}/dist", cdn())).await
}

async fn run_with(mode: &str, widget: &str) -> Value {
    let page = HostPage::open(
        &format!(
            "{}/tests/pages/head-start.html?widget={widget}&cxreports={}&backend={}&mode={mode}",
            host_site(),
            sim(),
            backend()
        ),
        "head-start",
    );
    let done = until(&format!("the {mode} page is done"), || page.first("done")).await;
    done["detail"].clone()
}

fn calls<'a>(done: &'a Value, path: &str) -> Vec<&'a Value> {
    done["calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["path"] == path)
        .collect()
}

/// The page ended showing `report` in the viewer, with a nonce.
fn assert_shows(done: &Value, report: u32) {
    let src = done["src"].as_str().unwrap_or_default();
    assert!(
        src.contains(&format!("/ws/sales/reports/{report}/preview?nonce=")),
        "{done}"
    );
}

#[wasm_bindgen_test]
async fn the_elements_first_requests_leave_before_the_widget_is_ready_and_are_taken_over() {
    let done = run("element").await;
    // Two elements asking for the same list: one request, sent by the
    // loader and shared, none again.
    let lists = calls(&done, "/api/cxreports/reports");
    assert_eq!(lists.len(), 1, "{done}");
    assert!(lists.iter().all(|c| c["beforeReady"] == true), "{done}");
    let nonces = calls(&done, "/api/cxreports/nonce");
    let early: Vec<&str> = nonces
        .iter()
        .filter(|c| c["beforeReady"] == true)
        .filter_map(|c| c["nonce"].as_str())
        .collect();
    assert_eq!(early.len(), 2, "{done}");
    // The report shows with a nonce the loader asked for, spent once.
    let src = done["src"].as_str().unwrap();
    assert!(
        src.starts_with(&format!("{}/ws/sales/reports/101/preview?", sim())),
        "{src}"
    );
    let nonce = query_param(src, "nonce").unwrap();
    assert!(early.contains(&nonce.as_str()), "{src} {done}");
    assert!(consumed_once(&nonce).await);
    assert!(done["options"].as_u64().unwrap() > 1, "{done}");
    // One preconnect to CxReports for the two widgets.
    assert_eq!(
        done["preconnects"],
        serde_json::json!([format!("{}/", sim())]),
        "{done}"
    );
}

#[wasm_bindgen_test]
async fn mount_returns_at_once_and_its_handle_waits_for_the_widget() {
    let done = run("mount").await;
    assert_eq!(
        done["shadow"], true,
        "the shadow root is there at once: {done}"
    );
    assert_eq!(done["ready"], false, "{done}");
    let lists = calls(&done, "/api/cxreports/reports");
    assert_eq!(lists.len(), 1, "{done}");
    assert_eq!(lists[0]["beforeReady"], true, "{done}");
    // select(103), called before the widget was ready, was made once it was.
    assert_shows(&done, 103);
}

#[wasm_bindgen_test]
async fn a_secret_like_option_sends_nothing_ever() {
    let done = run("secret").await;
    assert_eq!(done["calls"], serde_json::json!([]), "{done}");
    assert_eq!(done["kind"], "config");
    assert!(done["error"].as_str().unwrap().contains("apiKey"), "{done}");
    assert_eq!(done["src"], Value::Null);
}

#[wasm_bindgen_test]
async fn endpoints_on_another_origin_wait_for_the_widget() {
    let done = run("foreign").await;
    let all = done["calls"].as_array().unwrap();
    assert!(!all.is_empty(), "{done}");
    assert!(
        all.iter().all(|c| c["beforeReady"] == false),
        "nothing left before the widget checked the options: {done}"
    );
    // Two elements, one shared list: asked by the widgets themselves.
    assert_eq!(calls(&done, "/api/cxreports/reports").len(), 1, "{done}");
    assert_shows(&done, 101);
}

/// A dashboard of twelve single-report widgets asks the host backend for
/// what a plain page of twelve frames asks: a nonce each, and the one list
/// they share; no spare nonce until a widget is asked to navigate again.
#[wasm_bindgen_test]
async fn a_dashboard_asks_for_one_list_and_one_nonce_per_widget() {
    let done = run("dashboard").await;
    let at_load = &done["atLoad"];
    let count = |calls: &Value, path: &str| {
        calls
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["path"] == path)
            .count()
    };
    assert_eq!(count(at_load, "/api/cxreports/reports"), 1, "{done}");
    assert_eq!(count(at_load, "/api/cxreports/nonce"), 12, "{done}");
    // Each frame shows its report with a nonce of its own, spent once.
    let srcs: Vec<&str> = done["srcs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap_or_default())
        .collect();
    let mut nonces = Vec::new();
    for (i, src) in srcs.iter().enumerate() {
        let report = 101 + i % 3;
        assert!(
            src.contains(&format!("/ws/sales/reports/{report}/preview?")),
            "{done}"
        );
        nonces.push(query_param(src, "nonce").unwrap());
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 12, "{done}");
    for nonce in &nonces {
        assert!(consumed_once(nonce).await, "{nonce}");
    }
    // Refreshed, the first widget used one nonce and keeps a spare.
    assert_eq!(calls(&done, "/api/cxreports/nonce").len(), 14, "{done}");
    assert_eq!(calls(&done, "/api/cxreports/reports").len(), 1, "{done}");
}

/// Two `mount()` calls on one element before the widget is ready leave one
/// widget: the second one's.
#[wasm_bindgen_test]
async fn a_second_mount_before_the_widget_is_ready_replaces_the_first() {
    let done = run("mount-twice").await;
    assert_eq!(done["loads"], serde_json::json!([102]), "{done}");
    assert_eq!(done["frames"], 1, "{done}");
    assert_eq!(done["widgets"], 1, "{done}");
    assert_shows(&done, 102);
}

#[wasm_bindgen_test]
async fn a_lazy_widget_requests_nothing_until_it_nears_the_viewport() {
    let done = run("lazy").await;
    let before = &done["before"];
    assert_eq!(before["callsBefore"], 0, "{done}");
    assert_eq!(before["src"], Value::Null, "{done}");
    // Scrolled into view: the list, a nonce and the report.
    assert_eq!(calls(&done, "/api/cxreports/reports").len(), 1, "{done}");
    assert_shows(&done, 101);
}

#[wasm_bindgen_test]
async fn a_bundle_that_cannot_load_says_so_for_mount_and_for_the_element() {
    // `www/` holds the loader but no `pkg/`: its WebAssembly cannot load.
    let done = run_with("broken", &format!("{}/www", cdn())).await;
    let errors = done["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{done}");
    for error in errors {
        assert_eq!(error["kind"], "load", "{done}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("could not load its WebAssembly"),
            "{done}"
        );
    }
}
