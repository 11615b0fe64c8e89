//! `auth.required`: without the session cookie, nothing is answered.
use reqwest::Method;

use super::Ctx;

const AUTH: &str = "auth.required";

/// `GET {base}/reports` and `POST {base}/nonce`, each without the cookie.
pub(super) async fn run(ctx: &mut Ctx<'_>) {
    if ctx.options.cookie.is_none() {
        return ctx.skip(
            AUTH,
            "pass --cookie '<name>=<value>' (the Cookie header of a signed-in browser) to check that the endpoints refuse requests without it",
        );
    }
    let calls = [
        ctx.widget(Method::GET, "/reports").without("cookie"),
        ctx.widget(Method::POST, "/nonce").without("cookie"),
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
            "{} without the cookie answered {}",
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
                "check the session on every endpoint under {} and answer 401 with a JSON {{\"error\"}} without one",
                ctx.options.base
            )),
            _ if e.is_redirect() => fix(
                "answer 401 with a JSON {\"error\"} instead of redirecting to a sign-in page: the widget reads answers with fetch and cannot show that page".to_owned(),
            ),
            status => {
                if status >= 400 {
                    ctx.refused(AUTH, &e);
                }
                fix("answer 401 (or 403) without a session".to_owned());
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
