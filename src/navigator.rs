//! The viewer's decisions as a pure state machine: the report list, which
//! nonce goes to which navigation, when a spare is fetched or dropped, what
//! is stale, what a destroy cancels. No DOM, no Yew, no clock: the viewer
//! component feeds it [`Input`]s with the time and carries out the
//! [`Decision`]s it returns, and property tests drive it natively.
//!
//! Nonces are not tied to a report, so one nonce fetch serves whichever
//! navigation is newest when it arrives: a superseded choice is never shown,
//! and no nonce is wasted on it. With prefetch on, one spare nonce is kept so
//! the next switch sets the iframe `src` without a round trip.
use std::rc::Rc;

use cxreports_contract::model::Report;
use cxreports_contract::ReportRef;

use crate::config::ViewerConfig;
use crate::error::{HostError, WidgetError};
use crate::links::viewer_src;

/// Where the preview is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Stage {
    /// Nothing chosen yet.
    Empty,
    /// Waiting for a nonce.
    Opening,
    /// The iframe is loading the viewer.
    Loading,
    /// The viewer has loaded.
    Shown,
    /// Opening failed.
    Failed(WidgetError),
}

/// The report list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum List {
    /// Being fetched.
    Loading,
    /// Here (given in the options, or fetched).
    Ready(Rc<Vec<Report>>),
    /// Fetching it failed; a retry fetches again.
    Failed(WidgetError),
}

/// What happened.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Input {
    /// The widget started: what [`ViewerConfig::first_requests`] names is
    /// fetched, unless already on its way.
    Start,
    /// The report list arrived.
    ListArrived(Vec<Report>),
    /// Fetching the report list failed.
    ListFailed(HostError),
    /// Fetch the report list again.
    RetryList,
    /// The reader or the host chose a report.
    Choose(ReportRef),
    /// Reload the current report with a fresh nonce (Refresh, Retry).
    Reload,
    /// New report parameters (JSON object text, or none); reloads.
    SetParams(Option<String>),
    /// Open the current report in a new tab.
    NewTab,
    /// The browser refused to open a tab.
    TabBlocked,
    /// The nonce fetch answered.
    NonceArrived(String),
    /// The nonce fetch failed.
    NonceFailed(HostError),
    /// The iframe finished loading the navigation of this generation.
    FrameLoaded(u64),
    /// The refill timer set by [`Decision::StartRefill`] fired.
    Refill,
    /// The page may have been away: it became visible, came back from the
    /// back/forward cache, or the browser came back online.
    Wake(Wake),
    /// The browser went offline.
    Offline,
    /// The widget is going away.
    Destroy,
}

/// What to do.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Decision {
    /// Start fetching the report list (none is in flight).
    FetchList,
    /// Abort the list fetch in flight.
    AbortList,
    /// Start fetching a nonce (none is in flight).
    FetchNonce,
    /// Abort the nonce fetch in flight.
    AbortNonce,
    /// Open this URL in a new tab now.
    OpenTab(String),
    /// Open a blank tab now (the click is still a user gesture), to point
    /// at the report once a nonce arrives.
    OpenBlankTab,
    /// Point the waiting tab at this URL.
    PointTab(String),
    /// Close the waiting tab.
    CloseTab,
    /// Set a 0 ms timer that feeds [`Input::Refill`]: the spare nonce is
    /// fetched in a later task, never holding up the one that sets `src`.
    StartRefill,
    /// Cancel that timer.
    CancelRefill,
    /// Tell the host (a `cxreports:select`).
    Selected(ReportRef),
    /// Tell the host, and show beside the toolbar (a failed new tab).
    ActionFailed(WidgetError),
    /// Tell the host; the preview or the list shows it (see
    /// [`Navigator::stage`], [`Navigator::list`]).
    Failed(WidgetError),
    /// The navigation's viewer page loaded: tell the host.
    Loaded(ReportRef),
    /// The current report is being opened again by itself, and why: tell
    /// the host.
    Reopened(ReportRef, Reopen),
}

