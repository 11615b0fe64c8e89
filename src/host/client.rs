//! JSON calls to the host backend, through gloo-net. Every call can be
//! cancelled (superseded choice, destroyed widget) and times out; transient
//! failures are retried a bounded number of times with exponential backoff.
//!
//! Answers are parsed by the browser (`JSON.parse`: no JSON text parser in
//! the bundle) and read into the contract's own types with
//! serde-wasm-bindgen, the same types the servers write and read.
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use cxreports_contract::model::{ApiError, Listing};
use cxreports_contract::PdfFileName;
use gloo_events::EventListener;
use gloo_net::http::{Method as Verb, RequestBuilder};
use gloo_timers::callback::Timeout;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, RequestCredentials, Response};

use crate::config::{Credentials, ViewerConfig};
use crate::dom::sleep;
use crate::error::HostError;
use crate::host::early::{is_same_request, EarlyRequest, RequestLine};
use crate::host::headers::{widget_headers, ACCEPT_JSON, ACCEPT_PDF};
use crate::host::shared::{shared_text, SharedText};
use crate::rows::listing_from_js;

/// The two methods the widget calls with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Get,
    Post,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
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
/// Lists longer than this are refused: no picker shows so many reports.
const MAX_ROWS: u32 = 50_000;
/// First retry delay; doubles with each further retry.
const BACKOFF_MS: u32 = 300;

/// Calls the host backend with the widget's headers, cookie policy, time
/// limit and retry policy.
#[derive(Debug, Clone, PartialEq)]
pub struct HostClient {
    timeout_ms: u32,
    pdf_timeout_ms: u32,
    retries: u32,
    headers: Vec<(String, String)>,
    credentials: Credentials,
}

impl HostClient {
    /// A client configured from the widget's options.
    pub fn new(config: &ViewerConfig) -> Self {
        HostClient {
            timeout_ms: config.timeout_ms,
            pdf_timeout_ms: config.pdf_timeout_ms,
            retries: config.retries,
            headers: config.request_headers.clone(),
            credentials: config.credentials,
        }
    }

    /// The time limit of one call, in ms (`timeoutMs`).
    pub fn timeout_ms(&self) -> u32 {
        self.timeout_ms
    }

