//! What a host exchanges with the viewer: its props, the commands it gives
//! and the events it hears.
use std::rc::Rc;

use cxreports_contract::ReportRef;
use yew::prelude::*;

use crate::components::head_start::HeadStart;
use crate::config::ViewerConfig;
use crate::error::WidgetError;
use crate::i18n::Language;
use crate::navigator::Reopen;
use crate::site::Warning;

/// What the widget tells its host. The JS front end turns each into a DOM
/// `CustomEvent` (`cxreports:ready`, `:select`, `:load`, `:reopen`,
/// `:error`, `:warning`).
#[derive(Debug, Clone, PartialEq)]
pub enum ViewerEvent {
    /// Mounted and configured.
    Ready,
    /// A report was chosen (by the picker or the host).
    Select(ReportRef),
    /// The viewer page for the report finished loading in the iframe.
    Load {
        /// The report.
        report: ReportRef,
        /// Its name, when known.
        name: Option<String>,
    },
    /// Something failed; the widget shows it too.
    Error(WidgetError),
    /// The widget works, but something in how it is deployed will fail
    /// some readers (said once per page, also on the console).
    Warning(Warning),
    /// The widget opens the current report again by itself, with a fresh
    /// nonce, for `reason`.
    Reopen {
        /// The report.
        report: ReportRef,
        /// Why.
        reason: Reopen,
    },
}

/// An instruction from the host (the JS handle, or a Rust parent).
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Show this report.
    Select(ReportRef),
    /// Replace the report parameters (JSON object text, or none) and reload.
    SetParams(Option<String>),
    /// Reload the current report with a fresh nonce.
    Refresh,
    /// Print the current report.
    Print,
}

/// A [`Command`] with a sequence number: each new number is carried out once.
#[derive(Debug, Clone, PartialEq)]
pub struct CommandRequest {
    /// Increases with each command.
    pub seq: u64,
    /// The command.
    pub command: Command,
}

/// Props of [`ReportViewer`](super::ReportViewer).
#[derive(Properties, PartialEq, Clone)]
pub struct ReportViewerProps {
    /// Validated options (see [`ViewerConfig::from_raw`]). Required.
    pub config: Rc<ViewerConfig>,
    /// Optional: the latest host command; default none.
    #[prop_or_default]
    pub command: Option<CommandRequest>,
    /// Optional: receives every [`ViewerEvent`]; default ignores them.
    #[prop_or_default]
    pub on_event: Callback<ViewerEvent>,
    /// Optional: the first requests, already started for this `config` by
    /// [`HeadStart::begin`]; the viewer adopts them instead of starting its
    /// own. Default: the viewer starts them when it is created.
    #[prop_or_default]
    pub head_start: HeadStart,
    /// Optional: the language to speak. Default: negotiated from the
    /// `locale` and `lang` options, the page's `lang` and the browser's
    /// languages (see [`Language::negotiate`]).
    #[prop_or_default]
    pub language: Option<Language>,
}
