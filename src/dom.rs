//! Owned browser side effects: each undoes itself when dropped, so a widget
//! that is destroyed leaves no timer or listener behind. Timers and
//! listeners are gloo's (`Timeout`, `EventListener`); these are the rest.
use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::AbortSignal;

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

/// Waits `ms` milliseconds, or less if `cancel` aborts. Returns whether it
/// ran the full time. Leaves no timer or listener behind either way.
pub async fn sleep(ms: u32, cancel: &AbortSignal) -> bool {
    if cancel.aborted() {
        return false;
    }
    let (done, finished) = futures_channel::oneshot::channel::<bool>();
    let done = Rc::new(RefCell::new(Some(done)));
    let finish = move |full: bool| {
        let done = done.clone();
        move || {
            if let Some(done) = done.borrow_mut().take() {
                let _ = done.send(full);
            }
        }
    };
    let _timer = Timeout::new(ms, finish(true));
    let on_abort = finish(false);
    let _abort = EventListener::once(cancel, "abort", move |_| on_abort());
    finished.await.unwrap_or(false)
}

/// The reader's IANA time zone (`Intl.DateTimeFormat().resolvedOptions()
/// .timeZone`, e.g. `Europe/Belgrade`); `None` where the browser does not say.
pub fn reader_time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
        .filter(|zone| !zone.is_empty())
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

/// The widget's language: the `locale` option, else the first served of the
/// `lang` option, the element's or page's `lang` and the browser's languages.
pub fn language_for(
    config: &crate::config::ViewerConfig,
    element: Option<&web_sys::Element>,
) -> crate::i18n::Language {
    let mut requested: Vec<String> = config.query.lang.iter().cloned().collect();
    requested.extend(page_languages(element));
    let requested: Vec<&str> = requested.iter().map(String::as_str).collect();
    crate::i18n::Language::negotiate(config.locale.as_deref(), &requested)
}

/// The languages the page asks for, most wanted first: the `lang` of
/// `element` or its nearest ancestor, the document's, then the browser's.
fn page_languages(element: Option<&web_sys::Element>) -> Vec<String> {
    let mut out = Vec::new();
    let nearest = element.and_then(|e| e.closest("[lang]").ok().flatten());
    let document = web_sys::window().and_then(|w| w.document());
    let root = document.and_then(|d| d.document_element());
    for holder in [nearest, root].into_iter().flatten() {
        if let Some(lang) = holder
            .get_attribute("lang")
            .filter(|l| !l.trim().is_empty())
        {
            out.push(lang);
        }
    }
    if let Some(navigator) = web_sys::window().map(|w| w.navigator()) {
        out.extend(navigator.languages().iter().filter_map(|l| l.as_string()));
    }
    out
}

thread_local! {
    /// The origins this page already warms a connection to.
    static WARMED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Warms the connection to `origin` (DNS, TCP, TLS) while a nonce is on its
/// way, so the report viewer's first request does not pay for it: one
/// `<link rel="preconnect">` in the document's head per origin per page,
/// however many widgets there are. Nothing for the page's own origin, and
/// nothing for an origin on another site: browsers keep a cross-site frame's
/// connections apart from the page's, so its first request never uses the
/// page's warm connection (measured in Chromium through the DevTools
/// protocol), and the link would only hold an idle socket.
pub fn preconnect(origin: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let skip = document
        .location()
        .and_then(|l| l.origin().ok())
        .is_none_or(|own| own == origin || crate::site::is_cross_site(&own, origin));
    let first = WARMED.with(|warmed| {
        let mut warmed = warmed.borrow_mut();
        let first = !warmed.iter().any(|o| o == origin);
        if first {
            warmed.push(origin.to_owned());
        }
        first
    });
    if skip || !first {
        return;
    }
    let link = document.create_element("link").ok();
    let head = document.query_selector("head").ok().flatten();
    if let (Some(link), Some(head)) = (link, head) {
        let _ = link.set_attribute("rel", "preconnect");
        let _ = link.set_attribute("href", origin);
        let _ = head.append_child(&link);
    }
}

/// Calls a function once, when an element first comes near the viewport
/// (within `margin`, a CSS margin like `200px`). Dropping it stops watching.
#[must_use = "watching stops when dropped"]
pub struct WhenSeen {
    observer: web_sys::IntersectionObserver,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl WhenSeen {
    /// Watches `element`; `None` where the browser has no
    /// `IntersectionObserver` (the caller then goes on at once).
    pub fn new(
        element: &web_sys::Element,
        margin: &str,
        on_seen: impl FnOnce() + 'static,
    ) -> Option<Self> {
        let mut on_seen = Some(on_seen);
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let seen = entries.iter().any(|entry| {
                entry
                    .dyn_into::<web_sys::IntersectionObserverEntry>()
                    .is_ok_and(|entry| entry.is_intersecting())
            });
            if let Some(on_seen) = on_seen.take_if(|_| seen) {
                on_seen();
            }
        });
        let init = web_sys::IntersectionObserverInit::new();
        init.set_root_margin(margin);
        let observer = web_sys::IntersectionObserver::new_with_options(
            callback.as_ref().unchecked_ref(),
            &init,
        )
        .ok()?;
        observer.observe(element);
        Some(WhenSeen {
            observer,
            _callback: callback,
        })
    }
}

impl Drop for WhenSeen {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
