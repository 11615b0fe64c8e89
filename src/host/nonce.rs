//! Getting a single-use nonce from the host: its backend endpoint or its own
//! function. The nonce is returned to the caller and goes nowhere else: not
//! stored, not logged.
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::Poll;

use cxreports_contract::model::NonceToken;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::config::NonceSource;
use crate::dom::sleep;
use crate::error::HostError;
use crate::host::early::{prop, EarlyRequest};
use crate::host::{Fail, HostClient};

/// Fetches one nonce. The request leaves (or the host's function is
/// called) now, not when the returned future is first polled.
pub fn fetch_nonce(
    source: &NonceSource,
    client: &HostClient,
    cancel: &AbortSignal,
) -> impl Future<Output = Result<String, Fail>> + 'static {
    fetch_nonce_adopting(source, client, None, cancel)
}

/// [`fetch_nonce`], taking `early` over when it is exactly the request to
/// `nonceUrl` this would send (else `early` is aborted).
pub fn fetch_nonce_adopting(
    source: &NonceSource,
    client: &HostClient,
    early: Option<EarlyRequest>,
    cancel: &AbortSignal,
) -> impl Future<Output = Result<String, Fail>> + 'static {
    enum Call<F> {
        Backend(F),
        Callback(Result<JsValue, HostError>),
    }
    let pending = match source {
        NonceSource::Url(url) => {
            Call::Backend(client.post_json_adopting::<NonceToken>(url, early, cancel))
        }
        NonceSource::Callback(f) => Call::Callback(
            f.call0(&JsValue::NULL)
                .map_err(|e| HostError::Callback(describe(&e))),
        ),
    };
    let cancel = cancel.clone();
    let limit_ms = client.timeout_ms();
    async move {
        let nonce = match pending {
            Call::Backend(call) => call.await?.nonce,
            Call::Callback(returned) => {
                let value = within(returned?, limit_ms, &cancel).await?;
                value
                    .as_string()
                    .or_else(|| prop(&value, "nonce")?.as_string())
                    .ok_or_else(|| {
                        HostError::Callback("it must return a string (the nonce)".into())
                    })?
            }
        };
        check(nonce).map_err(Fail::Host)
    }
}

/// What the host's function gave, awaited (a promise or a plain value)
/// under the same time limit as a call to `nonceUrl`: a promise that never
/// settles is abandoned after `limit_ms`, and one the caller cancels is
/// abandoned at once. Its late answer, if any, goes nowhere.
async fn within(returned: JsValue, limit_ms: u32, cancel: &AbortSignal) -> Result<JsValue, Fail> {
    if cancel.aborted() {
        return Err(Fail::Cancelled);
    }
    let mut answer = JsFuture::from(js_sys::Promise::resolve(&returned));
    // The page's own time limit and cancel, as a retry waits for them.
    let mut out_of_time = Box::pin(sleep(limit_ms, cancel));
    let outcome = poll_fn(|cx| {
        if let Poll::Ready(answer) = Pin::new(&mut answer).poll(cx) {
            return Poll::Ready(answer.map_err(|e| Fail::Host(HostError::Callback(describe(&e)))));
        }
        match out_of_time.as_mut().poll(cx) {
            Poll::Ready(true) => Poll::Ready(Err(Fail::Host(HostError::Timeout {
                url: "fetchNonce".into(),
                ms: limit_ms,
            }))),
            Poll::Ready(false) => Poll::Ready(Err(Fail::Cancelled)),
            Poll::Pending => Poll::Pending,
        }
    })
    .await;
    if cancel.aborted() {
        return Err(Fail::Cancelled);
    }
    outcome
}

/// A nonce must be a non-empty, printable token.
pub fn check(nonce: String) -> Result<String, HostError> {
    let printable = nonce.chars().all(|c| c.is_ascii_graphic());
    if nonce.is_empty() || !printable || nonce.len() > 4096 {
        Err(HostError::EmptyNonce)
    } else {
        Ok(nonce)
    }
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "it threw or rejected".into())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn nonces_must_be_printable_tokens() {
        assert_eq!(check("abc-123_XYZ".into()), Ok("abc-123_XYZ".into()));
        assert_eq!(check(String::new()), Err(HostError::EmptyNonce));
        assert_eq!(check("a b".into()), Err(HostError::EmptyNonce));
        assert_eq!(check("x".repeat(5000)), Err(HostError::EmptyNonce));
    }
}