/// What brought the page back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// The page became visible (`visibilitychange`).
    Visible,
    /// The page was restored from the back/forward cache (`pageshow`).
    Restored,
    /// The browser came back online (`online`).
    Online,
}

/// Why the widget opened the current report again by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reopen {
    /// The viewer's session had grown older than `sessionMaxAgeMs`.
    SessionStale,
    /// The navigation failed or was made while offline, and the browser is
    /// online again.
    BackOnline,
}

impl Reopen {
    /// How the `cxreports:reopen` event spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Reopen::SessionStale => "session-stale",
            Reopen::BackOnline => "back-online",
        }
    }
}

/// The navigation state of one widget.
#[derive(Debug, Clone)]
pub(crate) struct Navigator {
    config: Rc<ViewerConfig>,
    list: List,
    list_in_flight: bool,
    selected: Option<ReportRef>,
    params: Option<String>,
    /// Increases with each navigation; only the newest is ever applied.
    generation: u64,
    stage: Stage,
    /// The frame's address and the navigation it belongs to: set once
    /// per navigation, when its nonce is there; the iframe renders it.
    src: Option<(String, u64)>,
    /// Counts the frames: a navigation after the first gets a new frame
    /// (see [`Self::frame_key`]).
    frame_key: u64,
    /// The current frame is the one the loader opened (see
    /// [`Self::adopt_frame`]), not one the view renders.
    adopted: bool,
    nonce_in_flight: bool,
    /// The iframe waits for the nonce in flight.
    frame_waits: bool,
    /// A blank tab waits for the nonce in flight.
    tab_waits: bool,
    /// A fresh nonce kept for the next navigation, with its arrival time.
    spare: Option<(String, f64)>,
    refill_pending: bool,
    /// The widget has been asked for a second navigation (a refresh, new
    /// parameters, another report): from then on it may keep a spare
    /// even without a picker.
    switched: bool,
    /// When the frame's current viewer session began: the time its `src`
    /// (with a fresh nonce) was set.
    session_began: Option<f64>,
    /// The browser said it is offline, and has not said online since.
    offline: bool,
    /// The frame's current navigation was made while offline.
    src_offline: bool,
    destroyed: bool,
}

impl Navigator {
    /// A navigator for `config`, starting from `generation` (kept across a
    /// change of options, so no answer for the old ones can pass for new).
    pub(crate) fn new(config: Rc<ViewerConfig>, generation: u64) -> Self {
        let list = match &config.reports {
            Some(list) => List::Ready(list.clone()),
            None if config.reports_url.is_none() => List::Ready(Rc::new(Vec::new())),
            None => List::Loading,
        };
        Navigator {
            list,
            list_in_flight: false,
            params: config.query.params_json.clone(),
            config,
            selected: None,
            generation,
            stage: Stage::Empty,
            src: None,
            frame_key: 0,
            adopted: false,
            nonce_in_flight: false,
            frame_waits: false,
            tab_waits: false,
            spare: None,
            refill_pending: false,
            switched: false,
            session_began: None,
            offline: false,
            src_offline: false,
            destroyed: false,
        }
    }

    /// Replaces the options used to build URLs (the reader's time zone,
    /// found after the first requests left).
    pub(crate) fn set_config(&mut self, config: Rc<ViewerConfig>) {
        self.config = config;
    }

    /// Records a list fetch started outside (the head start's).
    pub(crate) fn adopt_list_fetch(&mut self) {
        self.list = List::Loading;
        self.list_in_flight = true;
    }

    /// Records a nonce fetch started outside (the head start's).
    pub(crate) fn adopt_nonce_fetch(&mut self) {
        self.nonce_in_flight = true;
    }

