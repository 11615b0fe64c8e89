//! The widget: picker, toolbar and the authenticated iframe preview. Which
//! nonce goes where, and what is stale, is decided by the pure
//! [`Navigator`](crate::navigator); this component feeds it what happens
//! and carries out its decisions with the DOM, timers and requests.
use std::rc::Rc;

use cxreports_contract::model::{Report, ReportType};
use cxreports_contract::ReportRef;
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlIFrameElement;
use yew::prelude::*;

use crate::components::head_start::HeadStart;
use crate::components::picker::Picker;
use crate::config::{ColorScheme, ViewerConfig};
use crate::dom::{language_for, preconnect, reader_time_zone, ObjectUrl, Task, WhenSeen};
use crate::error::{HostError, Refusal, WidgetError};
use crate::host::client::Pdf;
use crate::host::{fetch_nonce, Fail, HostClient};
use crate::i18n::catalog::{cached, fetch as fetch_catalog};
use crate::i18n::{describe, Key, Language, Messages};
use crate::links::pdf_href;
use crate::model::report_name;
use crate::navigator::{Decision, Input, List, Navigator, Stage};

/// What the widget tells its host. The JS front end turns each into a DOM
/// `CustomEvent` (`cxreports:ready`, `:select`, `:load`, `:error`).
#[derive(Debug, Clone, PartialEq)]
pub enum ViewerEvent {
    /// Mounted and configured.
    Ready,
    /// A report was chosen (by the picker or the host).
    Select(ReportRef),
    /// The viewer page for the report finished loading in the iframe.
    Load {
        /// The report.
        report: ReportRef,
        /// Its name, when known.
        name: Option<String>,
    },
    /// Something failed; the widget shows it too.
    Error(WidgetError),
}

/// An instruction from the host (the JS handle, or a Rust parent).
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Show this report.
    Select(ReportRef),
    /// Replace the report parameters (JSON object text, or none) and reload.
    SetParams(Option<String>),
    /// Reload the current report with a fresh nonce.
    Refresh,
    /// Print the current report.
    Print,
}

/// A [`Command`] with a sequence number: each new number is carried out once.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandRequest {
    /// Increases with each command.
    pub seq: u64,
    /// The command.
    pub command: Command,
}

/// Props of [`ReportViewer`].
#[derive(Properties, PartialEq, Clone)]
pub struct ReportViewerProps {
    /// Validated options (see [`ViewerConfig::from_raw`]). Required.
    pub config: Rc<ViewerConfig>,
    /// Optional: the latest host command; default none.
    #[prop_or_default]
    pub command: Option<CommandRequest>,
    /// Optional: receives every [`ViewerEvent`]; default ignores them.
    #[prop_or_default]
    pub on_event: Callback<ViewerEvent>,
    /// Optional: the first requests, already started for this `config` by
    /// [`HeadStart::begin`]; the viewer adopts them instead of starting its
    /// own. Default: the viewer starts them when it is created.
    #[prop_or_default]
    pub head_start: HeadStart,
    /// Optional: the language to speak. Default: negotiated from the
    /// `locale` and `lang` options, the page's `lang` and the browser's
    /// languages (see [`Language::negotiate`]).
    #[prop_or_default]
    pub language: Option<Language>,
}

#[doc(hidden)]
pub enum Msg {
    Reports(Result<Vec<Report>, Fail>),
    Types(Result<Vec<ReportType>, Fail>),
    RetryReports,
    Choose(ReportRef),
    Nonce(Result<String, Fail>),
    Refill,
    FrameLoaded(u64),
    Retry,
    Refresh,
    Print,
    ViewerAsksToPrint,
    NewTab,
    Fullscreen,
    Pdf,
    PdfReady(Result<Pdf, Fail>),
    Catalog(Result<Messages, HostError>),
    ToggleSwitcher,
    CloseSwitcher,
    ToggleMenu,
    CloseMenu,
    /// A lazy widget came near the viewport.
    Seen,
}

/// Where focus goes after the next render.
#[derive(Clone, Copy, PartialEq)]
enum Focus {
    Search,
    Switcher,
    FirstAction,
    More,
}

