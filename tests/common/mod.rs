//! Helpers for the browser tests: the addresses of the real servers the test
//! command started (read at run time), fresh host elements, waiting on what
//! a user would see, and the simulator's and backend's test endpoints.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::OnceLock;
use std::time::Duration;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement, ShadowRoot};

/// The name of the WebAssembly custom section holding the run's settings.
const SETTINGS_SECTION: &str = "cxr-servers";

/// The run's settings: every `CXR_*` variable of the environment the tests
/// were started in (the servers' addresses, the PAT, the expected time
/// zone). Chromium sees no environment, so the cargo runner for wasm32
/// (scripts/browser-test-runner.py) appends them to a copy of the test binary
/// as a custom section, read back here from the running module. Nothing is
/// compiled in: servers on other ports rebuild nothing.
fn settings() -> &'static serde_json::Map<String, serde_json::Value> {
    static SETTINGS: OnceLock<serde_json::Map<String, serde_json::Value>> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        let module: js_sys::WebAssembly::Module = wasm_bindgen::module().unchecked_into();
        let sections = js_sys::WebAssembly::Module::custom_sections(&module, SETTINGS_SECTION);
        // The runner appends; should there be more than one, the last wins.
        match sections.iter().last() {
            Some(section) => serde_json::from_slice(&js_sys::Uint8Array::new(&section).to_vec())
                .unwrap_or_else(|e| {
                    panic!("the {SETTINGS_SECTION} section is not a JSON object: {e}")
                }),
            None => serde_json::Map::new(),
        }
    })
}

/// The setting `name` (a `CXR_*` variable), if the run has it.
pub fn setting(name: &str) -> Option<&'static str> {
    settings().get(name)?.as_str()
}

/// A setting the browser tests cannot run without.
fn server_env(name: &str) -> &'static str {
    setting(name).unwrap_or_else(|| {
        panic!(
            "{name} is not set: run the browser tests through `scripts/test.sh browser`, \
             or with the `export` lines of a running `scripts/servers.sh` in the environment"
        )
    })
}

/// The simulator (the CxReports origin).
pub fn sim() -> &'static str {
    server_env("CXR_SIM_URL")
}
/// The reference backend (the host application's backend).
pub fn backend() -> &'static str {
    server_env("CXR_BACKEND_URL")
}
/// A reference backend whose PAT CxReports refuses.
pub fn wrong_pat_backend() -> &'static str {
    server_env("CXR_WRONG_PAT_BACKEND_URL")
}
/// A plain static server for the drop-in host pages.
pub fn static_site() -> &'static str {
    server_env("CXR_STATIC_URL")
}
/// A static server that passes `/api/cxreports/` and `/auth/` on to the
/// backend: host pages on the backend's own origin.
pub fn host_site() -> &'static str {
    server_env("CXR_HOST_URL")
}
/// A second static server: the widget bundle served from another origin, as from a CDN.
pub fn cdn() -> &'static str {
    server_env("CXR_CDN_URL")
}
/// The PAT the servers were started with (for leak checks only).
pub fn pat() -> &'static str {
    server_env("CXR_TEST_PAT")
}

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A new empty element for one widget, at the top of the page and the page
/// scrolled to it: in view, as a user would have it, whatever earlier tests
/// left below it or scrolled to.
pub fn host() -> Element {
    let el = document().create_element("div").unwrap();
    document().body().unwrap().prepend_with_node_1(&el).unwrap();
    web_sys::window().unwrap().scroll_to_with_x_and_y(0.0, 0.0);
    el
}

pub async fn sleep(ms: u32) {
    yew::platform::time::sleep(Duration::from_millis(ms as u64)).await;
}

/// Waits until `f` gives `Some`, up to 15 s, then fails naming `what`.
pub async fn until<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    for _ in 0..750 {
        if let Some(v) = f() {
            return v;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for: {what}");
}

pub fn shadow(host: &Element) -> ShadowRoot {
    host.shadow_root()
        .expect("the widget renders into a shadow root")
}

pub fn find(host: &Element, selector: &str) -> Option<Element> {
    host.shadow_root()?.query_selector(selector).ok()?
}

pub fn find_all(host: &Element, selector: &str) -> Vec<Element> {
    let Some(root) = host.shadow_root() else {
        return vec![];
    };
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into().ok())
        .collect()
}

