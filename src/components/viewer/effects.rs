//! Everything a viewer can have in flight, in one owned value: each field
//! undoes its work when dropped (a request is aborted, a timer cleared, a
//! listener removed, an object URL revoked), so replacing or dropping the
//! value cancels it all. The one exception is a tab the reader asked for:
//! it is the reader's once opened, and only the navigator's `CloseTab`
//! (a newer click, a failed nonce, the widget destroyed) closes it.
use std::future::Future;
use std::pin::Pin;

use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use yew::prelude::*;

use super::{Msg, ReportViewer};
use crate::dom::{ObjectUrl, Task, WhenSeen};
use crate::host::{Fail, HostClient};

/// The viewer's in-flight work and the browser resources it holds.
#[derive(Default)]
pub(super) struct Effects {
    /// The report list's fetch.
    pub(super) list: Option<Task>,
    /// The report types' fetch.
    pub(super) types: Option<Task>,
    /// The nonce fetch.
    pub(super) nonce: Option<Task>,
    /// The navigator's refill timer (see `Decision::StartRefill`).
    pub(super) refill: Option<Timeout>,
    /// A PDF download's fetch.
    pub(super) pdf: Option<Task>,
    /// The last download's object URL, revoked when replaced or dropped.
    pub(super) pdf_download: Option<ObjectUrl>,
    /// The language's catalog fetch; the widget stays invisible meanwhile
    /// rather than flash English.
    pub(super) catalog: Option<Task>,
    /// A blank tab opened on a click, waiting for its nonce; dropping the
    /// handle leaves the tab open.
    pub(super) waiting_tab: Option<web_sys::Window>,
    /// The listener for the report frame's print requests.
    pub(super) print_requests: Option<EventListener>,
    /// Watches for a lazy viewer nearing the viewport.
    pub(super) watch: Option<WhenSeen>,
    /// Listens for the page coming back (visible again, restored from the
    /// back/forward cache, online) and going offline.
    pub(super) wake: Vec<EventListener>,
}

/// An answer to come, boxed: every request of one answer type delivered
/// this way shares one copy of the code that delivers it.
pub(super) type Pending<T> = Pin<Box<dyn Future<Output = Result<T, Fail>>>>;

/// Starts `call` now (its request leaves before this returns) with the host
/// client and a cancel signal; its result comes back as `to_msg`. Dropping
/// the returned task cancels it.
pub(super) fn spawn<T: 'static, Fut>(
    ctx: &Context<ReportViewer>,
    client: &HostClient,
    call: impl FnOnce(&HostClient, &web_sys::AbortSignal) -> Fut,
    to_msg: fn(T) -> Msg,
) -> Option<Task>
where
    Fut: Future<Output = T> + 'static,
{
    let task = Task::start()?;
    let pending = call(client, &task.signal());
    adopt(ctx, task, pending, to_msg)
}

/// Delivers the result of a request already in flight as `to_msg`; the
/// returned task cancels it when dropped.
pub(super) fn adopt<T: 'static>(
    ctx: &Context<ReportViewer>,
    task: Task,
    pending: impl Future<Output = T> + 'static,
    to_msg: fn(T) -> Msg,
) -> Option<Task> {
    deliver_later(ctx, Box::pin(async move { to_msg(pending.await) }));
    Some(task)
}

/// One copy of Yew's future plumbing for every kind of request: each call
/// site boxes its own small future instead of monomorphizing `send_future`
/// again (about 2.7 KB of WebAssembly each).
fn deliver_later(ctx: &Context<ReportViewer>, message: Pin<Box<dyn Future<Output = Msg>>>) {
    ctx.link().send_future(message);
}