/// The report viewer: picker, toolbar and preview.
///
/// ```no_run
/// use std::rc::Rc;
/// use cxreports_widget::{RawValue, ReportViewer, ViewerConfig};
/// use yew::prelude::*;
///
/// #[function_component]
/// fn App() -> Html {
///     let config = ViewerConfig::from_raw(vec![
///         ("cxreportsUrl".into(), RawValue::Str("https://reports.example.com".into())),
///         ("workspace".into(), RawValue::Str("sales".into())),
///         ("nonceUrl".into(), RawValue::Str("/api/cxreports/nonce".into())),
///         ("reportsUrl".into(), RawValue::Str("/api/cxreports/reports".into())),
///     ]);
///     match config {
///         Ok(config) => html! { <ReportViewer config={Rc::new(config)} /> },
///         Err(e) => html! { <p>{ e.to_string() }</p> },
///     }
/// }
/// ```
pub struct ReportViewer {
    config: Rc<ViewerConfig>,
    client: HostClient,
    types: Option<Rc<Vec<ReportType>>>,
    list_task: Option<Task>,
    types_task: Option<Task>,
    /// Navigation: the choice, its nonce and `src`, what is stale.
    nav: Navigator,
    nonce_task: Option<Task>,
    /// The navigator's refill timer (see [`Decision::StartRefill`]).
    refill: Option<Timeout>,
    /// A blank tab opened on a click, waiting for its nonce.
    waiting_tab: Option<web_sys::Window>,
    command_seq: Option<u64>,
    pdf_task: Option<Task>,
    /// A failed PDF download, new tab or print: shown above the preview.
    action_error: Option<WidgetError>,
    /// The last download's object URL, revoked when replaced or destroyed.
    pdf_download: Option<ObjectUrl>,
    frame: NodeRef,
    root: NodeRef,
    _messages: Option<EventListener>,
    language: Language,
    /// The texts: the language's catalog with the host's `messages`.
    messages: Messages,
    /// Set while the language's catalog loads; the widget stays invisible
    /// meanwhile rather than flash English.
    catalog_task: Option<Task>,
    /// The compact report switcher's list is open (narrow layout).
    switcher_open: bool,
    /// The toolbar's overflow menu is open (narrow toolbar).
    menu_open: bool,
    focus: Option<Focus>,
    /// Whether the viewer has started: at once, or (`loading: "lazy"`) once
    /// it nears the viewport.
    seen: bool,
    /// Watches for that while a lazy viewer waits.
    watch: Option<WhenSeen>,
}

impl Component for ReportViewer {
    type Message = Msg;
    type Properties = ReportViewerProps;

