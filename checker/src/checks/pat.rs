//! `pat.absent`: no answer the checker received carries the PAT.
use super::Ctx;
use crate::http::Exchange;
use crate::secrets::{bearer_tokens, contains};

const PAT: &str = "pat.absent";

/// Sweeps every exchange of the run: any status, headers and bodies.
pub(super) fn run(ctx: &mut Ctx<'_>) {
    let seen = ctx.seen();
    let count = seen.len();
    let Some(pat) = &ctx.pat else {
        return without_pat(ctx, &seen);
    };
    let forms = pat.forms();
    let mut leaks = Vec::new();
    for e in &seen {
        for form in &forms {
            if let Some(place) = find(e, &form.needle, form.ignore_case) {
                leaks.push(format!(
                    "{} ({}) in {place} of {} ({})",
                    "the PAT",
                    form.label,
                    e.request_line(),
                    e.status
                ));
                break;
            }
        }
    }
    match leaks.first() {
        None => ctx.pass(
            PAT,
            format!("the PAT is in none of the {count} answers received (any status; headers and bodies, the PDF included; as is, percent-encoded, JSON-escaped, base64)"),
        ),
        Some(first) => ctx.fail(
            PAT,
            format!(
                "{} of {count} answers carry the PAT; the first: {first}. The PAT must never leave the server: take it out of headers, bodies and error messages (also when passing on CxReports' own errors or debug output)",
                leaks.len()
            ),
        ),
    }
}

/// Where `needle` is in `e`: a header or the body.
fn find(e: &Exchange, needle: &[u8], ignore_case: bool) -> Option<String> {
    for (name, value) in &e.headers {
        if contains(value, needle, ignore_case) || contains(name.as_bytes(), needle, ignore_case) {
            return Some(format!("the {name} header"));
        }
    }
    contains(&e.body, needle, ignore_case).then(|| "the body".to_owned())
}

/// Without the PAT: bearer tokens and echoed `Authorization` headers.
fn without_pat(ctx: &mut Ctx<'_>, seen: &[std::sync::Arc<Exchange>]) {
    let mut leaks = Vec::new();
    for e in seen {
        let line = format!("{} ({})", e.request_line(), e.status);
        for (name, value) in &e.headers {
            // A challenge (`WWW-Authenticate: Bearer realm=…`) is no token.
            if name == "www-authenticate" {
                continue;
            }
            if name == "authorization" || name == "proxy-authorization" {
                leaks.push(format!("{line} echoes an {name} header"));
            } else if !bearer_tokens(&String::from_utf8_lossy(value)).is_empty() {
                leaks.push(format!("{line} has a Bearer token in the {name} header"));
            }
        }
        if !bearer_tokens(&e.text()).is_empty() {
            leaks.push(format!("{line} has a Bearer token in the body"));
        }
    }
    match leaks.first() {
        None => ctx.pass(
            PAT,
            format!("no Bearer token or Authorization header in the {} answers received; pass --pat-file with the backend's PAT to sweep them for the PAT itself (exact)", seen.len()),
        ),
        Some(first) => ctx.fail(
            PAT,
            format!(
                "{first}: the backend's credentials must never reach the browser: if that token is the PAT, it has leaked (pass --pat-file to know for sure)"
            ),
        ),
    }
}
