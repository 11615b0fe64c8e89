//! The report viewer: what a preview URL shows inside the widget's iframe.
//!
//! A preview request authenticates by a single-use nonce, which it turns
//! into an HttpOnly session cookie, or by that cookie alone. Everything the
//! viewer page loads after that (stylesheet, further pages) needs the cookie.
use std::fmt::Write as _;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use cxreports_contract::encode_path_segment;
use cxreports_contract::model::{Report, Workspace};
use cxreports_serve::{cookie_values, SetCookie};

use crate::catalog::{Catalog, LookupError};
use crate::html::{self, escape};
use crate::inputs::{RawPreviewQuery, ReportInputs};
use crate::state::Sim;
use crate::{SameSite, ViewerPrint};

/// Name of the viewer's session cookie.
pub(crate) const SESSION_COOKIE: &str = "cxr_session";

/// How many pages every simulated report has.
const PAGE_COUNT: u32 = 2;

const STYLESHEET: &str = "\
body { font-family: system-ui, sans-serif; margin: 0; color: #1d232b; background: #fff; }
header { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: .75rem 1rem; border-bottom: 1px solid #d6dbe1; }
h1 { font-size: 1.25rem; margin: 0; }
main { padding: 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
pre { background: #f4f6f8; padding: .5rem; overflow: auto; max-height: 20rem; }
.missing { color: #a4262c; }
iframe.page { width: 100%; height: 8rem; border: 1px solid #d6dbe1; }
@media print { header button, nav, iframe.page { display: none; } }
";

/// Printing, `SIM_VIEWER_PRINT=self` (the default): browsers never let a
/// parent page call `print()` on a cross-origin frame, so the viewer prints
/// its own frame, whether its `#print-button` is clicked or its parent
/// posts `"print"`, and then posts `"printed"` to its parent (if it has
/// one) so the host knows.
const PRINT_SELF_SCRIPT: &str = r#"<script>
(function () {
  function printHere() {
    window.print();
    if (window.parent !== window) { window.parent.postMessage("printed", "*"); }
  }
  window.addEventListener("message", function (event) { if (event.data === "print") { printHere(); } });
  var button = document.getElementById("print-button");
  if (button) { button.addEventListener("click", printHere); }
})();
</script>"#;

/// Printing, `SIM_VIEWER_PRINT=parent`: the protocol of the vendor's demo
/// app. The host posts "print" into the iframe and the viewer answers by
/// posting "print" to its parent, which is to print the iframe (which a
/// cross-origin parent cannot). The viewer's own button does the same.
/// Outside any frame there is no parent to ask (posting to itself would
/// loop), so it prints directly.
const PRINT_PARENT_SCRIPT: &str = r#"<script>
(function () {
  function requestPrint() {
    if (window.parent !== window) { window.parent.postMessage("print", "*"); } else { window.print(); }
  }
  window.addEventListener("message", function (event) { if (event.data === "print") { requestPrint(); } });
  var button = document.getElementById("print-button");
  if (button) { button.addEventListener("click", requestPrint); }
})();
</script>"#;

fn print_script(mode: ViewerPrint) -> &'static str {
    match mode {
        ViewerPrint::Frame => PRINT_SELF_SCRIPT,
        ViewerPrint::Parent => PRINT_PARENT_SCRIPT,
    }
}

/// The viewer routes.
pub(crate) fn routes(sim: Sim) -> Router {
    Router::new()
        .route("/ws/{ws}/reports/{report}/preview", get(preview))
        .route("/ws/{ws}/reports/{report}/pages/{page}", get(page))
        .route("/viewer/style.css", get(stylesheet))
        .with_state(sim)
}

fn has_session(sim: &Sim, headers: &HeaderMap) -> bool {
    cookie_values(headers, SESSION_COOKIE).any(|session| sim.session_valid(session))
}

fn set_cookie_value(sim: &Sim, session: &str) -> String {
    let cookie = sim.session_cookie();
    let mut value = SetCookie {
        name: SESSION_COOKIE,
        value: session,
        max_age: sim.config().session_ttl,
        same_site: cookie.same_site.as_str(),
        // Browsers drop a SameSite=None or Partitioned cookie that is not
        // Secure (http://localhost and 127.0.0.1 may set Secure ones).
        secure: cookie.same_site == SameSite::None || cookie.partitioned,
    }
    .to_string();
    if cookie.partitioned {
        value.push_str("; Partitioned");
    }
    value
}

/// A viewer page: HTML that must not be cached (its URL may carry a nonce)
/// and must not leak that URL as a referrer to what it links.
fn viewer_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, Html(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn login_required() -> Response {
    viewer_response(StatusCode::UNAUTHORIZED, html::login_page())
}

fn error_response(status: StatusCode, title: &str, message: &str) -> Response {
    viewer_response(status, html::error_page(title, message))
}

async fn preview(
    State(sim): State<Sim>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<RawPreviewQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let Ok(Query(query)) = query else {
        return error_response(
            StatusCode::BAD_REQUEST,
            "Bad preview link",
            "The preview query string cannot be read: build it with percent-encoded key=value pairs.",
        );
    };

    // The nonce is spent on its first use even when the cookie alone would
    // have sufficed, as a nonce must never work twice.
    let mut new_session = None;
    let nonce = query.nonce.as_deref().filter(|n| !n.is_empty());
    if let Some(nonce) = nonce {
        if sim.consume_nonce(nonce) {
            match sim.open_session() {
                Ok(session) => new_session = Some(session),
                Err(e) => {
                    return error_response(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "Viewer error",
                        &format!("No session could be opened (random source failed: {e}); reload the report."),
                    )
                }
            }
        }
    }
    if new_session.is_none() && !has_session(&sim, &headers) {
        return login_required();
    }

    let mut response = render_preview(&sim, path, &query);
    if let Some(session) = new_session {
        if let Ok(value) = HeaderValue::from_str(&set_cookie_value(&sim, &session)) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The workspace and report a viewer link names.
fn find_report<'a>(
    catalog: &'a Catalog,
    ws: &str,
    report: &str,
) -> Result<(&'a Workspace, &'a Report), LookupError> {
    let workspace = catalog.workspace(ws)?;
    Ok((workspace, catalog.report(workspace, report)?))
}

fn render_preview(
    sim: &Sim,
    path: Result<Path<(String, String)>, PathRejection>,
    query: &RawPreviewQuery,
) -> Response {
    let Ok(Path((ws, report))) = path else {
        return error_response(
            StatusCode::BAD_REQUEST,
            "Bad preview link",
            "The workspace or report in the link cannot be read: percent-encode them as UTF-8.",
        );
    };
    let (workspace, report) = match find_report(sim.catalog(), &ws, &report) {
        Ok(found) => found,
        Err(e) => return error_response(StatusCode::NOT_FOUND, "Report not found", &e.to_string()),
    };
    match ReportInputs::read(query, sim, workspace.id) {
        Ok(inputs) => viewer_response(
            StatusCode::OK,
            viewer_page(workspace, report, &inputs, sim.viewer_print()),
        ),
        Err(e) => error_response(StatusCode::BAD_REQUEST, "Bad report input", &e.to_string()),
    }
}

/// The path of one page of a report, for links inside the viewer.
fn page_path(workspace: &Workspace, report: &Report, page: u32) -> String {
    let ws = encode_path_segment(&workspace.code).unwrap_or_else(|_| workspace.id.to_string());
    format!("/ws/{ws}/reports/{}/pages/{page}", report.id)
}

fn viewer_page(
    workspace: &Workspace,
    report: &Report,
    inputs: &ReportInputs,
    print: ViewerPrint,
) -> String {
    let name = escape(&report.name);
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"{lang}\" data-report-id=\"{id}\" data-workspace=\"{ws}\">\n<head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{name}</title><link rel=\"stylesheet\" href=\"/viewer/style.css\"></head>\n<body>\n<header><h1 id=\"report-name\">{name}</h1>",
        lang = escape(inputs.lang.as_deref().unwrap_or("en")),
        id = report.id,
        ws = escape(&workspace.code),
    );
    if !inputs.hide_print_button {
        out.push_str("<button id=\"print-button\" type=\"button\">Print</button>");
    }
    let _ = write!(
        out,
        "</header>\n<main>\n<p class=\"meta\">{} &middot; {} &middot; page 1 of {PAGE_COUNT}</p>\n<dl>",
        escape(&workspace.name),
        escape(&report.report_type_name)
    );
    let fields = inputs.display_fields();
    for field in fields.iter().filter(|f| !f.block) {
        let _ = write!(
            out,
            "<dt>{}</dt><dd id=\"{}\">{}</dd>",
            field.label,
            field.id,
            escape(&field.value)
        );
    }
    out.push_str("</dl>\n");
    for field in fields.iter().filter(|f| f.block) {
        let missing = matches!(
            &inputs.temp_data,
            Some(t) if field.id == "temp-data" && t.lookup == crate::state::TempDataLookup::Missing
        );
        let _ = writeln!(
            out,
            "<section><h2>{}</h2><pre id=\"{}\"{}>{}</pre></section>",
            field.label,
            field.id,
            if missing { " class=\"missing\"" } else { "" },
            escape(&field.value)
        );
    }
    let page2 = page_path(workspace, report, 2);
    let _ = write!(
        out,
        "<nav><a id=\"next-page\" href=\"{page2}\">Page 2</a></nav>\n\
         <iframe id=\"page-2\" class=\"page\" src=\"{page2}\" title=\"Page 2\"></iframe>\n\
         </main>\n{}\n</body></html>\n",
        print_script(print)
    );
    out
}

async fn page(
    State(sim): State<Sim>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    if !has_session(&sim, &headers) {
        return login_required();
    }
    let Ok(Path((ws, report, page))) = path else {
        return error_response(
            StatusCode::BAD_REQUEST,
            "Bad page link",
            "The page link cannot be read.",
        );
    };
    let (workspace, report) = match find_report(sim.catalog(), &ws, &report) {
        Ok(found) => found,
        Err(e) => return error_response(StatusCode::NOT_FOUND, "Report not found", &e.to_string()),
    };
    let number = match page.parse::<u32>() {
        Ok(n) if (1..=PAGE_COUNT).contains(&n) => n,
        _ => {
            return error_response(
                StatusCode::NOT_FOUND,
                "Page not found",
                &format!("This report has pages 1 to {PAGE_COUNT}, not {page:?}."),
            )
        }
    };
    let name = escape(&report.name);
    let body = format!(
        "<!doctype html>\n<html lang=\"en\" data-report-id=\"{id}\" data-page=\"{number}\"><head><meta charset=\"utf-8\">\
         <title>{name} \u{2014} page {number}</title><link rel=\"stylesheet\" href=\"/viewer/style.css\"></head>\n\
         <body><main><h1 id=\"report-name\">{name}</h1><p id=\"page-number\">Page {number} of {PAGE_COUNT} \u{2014} {ws}</p></main></body></html>\n",
        id = report.id,
        ws = escape(&workspace.name),
    );
    viewer_response(StatusCode::OK, body)
}

async fn stylesheet(State(sim): State<Sim>, headers: HeaderMap) -> Response {
    if !has_session(&sim, &headers) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::CACHE_CONTROL, "no-store")],
            "sign in first: the viewer stylesheet needs the session cookie",
        )
            .into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        STYLESHEET,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimConfig;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; cxr_session=abc"),
        );
        headers.append(header::COOKIE, HeaderValue::from_static("cxr_session=def"));
        assert_eq!(
            cookie_values(&headers, SESSION_COOKIE).collect::<Vec<_>>(),
            ["abc", "def"]
        );
    }

    #[test]
    fn same_site_none_cookies_are_secure() {
        let sim = Sim::new(SimConfig {
            same_site: SameSite::None,
            ..SimConfig::default()
        });
        let cookie = set_cookie_value(&sim, "x");
        assert!(cookie.contains("SameSite=None"), "{cookie}");
        assert!(cookie.ends_with("; Secure"), "{cookie}");
        let lax = set_cookie_value(&Sim::new(SimConfig::default()), "x");
        assert!(
            lax.contains("HttpOnly") && lax.contains("SameSite=Lax") && !lax.contains("Secure")
        );
        assert!(!lax.contains("Partitioned"));
    }

    #[test]
    fn partitioned_cookies_are_secure_and_switch_at_run_time() {
        let sim = Sim::new(SimConfig {
            same_site: SameSite::None,
            partitioned: true,
            ..SimConfig::default()
        });
        let cookie = set_cookie_value(&sim, "x");
        assert!(
            cookie.ends_with("; SameSite=None; Secure; Partitioned"),
            "{cookie}"
        );
        sim.set_session_cookie(crate::state::SessionCookie {
            same_site: SameSite::Lax,
            partitioned: false,
        });
        let cookie = set_cookie_value(&sim, "x");
        assert!(cookie.ends_with("; SameSite=Lax"), "{cookie}");
    }
}