    fn create(ctx: &Context<Self>) -> Self {
        // Fetching starts now, not after the first render: every millisecond
        // before the first request is a millisecond of cold start. `ready`
        // goes first, so hosts see it before any `select` or `error`.
        let mut viewer = Self::fresh(ctx);
        viewer.emit(ctx, ViewerEvent::Ready);
        if viewer.seen {
            viewer.start(ctx);
        }
        viewer.load_catalog(ctx);
        // A command the host gave before this viewer existed (`select()`
        // right after `mount()`) is carried out now.
        viewer.command_seq = None;
        viewer.obey(ctx);
        viewer
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        let props = ctx.props();
        if props.config != old.config {
            // New options: start over, but keep counting generations so no
            // answer for the old configuration can pass for a new one.
            let (generation, seen) = (self.nav.generation(), self.seen);
            *self = Self::fresh(ctx);
            self.seen |= seen;
            self.nav = Navigator::new(self.config.clone(), generation);
            self.listen_for_print(ctx);
            if self.seen {
                self.start(ctx);
            }
            self.load_catalog(ctx);
            return true;
        }
        if props.language != old.language {
            self.language = Self::language_of(ctx);
            self.load_catalog(ctx);
        }
        self.obey(ctx)
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Reports(result) => {
                self.list_task = None;
                match result {
                    Ok(list) => self.drive(ctx, Input::ListArrived(list)),
                    Err(Fail::Cancelled) => return false,
                    Err(Fail::Host(e)) => self.drive(ctx, Input::ListFailed(e)),
                }
            }
            Msg::Types(result) => {
                self.types_task = None;
                match result {
                    Ok(types) => self.types = Some(Rc::new(types)),
                    // Types only order the groups: the list works without them.
                    Err(_) => return false,
                }
            }
            Msg::RetryReports => self.drive(ctx, Input::RetryList),
            Msg::Choose(report) => {
                if self.switcher_open {
                    self.switcher_open = false;
                    self.focus = Some(Focus::Switcher);
                }
                self.drive(ctx, Input::Choose(report))
            }
            Msg::Catalog(result) => {
                self.catalog_task = None;
                match result {
                    Ok(catalog) => self.messages = catalog.with(self.config.messages.clone()),
                    Err(e) => {
                        // English stays: the widget works, in another language.
                        let error = WidgetError::Catalog(e);
                        web_sys::console::warn_1(&JsValue::from_str(&error.to_string()));
                        self.emit(ctx, ViewerEvent::Error(error));
                    }
                }
            }
            Msg::ToggleSwitcher => {
                self.switcher_open = !self.switcher_open;
                self.menu_open = false;
                self.focus = Some(if self.switcher_open {
                    Focus::Search
                } else {
                    Focus::Switcher
                });
            }
            Msg::CloseSwitcher => {
                if !self.switcher_open {
                    return false;
                }
                self.switcher_open = false;
                self.focus = Some(Focus::Switcher);
            }
            Msg::ToggleMenu => {
                self.menu_open = !self.menu_open;
                self.switcher_open = false;
                self.focus = Some(if self.menu_open {
                    Focus::FirstAction
                } else {
                    Focus::More
                });
            }
            Msg::CloseMenu => {
                if !self.menu_open {
                    return false;
                }
                self.menu_open = false;
                self.focus = Some(Focus::More);
            }
            Msg::Seen => self.see(ctx),
            Msg::Nonce(result) => {
                self.nonce_task = None;
                match result {
                    Ok(nonce) => self.drive(ctx, Input::NonceArrived(nonce)),
                    Err(Fail::Cancelled) => return false,
                    Err(Fail::Host(e)) => self.drive(ctx, Input::NonceFailed(e)),
                }
            }
            Msg::Refill => {
                self.refill = None;
                self.drive(ctx, Input::Refill);
            }
            Msg::FrameLoaded(generation) => self.drive(ctx, Input::FrameLoaded(generation)),
            Msg::Retry => self.drive(ctx, Input::Reload),
            Msg::Refresh => {
                self.close_menu();
                self.drive(ctx, Input::Reload)
            }
            Msg::Print => {
                self.close_menu();
                self.print()
            }
            Msg::ViewerAsksToPrint => self.print_frame(ctx),
            Msg::NewTab => {
                self.close_menu();
                self.drive(ctx, Input::NewTab)
            }
            Msg::Pdf => {
                self.close_menu();
                let url = self
                    .nav
                    .selected()
                    .and_then(|r| pdf_href(&self.config, r, self.nav.params()));
                let Some(url) = url else { return false };
                self.action_error = None;
                self.pdf_task = self.spawn(ctx, |c, s| c.get_pdf(&url, s), Msg::PdfReady);
            }
            Msg::PdfReady(result) => {
                self.pdf_task = None;
                match result {
                    Ok(pdf) => self.pdf_download = self.save(pdf),
                    Err(Fail::Cancelled) => return false,
                    Err(Fail::Host(e)) => {
                        self.fail_action(ctx, WidgetError::Pdf(e));
                    }
                }
            }
            Msg::Fullscreen => {
                self.close_menu();
                if let Some(root) = self.root.cast::<web_sys::Element>() {
                    let _ = root.request_fullscreen();
                }
            }
        }
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if let Some(focus) = self.focus.take() {
            self.apply_focus(focus);
        }
        if first_render {
            self.listen_for_print(ctx);
        }
        if !self.seen && self.watch.is_none() {
            let link = ctx.link().clone();
            self.watch = self.root.cast::<web_sys::Element>().and_then(|root| {
                WhenSeen::new(&root, "200px", move || link.send_message(Msg::Seen))
            });
            if self.watch.is_none() {
                self.see(ctx);
            }
        }
    }

    fn destroy(&mut self, ctx: &Context<Self>) {
        self.drive(ctx, Input::Destroy);
        // Dropping aborts every request and removes the message listener.
        self.list_task = None;
        self.types_task = None;
        self.nonce_task = None;
        self.pdf_task = None;
        self.pdf_download = None;
        self.refill = None;
        self.catalog_task = None;
        self._messages = None;
        self.watch = None;
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let config = &self.config;
        let m = &self.messages;
        let scheme = match config.color_scheme {
            ColorScheme::Light => None,
            scheme => Some(AttrValue::Static(scheme.as_str())),
        };
        let on = |flag: bool| flag.then_some(AttrValue::Static("true"));
        html! {
            <div class="cxr" ref={self.root.clone()} lang={self.language.tag().to_owned()} dir={self.language.dir()}
                data-scheme={scheme} data-pending={on(self.catalog_task.is_some())} aria-busy={on(self.catalog_task.is_some())}
                data-switcher={on(self.switcher_open)} data-menu={on(self.menu_open)}>
                if config.show_picker {
                    <div class="cxr-nav">
                        <button type="button" class="cxr-button cxr-switcher" aria-expanded={self.switcher_open.to_string()}
                            aria-controls="cxr-side" onclick={link.callback(|_| Msg::ToggleSwitcher)}>
                            <span class="cxr-switcher-label">{ m.text(Key::Reports) }</span>
                            <span class="cxr-switcher-name">{ self.selected_name().unwrap_or_else(|| m.text(Key::ChooseReport).to_owned()) }</span>
                            <span class="cxr-chevron" aria-hidden="true"></span>
                        </button>
                        <aside id="cxr-side" class="cxr-side" aria-label={m.text(Key::Reports).to_owned()}
                            onkeydown={link.batch_callback(|e: KeyboardEvent| (e.key() == "Escape").then_some(Msg::CloseSwitcher))}>
                            <button type="button" class="cxr-button cxr-close" onclick={link.callback(|_| Msg::CloseSwitcher)}>{ m.text(Key::Close) }</button>
                            { self.view_list(ctx) }
                        </aside>
                    </div>
                }
                <section class="cxr-main" aria-label={m.text(Key::PreviewLabel).to_owned()}>
                    { self.view_toolbar(ctx) }
                    { self.view_action_error(ctx) }
                    <div class="cxr-stage">
                        { self.view_status(ctx) }
                        // The iframe is there from the first render, hidden until
                        // it has a report: creating one costs the page several
                        // milliseconds, paid while the first requests are in
                        // flight rather than when the nonce arrives.
                        // No `sandbox`: the viewer needs its scripts and its own
                        // origin, and Chromium warns on every host page about a
                        // frame given both (SECURITY.md, "The iframe").
                        <iframe ref={self.frame.clone()} class="cxr-frame" src={self.nav.src().map(str::to_owned)}
                            hidden={self.nav.src().is_none()}
                            title={self.title()}
                            allow="fullscreen"
                            referrerpolicy="no-referrer"
                            onload={link.callback({ let g = self.nav.generation(); move |_| Msg::FrameLoaded(g) })} />
                        if self.nav.src().is_none() && *self.nav.stage() == Stage::Empty {
                            <p class="cxr-hint">{ m.text(Key::ChooseHint) }</p>
                        }
                    </div>
                </section>
                // One polite live region, there from the first render so
                // screen readers announce each change of its text.
                <p class="cxr-live" role="status">{ self.announcement() }</p>
            </div>
        }
    }
}

