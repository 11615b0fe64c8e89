//! `tempdata.owner`: temporary data one user stored cannot be used in
//! another user's PDF export. `POST {base}/temporary-data` answers the
//! CxReports `tempDataId` and, where the backend binds data to its owner,
//! a `tempDataHandle`; the export is asked for with both, as the widget
//! does when its `pdfUrl` carries the handle.
use cxreports_contract::encode_path_segment;
use reqwest::Method;
use serde_json::Value;

use super::Ctx;
use crate::http::Call;

const OWNER: &str = "tempdata.owner";

/// Stores data as `--cookie`, exports with it as `--cookie` (it must work)
/// and as `--cookie-b` (it must not).
pub(super) async fn run(ctx: &mut Ctx<'_>) {
    let (Some(_), Some(cookie_b)) = (ctx.options.cookie.clone(), ctx.options.cookie_b.clone())
    else {
        return ctx.skip(
            OWNER,
            "needs two signed-in users: pass --cookie and --cookie-b (another user's Cookie header)",
        );
    };
    let Some(report) = ctx.report_id() else {
        return ctx.skip(OWNER, "no report to export: pass --report ID");
    };
    let Ok(segment) = encode_path_segment(&report) else {
        return ctx.skip(OWNER, format!("report {report:?} cannot be a path segment"));
    };
    let store = ctx
        .widget(Method::POST, "/temporary-data")
        .header("content-type", "application/json")
        .body(r#"{"content":{"cxreportsCheck":"owner test"}}"#);
    let stored = match ctx.send(store).await {
        Ok(e) => e,
        Err(t) => return ctx.fail(OWNER, t.describe()),
    };
    if matches!(stored.status, 404 | 405) {
        return ctx.skip(
            OWNER,
            format!(
                "POST {}/temporary-data answered {}: no temporary-data endpoint here (optional)",
                ctx.options.base, stored.status
            ),
        );
    }
    if !stored.is_success() {
        return ctx.fail(OWNER, ctx.unexpected(&stored));
    }
    let json = stored.json().unwrap_or(Value::Null);
    let Some(id) = json.get("tempDataId").and_then(Value::as_i64) else {
        return ctx.fail(
            OWNER,
            format!(
                "POST /temporary-data answered {} without a numeric \"tempDataId\": answer CxReports' {{\"tempDataId\", \"expiryDate\"}} (plus your \"tempDataHandle\")",
                stored.status
            ),
        );
    };
    let handle = json
        .get("tempDataHandle")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(handle) = &handle {
        ctx.redact(handle);
    }
    let mut query = format!("tempDataId={id}");
    if let Some(handle) = &handle {
        query = format!(
            "tempDataHandle={}&{query}",
            cxreports_contract::encode_query_value(handle)
        );
    }
    let path = format!("/reports/{segment}/pdf?{query}");
    let export = |ctx: &Ctx<'_>| -> Call {
        ctx.widget(Method::GET, &path)
            .header("accept", "application/pdf")
    };
    let own = match ctx.send(export(ctx)).await {
        Ok(e) => e,
        Err(t) => return ctx.fail(OWNER, t.describe()),
    };
    if own.status == 404 && !own.body.starts_with(b"%PDF-") {
        return ctx.skip(
            OWNER,
            "the owner's export answered 404: no PDF endpoint here, so temporary data cannot be exported (see pdf.download)",
        );
    }
    if !own.is_success() {
        return ctx.fail(
            OWNER,
            format!(
                "the user who stored the data could not export with it: {}. Accept the data's own user's export (with the tempDataHandle you answered, if any)",
                ctx.unexpected(&own)
            ),
        );
    }
    let other = match ctx.send(export(ctx).header("cookie", cookie_b)).await {
        Ok(e) => e,
        Err(t) => return ctx.fail(OWNER, t.describe()),
    };
    let with = if handle.is_some() {
        "tempDataId and tempDataHandle"
    } else {
        "tempDataId"
    };
    if other.is_success() {
        ctx.fail(
            OWNER,
            format!(
                "another user's export with the first user's {with} answered {}: temporary data is shared. Bind what you hand out for stored data to the user who stored it (e.g. answer a signed tempDataHandle of user, id and expiry, and require it in exports) and refuse it for anyone else with 403",
                other.status
            ),
        );
    } else {
        if other.status >= 400 {
            ctx.refused(OWNER, &other);
        }
        ctx.pass(
            OWNER,
            format!(
                "the owner's export answered {}, another user's with the same {with} {}",
                own.status, other.status
            ),
        );
    }
}
