//! Fault injection, observed the way a client would observe it.
mod common;

use std::time::{Duration, Instant};

use common::{header, start, Sim};
use reqwest::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_REQUEST_METHOD, CONTENT_TYPE, ORIGIN,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const NONCE: &str = "/api/v1/nonce-tokens";

async fn add_fault(sim: &Sim, fault: Value) -> u64 {
    let response = sim
        .client
        .post(sim.url("/__faults"))
        .json(&fault)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED, "{fault}");
    let body: Value = response.json().await.unwrap();
    body["id"].as_u64().unwrap()
}

async fn post_nonce(sim: &Sim) -> reqwest::Result<reqwest::Response> {
    sim.client
        .post(sim.url(NONCE))
        .bearer_auth(cxreports_simulator::DEMO_PAT)
        .send()
        .await
}

#[tokio::test]
async fn status_answers_the_status_with_a_json_error() {
    let sim = start().await;
    add_fault(
        &sim,
        json!({"path": NONCE, "kind": "status", "status": 503}),
    )
    .await;
    let response = post_nonce(&sim).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(header(&response, CONTENT_TYPE).starts_with("application/json"));
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"error": "injected"})
    );
    // Other paths are untouched.
    assert_eq!(
        sim.api_get("/api/v1/workspaces").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn times_limits_a_fault_and_then_it_expires() {
    let sim = start().await;
    add_fault(
        &sim,
        json!({"path": "/api/*/nonce-tokens", "kind": "status", "times": 2}),
    )
    .await;
    for _ in 0..2 {
        assert_eq!(
            post_nonce(&sim).await.unwrap().status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
    assert_eq!(post_nonce(&sim).await.unwrap().status(), StatusCode::OK);
    assert_eq!(sim.faults().await, json!([]));
}

#[tokio::test]
async fn latency_delays_then_answers_normally() {
    let sim = start().await;
    add_fault(
        &sim,
        json!({"path": "/api/v1/", "kind": "latency", "ms": 400}),
    )
    .await;
    let started = Instant::now();
    let response = post_nonce(&sim).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.json::<Value>().await.unwrap()["nonce"].is_string());
}

#[tokio::test]
async fn hold_keeps_a_request_waiting_until_the_faults_are_cleared() {
    let sim = start().await;
    add_fault(
        &sim,
        json!({"path": "/api/v1/", "kind": "hold", "times": 1}),
    )
    .await;
    let client = sim.client.clone();
    let url = sim.url(NONCE);
    let held = tokio::spawn(async move {
        client
            .post(url)
            .bearer_auth(cxreports_simulator::DEMO_PAT)
            .send()
            .await
    });
    // The fault leaves the list once its one request has taken it.
    loop {
        if sim.faults().await.as_array().is_some_and(|l| l.is_empty()) {
            break;
        }
        tokio::task::yield_now().await;
    }
    // Given every chance to answer, it still waits.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !held.is_finished(),
        "a held request was answered before the faults were cleared"
    );

    sim.client
        .delete(sim.url("/__faults"))
        .send()
        .await
        .unwrap();
    let response = held.await.unwrap().unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.json::<Value>().await.unwrap()["nonce"].is_string());
}

#[tokio::test]
async fn html_answers_a_login_page_with_200() {
    let sim = start().await;
    add_fault(&sim, json!({"path": NONCE, "kind": "html"})).await;
    let response = post_nonce(&sim).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, CONTENT_TYPE).starts_with("text/html"));
    assert!(response.text().await.unwrap().contains("<form"));
}

#[tokio::test]
async fn malformed_empty_wrong_shape_and_big_bodies() {
    let sim = start().await;
    for (kind, check) in [
        (
            "malformed",
            (|body: &[u8]| body == b"{\"nonce\": ") as fn(&[u8]) -> bool,
        ),
        ("empty", |body: &[u8]| body.is_empty()),
        ("wrongShape", |body: &[u8]| {
            serde_json::from_slice::<Value>(body).unwrap() == json!({"unexpected": true})
        }),
        ("big", |body: &[u8]| {
            body.len() >= 1024 * 1024
                && serde_json::from_slice::<Value>(body).unwrap()["padding"].is_string()
        }),
    ] {
        add_fault(&sim, json!({"path": NONCE, "kind": kind, "times": 1})).await;
        let response = post_nonce(&sim).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{kind}");
        assert_eq!(
            header(&response, CONTENT_TYPE),
            "application/json",
            "{kind}"
        );
        let body = response.bytes().await.unwrap();
        assert!(check(&body), "{kind}: {} bytes", body.len());
        if kind == "malformed" || kind == "empty" {
            assert!(serde_json::from_slice::<Value>(&body).is_err());
        }
    }
}

#[tokio::test]
async fn stall_sends_headers_and_never_finishes_the_body() {
    let sim = start().await;
    add_fault(&sim, json!({"path": NONCE, "kind": "stall"})).await;
    let response = tokio::time::timeout(Duration::from_secs(5), post_nonce(&sim))
        .await
        .expect("the status line arrives at once")
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = tokio::time::timeout(Duration::from_millis(700), response.bytes()).await;
    assert!(body.is_err(), "the body must not complete");
}

