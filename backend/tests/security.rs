//! Refusals: no session, CSRF, CORS, allowlist, size limit.
mod common;

use common::{start, start_default, Req};
use cxreports_contract::model::{Report, ReportType};
use reqwest::StatusCode;
use serde_json::json;

const CXREPORTS_ENDPOINTS: [(&str, &str); 7] = [
    ("GET", "/api/cxreports/widget-config"),
    ("POST", "/api/cxreports/nonce"),
    ("GET", "/api/cxreports/workspaces"),
    ("GET", "/api/cxreports/report-types"),
    ("GET", "/api/cxreports/reports"),
    ("GET", "/api/cxreports/reports/101/pdf"),
    ("POST", "/api/cxreports/temporary-data"),
];

fn request(method: &str, path: &str) -> Req {
    if method == "POST" {
        Req::post(path).json(&json!({"content": 1}))
    } else {
        Req::get(path)
    }
}

#[tokio::test]
async fn every_cxreports_endpoint_needs_a_host_session() {
    let mut h = start_default().await;
    for (method, path) in CXREPORTS_ENDPOINTS {
        h.send(request(method, path))
            .await
            .assert_error(401, "unauthenticated");
    }
    h.cookie = Some("host_session=616c696365.99999999999.00ff".into());
    for (method, path) in CXREPORTS_ENDPOINTS {
        h.send(request(method, path))
            .await
            .assert_error(401, "unauthenticated");
    }
    // Nothing reached CxReports.
    assert!(h.upstream_requests().await.is_empty());
}

#[tokio::test]
async fn sessions_are_stateless_across_instances_sharing_the_secret() {
    let secret = b"a shared secret of at least 32 bytes!".to_vec();
    let mut first = start(Default::default(), |c| {
        c.session_secret = Some(secret.clone())
    })
    .await;
    first.login("alice").await;
    let mut second = start(Default::default(), |c| {
        c.session_secret = Some(secret.clone())
    })
    .await;
    second.cookie = first.cookie.clone();
    let me = second.send(Req::get("/auth/me")).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["user"], "alice");

    // Another secret, another realm.
    let mut third = start(Default::default(), |c| {
        c.session_secret = Some(b"another secret of at least 32 bytes!!".to_vec())
    })
    .await;
    third.cookie = first.cookie.clone();
    third
        .send(Req::post("/api/cxreports/nonce"))
        .await
        .assert_error(401, "unauthenticated");
}

#[tokio::test]
async fn posts_without_x_requested_with_are_refused() {
    let mut h = start_default().await;
    let message = h
        .send(
            Req::post("/auth/login")
                .json(&json!({"user": "alice"}))
                .without_requested_with(),
        )
        .await
        .assert_error(403, "csrf");
    assert!(message.contains("X-Requested-With"), "{message}");
    h.login("alice").await;
    for path in [
        "/api/cxreports/nonce",
        "/api/cxreports/temporary-data",
        "/auth/logout",
    ] {
        h.send(request("POST", path).without_requested_with())
            .await
            .assert_error(403, "csrf");
    }
}

#[tokio::test]
async fn posts_from_foreign_origins_are_refused_and_allowed_or_own_origins_pass() {
    let mut h = start(Default::default(), |c| {
        c.allowed_origins = vec![
            "https://app.example.com".into(),
            "http://127.0.0.1:*".into(),
        ]
    })
    .await;
    h.login("alice").await;
    let nonce = |origin: &str| Req::post("/api/cxreports/nonce").origin(origin);
    let message = h
        .send(nonce("https://evil.example.com"))
        .await
        .assert_error(403, "csrf");
    assert!(message.contains("BACKEND_ALLOWED_ORIGINS"), "{message}");
    h.send(nonce("null")).await.assert_error(403, "csrf");
    h.send(nonce("http://localhost:9"))
        .await
        .assert_error(403, "csrf");
    assert_eq!(
        h.send(nonce("https://app.example.com")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        h.send(nonce("http://127.0.0.1:5173")).await.status,
        StatusCode::OK
    );

    // With no allowlist at all, the backend's own origin still passes.
    let mut own = start(Default::default(), |c| c.allowed_origins.clear()).await;
    own.login("alice").await;
    let backend = own.backend.clone();
    assert_eq!(own.send(nonce(&backend)).await.status, StatusCode::OK);
    own.send(nonce("http://127.0.0.1:1"))
        .await
        .assert_error(403, "csrf");
}

#[tokio::test]
async fn cors_answers_allowed_origins_only_with_credentials() {
    let h = start(Default::default(), |c| {
        c.allowed_origins = vec!["https://app.example.com".into()]
    })
    .await;
    let preflight = |origin: &'static str| {
        h.client
            .request(
                reqwest::Method::OPTIONS,
                format!("{}/api/cxreports/nonce", h.backend),
            )
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "x-requested-with,content-type",
            )
            .send()
    };
    let allowed = preflight("https://app.example.com").await.unwrap();
    let headers = allowed.headers();
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(headers["access-control-allow-credentials"], "true");
    let allow_headers = headers["access-control-allow-headers"].to_str().unwrap();
    for name in ["content-type", "x-requested-with", "x-csrf-token"] {
        assert!(allow_headers.contains(name), "{allow_headers}");
    }
    let methods = headers["access-control-allow-methods"].to_str().unwrap();
    assert!(methods.contains("GET") && methods.contains("POST") && !methods.contains("DELETE"));

    let foreign = preflight("https://evil.example.com").await.unwrap();
    assert!(foreign
        .headers()
        .get("access-control-allow-origin")
        .is_none());

    let mut h = h;
    h.login("alice").await;
    let pdf = h
        .send(Req::get("/api/cxreports/reports/101/pdf").origin("https://app.example.com"))
        .await;
    assert_eq!(
        pdf.header("access-control-allow-origin"),
        "https://app.example.com"
    );
    assert!(pdf
        .header("access-control-expose-headers")
        .contains("content-disposition"));
}

