//! The cold start's first requests, begun before the viewer component
//! exists. Yew creates a component only when its scheduler next runs, after
//! the code that mounted it has returned; a host that starts the requests
//! when it mounts (as `mount()` and `<cx-report-viewer>` do) gains that time
//! on every cold start.
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use cxreports_contract::model::Report;
use web_sys::AbortSignal;

use crate::config::{NonceSource, ViewerConfig};
use crate::dom::{preconnect, Task};
use crate::host::{fetch_nonce_adopting, EarlyFrame, EarlyStart, Fail, HostClient};

/// A request in flight: the task that cancels it, and its answer to come.
pub(crate) type Pending<T> = (Task, Pin<Box<dyn Future<Output = Result<T, Fail>>>>);

/// Starts `call` under a new task.
fn pending<T, F>(call: impl FnOnce(&AbortSignal) -> F) -> Option<Pending<T>>
where
    F: Future<Output = Result<T, Fail>> + 'static,
{
    let task = Task::start()?;
    let answer = call(&task.signal());
    Some((task, Box::pin(answer)))
}

#[derive(Default)]
struct Started {
    list: Option<Pending<Vec<Report>>>,
    nonce: Option<Pending<String>>,
    frame: Option<EarlyFrame>,
}

/// The report list and first nonce requests, started ahead of the
/// [`ReportViewer`](crate::ReportViewer) that will use them. Each is taken
/// once, by the first viewer created with this value in its props; dropping
/// the last copy cancels what no viewer took.
///
/// ```no_run
/// use std::rc::Rc;
/// use cxreports_widget::{HeadStart, ReportViewer, ViewerConfig};
/// use yew::prelude::*;
///
/// let config = ViewerConfig::builder("https://reports.example.com", "sales")
///     .nonce_url("/api/cxreports/nonce")
///     .reports_url("/api/cxreports/reports")
///     .build()
///     .expect("valid options");
/// let config = Rc::new(config);
/// // The requests leave now, while the app is still being set up.
/// let head_start = HeadStart::begin(&config);
/// let view = html! { <ReportViewer {config} {head_start} /> };
/// ```
#[derive(Clone, Default)]
pub struct HeadStart(Rc<RefCell<Started>>);

impl PartialEq for HeadStart {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl HeadStart {
    /// Starts what a viewer with `config` requests first
    /// ([`ViewerConfig::first_requests`]): the report list and a nonce from
    /// `nonceUrl`. A `fetchNonce` function is
    /// not called here: it is the host's own code, called when the viewer
    /// is created, as without a head start.
    pub fn begin(config: &ViewerConfig) -> Self {
        Self::begin_adopting(config, EarlyStart::default())
    }

    /// [`begin`](Self::begin), taking over what the loader already sent
    /// where it is exactly what this would send; the rest of `early` is
    /// aborted. A lazy widget starts nothing here (nor keeps `early`): it
    /// waits until it is about to be seen.
    pub(crate) fn begin_adopting(config: &ViewerConfig, early: EarlyStart) -> Self {
        if config.lazy {
            return HeadStart::default();
        }
        let EarlyStart {
            list: early_list,
            nonce: early_nonce,
            frame,
        } = early;
        let client = HostClient::new(config);
        let first = config.first_requests();
        // The nonce first: the report waits for it. With the loader's
        // frame, the first nonce is spent already: the viewer adopts the
        // frame, or fetches a fresh one when it does not.
        let nonce = match &config.nonce {
            NonceSource::Url(_) if first.nonce && frame.is_none() => {
                let nonce = pending(|signal| {
                    fetch_nonce_adopting(&config.nonce, &client, early_nonce, signal)
                });
                preconnect(&config.cxreports_origin());
                nonce
            }
            _ => None,
        };
        let list = match config.reports_url.as_deref() {
            Some(url) if first.list => {
                pending(|signal| client.get_list_shared(url, early_list, signal))
            }
            _ => None,
        };
        HeadStart(Rc::new(RefCell::new(Started { list, nonce, frame })))
    }

    /// The list request, if one was started and not yet taken.
    pub(crate) fn take_list(&self) -> Option<Pending<Vec<Report>>> {
        self.0.borrow_mut().list.take()
    }

    /// The frame the loader opened for the first report, if not yet taken.
    pub(crate) fn take_frame(&self) -> Option<EarlyFrame> {
        self.0.borrow_mut().frame.take()
    }

    /// The nonce request, if one was started and not yet taken.
    pub(crate) fn take_nonce(&self) -> Option<Pending<String>> {
        self.0.borrow_mut().nonce.take()
    }
}
