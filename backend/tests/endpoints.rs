//! Every browser-facing endpoint's happy path, against the simulator.
mod common;

use common::{cxreports_with_bad_rows, start_against, start_default, Req, Stub};
use cxreports_contract::model::{NonceToken, Report, ReportType, TemporaryDataResponse, Workspace};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn login_me_and_logout_round_trip_through_the_cookie() {
    let mut h = start_default().await;
    h.send(Req::get("/auth/me"))
        .await
        .assert_error(401, "unauthenticated");

    let answer = h.login("  Ana Žić ").await;
    assert_eq!(answer.json()["user"], "Ana Žić");
    assert!(answer.json()["expiresAt"].as_u64().unwrap() > 1_700_000_000);
    let set_cookie = answer.header("set-cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain http: {set_cookie}");

    let me = h.send(Req::get("/auth/me")).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["user"], "Ana Žić");

    let out = h.send(Req::post("/auth/logout")).await;
    assert_eq!(out.status, StatusCode::OK);
    assert!(out.header("set-cookie").contains("Max-Age=0"));
}

#[tokio::test]
async fn login_behind_https_sets_a_secure_cookie() {
    let h = start_default().await;
    let answer = h
        .send(
            Req::post("/auth/login")
                .header("x-forwarded-proto", "https")
                .json(&json!({"user": "alice"})),
        )
        .await;
    assert!(answer.header("set-cookie").ends_with("; Secure"));
}

#[tokio::test]
async fn a_bad_login_body_says_what_to_send() {
    let h = start_default().await;
    let message = h
        .send(Req::post("/auth/login").json(&json!({"name": "alice"})))
        .await
        .assert_error(400, "bad_request");
    assert!(message.contains("\"user\""), "{message}");
    h.send(Req::post("/auth/login").json(&json!({"user": ""})))
        .await
        .assert_error(400, "bad_request");
}

#[tokio::test]
async fn the_nonce_is_fresh_each_time_and_opens_the_viewer() {
    let mut h = start_default().await;
    h.login("alice").await;
    let first = h.send(Req::post("/api/cxreports/nonce")).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("cache-control"), "no-store");
    let first: NonceToken = serde_json::from_slice(&first.body).unwrap();
    let second: NonceToken =
        serde_json::from_slice(&h.send(Req::post("/api/cxreports/nonce")).await.body).unwrap();
    assert_ne!(first.nonce, second.nonce);

    // The nonce is a real CxReports nonce: the viewer accepts it once.
    let viewer = format!(
        "http://{}/ws/sales/reports/101/preview?nonce={}",
        h.sim, first.nonce
    );
    let page = h.client.get(&viewer).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("Standard Invoice"));
}

#[tokio::test]
async fn widget_config_tells_the_page_where_cxreports_is() {
    let mut h = start_default().await;
    h.send(Req::get("/api/cxreports/widget-config"))
        .await
        .assert_error(401, "unauthenticated");
    h.login("alice").await;
    let answer = h.send(Req::get("/api/cxreports/widget-config")).await;
    assert_eq!(
        answer.json(),
        json!({"cxreportsUrl": format!("http://{}", h.sim), "workspace": "sales"})
    );
}

#[tokio::test]
async fn workspaces_show_only_the_configured_one() {
    let mut h = start_default().await;
    h.login("alice").await;
    let answer = h.send(Req::get("/api/cxreports/workspaces")).await;
    assert_eq!(answer.status, StatusCode::OK);
    let workspaces: Vec<Workspace> = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(workspaces.len(), 1);
    assert_eq!(workspaces[0].code, "sales");
}

#[tokio::test]
async fn a_workspace_named_by_id_works_too() {
    let mut h = common::start(Default::default(), |c| c.workspace = "2".into()).await;
    h.login("alice").await;
    let workspaces: Vec<Workspace> =
        serde_json::from_slice(&h.send(Req::get("/api/cxreports/workspaces")).await.body).unwrap();
    assert_eq!(workspaces[0].code, "ops");
    let types: Vec<ReportType> =
        serde_json::from_slice(&h.send(Req::get("/api/cxreports/report-types")).await.body)
            .unwrap();
    assert!(types.iter().any(|t| t.code == "inventory"));
}

#[tokio::test]
async fn a_workspace_the_pat_cannot_see_is_a_clear_error() {
    let mut h = common::start(Default::default(), |c| c.workspace = "nope".into()).await;
    h.login("alice").await;
    let message = h
        .send(Req::get("/api/cxreports/workspaces"))
        .await
        .assert_error(502, "workspace_not_found");
    assert!(message.contains("CXREPORTS_WORKSPACE"), "{message}");
    let answer = h.send(Req::get("/api/cxreports/report-types")).await;
    assert_eq!(answer.json()["upstreamStatus"], 404);
    answer.assert_error(502, "upstream_status");
}

