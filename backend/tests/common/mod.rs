//! Shared harness: a simulator and a backend pointed at it, each on its own
//! ephemeral port, and a client that keeps the raw bytes of every answer so
//! tests can sweep them for the PAT.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use cxreports_backend::{BackendConfig, Secret};
use cxreports_simulator::SimConfig;
use reqwest::header::{HeaderMap, COOKIE, ORIGIN, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// A PAT no code path would produce by accident, so finding it anywhere in
/// an answer can only mean a leak.
pub const SWEEP_PAT: &str = "cxr_pat_SWEEP_4f1d8e2b9c7a6053_LEAKCANARY";

/// Makes `ring` the TLS provider before any reqwest client is built.
pub fn init() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// One answer, fully read.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {} {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }

    /// Asserts an error answer: status, `kind`, and a non-empty message.
    pub fn assert_error(&self, status: u16, kind: &str) -> String {
        let json = self.json();
        assert_eq!(self.status.as_u16(), status, "{json}");
        assert_eq!(json["kind"], kind, "{json}");
        assert!(
            self.header("content-type").starts_with("application/json"),
            "{self:?}"
        );
        let message = json["error"].as_str().unwrap().to_owned();
        assert!(
            message.len() > 20,
            "an error message that says what to do: {message}"
        );
        message
    }

    /// Every byte of the answer a browser could see: header names and
    /// values, and the body.
    pub fn all_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        for (name, value) in &self.headers {
            bytes.extend_from_slice(name.as_str().as_bytes());
            bytes.extend_from_slice(b": ");
            bytes.extend_from_slice(value.as_bytes());
            bytes.push(b'\n');
        }
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

/// A simulator, a backend, and a signed-in (or not) browser.
pub struct Harness {
    pub sim: SocketAddr,
    pub backend: String,
    pub client: reqwest::Client,
    pub cookie: Option<String>,
    /// Every answer the backend gave, for leak sweeps.
    pub answers: Arc<Mutex<Vec<Answer>>>,
}

/// Starts a simulator with `sim` and a backend pointed at it, adjusted by
/// `tweak`.
pub async fn start(sim: SimConfig, tweak: impl FnOnce(&mut BackendConfig)) -> Harness {
    init();
    let sim = cxreports_simulator::spawn(sim).await.unwrap();
    start_against(sim, tweak).await
}

/// Starts a backend pointed at the CxReports at `sim` (the simulator or a
/// [`Stub`]), adjusted by `tweak`.
pub async fn start_against(sim: SocketAddr, tweak: impl FnOnce(&mut BackendConfig)) -> Harness {
    init();
    let mut config = BackendConfig {
        cxreports_url: format!("http://{sim}"),
        ..BackendConfig::simulator_default()
    };
    tweak(&mut config);
    let backend = cxreports_backend::spawn(config).await.unwrap();
    Harness {
        sim,
        backend: format!("http://{backend}"),
        client: client(),
        cookie: None,
        answers: Arc::default(),
    }
}

/// A simulator and backend sharing the distinctive [`SWEEP_PAT`].
pub async fn start_with_sweep_pat(tweak: impl FnOnce(&mut BackendConfig)) -> Harness {
    start(
        SimConfig {
            pats: vec![SWEEP_PAT.to_owned()],
            ..SimConfig::default()
        },
        |config| {
            config.pat = Secret::new(SWEEP_PAT);
            tweak(config);
        },
    )
    .await
}

/// Starts the simulator and the backend with defaults.
pub async fn start_default() -> Harness {
    start(SimConfig::default(), |_| {}).await
}

pub fn client() -> reqwest::Client {
    init();
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A request as the widget sends it.
pub struct Req {
    method: Method,
    path: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    cookie: bool,
    xrw: bool,
}

impl Req {
    pub fn get(path: &str) -> Self {
        Req {
            method: Method::GET,
            path: path.to_owned(),
            headers: Vec::new(),
            body: None,
            cookie: true,
            xrw: true,
        }
    }

    pub fn post(path: &str) -> Self {
        Req {
            method: Method::POST,
            ..Req::get(path)
        }
    }

    pub fn json(mut self, body: &Value) -> Self {
        self.body = Some(serde_json::to_vec(body).unwrap());
        self.headers
            .push(("content-type".into(), "application/json".into()));
        self
    }

    pub fn raw_body(mut self, body: Vec<u8>) -> Self {
        self.body = Some(body);
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn origin(self, origin: &str) -> Self {
        self.header(ORIGIN.as_str(), origin)
    }

    pub fn without_cookie(mut self) -> Self {
        self.cookie = false;
        self
    }

    pub fn without_requested_with(mut self) -> Self {
        self.xrw = false;
        self
    }
}

impl Harness {
    pub async fn send(&self, req: Req) -> Answer {
        let mut request = self
            .client
            .request(req.method, format!("{}{}", self.backend, req.path));
        if req.xrw {
            request = request.header("x-requested-with", "cxreports-widget");
        }
        if req.cookie {
            if let Some(cookie) = &self.cookie {
                request = request.header(COOKIE, cookie);
            }
        }
        for (name, value) in req.headers {
            request = request.header(name, value);
        }
        if let Some(body) = req.body {
            request = request.body(body);
        }
        let response = request.send().await.unwrap();
        let answer = Answer {
            status: response.status(),
            headers: response.headers().clone(),
            body: response.bytes().await.unwrap().to_vec(),
        };
        self.answers.lock().unwrap().push(answer.clone());
        answer
    }

    /// Signs in through the demo login and keeps the cookie.
    pub async fn login(&mut self, user: &str) -> Answer {
        let answer = self
            .send(Req::post("/auth/login").json(&serde_json::json!({ "user": user })))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json());
        let set_cookie = answer.header(SET_COOKIE.as_str());
        let pair = set_cookie.split(';').next().unwrap().trim().to_owned();
        assert!(pair.starts_with("host_session="), "{set_cookie}");
        self.cookie = Some(pair);
        answer
    }

    /// Adds a fault on the simulator (the upstream) through its control API.
    pub async fn sim_fault(&self, spec: Value) {
        let response = self
            .client
            .post(format!("http://{}/__faults", self.sim))
            .json(&spec)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
    }

    pub async fn clear_sim_faults(&self) {
        self.client
            .delete(format!("http://{}/__faults", self.sim))
            .send()
            .await
            .unwrap();
    }

    /// The simulator's request log: `(method, path, query)` of each API call.
    pub async fn upstream_requests(&self) -> Vec<(String, String, Option<String>)> {
        let events: Value = self
            .client
            .get(format!("http://{}/__sim/events", self.sim))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        events["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["method"].as_str().unwrap().to_owned(),
                    r["path"].as_str().unwrap().to_owned(),
                    r["query"].as_str().map(str::to_owned),
                )
            })
            .collect()
    }

    pub async fn clear_upstream_requests(&self) {
        self.client
            .delete(format!("http://{}/__sim/events", self.sim))
            .send()
            .await
            .unwrap();
    }
}

