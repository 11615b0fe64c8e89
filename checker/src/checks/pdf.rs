//! `pdf.download`: `GET {base}/reports/{id}/pdf` answers a PDF (the
//! endpoint is optional); an unknown report's PDF is provoked for
//! `errors.*`.
use cxreports_contract::{disposition_file_name, encode_path_segment};
use reqwest::Method;

use super::Ctx;

const PDF: &str = "pdf.download";

/// A report id no backend has (and a valid type code, so it reaches the lookup).
const UNKNOWN: &str = "cxreports-check-unknown";

/// `pdf.download`, then the unknown report's PDF.
pub(super) async fn run(ctx: &mut Ctx<'_>) {
    let Some(report) = ctx.report_id() else {
        return ctx.skip(
            PDF,
            "no report to export: the report list is empty or unreadable; pass --report ID",
        );
    };
    let Ok(segment) = encode_path_segment(&report) else {
        return ctx.skip(PDF, format!("report {report:?} cannot be a path segment"));
    };
    let call = ctx
        .widget(Method::GET, &format!("/reports/{segment}/pdf"))
        .header("accept", "application/pdf");
    let e = match ctx.send(call).await {
        Ok(e) => e,
        Err(t) => return ctx.fail(PDF, t.describe()),
    };
    let line = format!("{} answered {}", e.request_line(), e.status);
    if e.status == 404 {
        let said = e
            .error_message()
            .map(|m| format!(" \"{}\"", m.chars().take(120).collect::<String>()))
            .unwrap_or_default();
        // No PDF route: an unknown report's 404 would say nothing either.
        return ctx.skip(
            PDF,
            format!("{line}{said} for report {report}: no PDF endpoint here (optional: the widget's PDF download needs one, or a pdfUrl elsewhere)"),
        );
    }
    if !e.is_success() {
        ctx.fail(PDF, ctx.unexpected(&e));
    } else if e.content_type().contains("text/html") || !e.body.starts_with(b"%PDF-") {
        let what = if e.is_html() {
            format!("an HTML page ({})", e.snippet())
        } else {
            format!("{} that is not a PDF ({})", e.media_type(), e.snippet())
        };
        ctx.fail(
            PDF,
            format!(
                "{line} with {what}: answer the bytes of CxReports' GET /api/v1/ws/{{ws}}/reports/{{id}}/pdf, as Content-Type: application/pdf"
            ),
        );
    } else {
        let name = e
            .header("content-disposition")
            .and_then(|d| disposition_file_name(&d))
            .map(|n| format!(", file name {n:?}"))
            .unwrap_or_else(|| ", no file name (Content-Disposition)".to_owned());
        let media = match e.media_type().as_str() {
            "application/pdf" => "application/pdf".to_owned(),
            other => format!("{other} (application/pdf is better: browsers then know the file)"),
        };
        ctx.pass(
            PDF,
            format!("{line}, {media}, {} bytes of PDF{name}", e.body.len()),
        );
    }
    let call = ctx
        .widget(Method::GET, &format!("/reports/{UNKNOWN}/pdf"))
        .header("accept", "application/pdf");
    if let Ok(e) = ctx.send(call).await {
        ctx.refused("an unknown report's PDF", &e);
    }
}
