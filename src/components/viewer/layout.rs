//! The viewer's root element: the report switcher and its panel, the
//! toolbar, the stage with the frame, and the live region; and where focus
//! lands in it.
use wasm_bindgen::JsCast;
use yew::html::Scope;
use yew::prelude::*;

use super::ui::{Focus, Panel, PanelInput};
use super::{Msg, ReportViewer};
use crate::config::ColorScheme;
use crate::i18n::Key;
use crate::navigator::Stage;

impl ReportViewer {
    /// The whole widget as it renders now.
    pub(super) fn layout(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let config = &self.config;
        let m = &self.messages;
        let scheme = match config.color_scheme {
            ColorScheme::Light => None,
            scheme => Some(AttrValue::Static(scheme.as_str())),
        };
        let on = |flag: bool| flag.then_some(AttrValue::Static("true"));
        let pending = self.effects.catalog.is_some();
        let frame = self.nav.frame();
        let generation = frame.map_or(self.nav.generation(), |(_, g)| g);
        let switcher_open = self.ui.is_open(Panel::Switcher);
        html! {
            <div class="cxr" ref={self.root.clone()} lang={AttrValue::from(self.language.tag())} dir={self.language.dir()}
                data-scheme={scheme} data-pending={on(pending)} aria-busy={on(pending)}
                data-switcher={on(switcher_open)} data-menu={on(self.ui.is_open(Panel::Menu))}>
                if config.show_picker {
                    <div class="cxr-nav">
                        <button type="button" class="cxr-button cxr-switcher" aria-expanded={true_or_false(switcher_open)}
                            aria-controls={self.ids.side()} onclick={sends(link, || Msg::Panel(PanelInput::Toggle(Panel::Switcher)))}>
                            <span class="cxr-switcher-label">{ m.text(Key::Reports) }</span>
                            <span class="cxr-switcher-name">{ self.selected_name().unwrap_or_else(|| m.text(Key::ChooseReport).to_owned()) }</span>
                            <span class="cxr-chevron" aria-hidden="true"></span>
                        </button>
                        <aside id={self.ids.side()} class="cxr-side" aria-label={AttrValue::from(m.text(Key::Reports))} onkeydown={closes_on_escape(link, Panel::Switcher)}>
                            <button type="button" class="cxr-button cxr-close" onclick={sends(link, || Msg::Panel(PanelInput::Close(Panel::Switcher)))}>{ m.text(Key::Close) }</button>
                            { self.view_list(ctx) }
                        </aside>
                    </div>
                }
                <section class="cxr-main" aria-label={AttrValue::from(m.text(Key::PreviewLabel))}>
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
                        // A load belongs to the navigation whose address the
                        // frame has.
                        // Each navigation after the first gets a frame of its
                        // own: the page's history stays the host's (see
                        // `Navigator::frame_key`).
                        // A widget without its picker waits for its frame's
                        // address instead: a dashboard's widgets would
                        // otherwise create all their frames in the one task
                        // that mounts them, before any can show its report.
                        // The loader's frame, when adopted, goes into an empty
                        // slot: Yew never inserts it, which would load it again.
                        if self.nav.adopted() {
                            <div class="cxr-slot" ref={self.slot.clone()}></div>
                        } else if frame.is_some() || config.show_picker {
                            <iframe key={self.nav.frame_key()} ref={self.frame.clone()} class="cxr-frame" src={frame.map(|(src, _)| AttrValue::from(src))}
                                hidden={frame.is_none()}
                                title={self.title()}
                                allow="fullscreen"
                                referrerpolicy="no-referrer"
                                onload={link.callback(move |_| Msg::FrameLoaded(generation))} />
                        }
                        if frame.is_none() && matches!(self.nav.stage(), Stage::Empty) {
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

    /// Moves focus to `focus`, inside this viewer only.
    pub(super) fn apply_focus(&self, focus: Focus) {
        let selector = match focus {
            Focus::Search => format!("#{}", self.ids.search()),
            Focus::Switcher => ".cxr-switcher".to_owned(),
            Focus::FirstAction => ".cxr-actions .cxr-button:not([disabled])".to_owned(),
            Focus::More => ".cxr-more".to_owned(),
        };
        let target = self
            .root
            .cast::<web_sys::Element>()
            .and_then(|root| root.query_selector(&selector).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(target) = target {
            let _ = target.focus();
        }
    }
}

/// A state attribute that is always there (a panel button's
/// `aria-expanded`, a busy button's `aria-busy`): "true" or "false".
pub(super) fn true_or_false(value: bool) -> AttrValue {
    AttrValue::Static(if value { "true" } else { "false" })
}

/// A click that sends `msg`: every button of the viewer (an action, a
/// Retry, a panel's button) takes its click from here.
pub(super) fn sends(link: &Scope<ReportViewer>, msg: fn() -> Msg) -> Callback<MouseEvent> {
    link.callback(move |_| msg())
}

/// Escape inside `panel` closes it; other keys do nothing.
pub(super) fn closes_on_escape(
    link: &Scope<ReportViewer>,
    panel: Panel,
) -> Callback<KeyboardEvent> {
    link.batch_callback(move |e: KeyboardEvent| {
        (e.key() == "Escape").then_some(Msg::Panel(PanelInput::Close(panel)))
    })
}
