//! A host page under the strict Content-Security-Policy that SECURITY.md
//! recommends (no inline script or style, `'wasm-unsafe-eval'`, `frame-src`
//! for CxReports only) loads the widget, lists, and shows a report with no
//! policy violation.
#![cfg(target_arch = "wasm32")]

use crate::common;

use common::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_widget_works_under_a_strict_csp() {
    let page = HostPage::open(
        &format!(
            "{}/tests/pages/csp.html?cdn={}&backend={}&cxreports={}",
            static_site(),
            cdn(),
            backend(),
            sim()
        ),
        "csp",
    );
    let load = until("the report under CSP", || {
        page.first("load").or_else(|| page.first("error"))
    })
    .await;
    assert_eq!(load["kind"], "load", "{load}");
    let listed = until("the report list under CSP", || page.first("listed")).await;
    assert!(
        listed["detail"]["options"].as_u64().unwrap() > 1,
        "the list rendered: {listed}"
    );
    assert_eq!(
        load["detail"]["styled"], "flex",
        "the widget's styles applied: {load}"
    );
    sleep(200).await;
    assert!(
        page.first("violation").is_none(),
        "CSP violations: {:?}",
        page.messages()
    );
}