#[tokio::test]
async fn a_short_stall_ends_in_a_cut_connection() {
    let sim = start().await;
    add_fault(&sim, json!({"path": NONCE, "kind": "stall", "ms": 200})).await;
    let response = post_nonce(&sim).await.unwrap();
    assert!(response.bytes().await.is_err());
}

#[tokio::test]
async fn drop_closes_the_connection_without_an_answer() {
    let sim = start().await;
    // Warm a pooled connection first: a drop must fail a reused one too.
    assert_eq!(
        sim.api_get("/api/v1/workspaces").await.status(),
        StatusCode::OK
    );
    add_fault(&sim, json!({"path": NONCE, "kind": "drop", "times": 2})).await;
    for _ in 0..2 {
        let error = post_nonce(&sim).await.unwrap_err();
        assert!(error.is_request() || error.is_connect(), "{error:?}");
        assert!(error.status().is_none());
    }
    assert_eq!(post_nonce(&sim).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn globs_match_whole_paths_and_viewer_paths_can_be_faulted() {
    let sim = start().await;
    add_fault(
        &sim,
        json!({"path": "/ws/*/preview", "kind": "status", "status": 502}),
    )
    .await;
    let page = sim.page("/ws/sales/reports/101/preview", None).await;
    assert_eq!(page.status, StatusCode::BAD_GATEWAY);
    // The glob does not match a path that only starts the same way.
    let page2 = sim.page("/ws/sales/reports/101/pages/2", None).await;
    assert_eq!(page2.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn control_paths_are_never_faulted_and_clearing_works() {
    let sim = start().await;
    add_fault(&sim, json!({"path": "*", "kind": "status", "status": 500})).await;
    let list = sim.client.get(sim.url("/__faults")).send().await.unwrap();
    assert_eq!(list.status(), StatusCode::OK);
    let list: Value = list.json().await.unwrap();
    assert_eq!(list[0]["kind"], "status");
    assert_eq!(list[0]["path"], "*");
    let events = sim
        .client
        .get(sim.url("/__sim/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), StatusCode::OK);
    assert_eq!(
        post_nonce(&sim).await.unwrap().status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );

    let cleared: Value = sim
        .client
        .delete(sim.url("/__faults"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cleared, json!({"cleared": 1}));
    assert_eq!(post_nonce(&sim).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn bad_fault_requests_are_refused_with_a_reason() {
    let sim = start().await;
    for fault in [
        json!({"path": "/x", "kind": "explode"}),
        json!({"path": "x", "kind": "empty"}),
        json!({"path": "/x", "kind": "status", "status": 42}),
        json!({"path": "/x", "kind": "empty", "times": 0}),
        json!({"kind": "empty"}),
    ] {
        let response = sim
            .client
            .post(sim.url("/__faults"))
            .json(&fault)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{fault}");
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().len() > 20, "{body}");
    }
}

#[tokio::test]
async fn the_control_routes_allow_any_origin() {
    let sim = start().await;
    let preflight = sim
        .client
        .request(Method::OPTIONS, sim.url("/__faults"))
        .header(ORIGIN, "http://localhost:9999")
        .header(ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert_eq!(header(&preflight, ACCESS_CONTROL_ALLOW_ORIGIN), "*");
    let allowed = header(&preflight, "access-control-allow-methods".parse().unwrap());
    for method in ["GET", "POST", "DELETE"] {
        assert!(allowed.contains(method), "{allowed}");
    }
    let list = sim
        .client
        .get(sim.url("/__faults"))
        .header(ORIGIN, "http://localhost:9999")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&list, ACCESS_CONTROL_ALLOW_ORIGIN), "*");
}

#[tokio::test]
async fn install_works_on_any_router() {
    use axum::routing::get;
    use cxreports_simulator::faults::{self, FaultKind, FaultSpec, Faults};

    let registry = Faults::new();
    let app = faults::install(
        axum::Router::new().route("/hello", get(|| async { "hi" })),
        registry.clone(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = common::client();
    let url = format!("http://{addr}/hello");
    registry
        .add(
            FaultSpec::new("/hello", FaultKind::Status)
                .status(418)
                .times(1),
        )
        .unwrap();
    assert_eq!(
        client.get(&url).send().await.unwrap().status(),
        StatusCode::IM_A_TEAPOT
    );
    let ok = client.get(&url).send().await.unwrap();
    assert_eq!(ok.text().await.unwrap(), "hi");
    // Preflights pass through even when the path is faulted.
    registry
        .add(FaultSpec::new("/hello", FaultKind::Drop))
        .unwrap();
    let preflight = client.request(Method::OPTIONS, &url).send().await.unwrap();
    assert_eq!(preflight.status(), StatusCode::METHOD_NOT_ALLOWED);
}
