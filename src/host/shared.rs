//! Report lists and report types shared by every widget on the page.
//!
//! A dashboard of many widgets asks for the same list many times at once,
//! and each request is a call from the host backend to CxReports. Here a
//! list is fetched once per request line — the absolute URL, the cookie
//! policy and every header (so the host's `requestHeaders`, such as a
//! per-user token, keep lists apart) — and the answer goes to every widget
//! that asked:
//!
//! - while a request is in flight, a widget asking for the same one waits
//!   for it instead of sending its own;
//! - once it has answered, the answer (rows or failure) is forgotten: a
//!   widget asking later, or the reader's Retry, fetches again, so a list
//!   is never older than the widget showing it;
//! - the request is aborted when every widget waiting for it has gone.
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use futures_channel::oneshot;
use gloo_events::EventListener;
use web_sys::AbortSignal;

use crate::dom::Task;
use crate::host::early::{EarlyRequest, RequestLine};
use crate::host::Fail;

/// A list's answer as the page hands it out: the body's text, which each
/// widget reads into its own rows.
type Answer = Result<Rc<str>, Fail>;

/// What identifies a list: the request.
type Key = RequestLine;

/// Where a flight's answer is left for its waiters, who are told it is
/// there (or that it never will be, when the flight goes unanswered).
type Slot = Rc<RefCell<Option<Answer>>>;

/// A list in flight: each waiting widget with its number.
struct Flight {
    serial: u64,
    answer: Slot,
    waiters: Vec<(u64, oneshot::Sender<bool>)>,
    /// Aborts the request when the flight goes.
    _task: Task,
}

thread_local! {
    static LISTS: RefCell<Vec<(Key, Flight)>> = const { RefCell::new(Vec::new()) };
    static SERIAL: Cell<u64> = const { Cell::new(0) };
}

fn next_serial() -> u64 {
    SERIAL.with(|s| {
        s.set(s.get() + 1);
        s.get()
    })
}

/// A list's body, to come.
pub type SharedText = Pin<Box<dyn Future<Output = Answer>>>;

/// The list `line` names: joined in flight, or fetched now by `fetch`
/// (which may take `early` over) under a signal of the page's own, aborted
/// once no widget waits for it. `early` is dropped (and so aborted) when
/// the list is joined.
pub(crate) fn shared_text(
    line: RequestLine,
    early: Option<EarlyRequest>,
    cancel: &AbortSignal,
    fetch: &dyn Fn(Option<EarlyRequest>, &AbortSignal) -> SharedText,
) -> SharedText {
    if cancel.aborted() {
        return Box::pin(async { Err(Fail::Cancelled) });
    }
    let key: Key = line;
    let (sender, told) = oneshot::channel::<bool>();
    let me = next_serial();
    let mut sender = Some(sender);
    let joined = LISTS.with(|lists| {
        let mut lists = lists.borrow_mut();
        let flight = &mut lists.iter_mut().find(|(k, _)| *k == key)?.1;
        flight.waiters.push((me, sender.take()?));
        Some((flight.serial, flight.answer.clone()))
    });
    if let Some((serial, answer)) = joined {
        drop(early);
        return waiter(key, serial, me, (answer, told), cancel);
    }
    let (Some(task), Some(sender)) = (Task::start(), sender) else {
        return fetch(early, cancel);
    };
    let serial = next_serial();
    let call = fetch(early, &task.signal());
    let answer = Slot::default();
    LISTS.with(|lists| {
        lists.borrow_mut().push((
            key.clone(),
            Flight {
                serial,
                answer: answer.clone(),
                waiters: vec![(me, sender)],
                _task: task,
            },
        ))
    });
    wasm_bindgen_futures::spawn_local(settle(key.clone(), serial, call));
    waiter(key, serial, me, (answer, told), cancel)
}

/// Whether `entry` is the flight numbered `serial` for `key`.
fn is_flight(entry: &(Key, Flight), key: &Key, serial: u64) -> bool {
    entry.0 == *key && entry.1.serial == serial
}

/// Awaits flight `serial` and hands its answer to every widget waiting.
async fn settle(key: Key, serial: u64, call: SharedText) {
    let result = call.await;
    let flight = LISTS.with(|lists| {
        let mut lists = lists.borrow_mut();
        let at = lists.iter().position(|e| is_flight(e, &key, serial))?;
        Some(lists.swap_remove(at).1)
    });
    // Outside the borrow: the answers go out, the finished request's task ends.
    if let Some(flight) = flight {
        *flight.answer.borrow_mut() = Some(result);
        for (_, waiter) in flight.waiters {
            let _ = waiter.send(true);
        }
    }
}

/// One widget's wait for flight `serial`; when its `cancel` aborts, it stops
/// waiting, and the last widget to stop aborts the request.
fn waiter(
    key: Key,
    serial: u64,
    me: u64,
    (answer, told): (Slot, oneshot::Receiver<bool>),
    cancel: &AbortSignal,
) -> SharedText {
    let relay = EventListener::once(cancel, "abort", move |_| leave(&key, serial, me));
    Box::pin(async move {
        let _relay = relay;
        let answer = match told.await {
            Ok(_) => answer.borrow().clone(),
            Err(_) => None,
        };
        answer.unwrap_or(Err(Fail::Cancelled))
    })
}

/// Widget `me` no longer waits for flight `serial`.
fn leave(key: &Key, serial: u64, me: u64) {
    let gone = LISTS.with(|lists| {
        let mut lists = lists.borrow_mut();
        let at = lists.iter().position(|e| is_flight(e, key, serial))?;
        let waiters = &mut lists[at].1.waiters;
        let mine = waiters
            .iter()
            .position(|(w, _)| *w == me)
            .map(|i| waiters.swap_remove(i));
        let last = waiters.is_empty();
        Some((mine, last.then(|| lists.swap_remove(at))))
    });
    // Outside the borrow: the wait ends, and the last one aborts the request.
    drop(gone);
}
