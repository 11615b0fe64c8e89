//! Races and lifecycle: many rapid switches with random latencies end on the
//! last choice and never apply a stale `src`; destroying the widget during
//! any in-flight stage leaves nothing behind and sends nothing more.
#![cfg(target_arch = "wasm32")]

use crate::common;

use common::*;
use serde_json::json;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A `fetchNonce` that asks the backend after a random delay of up to `max_ms`.
fn random_latency_nonce(max_ms: u32) -> js_sys::Function {
    let url = js_string(&format!("{}/api/cxreports/nonce", backend()));
    js_sys::Function::new_no_args(&format!(
        "return new Promise(r => setTimeout(r, Math.random() * {max_ms}))
           .then(() => fetch({url}, {{method: 'POST', credentials: 'include', headers: {{'X-Requested-With': 'race-test'}}}}))
           .then(r => r.json()).then(j => j.nonce)"
    ))
}

fn report_in(src: &str) -> Option<String> {
    let path = web_sys::Url::new(src).ok()?.pathname();
    path.split('/').nth(4).map(str::to_owned)
}

async fn hundred_switches(prefetch: bool) {
    login().await;
    let (host, events, mut viewer) = mounted(&[
        ("nonceUrl", JsValue::NULL),
        ("fetchNonce", random_latency_nonce(60).into()),
        ("prefetchNonce", prefetch.into()),
    ]);
    let shown = until("the list", || {
        let o = find_all(&host, "[role=option]");
        (o.len() > 3).then_some(o)
    })
    .await;
    let ids: Vec<String> = shown
        .iter()
        .map(|o| o.get_attribute("data-report-id").unwrap())
        .collect();

    // choices[k] is the k-th choice. Each src seen must show a choice made
    // at or after the one the previous src showed: never an older one. A
    // report chosen twice is matched to its earliest occurrence still
    // allowed, since the src may show either (several clicks can be queued
    // between two looks at the DOM).
    let mut choices: Vec<String> = Vec::new();
    let mut last_seen = 0usize;
    let mut observed = 0;
    let check = |choices: &Vec<String>, last_seen: &mut usize, observed: &mut usize| {
        if let Some(report) = frame_src(&host).and_then(|s| report_in(&s)) {
            let at = (*last_seen..choices.len())
                .find(|&k| choices[k] == report)
                .unwrap_or_else(|| {
                    panic!("stale src: {report} is not a choice made at or after #{last_seen}; choices: {choices:?}")
                });
            *last_seen = at;
            *observed += 1;
        }
    };
    for i in 0..100 {
        let pick = (js_sys::Math::random() * ids.len() as f64) as usize % ids.len();
        choices.push(ids[pick].clone());
        click(&shown[pick]);
        if i % 5 == 0 {
            sleep((js_sys::Math::random() * 40.0) as u32).await;
        }
        check(&choices, &mut last_seen, &mut observed);
    }
    let last = choices.last().unwrap().clone();
    until("the last choice shows", || {
        let src = frame_src(&host)?;
        (report_in(&src)? == last && events.last("cxreports:load", "report")? == last).then_some(())
    })
    .await;
    // Answers still in flight must not move it afterwards.
    sleep(300).await;
    assert_eq!(report_in(&frame_src(&host).unwrap()).unwrap(), last);
    assert_eq!(events.last("cxreports:select", "report").unwrap(), last);
    assert_eq!(events.count("cxreports:error"), 0);
    assert!(observed > 0);
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn a_hundred_rapid_switches_end_on_the_last_choice_with_prefetch() {
    hundred_switches(true).await;
}

#[wasm_bindgen_test]
async fn a_hundred_rapid_switches_end_on_the_last_choice_without_prefetch() {
    hundred_switches(false).await;
}

async fn request_count() -> usize {
    sim_events().await["requests"].as_array().unwrap().len()
}

/// Destroys a widget while `stage` is in flight, then checks nothing is left
/// and nothing more happens.
async fn destroy_during(stage: &str, backend_path: Option<&str>, sim_path: Option<&str>) {
    login().await;
    clear_faults().await;
    // The stage's request is held at its server until the faults are
    // cleared: in flight for certain when the widget is destroyed.
    let hold = |path: &str| json!({"path": path, "kind": "hold", "times": 1});
    if let Some(path) = backend_path {
        fault(path, hold(path)).await;
    }
    if let Some(path) = sim_path {
        post_json(&format!("{}/__faults", sim()), &hold(path)).await;
    }
    let (host, events, mut viewer) = mounted(&[("report", JsValue::from_f64(101.0))]);
    faults_taken(backend()).await;
    faults_taken(sim()).await;
    // Whatever finished before the destroy may have been announced; nothing after.
    let (errors, loads) = (
        events.count("cxreports:error"),
        events.count("cxreports:load"),
    );
    viewer.destroy();
    let shadow = shadow(&host);
    assert_eq!(shadow.child_element_count(), 0, "{stage}: no DOM left");
    assert_eq!(
        shadow.adopted_style_sheets().length(),
        0,
        "{stage}: no styles left"
    );
    // Let every held answer go and arrive; none may be applied or start more.
    clear_faults().await;
    fetch_delete(&format!("{}/__faults", sim())).await;
    sleep(800).await;
    let before = request_count().await;
    sleep(400).await;
    assert_eq!(
        request_count().await,
        before,
        "{stage}: no request after destroy"
    );
    assert_eq!(
        shadow.child_element_count(),
        0,
        "{stage}: nothing re-rendered"
    );
    assert_eq!(
        events.count("cxreports:error"),
        errors,
        "{stage}: no error after destroy"
    );
    assert_eq!(
        events.count("cxreports:load"),
        loads,
        "{stage}: no load after destroy"
    );
    clear_faults().await;
    let _ = fetch_delete(&format!("{}/__faults", sim())).await;
}

async fn fetch_delete(url: &str) {
    let init = web_sys::RequestInit::new();
    init.set_method("DELETE");
    let _ = wasm_bindgen_futures::JsFuture::from(
        web_sys::window()
            .unwrap()
            .fetch_with_str_and_init(url, &init),
    )
    .await;
}

#[wasm_bindgen_test]
async fn destroy_while_the_list_loads() {
    destroy_during("list", Some("/api/cxreports/reports"), None).await;
}

#[wasm_bindgen_test]
async fn destroy_while_the_nonce_loads() {
    destroy_during("nonce", Some("/api/cxreports/nonce"), None).await;
}

#[wasm_bindgen_test]
async fn destroy_while_the_iframe_loads() {
    destroy_during("iframe", None, Some("/ws/")).await;
}

#[wasm_bindgen_test]
async fn destroy_during_retry_backoff_clears_its_timer() {
    login().await;
    clear_faults().await;
    // Every attempt the widget may make fails; the fault counts them down.
    fault(
        "/api/cxreports/nonce",
        json!({"kind": "status", "status": 503, "times": 6}),
    )
    .await;
    let attempts_left = || async {
        active_faults(backend())
            .await
            .first()
            .and_then(|f| f["times"].as_u64())
            .unwrap_or(0)
    };
    let (_host, events, mut viewer) = mounted(&[
        ("report", JsValue::from_f64(101.0)),
        ("retries", JsValue::from_f64(5.0)),
    ]);
    // The first attempt failed; a backoff timer is waiting.
    for _ in 0..750 {
        if attempts_left().await < 6 {
            break;
        }
        sleep(20).await;
    }
    assert!(attempts_left().await < 6, "the first attempt never came");
    viewer.destroy();
    let before = attempts_left().await;
    sleep(2500).await; // longer than the next backoffs would wait
    assert_eq!(attempts_left().await, before, "no retry after destroy");
    clear_faults().await;
    assert_eq!(events.count("cxreports:error"), 0);
}
