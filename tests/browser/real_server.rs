//! What a real CxReports (ASP.NET) and real host backends send: explicit
//! `null`s, unknown fields, rows the picker cannot show, paged lists, file
//! names beyond ASCII, and the reader's own time zone.
#![cfg(target_arch = "wasm32")]

use crate::common;

use std::cell::RefCell;
use std::rc::Rc;

use common::*;
use cxreports_contract::model::{Listing, Report};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn names_shown(host: &web_sys::Element) -> Vec<String> {
    find_all(host, ".cxr-option-name")
        .iter()
        .map(text)
        .collect()
}

/// A small deterministic generator (xorshift), so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A report as the contract's serde writes it.
fn random_report(rng: &mut Rng, id: i64) -> Report {
    let text = |rng: &mut Rng| -> String {
        let pool = ["", "Q3", "Zürich \"Q3\"", "<b>x</b>", "日本語", "a\u{0}b"];
        pool[rng.pick(pool.len() as u64) as usize].to_owned()
    };
    let maybe = |rng: &mut Rng| (rng.pick(2) == 0).then(|| text(rng));
    Report {
        id,
        name: text(rng),
        report_type_id: rng.pick(5) as i64,
        report_type_name: text(rng),
        report_template_name: text(rng),
        preview_image: maybe(rng),
        theme_name: maybe(rng),
        is_default: rng.pick(2) == 0,
    }
}

/// `row` as an ASP.NET server may write it: empty fields as `null` or left
/// out, and fields the contract does not know.
fn as_aspnet_writes(rng: &mut Rng, row: &Report) -> Value {
    let mut object = serde_json::to_value(row).unwrap();
    let fields = object.as_object_mut().unwrap();
    for (name, empty) in [
        ("reportTemplateName", json!("")),
        ("isDefault", json!(false)),
        ("previewImage", Value::Null),
        ("themeName", Value::Null),
    ] {
        let value = fields.get(name).cloned().unwrap_or(Value::Null);
        if value == empty {
            match rng.pick(2) {
                0 => fields.insert(name.to_owned(), Value::Null),
                _ => fields.remove(name),
            };
        }
    }
    fields.insert("$type".into(), json!("CxReports.Report, CxReports"));
    fields.insert("createdAt".into(), json!("2026-12-01T00:00:00Z"));
    fields.insert("tags".into(), json!([null, {"a": 1}]));
    object
}

#[wasm_bindgen_test]
fn nulls_and_unknown_fields_read_to_the_same_model_as_the_browser_parses_them() {
    let mut rng = Rng(0x5eed_cafe_f00d);
    for round in 0..300 {
        let rows: Vec<Report> = (0..rng.pick(6))
            .map(|i| random_report(&mut rng, i as i64 * 7 - 3))
            .collect();
        let written: Vec<Value> = rows.iter().map(|r| as_aspnet_writes(&mut rng, r)).collect();
        let text = Value::Array(written).to_string();
        let parsed = js_sys::JSON::parse(&text).unwrap();
        let read: Listing<Report> = serde_wasm_bindgen::from_value(parsed)
            .unwrap_or_else(|e| panic!("round {round}: {e}: {text}"));
        assert_eq!(read, Listing::from(rows), "round {round}: {text}");
    }
}