pub fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

pub fn click(el: &Element) {
    el.dyn_ref::<HtmlElement>().unwrap().click();
}

/// The iframe `src`, once set.
pub fn frame_src(host: &Element) -> Option<String> {
    find(host, "iframe")?.get_attribute("src")
}

/// Query value `key` of a URL.
pub fn query_param(url: &str, key: &str) -> Option<String> {
    let url = web_sys::Url::new(url).ok()?;
    url.search_params().get(key)
}

/// Records every `fetch` the page makes while it lives (the original is put
/// back on drop): each call's URL, and whether `host`'s widget had rendered
/// by then.
pub struct FetchSpy(JsValue);

impl FetchSpy {
    pub fn install(host: &Element) -> Self {
        let spy = js_sys::Function::new_with_args(
            "host",
            "const real = window.fetch; const calls = [];
             window.fetch = function (url, init) {
               calls.push({ url: url instanceof Request ? url.url : String(url), rendered: !!host.shadowRoot?.querySelector('.cxr') });
               return real.call(this, url, init);
             };
             return { calls, restore() { window.fetch = real; } };",
        )
        .call1(&JsValue::NULL, host)
        .unwrap();
        FetchSpy(spy)
    }

    /// The calls so far: URL, and whether the widget had rendered.
    pub fn calls(&self) -> Vec<(String, bool)> {
        js_sys::Array::from(&js_sys::Reflect::get(&self.0, &"calls".into()).unwrap())
            .iter()
            .map(|c| {
                let url = js_sys::Reflect::get(&c, &"url".into()).unwrap();
                let rendered = js_sys::Reflect::get(&c, &"rendered".into()).unwrap();
                (url.as_string().unwrap(), rendered.is_truthy())
            })
            .collect()
    }

    /// The calls so far to the host backend's widget endpoints.
    pub fn widget_calls(&self) -> Vec<String> {
        self.calls()
            .into_iter()
            .map(|(url, _)| url)
            .filter(|url| url.contains("/api/cxreports/"))
            .collect()
    }
}

impl Drop for FetchSpy {
    fn drop(&mut self) {
        if let Ok(restore) = js_sys::Reflect::get(&self.0, &"restore".into()) {
            let _ = restore.unchecked_into::<js_sys::Function>().call0(&self.0);
        }
    }
}

/// Events the widget dispatched on its host element, in order.
#[derive(Clone, Default)]
pub struct Events(Rc<RefCell<Vec<(String, JsValue)>>>);

impl Events {
    pub fn record(host: &Element) -> Self {
        let events = Events::default();
        for name in [
            "cxreports:ready",
            "cxreports:select",
            "cxreports:load",
            "cxreports:reopen",
            "cxreports:error",
            "cxreports:warning",
        ] {
            let store = events.0.clone();
            let cb =
                Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
                    store.borrow_mut().push((e.type_(), e.detail()));
                });
            host.add_event_listener_with_callback(name, cb.as_ref().unchecked_ref())
                .unwrap();
            cb.forget();
        }
        events
    }
    pub fn names(&self) -> Vec<String> {
        self.0.borrow().iter().map(|(n, _)| n.clone()).collect()
    }
    pub fn count(&self, name: &str) -> usize {
        self.0.borrow().iter().filter(|(n, _)| n == name).count()
    }
    /// `detail[key]` of the last event named `name`, as a string.
    pub fn last(&self, name: &str, key: &str) -> Option<String> {
        let events = self.0.borrow();
        let (_, detail) = events.iter().rev().find(|(n, _)| n == name)?;
        let v = js_sys::Reflect::get(detail, &key.into()).ok()?;
        v.as_string().or_else(|| v.as_f64().map(|n| n.to_string()))
    }
}

pub fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&o, &(*k).into(), v).unwrap();
    }
    o.into()
}

