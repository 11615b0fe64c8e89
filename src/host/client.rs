//! JSON calls to the host backend. Every call can be cancelled (superseded
//! choice, destroyed widget) and times out; transient failures are retried a
//! bounded number of times with exponential backoff.
use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use cxreports_contract::model::ApiError;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Headers, RequestCredentials, RequestInit, Response};

use crate::config::{Credentials, ViewerConfig};
use crate::dom::{sleep, Listener, Timer};
use crate::error::HostError;
use crate::host::shapes::FromJson;
use crate::json;

/// The two methods the widget calls with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    Post,
}

/// Why a call produced no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fail {
    /// The caller cancelled it: nothing to report.
    Cancelled,
    /// It failed: report this.
    Host(HostError),
}

impl From<HostError> for Fail {
    fn from(e: HostError) -> Self {
        Fail::Host(e)
    }
}

/// Bodies larger than this are refused unread as JSON: no list or nonce is this big.
const MAX_BODY: usize = 4 * 1024 * 1024;
/// First retry delay; doubles with each further retry.
const BACKOFF_MS: u32 = 300;

/// Calls the host backend with the widget's headers, cookie policy, time
/// limit and retry policy.
#[derive(Debug, Clone, PartialEq)]
pub struct HostClient {
    timeout_ms: u32,
    retries: u32,
    headers: Vec<(String, String)>,
    credentials: Credentials,
}

impl HostClient {
    /// A client configured from the widget's options.
    pub fn new(config: &ViewerConfig) -> Self {
        HostClient {
            timeout_ms: config.timeout_ms,
            retries: config.retries,
            headers: config.request_headers.clone(),
            credentials: config.credentials,
        }
    }

    /// `GET url`, read as JSON `T`. The request leaves now, when this is
    /// called, not when the returned future is first polled: a component
    /// that calls this while it is created sends its request before it
    /// renders.
    pub fn get_json<T: FromJson>(
        &self,
        url: &str,
        cancel: &AbortSignal,
    ) -> impl Future<Output = Result<T, Fail>> + 'static {
        self.json(Method::Get, url, cancel)
    }

    /// `POST url` with an empty body, read as JSON `T`; sent at once, as
    /// [`get_json`](Self::get_json).
    pub fn post_json<T: FromJson>(
        &self,
        url: &str,
        cancel: &AbortSignal,
    ) -> impl Future<Output = Result<T, Fail>> + 'static {
        self.json(Method::Post, url, cancel)
    }

    /// `GET url` for a PDF: its bytes and the file name the server suggests.
    pub fn get_pdf(
        &self,
        url: &str,
        cancel: &AbortSignal,
    ) -> impl Future<Output = Result<Pdf, Fail>> + 'static {
        let call = self.call(Method::Get, url, Expect::Pdf, cancel);
        async move {
            match call.await? {
                Body::Pdf(pdf) => Ok(pdf),
                Body::Text(_) => Err(Fail::Cancelled),
            }
        }
    }

    fn json<T: FromJson>(
        &self,
        method: Method,
        url: &str,
        cancel: &AbortSignal,
    ) -> impl Future<Output = Result<T, Fail>> + 'static {
        let call = self.call(method, url, Expect::Json, cancel);
        let url = url.to_owned();
        async move {
            match call.await? {
                Body::Text(text) => parse(&url, &text),
                Body::Pdf(_) => Err(Fail::Cancelled),
            }
        }
    }

    /// Sends the first attempt now; the future awaits it and any retries.
    fn call(
        &self,
        method: Method,
        url: &str,
        expect: Expect,
        cancel: &AbortSignal,
    ) -> impl Future<Output = Result<Body, Fail>> + 'static {
        let first = self.begin(method, url, expect, cancel);
        let (client, url, cancel) = (self.clone(), url.to_owned(), cancel.clone());
        async move {
            let mut pending = first;
            let mut attempt = 0;
            loop {
                let result = match pending {
                    Ok(sent) => sent.finish(&url, expect, &cancel).await,
                    Err(e) => Err(e),
                };
                match result {
                    Err(Fail::Host(e)) if e.is_transient() && attempt < client.retries => {
                        if !sleep(BACKOFF_MS.saturating_mul(1 << attempt.min(8)), &cancel).await {
                            return Err(Fail::Cancelled);
                        }
                        attempt += 1;
                        pending = client.begin(method, &url, expect, &cancel);
                    }
                    other => return other,
                }
            }
        }
    }

    /// Starts one attempt: its deadline, its link to `cancel`, and the request.
    fn begin(
        &self,
        method: Method,
        url: &str,
        expect: Expect,
        cancel: &AbortSignal,
    ) -> Result<Sent, Fail> {
        if cancel.aborted() {
            return Err(Fail::Cancelled);
        }
        let controller = AbortController::new().map_err(|_| network(url))?;
        let timed_out = Rc::new(Cell::new(false));
        let deadline = Timer::new(self.timeout_ms, {
            let (controller, timed_out) = (controller.clone(), timed_out.clone());
            move || {
                timed_out.set(true);
                controller.abort();
            }
        });
        let relay = Listener::new(cancel, "abort", {
            let controller = controller.clone();
            move |_| controller.abort()
        });
        Ok(Sent {
            response: self.send(method, url, expect, &controller.signal()),
            timed_out,
            timeout_ms: self.timeout_ms,
            _deadline: deadline,
            _relay: relay,
        })
    }

    /// Calls `fetch`; `None` when the browser refused to start it.
    fn send(
        &self,
        method: Method,
        url: &str,
        expect: Expect,
        signal: &AbortSignal,
    ) -> Option<JsFuture> {
        let headers = Headers::new().ok()?;
        headers.set("Accept", expect.accept()).ok()?;
        // A non-simple header: a cross-site form cannot forge this call, and
        // backends use it as their CSRF check.
        headers.set("X-Requested-With", "cxreports-widget").ok()?;
        for (name, value) in &self.headers {
            headers.set(name, value).ok()?;
        }
        let init = RequestInit::new();
        init.set_method(match method {
            Method::Get => "GET",
            Method::Post => "POST",
        });
        init.set_headers(&headers);
        init.set_credentials(match self.credentials {
            Credentials::SameOrigin => RequestCredentials::SameOrigin,
            Credentials::Include => RequestCredentials::Include,
        });
        init.set_signal(Some(signal));
        let promise = web_sys::window()?.fetch_with_str_and_init(url, &init);
        Some(JsFuture::from(promise))
    }
}

