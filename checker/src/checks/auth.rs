//! `auth.*`: nothing is answered without a signed-in user: not to a
//! session cookie that was tampered with (`auth.required`), and not to a
//! request with no credentials at all (`auth.no_credentials`).
use reqwest::Method;

use super::Ctx;
use crate::http::Call;

const AUTH: &str = "auth.required";
const NO_CREDENTIALS: &str = "auth.no_credentials";

/// A report id for the PDF probe when the list gave none: a refusal is
/// expected before the report matters.
const ANY_REPORT: &str = "1";

/// `--cookie` with every value changed: what a guessed or forged session
/// looks like.
fn tampered(cookie: &str) -> String {
    cookie
        .split(';')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => format!("{}=x{}x", name.trim(), value.trim()),
            None => pair.trim().to_owned(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `auth.required`: `GET {base}/reports` and `POST {base}/nonce`, each with
/// the session cookie's values altered.
pub(super) async fn run(ctx: &mut Ctx<'_>) {
    let Some(cookie) = ctx.options.cookie.clone() else {
        return ctx.skip(
            AUTH,
            "pass --cookie '<name>=<value>' (the Cookie header of a signed-in browser) to check that the endpoints refuse a forged session",
        );
    };
    let forged = tampered(&cookie);
    let calls = [
        ctx.widget(Method::GET, "/reports")
            .header("cookie", forged.clone()),
        ctx.widget(Method::POST, "/nonce").header("cookie", forged),
    ];
    let (mut refused, mut wrong, mut fixes) = (Vec::new(), Vec::new(), Vec::new());
    let mut fix = |text: String| {
        if !fixes.contains(&text) {
            fixes.push(text);
        }
    };
    for call in calls {
        let e = match ctx.send(call).await {
            Ok(e) => e,
            Err(t) => {
                wrong.push(t.describe());
                continue;
            }
        };
        let line = format!(
            "{} with the cookie's values altered answered {}",
            e.request_line(),
            e.status
        );
        match e.status {
            401 | 403 => {
                ctx.refused(AUTH, &e);
                refused.push(line);
                continue;
            }
            _ if e.is_success() => fix(format!(
                "verify the session on every endpoint under {} (its signature or its entry in your session store), not merely that a cookie is there, and answer 401 with a JSON {{\"error\"}} otherwise",
                ctx.options.base
            )),
            _ if e.is_redirect() => fix(
                "answer 401 with a JSON {\"error\"} instead of redirecting to a sign-in page: the widget reads answers with fetch and cannot show that page".to_owned(),
            ),
            status => {
                if status >= 400 {
                    ctx.refused(AUTH, &e);
                }
                fix("answer 401 (or 403) to a session that does not verify".to_owned());
            }
        }
        wrong.push(format!("{line}{}", e.location()));
    }
    if wrong.is_empty() {
        ctx.pass(AUTH, refused.join("; "));
    } else {
        ctx.fail(AUTH, format!("{}: {}", wrong.join("; "), fixes.join("; ")));
    }
}

/// `auth.no_credentials`: `POST {base}/nonce`, `GET {base}/reports` and a
/// PDF, with no `Cookie` and no `Authorization`: none may succeed. Runs
/// with or without `--cookie`.
pub(super) async fn no_credentials(ctx: &mut Ctx<'_>) {
    let report = ctx.report_id().unwrap_or_else(|| ANY_REPORT.to_owned());
    let segment =
        cxreports_contract::encode_path_segment(&report).unwrap_or_else(|_| ANY_REPORT.to_owned());
    let bare = |call: Call| call.without("cookie").without("authorization");
    let calls = [
        bare(ctx.widget(Method::POST, "/nonce")),
        bare(ctx.widget(Method::GET, "/reports")),
        bare(ctx.widget(Method::GET, &format!("/reports/{segment}/pdf")))
            .header("accept", "application/pdf"),
    ];
    let (mut refused, mut served) = (Vec::new(), Vec::new());
    for call in calls {
        match ctx.send(call).await {
            Ok(e) if e.is_success() => served.push(format!(
                "{} without any credentials answered {} {}",
                e.request_line(),
                e.status,
                e.media_type()
            )),
            Ok(e) => refused.push(format!("{} {}", e.request_line(), e.status)),
            Err(t) => return ctx.fail(NO_CREDENTIALS, t.describe()),
        }
    }
    if served.is_empty() {
        ctx.pass(
            NO_CREDENTIALS,
            format!("without Cookie or Authorization: {}", refused.join(", ")),
        );
    } else {
        ctx.fail(
            NO_CREDENTIALS,
            format!(
                "{}: anyone who can reach the backend gets nonces (each opens a report in CxReports), lists and PDFs. Serve nothing under {} without a signed-in user of your application (its session cookie, a JWT, or your sign-in proxy's answer), and answer 401 with a JSON {{\"error\"}} otherwise; a demo login that signs in anyone must not be reachable in production",
                served.join("; "),
                ctx.options.base
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_altered_and_names_kept() {
        assert_eq!(tampered("a=1; b=two"), "a=x1x; b=xtwox");
        assert_eq!(tampered("s=abc"), "s=xabcx");
    }
}