    /// `POST url` with an empty body, read as JSON `T`. The request leaves
    /// now, when this is called, not when the returned future is first
    /// polled: a component that calls this while it is created sends its
    /// request before it renders. Or it takes `early` over instead, when
    /// that is exactly this request (else `early` is aborted).
    pub fn post_json_adopting<T: DeserializeOwned>(
        &self,
        url: &str,
        early: Option<EarlyRequest>,
        cancel: &AbortSignal,
    ) -> impl Future<Output = Result<T, Fail>> + 'static {
        self.json(Method::Post, url, cancel, early)
    }

    /// `GET url` for a list, read row by row ([`Listing`]): rows that lack
    /// what a row needs are skipped, and a console warning counts them.
    /// Sent now, as [`post_json_adopting`](Self::post_json_adopting), or
    /// `early` taken over when it is exactly this request (else `early` is
    /// aborted). Shared by every widget on the page that asks for the same
    /// list with the same cookie policy and headers while it is in flight
    /// (see [`shared`](crate::host::shared)): each reads the one answer.
    pub fn get_list_shared<T: DeserializeOwned>(
        &self,
        url: &str,
        early: Option<EarlyRequest>,
        cancel: &AbortSignal,
    ) -> impl Future<Output = Result<Vec<T>, Fail>> + 'static {
        let body = self.text_shared(url, early, cancel);
        let url = url.to_owned();
        async move {
            let value = list_json(&url, &body.await?)?;
            let list = read_rows::<T>(&url, value)?;
            warn_skipped(&url, list.skipped);
            Ok(list.rows)
        }
    }

    /// The body of `GET url` as text, the request shared while in flight.
    fn text_shared(
        &self,
        url: &str,
        early: Option<EarlyRequest>,
        cancel: &AbortSignal,
    ) -> SharedText {
        let get = |early: Option<EarlyRequest>, signal: &AbortSignal| -> SharedText {
            let call = self.call(Method::Get, url, Expect::Json, signal, early);
            Box::pin(async move {
                match call.await? {
                    Body::Text(text) => Ok(Rc::from(text)),
                    Body::Pdf(_) => Err(Fail::Cancelled),
                }
            })
        };
        match self.line(Method::Get, url, Expect::Json) {
            Some(line) => shared_text(line, early, cancel, &get),
            None => get(early, cancel),
        }
    }

    /// `GET url` for a PDF: its bytes and the file name the server suggests.
    ///
    /// Under its own, longer limit (`pdfTimeoutMs`), and never retried: the
    /// backend has CxReports render the whole report for each request, so a
    /// retry after a timeout would render it again while the first is still
    /// being made. The reader's Retry button is the only way to ask again.
    pub fn get_pdf(
        &self,
        url: &str,
        cancel: &AbortSignal,
    ) -> impl Future<Output = Result<Pdf, Fail>> + 'static {
        let export = HostClient {
            timeout_ms: self.pdf_timeout_ms,
            retries: 0,
            ..self.clone()
        };
        let call = export.call(Method::Get, url, Expect::Pdf, cancel, None);
        async move {
            match call.await? {
                Body::Pdf(pdf) => Ok(pdf),
                Body::Text(_) => Err(Fail::Cancelled),
            }
        }
    }

    fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        url: &str,
        cancel: &AbortSignal,
        early: Option<EarlyRequest>,
    ) -> impl Future<Output = Result<T, Fail>> + 'static {
        let call = self.call(method, url, Expect::Json, cancel, early);
        let url = url.to_owned();
        async move {
            match call.await? {
                Body::Text(text) => read_json(&url, &text),
                Body::Pdf(_) => Err(Fail::Cancelled),
            }
        }
    }

    /// Sends the first attempt now, or takes `early` over as the first
    /// attempt when it is exactly the request this would send; the future
    /// awaits it and any retries.
    fn call(
        &self,
        method: Method,
        url: &str,
        expect: Expect,
        cancel: &AbortSignal,
        early: Option<EarlyRequest>,
    ) -> Pin<Box<dyn Future<Output = Result<Body, Fail>>>> {
        let adopted = early
            .filter(|e| {
                self.line(method, url, expect)
                    .is_some_and(|line| is_same_request(e.line(), &line))
            })
            .and_then(EarlyRequest::take);
        let first = match adopted {
            Some((response, controller)) if !cancel.aborted() => {
                Ok(self.arm(controller, cancel, Some(JsFuture::from(response))))
            }
            Some((_, controller)) => {
                controller.abort();
                Err(Fail::Cancelled)
            }
            None => self.begin(method, url, expect, cancel),
        };
        let (client, url, cancel) = (self.clone(), url.to_owned(), cancel.clone());
        Box::pin(async move {
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
        })
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
        let response = self.send(method, url, expect, &controller.signal());
        Ok(self.arm(controller, cancel, response))
    }

    /// What [`send`](Self::send) would send for `url`, its URL made absolute
    /// as `fetch` does (by the browser's own `Request`); `None` when it
    /// cannot be resolved.
    fn line(&self, method: Method, url: &str, expect: Expect) -> Option<RequestLine> {
        let url = web_sys::Request::new_with_str(url).ok()?.url();
        let mut headers = Vec::with_capacity(2 + self.headers.len());
        for (name, value) in widget_headers(expect.accept()) {
            headers.push((name.to_owned(), value.to_owned()));
        }
        headers.extend(self.headers.iter().cloned());
        Some(RequestLine {
            method: method.as_str().to_owned(),
            url,
            credentials: match self.credentials {
                Credentials::SameOrigin => "same-origin",
                Credentials::Include => "include",
            }
            .to_owned(),
            headers,
        })
    }

    /// Arms one attempt whose request `controller` aborts: its deadline and
    /// its link to `cancel`.
    fn arm(
        &self,
        controller: AbortController,
        cancel: &AbortSignal,
        response: Option<JsFuture>,
    ) -> Sent {
        let timed_out = Rc::new(Cell::new(false));
        let deadline = Timeout::new(self.timeout_ms, {
            let (controller, timed_out) = (controller.clone(), timed_out.clone());
            move || {
                timed_out.set(true);
                controller.abort();
            }
        });
        let relay = EventListener::once(cancel, "abort", {
            let controller = controller.clone();
            move |_| controller.abort()
        });
        Sent {
            response,
            timed_out,
            timeout_ms: self.timeout_ms,
            _deadline: deadline,
            _relay: relay,
        }
    }

    /// Calls `fetch`; `None` when the browser refused to start it.
    ///
    /// The request is built by gloo-net and handed to `fetch` here, at once:
    /// gloo-net's own `send` calls `fetch` only when its future is first
    /// polled, which for the first requests of a cold start is a render later.
    fn send(
        &self,
        method: Method,
        url: &str,
        expect: Expect,
        signal: &AbortSignal,
    ) -> Option<JsFuture> {
        let mut builder = RequestBuilder::new(url).method(match method {
            Method::Get => Verb::GET,
            Method::Post => Verb::POST,
        });
        // The widget's headers, then the host's. Header names and values
        // were checked when the options were read, so `fetch` accepts them.
        for (name, value) in widget_headers(expect.accept()) {
            builder = builder.header(name, value);
        }
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        let request: web_sys::Request = builder
            .credentials(match self.credentials {
                Credentials::SameOrigin => RequestCredentials::SameOrigin,
                Credentials::Include => RequestCredentials::Include,
            })
            .abort_signal(Some(signal))
            .build()
            .ok()?
            .into();
        Some(JsFuture::from(
            web_sys::window()?.fetch_with_request(&request),
        ))
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
    _deadline: Timeout,
    _relay: EventListener,
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
        let failed = || failure(url, cancel, timed_out.get(), timeout_ms);
        let response = match response {
            Some(pending) => pending.await.ok(),
            None => None,
        };
        let response = as_response(response).ok_or_else(failed)?;
        let content_type = header(&response, "content-type").unwrap_or_default();
        // An error's body and a JSON answer are read as text, a PDF as
        // bytes, each once it may be read; one wait for either.
        let as_text = !response.ok() || matches!(expect, Expect::Json);
        if !as_text && content_type.contains("text/html") {
            return Err(html(url));
        }
        let reading = if as_text {
            response.text()
        } else {
            response.array_buffer()
        };
        let body = match reading {
            Ok(promise) => JsFuture::from(promise).await.ok(),
            Err(_) => None,
        };
        let body = body.ok_or_else(failed)?;
        if as_text {
            let text = body.as_string().ok_or_else(failed)?;
            text_body(url, &response, &content_type, text)
        } else {
            let bytes = js_sys::Uint8Array::new(&body).to_vec();
            pdf_body(url, &response, &content_type, bytes)
        }
    }
}

