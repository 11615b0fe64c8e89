//! The headers the widget puts on every call to the host backend, before
//! the host's own `requestHeaders`. The loader sends the same ones on the
//! requests it starts before the widget is ready (its generated block is
//! rendered from [`widget_headers`]), so the widget can take those over.

/// The `Accept` of a call answered with JSON (lists, nonces).
pub const ACCEPT_JSON: &str = "application/json";

/// The `Accept` of a PDF export.
pub const ACCEPT_PDF: &str = "application/pdf";

/// The widget's headers on a call answered as `accept`, in the order sent.
///
/// `X-Requested-With` is a non-simple header: a cross-site form cannot forge
/// the call, and backends use it as their CSRF check.
///
/// ```
/// use cxreports_widget::internals::{widget_headers, ACCEPT_JSON};
/// assert_eq!(widget_headers(ACCEPT_JSON)[1], ("X-Requested-With", "cxreports-widget"));
/// ```
pub const fn widget_headers(accept: &'static str) -> [(&'static str, &'static str); 2] {
    [("Accept", accept), ("X-Requested-With", "cxreports-widget")]
}
