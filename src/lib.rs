//! # cxreports-widget
//!
//! Shows CxReports reports in any web page: a report picker and an iframe
//! preview authenticated by single-use nonces that the host application's
//! backend mints. The browser never holds a CxReports Personal Access Token;
//! the widget refuses any option that looks like one.
//!
//! Three ways in:
//! - HTML: `<cx-report-viewer cxreports-url=… workspace=… nonce-url=…>` after
//!   importing `cxreports-widget.js` (see the README).
//! - JS: `CxReports.mount(element, options)` returns a handle with `select`,
//!   `setParams`, `refresh`, `print` and `destroy`.
//! - Rust/Yew: [`ReportViewer`] with [`ReportViewerProps`], configured by
//!   [`ViewerConfig::builder`] (typed setters, the same checks as the JS
//!   options), optionally started early with [`HeadStart`].
//!
//! Data flows one way: options are validated once ([`ViewerConfig`]), the
//! host client fetches lists and nonces, the viewer component keeps the state
//! and renders it, and [`ViewerEvent`]s go back to the host.
//!
//! Every option and event is declared once, in the widget's surface table;
//! the JS loader's lists and the TypeScript declarations are rendered from
//! it. Languages other than English are loaded by the function the loader
//! hands to [`i18n::set_catalog_loader`] (`setCatalogLoader` in JS).
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

// SAFETY: the widget's WebAssembly runs on one thread (no wasm threads, no
// shared memory), which `TalckWasm`'s lock-free arena assumes.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };

mod components;
mod config;
mod dom;
mod embed;
mod error;
mod host;
pub mod i18n;
mod links;
mod model;
mod navigator;
mod rows;
mod site;

pub use components::head_start::HeadStart;
pub use components::picker::{Picker, PickerProps};
pub use components::viewer::{
    Command, CommandRequest, ReportViewer, ReportViewerProps, ViewerEvent,
};
pub use config::{
    ColorScheme, ConfigBuilder, Credentials, FirstRequests, JsonValue, NonceSource, RawOptions,
    RawValue, ViewerConfig,
};
/// The contract's types the configuration and the events speak in: a
/// report reference, a listed report, how params ride in the URL, the
/// preview query.
pub use cxreports_contract::{model::Report, ParamsEncoding, PreviewQuery, ReportRef};
pub use embed::mount::{mount, ViewerHandle};
pub use error::{ConfigError, HostError, Refusal, WidgetError};
pub use navigator::Reopen;
pub use site::Warning;

/// What a Yew host uses, in one import.
///
/// ```no_run
/// use std::rc::Rc;
/// use cxreports_widget::prelude::*;
/// use yew::prelude::*;
///
/// #[function_component]
/// fn Reports() -> Html {
///     let config = ViewerConfig::builder("https://reports.example.com", "sales")
///         .nonce_url("/api/cxreports/nonce")
///         .reports_url("/api/cxreports/reports")
///         .report(ReportRef::TypeCode("invoice".into()))
///         .build();
///     let on_event = Callback::from(|event: ViewerEvent| {
///         if let ViewerEvent::Error(error) = event {
///             web_sys::console::warn_1(&error.to_string().into());
///         }
///     });
///     match config {
///         Ok(config) => html! { <ReportViewer config={Rc::new(config)} {on_event} /> },
///         Err(e) => html! { <p>{ e.to_string() }</p> },
///     }
/// }
/// ```
pub mod prelude {
    pub use crate::{
        Command, CommandRequest, ConfigBuilder, ConfigError, HeadStart, RawValue, ReportRef,
        ReportViewer, ReportViewerProps, ViewerConfig, ViewerEvent, WidgetError,
    };
}

/// The validation and URL internals the fuzzers and the project's own tests
/// reach: not part of the API, and free to change.
#[doc(hidden)]
pub mod internals {
    pub use crate::config::{
        attribute_to_option, is_endpoint, is_endpoint_char, is_secret_like, is_server_url_char,
        json_object, validate_cxreports_url, EventSpec, Kind, OptionSpec, ABSOLUTE_STARTS,
        ELEMENT_ATTRIBUTES, ELEMENT_ATTRIBUTE_PREFIXES, ENDPOINT_OPTIONS, ERROR_KINDS,
        ERROR_STAGES, EVENTS, JSON_OPTIONS, OPTIONS, OPTION_NAMES, PATH_STARTS, WARNING_KINDS,
    };
    pub use crate::embed::mount::{mount_adopting, mount_element, mount_in_place};
    pub use crate::embed::options::is_element_attribute;
    pub use crate::host::early::{is_same_request, RequestLine};
    pub use crate::host::headers::{widget_headers, ACCEPT_JSON};
    pub use crate::links::{pdf_href, viewer_src};
    pub use crate::model::{group_reports, report_name, Group};
}

/// The crate version, as `CxReports.version` reports it.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
