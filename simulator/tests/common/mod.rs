//! Helpers shared by the integration tests: a simulator on an ephemeral
//! port and a client that speaks to it like the backend and the iframe do.
#![allow(dead_code)]

use cxreports_simulator::{spawn, SimConfig, DEMO_PAT};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, SET_COOKIE};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

pub struct Sim {
    pub base: String,
    pub client: Client,
}

pub async fn start() -> Sim {
    start_with(SimConfig::default()).await
}

pub async fn start_with(config: SimConfig) -> Sim {
    let addr = spawn(config).await.unwrap();
    Sim {
        base: format!("http://{addr}"),
        client: client(),
    }
}

/// A viewer answer, as the iframe would see it.
pub struct Page {
    pub status: StatusCode,
    pub content_type: String,
    pub set_cookie: Option<String>,
    pub body: String,
}

impl Page {
    /// The `name=value` part of the session cookie, to send back.
    pub fn cookie(&self) -> String {
        let set_cookie = self.set_cookie.as_deref().expect("a Set-Cookie header");
        set_cookie.split(';').next().unwrap().trim().to_owned()
    }

    /// Inner HTML of the element with this id (the simulator writes each on
    /// one element without nesting).
    pub fn element(&self, id: &str) -> String {
        let marker = format!("id=\"{id}\"");
        let start = self.body.find(&marker).unwrap_or_else(|| {
            panic!("no element #{id} in:\n{}", self.body);
        });
        let open_end = start + self.body[start..].find('>').unwrap() + 1;
        let close = open_end + self.body[open_end..].find("</").unwrap();
        self.body[open_end..close].to_owned()
    }

    pub fn is_login_page(&self) -> bool {
        self.body.contains("id=\"login-form\"")
    }
}

/// Reverses the simulator's HTML escaping.
pub fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

impl Sim {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn api_get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .header(AUTHORIZATION, format!("Bearer {DEMO_PAT}"))
            .send()
            .await
            .unwrap()
    }

    pub async fn api_json(&self, path: &str) -> Value {
        let response = self.api_get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response.json().await.unwrap()
    }

    pub async fn api_post(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .header(AUTHORIZATION, format!("Bearer {DEMO_PAT}"))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn nonce(&self) -> String {
        let response = self
            .client
            .post(self.url("/api/v1/nonce-tokens"))
            .header(AUTHORIZATION, format!("Bearer {DEMO_PAT}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        body["nonce"].as_str().unwrap().to_owned()
    }

    /// GETs a viewer path (with its query), optionally with a cookie.
    pub async fn page(&self, path_and_query: &str, cookie: Option<&str>) -> Page {
        let mut request = self.client.get(self.url(path_and_query));
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        let response = request.send().await.unwrap();
        Page {
            status: response.status(),
            content_type: header(&response, CONTENT_TYPE),
            set_cookie: response
                .headers()
                .get(SET_COOKIE)
                .map(|v| v.to_str().unwrap().to_owned()),
            body: response.text().await.unwrap(),
        }
    }

    /// Opens a preview with a fresh nonce; answers the page (and its cookie).
    pub async fn open_preview(&self, path: &str, query: &str) -> Page {
        let nonce = self.nonce().await;
        let sep = if query.is_empty() { "" } else { "&" };
        let page = self
            .page(&format!("{path}?nonce={nonce}{sep}{query}"), None)
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        page
    }

    /// The JSON a `GET` of `path` answers.
    pub async fn get_json(&self, path: &str) -> Value {
        self.client
            .get(self.url(path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The faults in force (`GET /__faults`).
    pub async fn faults(&self) -> Value {
        self.get_json("/__faults").await
    }

    pub async fn events(&self) -> Value {
        self.get_json("/__sim/events").await
    }
}

pub fn header(response: &Response, name: reqwest::header::HeaderName) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn enc(value: &str) -> String {
    cxreports_contract::encode_query_value(value)
}

/// A client that does not follow redirects, to see a 302 as it is.
pub fn no_redirect_client() -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Turns one of the `/__sim/...` run-time switches, asserting it took.
pub async fn switch(sim: &Sim, path: &str, body: Value) -> Value {
    let response = sim
        .client
        .post(sim.url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path} {body}");
    response.json().await.unwrap()
}

/// A plain HTTP client. Installs the TLS crypto provider first: when the
/// whole workspace builds together, reqwest's rustls is on without one.
pub fn client() -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder().no_proxy().build().unwrap()
}