/// A stand-in CxReports for what the simulator does not do (rows it
/// cannot read, servers that page wrongly): any axum app, on an ephemeral
/// loopback port, recording the path and query of every request.
pub struct Stub {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Stub {
    pub async fn start(app: axum::Router) -> Stub {
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = requests.clone();
        let app = app.layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                let log = log.clone();
                async move {
                    let target = request
                        .uri()
                        .path_and_query()
                        .map(|t| t.as_str().to_owned())
                        .unwrap_or_default();
                    log.lock().unwrap().push(target);
                    next.run(request).await
                }
            },
        ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Stub { addr, requests }
    }

    /// Path and query of every request so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// Those whose path is `/api/v1/ws/sales/reports`.
    pub fn report_pages(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter(|r| r.split('?').next() == Some("/api/v1/ws/sales/reports"))
            .collect()
    }
}

/// A report row as CxReports writes it.
pub fn report_row(id: i64) -> Value {
    serde_json::json!({
        "id": id, "name": format!("Report {id}"), "reportTypeId": 1,
        "reportTypeName": "Invoice", "reportTemplateName": "T", "isDefault": false
    })
}

/// `offset` and `limit` of a list request (defaults 0 and 200).
pub fn window(query: &std::collections::HashMap<String, String>) -> (usize, usize) {
    let read = |key: &str, default| {
        query
            .get(key)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    (read("offset", 0), read("limit", 200))
}

/// Asserts `needle` appears nowhere in any answer.
pub fn assert_never_leaked(answers: &[Answer], needle: &str) {
    assert!(!answers.is_empty());
    for answer in answers {
        let bytes = answer.all_bytes();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "the PAT leaked in: {}",
            String::from_utf8_lossy(&bytes)
        );
    }
}

/// A CxReports whose lists hold explicit nulls for every empty field and
/// rows without what a row needs: workspaces and report types with one and
/// two bad rows, reports with three (good ones: 1, 2, 3), in pages by
/// `offset`/`limit`. The PDF of report 2 is named by `disposition`; the
/// others come without a name.
pub fn cxreports_with_bad_rows(disposition: &'static str) -> axum::Router {
    use axum::extract::{Path, Query};
    use axum::routing::get;
    use axum::Json;
    use serde_json::json;
    use std::collections::HashMap;

    let reports = vec![
        json!({"id": 1, "name": "Nulls", "reportTypeId": 1, "reportTypeName": "Invoice",
               "reportTemplateName": null, "isDefault": null, "themeName": null, "previewImage": null}),
        json!({"id": "4", "name": "id as text", "reportTypeId": 1, "reportTypeName": "Invoice"}),
        report_row(2),
        json!({"id": 5, "name": null, "reportTypeId": 1, "reportTypeName": "Invoice"}),
        json!("not a row"),
        json!({"id": 3, "name": "Report 3", "reportTypeId": 1, "reportTypeName": "Invoice",
               "$type": "CxReports.Report", "owner": {"id": 9}}),
    ];
    axum::Router::new()
        .route(
            "/api/v1/workspaces",
            get(|| async {
                Json(json!([
                    {"id": 1, "name": "Sales", "code": "sales", "description": null},
                    {"id": null, "name": "Nameless", "code": "x"}
                ]))
            }),
        )
        .route(
            "/api/v1/ws/sales/report-types",
            get(|| async {
                Json(json!([
                    {"id": 1, "name": "Invoice", "code": "invoice", "description": null,
                     "defaultReportId": null, "defaultReportName": null},
                    {"id": 2, "code": "no-name"},
                    {"id": 3, "name": "No code", "code": null}
                ]))
            }),
        )
        .route(
            "/api/v1/ws/sales/reports",
            get(move |Query(query): Query<HashMap<String, String>>| {
                let reports = reports.clone();
                async move {
                    let (offset, limit) = window(&query);
                    let page: Vec<Value> = reports.into_iter().skip(offset).take(limit).collect();
                    Json(Value::Array(page))
                }
            }),
        )
        .route(
            "/api/v1/ws/sales/reports/{id}/pdf",
            get(move |Path(id): Path<String>| async move {
                let mut response = axum::response::IntoResponse::into_response((
                    [("content-type", "application/pdf")],
                    "%PDF-1.4 stub\n%%EOF",
                ));
                if id == "2" {
                    response.headers_mut().insert(
                        "content-disposition",
                        reqwest::header::HeaderValue::from_static(disposition),
                    );
                }
                response
            }),
        )
}