impl ReportViewer {
    fn listen_for_print(&mut self, ctx: &Context<Self>) {
        // The viewer asks its parent to print by posting "print"; only our own
        // iframe, from the CxReports origin, is listened to.
        if let Some(window) = web_sys::window() {
            let (frame, origin, link) = (
                self.frame.clone(),
                self.config.cxreports_origin(),
                ctx.link().clone(),
            );
            self._messages = Some(EventListener::new(&window, "message", move |event| {
                let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
                    return;
                };
                let from_frame = frame
                    .cast::<HtmlIFrameElement>()
                    .and_then(|f| f.content_window())
                    .zip(event.source())
                    .is_some_and(|(w, source)| js_sys::Object::is(&w, &source));
                if from_frame
                    && event.origin() == origin
                    && event.data().as_string().as_deref() == Some("print")
                {
                    link.send_message(Msg::ViewerAsksToPrint);
                }
            }));
        }
    }

    fn fresh(ctx: &Context<Self>) -> Self {
        let config = ctx.props().config.clone();
        ReportViewer {
            client: HostClient::new(&config),
            nav: Navigator::new(config.clone(), 0),
            types: None,
            list_task: None,
            types_task: None,
            nonce_task: None,
            refill: None,
            waiting_tab: None,
            command_seq: ctx.props().command.as_ref().map(|c| c.seq),
            pdf_task: None,
            action_error: None,
            pdf_download: None,
            frame: NodeRef::default(),
            root: NodeRef::default(),
            _messages: None,
            language: Self::language_of(ctx),
            messages: Messages::english().with(config.messages.clone()),
            catalog_task: None,
            switcher_open: false,
            menu_open: false,
            focus: None,
            seen: !config.lazy,
            watch: None,
            config,
        }
    }

    /// Carries out the host's command in the props, once; whether there was
    /// a new one.
    fn obey(&mut self, ctx: &Context<Self>) -> bool {
        let Some(request) = ctx.props().command.clone() else {
            return false;
        };
        if Some(request.seq) == self.command_seq {
            return false;
        }
        self.command_seq = Some(request.seq);
        // The host asks for something: a lazy viewer starts now.
        self.see(ctx);
        match request.command {
            Command::Select(report) => self.drive(ctx, Input::Choose(report)),
            Command::SetParams(params) => self.drive(ctx, Input::SetParams(params)),
            Command::Refresh => self.drive(ctx, Input::Reload),
            Command::Print => self.print(),
        }
        true
    }

    /// Starts a lazy viewer that has not started yet.
    fn see(&mut self, ctx: &Context<Self>) {
        if !self.seen {
            self.seen = true;
            self.watch = None;
            self.start(ctx);
        }
    }

    /// Cold start: the list and the first nonce in parallel, adopted from
    /// the head start when the requests were started before the viewer.
    fn start(&mut self, ctx: &Context<Self>) {
        let head = &ctx.props().head_start;
        if let Some((task, list)) = head.take_list() {
            self.list_task = Self::adopt(ctx, task, list, Msg::Reports);
            self.nav.adopt_list_fetch();
        }
        if let Some((task, nonce)) = head.take_nonce() {
            self.nonce_task = Self::adopt(ctx, task, nonce, Msg::Nonce);
            self.nav.adopt_nonce_fetch();
        }
        // The list and a nonce first (unless adopted); the types only order
        // the groups, so they go after.
        self.drive(ctx, Input::Start);
        self.load_types(ctx);
        if let Some(report) = self.config.report.clone() {
            self.drive(ctx, Input::Choose(report));
        }
        // Now that the first requests are on their way, the reader's zone
        // (the browser's first Intl lookup is slow) before any viewer URL.
        if self.config.reader_time_zone && self.config.query.timezone.is_none() {
            let mut config = (*self.config).clone();
            config.query.timezone = reader_time_zone();
            self.config = Rc::new(config);
            self.nav.set_config(self.config.clone());
        }
    }

    /// Fetches the report types unless they are here or on their way.
    fn load_types(&mut self, ctx: &Context<Self>) {
        if self.types_task.is_some() {
            return;
        }
        if let (Some(url), None) = (self.config.report_types_url.clone(), &self.types) {
            self.types_task = self.spawn(ctx, |c, s| c.get_list(&url, s), Msg::Types);
        }
    }

    /// Starts `call` now (its request leaves before this returns) with the
    /// host client and a cancel signal; its result comes back as `to_msg`.
    /// Dropping the returned task cancels it.
    fn spawn<T: 'static, Fut>(
        &self,
        ctx: &Context<Self>,
        call: impl FnOnce(&HostClient, &web_sys::AbortSignal) -> Fut,
        to_msg: fn(T) -> Msg,
    ) -> Option<Task>
    where
        Fut: std::future::Future<Output = T> + 'static,
    {
        let task = Task::start()?;
        let pending = call(&self.client, &task.signal());
        Self::adopt(ctx, task, pending, to_msg)
    }

    /// Delivers the result of a request already in flight as `to_msg`; the
    /// returned task cancels it when dropped.
    fn adopt<T: 'static>(
        ctx: &Context<Self>,
        task: Task,
        pending: impl std::future::Future<Output = T> + 'static,
        to_msg: fn(T) -> Msg,
    ) -> Option<Task> {
        Self::deliver_later(ctx, Box::pin(async move { to_msg(pending.await) }));
        Some(task)
    }

    /// One copy of Yew's future plumbing for every kind of request: each
    /// call site boxes its own small future instead of monomorphizing
    /// `send_future` again (about 2.7 KB of WebAssembly each).
    fn deliver_later(
        ctx: &Context<Self>,
        message: std::pin::Pin<Box<dyn std::future::Future<Output = Msg>>>,
    ) {
        ctx.link().send_future(message);
    }

    /// Feeds `input` to the navigator and carries out what it decides.
    fn drive(&mut self, ctx: &Context<Self>, input: Input) {
        let mut pending = self.nav.on(input, js_sys::Date::now());
        // What carrying out a decision causes (a blocked tab) goes back in,
        // and its decisions follow the rest of this batch.
        while !pending.is_empty() {
            let mut caused = Vec::new();
            for decision in pending {
                if let Some(next) = self.carry_out(ctx, decision) {
                    caused.extend(self.nav.on(next, js_sys::Date::now()));
                }
            }
            pending = caused;
        }
    }

    /// Carries out one decision; returns what that caused, if the
    /// navigator must hear of it.
    fn carry_out(&mut self, ctx: &Context<Self>, decision: Decision) -> Option<Input> {
        match decision {
            Decision::FetchList => {
                if let Some(url) = self.config.reports_url.clone() {
                    self.list_task = self.spawn(ctx, |c, s| c.get_list(&url, s), Msg::Reports);
                }
                self.load_types(ctx);
            }
            Decision::AbortList => self.list_task = None,
            Decision::FetchNonce => {
                let source = self.config.nonce.clone();
                self.nonce_task = self.spawn(ctx, |c, s| fetch_nonce(&source, c, s), Msg::Nonce);
                preconnect(&self.config.cxreports_origin());
            }
            Decision::AbortNonce => self.nonce_task = None,
            // The view renders the navigator's `src`.
            Decision::SetSrc { .. } => {}
            Decision::OpenTab(url) => {
                if let Some(window) = web_sys::window() {
                    let _ = window.open_with_url_and_target_and_features(
                        &url,
                        "_blank",
                        "noopener,noreferrer",
                    );
                }
            }
            Decision::OpenBlankTab => {
                let opened = web_sys::window()
                    .and_then(|w| w.open_with_url_and_target("about:blank", "_blank").ok())
                    .flatten();
                let Some(tab) = opened else {
                    return Some(Input::TabBlocked);
                };
                let _ = js_sys::Reflect::set(&tab, &JsValue::from_str("opener"), &JsValue::NULL);
                if let Some(old) = self.waiting_tab.replace(tab) {
                    let _ = old.close();
                }
            }
            Decision::PointTab(url) => {
                if let Some(tab) = self.waiting_tab.take() {
                    let _ = tab.location().set_href(&url);
                }
            }
            Decision::CloseTab => {
                if let Some(tab) = self.waiting_tab.take() {
                    let _ = tab.close();
                }
            }
            Decision::StartRefill => {
                let link = ctx.link().clone();
                self.refill = Some(Timeout::new(0, move || link.send_message(Msg::Refill)));
            }
            Decision::CancelRefill => self.refill = None,
            Decision::Selected(report) => {
                // A failed action belonged to the report shown before.
                self.action_error = None;
                self.emit(ctx, ViewerEvent::Select(report));
            }
            Decision::ActionFailed(error) => self.fail_action(ctx, error),
            Decision::Failed(error) => self.emit(ctx, ViewerEvent::Error(error)),
            Decision::Loaded(report) => {
                let name = self.name_of(&report).map(str::to_owned);
                self.emit(ctx, ViewerEvent::Load { report, name });
            }
        }
        None
    }

    fn print(&self) {
        // Per the viewer's protocol: ask it to print; it answers "print" and
        // the parent prints the frame.
        if let Some(window) = self
            .frame
            .cast::<HtmlIFrameElement>()
            .and_then(|f| f.content_window())
        {
            let _ =
                window.post_message(&JsValue::from_str("print"), &self.config.cxreports_origin());
        }
    }

    fn print_frame(&mut self, ctx: &Context<Self>) {
        let Some(window) = self
            .frame
            .cast::<HtmlIFrameElement>()
            .and_then(|f| f.content_window())
        else {
            return;
        };
        let printed = js_sys::Reflect::get(&window, &JsValue::from_str("print"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .map(|f| f.call0(&window).is_ok());
        if printed != Some(true) {
            self.fail_action(ctx, WidgetError::Popup(Refusal::Print));
        }
    }

    fn emit(&self, ctx: &Context<Self>, event: ViewerEvent) {
        ctx.props().on_event.emit(event);
    }

    fn name_of(&self, report: &ReportRef) -> Option<&str> {
        let reports = match self.nav.list() {
            List::Ready(list) => list.as_slice(),
            _ => &[],
        };
        report_name(reports, self.types.as_deref().map(Vec::as_slice), report)
    }

    /// The iframe's accessible title, also the toolbar's heading.
    fn title(&self) -> String {
        match self.selected_name() {
            Some(name) => self
                .messages
                .format(Key::FrameTitleNamed, &[("name", &name)]),
            None => self.messages.text(Key::FrameTitle).to_owned(),
        }
    }

    fn view_list(&self, ctx: &Context<Self>) -> Html {
        let m = &self.messages;
        match self.nav.list() {
            List::Loading => html! {
                <p class="cxr-progress"><span class="cxr-spinner" aria-hidden="true"></span>{ m.text(Key::LoadingReports) }</p>
            },
            List::Failed(error) => html! {
                <div class="cxr-error" data-kind={error.kind()}>
                    <p>{ describe(error, m) }</p>
                    <button type="button" class="cxr-button" onclick={ctx.link().callback(|_| Msg::RetryReports)}>{ m.text(Key::Retry) }</button>
                </div>
            },
            List::Ready(list) => html! {
                <Picker reports={list.clone()} types={self.types.clone()} selected={self.nav.selected().cloned()}
                    on_select={ctx.link().callback(Msg::Choose)} messages={m.clone()} />
            },
        }
    }

    fn view_toolbar(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let m = &self.messages;
        let none = self.nav.selected().is_none();
        let no_frame = self.nav.src().is_none();
        let pdf = self
            .nav
            .selected()
            .and_then(|r| pdf_href(&self.config, r, self.nav.params()));
        let busy = self.pdf_task.is_some();
        let title = |key: Key| m.text(key).to_owned();
        html! {
            <div class="cxr-toolbar" role="toolbar" aria-label={title(Key::ActionsLabel)}>
                <span class="cxr-title">{ self.nav.selected().map(|_| self.title()).unwrap_or_default() }</span>
                <button type="button" class="cxr-button cxr-more" aria-expanded={self.menu_open.to_string()} aria-controls="cxr-actions"
                    title={title(Key::MoreActions)} onclick={link.callback(|_| Msg::ToggleMenu)}>
                    <span class="cxr-more-label">{ m.text(Key::MoreActions) }</span>
                    <span class="cxr-chevron" aria-hidden="true"></span><span class="cxr-dots" aria-hidden="true">{ "\u{22ef}" }</span>
                </button>
                <div id="cxr-actions" class="cxr-actions"
                    onkeydown={link.batch_callback(|e: KeyboardEvent| (e.key() == "Escape").then_some(Msg::CloseMenu))}>
                    <button type="button" class="cxr-button" disabled={none} onclick={link.callback(|_| Msg::Refresh)} title={title(Key::RefreshTitle)}>{ m.text(Key::Refresh) }</button>
                    <button type="button" class="cxr-button" disabled={no_frame} onclick={link.callback(|_| Msg::Print)} title={title(Key::PrintTitle)}>{ m.text(Key::Print) }</button>
                    if pdf.is_some() {
                        <button type="button" class="cxr-button" disabled={busy} aria-busy={busy.to_string()}
                            onclick={link.callback(|_| Msg::Pdf)} title={title(Key::PdfTitle)}>
                            { m.text(if busy { Key::PdfBusy } else { Key::Pdf }) }
                        </button>
                    }
                    <button type="button" class="cxr-button" disabled={none} onclick={link.callback(|_| Msg::NewTab)} title={title(Key::NewTabTitle)}>{ m.text(Key::NewTab) }</button>
                    <button type="button" class="cxr-button" disabled={no_frame} onclick={link.callback(|_| Msg::Fullscreen)} title={title(Key::FullScreenTitle)}>{ m.text(Key::FullScreen) }</button>
                </div>
            </div>
        }
    }

    fn view_action_error(&self, ctx: &Context<Self>) -> Html {
        match &self.action_error {
            Some(error) => html! {
                <div class="cxr-error cxr-pdf-error" data-kind={error.kind()}>
                    <p>{ describe(error, &self.messages) }</p>
                    if matches!(error, WidgetError::Pdf(_)) {
                        <button type="button" class="cxr-button" onclick={ctx.link().callback(|_| Msg::Pdf)}>{ self.messages.text(Key::Retry) }</button>
                    }
                </div>
            },
            None => html! {},
        }
    }

    /// Hands the PDF to the browser as a download.
    fn save(&self, pdf: Pdf) -> Option<ObjectUrl> {
        let root = self.root.cast::<web_sys::Element>()?;
        let url = ObjectUrl::new(&pdf.bytes, "application/pdf")?;
        let anchor: web_sys::HtmlAnchorElement = root
            .owner_document()?
            .create_element("a")
            .ok()?
            .dyn_into()
            .ok()?;
        anchor.set_href(url.as_str());
        anchor.set_download(pdf.file_name.as_deref().unwrap_or("report.pdf"));
        root.append_child(&anchor).ok()?;
        anchor.click();
        anchor.remove();
        Some(url)
    }

    fn view_status(&self, ctx: &Context<Self>) -> Html {
        let m = &self.messages;
        let stage = self.nav.stage();
        match stage {
            Stage::Opening | Stage::Loading => html! {
                <p class="cxr-progress cxr-overlay" data-stage={if *stage == Stage::Opening { "nonce" } else { "frame" }}>
                    <span class="cxr-spinner" aria-hidden="true"></span>
                    { m.format(Key::Opening, &[("name", &self.selected_name().unwrap_or_default())]) }
                </p>
            },
            Stage::Failed(error) => html! {
                <div class="cxr-error cxr-overlay" data-kind={error.kind()}>
                    <p>{ describe(error, m) }</p>
                    <button type="button" class="cxr-button" onclick={ctx.link().callback(|_| Msg::Retry)}>{ m.text(Key::Retry) }</button>
                </div>
            },
            Stage::Empty | Stage::Shown => html! {},
        }
    }

    /// What the live region says: the latest of loading, loaded and failed.
    fn announcement(&self) -> String {
        let m = &self.messages;
        if self.catalog_task.is_some() {
            return String::new();
        }
        if let Some(error) = &self.action_error {
            return describe(error, m);
        }
        let name = || self.selected_name().unwrap_or_default();
        match (self.nav.stage(), self.nav.list()) {
            (Stage::Opening | Stage::Loading, _) => m.format(Key::Opening, &[("name", &name())]),
            (Stage::Shown, _) => m.format(Key::Loaded, &[("name", &name())]),
            (Stage::Failed(error), _) => describe(error, m),
            (Stage::Empty, List::Loading) if self.config.show_picker => {
                m.text(Key::LoadingReports).to_owned()
            }
            (Stage::Empty, List::Failed(error)) => describe(error, m),
            (Stage::Empty, _) => String::new(),
        }
    }

    /// The selected report's name, or "report 42" when it has none yet.
    fn selected_name(&self) -> Option<String> {
        let report = self.nav.selected()?;
        Some(match self.name_of(report) {
            Some(name) => name.to_owned(),
            None => self
                .messages
                .format(Key::ReportById, &[("id", &report.to_string())]),
        })
    }

    fn language_of(ctx: &Context<Self>) -> Language {
        let props = ctx.props();
        match &props.language {
            Some(language) => language.clone(),
            None => language_for(&props.config, None),
        }
    }

    /// Fetches the language's catalog unless it is English or already read;
    /// the host's `messages` go over it either way.
    fn load_catalog(&mut self, ctx: &Context<Self>) {
        let overrides = self.config.messages.clone();
        self.catalog_task = None;
        let Some(tag) = self.language.catalog() else {
            self.messages = Messages::english().with(overrides);
            return;
        };
        if let Some(catalog) = cached(tag) {
            self.messages = catalog.with(overrides);
            return;
        }
        self.catalog_task = self.spawn(ctx, move |_, _| fetch_catalog(tag), Msg::Catalog);
    }

    fn close_menu(&mut self) {
        if self.menu_open {
            self.menu_open = false;
            self.focus = Some(Focus::More);
        }
    }

    fn fail_action(&mut self, ctx: &Context<Self>, error: WidgetError) {
        self.action_error = Some(error.clone());
        self.emit(ctx, ViewerEvent::Error(error));
    }

    fn apply_focus(&self, focus: Focus) {
        let selector = match focus {
            Focus::Search => "#cxr-search",
            Focus::Switcher => ".cxr-switcher",
            Focus::FirstAction => ".cxr-actions .cxr-button:not([disabled])",
            Focus::More => ".cxr-more",
        };
        let target = self
            .root
            .cast::<web_sys::Element>()
            .and_then(|root| root.query_selector(selector).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(target) = target {
            let _ = target.focus();
        }
    }
}
