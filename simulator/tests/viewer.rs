//! The report viewer: nonce to cookie, what the page shows, and what it
//! loads, over a real socket.
mod common;

use std::time::Duration;

use common::{enc, start, start_with, switch, unescape};
use cxreports_simulator::{SameSite, SimConfig, ViewerPrint};
use reqwest::StatusCode;
use serde_json::{json, Value};

const PREVIEW: &str = "/ws/sales/reports/107/preview";

#[tokio::test]
async fn the_first_request_turns_the_nonce_into_a_cookie() {
    let sim = start().await;
    let nonce = sim.nonce().await;
    let url = format!("{PREVIEW}?nonce={nonce}");

    let first = sim.page(&url, None).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(first.content_type.starts_with("text/html"));
    let set_cookie = first.set_cookie.clone().unwrap();
    for attribute in ["Path=/", "HttpOnly", "SameSite=Lax"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "{set_cookie}");
    assert_eq!(
        unescape(&first.element("report-name")),
        "Monthly Revenue by Region"
    );

    // The same URL again: the nonce is spent, and without the cookie the
    // visitor is anonymous.
    let again = sim.page(&url, None).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert!(again.is_login_page());
    assert!(again.set_cookie.is_none());

    // With the cookie it works, spent nonce or not, and sets no new cookie.
    let cookie = first.cookie();
    let with_cookie = sim.page(&url, Some(&cookie)).await;
    assert_eq!(with_cookie.status, StatusCode::OK);
    assert!(with_cookie.set_cookie.is_none());
    let cookie_only = sim
        .page("/ws/ops/reports/inventory/preview", Some(&cookie))
        .await;
    assert_eq!(cookie_only.status, StatusCode::OK);
    assert_eq!(cookie_only.element("report-name"), "Stock Levels");
}