#[wasm_bindgen_test]
async fn a_list_with_nulls_and_unusable_rows_shows_every_usable_report() {
    login().await;
    let warnings = ConsoleWarnings::install();
    let list = json!([
        {"id": 1, "name": "Nulls everywhere", "reportTypeId": 1, "reportTypeName": "Sales",
         "reportTemplateName": null, "isDefault": null, "themeName": null, "previewImage": null},
        {"id": null, "name": "No id", "reportTypeId": 1, "reportTypeName": "Sales"},
        {"id": 3, "name": null, "reportTypeId": 1, "reportTypeName": "Sales"},
        {"id": 4, "name": "Unknown fields", "reportTypeId": 2, "reportTypeName": "Ops",
         "$type": "Report", "owner": {"id": 9}},
        "not a row"
    ]);
    let host = host();
    let events = Events::record(&host);
    let mut viewer = mount(
        &host,
        options(&[
            ("reportsUrl", JsValue::NULL),
            ("reports", js_sys::JSON::parse(&list.to_string()).unwrap()),
        ]),
    );
    until("the usable reports", || {
        (names_shown(&host).len() == 2).then_some(())
    })
    .await;
    assert_eq!(names_shown(&host), ["Nulls everywhere", "Unknown fields"]);
    assert_eq!(events.count("cxreports:error"), 0);
    let warned = warnings.take();
    assert!(
        warned.iter().any(|w| w.contains("3 row(s)")),
        "a console warning counts the skipped rows: {warned:?}"
    );
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn the_picker_lists_every_page_of_a_server_that_pages_and_writes_nulls() {
    // scripts/test.sh starts the simulator as an ASP.NET CxReports may
    // behave (a default page size of 5 when no `limit` is given, explicit
    // nulls for empty fields) and the backend with pages of 4.
    login().await;
    let (host, events, mut viewer) = mounted(&[]);
    let expected = get_json(&format!("{}/api/cxreports/reports", backend())).await;
    let expected: Vec<String> = expected
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    until("the whole list", || {
        (names_shown(&host).len() == expected.len()).then_some(())
    })
    .await;
    let mut shown = names_shown(&host);
    let mut wanted = expected.clone();
    shown.sort();
    wanted.sort();
    assert_eq!(shown, wanted);
    assert_eq!(events.count("cxreports:error"), 0);

    // The list came to the backend in pages larger than the server's default.
    let log = sim_events().await;
    let pages: Vec<&Value> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"].as_str().is_some_and(|p| p.ends_with("/reports")))
        .collect();
    assert!(!pages.is_empty(), "{log}");
    assert!(
        pages
            .iter()
            .all(|r| r["query"].as_str().is_some_and(|q| q.contains("limit="))),
        "every list call names its page size: {pages:?}"
    );
    // scripts/test.sh gives the backend pages smaller than the catalogue.
    assert!(
        pages
            .iter()
            .any(|r| r["query"].as_str().is_some_and(|q| q.contains("offset=4&"))),
        "the list was walked past its first page: {pages:?}"
    );
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn dates_render_in_the_readers_time_zone_unless_turned_off() {
    login().await;
    let zone = js_sys::Reflect::get(
        &js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
            .resolved_options(),
        &"timeZone".into(),
    )
    .unwrap()
    .as_string()
    .unwrap();
    // scripts/test.sh starts the browser in a zone other than the machine's.
    if let Some(expected) = setting("CXR_EXPECT_TZ") {
        assert_eq!(zone, expected);
    }
    for (option, expected) in [
        (JsValue::UNDEFINED, Some(zone.clone())),
        ("auto".into(), Some(zone.clone())),
        (JsValue::FALSE, None),
        ("none".into(), None),
        (
            "America/Sao_Paulo".into(),
            Some("America/Sao_Paulo".to_owned()),
        ),
    ] {
        let (host, events, mut viewer) =
            mounted(&[("report", 101.into()), ("timezone", option.clone())]);
        loaded(&events, 1).await;
        let src = frame_src(&host).unwrap();
        assert_eq!(query_param(&src, "timezone"), expected, "{option:?}: {src}");
        // And the viewer shows it.
        let frame: web_sys::HtmlIFrameElement = find(&host, "iframe").unwrap().dyn_into().unwrap();
        if let Some(doc) = frame.content_document() {
            let shown = doc
                .query_selector("#timezone")
                .ok()
                .flatten()
                .map(|e| text(&e));
            assert_eq!(shown, Some(expected.clone().unwrap_or("(none)".into())));
        }
        viewer.destroy();
    }
}

#[wasm_bindgen_test]
async fn a_pat_cxreports_refuses_with_a_redirect_to_sign_in_is_named_as_such() {
    // That backend's PAT is unknown to the simulator, which answers API
    // calls without a valid PAT with a 302 to its HTML sign-in page.
    login_at(wrong_pat_backend()).await;
    let (host, events, mut viewer) = mounted(&[
        (
            "reportsUrl",
            format!("{}/api/cxreports/reports", wrong_pat_backend()).into(),
        ),
        (
            "nonceUrl",
            format!("{}/api/cxreports/nonce", wrong_pat_backend()).into(),
        ),
        ("prefetchNonce", JsValue::FALSE),
    ]);
    let alert = until("the list error", || find(&host, ".cxr-side .cxr-error")).await;
    let message = text(&alert);
    assert!(
        message.contains("refused the backend's PAT") && message.contains("CXREPORTS_PAT"),
        "{message}"
    );
    assert!(!message.contains("CXREPORTS_URL"), "{message}");
    assert!(!message.contains(pat()), "{message}");
    assert_eq!(
        events.last("cxreports:error", "stage").as_deref(),
        Some("reports")
    );
    viewer.destroy();
}

/// Records what the page downloads through `<a download>` (and stops the
/// download itself).
struct Downloads {
    names: Rc<RefCell<Vec<String>>>,
    _listener: Closure<dyn FnMut(web_sys::Event)>,
}

impl Downloads {
    fn watch() -> Self {
        let names: Rc<RefCell<Vec<String>>> = Rc::default();
        let store = names.clone();
        let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
            let target = e.composed_path().get(0);
            if let Some(anchor) = target.dyn_ref::<web_sys::HtmlAnchorElement>() {
                if anchor.has_attribute("download") {
                    store.borrow_mut().push(anchor.download());
                    e.prevent_default();
                }
            }
        });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_capture(true);
        web_sys::window()
            .unwrap()
            .add_event_listener_with_callback_and_add_event_listener_options(
                "click",
                listener.as_ref().unchecked_ref(),
                &options,
            )
            .unwrap();
        Downloads {
            names,
            _listener: listener,
        }
    }
}