    pub(crate) fn list(&self) -> &List {
        &self.list
    }
    pub(crate) fn stage(&self) -> &Stage {
        &self.stage
    }
    /// The address the iframe shows: the viewer page of the newest
    /// navigation that had its nonce. The navigator is its one owner.
    pub(crate) fn src(&self) -> Option<&str> {
        self.src.as_ref().map(|(src, _)| src.as_str())
    }
    /// [`Self::src`] with the navigation (generation) it belongs to.
    pub(crate) fn frame(&self) -> Option<(&str, u64)> {
        self.src.as_ref().map(|(src, g)| (src.as_str(), *g))
    }
    /// The frame element the current `src` belongs in: the first `src` goes
    /// into the frame there from the start, each later one into a new frame,
    /// whose first load adds no entry to the page's history (a loaded frame
    /// given a new `src` would add one, and Back would walk the frame back
    /// to a viewer link whose nonce is spent).
    pub(crate) fn frame_key(&self) -> u64 {
        self.frame_key
    }
    /// Whether the current frame is the loader's: the view leaves its
    /// place empty for it rather than render a frame of its own.
    pub(crate) fn adopted(&self) -> bool {
        self.adopted
    }
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }
    pub(crate) fn selected(&self) -> Option<&ReportRef> {
        self.selected.as_ref()
    }
    pub(crate) fn params(&self) -> Option<&str> {
        self.params.as_deref()
    }
    /// When the frame's current viewer session began, if it has one.
    #[cfg(all(test, not(target_arch = "wasm32")))]
    pub(crate) fn session_began(&self) -> Option<f64> {
        self.session_began
    }

    /// Feeds one input at time `now` (ms) and returns what to do, in order.
    pub(crate) fn on(&mut self, input: Input, now: f64) -> Vec<Decision> {
        let mut out = Vec::new();
        if self.destroyed {
            return out;
        }
        // Choosing, reloading, new parameters and a wake-up each open the
        // chosen report again, after what they decided themselves.
        let mut reopen = false;
        match input {
            Input::Start => {
                // What leaves first is the configuration's rule; a list
                // or nonce fetch already adopted is not started again.
                let first = self.config.first_requests();
                if first.list && self.list == List::Loading {
                    self.fetch_list(&mut out);
                }
                // An adopted frame has had the first nonce.
                self.fetch_nonce_if(first.nonce && self.src.is_none(), &mut out);
            }
            Input::ListArrived(list) => {
                self.list_in_flight = false;
                self.list = List::Ready(Rc::new(list));
            }
            Input::ListFailed(error) => {
                self.list_in_flight = false;
                let error = WidgetError::Reports(error);
                self.list = List::Failed(error.clone());
                out.push(Decision::Failed(error));
            }
            Input::RetryList => {
                if self.config.reports_url.is_some() {
                    self.list = List::Loading;
                    self.fetch_list(&mut out);
                }
            }
            Input::Choose(report) => {
                self.switched |= self.selected.is_some();
                self.selected = Some(report.clone());
                out.push(Decision::Selected(report));
                reopen = true;
            }
            Input::Reload => {
                self.switched = true;
                reopen = true;
            }
            Input::SetParams(params) => {
                self.switched = true;
                self.params = params;
                reopen = true;
            }
            Input::NewTab => self.new_tab(now, &mut out),
            Input::TabBlocked => {
                self.tab_waits = false;
                out.push(Decision::ActionFailed(WidgetError::Popup(
                    crate::error::Refusal::NewTab,
                )));
            }
            Input::NonceArrived(nonce) => {
                self.nonce_in_flight = false;
                self.deliver(nonce, now, &mut out);
            }
            Input::NonceFailed(error) => {
                self.nonce_in_flight = false;
                let error = WidgetError::Nonce(error);
                if self.tab_waits {
                    self.tab_waits = false;
                    out.push(Decision::CloseTab);
                    out.push(Decision::ActionFailed(error.clone()));
                }
                if self.frame_waits {
                    self.frame_waits = false;
                    self.stage = Stage::Failed(error.clone());
                    out.push(Decision::Failed(error));
                }
                // A failed prefetch is not shown: the next choice fetches again.
            }
            Input::FrameLoaded(generation) => {
                if generation == self.generation && matches!(self.stage, Stage::Loading) {
                    self.stage = Stage::Shown;
                    if let Some(report) = self.selected.clone() {
                        out.push(Decision::Loaded(report));
                    }
                }
            }
            Input::Refill => {
                self.refill_pending = false;
                self.ensure_nonce(&mut out);
            }
            Input::Offline => self.offline = true,
            Input::Wake(wake) => {
                if wake == Wake::Online {
                    self.offline = false;
                }
                if let Some(reason) = self.reopen_reason(wake, now) {
                    if let Some(report) = self.selected.clone() {
                        out.push(Decision::Reopened(report, reason));
                        reopen = true;
                    }
                }
            }
            Input::Destroy => {
                self.destroyed = true;
                self.spare = None;
                if self.list_in_flight {
                    self.list_in_flight = false;
                    out.push(Decision::AbortList);
                }
                if self.nonce_in_flight {
                    self.nonce_in_flight = false;
                    out.push(Decision::AbortNonce);
                }
                if self.refill_pending {
                    self.refill_pending = false;
                    out.push(Decision::CancelRefill);
                }
                if self.tab_waits {
                    self.tab_waits = false;
                    out.push(Decision::CloseTab);
                }
            }
        }
        if reopen {
            self.reopen(now, &mut out);
        }
        out
    }

    /// Takes over the frame the loader opened at `opened_at` with `src`
    /// (its spent `nonce`), before the widget was ready, as the first
    /// navigation of the preselected report, if that is the very navigation
    /// the widget would make with that nonce: the report is chosen (the
    /// host is told), the frame's session began when the loader set its
    /// address, and it is loading (its load arrives as any frame's does).
    /// `None`, and nothing changes, for any other frame: the caller removes
    /// it and chooses the report as usual.
    pub(crate) fn adopt_frame(
        &mut self,
        src: &str,
        nonce: &str,
        opened_at: f64,
    ) -> Option<Vec<Decision>> {
        let report = self.config.report.clone()?;
        if self.destroyed || self.selected.is_some() || self.src.is_some() {
            return None;
        }
        let built = viewer_src(&self.config, &report, self.params.as_deref(), nonce).ok()?;
        if built != src {
            return None;
        }
        self.selected = Some(report.clone());
        self.generation += 1;
        self.src = Some((built, self.generation));
        self.adopted = true;
        self.session_began = Some(opened_at);
        self.src_offline = self.offline;
        self.stage = Stage::Loading;
        self.refill_pending = true;
        Some(vec![Decision::Selected(report), Decision::StartRefill])
    }

    /// Whether waking up by `wake` at `now` must open the current report
    /// again, and why. Nothing is opened again while offline, nor while a
    /// navigation waits for its nonce.
    fn reopen_reason(&self, wake: Wake, now: f64) -> Option<Reopen> {
        if self.offline || self.selected.is_none() {
            return None;
        }
        let failed_fetch = matches!(self.stage, Stage::Failed(WidgetError::Nonce(_)));
        if wake == Wake::Online && (failed_fetch || (self.src.is_some() && self.src_offline)) {
            return Some(Reopen::BackOnline);
        }
        let max_age = self.config.session_max_age_ms;
        let began = self.session_began?;
        let shown = matches!(self.stage, Stage::Loading | Stage::Shown);
        (shown && max_age > 0 && now - began >= f64::from(max_age)).then_some(Reopen::SessionStale)
    }

    fn fetch_list(&mut self, out: &mut Vec<Decision>) {
        if !self.list_in_flight {
            self.list_in_flight = true;
            out.push(Decision::FetchList);
        }
    }

    /// Navigates the iframe to the selected report with a fresh nonce.
    fn reopen(&mut self, now: f64, out: &mut Vec<Decision>) {
        if self.selected.is_none() {
            return;
        }
        self.generation += 1;
        self.stage = Stage::Opening;
        match self.take_spare(now) {
            Some(nonce) => self.show(nonce, now, out),
            None => {
                self.frame_waits = true;
                self.ensure_nonce(out);
            }
        }
    }

    /// The spare nonce, if it is still young enough to use.
    fn take_spare(&mut self, now: f64) -> Option<String> {
        let (nonce, at) = self.spare.take()?;
        (now - at <= f64::from(self.config.nonce_max_age_ms)).then_some(nonce)
    }

    /// Starts a nonce fetch if someone waits for one, or a spare is wanted,
    /// and none is in flight.
    fn ensure_nonce(&mut self, out: &mut Vec<Decision>) {
        let wanted =
            self.frame_waits || self.tab_waits || (self.wants_spare() && self.spare.is_none());
        self.fetch_nonce_if(wanted, out);
    }

    /// Whether a spare nonce is kept: with `prefetchNonce`, by a widget
    /// that can switch (it shows the picker) or has been asked to navigate
    /// again. A widget without a picker showing its one report spends no
    /// nonce (each one a call to CxReports with the PAT) on a switch that
    /// may never come.
    fn wants_spare(&self) -> bool {
        self.config.prefetch_nonce && (self.config.show_picker || self.switched)
    }

    /// Starts a nonce fetch if `wanted` and none is in flight.
    fn fetch_nonce_if(&mut self, wanted: bool, out: &mut Vec<Decision>) {
        if wanted && !self.nonce_in_flight {
            self.nonce_in_flight = true;
            out.push(Decision::FetchNonce);
        }
    }

    fn url(&self, nonce: &str) -> Option<Result<String, WidgetError>> {
        let report = self.selected.as_ref()?;
        Some(viewer_src(
            &self.config,
            report,
            self.params.as_deref(),
            nonce,
        ))
    }

    fn deliver(&mut self, nonce: String, now: f64, out: &mut Vec<Decision>) {
        if self.tab_waits {
            self.tab_waits = false;
            match self.url(&nonce) {
                Some(Ok(url)) => out.push(Decision::PointTab(url)),
                _ => out.push(Decision::CloseTab),
            }
        } else if self.frame_waits {
            self.frame_waits = false;
            self.show(nonce, now, out);
            return;
        } else {
            self.spare = Some((nonce, now));
        }
        self.ensure_nonce(out);
    }

    fn show(&mut self, nonce: String, now: f64, out: &mut Vec<Decision>) {
        match self.url(&nonce) {
            Some(Ok(src)) => {
                // The frame's address is state, not a decision: the view
                // renders it, and nothing else points the frame anywhere.
                // Its nonce becomes a new viewer session now.
                if self.src.is_some() {
                    self.frame_key += 1;
                }
                self.adopted = false;
                self.src = Some((src, self.generation));
                self.session_began = Some(now);
                self.src_offline = self.offline;
                self.stage = Stage::Loading;
            }
            Some(Err(e)) => {
                self.stage = Stage::Failed(e.clone());
                out.push(Decision::Failed(e));
            }
            None => return,
        }
        if !self.refill_pending {
            self.refill_pending = true;
            out.push(Decision::StartRefill);
        }
    }

    fn new_tab(&mut self, now: f64, out: &mut Vec<Decision>) {
        if self.selected.is_none() {
            return;
        }
        if let Some(nonce) = self.take_spare(now) {
            if let Some(Ok(url)) = self.url(&nonce) {
                out.push(Decision::OpenTab(url));
            }
            self.ensure_nonce(out);
            return;
        }
        if self.tab_waits {
            // The newest click wins: the older blank tab closes.
            out.push(Decision::CloseTab);
        }
        self.tab_waits = true;
        out.push(Decision::OpenBlankTab);
        self.ensure_nonce(out);
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
