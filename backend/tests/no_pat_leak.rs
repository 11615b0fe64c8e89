//! The sweep: a distinctive PAT, configured in the simulator and the
//! backend, never appears in any byte of any browser-facing answer, headers
//! included, error answers included.
mod common;

use std::time::Duration;

use common::{assert_never_leaked, start, start_with_sweep_pat, Answer, Req, SWEEP_PAT};
use cxreports_backend::{BackendConfig, Secret};
use cxreports_simulator::SimConfig;
use serde_json::json;

/// Every endpoint, in every state a browser can reach it in.
fn all_requests() -> Vec<Req> {
    let mut requests = vec![
        Req::get("/auth/me"),
        Req::post("/auth/login").json(&json!({"user": "sweeper"})),
        Req::post("/auth/login").json(&json!({"user": ""})),
        Req::post("/auth/login").raw_body(b"not json".to_vec()),
        Req::post("/auth/logout"),
        Req::get("/api/cxreports/widget-config"),
        Req::post("/api/cxreports/nonce"),
        Req::post("/api/cxreports/nonce").without_requested_with(),
        Req::post("/api/cxreports/nonce").origin("https://evil.example.com"),
        Req::get("/api/cxreports/workspaces"),
        Req::get("/api/cxreports/report-types"),
        Req::get("/api/cxreports/reports"),
        Req::get("/api/cxreports/reports?type=invoice"),
        Req::get("/api/cxreports/reports?type=revenue"),
        Req::get("/api/cxreports/reports?limit=x"),
        Req::get("/api/cxreports/reports/101/pdf?params=%7B%22a%22%3A1%7D"),
        Req::get("/api/cxreports/reports/105/pdf"),
        Req::get("/api/cxreports/reports/invoice/pdf"),
        Req::get("/api/cxreports/reports/999/pdf"),
        Req::get("/api/cxreports/reports/101/pdf?params=%5B"),
        Req::post("/api/cxreports/temporary-data").json(&json!({"content": {"a": 1}})),
        Req::post("/api/cxreports/temporary-data").json(&json!({"content": "x".repeat(600)})),
        Req::post("/api/cxreports/temporary-data").raw_body(b"{".to_vec()),
        Req::get("/api/v1/workspaces"),
        Req::get("/api/cxreports/anything"),
        Req::post("/auth/me"),
        Req::get("/healthz"),
    ];
    // The same again, signed out.
    let signed_out: Vec<Req> = vec![
        Req::post("/api/cxreports/nonce").without_cookie(),
        Req::get("/api/cxreports/reports").without_cookie(),
        Req::get("/api/cxreports/reports/101/pdf").without_cookie(),
    ];
    requests.extend(signed_out);
    requests
}

fn restricted(config: &mut BackendConfig) {
    config.allowed_report_types = vec!["invoice".into(), "customers".into()];
    config.max_temp_data_bytes = 512;
    config.allowed_origins = vec!["http://127.0.0.1:*".into()];
}

async fn sweep(h: &mut common::Harness) {
    h.login("sweeper").await;
    for request in all_requests() {
        h.send(request).await;
    }
}

#[tokio::test]
async fn the_pat_never_reaches_a_browser() {
    let mut answers: Vec<Answer> = Vec::new();

    // Everything working.
    let mut h = start_with_sweep_pat(restricted).await;
    sweep(&mut h).await;

    // CxReports failing in every way the simulator can, on every call.
    for kind in [
        "malformed",
        "wrongShape",
        "empty",
        "html",
        "status",
        "drop",
        "big",
    ] {
        h.sim_fault(json!({"path": "/api/v1/", "kind": kind})).await;
        for request in all_requests() {
            h.send(request).await;
        }
        h.clear_sim_faults().await;
    }
    answers.extend(h.answers.lock().unwrap().drain(..));

    // Timeouts.
    let mut slow = start_with_sweep_pat(|c| {
        restricted(c);
        c.upstream_timeout = Duration::from_millis(100);
    })
    .await;
    slow.sim_fault(json!({"path": "/api/v1/", "kind": "latency", "ms": 1000}))
        .await;
    sweep(&mut slow).await;
    answers.extend(slow.answers.lock().unwrap().drain(..));

    // The simulator in login-page mode refusing the backend's (different) PAT.
    let refused = SimConfig {
        login_page_200: true,
        ..SimConfig::default()
    };
    let mut wrong = start(refused, |c| {
        restricted(c);
        c.pat = Secret::new(SWEEP_PAT);
    })
    .await;
    sweep(&mut wrong).await;
    let mut wrong_json = start(SimConfig::default(), |c| c.pat = Secret::new(SWEEP_PAT)).await;
    sweep(&mut wrong_json).await;
    answers.extend(wrong.answers.lock().unwrap().drain(..));
    answers.extend(wrong_json.answers.lock().unwrap().drain(..));

    // CxReports unreachable.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut gone = start_with_sweep_pat(|c| c.cxreports_url = format!("http://{closed}")).await;
    sweep(&mut gone).await;
    answers.extend(gone.answers.lock().unwrap().drain(..));

    assert!(answers.len() > 300, "{}", answers.len());
    // The sweep covered successes and each failure kind.
    for status in [200, 400, 401, 403, 404, 405, 413, 502, 504] {
        assert!(
            answers.iter().any(|a| a.status.as_u16() == status),
            "no {status} in the sweep"
        );
    }
    assert!(answers.iter().any(|a| a.body.starts_with(b"%PDF-")));
    assert_never_leaked(&answers, SWEEP_PAT);
    // Nor any telling part of it.
    assert_never_leaked(&answers, "LEAKCANARY");
}

#[test]
fn debug_and_display_never_show_the_pat() {
    let config = BackendConfig {
        pat: Secret::new(SWEEP_PAT),
        ..BackendConfig::simulator_default()
    };
    for text in [
        format!("{config:?}"),
        format!("{config:#?}"),
        format!("{}", config.pat),
        format!("{:?}", config.pat),
    ] {
        assert!(!text.contains("LEAKCANARY"), "{text}");
    }
}
