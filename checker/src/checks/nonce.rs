//! `nonce.*`: `POST {base}/nonce` answers a fresh, uncacheable CxReports
//! nonce that opens the viewer once.
use cxreports_contract::{preview_url, ParamsEncoding, PreviewQuery, ReportRef};
use reqwest::Method;
use serde_json::Value;

use super::{kind_of, Ctx};
use crate::http::{Call, Exchange};
use crate::secrets::mask;

const SHAPE: &str = "nonce.shape";
const NO_STORE: &str = "nonce.no_store";
const FRESH: &str = "nonce.fresh";
const SINGLE_USE: &str = "nonce.single_use";

/// `nonce.shape`, `nonce.no_store` and `nonce.fresh`: two `POST`s.
pub(super) async fn shape_cache_freshness(ctx: &mut Ctx<'_>) {
    let first = match ctx.send(ctx.widget(Method::POST, "/nonce")).await {
        Ok(exchange) => exchange,
        Err(t) => {
            ctx.fail(SHAPE, t.describe());
            ctx.skip(
                NO_STORE,
                "needs an answer to POST {base}/nonce (see nonce.shape)",
            );
            ctx.skip(FRESH, "needs a nonce (see nonce.shape)");
            return;
        }
    };
    let nonce = match read_nonce(ctx, &first) {
        Ok(nonce) => {
            ctx.pass(
                SHAPE,
                format!(
                    "{} {}, {{\"nonce\": \"{}\"}} ({} characters)",
                    first.status,
                    first.media_type(),
                    mask(&nonce),
                    nonce.chars().count()
                ),
            );
            Some(nonce)
        }
        Err(why) => {
            ctx.fail(SHAPE, why);
            None
        }
    };
    no_store(ctx, &first);
    match nonce {
        Some(nonce) => fresh(ctx, &nonce).await,
        None => ctx.skip(FRESH, "needs a nonce (see nonce.shape)"),
    }
}

/// The nonce of an answer to `POST {base}/nonce`, or what is wrong with it.
fn read_nonce(ctx: &mut Ctx<'_>, e: &Exchange) -> Result<String, String> {
    if !e.is_success() {
        return Err(ctx.unexpected(e));
    }
    let line = format!("{} answered {}", e.request_line(), e.status);
    let answer =
        "answer {\"nonce\": \"…\"}, the body of CxReports' POST /api/v1/nonce-tokens, as is";
    if e.is_html() {
        return Err(format!(
            "{line} with an HTML page ({}): {answer}, as application/json",
            e.snippet()
        ));
    }
    if !e.is_json_type() {
        return Err(format!(
            "{line} with {}: send Content-Type: application/json",
            e.media_type()
        ));
    }
    let Some(json) = e.json() else {
        return Err(format!(
            "{line} with a body that is not JSON ({}): {answer}",
            e.snippet()
        ));
    };
    let nonce = match json.get("nonce") {
        Some(Value::String(nonce)) => nonce.clone(),
        Some(other) => {
            return Err(format!(
                "{line}: \"nonce\" is {}, not a string: {answer}",
                kind_of(other)
            ))
        }
        None => {
            let what = match &json {
                Value::Object(o) if !o.is_empty() => format!(
                    "an object with {}",
                    o.keys()
                        .map(|k| format!("{k:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                other => kind_of(other),
            };
            return Err(format!("{line} with {what} but no \"nonce\": {answer}"));
        }
    };
    ctx.redact(&nonce);
    if nonce.is_empty() {
        return Err(format!("{line}: \"nonce\" is empty: {answer}"));
    }
    if nonce.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "{line}: \"nonce\" holds whitespace or control characters: pass CxReports' nonce on unchanged (no padding, no line break)"
        ));
    }
    Ok(nonce)
}

/// `nonce.no_store`: a cached nonce is a spent nonce.
fn no_store(ctx: &mut Ctx<'_>, e: &Exchange) {
    if !e.is_success() {
        ctx.skip(
            NO_STORE,
            "needs a successful answer to POST {base}/nonce (see nonce.shape)",
        );
        return;
    }
    let value = e
        .header_values("cache-control")
        .collect::<Vec<_>>()
        .join(", ");
    let no_store = value.split(',').any(|directive| {
        directive
            .split('=')
            .next()
            .is_some_and(|name| name.trim().eq_ignore_ascii_case("no-store"))
    });
    if no_store {
        ctx.pass(NO_STORE, format!("Cache-Control: {value}"));
    } else {
        let value = if value.is_empty() { "(none)" } else { &value };
        ctx.fail(
            NO_STORE,
            format!(
                "Cache-Control: {value}: send Cache-Control: no-store with every nonce: a browser or proxy that keeps the answer hands out a nonce that is already spent, and the viewer then shows the CxReports sign-in page"
            ),
        );
    }
}

