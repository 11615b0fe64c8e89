//! `mount()`, `mountElement()` and the handle they return.
use std::rc::Rc;

use cxreports_contract::ReportRef;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CssStyleSheet, Element, ShadowRoot, ShadowRootInit, ShadowRootMode};
use yew::Callback;

use crate::components::head_start::HeadStart;
use crate::components::viewer::{Command, CommandRequest, ReportViewerProps, ViewerEvent};
use crate::config::{json_object, whole_number, ViewerConfig};
use crate::dom::language_for;
use crate::embed::events::{dispatch_later, dispatch_while, Alive};
use crate::embed::options;
use crate::embed::pool::{next_mount, Root};
use crate::error::{ConfigError, WidgetError};
use crate::host::EarlyStart;
use crate::i18n::Language;

/// The widget's CSS, `src/style.css` minified by `build.rs`.
const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/style.min.css"));

/// A mounted widget, as JS holds it.
#[wasm_bindgen]
pub struct ViewerHandle {
    alive: Alive,
    root: Option<Root>,
    mount: u64,
    props: Option<(Rc<ViewerConfig>, Callback<ViewerEvent>, HeadStart, Language)>,
    seq: u64,
    shadow: Option<ShadowRoot>,
    parts: Vec<Element>,
}

/// Mounts the widget into `element` (inside a shadow root, so the page's CSS
/// stays out and the widget's stays in).
///
/// Throws an `Error` whose message says what is wrong when the options are
/// invalid, including any option that looks like a secret token.
///
/// ```js
/// const viewer = CxReports.mount(document.getElementById("reports"), {
///   cxreportsUrl: "https://reports.example.com",
///   workspace: "sales",
///   nonceUrl: "/api/cxreports/nonce",
///   reportsUrl: "/api/cxreports/reports",
/// });
/// viewer.select(42);
/// ```
pub fn mount(element: JsValue, options: JsValue) -> Result<ViewerHandle, JsError> {
    mount_adopting(element, options, JsValue::UNDEFINED)
}

/// [`mount`] as the loader calls it: `early` is what it already sent for
/// these options (see `src/host/early.rs`), `undefined` for nothing.
#[wasm_bindgen(js_name = mount)]
pub fn mount_adopting(
    element: JsValue,
    options: JsValue,
    early: JsValue,
) -> Result<ViewerHandle, JsError> {
    let early = EarlyStart::from_js(&early);
    let element: Element = element.dyn_into().map_err(|_| {
        JsError::new("cxreports-widget: mount() needs a DOM element as its first argument")
    })?;
    let config = options::from_object(&options)
        .and_then(ViewerConfig::from_raw)
        .map_err(|e| JsError::new(&WidgetError::Config(e).to_string()))?;
    Ok(ViewerHandle::start(element, config, early))
}

/// [`mount`] for a `mount()` call the loader took before the WebAssembly
/// was ready, when it could no longer throw: invalid options are shown in
/// place and reported by a `cxreports:error` event, as the element does.
#[wasm_bindgen(js_name = mountInPlace)]
pub fn mount_in_place(element: Element, options: JsValue, early: JsValue) -> ViewerHandle {
    let early = EarlyStart::from_js(&early);
    let config = options::from_object(&options).and_then(ViewerConfig::from_raw);
    ViewerHandle::start_or_fail(element, config, early)
}

/// Mounts the widget into a `<cx-report-viewer>`-style element, reading its
/// attributes and then `properties` (an object of options set as the
/// element's properties, which win over attributes; `undefined` for none).
/// Never throws: invalid options are shown in place and reported by a
/// `cxreports:error` event. `early` as for [`mount`].
#[wasm_bindgen(js_name = mountElement)]
pub fn mount_element(element: Element, properties: JsValue, early: JsValue) -> ViewerHandle {
    let early = EarlyStart::from_js(&early);
    let mut raw = options::from_attributes(&element);
    let given = if properties.is_undefined() || properties.is_null() {
        Ok(Vec::new())
    } else {
        options::from_object(&properties)
    };
    let config = given.and_then(|given| {
        raw.extend(given);
        ViewerConfig::from_raw(raw)
    });
    ViewerHandle::start_or_fail(element, config, early)
}

thread_local! {
    /// One parsed copy of the widget's CSS, shared by every widget on the page.
    static BASE_SHEET: Option<CssStyleSheet> = {
        let sheet = CssStyleSheet::new().ok();
        sheet.filter(|s| s.replace_sync(STYLE).is_ok())
    };
}

/// Styles the shadow root through constructed style sheets: no `<style>`
/// element and no `style` attribute, so a host page's strict CSP
/// (`style-src` without `'unsafe-inline'`) does not block them.
fn adopt_styles(shadow: &ShadowRoot, height: Option<&str>) {
    let sheets = js_sys::Array::new();
    if let Some(base) = BASE_SHEET.with(Clone::clone) {
        sheets.push(&base);
    }
    if let Some(height) = height {
        // `height` was checked at validation to hold no `;`, `{` or `}`.
        if let Ok(own) = CssStyleSheet::new() {
            if own
                .replace_sync(&format!(".cxr {{ height: {height}; }}"))
                .is_ok()
            {
                sheets.push(&own);
            }
        }
    }
    shadow.set_adopted_style_sheets(&sheets);
}

fn shadow_of(element: &Element) -> Option<ShadowRoot> {
    element.shadow_root().or_else(|| {
        element
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .ok()
    })
}

