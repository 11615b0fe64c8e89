//! `csrf.*`: a `POST` that a cross-site page could forge is refused.
use reqwest::Method;

use super::Ctx;
use crate::args::FOREIGN_ORIGIN;
use crate::http::Call;

const HEADER: &str = "csrf.header";
const ORIGIN: &str = "csrf.origin";

/// `csrf.header`, then `csrf.origin`, each on `POST {base}/nonce`.
pub(super) async fn run(ctx: &mut Ctx<'_>) {
    let call = ctx
        .widget(Method::POST, "/nonce")
        .without("x-requested-with");
    judge(
        ctx,
        HEADER,
        call,
        "a POST without X-Requested-With",
        "refuse every POST that lacks a non-empty X-Requested-With header with 403: an HTML form on another \
         site cannot send it, and a script on another origin only after a CORS preflight you refuse, so \
         requiring it stops cross-site request forgery (the widget always sends X-Requested-With: cxreports-widget)",
    )
    .await;
    let call = ctx
        .widget(Method::POST, "/nonce")
        .header("origin", FOREIGN_ORIGIN);
    judge(
        ctx,
        ORIGIN,
        call,
        "a POST with Origin: https://cxreports-check.invalid",
        "refuse a POST whose Origin header is present and is neither the backend's own origin nor one of \
         your pages' origins, with 403: otherwise any site the user visits can have the browser call the \
         endpoint with the user's cookie",
    )
    .await;
}

async fn judge(ctx: &mut Ctx<'_>, id: &'static str, call: Call, what: &str, rule: &str) {
    let e = match ctx.send(call).await {
        Ok(e) => e,
        Err(t) => return ctx.fail(id, t.describe()),
    };
    let cookie = if ctx.options.cookie.is_some() {
        " (with the session cookie)"
    } else {
        ""
    };
    let answered = format!("{what}{cookie} answered {}", e.status);
    match e.status {
        403 => {
            ctx.refused(id, &e);
            ctx.pass(id, format!("{answered}: refused"));
        }
        _ if e.is_success() => ctx.fail(id, format!("{answered}, accepted: {rule}")),
        401 if ctx.options.cookie.is_none() => {
            ctx.refused(id, &e);
            ctx.skip(
                id,
                format!("{what} answered 401 (no session) before the CSRF rule could show: pass --cookie so the request has a session"),
            );
        }
        _ if e.is_redirect() => ctx.fail(
            id,
            format!(
                "{answered}{}: refuse it with 403 and a JSON {{\"error\"}}, not a redirect",
                e.location()
            ),
        ),
        status => {
            if status >= 400 {
                ctx.refused(id, &e);
            }
            ctx.fail(
                id,
                format!(
                    "{answered}, not 403: refuse it with 403 Forbidden, the status of this rule"
                ),
            );
        }
    }
}