fn network(url: &str) -> Fail {
    Fail::Host(HostError::Network {
        url: url.to_owned(),
    })
}

/// One attempt in flight. Dropping it clears its deadline and its link to
/// the caller's cancel signal.
struct Sent {
    response: Option<JsFuture>,
    timed_out: Rc<Cell<bool>>,
    timeout_ms: u32,
    _deadline: Timer,
    _relay: Listener,
}

impl Sent {
    /// Awaits the response and reads its body as `expect` says.
    async fn finish(self, url: &str, expect: Expect, cancel: &AbortSignal) -> Result<Body, Fail> {
        // The deadline and the relay stay armed until this returns.
        let Sent {
            response,
            timed_out,
            timeout_ms,
            _deadline,
            _relay,
        } = self;
        let failed = || {
            if cancel.aborted() {
                Fail::Cancelled
            } else if timed_out.get() {
                Fail::Host(HostError::Timeout {
                    url: url.to_owned(),
                    ms: timeout_ms,
                })
            } else {
                network(url)
            }
        };
        let response: Response = match response {
            Some(pending) => pending.await.ok().and_then(|r| r.dyn_into().ok()),
            None => None,
        }
        .ok_or_else(failed)?;
        let content_type = header(&response, "content-type").unwrap_or_default();
        let html = || {
            Fail::Host(HostError::Html {
                url: url.to_owned(),
            })
        };

        if !response.ok() {
            let body = text(&response).await.ok_or_else(failed)?;
            let message = json::parse(&body)
                .ok()
                .and_then(|v| ApiError::from_json(&v).ok())
                .map(|e| e.error.chars().take(300).collect());
            return Err(HostError::Status {
                url: url.to_owned(),
                status: response.status(),
                message,
            }
            .into());
        }
        match expect {
            Expect::Json => {
                let body = text(&response).await.ok_or_else(failed)?;
                if content_type.contains("text/html") || body.trim_start().starts_with('<') {
                    return Err(html());
                }
                Ok(Body::Text(body))
            }
            Expect::Pdf => {
                if content_type.contains("text/html") {
                    return Err(html());
                }
                let bytes = bytes(&response).await.ok_or_else(failed)?;
                if !bytes.starts_with(b"%PDF-") {
                    return Err(HostError::BadResponse {
                        url: url.to_owned(),
                        detail: format!("not a PDF ({} bytes of \"{content_type}\")", bytes.len()),
                    }
                    .into());
                }
                let file_name =
                    header(&response, "content-disposition").and_then(|value| file_name(&value));
                Ok(Body::Pdf(Pdf { bytes, file_name }))
            }
        }
    }
}

