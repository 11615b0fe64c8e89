//! The widget: picker, toolbar and the authenticated iframe preview. Which
//! nonce goes where, and what is stale, is decided by the pure
//! [`Navigator`](crate::navigator); the panels, focus and the other interface
//! state by the pure [`Ui`](ui::Ui). This component feeds them what happens
//! and carries out their decisions with the DOM, timers and requests, all
//! held in one [`Effects`](effects::Effects) value.
mod adopted;
mod api;
mod effects;
mod layout;
mod navigation;
mod pdf;
mod print;
mod start;
mod ui;
mod views;

use std::cell::RefCell;
use std::rc::Rc;

use cxreports_contract::model::{Report, ReportType};
use cxreports_contract::ReportRef;
use gloo_events::EventListener;
use wasm_bindgen::JsValue;
use yew::prelude::*;

pub use api::{Command, CommandRequest, ReportViewerProps, ViewerEvent};

use crate::components::ids::Ids;
use crate::config::ViewerConfig;
use crate::dom::WhenSeen;
use crate::error::{HostError, WidgetError};
use crate::host::client::Pdf;
use crate::host::{Fail, HostClient};
use crate::i18n::{Language, Messages};
use crate::navigator::{Input, Navigator, Wake};
use adopted::Adopted;
use effects::Effects;
use ui::{Panel, PanelInput, Ui};

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
    /// The reader opened or closed a panel.
    Panel(PanelInput),
    /// A lazy widget came near the viewport.
    Seen,
    /// The page may have been away (see [`Wake`]).
    Wake(Wake),
    /// The browser went offline.
    Offline,
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
    /// Navigation: the choice, its nonce and `src`, what is stale.
    nav: Navigator,
    /// Panels, focus, a failed action, the lazy start, the last command.
    ui: Ui,
    /// Everything in flight; dropping it cancels all.
    effects: Effects,
    frame: NodeRef,
    /// The loader's frame, while it is the current one; shared with the
    /// listener for the frame's print requests.
    adopted: Rc<RefCell<Option<Adopted>>>,
    /// Where the stage keeps the loader's frame.
    slot: NodeRef,
    root: NodeRef,
    /// This instance's element ids.
    ids: Ids,
    language: Language,
    /// The texts: the language's catalog with the host's `messages`.
    messages: Messages,
}

impl Component for ReportViewer {
    type Message = Msg;
    type Properties = ReportViewerProps;

