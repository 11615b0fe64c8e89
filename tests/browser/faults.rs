//! The fault matrix: every host endpoint the widget calls (nonce, report
//! list, PDF) against every way it can fail, through the backend's fault
//! injection. For each: no panic (a second widget on the page still works),
//! a visible error naming the cause, a `cxreports:error` event of the right
//! kind and stage, and recovery through Retry once the fault is lifted.
#![cfg(target_arch = "wasm32")]

use crate::common;

use common::*;
use serde_json::json;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const TIMEOUT_MS: f64 = 1500.0;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Endpoint {
    Nonce,
    Reports,
    Pdf,
}

impl Endpoint {
    fn path(self) -> &'static str {
        match self {
            Endpoint::Nonce => "/api/cxreports/nonce",
            Endpoint::Reports => "/api/cxreports/reports",
            Endpoint::Pdf => "/api/cxreports/reports/*/pdf",
        }
    }
    fn stage(self) -> &'static str {
        match self {
            Endpoint::Nonce => "nonce",
            Endpoint::Reports => "reports",
            Endpoint::Pdf => "pdf",
        }
    }
    fn alert(self) -> &'static str {
        match self {
            Endpoint::Nonce => ".cxr-stage .cxr-error",
            Endpoint::Reports => ".cxr-side .cxr-error",
            Endpoint::Pdf => ".cxr-pdf-error",
        }
    }
}

/// (fault, expected kind, words the message must contain) for `endpoint`.
fn cases(endpoint: Endpoint) -> Vec<(serde_json::Value, &'static str, &'static str)> {
    let pdf = endpoint == Endpoint::Pdf;
    let unreadable = if pdf { "not a PDF" } else { "not JSON" };
    let shape = if pdf { "not a PDF" } else { "unexpected shape" };
    let empty = if pdf { "not a PDF" } else { "empty" };
    let mut cases = vec![
        (json!({"kind": "status", "status": 401}), "http", "HTTP 401"),
        (json!({"kind": "status", "status": 403}), "http", "HTTP 403"),
        (json!({"kind": "status", "status": 500}), "http", "HTTP 500"),
        (json!({"kind": "status", "status": 503}), "http", "HTTP 503"),
        (json!({"kind": "html"}), "html", "session"),
        (json!({"kind": "malformed"}), "bad-response", unreadable),
        (json!({"kind": "wrongShape"}), "bad-response", shape),
        (json!({"kind": "empty"}), "bad-response", empty),
        (json!({"kind": "big"}), "bad-response", shape),
        // The backend going down: connections die until it is back.
        (json!({"kind": "drop"}), "network", "could not reach"),
        (
            json!({"kind": "stall", "ms": 10000}),
            "timeout",
            "did not answer",
        ),
    ];
    if endpoint == Endpoint::Nonce {
        cases.push((
            json!({"kind": "emptyNonce"}),
            "empty-nonce",
            "no usable nonce",
        ));
    }
    cases
}

/// A widget with a static list and no host calls, mounted before the faults:
/// if the wasm instance died, it would stop answering clicks.
struct Sentinel {
    host: web_sys::Element,
    events: Events,
    viewer: cxreports_widget::ViewerHandle,
}

impl Sentinel {
    fn mount() -> Self {
        let host = host();
        let events = Events::record(&host);
        let list = json!([
            {"id": 101, "name": "Sentinel A", "reportTypeId": 1, "reportTypeName": "S", "reportTemplateName": "", "isDefault": false},
            {"id": 102, "name": "Sentinel B", "reportTypeId": 1, "reportTypeName": "S", "reportTemplateName": "", "isDefault": false}
        ]);
        let nonce = js_sys::Function::new_no_args("return new Promise(() => {})");
        let options = options(&[
            ("reportsUrl", JsValue::NULL),
            ("nonceUrl", JsValue::NULL),
            ("fetchNonce", nonce.into()),
            ("prefetchNonce", false.into()),
            ("reports", js_sys::JSON::parse(&list.to_string()).unwrap()),
        ]);
        let viewer = mount(&host, options);
        Sentinel {
            host,
            events,
            viewer,
        }
    }

    /// Still alive: a click is still turned into a selection.
    async fn answers(&self, round: usize) {
        let options = until("sentinel options", || {
            let o = find_all(&self.host, "[role=option]");
            (o.len() == 2).then_some(o)
        })
        .await;
        let before = self.events.count("cxreports:select");
        click(&options[round % 2]);
        until("the sentinel answers a click", || {
            (self.events.count("cxreports:select") > before).then_some(())
        })
        .await;
        assert_eq!(
            options[round % 2].get_attribute("aria-selected").as_deref(),
            Some("true")
        );
    }
}

