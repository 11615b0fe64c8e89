//! The widget's errors, one enum per layer, each with a message that tells the
//! reader what to do, and a machine-readable [`WidgetError::kind`] that
//! `cxreports:error` events carry.
use thiserror::Error;

/// A problem with the options the host page gave. Found once, at mount.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// A PAT-like option: the widget never takes a credential.
    #[error(
        "option `{0}` looks like a secret token, and the widget never takes one: a CxReports \
         Personal Access Token must stay on your server. Mint single-use nonces there and give \
         the widget `nonceUrl` (or `fetchNonce`) instead"
    )]
    SecretOption(String),
    /// An option the widget does not know (often a typo).
    #[error("unknown option `{name}`; the options are: {known}")]
    Unknown {
        /// The option as given.
        name: String,
        /// The known options, comma-separated.
        known: String,
    },
    /// A required option is missing or empty.
    #[error("`{0}` is required")]
    Missing(&'static str),
    /// An option has the wrong type.
    #[error("`{name}` must be {expected}")]
    WrongType {
        /// The option.
        name: &'static str,
        /// What it must be, in words.
        expected: &'static str,
    },
    /// `cxreportsUrl` is not an absolute http(s) URL.
    #[error(
        "`cxreportsUrl` must be the absolute http(s) address of your CxReports server, like \
         https://reports.example.com, not \"{0}\""
    )]
    BadCxreportsUrl(String),
    /// An endpoint URL is neither absolute http(s) nor a path on this site.
    #[error("`{name}` must be an http(s) URL or a path on this site like /api/cxreports/nonce, not \"{value}\"")]
    BadEndpoint {
        /// The option.
        name: &'static str,
        /// The value given.
        value: String,
    },
    /// Not exactly one nonce source.
    #[error(
        "give exactly one nonce source: `nonceUrl` (your backend's POST endpoint answering \
         {{\"nonce\": \"...\"}}) or `fetchNonce` (an async function that returns a nonce)"
    )]
    NonceSource,
    /// An option that must hold JSON does not.
    #[error("`{name}` is not valid: {detail}")]
    BadValue {
        /// The option.
        name: &'static str,
        /// What is wrong.
        detail: String,
    },
}

/// A call to the host application's backend (or the host's `fetchNonce`) failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HostError {
    /// No answer at all: offline, refused, CORS, DNS.
    #[error("could not reach {url}: check that the host backend is running and reachable from this page")]
    Network {
        /// The endpoint.
        url: String,
    },
    /// No answer in time.
    #[error("{url} did not answer within {ms} ms")]
    Timeout {
        /// The endpoint.
        url: String,
        /// The time limit.
        ms: u32,
    },
    /// An HTTP error status.
    #[error(
        "{url} answered HTTP {status}{}{}",
        Said(message),
        if *status == 401 { " (not signed in: has your session with this site expired? Sign in again)" } else { "" }
    )]
    Status {
        /// The endpoint.
        url: String,
        /// The status code.
        status: u16,
        /// The backend's `{"error": ...}` message, if it sent one.
        message: Option<String>,
    },
    /// HTML where JSON was expected: typically a login page.
    #[error("{url} answered an HTML page where JSON was expected: has your session with this site expired? Sign in again")]
    Html {
        /// The endpoint.
        url: String,
    },
    /// The body was not JSON, or not of the expected shape.
    #[error("{url} answered something the widget cannot read ({detail})")]
    BadResponse {
        /// The endpoint.
        url: String,
        /// What was wrong.
        detail: String,
    },
    /// The nonce source gave an empty nonce.
    #[error("the nonce source gave no usable nonce: it must answer {{\"nonce\": \"<token>\"}} with a non-empty token")]
    EmptyNonce,
    /// The host's `fetchNonce` function threw or rejected.
    #[error("fetchNonce failed: {0}")]
    Callback(String),
}

impl HostError {
    /// Machine-readable kind, as `cxreports:error` events carry it.
    pub fn kind(&self) -> &'static str {
        match self {
            HostError::Network { .. } => "network",
            HostError::Timeout { .. } => "timeout",
            HostError::Status { .. } => "http",
            HostError::Html { .. } => "html",
            HostError::BadResponse { .. } => "bad-response",
            HostError::EmptyNonce => "empty-nonce",
            HostError::Callback(_) => "fetch-nonce",
        }
    }

    /// Whether trying again soon may help (the retry policy's question).
    pub fn is_transient(&self) -> bool {
        match self {
            HostError::Network { .. } | HostError::Timeout { .. } => true,
            HostError::Status { status, .. } => matches!(status, 408 | 429 | 502 | 503 | 504),
            _ => false,
        }
    }
}

