//! The two endpoints under load, both minting a CxReports nonce: the
//! reference backend's (session cookie + CSRF header, then its own call to
//! CxReports) and CxReports' own (bearer PAT), hit directly.
use std::future::Future;
use std::net::IpAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderName, AUTHORIZATION, CONTENT_TYPE, COOKIE, SET_COOKIE};
use hyper::{Request, Uri};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// The header the backend requires on every `POST`.
const REQUESTED_WITH: HeaderName = HeaderName::from_static("x-requested-with");

/// A keep-alive HTTP/1.1 client.
pub type Client = hyper_util::client::legacy::Client<HttpConnector, Full<Bytes>>;

/// Checks that `text` is an `http://` URL of this machine (the load never
/// leaves loopback) and answers it without a trailing `/`.
pub fn loopback_base(text: &str) -> Result<String, String> {
    let uri: Uri = text
        .parse()
        .map_err(|e| format!("{text:?} is not a URL: {e}"))?;
    let host = uri.host().unwrap_or_default();
    let loopback = host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if !loopback || uri.scheme_str() != Some("http") {
        return Err(format!(
            "{text} is not an http:// loopback address: the load only ever targets this machine"
        ));
    }
    Ok(text.trim_end_matches('/').to_owned())
}

/// `base` + `path`, as a request URI.
pub fn endpoint(base: &str, path: &str) -> Result<Uri, String> {
    format!("{base}{path}")
        .parse()
        .map_err(|e| format!("{base}{path}: {e}"))
}

/// A client for loopback load. Call inside the runtime.
pub fn client() -> Client {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    hyper_util::client::legacy::Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(256)
        .build(connector)
}

type Outgoing = Result<Request<Full<Bytes>>, String>;

fn post(uri: &Uri, headers: &[(HeaderName, &str)], body: &'static str) -> Outgoing {
    let mut request = Request::post(uri.clone());
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    request
        .body(Full::new(Bytes::from_static(body.as_bytes())))
        .map_err(|e| format!("cannot build the request: {e}"))
}

/// Sends `request`, reads the whole answer: (status, headers, body).
async fn exchange(
    client: Client,
    request: Outgoing,
) -> Result<(hyper::StatusCode, hyper::HeaderMap, Bytes), String> {
    let response = client
        .request(request?)
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    let (parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|e| format!("body failed: {e}"))?
        .to_bytes();
    Ok((parts.status, parts.headers, body))
}

/// Signs in to the backend's demo login; answers the session cookie pair.
pub async fn sign_in(client: &Client, backend: &str) -> Result<String, String> {
    let uri = endpoint(backend, "/auth/login")?;
    let request = post(
        &uri,
        &[
            (REQUESTED_WITH, "cxreports-bench"),
            (CONTENT_TYPE, "application/json"),
        ],
        r#"{"user":"bench"}"#,
    );
    let (status, headers, _) = exchange(client.clone(), request).await?;
    if !status.is_success() {
        return Err(format!("sign-in answered {status}"));
    }
    headers
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| "sign-in set no cookie".to_owned())
}

/// Checks that an answer is a 200 with a non-empty `nonce`.
async fn expect_nonce(client: Client, request: Outgoing) -> Result<(), String> {
    let (status, _, body) = exchange(client, request).await?;
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
    uri: &Uri,
    cookie: &str,
) -> impl Future<Output = Result<(), String>> + Send + 'static {
    let request = post(
        uri,
        &[(COOKIE, cookie), (REQUESTED_WITH, "cxreports-bench")],
        "",
    );
    expect_nonce(client.clone(), request)
}

/// One nonce from CxReports directly, as the backend asks for it.
pub fn direct_nonce(
    client: &Client,
    uri: &Uri,
    authorization: &str,
) -> impl Future<Output = Result<(), String>> + Send + 'static {
    expect_nonce(
        client.clone(),
        post(uri, &[(AUTHORIZATION, authorization)], ""),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_is_a_target() {
        for ok in [
            "http://127.0.0.1:8082",
            "http://127.3.4.5:1/",
            "http://localhost:80",
            "http://[::1]:8081/",
        ] {
            assert!(loopback_base(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            loopback_base("http://127.0.0.1:8082/").as_deref(),
            Ok("http://127.0.0.1:8082")
        );
        for bad in [
            "http://10.0.0.1:80",
            "http://192.168.1.2",
            "http://example.com",
            "https://127.0.0.1",
            "http://127.0.0.1.example.com",
            "not a url",
        ] {
            assert!(loopback_base(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn requests_carry_their_headers() {
        let uri = endpoint("http://127.0.0.1:1", "/api/v1/nonce-tokens").unwrap();
        let request = post(&uri, &[(AUTHORIZATION, "Bearer x")], "").unwrap();
        assert_eq!(request.method(), hyper::Method::POST);
        assert_eq!(request.uri().path(), "/api/v1/nonce-tokens");
        assert_eq!(request.headers()[AUTHORIZATION], "Bearer x");
        assert!(post(&uri, &[(COOKIE, "a\nb")], "").is_err());
    }
}