async fn pdf_requests_served() -> usize {
    let events = sim_events().await;
    events["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"].as_str().unwrap_or("").ends_with("/pdf") && r["status"] == 200)
        .count()
}

async fn run_matrix(endpoint: Endpoint) -> usize {
    login().await;
    let sentinel = Sentinel::mount();
    let mut tried = 0;
    for (round, (spec, kind, words)) in cases(endpoint).into_iter().enumerate() {
        clear_faults().await;
        if endpoint != Endpoint::Pdf {
            fault(endpoint.path(), spec.clone()).await;
        }
        let (host, events, mut viewer) = mounted(&[
            ("report", JsValue::from_f64(101.0)),
            ("timeoutMs", JsValue::from_f64(TIMEOUT_MS)),
            ("pdfTimeoutMs", JsValue::from_f64(TIMEOUT_MS)),
            (
                "pdfUrl",
                format!("{}/api/cxreports/reports", backend()).into(),
            ),
        ]);
        if endpoint == Endpoint::Pdf {
            loaded(&events, 1).await;
            fault(endpoint.path(), spec.clone()).await;
            click(
                &until("the PDF button", || {
                    find(&host, "button[title='Download the report as PDF']")
                })
                .await,
            );
        }

        let alert = until(&format!("{endpoint:?} error for {spec}"), || {
            find(&host, endpoint.alert())
        })
        .await;
        assert_eq!(
            alert.get_attribute("data-kind").as_deref(),
            Some(kind),
            "{endpoint:?} {spec}"
        );
        assert!(
            text(&alert).contains(words),
            "{endpoint:?} {spec}: {}",
            text(&alert)
        );
        assert_eq!(
            events.last("cxreports:error", "kind").as_deref(),
            Some(kind),
            "{spec}"
        );
        assert_eq!(
            events.last("cxreports:error", "stage").as_deref(),
            Some(endpoint.stage()),
            "{spec}"
        );
        sentinel.answers(round).await;

        clear_faults().await;
        let served = pdf_requests_served().await;
        click(
            &alert
                .query_selector("button")
                .unwrap()
                .expect("a Retry button"),
        );
        match endpoint {
            Endpoint::Nonce => {
                loaded(&events, 1).await;
                assert!(
                    consumed_once(&query_param(&frame_src(&host).unwrap(), "nonce").unwrap()).await
                );
            }
            Endpoint::Reports => {
                until("the list after Retry", || {
                    (!find_all(&host, "[role=option]").is_empty()).then_some(())
                })
                .await;
            }
            Endpoint::Pdf => {
                until("the PDF after Retry", || {
                    find(&host, endpoint.alert()).is_none().then_some(())
                })
                .await;
                let mut ok = false;
                for _ in 0..100 {
                    if pdf_requests_served().await > served {
                        ok = true;
                        break;
                    }
                    sleep(50).await;
                }
                assert!(ok, "the backend fetched the PDF from CxReports after Retry");
            }
        }
        assert!(
            find(&host, endpoint.alert()).is_none(),
            "the error is gone after recovery"
        );
        viewer.destroy();
        tried += 1;
    }
    clear_faults().await;
    let mut sentinel = sentinel;
    sentinel.viewer.destroy();
    tried
}

#[wasm_bindgen_test]
async fn nonce_endpoint_faults() {
    assert_eq!(run_matrix(Endpoint::Nonce).await, 12);
}

#[wasm_bindgen_test]
async fn report_list_faults() {
    assert_eq!(run_matrix(Endpoint::Reports).await, 11);
}

#[wasm_bindgen_test]
async fn pdf_endpoint_faults() {
    assert_eq!(run_matrix(Endpoint::Pdf).await, 11);
}