#[tokio::test]
async fn unknown_or_missing_nonces_get_the_login_page() {
    let sim = start().await;
    for url in [
        PREVIEW.to_owned(),
        format!("{PREVIEW}?nonce="),
        format!("{PREVIEW}?nonce=deadbeef"),
    ] {
        let page = sim.page(&url, None).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{url}");
        assert!(page.is_login_page(), "{url}");
        assert!(page.content_type.starts_with("text/html"));
    }
    let page = sim
        .page(&format!("{PREVIEW}?nonce=x"), Some("cxr_session=forged"))
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn nonces_expire() {
    let sim = start_with(SimConfig {
        nonce_ttl: Duration::from_millis(300),
        ..SimConfig::default()
    })
    .await;
    let fresh = sim.nonce().await;
    let stale = sim.nonce().await;
    assert_eq!(
        sim.page(&format!("{PREVIEW}?nonce={fresh}"), None)
            .await
            .status,
        StatusCode::OK
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    let page = sim.page(&format!("{PREVIEW}?nonce={stale}"), None).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(page.is_login_page());
}

#[tokio::test]
async fn sessions_expire() {
    let sim = start_with(SimConfig {
        session_ttl: Duration::from_millis(300),
        ..SimConfig::default()
    })
    .await;
    let cookie = sim.open_preview(PREVIEW, "").await.cookie();
    assert_eq!(
        sim.page(PREVIEW, Some(&cookie)).await.status,
        StatusCode::OK
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        sim.page(PREVIEW, Some(&cookie)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn sessions_can_be_ended_at_run_time() {
    let sim = start().await;
    let first = sim.open_preview(PREVIEW, "").await;
    assert!(first.content_type.starts_with("text/html"));
    let cookie = first.cookie();
    assert_eq!(
        switch(&sim, "/__sim/expire-sessions", serde_json::json!({})).await["expired"],
        1
    );
    let after = sim.page(PREVIEW, Some(&cookie)).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert!(after.is_login_page());
    // A fresh nonce opens a new session.
    let again = sim.open_preview(PREVIEW, "").await;
    assert_eq!(
        sim.page(PREVIEW, Some(&again.cookie())).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn same_site_none_cookies_are_secure() {
    let sim = start_with(SimConfig {
        same_site: SameSite::None,
        ..SimConfig::default()
    })
    .await;
    let set_cookie = sim.open_preview(PREVIEW, "").await.set_cookie.unwrap();
    assert!(set_cookie.contains("SameSite=None"), "{set_cookie}");
    assert!(set_cookie.contains("Secure"), "{set_cookie}");
}

#[tokio::test]
async fn stylesheet_and_page_two_need_the_cookie() {
    let sim = start().await;
    let page = sim.open_preview(PREVIEW, "").await;
    assert!(page.body.contains(r#"href="/viewer/style.css""#));
    assert!(page.body.contains(r#"src="/ws/sales/reports/107/pages/2""#));
    assert!(page
        .body
        .contains(r#"href="/ws/sales/reports/107/pages/2""#));
    let cookie = page.cookie();

    let css = sim.page("/viewer/style.css", None).await;
    assert_eq!(css.status, StatusCode::UNAUTHORIZED);
    let css = sim.page("/viewer/style.css", Some(&cookie)).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.content_type.starts_with("text/css"));
    assert!(css.body.contains("body"));

    let page2 = "/ws/sales/reports/107/pages/2";
    let anonymous = sim.page(page2, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(anonymous.is_login_page());
    let signed_in = sim.page(page2, Some(&cookie)).await;
    assert_eq!(signed_in.status, StatusCode::OK);
    assert!(signed_in.element("page-number").starts_with("Page 2 of 2"));
    assert_eq!(
        sim.page("/ws/sales/reports/107/pages/3", Some(&cookie))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn both_params_encodings_render_the_same_params() {
    let sim = start().await;
    let params = r#"{"region":"Zürich <Nord>","year":2026}"#;
    let as_json = sim
        .open_preview(PREVIEW, &format!("params={}", enc(params)))
        .await;
    let base64 = "eyJyZWdpb24iOiJaw7xyaWNoIDxOb3JkPiIsInllYXIiOjIwMjZ9";
    let as_base64 = sim.open_preview(PREVIEW, &format!("params={base64}")).await;
    assert_eq!(as_json.element("params"), as_base64.element("params"));
    let shown: Value = serde_json::from_str(&unescape(&as_json.element("params"))).unwrap();
    assert_eq!(shown, json!({"region": "Zürich <Nord>", "year": 2026}));
    // The angle brackets were escaped on the page.
    assert!(as_json.element("params").contains("&lt;Nord&gt;"));
}

#[tokio::test]
async fn every_preview_option_is_shown() {
    let sim = start().await;
    let page = sim
        .open_preview(
            PREVIEW,
            "data=%5B1%2C2%5D&timezone=Europe%2FBelgrade&lang=sr&theme=dark&template=t-7",
        )
        .await;
    let data: Value = serde_json::from_str(&page.element("data")).unwrap();
    assert_eq!(data, json!([1, 2]));
    assert_eq!(page.element("timezone"), "Europe/Belgrade");
    assert_eq!(page.element("lang"), "sr");
    assert_eq!(page.element("theme"), "dark");
    assert_eq!(page.element("template"), "t-7");
    assert_eq!(page.element("params"), "(none)");
    assert_eq!(page.element("temp-data"), "(none)");
    assert!(page
        .body
        .contains(r#"<html lang="sr" data-report-id="107""#));
}

#[tokio::test]
async fn html_special_names_are_escaped() {
    let sim = start().await;
    for (id, name) in [
        (110, "O'Brien's <script>alert(1)</script> list"),
        (105, "Quarterly <b>Revenue</b> & Margin"),
        (106, "Z\u{fc}rich \"Q3\" summary"),
        (108, "Pr\u{e9}stamo \u{2014} a\u{f1}o 2026"),
    ] {
        let page = sim
            .open_preview(&format!("/ws/sales/reports/{id}/preview"), "")
            .await;
        let shown = page.element("report-name");
        assert!(!shown.contains('<') && !shown.contains('"'), "{shown}");
        assert_eq!(unescape(&shown), name);
        assert!(page.body.contains(&format!("<title>{shown}</title>")));
        assert!(page.body.contains(&format!("data-report-id=\"{id}\"")));
    }
    let page = sim.open_preview("/ws/sales/reports/110/preview", "").await;
    // The only script on the page is the viewer's own.
    assert_eq!(page.body.matches("<script>").count(), 1);
}

#[tokio::test]
async fn a_type_code_previews_its_default_report() {
    let sim = start().await;
    let page = sim.open_preview("/ws/1/reports/revenue/preview", "").await;
    assert!(page.body.contains("data-report-id=\"105\""));
}

#[tokio::test]
async fn temporary_data_round_trips_into_the_viewer() {
    let sim = start().await;
    let content = json!({"rows": [{"customer": "Ærø & Sons", "total": 12.5}]});
    let stored: Value = sim
        .api_post(
            "/api/v1/ws/sales/temporary-data",
            &json!({ "content": content }),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = stored["tempDataId"].as_i64().unwrap();
    let page = sim.open_preview(PREVIEW, &format!("tempDataId={id}")).await;
    let shown: Value = serde_json::from_str(&unescape(&page.element("temp-data"))).unwrap();
    assert_eq!(shown, content);

    // Another workspace cannot read it; an unknown id reads as a message.
    for (path, query) in [
        ("/ws/ops/reports/201/preview", format!("tempDataId={id}")),
        (PREVIEW, "tempDataId=424242".to_owned()),
    ] {
        let page = sim.open_preview(path, &query).await;
        assert!(
            page.element("temp-data")
                .contains("unknown in this workspace or has expired"),
            "{}",
            page.body
        );
    }
}

#[tokio::test]
async fn expired_temporary_data_reads_as_a_message() {
    let sim = start_with(SimConfig {
        temp_data_ttl: Duration::from_secs(1),
        ..SimConfig::default()
    })
    .await;
    let stored: Value = sim
        .api_post("/api/v1/ws/sales/temporary-data", &json!({"content": 1}))
        .await
        .json()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let id = stored["tempDataId"].as_i64().unwrap();
    let page = sim.open_preview(PREVIEW, &format!("tempDataId={id}")).await;
    assert!(page.element("temp-data").contains("has expired"));
}

#[tokio::test]
async fn bad_inputs_are_a_400_viewer_page() {
    let sim = start().await;
    for query in [
        "params=%7Bnope",
        "params=WzFd",
        "data=%7B",
        "tempDataId=abc",
    ] {
        let nonce = sim.nonce().await;
        let page = sim
            .page(&format!("{PREVIEW}?nonce={nonce}&{query}"), None)
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(page.content_type.starts_with("text/html"));
        assert!(!page.element("viewer-error").is_empty());
    }
}

#[tokio::test]
async fn unknown_reports_are_a_404_viewer_page() {
    let sim = start().await;
    for path in [
        "/ws/sales/reports/9999/preview",
        "/ws/nope/reports/101/preview",
        "/ws/sales/reports/drafts/preview",
    ] {
        let nonce = sim.nonce().await;
        let page = sim.page(&format!("{path}?nonce={nonce}"), None).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.element("viewer-error").is_empty());
    }
}

#[tokio::test]
async fn the_viewer_prints_itself_and_tells_its_parent_by_default() {
    let sim = start().await;
    let page = sim.open_preview(PREVIEW, "").await;
    assert!(page.body.contains("id=\"print-button\""));
    let script = print_script(&page.body);
    assert!(script.contains("window.print();"), "{script}");
    assert!(
        script.contains(r#"window.parent.postMessage("printed", "*")"#),
        "{script}"
    );
    assert!(script.contains(r#"event.data === "print""#), "{script}");
    assert!(!script.contains(r#"postMessage("print","#), "{script}");
    let hidden = sim.open_preview(PREVIEW, "hidePrintButton=true").await;
    assert!(!hidden.body.contains("id=\"print-button\""));
    // The host can still ask for printing by message.
    assert!(hidden.body.contains("addEventListener(\"message\""));
    assert!(hidden.body.contains("window.print();"));
}

#[tokio::test]
async fn the_parent_print_mode_asks_the_parent_to_print() {
    let sim = start_with(SimConfig {
        viewer_print: ViewerPrint::Parent,
        ..SimConfig::default()
    })
    .await;
    let page = sim.open_preview(PREVIEW, "").await;
    let script = print_script(&page.body);
    assert!(
        script.contains(r#"window.parent.postMessage("print", "*")"#),
        "{script}"
    );
    assert!(script.contains(r#"event.data === "print""#), "{script}");
    assert!(!script.contains("printed"), "{script}");
}

#[tokio::test]
async fn the_print_mode_switches_at_run_time() {
    let sim = start().await;
    let asks_parent = |body: &str| body.contains(r#"window.parent.postMessage("print", "*")"#);
    assert!(!asks_parent(&sim.open_preview(PREVIEW, "").await.body));
    let answer = switch(&sim, "/__sim/viewer-print", json!({"mode": "parent"})).await;
    assert_eq!(answer, json!({"mode": "parent"}));
    assert!(asks_parent(&sim.open_preview(PREVIEW, "").await.body));
    let answer = switch(&sim, "/__sim/viewer-print", json!({"mode": "SELF"})).await;
    assert_eq!(answer, json!({"mode": "self"}));
    let page = sim.open_preview(PREVIEW, "").await;
    assert!(!asks_parent(&page.body) && page.body.contains(r#"postMessage("printed""#));
    for bad in [json!({"mode": "host"}), json!({"enabled": true})] {
        let response = sim
            .client
            .post(sim.url("/__sim/viewer-print"))
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error"].as_str().unwrap().contains("\"parent\""),
            "{body}"
        );
    }
}

/// The viewer's one inline script.
fn print_script(body: &str) -> &str {
    let start = body.find("<script>").expect("a script");
    let end = start + body[start..].find("</script>").expect("its end");
    &body[start..end]
}
