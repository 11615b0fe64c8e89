//! CxReports misbehaving: each failure becomes a clear JSON error.
mod common;

use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::Router;
use common::{start, start_against, Harness, Req, Stub};
use cxreports_backend::Secret;
use cxreports_simulator::SimConfig;
use serde_json::json;

/// One request per kind of upstream call.
fn every_upstream_call() -> Vec<Req> {
    vec![
        Req::post("/api/cxreports/nonce"),
        Req::get("/api/cxreports/workspaces"),
        Req::get("/api/cxreports/report-types"),
        Req::get("/api/cxreports/reports"),
        Req::get("/api/cxreports/reports/101/pdf"),
        Req::get("/api/cxreports/reports/invoice/pdf"),
        Req::post("/api/cxreports/temporary-data").json(&json!({"content": [1]})),
    ]
}

async fn signed_in(
    sim: SimConfig,
    tweak: impl FnOnce(&mut cxreports_backend::BackendConfig),
) -> Harness {
    let mut h = start(sim, tweak).await;
    h.login("alice").await;
    h
}

#[tokio::test]
async fn a_wrong_pat_is_upstream_auth_everywhere() {
    let h = signed_in(SimConfig::default(), |c| {
        c.pat = Secret::new("cxr_pat_wrong")
    })
    .await;
    for req in every_upstream_call() {
        let message = h.send(req).await.assert_error(502, "upstream_auth");
        assert!(message.contains("CXREPORTS_PAT"), "{message}");
    }
}

#[tokio::test]
async fn a_sign_in_page_with_200_is_upstream_auth_too() {
    let sim = SimConfig {
        login_page_200: true,
        ..SimConfig::default()
    };
    let h = signed_in(sim, |c| c.pat = Secret::new("cxr_pat_wrong")).await;
    for req in every_upstream_call() {
        let message = h.send(req).await.assert_error(502, "upstream_auth");
        assert!(message.contains("HTML"), "{message}");
    }
}

#[tokio::test]
async fn a_redirect_to_the_sign_in_page_says_the_pat_was_refused() {
    let sim = SimConfig {
        auth_redirect: true,
        ..SimConfig::default()
    };
    let h = signed_in(sim, |c| c.pat = Secret::new("cxr_pat_wrong")).await;
    for req in every_upstream_call() {
        let message = h.send(req).await.assert_error(502, "upstream_auth");
        assert_eq!(
            message,
            "CxReports refused the backend's PAT: check CXREPORTS_PAT \
             (CxReports answered status 302, a redirect to a sign-in page)"
        );
    }
    // Never followed: the sign-in page was not asked for.
    let requests = h.upstream_requests().await;
    assert!(!requests.is_empty());
    assert!(
        requests
            .iter()
            .all(|(_, path, _)| path.starts_with("/api/v1/")),
        "{requests:?}"
    );
}

#[tokio::test]
async fn a_redirect_that_only_changes_the_scheme_says_check_the_url() {
    // What a server that wants https answers on http.
    let to_https = |headers: HeaderMap, uri: Uri| async move {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("")
            .to_owned();
        (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, format!("https://{host}{uri}"))],
        )
    };
    let stub = Stub::start(Router::new().fallback(to_https)).await;
    let mut h = start_against(stub.addr, |_| {}).await;
    h.login("alice").await;
    let calls = every_upstream_call();
    let count = calls.len();
    for req in calls {
        let answer = h.send(req).await;
        let message = answer.assert_error(502, "upstream_status");
        assert!(message.contains("check CXREPORTS_URL"), "{message}");
        assert!(!message.contains("CXREPORTS_PAT"), "{message}");
        assert_eq!(answer.json()["upstreamStatus"], 301);
    }
    // One request per call: the redirect was not followed.
    assert_eq!(stub.requests().len(), count, "{:?}", stub.requests());
}