/// Why an attempt got no response, or no whole body: cancelled, timed out,
/// or the network.
fn failure(url: &str, cancel: &AbortSignal, timed_out: bool, ms: u32) -> Fail {
    if cancel.aborted() {
        Fail::Cancelled
    } else if timed_out {
        Fail::Host(HostError::Timeout {
            url: url.to_owned(),
            ms,
        })
    } else {
        network(url)
    }
}

/// What `fetch` resolved to, as a response.
fn as_response(value: Option<JsValue>) -> Option<Response> {
    wasm_bindgen::JsCast::dyn_into::<Response>(value?).ok()
}

fn html(url: &str) -> Fail {
    Fail::Host(HostError::Html {
        url: url.to_owned(),
    })
}

/// An error status with its body, or a JSON answer's body.
fn text_body(
    url: &str,
    response: &Response,
    content_type: &str,
    body: String,
) -> Result<Body, Fail> {
    if !response.ok() {
        let message = browser_json::<ApiError>(&body)
            .ok()
            .map(|e| e.error.chars().take(300).collect());
        return Err(HostError::Status {
            url: url.to_owned(),
            status: response.status(),
            message,
        }
        .into());
    }
    if content_type.contains("text/html") || body.trim_start().starts_with('<') {
        return Err(html(url));
    }
    Ok(Body::Text(body))
}

/// A PDF answer's bytes, with the file name the server suggests.
fn pdf_body(
    url: &str,
    response: &Response,
    content_type: &str,
    bytes: Vec<u8>,
) -> Result<Body, Fail> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(HostError::BadResponse {
            url: url.to_owned(),
            detail: format!("not a PDF ({} bytes of \"{content_type}\")", bytes.len()),
        }
        .into());
    }
    let file_name = header(response, "content-disposition").and_then(|value| file_name(&value));
    Ok(Body::Pdf(Pdf { bytes, file_name }))
}