/// Options for a widget against the test backend, plus `extra`.
pub fn options(extra: &[(&str, JsValue)]) -> JsValue {
    let mut pairs: Vec<(&str, JsValue)> = vec![
        ("cxreportsUrl", sim().into()),
        ("workspace", "sales".into()),
        (
            "nonceUrl",
            format!("{}/api/cxreports/nonce", backend()).into(),
        ),
        (
            "reportsUrl",
            format!("{}/api/cxreports/reports", backend()).into(),
        ),
        ("credentials", "include".into()),
        ("retries", JsValue::from_f64(0.0)),
    ];
    for (k, v) in extra {
        pairs.retain(|(p, _)| p != k);
        pairs.push((k, v.clone()));
    }
    obj(&pairs)
}

async fn fetch(url: &str, method: &str, body: Option<&str>) -> (u16, String) {
    // The test-control endpoints (/__sim, /__faults) are open to any origin,
    // so they take no cookies and no custom headers; the host endpoints need both.
    let control = url.contains("/__");
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().unwrap();
    if !control {
        init.set_credentials(web_sys::RequestCredentials::Include);
        headers
            .set("X-Requested-With", "cxreports-widget-tests")
            .unwrap();
    }
    if let Some(body) = body {
        headers.set("Content-Type", "application/json").unwrap();
        init.set_body(&body.into());
    }
    init.set_headers(&headers);
    let window = web_sys::window().unwrap();
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .unwrap_or_else(|e| panic!("{method} {url}: {e:?}"))
        .dyn_into()
        .unwrap();
    let text = JsFuture::from(resp.text().unwrap())
        .await
        .unwrap()
        .as_string()
        .unwrap_or_default();
    (resp.status(), text)
}

pub async fn get_json(url: &str) -> serde_json::Value {
    let (status, body) = fetch(url, "GET", None).await;
    assert!(status < 400, "GET {url}: {status} {body}");
    serde_json::from_str(&body).unwrap()
}

/// Signs in to the host backend (its demo session), as the host page's user.
pub async fn login() {
    login_at(backend()).await;
}

