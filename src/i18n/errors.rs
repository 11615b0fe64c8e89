//! What an end user reads when something fails: each [`WidgetError`] told in
//! the widget's language. The English `Display` of the errors stays what
//! events and the console carry, for the host's developers.
use crate::error::{HostError, Refusal, WidgetError};
use crate::i18n::messages::{Key, Messages};

/// The error as the widget shows and announces it.
///
/// ```
/// use cxreports_widget::i18n::{describe, Messages};
/// use cxreports_widget::{HostError, WidgetError};
/// let error = WidgetError::Nonce(HostError::Timeout { url: "/api/nonce".into(), ms: 15000 });
/// assert_eq!(
///     describe(&error, &Messages::english()),
///     "The report could not be opened: /api/nonce did not answer within 15 s. Try again in a moment."
/// );
/// ```
pub fn describe(error: &WidgetError, m: &Messages) -> String {
    let (key, host) = match error {
        // Option mistakes are the host developer's to fix, in English like
        // the rest of the widget's API.
        WidgetError::Config(_) | WidgetError::Catalog(_) => return error.to_string(),
        WidgetError::Reports(e) => (Key::ErrorReports, e),
        WidgetError::Types(e) => (Key::ErrorTypes, e),
        WidgetError::Nonce(e) => (Key::ErrorOpen, e),
        WidgetError::Pdf(e) => (Key::ErrorPdf, e),
        WidgetError::Popup(Refusal::NewTab) => return m.text(Key::ErrorPopup).to_owned(),
        WidgetError::Popup(Refusal::Print) => return m.text(Key::ErrorPrint).to_owned(),
        WidgetError::BadReport(report) => {
            return m.format(Key::ErrorBadReport, &[("report", report)])
        }
    };
    m.format(key, &[("reason", &reason(host, m))])
}

fn reason(error: &HostError, m: &Messages) -> String {
    match error {
        HostError::Network { url } => m.format(Key::ReasonNetwork, &[("url", url)]),
        HostError::Timeout { url, ms } => {
            let seconds = format_seconds(*ms);
            m.format(Key::ReasonTimeout, &[("url", url), ("seconds", &seconds)])
        }
        HostError::Status {
            url,
            status,
            message,
        } => {
            let code = status.to_string();
            let said = match message {
                Some(message) => m.format(
                    Key::ReasonStatusMessage,
                    &[("url", url), ("status", &code), ("message", message)],
                ),
                None => m.format(Key::ReasonStatus, &[("url", url), ("status", &code)]),
            };
            // Not signed in: what the server said, then the same advice as
            // a sign-in page answered in place of JSON.
            if *status == 401 {
                sentence(said, m.text(Key::ReasonHtml))
            } else {
                said
            }
        }
        HostError::Html { .. } => m.text(Key::ReasonHtml).to_owned(),
        HostError::BadResponse { url, detail } => {
            m.format(Key::ReasonBadResponse, &[("url", url), ("detail", detail)])
        }
        HostError::EmptyNonce => m.text(Key::ReasonEmptyNonce).to_owned(),
        HostError::Callback(detail) => m.format(Key::ReasonCallback, &[("detail", detail)]),
    }
}

/// `first`, ended as a sentence, then `second` begun as one.
fn sentence(first: String, second: &str) -> String {
    let mut out = first.trim_end().to_owned();
    if !out.ends_with(['.', '!', '?', '\u{3002}']) {
        out.push('.');
    }
    out.push(' ');
    // ASCII only: a first letter beyond it stays as the catalog wrote it
    // (the full Unicode case tables would cost every reader download time).
    let mut chars = second.chars();
    if let Some(c) = chars.next() {
        out.push(c.to_ascii_uppercase());
        out.push_str(chars.as_str());
    }
    out
}

/// Whole seconds where they are whole (15000 → "15"), else one decimal
/// ("2.5"): short, and free of locale-specific separators beyond the dot.
fn format_seconds(ms: u32) -> String {
    let mut seconds = (ms / 1000).to_string();
    if ms % 1000 != 0 {
        seconds.push('.');
        seconds.push(char::from(b'0' + (ms % 1000 / 100) as u8));
    }
    seconds
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn every_error_reads_in_the_widgets_language() {
        let german = Messages::english().with([
            ("errorOpen".into(), "Öffnen fehlgeschlagen: {reason}".into()),
            ("reasonHtml".into(), "Sitzung abgelaufen".into()),
        ]);
        let e = WidgetError::Nonce(HostError::Html { url: "/n".into() });
        assert_eq!(
            describe(&e, &german),
            "Öffnen fehlgeschlagen: Sitzung abgelaufen"
        );
        let e = WidgetError::Reports(HostError::Status {
            url: "/r".into(),
            status: 503,
            message: Some("down".into()),
        });
        assert_eq!(
            describe(&e, &Messages::english()),
            "The report list could not be loaded: /r answered HTTP 503: down"
        );
        let signed_out = |message: Option<&str>| {
            WidgetError::Nonce(HostError::Status {
                url: "/n".into(),
                status: 401,
                message: message.map(str::to_owned),
            })
        };
        assert_eq!(
            describe(&signed_out(None), &Messages::english()),
            "The report could not be opened: /n answered HTTP 401. \
             Your session with this site may have expired. Sign in again, then try again."
        );
        assert_eq!(
            describe(&signed_out(Some("login required")), &Messages::english()),
            "The report could not be opened: /n answered HTTP 401: login required. \
             Your session with this site may have expired. Sign in again, then try again."
        );
        assert_eq!(format_seconds(2500), "2.5");
        assert_eq!(format_seconds(15000), "15");
    }
}