#[tokio::test]
async fn an_unreachable_cxreports_is_502_and_says_so() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let h = signed_in(SimConfig::default(), |c| {
        c.cxreports_url = format!("http://{closed}")
    })
    .await;
    for req in every_upstream_call() {
        let message = h.send(req).await.assert_error(502, "upstream_unreachable");
        assert!(message.contains("CXREPORTS_URL"), "{message}");
        assert!(
            !message.contains(&closed.to_string()),
            "no internal address: {message}"
        );
    }
}

#[tokio::test]
async fn a_slow_cxreports_is_504_within_the_timeout() {
    let h = signed_in(SimConfig::default(), |c| {
        c.upstream_timeout = Duration::from_millis(300);
        c.export_timeout = Duration::from_millis(800);
    })
    .await;
    h.sim_fault(json!({"path": "/api/v1/nonce-tokens", "kind": "latency", "ms": 3000}))
        .await;
    h.sim_fault(json!({"path": "/api/v1/ws/*/pdf", "kind": "latency", "ms": 3000}))
        .await;
    for (path, setting) in [
        ("/api/cxreports/nonce", "CXREPORTS_TIMEOUT_MS"),
        (
            "/api/cxreports/reports/101/pdf",
            "CXREPORTS_EXPORT_TIMEOUT_MS",
        ),
    ] {
        let started = Instant::now();
        let req = if path.ends_with("nonce") {
            Req::post(path)
        } else {
            Req::get(path)
        };
        let message = h.send(req).await.assert_error(504, "upstream_timeout");
        assert!(message.contains(setting), "{message}");
        assert!(
            started.elapsed() < Duration::from_millis(2500),
            "{:?}",
            started.elapsed()
        );
    }
    // A slow answer that is still in time goes through; a PDF may take
    // longer than other calls, up to its own limit.
    h.clear_sim_faults().await;
    h.sim_fault(json!({"path": "/api/v1/nonce-tokens", "kind": "latency", "ms": 50}))
        .await;
    h.sim_fault(json!({"path": "/api/v1/ws/*/pdf", "kind": "latency", "ms": 500}))
        .await;
    let answer = h.send(Req::post("/api/cxreports/nonce")).await;
    assert_eq!(answer.status, 200);
    let answer = h.send(Req::get("/api/cxreports/reports/101/pdf")).await;
    assert_eq!(answer.status, 200);
    assert!(answer.body.starts_with(b"%PDF-"));
}

#[tokio::test]
async fn broken_answers_are_classified() {
    let h = signed_in(SimConfig::default(), |_| {}).await;
    let cases = [
        ("malformed", None, 502, "upstream_bad_response"),
        ("wrongShape", None, 502, "upstream_bad_response"),
        ("empty", None, 502, "upstream_bad_response"),
        ("html", None, 502, "upstream_auth"),
        ("status", Some(503), 502, "upstream_status"),
        ("status", Some(404), 502, "upstream_status"),
        ("drop", None, 502, "upstream_unreachable"),
    ];
    for (kind, status, expected, expected_kind) in cases {
        let mut spec = json!({"path": "/api/v1/nonce-tokens", "kind": kind, "times": 1});
        if let Some(status) = status {
            spec["status"] = json!(status);
        }
        h.sim_fault(spec).await;
        let answer = h.send(Req::post("/api/cxreports/nonce")).await;
        answer.assert_error(expected, expected_kind);
        if let Some(status) = status {
            assert_eq!(answer.json()["upstreamStatus"], status);
        }
    }
    // A JSON answer where a PDF belongs is not passed off as a PDF.
    h.sim_fault(json!({"path": "/api/v1/ws/*/pdf", "kind": "wrongShape", "times": 1}))
        .await;
    h.send(Req::get("/api/cxreports/reports/101/pdf"))
        .await
        .assert_error(502, "upstream_bad_response");
    h.sim_fault(json!({"path": "/api/v1/ws/*/pdf", "kind": "status", "status": 500, "times": 1}))
        .await;
    h.send(Req::get("/api/cxreports/reports/101/pdf"))
        .await
        .assert_error(502, "upstream_status");
}
