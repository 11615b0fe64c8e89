//! The widget in headless Chromium against the real simulator and reference
//! backend: lists, nonces, the iframe, options, errors, races, lifecycle.
#![cfg(target_arch = "wasm32")]

use crate::common;

use common::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Picker options, once the list has loaded.
async fn options_shown(host: &web_sys::Element) -> Vec<web_sys::Element> {
    until("the report list", || {
        let found = find_all(host, "[role=option]");
        (!found.is_empty()).then_some(found)
    })
    .await
}

#[wasm_bindgen_test]
async fn lists_reports_from_the_backend_and_opens_the_chosen_one() {
    login().await;
    let (host, events, mut viewer) = mounted(&[]);

    let shown = options_shown(&host).await;
    let expected = get_json(&format!("{}/api/cxreports/reports", backend())).await;
    let expected = expected.as_array().unwrap();
    assert_eq!(shown.len(), expected.len());
    // Names with markup are shown as text, never parsed.
    let names: Vec<String> = shown
        .iter()
        .map(|o| text(&find_in(o, ".cxr-option-name")))
        .collect();
    assert!(names.iter().any(|n| n.contains("<b>")), "{names:?}");
    assert!(find(&host, ".cxr-listbox b").is_none());
    assert!(find(&host, ".cxr-listbox script").is_none());
    // Grouped by type, and the default report of a type is marked.
    assert!(find_all(&host, "[role=group]").len() >= 2);
    assert!(!find_all(&host, ".cxr-default").is_empty());

    let target = &shown[1];
    let id = target.get_attribute("data-report-id").unwrap();
    click(target);
    loaded(&events, 1).await;

    let src = frame_src(&host).unwrap();
    assert!(
        src.starts_with(&format!("{}/ws/sales/reports/{id}/preview?", sim())),
        "{src}"
    );
    let nonce = query_param(&src, "nonce").unwrap();
    assert!(
        consumed_once(&nonce).await,
        "the nonce was consumed exactly once"
    );
    assert_eq!(
        events.last("cxreports:select", "report").as_deref(),
        Some(id.as_str())
    );
    assert_eq!(
        events.last("cxreports:load", "report").as_deref(),
        Some(id.as_str())
    );
    let frame = find(&host, "iframe").unwrap();
    assert!(frame.get_attribute("title").unwrap().contains(&names[1]));
    assert_eq!(
        frame.get_attribute("referrerpolicy").as_deref(),
        Some("no-referrer")
    );
    // Isolated by its own origin; a sandbox with the scripts and origin the
    // viewer needs would only print Chromium's escape warning on the page.
    assert_eq!(frame.get_attribute("sandbox"), None);
    assert_eq!(
        target.get_attribute("aria-selected").as_deref(),
        Some("true")
    );

    // Another report: a fresh nonce, never the old one.
    click(&shown[2]);
    loaded(&events, 2).await;
    let src2 = frame_src(&host).unwrap();
    let nonce2 = query_param(&src2, "nonce").unwrap();
    assert_ne!(nonce, nonce2);
    assert!(consumed_once(&nonce2).await);
    // The nonce is never put in the host page's URL or storage.
    let location = web_sys::window().unwrap().location().href().unwrap();
    assert!(!location.contains(&nonce) && !location.contains(&nonce2));
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert_eq!(storage.length().unwrap(), 0);
    viewer.destroy();
}

fn find_in(el: &web_sys::Element, selector: &str) -> web_sys::Element {
    el.query_selector(selector).unwrap().unwrap()
}

