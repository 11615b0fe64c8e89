//! `host.rebinding`: a request that names another site in both `Host` and
//! `Origin` gets no nonce. That is what a page does after DNS rebinding:
//! the attacker's name resolves to the backend, so the browser calls the
//! backend as "the same origin", and `Host` and `Origin` agree.
use reqwest::{Method, Url};

use super::Ctx;

const REBINDING: &str = "host.rebinding";
/// A reserved name (`.example` never resolves to anyone's site).
const REBIND_HOST: &str = "rebind.example";

/// `POST {base}/nonce` with `Host: rebind.example:PORT` and the matching
/// `Origin`, with the session.
pub(super) async fn run(ctx: &mut Ctx<'_>) {
    let port = Url::parse(&ctx.options.base)
        .ok()
        .and_then(|url| url.port_or_known_default())
        .unwrap_or(80);
    let host = format!("{REBIND_HOST}:{port}");
    let scheme = if ctx.options.base.starts_with("https:") {
        "https"
    } else {
        "http"
    };
    let call = ctx
        .widget(Method::POST, "/nonce")
        .header("host", host.clone())
        .header("origin", format!("{scheme}://{host}"));
    let e = match ctx.send(call).await {
        Ok(e) => e,
        Err(t) => return ctx.fail(REBINDING, t.describe()),
    };
    let what = format!("POST /nonce with Host: {host} and Origin: {scheme}://{host}");
    if e.is_success() {
        return ctx.fail(
            REBINDING,
            format!(
                "{what} answered {}: a page on another site can reach the backend by DNS rebinding and mint nonces. Compare Origin with your configured page origins, never with the request's own Host, and answer only the Host names you serve (421 or 403 otherwise)",
                e.status
            ),
        );
    }
    if e.status == 401 && ctx.options.cookie.is_none() {
        return ctx.skip(
            REBINDING,
            format!("{what} answered 401 (no session) before the Host and Origin rules could show: pass --cookie"),
        );
    }
    ctx.pass(REBINDING, format!("{what} answered {}: refused", e.status));
}