impl Drop for Downloads {
    fn drop(&mut self) {
        let _ = web_sys::window()
            .unwrap()
            .remove_event_listener_with_callback_and_bool(
                "click",
                self._listener.as_ref().unchecked_ref(),
                true,
            );
    }
}

#[wasm_bindgen_test]
async fn the_pdf_is_saved_under_the_name_cxreports_gives_it() {
    login().await;
    let list = get_json(&format!("{}/api/cxreports/reports", backend())).await;
    let report = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["name"]
                .as_str()
                .is_some_and(|n| !n.is_ascii() && !n.contains('/'))
        })
        .expect("the simulator has a report with a name beyond ASCII")
        .clone();
    let name = report["name"].as_str().unwrap().to_owned();
    let downloads = Downloads::watch();
    let (host, events, mut viewer) = mounted(&[
        ("report", JsValue::from_f64(report["id"].as_f64().unwrap())),
        (
            "pdfUrl",
            format!("{}/api/cxreports/reports", backend()).into(),
        ),
    ]);
    loaded(&events, 1).await;
    let button = until("the PDF button", || {
        find(&host, "button[title='Download the report as PDF']")
    })
    .await;
    click(&button);
    let saved = until("the download", || downloads.names.borrow().first().cloned()).await;
    let unsafe_chars = |c: char| "/\\\":*?<>|".contains(c);
    let expected: String = name.chars().filter(|c| !unsafe_chars(*c)).collect();
    assert!(
        saved.starts_with(&expected) && saved.ends_with(".pdf"),
        "saved as {saved:?}, the report is {name:?}"
    );
    viewer.destroy();
}

/// Counts window messages whose data is `text`, from the CxReports origin.
struct FrameMessages {
    seen: Rc<RefCell<usize>>,
    _listener: gloo_events::EventListener,
}

impl FrameMessages {
    fn watch(text: &'static str) -> Self {
        let seen: Rc<RefCell<usize>> = Rc::default();
        let store = seen.clone();
        let window = web_sys::window().unwrap();
        let listener = gloo_events::EventListener::new(&window, "message", move |e| {
            let e: &web_sys::MessageEvent = e.unchecked_ref();
            if e.origin() == sim() && e.data().as_string().as_deref() == Some(text) {
                *store.borrow_mut() += 1;
            }
        });
        FrameMessages {
            seen,
            _listener: listener,
        }
    }

    fn count(&self) -> usize {
        *self.seen.borrow()
    }
}

#[wasm_bindgen_test]
async fn print_is_carried_out_by_the_viewer_itself_without_an_error() {
    login().await;
    post_json(
        &format!("{}/__sim/viewer-print", sim()),
        &json!({"mode": "self"}),
    )
    .await;
    let printed = FrameMessages::watch("printed");
    let asked = FrameMessages::watch("print");
    let (host, events, mut viewer) = mounted(&[("report", 101.into())]);
    loaded(&events, 1).await;
    let button = find(&host, "button[title='Print the report']").unwrap();
    click(&button);
    until("the viewer printed", || {
        (printed.count() == 1).then_some(())
    })
    .await;
    // Nothing more arrives: no request to the page to print, no error.
    sleep(300).await;
    assert_eq!(asked.count(), 0);
    assert_eq!(events.count("cxreports:error"), 0, "{:?}", events.names());
    assert!(find(&host, ".cxr-error").is_none());
    viewer.destroy();
}

/// Records `console.warn` lines while it lives.
struct ConsoleWarnings(JsValue);

impl ConsoleWarnings {
    fn install() -> Self {
        let spy = js_sys::Function::new_no_args(
            "const real = console.warn; const lines = [];
             console.warn = function (...args) { lines.push(args.join(' ')); return real.apply(this, args); };
             return { lines, restore() { console.warn = real; } };",
        )
        .call0(&JsValue::NULL)
        .unwrap();
        ConsoleWarnings(spy)
    }

    fn take(&self) -> Vec<String> {
        let lines: js_sys::Array = js_sys::Reflect::get(&self.0, &"lines".into())
            .unwrap()
            .unchecked_into();
        lines.iter().filter_map(|l| l.as_string()).collect()
    }
}

impl Drop for ConsoleWarnings {
    fn drop(&mut self) {
        let restore: js_sys::Function = js_sys::Reflect::get(&self.0, &"restore".into())
            .unwrap()
            .unchecked_into();
        let _ = restore.call0(&self.0);
    }
}
