//! The two endpoints under load, both minting a CxReports nonce: the
//! reference backend's (session cookie + CSRF header, then its own call to
//! CxReports) and CxReports' own (bearer PAT), hit directly.
use std::future::Future;
use std::net::IpAddr;

use reqwest::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use reqwest::{Client, Url};

/// Parses `text` and refuses anything but this machine: the load never
/// leaves loopback.
pub fn loopback_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("{text:?} is not a URL: {e}"))?;
    let host = url.host_str().unwrap_or_default();
    let loopback = host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if !loopback || url.scheme() != "http" {
        return Err(format!(
            "{text} is not an http:// loopback address: the load only ever targets this machine"
        ));
    }
    Ok(url)
}

/// A client for loopback load: no proxy, keep-alive connections.
pub fn client() -> Result<Client, String> {
    Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(256)
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// Signs in to the backend's demo login; answers the session cookie pair.
pub async fn sign_in(client: &Client, backend: &Url) -> Result<String, String> {
    let url = backend
        .join("/auth/login")
        .map_err(|e| format!("bad backend URL: {e}"))?;
    let response = client
        .post(url)
        .header("X-Requested-With", "cxreports-bench")
        .header("Content-Type", "application/json")
        .body(r#"{"user":"bench"}"#)
        .send()
        .await
        .map_err(|e| format!("sign-in: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("sign-in answered {}", response.status()));
    }
    response
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| "sign-in set no cookie".to_owned())
}

/// Checks that an answer is a 200 with a non-empty `nonce`.
async fn expect_nonce(
    sent: impl Future<Output = reqwest::Result<reqwest::Response>>,
) -> Result<(), String> {
    let response = sent.await.map_err(|e| format!("request failed: {e}"))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("body failed: {e}"))?;
    if !status.is_success() {
        return Err(format!(
            "answered {status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        ));
    }
    let value: serde_json::Value =
        serde_json::from_slice(&body).map_err(|e| format!("not JSON: {e}"))?;
    match value.get("nonce").and_then(|n| n.as_str()) {
        Some(nonce) if !nonce.is_empty() => Ok(()),
        _ => Err("the answer has no nonce".to_owned()),
    }
}

/// One nonce from the backend, as the widget asks for it.
pub fn backend_nonce(
    client: &Client,
    url: &Url,
    cookie: &str,
) -> impl Future<Output = Result<(), String>> + Send + 'static {
    expect_nonce(
        client
            .post(url.clone())
            .header(COOKIE, cookie)
            .header("X-Requested-With", "cxreports-bench")
            .send(),
    )
}

/// One nonce from CxReports directly, as the backend asks for it.
pub fn direct_nonce(
    client: &Client,
    url: &Url,
    pat: &str,
) -> impl Future<Output = Result<(), String>> + Send + 'static {
    expect_nonce(
        client
            .post(url.clone())
            .header(AUTHORIZATION, format!("Bearer {pat}"))
            .send(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_is_a_target() {
        for ok in [
            "http://127.0.0.1:8082",
            "http://127.3.4.5:1/x",
            "http://localhost:80",
            "http://[::1]:8081/",
        ] {
            assert!(loopback_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1:80",
            "http://192.168.1.2",
            "http://example.com",
            "https://127.0.0.1",
            "http://127.0.0.1.example.com",
            "not a url",
        ] {
            assert!(loopback_url(bad).is_err(), "{bad}");
        }
    }
}
