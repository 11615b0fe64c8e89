//! Report lists and report types shared by every widget on the page.
//!
//! A dashboard of many widgets asks for the same list many times, and each
//! request is a call from the host backend to CxReports. Here a list is
//! fetched once per request line — the absolute URL, the cookie policy and
//! every header (so the host's `requestHeaders`, such as a per-user token,
//! keep lists apart) — and the answer goes to every widget that asked:
//!
//! - while a request is in flight, a widget asking for the same one waits
//!   for it instead of sending its own;
//! - a list that arrived is reused for [`REUSE_MS`] from its arrival; a
//!   widget asking later fetches it again;
//! - a failure is never reused: the next ask (the reader's Retry) fetches
//!   again;
//! - the request is aborted when every widget waiting for it has gone.
use std::any::{Any, TypeId};
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

/// How long a list that arrived is reused by widgets asking for the same
/// one, in ms: five minutes.
pub const REUSE_MS: f64 = 300_000.0;

/// A list's answer as the page keeps it (a `Vec` of reports or of types).
type Answer = Result<Rc<dyn Any>, Fail>;

/// What identifies a list: the rows' type and the request.
type Key = (TypeId, RequestLine);

/// A list in flight, or arrived.
enum State {
    /// Being fetched; each waiting widget with its number.
    Flight {
        serial: u64,
        waiters: Vec<(u64, oneshot::Sender<Answer>)>,
        /// Aborts the request when the entry goes.
        _task: Task,
    },
    /// Arrived at `at` (ms since the epoch).
    Ready { rows: Rc<dyn Any>, at: f64 },
}

thread_local! {
    static LISTS: RefCell<Vec<(Key, State)>> = const { RefCell::new(Vec::new()) };
    static SERIAL: Cell<u64> = const { Cell::new(0) };
}

fn next_serial() -> u64 {
    SERIAL.with(|s| {
        s.set(s.get() + 1);
        s.get()
    })
}

/// A list's rows, boxed: the one future type every caller awaits.
pub type SharedList<T> = Pin<Box<dyn Future<Output = Result<Vec<T>, Fail>>>>;

/// What the page has for a list.
enum Found {
    /// Arrived recently: these rows.
    Reused(Rc<dyn Any>),
    /// In flight: this widget now waits for the flight of this number.
    Joined(u64),
    /// Nothing (or only a stale answer, now forgotten).
    Missing,
}

/// The list `line` names: reused, joined in flight, or fetched now by
/// `fetch` (which may take `early` over) under a signal of the page's own,
/// aborted once no widget waits for it. `early` is dropped (and so aborted)
/// when the list is reused or joined.
pub(crate) fn shared_list<T, F>(
    line: RequestLine,
    early: Option<EarlyRequest>,
    cancel: &AbortSignal,
    fetch: impl FnOnce(Option<EarlyRequest>, &AbortSignal) -> F,
) -> SharedList<T>
where
    T: Clone + 'static,
    F: Future<Output = Result<Vec<T>, Fail>> + 'static,
{
    if cancel.aborted() {
        return Box::pin(async { Err(Fail::Cancelled) });
    }
    let key: Key = (TypeId::of::<T>(), line);
    let now = js_sys::Date::now();
    let (sender, answer) = oneshot::channel::<Answer>();
    let mut sender = Some(sender);
    let me = next_serial();
    let found = LISTS.with(|lists| {
        let mut lists = lists.borrow_mut();
        let Some(at) = lists.iter().position(|(k, _)| *k == key) else {
            return Found::Missing;
        };
        match &mut lists[at].1 {
            State::Ready { rows, at: arrived } if now - *arrived <= REUSE_MS => {
                Found::Reused(rows.clone())
            }
            State::Ready { .. } => {
                // A stale answer holds no request: forgetting it is all.
                lists.swap_remove(at);
                Found::Missing
            }
            State::Flight {
                serial, waiters, ..
            } => {
                if let Some(sender) = sender.take() {
                    waiters.push((me, sender));
                }
                Found::Joined(*serial)
            }
        }
    });
    match found {
        Found::Reused(rows) => {
            drop(early);
            let rows = rows.downcast_ref::<Vec<T>>().cloned();
            Box::pin(async move { rows.ok_or(Fail::Cancelled) })
        }
        Found::Joined(serial) => {
            drop(early);
            waiter(key, serial, me, answer, cancel)
        }
        Found::Missing => {
            let (Some(task), Some(sender)) = (Task::start(), sender) else {
                return Box::pin(fetch(early, cancel));
            };
            let serial = next_serial();
            let call = fetch(early, &task.signal());
            LISTS.with(|lists| {
                lists.borrow_mut().push((
                    key.clone(),
                    State::Flight {
                        serial,
                        waiters: vec![(me, sender)],
                        _task: task,
                    },
                ))
            });
            wasm_bindgen_futures::spawn_local(settle(key.clone(), serial, call));
            waiter(key, serial, me, answer, cancel)
        }
    }
}

/// Whether `entry` is the flight numbered `serial` for `key`.
fn is_flight(entry: &(Key, State), key: &Key, serial: u64) -> bool {
    entry.0 == *key && matches!(entry.1, State::Flight { serial: s, .. } if s == serial)
}

/// Awaits flight `serial` and hands its answer to every widget waiting:
/// rows are kept for reuse, a failure is forgotten.
async fn settle<T: 'static>(
    key: Key,
    serial: u64,
    call: impl Future<Output = Result<Vec<T>, Fail>>,
) {
    let result = call.await;
    let settled = LISTS.with(|lists| {
        let mut lists = lists.borrow_mut();
        let at = lists.iter().position(|e| is_flight(e, &key, serial))?;
        let answer: Answer = result.map(|rows| Rc::new(rows) as Rc<dyn Any>);
        let flight = match &answer {
            Ok(rows) => std::mem::replace(
                &mut lists[at].1,
                State::Ready {
                    rows: rows.clone(),
                    at: js_sys::Date::now(),
                },
            ),
            Err(_) => lists.swap_remove(at).1,
        };
        Some((answer, flight))
    });
    // Outside the borrow: the answers go out, the finished request's task ends.
    if let Some((answer, State::Flight { waiters, .. })) = settled {
        for (_, waiter) in waiters {
            let _ = waiter.send(answer.clone());
        }
    }
}

/// One widget's wait for flight `serial`; when its `cancel` aborts, it stops
/// waiting, and the last widget to stop aborts the request.
fn waiter<T: Clone + 'static>(
    key: Key,
    serial: u64,
    me: u64,
    answer: oneshot::Receiver<Answer>,
    cancel: &AbortSignal,
) -> SharedList<T> {
    let relay = EventListener::once(cancel, "abort", move |_| leave(&key, serial, me));
    Box::pin(async move {
        let _relay = relay;
        match answer.await {
            Ok(Ok(rows)) => rows
                .downcast_ref::<Vec<T>>()
                .cloned()
                .ok_or(Fail::Cancelled),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(Fail::Cancelled),
        }
    })
}

/// Widget `me` no longer waits for flight `serial`.
fn leave(key: &Key, serial: u64, me: u64) {
    let gone = LISTS.with(|lists| {
        let mut lists = lists.borrow_mut();
        let at = lists.iter().position(|e| is_flight(e, key, serial))?;
        let State::Flight { waiters, .. } = &mut lists[at].1 else {
            return None;
        };
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