#[wasm_bindgen_test]
async fn connection_refused_is_a_network_error() {
    let (host, events, mut viewer) = mounted(&[
        ("report", JsValue::from_f64(101.0)),
        ("nonceUrl", "http://127.0.0.1:9/nonce".into()),
    ]);
    let alert = until("the error", || find(&host, ".cxr-stage .cxr-error")).await;
    assert_eq!(alert.get_attribute("data-kind").as_deref(), Some("network"));
    assert!(text(&alert).contains("http://127.0.0.1:9/nonce"));
    assert_eq!(
        events.last("cxreports:error", "kind").as_deref(),
        Some("network")
    );
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn a_pdf_export_has_its_own_time_limit_and_is_never_sent_twice() {
    login().await;
    clear_faults().await;
    let pdf_url = format!("{}/api/cxreports/reports", backend());
    let (host, events, mut viewer) = mounted(&[
        ("report", JsValue::from_f64(101.0)),
        ("timeoutMs", JsValue::from_f64(1000.0)),
        ("pdfUrl", pdf_url.clone().into()),
    ]);
    loaded(&events, 1).await;
    let pdf_button = || find(&host, "button[title='Download the report as PDF']");

    // Slower than `timeoutMs`, well within `pdfTimeoutMs`: the export
    // arrives, and meanwhile the reader sees it under way. The backend holds
    // it until the faults are cleared, past `timeoutMs`.
    fault(Endpoint::Pdf.path(), json!({"kind": "hold", "times": 1})).await;
    let served = pdf_requests_served().await;
    click(&until("the PDF button", pdf_button).await);
    let busy = until("the export under way", || {
        pdf_button().filter(|b| b.get_attribute("aria-busy").as_deref() == Some("true"))
    })
    .await;
    assert!(text(&busy).contains("PDF\u{2026}"), "{}", text(&busy));
    faults_taken(backend()).await;
    sleep(1500).await;
    clear_faults().await;
    until("the slow export", || {
        pdf_button()
            .filter(|b| b.get_attribute("aria-busy").as_deref() == Some("false"))
            .map(|_| ())
    })
    .await;
    assert!(find(&host, ".cxr-pdf-error").is_none(), "{}", text(&host));
    assert_eq!(pdf_requests_served().await, served + 1);
    viewer.destroy();

    // An export over `pdfTimeoutMs` fails once, and is not sent again: the
    // stall answers only the first request, so a retry would have passed.
    let (host, events, mut viewer) = mounted(&[
        ("report", JsValue::from_f64(101.0)),
        ("pdfTimeoutMs", JsValue::from_f64(1000.0)),
        ("retries", JsValue::from_f64(2.0)),
        ("pdfUrl", pdf_url.into()),
    ]);
    loaded(&events, 1).await;
    fault(
        Endpoint::Pdf.path(),
        json!({"kind": "stall", "ms": 10000, "times": 1}),
    )
    .await;
    let served = pdf_requests_served().await;
    click(
        &until("the PDF button", || {
            find(&host, "button[title='Download the report as PDF']")
        })
        .await,
    );
    let alert = until("the export's timeout", || find(&host, ".cxr-pdf-error")).await;
    assert_eq!(alert.get_attribute("data-kind").as_deref(), Some("timeout"));
    assert!(text(&alert).contains("within 1 s"), "{}", text(&alert));
    // Longer than the first two backoffs (300 + 600 ms) together.
    sleep(2000).await;
    assert_eq!(
        pdf_requests_served().await,
        served,
        "the export was retried"
    );
    clear_faults().await;
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn latency_shows_progress_then_the_report() {
    login().await;
    clear_faults().await;
    // The list and the nonce wait at the backend until the faults are
    // cleared: both progress indicators stay up until then.
    fault("/api/cxreports/", json!({"kind": "hold"})).await;
    let (host, events, mut viewer) = mounted(&[("report", JsValue::from_f64(101.0))]);
    let progress = until("progress while loading", || {
        find(&host, ".cxr-side .cxr-progress")
    })
    .await;
    assert!(text(&progress).contains("Loading reports"));
    let opening = until("progress while opening", || {
        find(&host, ".cxr-stage .cxr-progress")
    })
    .await;
    assert!(text(&opening).contains("Opening"));
    // Screen readers hear it through the one polite live region.
    let live = find(&host, ".cxr-live[role=status]").expect("the live region");
    assert!(text(&live).contains("Opening"), "{}", text(&live));
    clear_faults().await;
    loaded(&events, 1).await;
    until("loaded, announced", || {
        text(&live).contains("is shown").then_some(())
    })
    .await;
    until("the list", || {
        (!find_all(&host, "[role=option]").is_empty()).then_some(())
    })
    .await;
    assert_eq!(events.count("cxreports:error"), 0);
    clear_faults().await;
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn transient_failures_are_retried_with_backoff() {
    login().await;
    clear_faults().await;
    // Two 503s, then the real answer: two retries absorb them.
    fault(
        "/api/cxreports/nonce",
        json!({"kind": "status", "status": 503, "times": 2}),
    )
    .await;
    let (host, events, mut viewer) = mounted(&[
        ("report", JsValue::from_f64(101.0)),
        ("retries", JsValue::from_f64(2.0)),
        ("prefetchNonce", false.into()),
    ]);
    loaded(&events, 1).await;
    assert_eq!(events.count("cxreports:error"), 0);
    // A 403 is not transient: no retry, the error shows at once.
    fault(
        "/api/cxreports/nonce",
        json!({"kind": "status", "status": 403, "times": 1}),
    )
    .await;
    viewer.refresh();
    let alert = until("the 403", || find(&host, ".cxr-stage .cxr-error")).await;
    assert!(text(&alert).contains("HTTP 403"));
    clear_faults().await;
    viewer.destroy();
}

#[wasm_bindgen_test]
async fn a_refused_viewer_recovers_by_refresh_with_a_fresh_nonce() {
    login().await;
    let (host, events, mut viewer) = mounted(&[
        ("report", JsValue::from_f64(101.0)),
        ("prefetchNonce", false.into()),
    ]);
    loaded(&events, 1).await;
    // The viewer refuses the next visit, as it does a spent or expired nonce.
    let sim_fault = format!("{}/__faults", sim());
    post_json(
        &sim_fault,
        &json!({"path": "/ws/", "kind": "status", "status": 401, "times": 1}),
    )
    .await;
    viewer.refresh();
    loaded(&events, 2).await;
    let refused = query_param(&frame_src(&host).unwrap(), "nonce").unwrap();
    viewer.refresh();
    loaded(&events, 3).await;
    let fresh = query_param(&frame_src(&host).unwrap(), "nonce").unwrap();
    assert_ne!(refused, fresh);
    assert!(consumed_once(&fresh).await);
    viewer.destroy();
}

/// A `fetchNonce` whose promise never settles is abandoned after
/// `timeoutMs`, as a `nonceUrl` that never answers: the reader sees why, and
/// the host gets a `cxreports:error`.
#[wasm_bindgen_test]
async fn a_fetch_nonce_that_never_settles_runs_out_of_time() {
    login().await;
    let never = js_sys::Function::new_no_args("return new Promise(() => {})");
    let (host, events, mut viewer) = mounted(&[
        ("nonceUrl", JsValue::NULL),
        ("fetchNonce", never.into()),
        ("report", JsValue::from_f64(101.0)),
        ("timeoutMs", JsValue::from_f64(TIMEOUT_MS)),
    ]);
    let alert = until("the fetchNonce time limit", || {
        find(&host, Endpoint::Nonce.alert())
    })
    .await;
    assert_eq!(alert.get_attribute("data-kind").as_deref(), Some("timeout"));
    assert!(
        text(&alert).contains("fetchNonce did not answer within 1.5 s"),
        "{}",
        text(&alert)
    );
    assert_eq!(
        events.last("cxreports:error", "kind").as_deref(),
        Some("timeout")
    );
    assert_eq!(
        events.last("cxreports:error", "stage").as_deref(),
        Some("nonce")
    );
    assert!(frame_src(&host).is_none());
    viewer.destroy();
}

/// A JSON `401` from the host backend gets the advice a sign-in page gets.
#[wasm_bindgen_test]
async fn a_json_401_gets_the_sign_in_advice() {
    login().await;
    let advice = "may have expired. Sign in again";
    let mut shown = Vec::new();
    for spec in [
        json!({"kind": "status", "status": 401, "times": 1}),
        json!({"kind": "html", "times": 1}),
    ] {
        clear_faults().await;
        fault(Endpoint::Nonce.path(), spec.clone()).await;
        let (host, _events, mut viewer) = mounted(&[
            ("report", JsValue::from_f64(101.0)),
            ("prefetchNonce", false.into()),
        ]);
        let alert = until(&format!("the error for {spec}"), || {
            find(&host, Endpoint::Nonce.alert())
        })
        .await;
        shown.push(text(&alert));
        viewer.destroy();
    }
    clear_faults().await;
    assert!(shown.iter().all(|t| t.contains(advice)), "{shown:?}");
    assert!(shown[0].contains("HTTP 401"), "{shown:?}");
}

/// A failed report-types call is shown and told to the host; the list
/// still shows, ungrouped.
#[wasm_bindgen_test]
async fn a_failed_report_types_call_is_shown_and_told() {
    login().await;
    clear_faults().await;
    let path = "/api/cxreports/report-types";
    fault(path, json!({"kind": "status", "status": 500})).await;
    let (host, events, mut viewer) =
        mounted(&[("reportTypesUrl", format!("{}{path}", backend()).into())]);
    let alert = until("the report types error", || find(&host, ".cxr-pdf-error")).await;
    assert!(
        text(&alert).contains("report types could not be loaded"),
        "{}",
        text(&alert)
    );
    assert_eq!(alert.get_attribute("data-kind").as_deref(), Some("http"));
    until("the error event", || {
        (events.last("cxreports:error", "stage").as_deref() == Some("types")).then_some(())
    })
    .await;
    assert_eq!(
        events.last("cxreports:error", "kind").as_deref(),
        Some("http")
    );
    until("the list", || {
        (!find_all(&host, "[role=option]").is_empty()).then_some(())
    })
    .await;
    clear_faults().await;
    viewer.destroy();
}
