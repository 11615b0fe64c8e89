//! Requests the loader sent before the widget was ready: the report list and
//! first nonce of a cold start, which leave with the module while the
//! WebAssembly is still being fetched and compiled.
//!
//! The loader sends one only when it cannot be something the widget would
//! refuse to send (`headStart` in `www/cxreports-widget.js`, whose endpoint
//! check and first-requests rule are rendered from the widget's own and
//! checked against them by `tests/surface.rs`).
//! The widget then validates the options as always and takes a request over
//! only if it is exactly the one it would send now ([`is_same_request`]):
//! same method, URL, cookie policy and headers. Any other is aborted.
//!
//! Where the browser can move a live frame, the loader may also have spent
//! the first nonce already: it opened the report's frame itself
//! ([`EarlyFrame`]), and hands that over instead of the nonce request. The
//! widget adopts the frame when it would have built the very same URL, and
//! removes it otherwise.
use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, HtmlIFrameElement};

/// What makes a request the same request, for taking it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    /// `GET` or `POST`.
    pub method: String,
    /// The absolute URL.
    pub url: String,
    /// `same-origin` or `include`.
    pub credentials: String,
    /// Every header sent, in order.
    pub headers: Vec<(String, String)>,
}

/// Whether `sent` is the request `wanted`: the same method, absolute URL and
/// cookie policy, and the same headers (names in any letter case, in any
/// order, values exactly).
///
/// ```
/// use cxreports_widget::internals::{is_same_request, RequestLine};
/// let line = |accept: &str| RequestLine {
///     method: "POST".into(),
///     url: "https://app.example/api/cxreports/nonce".into(),
///     credentials: "same-origin".into(),
///     headers: vec![("Accept".into(), accept.into()), ("X-Requested-With".into(), "cxreports-widget".into())],
/// };
/// assert!(is_same_request(&line("application/json"), &line("application/json")));
/// assert!(!is_same_request(&line("text/html"), &line("application/json")));
/// ```
pub fn is_same_request(sent: &RequestLine, wanted: &RequestLine) -> bool {
    // The same headers, as many times each (no sorting: it costs the bundle
    // more than these few comparisons cost the browser).
    let count = |line: &RequestLine, (name, value): &(String, String)| {
        line.headers
            .iter()
            .filter(|(n, v)| n.eq_ignore_ascii_case(name) && v == value)
            .count()
    };
    sent.method.eq_ignore_ascii_case(&wanted.method)
        && sent.url == wanted.url
        && sent.credentials == wanted.credentials
        && sent.headers.len() == wanted.headers.len()
        && wanted
            .headers
            .iter()
            .all(|header| count(sent, header) == count(wanted, header))
}

/// The property `name` of `value`, if it can be read.
pub(crate) fn prop(value: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(value, &JsValue::from_str(name)).ok()
}

/// The property `name` of `value`, if it is a string.
fn text(value: &JsValue, name: &str) -> Option<String> {
    prop(value, name)?.as_string()
}

/// The loader's `{ method, url, credentials, headers: [[name, value], …] }`.
fn read_line(value: &JsValue) -> Option<RequestLine> {
    let pairs: Array = prop(value, "headers")?.dyn_into().ok()?;
    let mut headers = Vec::new();
    for pair in pairs.iter() {
        let pair: Array = pair.dyn_into().ok()?;
        headers.push((pair.get(0).as_string()?, pair.get(1).as_string()?));
    }
    Some(RequestLine {
        method: text(value, "method")?,
        url: text(value, "url")?,
        credentials: text(value, "credentials")?,
        headers,
    })
}

/// A request the loader started: what it is, its answer to come, and the
/// controller that aborts it. Dropped without being taken over, it is
/// aborted.
pub struct EarlyRequest {
    line: RequestLine,
    taken: Option<(Promise, AbortController)>,
}

impl EarlyRequest {
    /// Reads the loader's description `{ method, url, credentials, headers:
    /// [[name, value], …], response: Promise<Response>, controller }`;
    /// `None` for anything else (and then nothing can be aborted either).
    fn from_js(value: &JsValue) -> Option<Self> {
        let response: Promise = prop(value, "response")?.dyn_into().ok()?;
        let controller: AbortController = prop(value, "controller")?.dyn_into().ok()?;
        match read_line(value) {
            Some(line) => Some(EarlyRequest {
                line,
                taken: Some((response, controller)),
            }),
            None => {
                controller.abort();
                None
            }
        }
    }

    /// What this request is.
    pub fn line(&self) -> &RequestLine {
        &self.line
    }

    /// Takes the request over: its answer to come and its controller.
    pub(crate) fn take(mut self) -> Option<(Promise, AbortController)> {
        self.taken.take()
    }
}

impl Drop for EarlyRequest {
    fn drop(&mut self) {
        if let Some((_, controller)) = self.taken.take() {
            controller.abort();
        }
    }
}

/// The report frame the loader opened with the first nonce, before the
/// widget was ready. Dropped without being taken, it is removed from the
/// page (its nonce is spent either way).
pub struct EarlyFrame {
    element: Option<HtmlIFrameElement>,
    record: JsValue,
    src: String,
    nonce: String,
    opened_at: f64,
}

