//! Owned browser side effects: each undoes itself when dropped, so a widget
//! that is destroyed leaves no timer or listener behind.
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortSignal, EventTarget};

/// A cancellable piece of work: its signal goes to the requests it makes, and
/// dropping it aborts them.
#[must_use = "the work is aborted when dropped"]
pub struct Task(web_sys::AbortController);

impl Task {
    /// A new task; `None` when the browser has no `AbortController`.
    pub fn start() -> Option<Self> {
        web_sys::AbortController::new().ok().map(Task)
    }

    /// The signal to hand to the task's requests.
    pub fn signal(&self) -> AbortSignal {
        self.0.signal()
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A `setTimeout` that is cleared when dropped.
#[must_use = "the timer is cleared when dropped"]
pub struct Timer {
    id: Option<i32>,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    /// Calls `f` once after `ms` milliseconds, unless dropped first.
    pub fn new(ms: u32, f: impl FnOnce() + 'static) -> Self {
        let mut f = Some(f);
        let callback = Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = f.take() {
                f();
            }
        });
        let id = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                i32::try_from(ms).unwrap_or(i32::MAX),
            )
            .ok()
        });
        Timer {
            id,
            _callback: callback,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let (Some(id), Some(window)) = (self.id, web_sys::window()) {
            window.clear_timeout_with_handle(id);
        }
    }
}

/// An event listener that is removed when dropped.
#[must_use = "the listener is removed when dropped"]
pub struct Listener {
    target: EventTarget,
    event: &'static str,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    /// Listens for `event` on `target`.
    pub fn new(
        target: &EventTarget,
        event: &'static str,
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> Self {
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(f);
        // Adding a listener to a live target cannot fail; if it ever did, the
        // listener is simply absent, which the caller's flow tolerates.
        let _ = target.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
        Listener {
            target: target.clone(),
            event,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(
            self.event,
            self.callback.as_ref().unchecked_ref(),
        );
    }
}

/// Waits `ms` milliseconds, or less if `cancel` aborts. Returns whether it
/// ran the full time. Leaves no timer behind either way.
pub async fn sleep(ms: u32, cancel: &AbortSignal) -> bool {
    if cancel.aborted() {
        return false;
    }
    let mut keep = Vec::new();
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let on_abort = resolve.clone();
        keep.push(Box::new(Timer::new(ms, move || {
            let _ = resolve.call1(&JsValue::UNDEFINED, &JsValue::TRUE);
        })) as Box<dyn std::any::Any>);
        keep.push(Box::new(Listener::new(cancel, "abort", move |_| {
            let _ = on_abort.call1(&JsValue::UNDEFINED, &JsValue::FALSE);
        })));
    });
    let done = wasm_bindgen_futures::JsFuture::from(promise).await;
    drop(keep);
    matches!(done, Ok(v) if v.is_truthy())
}

/// A `blob:` URL for bytes, revoked when dropped.
pub struct ObjectUrl(String);

impl ObjectUrl {
    /// A URL for `bytes` of MIME type `mime`.
    pub fn new(bytes: &[u8], mime: &str) -> Option<Self> {
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
        web_sys::Url::create_object_url_with_blob(&blob)
            .ok()
            .map(ObjectUrl)
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Drop for ObjectUrl {
    fn drop(&mut self) {
        let _ = web_sys::Url::revoke_object_url(&self.0);
    }
}