/// A response header, if present.
fn header(response: &Response, name: &str) -> Option<String> {
    response.headers().get(name).ok()?
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
            Expect::Json => ACCEPT_JSON,
            Expect::Pdf => ACCEPT_PDF,
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

/// The file to save a PDF as, from its `Content-Disposition` header, by
/// the contract's one file-name policy ([`PdfFileName`]): RFC 6266
/// `filename*` for names beyond ASCII, else `filename`, made safe and
/// ending in `.pdf`. `None` when the header names nothing usable.
pub fn file_name(header: &str) -> Option<String> {
    PdfFileName::from_disposition(header).map(|name| name.file_name())
}

/// Warns on the console when rows of a list were skipped.
fn warn_skipped(url: &str, skipped: usize) {
    if skipped > 0 {
        web_sys::console::warn_1(&JsValue::from_str(&skipped_rows(url, skipped)));
    }
}

/// The console warning for rows of a list that were skipped.
fn skipped_rows(url: &str, skipped: usize) -> String {
    format!(
        "cxreports-widget: {url} answered {skipped} list row(s) without what a row needs \
         (a report: an id, a name, its type's id and name; a type: an id, a name, a code; \
         each of the right type): they are not shown"
    )
}

/// What makes a body unreadable before it is parsed: empty, or too large.
pub fn check_body(url: &str, body: &str) -> Result<(), Fail> {
    if body.trim().is_empty() {
        return Err(bad(url, "an empty answer".into()));
    }
    if body.len() > MAX_BODY {
        return Err(bad(
            url,
            format!("an answer of {} bytes, larger than expected", body.len()),
        ));
    }
    Ok(())
}

fn bad(url: &str, detail: String) -> Fail {
    Fail::Host(HostError::BadResponse {
        url: url.to_owned(),
        detail,
    })
}

/// Why the browser's JSON could not be read as `T`.
enum Unreadable {
    /// Not JSON at all; the browser's message.
    Syntax(String),
    /// JSON, of another shape; what was wrong.
    Shape(String),
}

/// Parses `body` with the browser's `JSON.parse` and reads it as `T`.
fn browser_json<T: DeserializeOwned>(body: &str) -> Result<T, Unreadable> {
    let value = parse_json(body)?;
    serde_wasm_bindgen::from_value(value).map_err(|e| Unreadable::Shape(e.to_string()))
}

/// Parses `body` with the browser's `JSON.parse`; an array longer than any
/// list the widget reads is refused.
fn parse_json(body: &str) -> Result<JsValue, Unreadable> {
    let value = js_sys::JSON::parse(body).map_err(|e| {
        Unreadable::Syntax(
            js_sys::Error::from(e)
                .message()
                .as_string()
                .unwrap_or_default(),
        )
    })?;
    let rows = js_sys::Array::is_array(&value).then(|| js_sys::Array::from(&value).length());
    if let Some(rows) = rows.filter(|&n| n > MAX_ROWS) {
        return Err(Unreadable::Shape(format!(
            "a list of {rows} rows, more than the {MAX_ROWS} the widget reads"
        )));
    }
    Ok(value)
}

/// Reads a body as JSON `T`, telling "not JSON" from "not the expected shape".
fn read_json<T: DeserializeOwned>(url: &str, body: &str) -> Result<T, Fail> {
    check_body(url, body)?;
    // Syntax first: a truncated answer is "not JSON", whatever it began with.
    browser_json(body).map_err(|e| unreadable(url, e))
}

/// Reads a body as a JSON list of `T`, row by row ([`Listing`]), as
/// [`read_json`] reads one value.
#[cfg(all(test, target_arch = "wasm32"))]
fn read_list<T: DeserializeOwned>(url: &str, body: &str) -> Result<Listing<T>, Fail> {
    read_rows(url, list_json(url, body)?)
}

/// A list's body parsed by the browser, before its rows are read.
fn list_json(url: &str, body: &str) -> Result<JsValue, Fail> {
    check_body(url, body)?;
    parse_json(body).map_err(|e| unreadable(url, e))
}

/// The rows of a parsed list, as [`read_list`] reads them.
fn read_rows<T: DeserializeOwned>(url: &str, value: JsValue) -> Result<Listing<T>, Fail> {
    listing_from_js(value).map_err(|e| not_a_list(url, e))
}

/// A list's answer that is `what` ("an object", …) instead.
fn not_a_list(url: &str, what: &str) -> Fail {
    unreadable(
        url,
        Unreadable::Shape(format!("{what} where a list belongs")),
    )
}

fn unreadable(url: &str, e: Unreadable) -> Fail {
    match e {
        Unreadable::Syntax(message) => bad(url, format!("not JSON: {message}")),
        Unreadable::Shape(message) => bad(url, format!("JSON of an unexpected shape: {message}")),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
            Some("etc_passwd.pdf")
        );
        assert_eq!(file_name("attachment"), None);
        assert_eq!(file_name(r#"attachment; filename="""#), None);
    }

    #[test]
    fn the_extended_file_name_wins_and_is_utf8() {
        let header = r#"attachment; filename="Zurich _Q3_ summary.pdf"; filename*=UTF-8''Z%C3%BCrich%20%22Q3%22%20summary.pdf"#;
        assert_eq!(file_name(header).as_deref(), Some("Zürich Q3 summary.pdf"));
        assert_eq!(
            file_name("attachment; FILENAME*=utf-8'de'%C3%84rger.pdf").as_deref(),
            Some("Ärger.pdf")
        );
        // Unreadable extended names fall back to the plain one.
        assert_eq!(
            file_name(r#"attachment; filename*=UTF-8''%FF%FE.pdf; filename="plain.pdf""#)
                .as_deref(),
            Some("plain.pdf")
        );
        assert_eq!(
            file_name("attachment; filename*=ISO-8859-1''caf%E9.pdf; filename=cafe.pdf").as_deref(),
            Some("café.pdf")
        );
        assert_eq!(
            file_name("attachment; filename*=KOI8-R''%C1.pdf; filename=\"plain.pdf\"").as_deref(),
            Some("plain.pdf")
        );
        assert_eq!(
            file_name("attachment; filename*=UTF-8''..%2F..%2Fetc%2Fpasswd").as_deref(),
            Some("etc_passwd.pdf")
        );
        assert_eq!(file_name("attachment; filename*=UTF-8''"), None);
    }

    #[test]
    fn empty_and_oversized_bodies_are_refused_unparsed() {
        let detail = |r: Result<(), Fail>| match r {
            Err(Fail::Host(HostError::BadResponse { detail, .. })) => detail,
            other => panic!("{other:?}"),
        };
        assert_eq!(check_body("/n", r#"{"nonce":"a"}"#), Ok(()));
        assert!(detail(check_body("/n", " \n")).contains("empty"));
        let huge = " ".repeat(MAX_BODY) + "[]";
        assert!(detail(check_body("/r", &huge)).contains("larger than expected"));
        assert!(skipped_rows("/r", 2).contains("/r answered 2 list row(s)"));
    }

    proptest! {
        #[test]
        fn file_name_never_panics_nor_keeps_separators(header in "\\PC{0,80}") {
            if let Some(name) = file_name(&header) {
                prop_assert!(!name.contains('/') && !name.contains('\\') && !name.trim().is_empty());
            }
        }
    }
}

/// Reading answers as the browser parses them: only in a browser.
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use super::*;
    use cxreports_contract::model::{NonceToken, Report};
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    fn detail<T: std::fmt::Debug>(r: Result<T, Fail>) -> String {
        match r {
            Err(Fail::Host(HostError::BadResponse { detail, .. })) => detail,
            other => panic!("{other:?}"),
        }
    }

    #[wasm_bindgen_test]
    fn bodies_are_classified() {
        assert_eq!(
            read_json::<NonceToken>("/n", r#"{"nonce":"a","extra":null}"#),
            Ok(NonceToken { nonce: "a".into() })
        );
        assert!(detail(read_json::<NonceToken>("/n", "")).contains("empty"));
        assert!(detail(read_json::<NonceToken>("/n", r#"{"nonce": "#)).contains("not JSON"));
        assert!(
            detail(read_json::<NonceToken>("/n", r#"{"unexpected":true}"#))
                .contains("unexpected shape")
        );
        assert!(detail(read_list::<Report>("/r", r#"{"nonce": "#)).contains("not JSON"));
        for (body, what) in [
            (r#"{"error":"x"}"#, "an object"),
            (r#""x""#, "a string"),
            ("5", "a number"),
            ("true", "true or false"),
            ("null", "null"),
        ] {
            let said = detail(read_list::<Report>("/r", body));
            assert!(
                said.contains(&format!("unexpected shape: {what} where a list belongs")),
                "{body}: {said}"
            );
        }
        let many = format!("[{}0]", "0,".repeat(MAX_ROWS as usize));
        assert!(detail(read_list::<Report>("/r", &many)).contains("more than"));
    }

    #[wasm_bindgen_test]
    fn lists_read_nulls_and_skip_rows_without_an_id() {
        let list: Listing<Report> = read_list(
            "/r",
            r#"[{"id":1,"name":"A","reportTypeId":2,"reportTypeName":"T","reportTemplateName":null,
                 "isDefault":null,"themeName":null,"previewImage":null,"$type":"Report"},
                {"id":null,"name":"B","reportTypeId":2,"reportTypeName":"T"},
                {"id":3,"reportTypeId":2,"reportTypeName":"T"}]"#,
        )
        .unwrap();
        assert_eq!(list.skipped, 2);
        assert_eq!(list.rows.len(), 1);
        let r = &list.rows[0];
        assert_eq!(
            (
                r.id,
                r.report_template_name.as_str(),
                r.is_default,
                r.theme_name.clone()
            ),
            (1, "", false, None)
        );
    }
}