impl EarlyFrame {
    /// Reads the loader's `{ element, src, nonce, openedAt, loaded }`;
    /// `None` for anything else, and then a frame it held is removed.
    fn from_js(record: &JsValue) -> Option<Self> {
        let element: HtmlIFrameElement = prop(record, "element")?.dyn_into().ok()?;
        let read = || {
            Some((
                text(record, "src")?,
                text(record, "nonce")?,
                prop(record, "openedAt")?.as_f64()?,
            ))
        };
        let Some((src, nonce, opened_at)) = read() else {
            element.remove();
            return None;
        };
        Some(EarlyFrame {
            element: Some(element),
            record: record.clone(),
            src,
            nonce,
            opened_at,
        })
    }

    /// The address the loader gave the frame.
    pub fn src(&self) -> &str {
        &self.src
    }

    /// The nonce in that address: spent, good only for comparing addresses.
    pub fn nonce(&self) -> &str {
        &self.nonce
    }

    /// When the loader set the frame's address (ms since the epoch): when
    /// its viewer session began.
    pub fn opened_at(&self) -> f64 {
        self.opened_at
    }

    /// Whether the frame has fired its `load` already (read now).
    pub fn loaded(&self) -> bool {
        prop(&self.record, "loaded")
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    /// Takes the frame element: it is the caller's from now on.
    pub fn take(mut self) -> Option<HtmlIFrameElement> {
        self.element.take()
    }
}

impl Drop for EarlyFrame {
    fn drop(&mut self) {
        if let Some(element) = self.element.take() {
            element.remove();
        }
    }
}

/// What the loader started for one widget: at most a list, and a nonce or
/// the frame it opened with one.
#[derive(Default)]
pub struct EarlyStart {
    /// The report list (`GET reportsUrl`).
    pub list: Option<EarlyRequest>,
    /// The first nonce (`POST nonceUrl`).
    pub nonce: Option<EarlyRequest>,
    /// The first report's frame, its nonce spent.
    pub frame: Option<EarlyFrame>,
}

impl EarlyStart {
    /// Reads the loader's `{ list, nonce, frame }` (`undefined`: nothing
    /// started).
    pub fn from_js(value: &JsValue) -> Self {
        if !value.is_object() {
            return EarlyStart::default();
        }
        let object = |name: &str| prop(value, name).filter(JsValue::is_object);
        let request = |name: &str| EarlyRequest::from_js(&object(name)?);
        let frame = object("frame").and_then(|v| EarlyFrame::from_js(&v));
        EarlyStart {
            list: request("list"),
            nonce: request("nonce"),
            frame,
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(method: &str, url: &str, credentials: &str, headers: &[(&str, &str)]) -> RequestLine {
        RequestLine {
            method: method.into(),
            url: url.into(),
            credentials: credentials.into(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        }
    }

    const WIDGET: &[(&str, &str)] = &[
        ("Accept", "application/json"),
        ("X-Requested-With", "cxreports-widget"),
    ];

    #[test]
    fn the_same_request_in_another_spelling_is_the_same() {
        let wanted = line("POST", "https://a.example/n", "same-origin", WIDGET);
        let sent = line(
            "post",
            "https://a.example/n",
            "same-origin",
            &[
                ("x-requested-with", "cxreports-widget"),
                ("accept", "application/json"),
            ],
        );
        assert!(is_same_request(&sent, &wanted));
    }

    #[test]
    fn any_difference_is_another_request() {
        let wanted = line("POST", "https://a.example/n", "same-origin", WIDGET);
        let others = [
            line("GET", "https://a.example/n", "same-origin", WIDGET),
            line("POST", "https://a.example/n?x", "same-origin", WIDGET),
            line("POST", "https://b.example/n", "same-origin", WIDGET),
            line("POST", "https://a.example/n", "include", WIDGET),
            line("POST", "https://a.example/n", "same-origin", &WIDGET[..1]),
            line(
                "POST",
                "https://a.example/n",
                "same-origin",
                &[
                    ("Accept", "application/json"),
                    ("X-Requested-With", "cxreports-widget"),
                    ("X-CSRF-Token", "t"),
                ],
            ),
            line(
                "POST",
                "https://a.example/n",
                "same-origin",
                &[
                    ("Accept", "application/json"),
                    ("X-Requested-With", "Cxreports-Widget"),
                ],
            ),
        ];
        for sent in others {
            assert!(!is_same_request(&sent, &wanted), "{sent:?}");
        }
        // As many times each: a header twice is not two headers once.
        let twice = line(
            "GET",
            "https://a.example/r",
            "same-origin",
            &[("A", "1"), ("A", "1"), ("B", "2")],
        );
        let other = line(
            "GET",
            "https://a.example/r",
            "same-origin",
            &[("A", "1"), ("B", "2"), ("B", "2")],
        );
        assert!(!is_same_request(&twice, &other));
        assert!(!is_same_request(&other, &twice));
    }

    proptest! {
        #[test]
        fn reordering_headers_never_matters_and_any_change_of_a_value_does(
            headers in proptest::collection::vec(("[A-Za-z-]{1,12}", "[ -~]{0,12}"), 0..6),
            flip in any::<prop::sample::Index>(),
        ) {
            let owned: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            let wanted = line("GET", "https://a.example/r", "same-origin", &owned);
            let mut reversed = owned.clone();
            reversed.reverse();
            prop_assert!(is_same_request(&line("GET", "https://a.example/r", "same-origin", &reversed), &wanted));
            if !owned.is_empty() {
                let i = flip.index(owned.len());
                let changed = format!("{}!", owned[i].1);
                let mut other = owned.clone();
                other[i].1 = &changed;
                prop_assert!(!is_same_request(&line("GET", "https://a.example/r", "same-origin", &other), &wanted));
            }
        }
    }
}