/// A response header, if present.
fn header(response: &Response, name: &str) -> Option<String> {
    response.headers().get(name).ok().flatten()
}

/// The whole body as text; `None` when reading it failed (aborted, cut off).
async fn text(response: &Response) -> Option<String> {
    JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
}

/// The whole body as bytes.
async fn bytes(response: &Response) -> Option<Vec<u8>> {
    let buffer: JsValue = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// What a call expects back.
#[derive(Debug, Clone, Copy)]
enum Expect {
    Json,
    Pdf,
}

impl Expect {
    fn accept(self) -> &'static str {
        match self {
            Expect::Json => "application/json",
            Expect::Pdf => "application/pdf",
        }
    }
}

enum Body {
    Text(String),
    Pdf(Pdf),
}

/// A downloaded PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pdf {
    /// The document.
    pub bytes: Vec<u8>,
    /// The file name from `Content-Disposition`, if the server gave one.
    pub file_name: Option<String>,
}

/// The `filename` of a `Content-Disposition` header, reduced to characters
/// safe in a file name.
pub fn file_name(header: &str) -> Option<String> {
    let raw = header
        .split(';')
        .map(str::trim)
        .find_map(|part| part.strip_prefix("filename="))?;
    let name: String = raw
        .trim_matches('"')
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '/' | '\\' | '"' | ':' | '*' | '?' | '<' | '>' | '|')
        })
        .take(200)
        .collect();
    (!name.trim().is_empty()).then_some(name)
}

/// Reads a body as JSON `T`, telling "not JSON" from "not the expected shape".
pub fn parse<T: FromJson>(url: &str, body: &str) -> Result<T, Fail> {
    let bad = |detail: String| {
        Fail::Host(HostError::BadResponse {
            url: url.to_owned(),
            detail,
        })
    };
    if body.trim().is_empty() {
        return Err(bad("an empty answer".into()));
    }
    if body.len() > MAX_BODY {
        return Err(bad(format!(
            "an answer of {} bytes, larger than expected",
            body.len()
        )));
    }
    // Syntax first: a truncated answer is "not JSON", whatever it began with.
    let value = json::parse(body).map_err(|e| bad(format!("not JSON: {e}")))?;
    T::from_json(&value).map_err(|e| bad(format!("JSON of an unexpected shape: {e}")))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use cxreports_contract::model::NonceToken;
    use proptest::prelude::*;

    fn detail(r: Result<NonceToken, Fail>) -> String {
        match r {
            Err(Fail::Host(HostError::BadResponse { detail, .. })) => detail,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn file_names_come_from_content_disposition_safely() {
        assert_eq!(
            file_name(r#"attachment; filename="Q3 report.pdf""#).as_deref(),
            Some("Q3 report.pdf")
        );
        assert_eq!(
            file_name("attachment; filename=a.pdf").as_deref(),
            Some("a.pdf")
        );
        assert_eq!(
            file_name(r#"attachment; filename="../../etc/passwd""#).as_deref(),
            Some("....etcpasswd")
        );
        assert_eq!(file_name("attachment"), None);
        assert_eq!(file_name(r#"attachment; filename="""#), None);
    }

    #[test]
    fn bodies_are_classified() {
        assert_eq!(
            parse::<NonceToken>("/n", r#"{"nonce":"a"}"#),
            Ok(NonceToken { nonce: "a".into() })
        );
        assert!(detail(parse("/n", "")).contains("empty"));
        assert!(detail(parse("/n", r#"{"nonce": "#)).contains("not JSON"));
        assert!(detail(parse("/n", r#"{"unexpected":true}"#)).contains("unexpected shape"));
        let list = parse::<Vec<cxreports_contract::model::Report>>("/r", r#"{"nonce": "#);
        assert!(
            matches!(list, Err(Fail::Host(HostError::BadResponse { detail, .. })) if detail.contains("not JSON"))
        );
    }

    proptest! {
        #[test]
        fn parse_never_panics(body in "\\PC{0,200}") {
            let _ = parse::<Vec<cxreports_contract::model::Report>>("/r", &body);
            let _ = parse::<NonceToken>("/n", &body);
        }
    }
}
