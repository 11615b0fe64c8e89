//! The page's history and the viewer's session: switching, refreshing and
//! new parameters leave the host page's history alone, so Back is the host
//! page's; a session older than `sessionMaxAgeMs` is renewed when the page
//! comes back (visible again, restored, online); a navigation that failed
//! or was made offline is opened again once online.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use crate::common;

use common::*;
use serde_json::json;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn history() -> web_sys::History {
    web_sys::window().unwrap().history().unwrap()
}

/// Viewer page requests the simulator saw, with their status.
async fn viewer_requests() -> Vec<(String, u64)> {
    let events = sim_events().await;
    events["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"].as_str().is_some_and(|p| p.ends_with("/preview")))
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_owned(),
                r["status"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn nonce_of(host: &web_sys::Element) -> String {
    query_param(&frame_src(host).unwrap(), "nonce").unwrap()
}

/// Dispatches `event` (JS constructing it) on `target`.
fn dispatch(target: &str, event: &str) {
    js_sys::Function::new_no_args(&format!("{target}.dispatchEvent({event})"))
        .call0(&JsValue::NULL)
        .unwrap();
}

fn page_becomes_visible() {
    dispatch("document", "new Event('visibilitychange')");
}

#[wasm_bindgen_test]
async fn switching_refreshing_and_new_params_leave_the_page_history_alone() {
    login().await;
    // Every navigation waits for its own nonce, so a failed one can be retried.
    let (host, events, mut viewer) = mounted(&[
        ("report", JsValue::from_f64(101.0)),
        ("prefetchNonce", JsValue::FALSE),
    ]);
    loaded(&events, 1).await;
    // The host app's own entry, as a router makes one.
    history()
        .push_state(&JsValue::from_str("host-entry"), "")
        .unwrap();
    let length = history().length().unwrap();

    for (n, report) in [102.0, 103.0, 101.0].into_iter().enumerate() {
        viewer.select(JsValue::from_f64(report)).unwrap();
        loaded(&events, n + 2).await;
        assert_eq!(
            history().length().unwrap(),
            length,
            "after switching to {report}"
        );
    }
    viewer.refresh();
    loaded(&events, 5).await;
    assert_eq!(history().length().unwrap(), length, "after refresh()");
    viewer
        .set_params(JsValue::from_str(r#"{"year": 2024}"#))
        .unwrap();
    loaded(&events, 6).await;
    assert_eq!(history().length().unwrap(), length, "after setParams()");
    // The reader's Retry after a failed nonce adds none either.
    fault(
        "/api/cxreports/nonce",
        json!({"kind": "status", "status": 503, "times": 1}),
    )
    .await;
    viewer.refresh();
    let retry = until("the Retry button", || {
        find(&host, ".cxr-overlay .cxr-button")
    })
    .await;
    click(&retry);
    loaded(&events, 7).await;
    assert_eq!(history().length().unwrap(), length, "after Retry");
    let src = frame_src(&host).unwrap();
    let before = viewer_requests().await.len();

    // Back leaves the host app's entry: the page hears it, and the frame
    // is neither walked back nor asked for its viewer page again.
    let popped = Rc::new(Cell::new(false));
    let seen = popped.clone();
    let on_pop = Closure::<dyn FnMut()>::new(move || seen.set(true));
    web_sys::window()
        .unwrap()
        .add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref())
        .unwrap();
    history().back().unwrap();
    until("Back to reach the host page's entry", || {
        popped.get().then_some(())
    })
    .await;
    web_sys::window()
        .unwrap()
        .remove_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref())
        .unwrap();
    assert_eq!(history().state().unwrap(), JsValue::NULL);
    assert_eq!(frame_src(&host).unwrap(), src);
    assert_eq!(find_all(&host, "iframe").len(), 1);
    assert_eq!(viewer_requests().await.len(), before);
    assert_eq!(events.count("cxreports:load"), 7);
    assert_eq!(events.count("cxreports:reopen"), 0);
    viewer.destroy();
}

/// A frame loads its `src` again when the page moves it (a framework
/// reordering a dashboard does): that address must be the report shown, not
/// the first one, so every navigation gives the frame its own `src` rather
/// than steering the frame already there.
#[wasm_bindgen_test]
async fn a_frame_the_page_moves_shows_the_report_it_showed() {
    login().await;
    let (host, events, mut viewer) = mounted(&[("report", JsValue::from_f64(101.0))]);
    loaded(&events, 1).await;
    viewer.select(JsValue::from_f64(102.0)).unwrap();
    loaded(&events, 2).await;
    let before = viewer_requests().await.len();

    // Moved to the end of its parent: the frame inside is loaded again.
    let parent = host.parent_node().unwrap();
    parent.append_child(&host).unwrap();
    let mut again = Vec::new();
    for _ in 0..250 {
        again = viewer_requests().await;
        if again.len() > before {
            break;
        }
        sleep(20).await;
    }
    let (path, _) = again
        .get(before)
        .cloned()
        .expect("the moved frame to request its viewer page again");
    assert!(
        path.contains("/reports/102/"),
        "the moved frame asked for {path}, not report 102"
    );
    assert_eq!(find_all(&host, "iframe").len(), 1);
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn a_stale_session_is_renewed_when_the_page_comes_back() {
    login().await;
    // Every session counts as stale at once: the test needs no waiting.
    let (stale, stale_events, mut stale_viewer) = mounted(&[
        ("report", JsValue::from_f64(101.0)),
        ("params", JsValue::from_str(r#"{"year": 2023}"#)),
        ("sessionMaxAgeMs", JsValue::from_f64(1.0)),
    ]);
    let (young, young_events, mut young_viewer) = mounted(&[("report", JsValue::from_f64(102.0))]);
    let (never, never_events, mut never_viewer) = mounted(&[
        ("report", JsValue::from_f64(103.0)),
        ("sessionMaxAgeMs", JsValue::from_f64(0.0)),
    ]);
    for events in [&stale_events, &young_events, &never_events] {
        loaded(events, 1).await;
    }
    let first = nonce_of(&stale);
    let (young_nonce, never_nonce) = (nonce_of(&young), nonce_of(&never));
    // The server ends the sessions, as it does while a laptop sleeps.
    post_json(&format!("{}/__sim/expire-sessions", sim()), &json!({})).await;
    let before = viewer_requests().await.len();

    page_becomes_visible();
    until("cxreports:reopen", || {
        (stale_events.count("cxreports:reopen") == 1).then_some(())
    })
    .await;
    assert_eq!(
        stale_events.last("cxreports:reopen", "reason").as_deref(),
        Some("session-stale")
    );
    assert_eq!(
        stale_events.last("cxreports:reopen", "report").as_deref(),
        Some("101")
    );
    loaded(&stale_events, 2).await;
    let second = nonce_of(&stale);
    assert_ne!(first, second);
    assert!(consumed_once(&second).await);
    let src = frame_src(&stale).unwrap();
    assert!(src.contains("/reports/101/preview"), "{src}");
    assert_eq!(
        query_param(&src, "params").as_deref(),
        Some(r#"{"year":2023}"#)
    );
    // The viewer page opened with the new nonce, not the sign-in page.
    let after = viewer_requests().await;
    assert_eq!(after.len(), before + 1, "{after:?}");
    assert_eq!(after.last().unwrap().1, 200);

    // The young and the never-renewed sessions heard the same event and
    // stayed: no event, no new nonce, no new viewer request.
    for (host, events, nonce) in [
        (&young, &young_events, &young_nonce),
        (&never, &never_events, &never_nonce),
    ] {
        assert_eq!(events.count("cxreports:reopen"), 0);
        assert_eq!(events.count("cxreports:load"), 1);
        assert_eq!(&nonce_of(host), nonce);
    }

    // Restored from the back/forward cache: renewed again.
    dispatch(
        "window",
        "new PageTransitionEvent('pageshow', { persisted: true })",
    );
    loaded(&stale_events, 3).await;
    assert_eq!(stale_events.count("cxreports:reopen"), 2);
    assert_ne!(nonce_of(&stale), second);
    for viewer in [&mut stale_viewer, &mut young_viewer, &mut never_viewer] {
        viewer.destroy();
    }
}

#[wasm_bindgen_test]
async fn a_navigation_that_failed_or_was_made_offline_is_opened_again_online() {
    login().await;
    fault(
        "/api/cxreports/nonce",
        json!({"kind": "status", "status": 503, "times": 1}),
    )
    .await;
    let (host, events, mut viewer) = mounted(&[("report", JsValue::from_f64(104.0))]);
    until("the nonce error", || {
        (events.count("cxreports:error") == 1).then_some(())
    })
    .await;
    assert!(find(&host, ".cxr-overlay[data-kind]").is_some());
    assert_eq!(events.count("cxreports:load"), 0);

    dispatch("window", "new Event('online')");
    loaded(&events, 1).await;
    assert_eq!(
        events.last("cxreports:reopen", "reason").as_deref(),
        Some("back-online")
    );
    assert!(find(&host, ".cxr-overlay").is_none());
    let first = nonce_of(&host);
    assert!(consumed_once(&first).await);

    // Offline, then a refresh: its frame may hold the browser's error page,
    // so it is opened again once the browser is back online.
    dispatch("window", "new Event('offline')");
    viewer.refresh();
    loaded(&events, 2).await;
    dispatch("window", "new Event('online')");
    loaded(&events, 3).await;
    assert_eq!(events.count("cxreports:reopen"), 2);
    assert_eq!(
        events.last("cxreports:reopen", "reason").as_deref(),
        Some("back-online")
    );
    // Online again, a young session made online stays.
    let settled = nonce_of(&host);
    dispatch("window", "new Event('online')");
    page_becomes_visible();
    viewer.refresh();
    loaded(&events, 4).await;
    assert_eq!(events.count("cxreports:reopen"), 2);
    assert_ne!(nonce_of(&host), settled);
    viewer.destroy();
}