/// `nonce.fresh`: a second `POST` answers another nonce.
async fn fresh(ctx: &mut Ctx<'_>, first: &str) {
    let second = match ctx.send(ctx.widget(Method::POST, "/nonce")).await {
        Ok(exchange) => exchange,
        Err(t) => return ctx.fail(FRESH, t.describe()),
    };
    match read_nonce(ctx, &second) {
        Err(why) => ctx.fail(FRESH, format!("the second POST: {why}")),
        Ok(nonce) if nonce == first => ctx.fail(
            FRESH,
            format!(
                "two POSTs answered the same nonce ({}): mint a new one for every request (POST /api/v1/nonce-tokens each time, never cached or shared): a nonce works once, so a repeated one shows the CxReports sign-in page",
                mask(first)
            ),
        ),
        Ok(nonce) => ctx.pass(
            FRESH,
            format!("two POSTs, two nonces ({}, {})", mask(first), mask(&nonce)),
        ),
    }
}

/// Whether a viewer answer is a sign-in page rather than a report.
fn is_sign_in_page(e: &Exchange) -> bool {
    let text = e.text().to_ascii_lowercase();
    [
        "type=\"password\"",
        "type='password'",
        "type=password",
        "sign in",
        "log in",
    ]
    .iter()
    .any(|marker| text.contains(marker))
}

/// `nonce.single_use`: a fresh nonce opens the viewer once, not twice.
pub(super) async fn single_use(ctx: &mut Ctx<'_>) {
    let (Some(cxreports), Some(workspace)) = (ctx.cxreports.clone(), ctx.workspace.clone()) else {
        return ctx.skip(
            SINGLE_USE,
            "needs the CxReports URL and workspace: pass --cxreports-url URL --workspace WS (or offer GET {base}/widget-config answering {\"cxreportsUrl\", \"workspace\"})",
        );
    };
    let Some(report) = ctx.report_id() else {
        return ctx.skip(
            SINGLE_USE,
            "needs a report to open: the report list is empty or unreadable; pass --report ID",
        );
    };
    let nonce = match ctx.send(ctx.widget(Method::POST, "/nonce")).await {
        Ok(e) => read_nonce(ctx, &e).ok(),
        Err(_) => None,
    };
    let Some(nonce) = nonce else {
        return ctx.skip(SINGLE_USE, "needs a nonce (see nonce.shape)");
    };
    let url = match preview_url(
        &cxreports,
        &workspace,
        &ReportRef::parse(&report),
        &nonce,
        &PreviewQuery::default(),
        ParamsEncoding::Json,
    ) {
        Ok(url) => url,
        Err(e) => return ctx.fail(SINGLE_USE, format!("no viewer URL can be built: {e}")),
    };
    let where_ = format!("CxReports {cxreports}, workspace {workspace}, report {report}");
    // As the iframe loads it: a navigation, with no cookie and no widget headers.
    let load = || {
        Call::new(Method::GET, url.clone()).header(
            "accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        )
    };
    let first = match ctx.send(load()).await {
        Ok(e) => e,
        Err(t) => {
            return ctx.fail(
                SINGLE_USE,
                format!(
                    "the viewer got no answer ({}): is --cxreports-url {cxreports} reachable (the browser must reach it too)?",
                    t.cause
                ),
            )
        }
    };
    let viewer = first.is_success() && first.content_type().contains("text/html");
    if !viewer || is_sign_in_page(&first) {
        let why = match first.status {
            _ if viewer => "a sign-in page: CxReports did not accept the nonce".to_owned(),
            401 | 403 => format!("{}: CxReports did not accept the nonce", first.status),
            404 => "404: no such report or workspace there: check --workspace and --report (or the backend's widget-config)".to_owned(),
            300..=399 => format!(
                "{}{}: CxReports did not accept the nonce (a sign-in page?)",
                first.status,
                first.location()
            ),
            s if first.is_success() => format!(
                "{s} {}, not the HTML viewer: is --cxreports-url the CxReports server itself (not its /api/v1)?",
                first.media_type()
            ),
            s => s.to_string(),
        };
        return ctx.fail(
            SINGLE_USE,
            format!(
                "the first load of the viewer with a fresh nonce answered {why}. The backend must answer the nonce of POST /api/v1/nonce-tokens of the same CxReports the widget shows ({where_}), unchanged"
            ),
        );
    }
    let second = match ctx.send(load()).await {
        Ok(e) => e,
        Err(t) => return ctx.fail(SINGLE_USE, t.describe()),
    };
    let opened_again = second.is_success() && second.is_html() && !is_sign_in_page(&second);
    if opened_again {
        ctx.fail(
            SINGLE_USE,
            format!(
                "the viewer opened twice with one nonce ({}): a nonce must work once. Hand out only nonces from CxReports' POST /api/v1/nonce-tokens, never a reusable token (the PAT, a session): whoever sees a viewer URL could use it ({where_})",
                mask(&nonce)
            ),
        );
    } else {
        let second_seen = if second.is_success() {
            format!("{}, a sign-in page", second.status)
        } else {
            format!("{}{}", second.status, second.location())
        };
        ctx.pass(
            SINGLE_USE,
            format!(
                "first load {} {} (the viewer), second {second_seen}: the nonce was spent ({where_})",
                first.status,
                first.media_type()
            ),
        );
    }
}