#[tokio::test]
async fn a_type_allowlist_filters_lists_and_refuses_the_rest() {
    let mut h = start(Default::default(), |c| {
        c.allowed_report_types = vec!["invoice".into(), "customers".into()]
    })
    .await;
    h.login("alice").await;
    let types: Vec<ReportType> =
        serde_json::from_slice(&h.send(Req::get("/api/cxreports/report-types")).await.body)
            .unwrap();
    let codes: Vec<&str> = types.iter().map(|t| t.code.as_str()).collect();
    assert_eq!(codes, ["invoice", "customers"]);

    let reports: Vec<Report> =
        serde_json::from_slice(&h.send(Req::get("/api/cxreports/reports")).await.body).unwrap();
    assert!(!reports.is_empty());
    assert!(reports
        .iter()
        .all(|r| ["Invoice", "Customers"].contains(&r.report_type_name.as_str())));

    let message = h
        .send(Req::get("/api/cxreports/reports?type=revenue"))
        .await
        .assert_error(403, "forbidden");
    assert!(message.contains("revenue"), "{message}");
    h.send(Req::get("/api/cxreports/reports/105/pdf"))
        .await
        .assert_error(403, "forbidden");
    h.send(Req::get("/api/cxreports/reports/revenue/pdf"))
        .await
        .assert_error(403, "forbidden");
    assert_eq!(
        h.send(Req::get("/api/cxreports/reports/invoice/pdf"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        h.send(Req::get("/api/cxreports/reports/109/pdf"))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_report_allowlist_filters_lists_and_pins_type_codes_to_checked_ids() {
    let mut h = start(Default::default(), |c| {
        c.allowed_reports = vec![101, 109, 110]
    })
    .await;
    h.login("alice").await;
    let reports: Vec<Report> =
        serde_json::from_slice(&h.send(Req::get("/api/cxreports/reports")).await.body).unwrap();
    let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
    assert_eq!(ids, [101, 109, 110]);
    let customers: Vec<Report> = serde_json::from_slice(
        &h.send(Req::get("/api/cxreports/reports?type=customers"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(
        customers.iter().map(|r| r.id).collect::<Vec<_>>(),
        [109, 110]
    );

    h.send(Req::get("/api/cxreports/reports/102/pdf"))
        .await
        .assert_error(403, "forbidden");
    // revenue's default report is 105, not allowed.
    h.send(Req::get("/api/cxreports/reports/revenue/pdf"))
        .await
        .assert_error(403, "forbidden");
    // drafts has no default report to check.
    h.send(Req::get("/api/cxreports/reports/drafts/pdf"))
        .await
        .assert_error(403, "forbidden");

    h.clear_upstream_requests().await;
    let invoice = h.send(Req::get("/api/cxreports/reports/invoice/pdf")).await;
    assert_eq!(invoice.status, StatusCode::OK);
    assert!(invoice.body.starts_with(b"%PDF-"));
    let requests = h.upstream_requests().await;
    assert!(
        requests
            .iter()
            .any(|(_, path, _)| path == "/api/v1/ws/sales/reports/101/pdf"),
        "{requests:?}"
    );
}

#[tokio::test]
async fn temporary_data_over_the_limit_is_413_and_never_sent_upstream() {
    let mut h = start(Default::default(), |c| c.max_temp_data_bytes = 1024).await;
    h.login("alice").await;
    h.clear_upstream_requests().await;
    let big = json!({"content": "x".repeat(2000)});
    let message = h
        .send(Req::post("/api/cxreports/temporary-data").json(&big))
        .await
        .assert_error(413, "too_large");
    assert!(message.contains("1024"), "{message}");

    // Without a Content-Length, the limit holds while reading.
    let chunks = vec![
        Ok::<_, std::io::Error>(vec![b' '; 800]),
        Ok(vec![b' '; 800]),
    ];
    let streamed = h
        .client
        .post(format!("{}/api/cxreports/temporary-data", h.backend))
        .header("x-requested-with", "cxreports-widget")
        .header("cookie", h.cookie.clone().unwrap())
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(streamed.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(h.upstream_requests().await.is_empty());

    let small = json!({"content": "x".repeat(500)});
    assert_eq!(
        h.send(Req::post("/api/cxreports/temporary-data").json(&small))
            .await
            .status,
        StatusCode::OK
    );
}
