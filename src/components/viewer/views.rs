//! The viewer's parts as they render: the report list, the toolbar, a
//! failed action, the preview's status, and what the live region says.
use yew::html::Scope;
use yew::prelude::*;

use super::layout::{closes_on_escape, sends, true_or_false};
use super::ui::{Panel, PanelInput};
use super::{Msg, ReportViewer};
use crate::components::picker::Picker;
use crate::error::WidgetError;
use crate::i18n::{describe, Key, Messages};
use crate::model::report_name;
use crate::navigator::{List, Stage};

impl ReportViewer {
    pub(super) fn name_of(&self, report: &cxreports_contract::ReportRef) -> Option<&str> {
        let reports = match self.nav.list() {
            List::Ready(list) => list.as_slice(),
            _ => &[],
        };
        report_name(reports, self.types.as_deref().map(Vec::as_slice), report)
    }

    /// The selected report's name, or "report 42" when it has none yet.
    pub(super) fn selected_name(&self) -> Option<String> {
        let report = self.nav.selected()?;
        Some(match self.name_of(report) {
            Some(name) => name.to_owned(),
            None => self
                .messages
                .format(Key::ReportById, &[("id", &report.to_string())]),
        })
    }

    /// The iframe's accessible title, also the toolbar's heading.
    pub(super) fn title(&self) -> String {
        match self.selected_name() {
            Some(name) => self
                .messages
                .format(Key::FrameTitleNamed, &[("name", &name)]),
            None => self.messages.text(Key::FrameTitle).to_owned(),
        }
    }

    pub(super) fn view_list(&self, ctx: &Context<Self>) -> Html {
        let m = &self.messages;
        match self.nav.list() {
            List::Loading => html! {
                <p class="cxr-progress"><span class="cxr-spinner" aria-hidden="true"></span>{ m.text(Key::LoadingReports) }</p>
            },
            List::Failed(error) => failure(
                ctx.link(),
                Place::List,
                error,
                m,
                Some(|| Msg::RetryReports),
            ),
            List::Ready(list) => html! {
                <Picker reports={list.clone()} types={self.types.clone()} selected={self.nav.selected().cloned()}
                    on_select={ctx.link().callback(Msg::Choose)} messages={m.clone()} id_prefix={self.ids.prefix()} />
            },
        }
    }

    pub(super) fn view_toolbar(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let m = &self.messages;
        let none = self.nav.selected().is_none();
        let no_frame = self.nav.src().is_none();
        let pdf = self.pdf_url();
        let busy = self.effects.pdf.is_some();
        let title = |key: Key| AttrValue::from(m.text(key));
        let menu_open = self.ui.is_open(Panel::Menu);
        html! {
            <div class="cxr-toolbar" role="toolbar" aria-label={title(Key::ActionsLabel)}>
                <span class="cxr-title">{ self.nav.selected().map(|_| self.title()).unwrap_or_default() }</span>
                <button type="button" class="cxr-button cxr-more" aria-expanded={true_or_false(menu_open)} aria-controls={self.ids.actions()}
                    title={title(Key::MoreActions)} onclick={sends(link, || Msg::Panel(PanelInput::Toggle(Panel::Menu)))}>
                    <span class="cxr-more-label">{ m.text(Key::MoreActions) }</span>
                    <span class="cxr-chevron" aria-hidden="true"></span><span class="cxr-dots" aria-hidden="true">{ "\u{22ef}" }</span>
                </button>
                <div id={self.ids.actions()} class="cxr-actions" onkeydown={closes_on_escape(link, Panel::Menu)}>
                    { button(link, m, Key::Refresh, Some(Key::RefreshTitle), none, None, || Msg::Refresh) }
                    { button(link, m, Key::Print, Some(Key::PrintTitle), no_frame, None, || Msg::Print) }
                    if pdf.is_some() {
                        { button(link, m, if busy { Key::PdfBusy } else { Key::Pdf }, Some(Key::PdfTitle), busy, Some(busy), || Msg::Pdf) }
                    }
                    { button(link, m, Key::NewTab, Some(Key::NewTabTitle), none, None, || Msg::NewTab) }
                    { button(link, m, Key::FullScreen, Some(Key::FullScreenTitle), no_frame, None, || Msg::Fullscreen) }
                </div>
            </div>
        }
    }