fn append(parent: &ShadowRoot, tag: &str) -> Option<Element> {
    let element = parent.owner_document()?.create_element(tag).ok()?;
    parent.append_child(&element).ok()?;
    Some(element)
}

impl ViewerHandle {
    /// Starts the widget with valid options (`early` as for [`mount`]), or
    /// shows and reports why they are not.
    fn start_or_fail(
        element: Element,
        config: Result<ViewerConfig, ConfigError>,
        early: EarlyStart,
    ) -> Self {
        match config {
            Ok(config) => Self::start(element, config, early),
            Err(error) => Self::failed(element, error),
        }
    }

    fn start(element: Element, config: ViewerConfig, early: EarlyStart) -> Self {
        // The first requests leave (or those the loader sent are taken
        // over) before anything else is set up.
        let head_start = HeadStart::begin_adopting(&config, early);
        let Some(shadow) = shadow_of(&element) else {
            // Reported as invalid options are: the element cannot hold the
            // message either, so only the event tells.
            let error = ConfigError::BadValue {
                name: "element",
                detail: "it cannot hold a shadow root (use a <div> or <cx-report-viewer>)".into(),
            };
            return Self::failed(element, error);
        };
        adopt_styles(&shadow, Some(&config.height));
        let language = language_for(&config, Some(&element));
        let alive = Alive::new();
        let on_event = Callback::from({
            let (host, alive) = (element.clone(), alive.clone());
            move |event: ViewerEvent| dispatch_while(&alive, &host, &event)
        });
        let config = Rc::new(config);
        let mount = next_mount();
        let root = shadow
            .owner_document()
            .and_then(|document| Root::take(&document));
        let root = root.filter(|root| shadow.append_child(root.element()).is_ok());
        let mut handle = ViewerHandle {
            alive,
            root,
            mount,
            props: Some((config, on_event, head_start, language)),
            seq: 0,
            shadow: Some(shadow),
            parts: Vec::new(),
        };
        handle.show(None);
        handle
    }

    fn failed(element: Element, error: ConfigError) -> Self {
        let error = WidgetError::Config(error);
        let mut parts = Vec::new();
        let shadow = shadow_of(&element);
        if let Some(shadow) = &shadow {
            adopt_styles(shadow, None);
            if let Some(message) = append(shadow, "div") {
                let _ = message.set_attribute("class", "cxr-error cxr-config-error");
                let _ = message.set_attribute("role", "alert");
                let _ = message.set_attribute("data-kind", error.kind());
                message.set_text_content(Some(&error.to_string()));
                parts.push(message);
            }
        }
        dispatch_later(&element, &ViewerEvent::Error(error));
        ViewerHandle {
            alive: Alive::default(),
            root: None,
            mount: 0,
            props: None,
            seq: 0,
            shadow,
            parts,
        }
    }

    fn send(&mut self, command: Command) {
        self.show(Some(command));
    }

    /// Renders the viewer with the widget's props, and `command` (numbered
    /// in turn) when there is one.
    fn show(&mut self, command: Option<Command>) {
        let (Some(root), Some((config, on_event, head_start, language))) =
            (self.root.as_mut(), &self.props)
        else {
            return;
        };
        let command = command.map(|command| {
            self.seq += 1;
            CommandRequest {
                seq: self.seq,
                command,
            }
        });
        root.show(
            self.mount,
            ReportViewerProps {
                config: config.clone(),
                command,
                on_event: on_event.clone(),
                head_start: head_start.clone(),
                language: Some(language.clone()),
            },
        );
    }
}

#[wasm_bindgen]
impl ViewerHandle {
    /// Shows a report: a numeric id, or a report-type code for that type's
    /// default report.
    pub fn select(&mut self, report: JsValue) -> Result<(), JsError> {
        let text = report
            .as_string()
            .or_else(|| {
                report
                    .as_f64()
                    .and_then(whole_number)
                    .map(|n| n.to_string())
            })
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                JsError::new("select() takes a report id (number) or a report-type code (string)")
            })?;
        self.send(Command::Select(ReportRef::parse(&text)));
        Ok(())
    }

    /// Replaces the report parameters (an object, or `null` for none) and
    /// reloads the report with a fresh nonce.
    #[wasm_bindgen(js_name = setParams)]
    pub fn set_params(&mut self, params: JsValue) -> Result<(), JsError> {
        let params = json_object("params", Some(&options::option_value("params", &params)))
            .map_err(|e| JsError::new(&e.to_string()))?;
        self.send(Command::SetParams(params));
        Ok(())
    }

    /// Reloads the current report with a fresh nonce.
    pub fn refresh(&mut self) {
        self.send(Command::Refresh);
    }

    /// Prints the current report.
    pub fn print(&mut self) {
        self.send(Command::Print);
    }

    /// Removes the widget: its DOM, listeners, timers and requests.
    pub fn destroy(&mut self) {
        self.alive.end();
        if let Some(root) = self.root.take() {
            root.release();
        }
        self.props = None;
        for part in self.parts.drain(..) {
            part.remove();
        }
        if let Some(shadow) = self.shadow.take() {
            shadow.set_adopted_style_sheets(&js_sys::Array::new());
        }
    }
}

impl Drop for ViewerHandle {
    /// A handle freed from JS without `destroy()` still cleans up.
    fn drop(&mut self) {
        self.destroy();
    }
}
