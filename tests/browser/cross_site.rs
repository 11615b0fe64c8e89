//! CxReports on another site than the page: the widget says so, once per
//! page, and still shows the report and offers the new tab. (What readers
//! then see with third-party cookies blocked needs a browser set up so:
//! `e2e/cross-site.mjs`.)
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

use crate::common::*;

/// The simulator under the name of another site than this page's:
/// `localhost` and `127.0.0.1` are different sites.
fn other_site_sim() -> String {
    let page_host = web_sys::window().unwrap().location().hostname().unwrap();
    let other = if page_host == "localhost" {
        sim().replace("//localhost:", "//127.0.0.1:")
    } else {
        sim().replace("//127.0.0.1:", "//localhost:")
    };
    assert!(
        !other.contains(&format!("//{page_host}:")),
        "{other} is on this page's site"
    );
    other
}

#[wasm_bindgen_test]
async fn a_cross_site_cxreports_is_warned_about_once_per_page_and_still_opens() {
    login().await;
    let other_site = other_site_sim();
    let extra = [
        ("cxreportsUrl", JsValue::from_str(&other_site)),
        ("report", JsValue::from_f64(101.0)),
    ];
    let (host, events, mut first) = mounted(&extra);
    loaded(&events, 1).await;
    assert_eq!(events.count("cxreports:warning"), 1, "{:?}", events.names());
    assert_eq!(
        events.last("cxreports:warning", "kind").as_deref(),
        Some("cross-site")
    );
    assert_eq!(
        events.last("cxreports:warning", "cxreportsOrigin"),
        Some(other_site.clone())
    );
    let message = events.last("cxreports:warning", "message").unwrap();
    assert!(
        message.contains("Partitioned") && message.contains("subdomain"),
        "{message}"
    );
    assert_eq!(events.count("cxreports:error"), 0);
    // The report shows, from the other site, and the new tab is offered.
    assert!(frame_src(&host).unwrap().starts_with(&other_site));
    let new_tab = find(&host, "button[title='Open the report in a new tab']").unwrap();
    assert!(!new_tab.has_attribute("disabled"));

    // A second widget on the same page, the same CxReports: no second warning.
    let (_, again, mut second) = mounted(&extra);
    loaded(&again, 1).await;
    assert_eq!(again.count("cxreports:warning"), 0, "{:?}", again.names());
    // A same-site CxReports: none.
    let (_, same_site, mut third) = mounted(&[("report", JsValue::from_f64(101.0))]);
    loaded(&same_site, 1).await;
    assert_eq!(same_site.count("cxreports:warning"), 0);
    for viewer in [&mut first, &mut second, &mut third] {
        viewer.destroy();
    }
}
