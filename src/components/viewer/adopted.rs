//! The report frame the loader opened with the first nonce before the
//! widget was ready (see `src/host/early.rs`), once the navigator has
//! adopted it: moved into the empty slot the stage keeps for it with
//! `moveBefore`, which keeps a frame loaded where any other insertion
//! would load it again (and moved without a layout box: see
//! [`Adopted::place`]), and its `load` reported as the view's own frame's
//! is. Yew never renders it, so never moves it; dropped, it is removed.
use gloo_events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlIFrameElement};
use yew::prelude::*;

use super::{Msg, ReportViewer};
use crate::host::EarlyFrame;

/// The loader's frame, the widget's from now on.
pub(super) struct Adopted {
    element: HtmlIFrameElement,
    placed: bool,
    _load: Option<EventListener>,
}

impl Adopted {
    /// Takes `frame` as the frame of navigation `generation`: its load
    /// (already fired, or to come) reaches the viewer as
    /// [`Msg::FrameLoaded`].
    pub(super) fn new(
        ctx: &Context<ReportViewer>,
        frame: EarlyFrame,
        generation: u64,
    ) -> Option<Self> {
        let loaded = frame.loaded();
        let element = frame.take()?;
        let link = ctx.link().clone();
        let load = if loaded {
            link.send_message(Msg::FrameLoaded(generation));
            None
        } else {
            Some(EventListener::once(&element, "load", move |_| {
                link.send_message(Msg::FrameLoaded(generation))
            }))
        };
        Some(Adopted {
            element,
            placed: false,
            _load: load,
        })
    }

    /// The frame element.
    pub(super) fn element(&self) -> &HtmlIFrameElement {
        &self.element
    }

    /// Moves the frame into `slot`, once; whether it is there. A browser
    /// without `moveBefore` never gets here (the loader opens no frame
    /// there), and one that refuses leaves it unplaced.
    ///
    /// The frame moves without a layout box: hidden, its style brought up
    /// to date (which drops the box), moved, then shown, when it gets a box
    /// of its new place. Chromium's renderer crashes when a frame that has
    /// a box moves into a size container already laid out (`.cxr-main`, a
    /// container for the toolbar's queries: in nearly every such move,
    /// measured on Chromium 156); a frame without a box has not crashed it
    /// in any move measured. The frame stays loaded either way (a hidden
    /// frame keeps its page).
    pub(super) fn place(&mut self, slot: &Element) -> bool {
        if !self.placed {
            let move_before = js_sys::Reflect::get(slot, &JsValue::from_str("moveBefore"))
                .ok()
                .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
            if let Some(move_before) = move_before {
                let hidden = self.element.hidden();
                self.element.set_hidden(true);
                // Reading a layout value applies the pending styles now.
                let _ = self.element.offset_width();
                self.placed = move_before
                    .call2(slot, &self.element, &JsValue::NULL)
                    .is_ok();
                self.element.set_hidden(hidden);
            }
        }
        self.placed
    }
}

impl Drop for Adopted {
    fn drop(&mut self) {
        self.element.remove();
    }
}
