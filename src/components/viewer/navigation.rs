//! Carrying out the navigator's decisions: requests, timers and tabs. The
//! navigator decides; this is the only place its decisions touch the
//! browser.
use cxreports_contract::model::Report;
use gloo_timers::callback::Timeout;
use wasm_bindgen::JsValue;
use yew::prelude::*;

use super::effects::{spawn, Pending};
use super::{Msg, ReportViewer, ViewerEvent};
use crate::dom::preconnect;
use crate::host::fetch_nonce;
use crate::navigator::{Decision, Input};

impl ReportViewer {
    /// Feeds `input` to the navigator and carries out what it decides.
    pub(super) fn drive(&mut self, ctx: &Context<Self>, input: Input) {
        let decisions = self.nav.on(input, js_sys::Date::now());
        self.carry_out_all(ctx, decisions);
    }

    /// Carries out the navigator's `decisions`, and what they cause.
    pub(super) fn carry_out_all(&mut self, ctx: &Context<Self>, decisions: Vec<Decision>) {
        let mut pending = decisions;
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
        let effects = &mut self.effects;
        match decision {
            Decision::FetchList => {
                if let Some(url) = &self.config.reports_url {
                    // Boxed like the head start's requests, so theirs and
                    // these arrive through one copy of the delivering code.
                    effects.list = spawn(
                        ctx,
                        &self.client,
                        |c, s| -> Pending<Vec<Report>> {
                            Box::pin(c.get_list_shared(url, None, s))
                        },
                        Msg::Reports,
                    );
                }
                self.load_types(ctx);
            }
            Decision::AbortList => effects.list = None,
            Decision::FetchNonce => {
                let source = &self.config.nonce;
                effects.nonce = spawn(
                    ctx,
                    &self.client,
                    |c, s| -> Pending<String> { Box::pin(fetch_nonce(source, c, s)) },
                    Msg::Nonce,
                );
                preconnect(&self.config.cxreports_origin());
            }
            Decision::AbortNonce => effects.nonce = None,
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
                if let Some(old) = effects.waiting_tab.replace(tab) {
                    let _ = old.close();
                }
            }
            Decision::PointTab(url) => {
                if let Some(tab) = effects.waiting_tab.take() {
                    let _ = tab.location().set_href(&url);
                }
            }
            Decision::CloseTab => {
                if let Some(tab) = effects.waiting_tab.take() {
                    let _ = tab.close();
                }
            }
            Decision::StartRefill => {
                let link = ctx.link().clone();
                effects.refill = Some(Timeout::new(0, move || link.send_message(Msg::Refill)));
            }
            Decision::CancelRefill => effects.refill = None,
            Decision::Selected(report) => {
                // A failed action belonged to the report shown before.
                self.ui.clear_action_error();
                self.emit(ctx, ViewerEvent::Select(report));
            }
            Decision::ActionFailed(error) => self.fail_action(ctx, error),
            Decision::Failed(error) => self.emit(ctx, ViewerEvent::Error(error)),
            Decision::Reopened(report, reason) => {
                self.emit(ctx, ViewerEvent::Reopen { report, reason })
            }
            Decision::Loaded(report) => {
                let name = self.name_of(&report).map(str::to_owned);
                self.emit(ctx, ViewerEvent::Load { report, name });
            }
        }
        None
    }
}
