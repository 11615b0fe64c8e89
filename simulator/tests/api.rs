//! The `/api/v1` endpoints, over a real socket.
mod common;

use common::{header, no_redirect_client, start, start_with, switch};
use cxreports_contract::model::{Listing, Report, ReportType, TemporaryDataResponse, Workspace};
use cxreports_simulator::{SimConfig, DEMO_PAT};
use reqwest::header::{AUTHORIZATION, CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn missing_or_wrong_pat_is_a_json_401() {
    let sim = start().await;
    for auth in [None, Some("Bearer nope"), Some("Basic abc"), Some(DEMO_PAT)] {
        let mut request = sim.client.get(sim.url("/api/v1/workspaces"));
        if let Some(auth) = auth {
            request = request.header(AUTHORIZATION, auth);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{auth:?}");
        assert!(header(&response, CONTENT_TYPE).starts_with("application/json"));
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains("Bearer"), "{body}");
    }
    // Every API endpoint is guarded, POSTs included.
    for (method, path) in [
        ("POST", "/api/v1/nonce-tokens"),
        ("POST", "/api/v1/ws/sales/temporary-data"),
        ("GET", "/api/v1/ws/sales/reports/101/pdf"),
        ("GET", "/api/v1/ws/sales/reports"),
        ("GET", "/api/v1/ws/sales/report-types"),
    ] {
        let request = sim
            .client
            .request(method.parse().unwrap(), sim.url(path))
            .json(&json!({"content": 1}));
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
}

#[tokio::test]
async fn configured_pats_replace_the_demo_pat() {
    let sim = start_with(SimConfig {
        pats: vec!["first".into(), "second".into()],
        ..SimConfig::default()
    })
    .await;
    for (token, status) in [
        ("first", StatusCode::OK),
        ("second", StatusCode::OK),
        (DEMO_PAT, StatusCode::UNAUTHORIZED),
    ] {
        let response = sim
            .client
            .get(sim.url("/api/v1/workspaces"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{token}");
    }
}

#[tokio::test]
async fn login_page_mode_answers_html_with_200() {
    let sim = start_with(SimConfig {
        login_page_200: true,
        ..SimConfig::default()
    })
    .await;
    let response = sim
        .client
        .get(sim.url("/api/v1/workspaces"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, CONTENT_TYPE).starts_with("text/html"));
    assert!(response.text().await.unwrap().contains("login-form"));
    // Authenticated calls are unaffected.
    assert_eq!(sim.api_json("/api/v1/workspaces").await[0]["code"], "sales");
}

#[tokio::test]
async fn auth_redirect_mode_sends_anonymous_calls_to_a_sign_in_page() {
    let sim = start_with(SimConfig {
        auth_redirect: true,
        // The redirect wins over the HTML-200 mode.
        login_page_200: true,
        ..SimConfig::default()
    })
    .await;
    let http = no_redirect_client();
    for auth in [None, Some("Bearer nope")] {
        let mut request = http.get(sim.url("/api/v1/ws/sales/reports?type=invoice&limit=5"));
        if let Some(auth) = auth {
            request = request.header(AUTHORIZATION, auth);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FOUND, "{auth:?}");
        assert_eq!(
            header(&response, LOCATION),
            "/Account/Login?ReturnUrl=%2Fapi%2Fv1%2Fws%2Fsales%2Freports%3Ftype%3Dinvoice%26limit%3D5"
        );
    }
    let response = http
        .post(sim.url("/api/v1/nonce-tokens"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(
        header(&response, LOCATION),
        "/Account/Login?ReturnUrl=%2Fapi%2Fv1%2Fnonce-tokens"
    );
    // Where it leads: a sign-in page, 200 text/html.
    let page = http
        .get(sim.url("/Account/Login?ReturnUrl=%2F"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(header(&page, CONTENT_TYPE).starts_with("text/html"));
    assert!(page.text().await.unwrap().contains("id=\"login-form\""));
    // Calls with the PAT are unaffected.
    assert_eq!(sim.api_json("/api/v1/workspaces").await[0]["code"], "sales");
}

/// Both ways of refusing an anonymous API call switch on and off at run
/// time, and a switch with a body it cannot read says what to send.
#[tokio::test]
async fn the_sign_in_modes_switch_at_run_time() {
    let sim = start().await;
    let http = no_redirect_client();
    let anonymous = || http.get(sim.url("/api/v1/ws/sales/reports")).send();
    for (path, when_on) in [
        ("/__sim/login-page", StatusCode::OK),
        ("/__sim/auth-redirect", StatusCode::FOUND),
    ] {
        assert_eq!(
            anonymous().await.unwrap().status(),
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        let answer = switch(&sim, path, json!({"enabled": true})).await;
        assert_eq!(answer, json!({"enabled": true}), "{path}");
        let response = anonymous().await.unwrap();
        assert_eq!(response.status(), when_on, "{path}");
        if when_on == StatusCode::FOUND {
            assert!(header(&response, LOCATION).starts_with("/Account/Login?ReturnUrl="));
        } else {
            assert!(header(&response, CONTENT_TYPE).starts_with("text/html"));
        }
        switch(&sim, path, json!({"enabled": false})).await;
        assert_eq!(
            anonymous().await.unwrap().status(),
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        let bad = sim
            .client
            .post(sim.url(path))
            .json(&json!({"enabled": "yes"}))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST, "{path}");
    }
    let bad = sim
        .client
        .post(sim.url("/__sim/auth-redirect"))
        .json(&json!({"enabled": "yes"}))
        .send()
        .await
        .unwrap();
    let body: Value = bad.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("\"enabled\""),
        "{body}"
    );
}

/// The names of the fields of each row that are `null`.
fn nulls(list: &Value) -> Vec<Vec<String>> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_object()
                .unwrap()
                .iter()
                .filter(|(_, v)| v.is_null())
                .map(|(k, _)| k.clone())
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn explicit_nulls_mode_writes_every_empty_optional_field_as_null() {
    let sim = start_with(SimConfig {
        explicit_nulls: true,
        extra_reports: 7,
        ..SimConfig::default()
    })
    .await;
    let workspaces = sim.api_json("/api/v1/workspaces").await;
    assert_eq!(nulls(&workspaces), [vec![], vec!["description".to_owned()]]);

    let types = sim.api_json("/api/v1/ws/sales/report-types").await;
    let drafts = types
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "drafts")
        .unwrap();
    assert_eq!(drafts["defaultReportId"], Value::Null);
    assert_eq!(drafts["defaultReportName"], Value::Null);
    assert_eq!(types[0]["defaultReportId"], 101);

    let reports = sim.api_json("/api/v1/ws/sales/reports").await;
    let rows = reports.as_array().unwrap();
    let by_id = |id: i64| rows.iter().find(|r| r["id"] == id).unwrap();
    // A default report with a theme: only the preview image is empty.
    assert_eq!(nulls(&json!([by_id(101)]))[0], ["previewImage"]);
    // Not default, no theme.
    let mut empty = nulls(&json!([by_id(102)])).remove(0);
    empty.sort();
    assert_eq!(empty, ["isDefault", "previewImage", "themeName"]);
    // A generated report without a template.
    assert_eq!(by_id(1007)["reportTemplateName"], Value::Null);
    // Every key is there in every row, null or not.
    for row in rows {
        for key in [
            "reportTemplateName",
            "isDefault",
            "previewImage",
            "themeName",
        ] {
            assert!(row.as_object().unwrap().contains_key(key), "{row}");
        }
    }
    // And the contract reads it all, nothing skipped.
    let list: Listing<Report> = serde_json::from_value(reports.clone()).unwrap();
    assert_eq!((list.rows.len(), list.skipped), (rows.len(), 0));
    assert!(!list.rows.iter().find(|r| r.id == 102).unwrap().is_default);
    let list: Listing<ReportType> = serde_json::from_value(types).unwrap();
    assert_eq!(list.skipped, 0);

    // Without the mode, empty fields are left out.
    let plain = start().await;
    let reports = plain.api_json("/api/v1/ws/sales/reports").await;
    assert!(nulls(&reports).iter().all(Vec::is_empty), "{reports}");
    assert!(reports[1].get("themeName").is_none(), "{}", reports[1]);
}

#[tokio::test]
async fn a_default_page_size_applies_only_without_a_limit() {
    let sim = start_with(SimConfig {
        default_page_size: Some(5),
        extra_reports: 300,
        ..SimConfig::default()
    })
    .await;
    let ids = |value: Value| -> Vec<i64> {
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect()
    };
    let all = ids(sim.api_json("/api/v1/ws/sales/reports?limit=100000").await);
    assert_eq!(all.len(), 14 + 300);
    assert_eq!(all.last(), Some(&1300));
    assert_eq!(
        ids(sim.api_json("/api/v1/ws/sales/reports").await),
        all[..5]
    );
    assert_eq!(
        ids(sim.api_json("/api/v1/ws/sales/reports?limit=").await),
        all[..5]
    );
    assert_eq!(
        ids(sim.api_json("/api/v1/ws/sales/reports?offset=12").await),
        all[12..17]
    );
    assert_eq!(
        ids(sim
            .api_json("/api/v1/ws/sales/reports?offset=200&limit=200")
            .await),
        all[200..]
    );
    // Types filter before the page is cut.
    let revenue = ids(sim.api_json("/api/v1/ws/sales/reports?type=revenue").await);
    assert_eq!(revenue, [105, 106, 107, 108, 1002]);
    // The other workspace has no generated reports.
    assert_eq!(
        ids(sim.api_json("/api/v1/ws/ops/reports?limit=50").await).len(),
        5
    );
}

#[tokio::test]
async fn workspaces_are_seeded() {
    let sim = start().await;
    let workspaces: Vec<Workspace> =
        serde_json::from_value(sim.api_json("/api/v1/workspaces").await).unwrap();
    let codes: Vec<_> = workspaces.iter().map(|w| (w.id, w.code.as_str())).collect();
    assert_eq!(codes, [(1, "sales"), (2, "ops")]);
    assert_eq!(workspaces[1].name, "Operations & Logistics");
}

#[tokio::test]
async fn a_workspace_is_named_by_id_or_code() {
    let sim = start().await;
    let by_code = sim.api_json("/api/v1/ws/sales/report-types").await;
    let by_id = sim.api_json("/api/v1/ws/1/report-types").await;
    assert_eq!(by_code, by_id);
    let types: Vec<ReportType> = serde_json::from_value(by_code).unwrap();
    let invoice = types.iter().find(|t| t.code == "invoice").unwrap();
    assert_eq!(invoice.default_report_id, Some(101));
    assert_eq!(
        invoice.default_report_name.as_deref(),
        Some("Standard Invoice")
    );
    let ops: Vec<ReportType> =
        serde_json::from_value(sim.api_json("/api/v1/ws/ops/report-types").await).unwrap();
    let codes: Vec<_> = ops.iter().map(|t| t.code.as_str()).collect();
    assert_eq!(codes, ["inventory", "shipping"]);
    assert_eq!(
        sim.api_json("/api/v1/ws/2/reports").await,
        sim.api_json("/api/v1/ws/ops/reports").await
    );
}

#[tokio::test]
async fn an_unknown_workspace_is_a_json_404() {
    let sim = start().await;
    for path in [
        "/api/v1/ws/nope/report-types",
        "/api/v1/ws/9/reports",
        "/api/v1/ws/nope/reports/1/pdf",
    ] {
        let response = sim.api_get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error"].as_str().unwrap().contains("workspace"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn reports_list_with_names_that_need_escaping() {
    let sim = start().await;
    let reports: Vec<Report> =
        serde_json::from_value(sim.api_json("/api/v1/ws/sales/reports").await).unwrap();
    assert!(reports.len() >= 12, "{}", reports.len());
    let names: Vec<_> = reports.iter().map(|r| r.name.as_str()).collect();
    for name in [
        "Quarterly <b>Revenue</b> & Margin",
        "Z\u{fc}rich \"Q3\" summary",
        "Pr\u{e9}stamo \u{2014} a\u{f1}o 2026",
        "O'Brien's <script>alert(1)</script> list",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    assert_eq!(reports.iter().filter(|r| r.is_default).count(), 3);
    let ops: Vec<Report> =
        serde_json::from_value(sim.api_json("/api/v1/ws/ops/reports").await).unwrap();
    assert!(ops.len() >= 3 && ops.iter().all(|r| r.id > 200));
}

#[tokio::test]
async fn reports_filter_by_type_and_paginate() {
    let sim = start().await;
    let ids = |value: Value| -> Vec<i64> {
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect()
    };
    let revenue = ids(sim.api_json("/api/v1/ws/sales/reports?type=revenue").await);
    assert_eq!(revenue, [105, 106, 107, 108]);
    let all = ids(sim.api_json("/api/v1/ws/sales/reports").await);
    let page = ids(sim
        .api_json("/api/v1/ws/sales/reports?offset=2&limit=3")
        .await);
    assert_eq!(page, all[2..5]);
    let both = ids(sim
        .api_json("/api/v1/ws/sales/reports?type=revenue&offset=1&limit=2")
        .await);
    assert_eq!(both, [106, 107]);
    assert!(ids(sim.api_json("/api/v1/ws/sales/reports?offset=999").await).is_empty());
    assert!(ids(sim.api_json("/api/v1/ws/sales/reports?type=nosuch").await).is_empty());
    // A type of another workspace filters to nothing here.
    assert!(ids(sim
        .api_json("/api/v1/ws/sales/reports?type=inventory")
        .await)
    .is_empty());
}

#[tokio::test]
async fn bad_pagination_numbers_are_a_json_400() {
    let sim = start().await;
    for query in [
        "offset=-1",
        "limit=ten",
        "offset=1.5",
        "limit=99999999999999999999999",
    ] {
        let response = sim
            .api_get(&format!("/api/v1/ws/sales/reports?{query}"))
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["error"].as_str().unwrap().contains("whole number"),
            "{body}"
        );
    }
}

async fn pdf(sim: &common::Sim, path: &str) -> Vec<u8> {
    let response = sim.api_get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(header(&response, CONTENT_TYPE), "application/pdf");
    let bytes = response.bytes().await.unwrap().to_vec();
    assert!(bytes.starts_with(b"%PDF-"), "{path}");
    assert!(bytes.ends_with(b"%%EOF") || bytes.ends_with(b"%%EOF\n"));
    bytes
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Standard-font text outside ASCII is written as a hex string.
fn hex(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .flat_map(|b| format!("{b:02X}").into_bytes())
        .collect()
}

#[tokio::test]
async fn pdf_by_id_shows_the_name_and_the_inputs() {
    let sim = start().await;
    let params = common::enc(r#"{"year":2026,"region":"north"}"#);
    let bytes = pdf(
        &sim,
        &format!("/api/v1/ws/sales/reports/107/pdf?params={params}&timezone=Europe%2FBelgrade&lang=sr&data=%5B1%2C2%5D"),
    )
    .await;
    assert!(contains(&bytes, b"Monthly Revenue by Region"));
    assert!(contains(&bytes, b"\"year\": 2026"));
    assert!(contains(&bytes, b"Europe/Belgrade"));
    assert!(contains(&bytes, b"Language: sr"));
    // HTML-special names stay as they are in a PDF.
    let bytes = pdf(&sim, "/api/v1/ws/1/reports/105/pdf").await;
    assert!(contains(&bytes, b"Quarterly <b>Revenue</b> & Margin"));
}

#[tokio::test]
async fn pdf_encodes_non_ascii_as_win_ansi() {
    let sim = start().await;
    let bytes = pdf(&sim, "/api/v1/ws/sales/reports/106/pdf").await;
    assert!(contains(&bytes, &hex(b"Z\xfcrich \"Q3\" summary")));
    let bytes = pdf(&sim, "/api/v1/ws/sales/reports/113/pdf").await;
    // The CJK characters and long vowels have no WinAnsi code: replaced,
    // not dropped (and then all ASCII, so a literal string).
    assert!(contains(&bytes, b"?? customers (T?ky?)"));
}

#[tokio::test]
async fn pdf_is_an_attachment_named_after_the_report_in_ascii_and_utf_8() {
    let sim = start().await;
    for (path, expected) in [
        (
            "/api/v1/ws/sales/reports/106/pdf",
            "attachment; filename=\"Z_rich _Q3_ summary.pdf\"; \
             filename*=UTF-8''Z%C3%BCrich%20%22Q3%22%20summary.pdf",
        ),
        (
            "/api/v1/ws/ops/reports/shipping/pdf",
            "attachment; filename=\"Shipments this week.pdf\"; \
             filename*=UTF-8''Shipments%20this%20week.pdf",
        ),
    ] {
        let response = sim.api_get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&response, CONTENT_DISPOSITION), expected, "{path}");
    }
}

#[tokio::test]
async fn pdf_by_type_code_is_the_default_report() {
    let sim = start().await;
    let bytes = pdf(&sim, "/api/v1/ws/ops/reports/shipping/pdf").await;
    assert!(contains(&bytes, b"Shipments this week"));
}

#[tokio::test]
async fn pdf_of_unknown_reports_is_a_json_404_and_bad_params_a_400() {
    let sim = start().await;
    for path in [
        "/api/v1/ws/sales/reports/9999/pdf",
        "/api/v1/ws/sales/reports/201/pdf",
        "/api/v1/ws/sales/reports/nosuchtype/pdf",
        "/api/v1/ws/sales/reports/drafts/pdf",
    ] {
        let response = sim.api_get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(header(&response, CONTENT_TYPE).starts_with("application/json"));
        let body: Value = response.json().await.unwrap();
        assert!(body["error"].is_string());
    }
    let response = sim
        .api_get("/api/v1/ws/sales/reports/101/pdf?params=%7Bnot-json")
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("params"), "{body}");
}

#[tokio::test]
async fn temporary_data_is_stored_and_shown_in_the_pdf() {
    let sim = start().await;
    let response = sim
        .api_post(
            "/api/v1/ws/sales/temporary-data",
            &json!({"content": {"rows": [{"customer": "ACME-TEMP"}]}}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let stored: TemporaryDataResponse = response.json().await.unwrap();
    let expiry = time::OffsetDateTime::parse(
        &stored.expiry_date,
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert!(expiry > time::OffsetDateTime::now_utc() + time::Duration::minutes(50));
    let bytes = pdf(
        &sim,
        &format!(
            "/api/v1/ws/sales/reports/109/pdf?tempDataId={}",
            stored.temp_data_id
        ),
    )
    .await;
    assert!(contains(&bytes, b"ACME-TEMP"));
}

#[tokio::test]
async fn temporary_data_keeps_the_asked_expiry_and_refuses_bad_bodies() {
    let sim = start().await;
    let later = "2099-05-06T07:08:09Z";
    let response = sim
        .api_post(
            "/api/v1/ws/ops/temporary-data",
            &json!({"content": [1, 2, 3], "expiryDate": later}),
        )
        .await;
    let stored: TemporaryDataResponse = response.json().await.unwrap();
    assert_eq!(stored.expiry_date, later);
    for body in [
        json!({"expiryDate": later}),
        json!({"content": 1, "expiryDate": "soon"}),
        json!({"content": 1, "expiryDate": "2001-01-01T00:00:00Z"}),
    ] {
        let response = sim.api_post("/api/v1/ws/ops/temporary-data", &body).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let error: Value = response.json().await.unwrap();
        assert!(error["error"].is_string());
    }
    let not_json = sim
        .client
        .post(sim.url("/api/v1/ws/ops/temporary-data"))
        .bearer_auth(DEMO_PAT)
        .header(CONTENT_TYPE, "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn nonces_are_long_random_and_distinct() {
    let sim = start().await;
    let a = sim.nonce().await;
    let b = sim.nonce().await;
    assert_ne!(a, b);
    // At least 128 bits, URL-safe as is.
    assert!(a.len() >= 32, "{a}");
    assert!(a
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    // A body is allowed and ignored.
    let response = sim.api_post("/api/v1/nonce-tokens", &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let sim = start().await;
    let response = sim.api_get("/api/v1/nothing-here").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].is_string());
}