#[wasm_bindgen_test]
async fn refresh_uses_a_fresh_nonce_every_time() {
    login().await;
    let (host, events, mut viewer) = mounted(&[("report", JsValue::from_f64(101.0))]);
    loaded(&events, 1).await;
    let first = query_param(&frame_src(&host).unwrap(), "nonce").unwrap();
    click(
        &until("refresh button", || {
            find(&host, "button[title='Reload the report']")
        })
        .await,
    );
    loaded(&events, 2).await;
    let second = query_param(&frame_src(&host).unwrap(), "nonce").unwrap();
    viewer.refresh();
    loaded(&events, 3).await;
    let third = query_param(&frame_src(&host).unwrap(), "nonce").unwrap();
    assert!(first != second && second != third && first != third);
    for n in [&first, &second, &third] {
        assert!(consumed_once(n).await);
    }
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn static_list_and_report_by_type_code() {
    login().await;
    let host = host();
    let events = Events::record(&host);
    let reports = serde_json::json!([
        {"id": 102, "name": "Static <i>two</i>", "reportTypeId": 1, "reportTypeName": "Mine", "reportTemplateName": "", "isDefault": true},
        {"id": 103, "name": "Static three", "reportTypeId": 1, "reportTypeName": "Mine", "reportTemplateName": "", "isDefault": false}
    ]);
    let list = js_sys::JSON::parse(&reports.to_string()).unwrap();
    let mut viewer = mount(
        &host,
        options(&[
            ("reportsUrl", JsValue::NULL),
            ("reports", list),
            ("report", "invoice".into()),
        ]),
    );
    let shown = options_shown(&host).await;
    assert_eq!(
        shown
            .iter()
            .map(|o| text(&find_in(o, ".cxr-option-name")))
            .collect::<Vec<_>>(),
        ["Static <i>two</i>", "Static three"]
    );
    loaded(&events, 1).await;
    let src = frame_src(&host).unwrap();
    assert!(src.contains("/ws/sales/reports/invoice/preview?"), "{src}");
    assert!(consumed_once(&query_param(&src, "nonce").unwrap()).await);
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn every_option_reaches_the_viewer_query_in_both_params_encodings() {
    login().await;
    for encoding in ["json", "base64"] {
        let host = host();
        let events = Events::record(&host);
        let params = js_sys::JSON::parse(r#"{"year":2026,"region":"Zürich & <b>"}"#).unwrap();
        let data = js_sys::JSON::parse(r#"{"rows":[1,2]}"#).unwrap();
        let mut viewer = mount(
            &host,
            options(&[
                ("report", JsValue::from_f64(101.0)),
                ("params", params),
                ("data", data),
                ("tempDataId", JsValue::from_f64(77.0)),
                ("timezone", "Europe/Belgrade".into()),
                ("lang", "sr".into()),
                ("theme", "dark".into()),
                ("template", "compact".into()),
                ("paramsEncoding", encoding.into()),
            ]),
        );
        loaded(&events, 1).await;
        let src = frame_src(&host).unwrap();
        let raw = query_param(&src, "params").unwrap();
        let decoded = cxreports_contract::decode_params(&raw).unwrap();
        assert_eq!(
            decoded,
            serde_json::json!({"year": 2026, "region": "Zürich & <b>"})
        );
        assert_eq!(raw.starts_with('{'), encoding == "json", "{raw}");
        assert_eq!(
            query_param(&src, "data").as_deref(),
            Some(r#"{"rows":[1,2]}"#)
        );
        assert_eq!(query_param(&src, "tempDataId").as_deref(), Some("77"));
        assert_eq!(
            query_param(&src, "timezone").as_deref(),
            Some("Europe/Belgrade")
        );
        assert_eq!(query_param(&src, "lang").as_deref(), Some("sr"));
        assert_eq!(query_param(&src, "theme").as_deref(), Some("dark"));
        assert_eq!(query_param(&src, "template").as_deref(), Some("compact"));
        assert_eq!(
            query_param(&src, "hidePrintButton").as_deref(),
            Some("true")
        );
        // The simulator's viewer accepted it: the nonce was consumed.
        assert!(consumed_once(&query_param(&src, "nonce").unwrap()).await);
        viewer.destroy();
    }
}

#[wasm_bindgen_test]
async fn set_params_reloads_with_the_new_params() {
    login().await;
    let (host, events, mut viewer) = mounted(&[("report", JsValue::from_f64(101.0))]);
    loaded(&events, 1).await;
    assert_eq!(query_param(&frame_src(&host).unwrap(), "params"), None);
    viewer
        .set_params(js_sys::JSON::parse(r#"{"q":4}"#).unwrap())
        .map_err(JsValue::from)
        .unwrap();
    loaded(&events, 2).await;
    assert_eq!(
        query_param(&frame_src(&host).unwrap(), "params").as_deref(),
        Some(r#"{"q":4}"#)
    );
    assert!(viewer
        .set_params(js_sys::JSON::parse("[1]").unwrap())
        .is_err());
    viewer.destroy();
}

#[wasm_bindgen_test]
fn pat_like_options_are_refused_loudly() {
    for key in [
        "token",
        "authToken",
        "accessToken",
        "pat",
        "apiKey",
        "bearer",
        "API_KEY",
    ] {
        let err =
            cxreports_widget::mount(host().into(), options(&[(key, "cxr_pat_secret".into())]))
                .err()
                .map(JsValue::from);
        let message: String = js_sys::Error::from(err.expect("refused")).message().into();
        assert!(
            message.contains(key) && message.contains("nonceUrl"),
            "{message}"
        );
    }
    for (key, value) in [
        ("cxreportsUrl", "javascript:alert(1)"),
        ("nonceUrl", "data:text/plain,x"),
        ("workspace", ".."),
    ] {
        assert!(
            cxreports_widget::mount(host().into(), options(&[(key, value.into())])).is_err(),
            "{key}={value}"
        );
    }
    let both = options(&[(
        "fetchNonce",
        js_sys::Function::new_no_args("return 'x'").into(),
    )]);
    assert!(cxreports_widget::mount(host().into(), both).is_err());
}

#[wasm_bindgen_test]
async fn fetch_nonce_callback_is_a_nonce_source() {
    login().await;
    let host = host();
    let events = Events::record(&host);
    let url = js_string(&format!("{}/api/cxreports/nonce", backend()));
    let f = js_sys::Function::new_no_args(&format!(
        "return fetch({url}, {{method: 'POST', credentials: 'include', headers: {{'X-Requested-With': 'host-app'}}}}).then(r => r.json()).then(j => j.nonce)"
    ));
    let mut viewer = mount(
        &host,
        options(&[
            ("nonceUrl", JsValue::NULL),
            ("fetchNonce", f.into()),
            ("report", JsValue::from_f64(101.0)),
        ]),
    );
    loaded(&events, 1).await;
    assert!(consumed_once(&query_param(&frame_src(&host).unwrap(), "nonce").unwrap()).await);
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn list_errors_show_with_retry_and_an_empty_list_says_so() {
    login().await;
    clear_faults().await;
    fault(
        "/api/cxreports/reports",
        serde_json::json!({"kind": "html"}),
    )
    .await;
    let (host, events, mut viewer) = mounted(&[]);
    let alert = until("the list error", || find(&host, ".cxr-side .cxr-error")).await;
    assert!(text(&alert).contains("expired"));
    assert_eq!(
        events.last("cxreports:error", "stage").as_deref(),
        Some("reports")
    );
    clear_faults().await;
    click(&find_in(&alert, "button"));
    options_shown(&host).await;
    viewer.destroy();

    let host = common::host();
    let mut viewer = mount(
        &host,
        options(&[
            ("reportsUrl", JsValue::NULL),
            ("reports", js_sys::Array::new().into()),
        ]),
    );
    let empty = until("the empty state", || find(&host, ".cxr-empty")).await;
    assert!(text(&empty).contains("No reports"));
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn rapid_switching_ends_on_the_last_choice() {
    login().await;
    clear_faults().await;
    fault(
        "/api/cxreports/nonce",
        serde_json::json!({"kind": "latency", "ms": 150}),
    )
    .await;
    let (host, events, mut viewer) = mounted(&[("prefetchNonce", false.into())]);
    let shown = options_shown(&host).await;
    let mut srcs = Vec::new();
    for i in 0..30 {
        click(&shown[i % shown.len()]);
        if i % 7 == 0 {
            sleep(40).await;
        }
        if let Some(src) = frame_src(&host) {
            srcs.push(src);
        }
    }
    let last = shown[29 % shown.len()]
        .get_attribute("data-report-id")
        .unwrap();
    until("the last report loads", || {
        let src = frame_src(&host)?;
        (events.count("cxreports:load") >= 1 && src.contains(&format!("/reports/{last}/preview")))
            .then_some(())
    })
    .await;
    sleep(400).await;
    // Nothing older replaced it afterwards.
    assert!(frame_src(&host)
        .unwrap()
        .contains(&format!("/reports/{last}/preview")));
    assert_eq!(
        events.last("cxreports:load", "report").as_deref(),
        Some(last.as_str())
    );
    clear_faults().await;
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn destroy_leaves_nothing_and_sends_nothing_more() {
    login().await;
    let host = host();
    let mut viewer = mount(&host, options(&[("report", JsValue::from_f64(101.0))]));
    options_shown(&host).await;
    viewer.destroy();
    let spy = FetchSpy::install(&host);
    assert_eq!(shadow(&host).child_element_count(), 0);
    // A request the widget sent just before `destroy` may still be on its
    // way to CxReports through the backend: let it land, then count.
    sleep(100).await;
    let requests = || async { sim_events().await["requests"].as_array().unwrap().clone() };
    let before = requests().await;
    sleep(300).await;
    let after = requests().await;
    assert_eq!(
        before.len(),
        after.len(),
        "no request after destroy; new: {:?}",
        &after[before.len().min(after.len())..]
    );
    assert_eq!(
        spy.widget_calls(),
        Vec::<String>::new(),
        "the widget fetched after destroy"
    );
    drop(spy);
    // Destroy during an in-flight list and nonce fetch: both held at the
    // backend, then let go to land on a destroyed widget.
    clear_faults().await;
    fault(
        "/api/cxreports/",
        serde_json::json!({"kind": "hold", "times": 2}),
    )
    .await;
    let host2 = common::host();
    let events = Events::record(&host2);
    let mut viewer = mount(&host2, options(&[("report", JsValue::from_f64(101.0))]));
    faults_taken(backend()).await;
    viewer.destroy();
    clear_faults().await;
    sleep(700).await;
    assert_eq!(shadow(&host2).child_element_count(), 0);
    assert_eq!(events.count("cxreports:error"), 0);
    assert_eq!(events.count("cxreports:load"), 0);
}

#[wasm_bindgen_test]
async fn two_widgets_on_one_page_stay_independent() {
    login().await;
    let (a, b) = (host(), host());
    let (ea, eb) = (Events::record(&a), Events::record(&b));
    let mut va = mount(&a, options(&[("report", JsValue::from_f64(101.0))]));
    let mut vb = mount(
        &b,
        options(&[
            ("report", JsValue::from_f64(102.0)),
            ("showPicker", false.into()),
        ]),
    );
    loaded(&ea, 1).await;
    loaded(&eb, 1).await;
    assert!(frame_src(&a).unwrap().contains("/reports/101/preview"));
    assert!(frame_src(&b).unwrap().contains("/reports/102/preview"));
    assert!(
        find(&b, "[role=listbox]").is_none(),
        "showPicker: false hides the picker"
    );
    va.destroy();
    vb.refresh();
    loaded(&eb, 2).await;
    assert_eq!(ea.count("cxreports:load"), 1);
    vb.destroy();
}

#[wasm_bindgen_test]
async fn the_picker_works_with_the_keyboard() {
    login().await;
    let (host, events, mut viewer) = mounted(&[]);
    let shown = options_shown(&host).await;
    let input: web_sys::HtmlInputElement = find(&host, "input[role=combobox]")
        .unwrap()
        .dyn_into()
        .unwrap();
    let key = |k: &str| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(k);
        init.set_bubbles(true);
        let e =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        input.dispatch_event(&e).unwrap();
    };
    key("ArrowDown");
    key("ArrowDown");
    sleep(30).await;
    let active = input.get_attribute("aria-activedescendant").unwrap();
    assert_eq!(active, shown[1].id(), "the second option is active");
    assert_eq!(
        shown[1].get_attribute("data-active").as_deref(),
        Some("true")
    );
    key("Enter");
    loaded(&events, 1).await;
    let id = shown[1].get_attribute("data-report-id").unwrap();
    assert!(frame_src(&host)
        .unwrap()
        .contains(&format!("/reports/{id}/preview")));

    // Filtering narrows the list.
    input.set_value("zürich");
    input
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    let narrowed = until("filtered list", || {
        let n = find_all(&host, "[role=option]");
        (n.len() < shown.len()).then_some(n)
    })
    .await;
    assert!(!narrowed.is_empty());
    assert!(narrowed
        .iter()
        .all(|o| text(o).to_lowercase().contains("zürich")));
    key("Escape");
    until("full list again", || {
        (find_all(&host, "[role=option]").len() == shown.len()).then_some(())
    })
    .await;
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn open_in_new_tab_uses_its_own_fresh_nonce() {
    login().await;
    for prefetch in [true, false] {
        let (host, events, mut viewer) = mounted(&[
            ("report", JsValue::from_f64(101.0)),
            ("prefetchNonce", prefetch.into()),
        ]);
        loaded(&events, 1).await;
        let framed = query_param(&frame_src(&host).unwrap(), "nonce").unwrap();
        let consumed = |e: &serde_json::Value| e["noncesConsumed"].as_array().unwrap().clone();
        let before = consumed(&sim_events().await);
        click(&find(&host, "button[title='Open the report in a new tab']").unwrap());
        let fresh = until_async_consumed(&before).await;
        assert_ne!(fresh, framed, "prefetch {prefetch}");
        assert!(consumed_once(&fresh).await);
        assert_eq!(events.count("cxreports:error"), 0);
        viewer.destroy();
    }
}

/// Waits until the simulator has consumed a nonce not in `before`, and returns it.
async fn until_async_consumed(before: &[serde_json::Value]) -> String {
    for _ in 0..300 {
        let now = sim_events().await["noncesConsumed"]
            .as_array()
            .unwrap()
            .clone();
        if let Some(n) = now.iter().find(|n| !before.contains(n)) {
            return n.as_str().unwrap().to_owned();
        }
        sleep(50).await;
    }
    panic!("no new nonce was consumed");
}

#[wasm_bindgen_test]
async fn widgets_mounted_after_others_are_destroyed_work() {
    login().await;
    for round in 0..3 {
        let (host, events, mut viewer) =
            mounted(&[("report", JsValue::from_f64(101.0 + round as f64))]);
        loaded(&events, 1).await;
        assert!(frame_src(&host)
            .unwrap()
            .contains(&format!("/reports/{}/preview", 101 + round)));
        assert_eq!(events.names()[0], "cxreports:ready", "round {round}");
        viewer.destroy();
        assert_eq!(shadow(&host).child_element_count(), 0);
    }
    // Destroy and mount again in the same task.
    let (a, b) = (host(), host());
    let mut first = mount(&a, options(&[("report", JsValue::from_f64(101.0))]));
    first.destroy();
    let events = Events::record(&b);
    let mut second = mount(&b, options(&[("report", JsValue::from_f64(102.0))]));
    loaded(&events, 1).await;
    assert_eq!(shadow(&a).child_element_count(), 0);
    second.destroy();
}

/// Cold start: the list and the first nonce are requested before `mount`
/// returns, so before the widget is created or renders anything.
#[wasm_bindgen_test]
async fn list_and_nonce_requests_leave_before_the_first_render() {
    login().await;
    let host = host();
    let events = Events::record(&host);
    let spy = FetchSpy::install(&host);
    let types = format!("{}/api/cxreports/report-types", backend());
    let mut viewer = mount(
        &host,
        options(&[("report", "101".into()), ("reportTypesUrl", types.into())]),
    );
    // Read before anything is awaited: what `mount` itself started.
    let calls = spy.calls();
    for path in ["/api/cxreports/reports", "/api/cxreports/nonce"] {
        let call = calls.iter().find(|(url, _)| url.ends_with(path));
        assert!(
            call.is_some(),
            "{path} was not requested before mount returned: {calls:?}"
        );
        assert!(
            !call.unwrap().1,
            "{path} was requested after the first render: {calls:?}"
        );
    }
    // The viewer takes those requests over rather than repeating them.
    loaded(&events, 1).await;
    assert!(frame_src(&host).unwrap().contains("/reports/101/preview?"));
    let calls = spy.widget_calls();
    drop(spy);
    let lists = calls
        .iter()
        .filter(|url| url.ends_with("/api/cxreports/reports"));
    assert_eq!(lists.count(), 1, "{calls:?}");
    let types = calls
        .iter()
        .filter(|url| url.ends_with("/api/cxreports/report-types"));
    assert_eq!(types.count(), 1, "report types fetched once: {calls:?}");
    viewer.destroy();
}

/// Two viewers, side by side in one Yew app, as a Rust host renders them.
mod two_in_one_app {
    use std::cell::RefCell;
    use std::collections::HashSet;
    use std::rc::Rc;

    use cxreports_contract::ReportRef;
    use cxreports_widget::{RawValue, ReportViewer, ViewerConfig, ViewerEvent};
    use wasm_bindgen::JsCast;
    use web_sys::Element;
    use yew::prelude::*;

    use super::common::*;

    type Heard = Rc<RefCell<Vec<ViewerEvent>>>;

    #[derive(Properties, PartialEq)]
    struct PairProps {
        config: Rc<ViewerConfig>,
        on_first: Callback<ViewerEvent>,
        on_second: Callback<ViewerEvent>,
    }

    #[function_component]
    fn Pair(props: &PairProps) -> Html {
        html! {
            <main>
                <section class="first"><ReportViewer config={props.config.clone()} on_event={props.on_first.clone()} /></section>
                <section class="second"><ReportViewer config={props.config.clone()} on_event={props.on_second.clone()} /></section>
            </main>
        }
    }

    fn config() -> Rc<ViewerConfig> {
        let text = |s: &str| RawValue::Str(s.into());
        let raw = vec![
            ("cxreportsUrl".into(), text(sim())),
            ("workspace".into(), text("sales")),
            (
                "nonceUrl".into(),
                text(&format!("{}/api/cxreports/nonce", backend())),
            ),
            (
                "reportsUrl".into(),
                text(&format!("{}/api/cxreports/reports", backend())),
            ),
            ("credentials".into(), text("include")),
            ("retries".into(), RawValue::Num(0.0)),
        ];
        Rc::new(ViewerConfig::from_raw(raw).unwrap())
    }

    fn heard() -> (Heard, Callback<ViewerEvent>) {
        let heard = Heard::default();
        let sink = heard.clone();
        (heard, Callback::from(move |e| sink.borrow_mut().push(e)))
    }

    /// Elements under `root` (no shadow root here: the light DOM).
    fn all(root: &Element, selector: &str) -> Vec<Element> {
        let list = root.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into().ok())
            .collect()
    }

    fn one(root: &Element, selector: &str) -> Element {
        root.query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"))
    }

    /// The element an id reference names, anywhere in the page.
    fn named(id: &str) -> Element {
        document()
            .get_element_by_id(id)
            .unwrap_or_else(|| panic!("no element with id {id}"))
    }

    fn press(input: &Element, key: &str) {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        let e =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        input.dispatch_event(&e).unwrap();
    }

    fn loads(heard: &Heard) -> Vec<ReportRef> {
        heard
            .borrow()
            .iter()
            .filter_map(|e| match e {
                ViewerEvent::Load { report, .. } => Some(report.clone()),
                _ => None,
            })
            .collect()
    }

    fn src(viewer: &Element) -> Option<String> {
        one(viewer, "iframe").get_attribute("src")
    }

    /// Every reference from one viewer's elements (a label's `for`, an
    /// `aria-controls`, `aria-labelledby` or `aria-activedescendant`)
    /// names an element inside that same viewer.
    fn references_stay_inside(viewer: &Element) -> usize {
        let mut checked = 0;
        for attr in [
            "for",
            "aria-controls",
            "aria-labelledby",
            "aria-activedescendant",
        ] {
            for el in all(viewer, &format!("[{attr}]")) {
                let id = el.get_attribute(attr).unwrap();
                assert!(
                    viewer.contains(Some(&named(&id))),
                    "{attr}=\"{id}\" points out of its viewer"
                );
                checked += 1;
            }
        }
        checked
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    async fn two_viewers_in_one_yew_app_each_work_on_their_own() {
        login().await;
        let host = host();
        assert!(host.shadow_root().is_none());
        let (first_heard, on_first) = heard();
        let (second_heard, on_second) = heard();
        let props = PairProps {
            config: config(),
            on_first,
            on_second,
        };
        let _app = yew::Renderer::<Pair>::with_root_and_props(host.clone(), props).render();

        // Both list the reports.
        until("the app rendered", || {
            host.query_selector(".second").ok().flatten()
        })
        .await;
        let (first, second) = (one(&host, ".first"), one(&host, ".second"));
        let options = |viewer: &Element| {
            let viewer = viewer.clone();
            async move {
                until("the report list", || {
                    let found = all(&viewer, "[role=option]");
                    (!found.is_empty()).then_some(found)
                })
                .await
            }
        };
        let (first_options, second_options) = (options(&first).await, options(&second).await);
        assert_eq!(first_options.len(), second_options.len());
        assert!(first_options.len() >= 3);

        // No id twice in the page, and every reference stays in its viewer.
        let ids: Vec<String> = all(&host, "[id]").iter().map(Element::id).collect();
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "ids used twice: {ids:?}");
        assert!(references_stay_inside(&first) >= 4);
        assert!(references_stay_inside(&second) >= 4);
        let first_search = one(&first, "input[role=combobox]");
        let second_search = one(&second, "input[role=combobox]");
        let listbox_of = |search: &Element| named(&search.get_attribute("aria-controls").unwrap());
        assert!(first.contains(Some(&listbox_of(&first_search))));
        assert!(second.contains(Some(&listbox_of(&second_search))));
        assert_eq!(
            listbox_of(&first_search).get_attribute("role").as_deref(),
            Some("listbox")
        );

        // The keyboard in the first moves the first only.
        press(&first_search, "ArrowDown");
        press(&first_search, "ArrowDown");
        let active = until("an active option in the first viewer", || {
            first_search.get_attribute("aria-activedescendant")
        })
        .await;
        assert_eq!(active, first_options[1].id());
        assert!(first.contains(Some(&named(&active))));
        assert_eq!(
            named(&active).get_attribute("data-active").as_deref(),
            Some("true")
        );
        assert_eq!(second_search.get_attribute("aria-activedescendant"), None);
        assert!(all(&second, "[data-active]").is_empty());
        references_stay_inside(&first);

        // Enter opens the active report in the first viewer's frame only.
        press(&first_search, "Enter");
        until("the first viewer's report loaded", || {
            (!loads(&first_heard).is_empty()).then_some(())
        })
        .await;
        let first_id = first_options[1].get_attribute("data-report-id").unwrap();
        let first_src = src(&first).unwrap();
        assert!(
            first_src.contains(&format!("/reports/{first_id}/preview")),
            "{first_src}"
        );
        assert_eq!(src(&second), None, "the second frame stays empty");
        assert!(loads(&second_heard).is_empty());

        // The second opens another report with its own keys and nonce.
        press(&second_search, "End");
        let last = second_options.last().unwrap();
        until("the last option active in the second viewer", || {
            (second_search.get_attribute("aria-activedescendant") == Some(last.id())).then_some(())
        })
        .await;
        assert_eq!(
            first_search.get_attribute("aria-activedescendant"),
            Some(active.clone()),
            "the first viewer's active option stays"
        );
        press(&second_search, "Enter");
        until("the second viewer's report loaded", || {
            (!loads(&second_heard).is_empty()).then_some(())
        })
        .await;
        let second_id = last.get_attribute("data-report-id").unwrap();
        let second_src = src(&second).unwrap();
        assert!(
            second_src.contains(&format!("/reports/{second_id}/preview")),
            "{second_src}"
        );
        assert_eq!(src(&first).as_deref(), Some(first_src.as_str()));
        let first_nonce = query_param(&first_src, "nonce").unwrap();
        let second_nonce = query_param(&second_src, "nonce").unwrap();
        assert_ne!(first_nonce, second_nonce);
        assert!(consumed_once(&first_nonce).await);
        assert!(consumed_once(&second_nonce).await);
        assert_eq!(
            loads(&first_heard),
            [ReportRef::Id(first_id.parse().unwrap())]
        );
        assert_eq!(
            loads(&second_heard),
            [ReportRef::Id(second_id.parse().unwrap())]
        );
        // Each marks its own choice selected.
        assert_eq!(
            all(&first, "[aria-selected=true]")
                .iter()
                .map(|o| o.get_attribute("data-report-id").unwrap())
                .collect::<Vec<_>>(),
            [first_id]
        );
        assert_eq!(
            all(&second, "[aria-selected=true]")
                .iter()
                .map(|o| o.get_attribute("data-report-id").unwrap())
                .collect::<Vec<_>>(),
            [second_id]
        );
    }
}
