//! The report viewer's print protocol: the parent asks the viewer in the
//! frame to print by posting it "print"; the viewer answers "print", and the
//! parent prints the frame. Only the widget's own frame, from the CxReports
//! origin, is listened to.
use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlIFrameElement;
use yew::prelude::*;

use super::adopted::Adopted;
use super::{Msg, ReportViewer};
use crate::error::{Refusal, WidgetError};

impl ReportViewer {
    /// Listens for the frame's "print" answers, for as long as the returned
    /// listener lives.
    pub(super) fn listen_for_print(&self, ctx: &Context<Self>) -> Option<EventListener> {
        let window = web_sys::window()?;
        let (frame, adopted, origin, link) = (
            self.frame.clone(),
            self.adopted.clone(),
            self.config.cxreports_origin(),
            ctx.link().clone(),
        );
        Some(EventListener::new(&window, "message", move |event| {
            let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else {
                return;
            };
            let from_frame = current_frame(&frame, &adopted)
                .and_then(|f| f.content_window())
                .zip(event.source())
                .is_some_and(|(w, source)| js_sys::Object::is(&w, &source));
            if from_frame
                && event.origin() == origin
                && event.data().as_string().as_deref() == Some("print")
            {
                link.send_message(Msg::ViewerAsksToPrint);
            }
        }))
    }

    fn frame_window(&self) -> Option<web_sys::Window> {
        current_frame(&self.frame, &self.adopted).and_then(|f| f.content_window())
    }

    /// Asks the viewer in the frame to print.
    pub(super) fn print(&self) {
        if let Some(window) = self.frame_window() {
            let _ =
                window.post_message(&JsValue::from_str("print"), &self.config.cxreports_origin());
        }
    }

    /// Prints the frame, as the viewer asked; a browser that refuses is
    /// shown as a failed action.
    pub(super) fn print_frame(&mut self, ctx: &Context<Self>) {
        let Some(window) = self.frame_window() else {
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
}

/// The report frame now: the adopted one while there is one, else the
/// view's own.
fn current_frame(
    frame: &NodeRef,
    adopted: &Rc<RefCell<Option<Adopted>>>,
) -> Option<HtmlIFrameElement> {
    let adopted = adopted.borrow().as_ref().map(|a| a.element().clone());
    adopted.or_else(|| frame.cast::<HtmlIFrameElement>())
}
