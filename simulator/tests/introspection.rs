//! `/__sim/events`: what tests read back about the traffic.
mod common;

use common::start;
use cxreports_simulator::DEMO_PAT;
use reqwest::header::{ACCESS_CONTROL_ALLOW_ORIGIN, AUTHORIZATION, ORIGIN};
use reqwest::StatusCode;
use serde_json::Value;

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn nonces_are_logged_as_issued_consumed_and_rejected() {
    let sim = start().await;
    let used = sim.nonce().await;
    let unused = sim.nonce().await;
    let url = format!("/ws/sales/reports/101/preview?nonce={used}");
    assert_eq!(sim.page(&url, None).await.status, StatusCode::OK);
    assert_eq!(sim.page(&url, None).await.status, StatusCode::UNAUTHORIZED);
    sim.page("/ws/sales/reports/101/preview?nonce=forged", None)
        .await;

    let events = sim.events().await;
    assert_eq!(
        strings(&events["noncesIssued"]),
        [used.as_str(), unused.as_str()]
    );
    assert_eq!(strings(&events["noncesConsumed"]), [used.as_str()]);
    assert_eq!(
        strings(&events["noncesRejected"]),
        [used.as_str(), "forged"]
    );
}

#[tokio::test]
async fn requests_are_logged_with_authorization_and_origin() {
    let sim = start().await;
    sim.api_get("/api/v1/workspaces").await;
    sim.client
        .get(sim.url("/ws/sales/reports/101/preview?nonce=x&lang=en"))
        .header(ORIGIN, "http://widget.test")
        .send()
        .await
        .unwrap();
    let events = sim.events().await;
    let requests = events["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 2, "{events}");
    assert_eq!(requests[0]["method"], "GET");
    assert_eq!(requests[0]["path"], "/api/v1/workspaces");
    assert_eq!(requests[0]["hasAuthorization"], true);
    assert_eq!(requests[0]["status"], 200);
    assert_eq!(requests[1]["path"], "/ws/sales/reports/101/preview");
    assert_eq!(requests[1]["query"], "nonce=x&lang=en");
    assert_eq!(requests[1]["hasAuthorization"], false);
    assert_eq!(requests[1]["origin"], "http://widget.test");
    assert_eq!(requests[1]["status"], 401);
    assert_eq!(events["viewerRequestsWithAuthorization"], 0);
}

#[tokio::test]
async fn a_pat_sent_to_the_viewer_is_counted() {
    let sim = start().await;
    for path in ["/ws/sales/reports/101/preview", "/viewer/style.css"] {
        sim.client
            .get(sim.url(path))
            .header(AUTHORIZATION, format!("Bearer {DEMO_PAT}"))
            .send()
            .await
            .unwrap();
    }
    assert_eq!(sim.events().await["viewerRequestsWithAuthorization"], 2);
}

#[tokio::test]
async fn clearing_empties_the_log_and_control_calls_are_not_logged() {
    let sim = start().await;
    sim.nonce().await;
    sim.client.get(sim.url("/__faults")).send().await.unwrap();
    let events = sim.events().await;
    assert_eq!(events["requests"].as_array().unwrap().len(), 1, "{events}");
    let cleared = sim
        .client
        .delete(sim.url("/__sim/events"))
        .send()
        .await
        .unwrap();
    assert!(cleared.status().is_success());
    let events = sim.events().await;
    assert_eq!(events["requests"], Value::Array(vec![]));
    assert_eq!(events["noncesIssued"], Value::Array(vec![]));
    assert_eq!(events["viewerRequestsWithAuthorization"], 0);
}

#[tokio::test]
async fn introspection_allows_any_origin() {
    let sim = start().await;
    let response = sim
        .client
        .get(sim.url("/__sim/events"))
        .header(ORIGIN, "http://localhost:1234")
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()[ACCESS_CONTROL_ALLOW_ORIGIN]
            .to_str()
            .unwrap(),
        "*"
    );
}
