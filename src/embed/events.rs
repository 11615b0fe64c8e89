//! [`ViewerEvent`]s become DOM `CustomEvent`s on the host element:
//! `cxreports:ready`, `cxreports:select`, `cxreports:load`,
//! `cxreports:reopen`, `cxreports:error`, `cxreports:warning`.
//! They bubble and cross the shadow boundary, and are dispatched after the
//! current script finishes, so listeners added right after `mount()` see them.
use cxreports_contract::ReportRef;
use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, Element};

use crate::components::viewer::ViewerEvent;
use crate::error::WidgetError;
use crate::site::Warning;

/// The DOM event name and `detail` of a widget event.
pub fn to_dom(event: &ViewerEvent) -> (&'static str, JsValue) {
    let detail = js_sys::Object::new();
    let set = |key: &str, value: JsValue| put(&detail, key, &value);
    match event {
        ViewerEvent::Ready => {}
        ViewerEvent::Select(report) => set("report", report_value(report)),
        ViewerEvent::Load { report, name } => {
            set("report", report_value(report));
            set(
                "name",
                name.as_deref()
                    .map(JsValue::from_str)
                    .unwrap_or(JsValue::NULL),
            );
        }
        ViewerEvent::Error(error) => set_error(&detail, error),
        ViewerEvent::Warning(warning) => set_warning(&detail, warning),
        ViewerEvent::Reopen { report, reason } => {
            set("report", report_value(report));
            set("reason", JsValue::from_str(reason.as_str()));
        }
    }
    (dom_name(event), detail.into())
}

/// The DOM event type of a widget event (one of the surface table's
/// [`EVENTS`](crate::config::EVENTS)).
pub fn dom_name(event: &ViewerEvent) -> &'static str {
    match event {
        ViewerEvent::Ready => "cxreports:ready",
        ViewerEvent::Select(_) => "cxreports:select",
        ViewerEvent::Load { .. } => "cxreports:load",
        ViewerEvent::Error(_) => "cxreports:error",
        ViewerEvent::Warning(_) => "cxreports:warning",
        ViewerEvent::Reopen { .. } => "cxreports:reopen",
    }
}

/// Sets `detail[key]` to `value`.
fn put(detail: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(detail, &JsValue::from_str(key), value);
}

/// Sets `detail[key]` to the string `value`.
fn put_str(detail: &js_sys::Object, key: &str, value: &str) {
    put(detail, key, &JsValue::from_str(value));
}

fn set_error(detail: &js_sys::Object, error: &WidgetError) {
    put_str(detail, "kind", error.kind());
    put_str(detail, "stage", error.stage());
    put_str(detail, "message", &error.to_string());
}

fn set_warning(detail: &js_sys::Object, warning: &Warning) {
    let Warning::CrossSite {
        cxreports_origin, ..
    } = warning;
    put_str(detail, "kind", warning.kind());
    put_str(detail, "message", &warning.to_string());
    put_str(detail, "cxreportsOrigin", cxreports_origin);
}

/// A report as JS sees it: a number for an id, a string for a type code.
pub fn report_value(report: &ReportRef) -> JsValue {
    match report {
        ReportRef::Id(id) => JsValue::from_f64(*id as f64),
        ReportRef::TypeCode(code) => JsValue::from_str(code),
    }
}

/// Whether a widget is still mounted: once `destroy()` clears it, the widget
/// announces nothing more, even what was already on its way.
#[derive(Clone, Default)]
pub struct Alive(std::rc::Rc<std::cell::Cell<bool>>);

impl Alive {
    /// A live widget.
    pub fn new() -> Self {
        Alive(std::rc::Rc::new(std::cell::Cell::new(true)))
    }

    /// The widget is destroyed.
    pub fn end(&self) {
        self.0.set(false);
    }

    fn get(&self) -> bool {
        self.0.get()
    }
}

/// Dispatches `event` on `target` once the current script has run, if the
/// widget is still alive then.
pub fn dispatch_while(alive: &Alive, target: &Element, event: &ViewerEvent) {
    if !alive.get() {
        return;
    }
    let (name, detail) = to_dom(event);
    let (target, alive) = (target.clone(), alive.clone());
    wasm_bindgen_futures::spawn_local(async move {
        if !alive.get() {
            return;
        }
        let init = CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&detail);
        if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
            let _ = target.dispatch_event(&event);
        }
    });
}

/// Dispatches `event` on `target` once the current script has run.
pub fn dispatch_later(target: &Element, event: &ViewerEvent) {
    dispatch_while(&Alive::new(), target, event);
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::collections::BTreeSet;

    use cxreports_contract::ReportRef;

    use super::*;
    use crate::config::EVENTS;
    use crate::error::ConfigError;

    #[test]
    fn every_event_is_declared_and_every_declared_one_is_sent() {
        let sent: BTreeSet<&str> = [
            ViewerEvent::Ready,
            ViewerEvent::Select(ReportRef::Id(1)),
            ViewerEvent::Load {
                report: ReportRef::Id(1),
                name: None,
            },
            ViewerEvent::Error(WidgetError::Config(ConfigError::NonceSource)),
            ViewerEvent::Warning(Warning::CrossSite {
                page_origin: "http://localhost".into(),
                cxreports_origin: "http://127.0.0.1".into(),
            }),
            ViewerEvent::Reopen {
                report: ReportRef::Id(1),
                reason: crate::navigator::Reopen::SessionStale,
            },
        ]
        .iter()
        .map(dom_name)
        .collect();
        let declared: BTreeSet<&str> = EVENTS.iter().map(|e| e.name).collect();
        assert_eq!(sent, declared);
    }
}
