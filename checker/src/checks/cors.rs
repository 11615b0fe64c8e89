//! `cors.not_open`: a foreign origin gets no CORS grant.
use reqwest::Method;

use super::Ctx;
use crate::args::FOREIGN_ORIGIN;
use crate::http::Call;

const CORS: &str = "cors.not_open";

/// A preflight of `POST {base}/nonce` and a `GET {base}/reports`, both from
/// [`FOREIGN_ORIGIN`].
pub(super) async fn run(ctx: &mut Ctx<'_>) {
    let preflight = Call::new(Method::OPTIONS, ctx.url("/nonce"))
        .header("origin", FOREIGN_ORIGIN)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "x-requested-with")
        .header("accept", "*/*");
    let get = ctx
        .widget(Method::GET, "/reports")
        .header("origin", FOREIGN_ORIGIN);
    let mut seen = Vec::new();
    // What was wrong, each with the requests it was wrong for.
    let mut wrong: Vec<(String, Vec<&str>)> = Vec::new();
    for (label, call) in [
        ("the preflight of POST nonce", preflight),
        ("GET reports", get),
    ] {
        let e = match ctx.send(call).await {
            Ok(e) => e,
            Err(t) => {
                wrong.push((t.describe(), Vec::new()));
                continue;
            }
        };
        let allow = e
            .header("access-control-allow-origin")
            .map(|v| v.trim().to_owned());
        let credentials = e
            .header("access-control-allow-credentials")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let with_credentials = if credentials {
            " with Access-Control-Allow-Credentials: true: any site can call them with the user's cookie and read the answer (a nonce, the user's reports)"
        } else {
            ""
        };
        let problem = match allow.as_deref() {
            None => {
                seen.push(format!("{label} {}: no Access-Control-Allow-Origin", e.status));
                continue;
            }
            Some("*") if credentials => {
                format!("Access-Control-Allow-Origin: *{with_credentials}")
            }
            Some("*") => "Access-Control-Allow-Origin: *. These endpoints answer session data (nonces, the user's reports, PDFs): `*` never lets the widget's own calls through (browsers refuse it with cookies), and lets every site read what they answer to a request without a cookie (an intranet host, trust by IP)".to_owned(),
            Some(origin) if origin.trim_end_matches('/').eq_ignore_ascii_case(FOREIGN_ORIGIN) => {
                format!("the foreign Origin {FOREIGN_ORIGIN} echoed in Access-Control-Allow-Origin{with_credentials}")
            }
            Some("null") => format!(
                "Access-Control-Allow-Origin: null, which sandboxed frames and file: pages of any site send{with_credentials}"
            ),
            Some(origin) => {
                seen.push(format!(
                    "{label} {}: Access-Control-Allow-Origin {origin} only",
                    e.status
                ));
                continue;
            }
        };
        match wrong.iter_mut().find(|(p, _)| *p == problem) {
            Some((_, labels)) => labels.push(label),
            None => wrong.push((problem, vec![label])),
        }
    }
    if wrong.is_empty() {
        ctx.pass(CORS, format!("from {FOREIGN_ORIGIN}: {}", seen.join("; ")));
    } else {
        let wrong: Vec<String> = wrong
            .into_iter()
            .map(|(problem, labels)| match labels.as_slice() {
                [] => problem,
                labels => format!("{} from {FOREIGN_ORIGIN}: {problem}", labels.join(" and ")),
            })
            .collect();
        ctx.fail(
            CORS,
            format!(
                "{}. Answer CORS only for your own pages' origins (an allowlist, like BACKEND_ALLOWED_ORIGINS of the reference backend); a page on the backend's own origin needs no CORS at all",
                wrong.join("; ")
            ),
        );
    }
}