/// Signs in to the backend at `base`.
pub async fn login_at(base: &str) {
    let (status, body) = fetch(
        &format!("{base}/auth/login"),
        "POST",
        Some(r#"{"user":"browser-test"}"#),
    )
    .await;
    assert!(status < 300, "login: {status} {body}");
}

/// Makes the backend misbehave on `path` (see the simulator's fault kinds).
pub async fn fault(path: &str, spec: serde_json::Value) {
    let mut spec = spec;
    spec["path"] = path.into();
    let (status, body) = fetch(
        &format!("{}/__faults", backend()),
        "POST",
        Some(&spec.to_string()),
    )
    .await;
    assert!(status < 300, "fault: {status} {body}");
}

/// The faults still active on the server at `base` (its `GET /__faults`),
/// each with the uses it has `times` left.
pub async fn active_faults(base: &str) -> Vec<serde_json::Value> {
    match get_json(&format!("{base}/__faults")).await {
        serde_json::Value::Array(faults) => faults,
        other => panic!("GET {base}/__faults: not a list: {other}"),
    }
}

/// Waits until every fault on the server at `base` has been used up: a
/// `times: 1` fault has met its request, which a `hold` then keeps waiting.
pub async fn faults_taken(base: &str) {
    for _ in 0..750 {
        if active_faults(base).await.is_empty() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for the faults at {base} to meet their requests");
}

pub async fn clear_faults() {
    fetch(&format!("{}/__faults", backend()), "DELETE", None).await;
}

/// What the simulator saw.
pub async fn sim_events() -> serde_json::Value {
    get_json(&format!("{}/__sim/events", sim())).await
}

/// Whether the simulator saw `nonce` consumed exactly once and never refused.
pub async fn consumed_once(nonce: &str) -> bool {
    let events = sim_events().await;
    let count = |key: &str| {
        events[key].as_array().map_or(0, |a| {
            a.iter().filter(|n| n.as_str() == Some(nonce)).count()
        })
    };
    count("noncesConsumed") == 1 && count("noncesRejected") == 0
}

/// A fresh host element, its `cxreports:*` events recorded, and a widget
/// mounted in it with [`options`]`(extra)`.
pub fn mounted(extra: &[(&str, JsValue)]) -> (Element, Events, cxreports_widget::ViewerHandle) {
    let host = host();
    let events = Events::record(&host);
    let viewer = mount(&host, options(extra));
    (host, events, viewer)
}

pub fn mount(host: &Element, options: JsValue) -> cxreports_widget::ViewerHandle {
    cxreports_widget::mount(host.clone().into(), options)
        .map_err(JsValue::from)
        .expect("mount")
}

/// POSTs JSON to a test-control endpoint.
pub async fn post_json(url: &str, body: &serde_json::Value) {
    let (status, text) = fetch(url, "POST", Some(&body.to_string())).await;
    assert!(status < 300, "POST {url}: {status} {text}");
}

/// A host page loaded in an iframe of the test page, and the messages it
/// posts (`{source, kind, detail}`) from `source`: only those its own frame
/// posts, never another window's.
pub struct HostPage {
    frame: Element,
    seen: Rc<RefCell<Vec<serde_json::Value>>>,
    listener: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl HostPage {
    pub fn open(url: &str, source: &'static str) -> Self {
        let seen: Rc<RefCell<Vec<serde_json::Value>>> = Rc::default();
        let store = seen.clone();
        let frame = document().create_element("iframe").unwrap();
        let own = frame.clone().unchecked_into::<web_sys::HtmlIFrameElement>();
        let listener =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let from_this_page = match (e.source(), own.content_window()) {
                    (Some(sender), Some(window)) => js_sys::Object::is(&sender, &window),
                    _ => false,
                };
                if !from_this_page {
                    return;
                }
                let text = js_sys::JSON::stringify(&e.data())
                    .ok()
                    .and_then(|s| s.as_string())
                    .unwrap_or_default();
                if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
                    if value["source"] == source {
                        store.borrow_mut().push(value);
                    }
                }
            });
        web_sys::window()
            .unwrap()
            .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref())
            .unwrap();
        frame.set_attribute("src", url).unwrap();
        frame
            .set_attribute("style", "width: 1000px; height: 700px")
            .unwrap();
        document().body().unwrap().append_child(&frame).unwrap();
        HostPage {
            frame,
            seen,
            listener,
        }
    }

    /// The first message of `kind`, if any yet.
    pub fn first(&self, kind: &str) -> Option<serde_json::Value> {
        self.seen
            .borrow()
            .iter()
            .find(|m| m["kind"] == kind)
            .cloned()
    }

    /// Every message of `kind` so far.
    pub fn all(&self, kind: &str) -> Vec<serde_json::Value> {
        self.seen
            .borrow()
            .iter()
            .filter(|m| m["kind"] == kind)
            .cloned()
            .collect()
    }

    pub fn messages(&self) -> Vec<serde_json::Value> {
        self.seen.borrow().clone()
    }
}

impl Drop for HostPage {
    fn drop(&mut self) {
        let _ = web_sys::window()
            .unwrap()
            .remove_event_listener_with_callback("message", self.listener.as_ref().unchecked_ref());
        self.frame.remove();
    }
}

/// Waits until the widget has announced `n` report loads.
pub async fn loaded(events: &Events, n: usize) {
    until("cxreports:load", || {
        (events.count("cxreports:load") >= n).then_some(())
    })
    .await;
}

/// A shipped catalog as its module holds it (`export default {…};`).
pub fn catalog_module(text: &str) -> serde_json::Value {
    let json = text
        .strip_prefix("export default ")
        .and_then(|t| t.trim_end().strip_suffix(';'))
        .expect("a catalog module");
    serde_json::from_str(json).unwrap()
}

/// `text` as a JS string literal (JSON's quoting: Rust's `Debug` quoting is
/// not JS, and prints nothing in a `-Zfmt-debug=none` build).
pub fn js_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// Loads catalogs as the loader does, by importing `<base><tag>.js`.
pub fn load_catalogs_from(base: &str) {
    let load = js_sys::Function::new_with_args(
        "tag",
        &format!(
            "return import({} + tag + '.js').then((m) => m.default)",
            js_string(base)
        ),
    );
    cxreports_widget::i18n::set_catalog_loader(load);
}