    fn create(ctx: &Context<Self>) -> Self {
        // Fetching starts now, not after the first render: every millisecond
        // before the first request is a millisecond of cold start. `ready`
        // goes first, so hosts see it before any `select` or `error`.
        let mut viewer = Self::fresh(ctx, 0);
        viewer.emit(ctx, ViewerEvent::Ready);
        if let Some(warning) = crate::site::warn_once(&viewer.config.cxreports_origin()) {
            viewer.emit(ctx, ViewerEvent::Warning(warning));
        }
        if viewer.ui.started() {
            viewer.start(ctx);
        }
        viewer.load_catalog(ctx);
        // A command the host gave before this viewer existed (`select()`
        // right after `mount()`) is carried out now.
        viewer.ui.forget_command();
        viewer.obey(ctx);
        viewer
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Self::Properties) -> bool {
        let props = ctx.props();
        if props.config != old.config {
            // New options: start over, but keep counting generations so no
            // answer for the old configuration can pass for a new one. The
            // element ids stay, and a viewer that had started stays started.
            let (generation, started, ids) =
                (self.nav.generation(), self.ui.started(), self.ids.clone());
            *self = Self::fresh(ctx, generation);
            self.ids = ids;
            if started {
                self.ui.start();
            }
            self.listen(ctx);
            if self.ui.started() {
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
        if matches!(
            msg,
            Msg::Refresh | Msg::Print | Msg::NewTab | Msg::Pdf | Msg::Fullscreen
        ) {
            // An action, chosen from the menu or not, closes the menu first.
            self.ui.on(PanelInput::Close(Panel::Menu));
        }
        match msg {
            Msg::Reports(result) => {
                self.effects.list = None;
                match result {
                    Ok(list) => self.drive(ctx, Input::ListArrived(list)),
                    Err(Fail::Cancelled) => return false,
                    Err(Fail::Host(e)) => self.drive(ctx, Input::ListFailed(e)),
                }
            }
            Msg::Types(result) => {
                self.effects.types = None;
                match result {
                    Ok(types) => self.types = Some(Rc::new(types)),
                    Err(Fail::Cancelled) => return false,
                    // Types only order the groups: the list works without
                    // them, and the reader and the host are told.
                    Err(Fail::Host(e)) => self.fail_action(ctx, WidgetError::Types(e)),
                }
            }
            Msg::RetryReports => self.drive(ctx, Input::RetryList),
            Msg::Choose(report) => {
                self.ui.on(PanelInput::Close(Panel::Switcher));
                self.drive(ctx, Input::Choose(report))
            }
            Msg::Catalog(result) => {
                self.effects.catalog = None;
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
            Msg::Panel(input) => return self.ui.on(input),
            Msg::Seen => self.see(ctx),
            Msg::Wake(wake) => self.drive(ctx, Input::Wake(wake)),
            Msg::Offline => {
                self.drive(ctx, Input::Offline);
                return false;
            }
            Msg::Nonce(result) => {
                self.effects.nonce = None;
                match result {
                    Ok(nonce) => self.drive(ctx, Input::NonceArrived(nonce)),
                    Err(Fail::Cancelled) => return false,
                    Err(Fail::Host(e)) => self.drive(ctx, Input::NonceFailed(e)),
                }
            }
            Msg::Refill => {
                self.effects.refill = None;
                self.drive(ctx, Input::Refill);
            }
            Msg::FrameLoaded(generation) => self.drive(ctx, Input::FrameLoaded(generation)),
            Msg::Retry => self.drive(ctx, Input::Reload),
            Msg::Refresh => self.drive(ctx, Input::Reload),
            Msg::Print => self.print(),
            Msg::ViewerAsksToPrint => self.print_frame(ctx),
            Msg::NewTab => self.drive(ctx, Input::NewTab),
            Msg::Pdf => return self.download_pdf(ctx),
            Msg::PdfReady(result) => return self.pdf_arrived(ctx, result),
            Msg::Fullscreen => {
                if let Some(root) = self.root.cast::<web_sys::Element>() {
                    let _ = root.request_fullscreen();
                }
            }
        }
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if let Some(focus) = self.ui.take_focus() {
            self.apply_focus(focus);
        }
        if first_render {
            self.listen(ctx);
        }
        self.place_adopted(ctx);
        if !self.ui.started() && self.effects.watch.is_none() {
            let link = ctx.link().clone();
            self.effects.watch = self.root.cast::<web_sys::Element>().and_then(|root| {
                WhenSeen::new(&root, "200px", move || link.send_message(Msg::Seen))
            });
            if self.effects.watch.is_none() {
                self.see(ctx);
            }
        }
    }

    fn destroy(&mut self, ctx: &Context<Self>) {
        self.drive(ctx, Input::Destroy);
        // Dropping aborts every request and removes every listener and timer.
        self.effects = Effects::default();
        self.adopted.borrow_mut().take();
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        self.layout(ctx)
    }
}

impl ReportViewer {
    /// Listens for the frame's print requests (see `listen_for_print`), and
    /// for the page coming back and going offline: timers sleep in hidden
    /// tabs, so these are the moments the viewer's session age is checked
    /// against the wall clock.
    fn listen(&mut self, ctx: &Context<Self>) {
        self.effects.print_requests = self.listen_for_print(ctx);
        let Some(window) = web_sys::window() else {
            return;
        };
        // One kind of listener for all four; one given the page holds its
        // message back while the page is hidden.
        let on = |target: &web_sys::EventTarget,
                  event: &'static str,
                  page: Option<web_sys::Document>,
                  msg: fn() -> Msg| {
            let link = ctx.link().clone();
            EventListener::new(target, event, move |_| {
                if !page.as_ref().is_some_and(web_sys::Document::hidden) {
                    link.send_message(msg());
                }
            })
        };
        let mut wake = Vec::with_capacity(4);
        if let Some(document) = window.document() {
            wake.push(on(
                &document,
                "visibilitychange",
                Some(document.clone()),
                || Msg::Wake(Wake::Visible),
            ));
        }
        wake.push(on(&window, "pageshow", None, || Msg::Wake(Wake::Restored)));
        wake.push(on(&window, "online", None, || Msg::Wake(Wake::Online)));
        wake.push(on(&window, "offline", None, || Msg::Offline));
        if !window.navigator().on_line() {
            self.nav.on(Input::Offline, js_sys::Date::now());
        }
        self.effects.wake = wake;
    }

    fn emit(&self, ctx: &Context<Self>, event: ViewerEvent) {
        ctx.props().on_event.emit(event);
    }

    /// A download, a new tab or printing failed: shown above the preview,
    /// and told to the host.
    fn fail_action(&mut self, ctx: &Context<Self>, error: WidgetError) {
        self.ui.action_failed(error.clone());
        self.emit(ctx, ViewerEvent::Error(error));
    }
}