    pub(super) fn view_action_error(&self, ctx: &Context<Self>) -> Html {
        match self.ui.action_error() {
            Some(error) => failure(
                ctx.link(),
                Place::Action,
                error,
                &self.messages,
                matches!(error, WidgetError::Pdf(_)).then_some(|| Msg::Pdf),
            ),
            None => html! {},
        }
    }

    pub(super) fn view_status(&self, ctx: &Context<Self>) -> Html {
        let m = &self.messages;
        let stage = self.nav.stage();
        match stage {
            Stage::Opening | Stage::Loading => html! {
                <p class="cxr-progress cxr-overlay" data-stage={if matches!(stage, Stage::Opening) { "nonce" } else { "frame" }}>
                    <span class="cxr-spinner" aria-hidden="true"></span>
                    { self.about(Key::Opening) }
                </p>
            },
            Stage::Failed(error) => {
                failure(ctx.link(), Place::Preview, error, m, Some(|| Msg::Retry))
            }
            Stage::Empty | Stage::Shown => html! {},
        }
    }

    /// The text of `key` about the selected report (opening it, loaded),
    /// with its name.
    fn about(&self, key: Key) -> String {
        let name = self.selected_name().unwrap_or_default();
        self.messages.format(key, &[("name", &name)])
    }

    /// What the live region says: the latest of loading, loaded and failed.
    pub(super) fn announcement(&self) -> String {
        let m = &self.messages;
        if self.effects.catalog.is_some() {
            return String::new();
        }
        if let Some(error) = self.ui.action_error() {
            return describe(error, m);
        }
        match (self.nav.stage(), self.nav.list()) {
            (Stage::Opening | Stage::Loading, _) => self.about(Key::Opening),
            (Stage::Shown, _) => self.about(Key::Loaded),
            (Stage::Failed(error), _) => describe(error, m),
            (Stage::Empty, List::Loading) if self.config.show_picker => {
                m.text(Key::LoadingReports).to_owned()
            }
            (Stage::Empty, List::Failed(error)) => describe(error, m),
            (Stage::Empty, _) => String::new(),
        }
    }
}

/// Where a failure shows: the list, a failed action, the preview.
#[derive(Clone, Copy)]
enum Place {
    List,
    Action,
    Preview,
}

/// A failure as the viewer shows it: a box of its place's classes, its
/// kind in `data-kind`, the text in the widget's language, and a Retry
/// button when `retry` says what trying again sends. One function renders
/// all three places a failure shows.
fn failure(
    link: &Scope<ReportViewer>,
    place: Place,
    error: &WidgetError,
    m: &Messages,
    retry: Option<fn() -> Msg>,
) -> Html {
    let (text, kind) = (describe(error, m), error.kind());
    let retry = match retry {
        Some(msg) => button(link, m, Key::Retry, None, false, None, msg),
        None => Html::default(),
    };
    match place {
        Place::List => html! {
            <div class="cxr-error" data-kind={kind}><p>{ text }</p>{ retry }</div>
        },
        Place::Action => html! {
            <div class="cxr-error cxr-pdf-error" data-kind={kind}><p>{ text }</p>{ retry }</div>
        },
        Place::Preview => html! {
            <div class="cxr-error cxr-overlay" data-kind={kind}><p>{ text }</p>{ retry }</div>
        },
    }
}

/// One plain button of the viewer (an action, a Retry): its text and its
/// title (looked up in `m`), whether it is disabled, its `aria-busy` when it has one, and the message
/// a click sends. One function renders them all, so the bundle carries one
/// copy of a button's rendering rather than one per button.
#[inline(never)]
fn button(
    link: &Scope<ReportViewer>,
    m: &Messages,
    text: Key,
    title: Option<Key>,
    disabled: bool,
    busy: Option<bool>,
    msg: fn() -> Msg,
) -> Html {
    html! {
        <button type="button" class="cxr-button" {disabled} aria-busy={busy.map(true_or_false)}
            onclick={sends(link, msg)} title={title.map(|key| AttrValue::from(m.text(key)))}>{ m.text(text).to_owned() }</button>
    }
}
