//! HTTP as the checker speaks it: no redirects followed, no cookie jar,
//! every answer read whole (within a bound) and kept, so that the PAT sweep
//! sees every byte the checker received.
use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, Url};
use serde_json::Value;

use crate::error::{CheckError, Result};

/// Answers longer than this are kept up to here (a PDF can be large; the
/// sweep and the checks need its beginning).
const MAX_BODY: usize = 32 * 1024 * 1024;

/// One request.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) method: Method,
    pub(crate) url: String,
    pub(crate) headers: Vec<(String, String)>,
    /// The body; `None`: empty, as the widget's own `POST`s are.
    pub(crate) body: Option<String>,
}

impl Call {
    /// A request with no headers yet.
    pub(crate) fn new(method: Method, url: String) -> Self {
        Call {
            method,
            url,
            headers: Vec::new(),
            body: None,
        }
    }

    /// Sends `body` (a host page's own `POST`, such as temporary data).
    pub(crate) fn body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Sets `name` (replacing an earlier value).
    pub(crate) fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// Leaves `name` out.
    pub(crate) fn without(mut self, name: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }
}

/// One request and its answer, read whole.
#[derive(Debug, Clone)]
pub(crate) struct Exchange {
    pub(crate) method: Method,
    pub(crate) url: String,
    pub(crate) status: u16,
    /// Header names (lower case) and raw values, in the order received.
    pub(crate) headers: Vec<(String, Vec<u8>)>,
    pub(crate) body: Vec<u8>,
}

impl Exchange {
    /// The first value of header `name`, as text.
    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.header_values(name).next()
    }

    /// Every value of header `name`.
    pub(crate) fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = String> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
    }

    /// `Content-Type`, lower case, `""` when absent.
    pub(crate) fn content_type(&self) -> String {
        self.header("content-type")
            .unwrap_or_default()
            .to_ascii_lowercase()
    }

    /// `Content-Type` for a message: its media type, or "no Content-Type".
    pub(crate) fn media_type(&self) -> String {
        let content_type = self.content_type();
        match content_type.split(';').next().map(str::trim) {
            Some(media) if !media.is_empty() => media.to_owned(),
            _ => "no Content-Type".to_owned(),
        }
    }

    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub(crate) fn is_redirect(&self) -> bool {
        (300..400).contains(&self.status)
    }

    /// `application/json` or any `+json` type.
    pub(crate) fn is_json_type(&self) -> bool {
        let media = self.media_type();
        media == "application/json" || media.ends_with("+json")
    }

    /// An HTML page, by its type or its first character (what the widget
    /// also treats as HTML).
    pub(crate) fn is_html(&self) -> bool {
        self.content_type().contains("text/html") || self.text().trim_start().starts_with('<')
    }

    pub(crate) fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    pub(crate) fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// `{"error": "<non-empty string>"}`'s message, as the widget reads it.
    pub(crate) fn error_message(&self) -> Option<String> {
        let json = self.json()?;
        let message = json.get("error")?.as_str()?.trim();
        (!message.is_empty()).then(|| message.to_owned())
    }

    /// The beginning of the body, on one line, for a message.
    pub(crate) fn snippet(&self) -> String {
        if self.body.is_empty() {
            return "an empty body".to_owned();
        }
        let text = self.text();
        let flat: String = text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        let short: String = flat.chars().take(80).collect();
        if short.len() < flat.len() {
            format!("{short}…")
        } else {
            short
        }
    }

    /// `METHOD /path?query`, for a message.
    pub(crate) fn request_line(&self) -> String {
        let path = Url::parse(&self.url)
            .map(|url| match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_owned(),
            })
            .unwrap_or_else(|_| self.url.clone());
        format!("{} {path}", self.method)
    }

    /// The `Location` of a redirect, for a message.
    pub(crate) fn location(&self) -> String {
        self.header("location")
            .map(|l| format!(" to {l}"))
            .unwrap_or_default()
    }
}

