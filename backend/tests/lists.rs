//! Lists as real CxReports servers send them: explicit nulls, rows the
//! backend cannot use, default page sizes, and servers that page wrongly.
mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::Query;
use axum::routing::get;
use axum::{Json, Router};
use common::{
    cxreports_with_bad_rows, report_row, start, start_against, window, Harness, Req, Stub,
};
use cxreports_simulator::SimConfig;
use serde_json::Value;

async fn signed_in(mut h: Harness) -> Harness {
    h.login("alice").await;
    h
}

fn ids(answer: &common::Answer) -> Vec<i64> {
    answer
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

/// The simulator as an ASP.NET CxReports may be set up: explicit nulls,
/// 7 reports a page unless asked for more, and enough reports for pages.
fn aspnet_like() -> SimConfig {
    SimConfig {
        explicit_nulls: true,
        default_page_size: Some(7),
        extra_reports: 450,
        ..SimConfig::default()
    }
}

#[tokio::test]
async fn rows_without_what_a_row_needs_are_left_out_and_the_rest_served() {
    let stub = Stub::start(cxreports_with_bad_rows("attachment")).await;
    let h = signed_in(start_against(stub.addr, |_| {}).await).await;

    let workspaces = h.send(Req::get("/api/cxreports/workspaces")).await;
    assert_eq!(workspaces.status, 200, "{:?}", workspaces.json());
    assert_eq!(
        workspaces.json(),
        serde_json::json!([{"id": 1, "name": "Sales", "code": "sales"}])
    );

    let types = h.send(Req::get("/api/cxreports/report-types")).await;
    assert_eq!(types.status, 200, "{:?}", types.json());
    // The nulls read as absent, and are written so.
    assert_eq!(
        types.json(),
        serde_json::json!([{"id": 1, "name": "Invoice", "code": "invoice"}])
    );

    let reports = h.send(Req::get("/api/cxreports/reports")).await;
    assert_eq!(reports.status, 200, "{:?}", reports.json());
    assert_eq!(ids(&reports), [1, 2, 3]);
    let first = &reports.json()[0];
    assert_eq!(first["reportTemplateName"], "");
    assert_eq!(first["isDefault"], false);
    assert!(first.get("themeName").is_none() && first.get("previewImage").is_none());
    // Unknown fields do not travel on.
    assert!(reports.json()[2].get("$type").is_none());

    // The PDF lookup reads the same list.
    let pdf = h.send(Req::get("/api/cxreports/reports/3/pdf")).await;
    assert_eq!(pdf.status, 200);
    h.send(Req::get("/api/cxreports/reports/4/pdf"))
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn explicit_nulls_from_cxreports_read_as_empty_fields() {
    let h = signed_in(start(aspnet_like(), |_| {}).await).await;
    let types = h.send(Req::get("/api/cxreports/report-types")).await;
    assert_eq!(types.status, 200);
    let drafts = types
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "drafts")
        .cloned()
        .unwrap();
    assert!(drafts.get("defaultReportId").is_none(), "{drafts}");
    let workspaces = h.send(Req::get("/api/cxreports/workspaces")).await;
    assert_eq!(workspaces.json()[0]["code"], "sales");

    let reports = h.send(Req::get("/api/cxreports/reports")).await;
    assert_eq!(reports.status, 200);
    let list = reports.json();
    let row = |id: i64| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(row(102)["isDefault"], false);
    assert!(row(102).get("themeName").is_none());
    assert_eq!(row(1007)["reportTemplateName"], "");
    assert_eq!(row(101)["themeName"], "Corporate");
}

#[tokio::test]
async fn the_report_list_is_read_in_pages_of_200_whatever_the_default_page_size() {
    let h = signed_in(start(aspnet_like(), |_| {}).await).await;
    h.clear_upstream_requests().await;
    let all = h.send(Req::get("/api/cxreports/reports")).await;
    assert_eq!(all.status, 200);
    let all = ids(&all);
    assert_eq!(all.len(), 14 + 450);
    assert_eq!(all.last(), Some(&1450));
    let pages: Vec<Option<String>> = h
        .upstream_requests()
        .await
        .into_iter()
        .filter(|(_, path, _)| path == "/api/v1/ws/sales/reports")
        .map(|(_, _, query)| query)
        .collect();
    assert_eq!(
        pages,
        [
            Some("offset=0&limit=200".to_owned()),
            Some("offset=200&limit=200".to_owned()),
            Some("offset=400&limit=200".to_owned()),
        ]
    );

    // The browser's own window applies to the whole list.
    let window = h
        .send(Req::get("/api/cxreports/reports?offset=300&limit=5"))
        .await;
    assert_eq!(ids(&window), all[300..305]);

    // A type filter travels with every page.
    h.clear_upstream_requests().await;
    let revenue = h
        .send(Req::get("/api/cxreports/reports?type=revenue"))
        .await;
    assert_eq!(ids(&revenue).len(), 4 + 150);
    let queries: Vec<String> = h
        .upstream_requests()
        .await
        .into_iter()
        .filter_map(|(_, path, query)| (path == "/api/v1/ws/sales/reports").then_some(query?))
        .collect();
    assert_eq!(queries, ["type=revenue&offset=0&limit=200"]);
}

#[tokio::test]
async fn with_a_page_size_of_7_the_list_is_read_7_reports_a_page() {
    // 14 seeded reports and 13 more: pages of 7, 7, 7 and 6; of them 8
    // revenue reports: pages of 7 and 1.
    let sim = SimConfig {
        extra_reports: 13,
        ..SimConfig::default()
    };
    let h = signed_in(start(sim, |c| c.page_size = 7).await).await;
    let whole = signed_in(start_against(h.sim, |_| {}).await).await;
    let expected = ids(&whole.send(Req::get("/api/cxreports/reports")).await);
    assert_eq!(expected.len(), 27);

    h.clear_upstream_requests().await;
    let all = h.send(Req::get("/api/cxreports/reports")).await;
    assert_eq!(all.status, 200, "{:?}", all.json());
    assert_eq!(ids(&all), expected);
    let report_pages = |requests: Vec<(String, String, Option<String>)>| -> Vec<String> {
        requests
            .into_iter()
            .filter_map(|(_, path, query)| (path == "/api/v1/ws/sales/reports").then_some(query?))
            .collect()
    };
    assert_eq!(
        report_pages(h.upstream_requests().await),
        [
            "offset=0&limit=7",
            "offset=7&limit=7",
            "offset=14&limit=7",
            "offset=21&limit=7"
        ]
    );

    // A type filter travels with every page of 7.
    let expected = ids(&whole
        .send(Req::get("/api/cxreports/reports?type=revenue"))
        .await);
    h.clear_upstream_requests().await;
    let revenue = h
        .send(Req::get("/api/cxreports/reports?type=revenue"))
        .await;
    assert_eq!(ids(&revenue), expected);
    assert_eq!(expected.len(), 8);
    let queries = report_pages(h.upstream_requests().await);
    assert_eq!(
        queries,
        [
            "type=revenue&offset=0&limit=7",
            "type=revenue&offset=7&limit=7"
        ]
    );
}

#[tokio::test]
async fn the_pdf_lookup_reads_pages_only_until_the_report_turns_up() {
    let h = signed_in(start(aspnet_like(), |_| {}).await).await;
    for (id, status, pages) in [(1010, 200, 1), (1400, 200, 3), (999_999, 404, 3)] {
        h.clear_upstream_requests().await;
        let answer = h
            .send(Req::get(&format!("/api/cxreports/reports/{id}/pdf")))
            .await;
        assert_eq!(answer.status, status, "{id}");
        let read = h
            .upstream_requests()
            .await
            .into_iter()
            .filter(|(_, path, _)| path == "/api/v1/ws/sales/reports")
            .count();
        assert_eq!(read, pages, "{id}");
    }
}

/// A CxReports whose report list is answered by `page(offset, limit)`.
async fn paging_stub<F>(page: F) -> Stub
where
    F: Fn(usize, usize) -> Vec<Value> + Clone + Send + Sync + 'static,
{
    Stub::start(Router::new().route(
        "/api/v1/ws/sales/reports",
        get(move |Query(query): Query<HashMap<String, String>>| {
            let page = page.clone();
            async move {
                let (offset, limit) = window(&query);
                Json(Value::Array(page(offset, limit)))
            }
        }),
    ))
    .await
}

#[tokio::test]
async fn a_server_that_ignores_offset_is_an_error_not_a_loop() {
    let stub = paging_stub(|_, _| (1..=200).map(report_row).collect()).await;
    let h = signed_in(start_against(stub.addr, |_| {}).await).await;
    let message = h
        .send(Req::get("/api/cxreports/reports"))
        .await
        .assert_error(502, "upstream_bad_response");
    assert_eq!(
        message,
        "CxReports answered the same reports for offset=200 as for the page before, as if it \
         ignored `offset`, so the backend cannot read the whole report list: check that \
         CXREPORTS_URL points at a CxReports whose report list pages by `offset` and `limit`"
    );
    assert_eq!(stub.report_pages().len(), 2, "{:?}", stub.requests());
    // The PDF lookup of a report it never sends stops the same way.
    h.send(Req::get("/api/cxreports/reports/999/pdf"))
        .await
        .assert_error(502, "upstream_bad_response");
    assert_eq!(stub.report_pages().len(), 4);
}

#[tokio::test]
async fn a_server_that_ignores_limit_is_read_in_one_page() {
    let stub = paging_stub(|_, _| (1..=450).map(report_row).collect()).await;
    let h = signed_in(start_against(stub.addr, |_| {}).await).await;
    let answer = h.send(Req::get("/api/cxreports/reports")).await;
    assert_eq!(answer.status, 200);
    assert_eq!(ids(&answer), (1..=450).collect::<Vec<_>>());
    assert_eq!(
        stub.report_pages(),
        ["/api/v1/ws/sales/reports?offset=0&limit=200"]
    );
}

#[tokio::test]
async fn a_list_that_never_ends_stops_at_500_pages() {
    let stub = paging_stub(|offset, limit| {
        (offset as i64 + 1..=(offset + limit) as i64)
            .map(report_row)
            .collect()
    })
    .await;
    let h = signed_in(
        start_against(stub.addr, |c| c.upstream_timeout = Duration::from_secs(120)).await,
    )
    .await;
    let message = h
        .send(Req::get("/api/cxreports/reports?type=invoice"))
        .await
        .assert_error(502, "upstream_list_too_long");
    assert_eq!(
        message,
        "CxReports lists more than 100000 reports here (500 pages of 200), more than the backend \
         reads for one list: list one report type at a time (?type=), or spread the reports over \
         more workspaces"
    );
    let pages = stub.report_pages();
    assert_eq!(pages.len(), 500);
    assert_eq!(
        pages.last().map(String::as_str),
        Some("/api/v1/ws/sales/reports?type=invoice&offset=99800&limit=200")
    );
}

#[tokio::test]
async fn a_slow_paged_list_is_bounded_by_the_timeout_as_a_whole() {
    let stub = Stub::start(Router::new().route(
        "/api/v1/ws/sales/reports",
        get(|Query(query): Query<HashMap<String, String>>| async move {
            tokio::time::sleep(Duration::from_millis(80)).await;
            let (offset, limit) = window(&query);
            Json(Value::Array(
                (offset as i64 + 1..=(offset + limit) as i64)
                    .map(report_row)
                    .collect(),
            ))
        }),
    ))
    .await;
    let h = signed_in(
        start_against(stub.addr, |c| {
            c.upstream_timeout = Duration::from_millis(400)
        })
        .await,
    )
    .await;
    let started = Instant::now();
    let message = h
        .send(Req::get("/api/cxreports/reports"))
        .await
        .assert_error(504, "upstream_timeout");
    let elapsed = started.elapsed();
    assert!(
        message.starts_with("CxReports did not send the whole report list within 400 ms ("),
        "{message}"
    );
    assert!(message.contains("raise CXREPORTS_TIMEOUT_MS"), "{message}");
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    let pages = stub.report_pages().len();
    assert!((2..=6).contains(&pages), "{pages} pages");
}
