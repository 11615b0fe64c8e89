//! `errors.json` and `errors.no_internal`: every refusal the checker
//! provoked says, in `{"error": "…"}`, what the widget shows the user, and
//! no error answer shows the server's insides.
use super::Ctx;
use crate::http::Exchange;

const JSON: &str = "errors.json";
const NO_INTERNAL: &str = "errors.no_internal";

/// Both checks, over what the earlier checks provoked.
pub(super) fn run(ctx: &mut Ctx<'_>) {
    json(ctx);
    no_internal(ctx);
}

fn body_kind(e: &Exchange) -> String {
    if e.body.is_empty() {
        "an empty body".to_owned()
    } else if e.is_html() {
        format!("an HTML page ({})", e.snippet())
    } else if e.json().is_some() {
        format!(
            "JSON without a non-empty \"error\" string ({})",
            e.snippet()
        )
    } else {
        format!("text that is not JSON ({})", e.snippet())
    }
}

fn json(ctx: &mut Ctx<'_>) {
    if ctx.refusals.is_empty() {
        return ctx.skip(
            JSON,
            "no refusal was provoked to look at (see csrf.*, auth.required, pdf.download)",
        );
    }
    let (mut seen, mut wrong) = (Vec::new(), Vec::new());
    for refusal in &ctx.refusals {
        let e = &refusal.exchange;
        seen.push(format!("{} {}", refusal.what, e.status));
        let line = format!(
            "{} ({}) answered {}",
            refusal.what,
            e.request_line(),
            e.status
        );
        if e.status < 400 || e.status >= 500 {
            // Only the unknown report's PDF is kept whatever it answered.
            wrong.push(format!(
                "{line}{} for a report that does not exist: answer 404",
                e.location()
            ));
        } else if e.error_message().is_none() {
            wrong.push(format!("{line} with {}", body_kind(e)));
        }
    }
    if wrong.is_empty() {
        ctx.pass(
            JSON,
            format!(
                "{} refusals, each with a JSON {{\"error\": \"…\"}}: {}",
                seen.len(),
                seen.join(", ")
            ),
        );
    } else {
        ctx.fail(
            JSON,
            format!(
                "{} of {} refusals are not what the widget can show: {}{}. Answer every error with a 4xx/5xx status and a JSON {{\"error\": \"<a message for the user>\"}}: the widget shows that message, and for an HTML page or plain text it can only say that the request failed",
                wrong.len(),
                seen.len(),
                wrong[..wrong.len().min(2)].join("; "),
                match wrong.len() {
                    0..=2 => String::new(),
                    n => format!("; and {} more", n - 2),
                }
            ),
        );
    }
}

/// Traces of a server's insides in an error answer: stack traces, source
/// paths, framework debug pages, SQL errors.
const INTERNAL_MARKERS: &[(&str, &str)] = &[
    ("traceback (most recent call last)", "a Python traceback"),
    ("node_modules", "a Node stack trace (node_modules)"),
    ("at object.<anonymous>", "a Node stack trace"),
    ("(node:internal", "a Node stack trace"),
    (".cs:line ", "a .NET stack trace"),
    ("   at system.", "a .NET stack trace"),
    ("microsoft.aspnetcore", "an ASP.NET Core trace"),
    ("stack trace:", "a stack trace"),
    ("\"stack\":", "a stack trace (a \"stack\" field)"),
    ("\"stacktrace\":", "a stack trace (a \"stackTrace\" field)"),
    ("exception in thread", "a Java stack trace"),
    ("whitelabel error page", "a Spring error page"),
    (".php on line", "a PHP error"),
    ("fatal error: ", "a PHP fatal error"),
    ("sqlstate[", "an SQL error"),
    ("/var/www/", "a server path"),
    ("c:\\\\inetpub", "a server path"),
];

fn no_internal(ctx: &mut Ctx<'_>) {
    let base = ctx.options.base.clone();
    let errors: Vec<_> = ctx
        .seen()
        .into_iter()
        .filter(|e| e.status >= 400 && e.url.starts_with(&base))
        .collect();
    if errors.is_empty() {
        return ctx.skip(NO_INTERNAL, "no error answer from the backend to look at");
    }
    for e in &errors {
        let text = e.text().to_ascii_lowercase();
        if let Some((_, what)) = INTERNAL_MARKERS.iter().find(|(m, _)| text.contains(m)) {
            return ctx.fail(
                NO_INTERNAL,
                format!(
                    "{} ({}) answers {what}: log the details on the server, and answer the user a short message",
                    e.request_line(),
                    e.status
                ),
            );
        }
    }
    ctx.pass(
        NO_INTERNAL,
        format!(
            "{} error answers, none with a stack trace, a server path or an SQL error",
            errors.len()
        ),
    );
}