/// A request that got no answer: connection refused, DNS, TLS, timeout.
#[derive(Debug, Clone)]
pub(crate) struct Transport {
    pub(crate) method: Method,
    pub(crate) url: String,
    pub(crate) cause: String,
}

impl Transport {
    /// For a check's detail.
    pub(crate) fn describe(&self) -> String {
        format!("{} {} got no answer: {}", self.method, self.url, self.cause)
    }
}

impl From<Transport> for CheckError {
    fn from(t: Transport) -> Self {
        CheckError::Unreachable {
            method: t.method.to_string(),
            url: t.url,
            cause: t.cause,
        }
    }
}

/// The client, and every exchange so far.
#[derive(Debug)]
pub(crate) struct Http {
    /// Through the proxies the environment names (`HTTPS_PROXY`…).
    proxied: reqwest::Client,
    /// Direct, for loopback addresses.
    direct: reqwest::Client,
    timeout: Duration,
    seen: Vec<Arc<Exchange>>,
}

impl Http {
    pub(crate) fn new(timeout: Duration) -> Result<Self> {
        let build = |direct: bool| {
            let builder = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(timeout)
                .connect_timeout(timeout.min(Duration::from_secs(10)))
                .user_agent(concat!(
                    "cxreports-backend-check/",
                    env!("CARGO_PKG_VERSION")
                ));
            let builder = if direct { builder.no_proxy() } else { builder };
            builder
                .build()
                .map_err(|e| CheckError::Client(cause_of(&e)))
        };
        Ok(Http {
            proxied: build(false)?,
            direct: build(true)?,
            timeout,
            seen: Vec::new(),
        })
    }

    /// Every exchange so far, in order.
    pub(crate) fn seen(&self) -> &[Arc<Exchange>] {
        &self.seen
    }

    /// Sends `call` and reads the whole answer.
    pub(crate) async fn send(
        &mut self,
        call: Call,
    ) -> std::result::Result<Arc<Exchange>, Transport> {
        let failed = |cause: String| Transport {
            method: call.method.clone(),
            url: call.url.clone(),
            cause,
        };
        let url = Url::parse(&call.url).map_err(|e| failed(format!("not a URL ({e})")))?;
        let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']);
        let loopback = match host.parse::<std::net::IpAddr>() {
            Ok(ip) => ip.is_loopback(),
            Err(_) => host.eq_ignore_ascii_case("localhost"),
        };
        let client = if loopback {
            &self.direct
        } else {
            &self.proxied
        };
        let mut request = client.request(call.method.clone(), url);
        for (name, value) in &call.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(body) = &call.body {
            request = request.body(body.clone());
        } else if call.method == Method::POST {
            // The widget's POSTs have an empty body.
            request = request.header("content-length", "0");
        }
        let mut response = request.send().await.map_err(|e| {
            failed(if e.is_timeout() {
                format!("no answer within {} ms", self.timeout.as_millis())
            } else {
                cause_of(&e)
            })
        })?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
            .collect();
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = MAX_BODY - body.len();
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    if body.len() >= MAX_BODY {
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => return Err(failed(format!("the answer broke off ({})", cause_of(&e)))),
            }
        }
        let exchange = Arc::new(Exchange {
            method: call.method,
            url: call.url,
            status,
            headers,
            body,
        });
        self.seen.push(exchange.clone());
        Ok(exchange)
    }
}

/// What went wrong, from the first source on: the top message of a
/// reqwest error only repeats the URL, which the caller prints anyway.
fn cause_of(error: &(dyn std::error::Error + 'static)) -> String {
    let mut messages: Vec<String> = Vec::new();
    let mut source = error.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        if !messages.iter().any(|m| m.contains(&text)) {
            messages.push(text);
        }
        source = inner.source();
    }
    if messages.is_empty() {
        error.to_string()
    } else {
        messages.join(": ")
    }
}
