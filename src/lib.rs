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
//! - Rust/Yew: [`ReportViewer`] with [`ReportViewerProps`].
//!
//! Data flows one way: options are validated once ([`ViewerConfig`]), the
//! host client fetches lists and nonces, the viewer component keeps the state
//! and renders it, and [`ViewerEvent`]s go back to the host.
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

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

pub use components::head_start::HeadStart;
pub use components::picker::{Picker, PickerProps};
pub use components::viewer::{
    Command, CommandRequest, ReportViewer, ReportViewerProps, ViewerEvent,
};
pub use config::{
    attribute_to_option, is_endpoint, is_secret_like, json_object, validate_cxreports_url,
    ColorScheme, Credentials, JsonValue, NonceSource, RawOptions, RawValue, ViewerConfig,
    JSON_OPTIONS, OPTION_NAMES,
};
pub use embed::mount::{mount, mount_element, ViewerHandle};
pub use error::{ConfigError, HostError, Refusal, WidgetError};
pub use links::{pdf_href, viewer_src};
pub use model::{group_reports, report_name, Group};

/// The crate version, as `CxReports.version` reports it.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
