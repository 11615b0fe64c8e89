//! Hostile input: markup in names, path-breaking ids and codes, junk
//! options, and messages from frames that are not the widget's viewer.
#![cfg(target_arch = "wasm32")]

use crate::common;

use common::*;
use serde_json::json;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn report(id: i64, name: &str, type_name: &str) -> serde_json::Value {
    json!({"id": id, "name": name, "reportTypeId": 1, "reportTypeName": type_name, "reportTemplateName": "", "isDefault": false})
}

#[wasm_bindgen_test]
async fn names_with_markup_script_and_unicode_tricks_render_as_text() {
    let names = [
        "<img src=x onerror=\"window.__pwned=1\">",
        "<script>window.__pwned=1</script>",
        "javascript:window.__pwned=1",
        "\u{202e}fdp.exe",
        "a\u{200b}b\u{feff}c",
        "<a href=\"javascript:alert(1)\">x</a>",
        "&lt;b&gt; &amp; \"quotes\" 'single'",
    ];
    let list: Vec<_> = names
        .iter()
        .enumerate()
        .map(|(i, n)| report(i as i64 + 1, n, "<i>type</i> & co"))
        .collect();
    let host = host();
    let mut viewer = mount(
        &host,
        options(&[
            ("reportsUrl", JsValue::NULL),
            (
                "reports",
                js_sys::JSON::parse(&json!(list).to_string()).unwrap(),
            ),
        ]),
    );
    let shown = until("the list", || {
        let o = find_all(&host, ".cxr-option-name");
        (o.len() == names.len()).then_some(o)
    })
    .await;
    for (el, name) in shown.iter().zip(names) {
        assert_eq!(text(el), name);
        assert_eq!(el.child_element_count(), 0, "{name} made elements");
    }
    assert_eq!(
        text(&find(&host, ".cxr-group-label").unwrap()),
        "<i>type</i> & co"
    );
    for tag in ["img", "script", "a", "i"] {
        assert!(
            find(&host, &format!(".cxr-listbox {tag}")).is_none(),
            "{tag}"
        );
    }
    sleep(50).await;
    let pwned = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__pwned".into()).unwrap();
    assert!(pwned.is_undefined());
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn ids_and_codes_stay_single_path_segments() {
    login().await;
    for (workspace, code) in [
        ("sales", "a/b?c#d%e f"),
        ("sales", "../../api/v1/nonce-tokens"),
        ("sa les/..", "%2e%2e"),
        ("sales", "ü/ï?#"),
    ] {
        let (host, events, mut viewer) = mounted(&[
            ("workspace", workspace.into()),
            ("report", code.into()),
            ("reportsUrl", JsValue::NULL),
        ]);
        let src = until("the iframe src", || frame_src(&host)).await;
        let url = web_sys::Url::new(&src).unwrap();
        assert_eq!(url.origin(), web_sys::Url::new(sim()).unwrap().origin());
        let segments: Vec<String> = url
            .pathname()
            .split('/')
            .skip(1)
            .map(|s| js_sys::decode_uri_component(s).unwrap().into())
            .collect();
        assert_eq!(
            segments,
            ["ws", workspace, "reports", code, "preview"],
            "{src}"
        );
        assert_eq!(url.hash(), "");
        let query: String = url.search_params().to_string().into();
        let keys: Vec<&str> = query
            .split('&')
            .filter_map(|p| p.split('=').next())
            .collect();
        // The reader's time zone rides along by default.
        assert_eq!(
            keys,
            ["nonce", "timezone", "hidePrintButton"],
            "nothing escaped into the query: {src}"
        );
        assert_eq!(query_param(&src, "nonce").map(|n| n.len()), Some(64));
        loaded(&events, 1).await;
        viewer.destroy();
    }
    for bad in ["..", ".", ""] {
        let err = cxreports_widget::mount(host().into(), options(&[("report", bad.into())]));
        assert!(bad.is_empty() || err.is_err(), "{bad:?}");
    }
}

fn refused(options: JsValue) -> String {
    match cxreports_widget::mount(host().into(), options) {
        Ok(mut handle) => {
            handle.destroy();
            panic!("accepted");
        }
        Err(e) => js_sys::Error::from(JsValue::from(e)).message().into(),
    }
}

#[wasm_bindgen_test]
fn junk_options_are_refused_with_a_clear_message() {
    let f = || js_sys::Function::new_no_args("return 1");
    let cases: Vec<(&str, JsValue, &str)> = vec![
        ("cxreportsUrl", "javascript:alert(1)".into(), "cxreportsUrl"),
        (
            "cxreportsUrl",
            "data:text/html,<b>x</b>".into(),
            "cxreportsUrl",
        ),
        ("cxreportsUrl", "//evil.example".into(), "cxreportsUrl"),
        (
            "cxreportsUrl",
            "https://user:pw@evil.example".into(),
            "cxreportsUrl",
        ),
        ("cxreportsUrl", JsValue::from_f64(5.0), "cxreportsUrl"),
        ("cxreportsUrl", JsValue::NULL, "cxreportsUrl"),
        ("nonceUrl", "javascript:fetch('/x')".into(), "nonceUrl"),
        ("nonceUrl", "data:application/json,{}".into(), "nonceUrl"),
        ("reportsUrl", "../../x y".into(), "reportsUrl"),
        ("pdfUrl", "vbscript:x".into(), "pdfUrl"),
        ("workspace", JsValue::TRUE, "workspace"),
        ("workspace", "..".into(), "workspace"),
        ("showPicker", "maybe".into(), "showPicker"),
        ("params", js_sys::JSON::parse("[1,2]").unwrap(), "params"),
        ("reports", "not a list".into(), "reports"),
        ("reports", js_sys::JSON::parse("{}").unwrap(), "reports"),
        ("timeoutMs", JsValue::from_f64(-5.0), "timeoutMs"),
        ("paramsEncoding", "yaml".into(), "paramsEncoding"),
        ("height", "1px;background:url(x)".into(), "height"),
        ("fetchNonce", f().into(), "nonce source"),
        (
            "requestHeaders",
            js_sys::JSON::parse(r#"{"Authorization":"Bearer x"}"#).unwrap(),
            "requestHeaders.Authorization",
        ),
        ("reprot", "101".into(), "unknown option `reprot`"),
    ];
    let tried = cases.len();
    for (key, value, words) in cases {
        let message = refused(options(&[(key, value.clone())]));
        assert!(message.contains(words), "{key}={value:?}: {message}");
    }
    for key in [
        "TOKEN",
        "Token",
        "x_api_key",
        "ACCESS-TOKEN",
        "clientSecret",
        "Password",
        "authorization",
        "bearerToken",
        "pAt",
    ] {
        let message = refused(options(&[(key, "x".into())]));
        assert!(
            message.contains(key) && message.contains("secret"),
            "{key}: {message}"
        );
    }
    assert_eq!(tried, 22);
    assert!(refused(JsValue::from_str("not an object")).contains("options"));
    assert!(refused(js_sys::Array::new().into()).contains("options"));
    for not_an_element in [
        JsValue::NULL,
        JsValue::from_str("#app"),
        js_sys::Object::new().into(),
    ] {
        let error = cxreports_widget::mount(not_an_element, options(&[]))
            .err()
            .map(JsValue::from)
            .unwrap();
        let message: String = js_sys::Error::from(error).message().into();
        assert!(message.contains("DOM element"), "{message}");
    }
}

#[wasm_bindgen_test]
async fn messages_from_other_frames_and_origins_are_ignored() {
    login().await;
    // A viewer that asks its parent to print (as older viewers do), so that
    // the widget acts on a real "print" message from its own frame.
    post_json(
        &format!("{}/__sim/viewer-print", sim()),
        &serde_json::json!({"mode": "parent"}),
    )
    .await;
    let (_host, events, mut viewer) = mounted(&[("report", JsValue::from_f64(101.0))]);
    loaded(&events, 1).await;
    let window = web_sys::window().unwrap();
    // From this page itself (wrong source and origin), and from another frame
    // of the CxReports origin that is not the widget's viewer.
    window.post_message(&"print".into(), "*").unwrap();
    let other = document().create_element("iframe").unwrap();
    other
        .set_attribute("src", &format!("{}/viewer/style.css", sim()))
        .unwrap();
    document().body().unwrap().append_child(&other).unwrap();
    sleep(300).await;
    assert_eq!(
        events.count("cxreports:error"),
        0,
        "no reaction to foreign messages"
    );
    // The real round trip: the widget asks its viewer to print, the viewer
    // answers "print" from the CxReports origin, and the widget acts on it.
    // (Headless Chromium cannot print a cross-origin frame, which the widget
    // reports as a `browser` error naming the PDF and new-tab alternatives.)
    viewer.print();
    until("the viewer's answer is acted on", || {
        (events.count("cxreports:error") == 1).then_some(())
    })
    .await;
    assert_eq!(
        events.last("cxreports:error", "kind").as_deref(),
        Some("browser")
    );
    assert!(events
        .last("cxreports:error", "message")
        .unwrap()
        .contains("PDF"));
    other.remove();
    viewer.destroy();
    post_json(
        &format!("{}/__sim/viewer-print", sim()),
        &serde_json::json!({"mode": "self"}),
    )
    .await;
}