/// What the backend said with an error status, as [`HostError::Status`]
/// shows it: `: ` and the message, or nothing.
struct Said<'a>(&'a Option<String>);

impl std::fmt::Display for Said<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(message) => {
                f.write_str(": ")?;
                f.write_str(message)
            }
            None => Ok(()),
        }
    }
}

/// What the browser refused to do for the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Refusal {
    /// A pop-up blocker stopped the new tab.
    #[error("the browser blocked the new tab: allow pop-ups for this site")]
    NewTab,
    /// The report frame cannot be printed from the page.
    #[error("this browser does not let the page print the report frame: use the PDF button or open the report in a new tab")]
    Print,
}

/// Any failure the widget reports, with what it was doing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WidgetError {
    /// The options are wrong; nothing was loaded.
    #[error("cxreports-widget: {0}")]
    Config(#[from] ConfigError),
    /// Loading the report list failed.
    #[error("The report list could not be loaded: {0}")]
    Reports(HostError),
    /// Loading the report types failed: the list shows, not grouped by type.
    #[error("The report types could not be loaded, so the reports are not grouped by type: {0}")]
    Types(HostError),
    /// Getting a nonce failed.
    #[error("The report could not be opened: {0}")]
    Nonce(HostError),
    /// Downloading the PDF failed.
    #[error("The PDF could not be downloaded: {0}")]
    Pdf(HostError),
    /// The browser refused a new tab or printing.
    #[error("{0}")]
    Popup(Refusal),
    /// The language's catalog could not be loaded; the widget speaks English.
    #[error("The widget's messages in its language could not be loaded, so it shows English: {0}")]
    Catalog(HostError),
    /// The chosen report cannot be addressed.
    #[error("The report \"{0}\" cannot be shown: its id or code cannot form a viewer URL")]
    BadReport(String),
}

impl WidgetError {
    /// Machine-readable kind: `config`, or the [`HostError::kind`] of a host call.
    pub fn kind(&self) -> &'static str {
        match self {
            WidgetError::Config(_) => "config",
            WidgetError::Reports(e)
            | WidgetError::Types(e)
            | WidgetError::Nonce(e)
            | WidgetError::Pdf(e)
            | WidgetError::Catalog(e) => e.kind(),
            WidgetError::BadReport(_) => "bad-report",
            WidgetError::Popup(_) => "browser",
        }
    }

    /// What the widget was doing: `config`, `reports`, `types`, `nonce`,
    /// `pdf`, `catalog` or `report`.
    pub fn stage(&self) -> &'static str {
        match self {
            WidgetError::Config(_) => "config",
            WidgetError::Reports(_) => "reports",
            WidgetError::Types(_) => "types",
            WidgetError::Nonce(_) => "nonce",
            WidgetError::Pdf(_) => "pdf",
            WidgetError::Catalog(_) => "catalog",
            WidgetError::BadReport(_) | WidgetError::Popup(_) => "report",
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_to_do() {
        let e = WidgetError::Nonce(HostError::Html { url: "/n".into() });
        assert_eq!(e.kind(), "html");
        assert!(e.to_string().contains("session with this site expired"));
        let e = HostError::Status {
            url: "/r".into(),
            status: 503,
            message: Some("down".into()),
        };
        assert_eq!(e.to_string(), "/r answered HTTP 503: down");
        assert!(e.is_transient());
        assert!(!HostError::Status {
            url: "/r".into(),
            status: 403,
            message: None
        }
        .is_transient());
        let signed_out = HostError::Status {
            url: "/r".into(),
            status: 401,
            message: Some("sign in".into()),
        };
        assert!(signed_out.to_string().contains("Sign in again"));
        let e = WidgetError::Types(signed_out);
        assert_eq!((e.kind(), e.stage()), ("http", "types"));
        let e = WidgetError::from(ConfigError::SecretOption("apiKey".into()));
        assert_eq!(e.kind(), "config");
        assert!(e.to_string().contains("nonceUrl"));
    }
}