#[tokio::test]
async fn report_types_and_reports_list_the_workspace() {
    let mut h = start_default().await;
    h.login("alice").await;
    let types: Vec<ReportType> =
        serde_json::from_slice(&h.send(Req::get("/api/cxreports/report-types")).await.body)
            .unwrap();
    let codes: Vec<&str> = types.iter().map(|t| t.code.as_str()).collect();
    for code in ["invoice", "revenue", "customers"] {
        assert!(codes.contains(&code), "{codes:?}");
    }

    let all: Vec<Report> =
        serde_json::from_slice(&h.send(Req::get("/api/cxreports/reports")).await.body).unwrap();
    assert!(all.len() >= 12, "{}", all.len());

    let invoices: Vec<Report> = serde_json::from_slice(
        &h.send(Req::get("/api/cxreports/reports?type=invoice"))
            .await
            .body,
    )
    .unwrap();
    assert!(!invoices.is_empty());
    assert!(invoices.iter().all(|r| r.report_type_name == "Invoice"));

    let page: Vec<Report> = serde_json::from_slice(
        &h.send(Req::get("/api/cxreports/reports?offset=2&limit=3"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(page, all[2..5]);

    h.send(Req::get("/api/cxreports/reports?limit=-1"))
        .await
        .assert_error(400, "bad_request");
}

#[tokio::test]
async fn temporary_data_is_stored_upstream() {
    let mut h = start_default().await;
    h.login("alice").await;
    let answer = h
        .send(
            Req::post("/api/cxreports/temporary-data").json(
                &json!({"content": {"rows": [1, 2, 3]}, "expiryDate": "2099-01-01T00:00:00Z"}),
            ),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json());
    let stored: TemporaryDataResponse = serde_json::from_slice(&answer.body).unwrap();
    assert!(stored.temp_data_id > 0);
    assert!(stored.expiry_date.starts_with("2099-01-01"));
    let handle = answer.json()["tempDataHandle"].as_str().unwrap().to_owned();
    assert!(
        handle.starts_with(&format!("td1.{}.", stored.temp_data_id)),
        "{handle}"
    );

    // The handle works in a PDF export, alone or with the id, as the
    // widget sends it (pdfUrl holding the handle, the query the id).
    for query in [
        format!("tempDataHandle={handle}"),
        format!("tempDataHandle={handle}&tempDataId={}", stored.temp_data_id),
    ] {
        let pdf = h
            .send(Req::get(&format!("/api/cxreports/reports/101/pdf?{query}")))
            .await;
        assert_eq!(pdf.status, StatusCode::OK, "{query}");
    }
    let sent = h.upstream_requests().await;
    let id_sent = format!("tempDataId={}", stored.temp_data_id);
    assert!(
        sent.iter()
            .any(|(_, _, query)| query.as_deref().is_some_and(|q| q.contains(&id_sent))),
        "{sent:?}"
    );
    assert!(
        !sent
            .iter()
            .any(|(_, _, query)| query.as_deref().is_some_and(|q| q.contains("td1."))),
        "{sent:?}"
    );
    // The bare id, or the handle with another id, is refused.
    for query in [
        format!("tempDataId={}", stored.temp_data_id),
        format!(
            "tempDataHandle={handle}&tempDataId={}",
            stored.temp_data_id + 1
        ),
        "tempDataHandle=td1.1.9999999999.00".to_owned(),
    ] {
        let message = h
            .send(Req::get(&format!("/api/cxreports/reports/101/pdf?{query}")))
            .await
            .assert_error(403, "forbidden");
        assert!(message.contains("tempDataHandle"), "{message}");
    }

    let message = h
        .send(Req::post("/api/cxreports/temporary-data").json(&json!({"rows": []})))
        .await
        .assert_error(400, "bad_request");
    assert!(message.contains("content"), "{message}");
}

#[tokio::test]
async fn pdf_by_id_streams_a_named_attachment_with_only_the_known_query_keys() {
    let mut h = start_default().await;
    h.login("alice").await;
    h.clear_upstream_requests().await;
    let answer = h
        .send(Req::get(
            "/api/cxreports/reports/101/pdf?params=eyJ5ZWFyIjoyMDI2fQ&timezone=Europe%2FBelgrade\
             &lang=sr&nonce=SHOULD_NOT_PASS&hidePrintButton=true&evil=1",
        ))
        .await;
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    assert!(answer.body.starts_with(b"%PDF-"));
    assert_eq!(answer.header("content-type"), "application/pdf");
    assert!(
        answer
            .header("content-disposition")
            .starts_with("attachment; filename=\"Standard Invoice.pdf\""),
        "{}",
        answer.header("content-disposition")
    );
    assert_eq!(answer.header("x-content-type-options"), "nosniff");

    let requests = h.upstream_requests().await;
    let (_, path, query) = requests
        .iter()
        .find(|(_, path, _)| path.ends_with("/pdf"))
        .unwrap();
    assert_eq!(path, "/api/v1/ws/sales/reports/101/pdf");
    assert_eq!(
        query.as_deref(),
        Some("params=%7B%22year%22%3A2026%7D&timezone=Europe%2FBelgrade&lang=sr")
    );
}

#[tokio::test]
async fn pdf_by_type_code_is_the_default_report_and_names_hostile_titles_safely() {
    let mut h = start_default().await;
    h.login("alice").await;
    let answer = h.send(Req::get("/api/cxreports/reports/revenue/pdf")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.starts_with(b"%PDF-"));
    // "Quarterly <b>Revenue</b> & Margin"
    let disposition = answer.header("content-disposition");
    assert!(
        disposition.starts_with("attachment; filename=\"Quarterly _b_Revenue_b_ _ Margin.pdf\""),
        "{disposition}"
    );
    assert!(
        disposition
            .contains("filename*=UTF-8''Quarterly%20%3Cb%3ERevenue%3C_b%3E%20%26%20Margin.pdf"),
        "{disposition}"
    );

    // A non-ASCII name keeps its real spelling in filename*.
    let answer = h.send(Req::get("/api/cxreports/reports/106/pdf")).await;
    let disposition = answer.header("content-disposition");
    assert!(
        disposition.contains("filename=\"Z_rich _Q3_ summary.pdf\""),
        "{disposition}"
    );
    assert!(disposition.contains("Z%C3%BCrich"), "{disposition}");
}

#[tokio::test]
async fn the_pdf_carries_the_non_ascii_name_cxreports_gives_it() {
    let mut h = start_default().await;
    h.login("alice").await;
    let answer = h.send(Req::get("/api/cxreports/reports/106/pdf")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.header("content-disposition"),
        "attachment; filename=\"Z_rich _Q3_ summary.pdf\"; \
         filename*=UTF-8''Z%C3%BCrich%20Q3%20summary.pdf"
    );
    let answer = h.send(Req::get("/api/cxreports/reports/113/pdf")).await;
    assert!(
        answer.header("content-disposition").ends_with(
            "filename*=UTF-8''%E6%9D%B1%E4%BA%AC%20customers%20%28T%C5%8Dky%C5%8D%29.pdf"
        ),
        "{}",
        answer.header("content-disposition")
    );
}

#[tokio::test]
async fn the_pdf_name_is_cxreports_own_made_safe_or_else_the_report_name() {
    let stub = Stub::start(cxreports_with_bad_rows(
        "attachment; filename=\"fallback.pdf\"; \
         filename*=UTF-8''..%2F..%2FQ3%20%E2%80%94%20%C3%9Cbersicht%0D%0A.pdf",
    ))
    .await;
    let mut h = start_against(stub.addr, |_| {}).await;
    h.login("alice").await;
    // CxReports' name, not the list's ("Report 2"), without the traversal
    // and the line break.
    let answer = h.send(Req::get("/api/cxreports/reports/2/pdf")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.header("content-disposition"),
        "attachment; filename=\"Q3 _ _bersicht.pdf\"; \
         filename*=UTF-8''Q3%20%E2%80%94%20%C3%9Cbersicht.pdf"
    );
    // No name from CxReports: the report's name from the list.
    let answer = h.send(Req::get("/api/cxreports/reports/3/pdf")).await;
    assert_eq!(
        answer.header("content-disposition"),
        "attachment; filename=\"Report 3.pdf\"; filename*=UTF-8''Report%203.pdf"
    );
}

#[tokio::test]
async fn pdf_of_a_missing_report_or_bad_query_is_a_clear_client_error() {
    let mut h = start_default().await;
    h.login("alice").await;
    h.send(Req::get("/api/cxreports/reports/999/pdf"))
        .await
        .assert_error(404, "not_found");
    h.send(Req::get("/api/cxreports/reports/nosuchtype/pdf"))
        .await
        .assert_error(404, "not_found");
    h.send(Req::get("/api/cxreports/reports/101/pdf?params=%5B1%5D"))
        .await
        .assert_error(400, "bad_request");
    h.send(Req::get("/api/cxreports/reports/101/pdf?tempDataId=abc"))
        .await
        .assert_error(400, "bad_request");
    // An encoded slash stays inside the one segment it came in.
    h.send(Req::get(
        "/api/cxreports/reports/a%2F..%2F..%2Fworkspaces/pdf",
    ))
    .await
    .assert_error(404, "not_found");
}

#[tokio::test]
async fn unknown_paths_and_methods_answer_json() {
    let mut h = start_default().await;
    h.login("alice").await;
    h.send(Req::get("/api/cxreports/../v1/workspaces"))
        .await
        .assert_error(404, "not_found");
    h.send(Req::get("/api/v1/workspaces"))
        .await
        .assert_error(404, "not_found");
    h.send(Req::get("/api/cxreports/reports/101/preview"))
        .await
        .assert_error(404, "not_found");
    h.send(Req::post("/auth/me"))
        .await
        .assert_error(405, "method_not_allowed");
    let health = h.send(Req::get("/healthz").without_cookie()).await;
    assert_eq!(health.json(), json!({"ok": true}));
}
