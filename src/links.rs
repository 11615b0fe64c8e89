//! The two URLs the widget builds: the viewer URL the iframe loads (with a
//! nonce) and the host backend's PDF link (never with a nonce). Pure.
use cxreports_contract::{encode_path_segment, preview_url, push_query, PreviewQuery, ReportRef};

use crate::config::ViewerConfig;
use crate::error::WidgetError;

/// The iframe `src` for `report` with `params_json` and a fresh `nonce`.
pub fn viewer_src(
    config: &ViewerConfig,
    report: &ReportRef,
    params_json: Option<&str>,
    nonce: &str,
) -> Result<String, WidgetError> {
    let query = PreviewQuery {
        params_json: params_json.map(str::to_owned),
        ..config.query.clone()
    };
    preview_url(
        &config.cxreports_url,
        &config.workspace,
        report,
        nonce,
        &query,
        config.params_encoding,
    )
    .map_err(|_| WidgetError::BadReport(report.to_string()))
}

/// The PDF link: `pdfUrl` with `{report}` replaced, or `{pdfUrl}/{report}/pdf`,
/// plus the report's query (params, data, timezone, ...) but no nonce.
///
/// ```
/// # use cxreports_widget::{internals::pdf_href, RawValue, ViewerConfig};
/// # use cxreports_contract::ReportRef;
/// let config = ViewerConfig::from_raw(vec![
///     ("cxreportsUrl".into(), RawValue::Str("https://r.example.com".into())),
///     ("workspace".into(), RawValue::Str("sales".into())),
///     ("nonceUrl".into(), RawValue::Str("/api/cxreports/nonce".into())),
///     ("pdfUrl".into(), RawValue::Str("/api/cxreports/reports".into())),
/// ]).unwrap();
/// assert_eq!(
///     pdf_href(&config, &ReportRef::Id(7), Some(r#"{"y":1}"#)).as_deref(),
///     Some("/api/cxreports/reports/7/pdf?params=%7B%22y%22%3A1%7D")
/// );
/// ```
pub fn pdf_href(
    config: &ViewerConfig,
    report: &ReportRef,
    params_json: Option<&str>,
) -> Option<String> {
    let base = config.pdf_url.as_deref()?;
    let segment = encode_path_segment(&report.to_string()).ok()?;
    let path = if base.contains("{report}") {
        base.replace("{report}", &segment)
    } else {
        let mut path = base.trim_end_matches('/').to_owned();
        path.push('/');
        path.push_str(&segment);
        path.push_str("/pdf");
        path
    };
    let query = PreviewQuery {
        params_json: params_json.map(str::to_owned),
        hide_print_button: false,
        ..config.query.clone()
    };
    let mut href = path;
    let first = if href.contains('?') { '&' } else { '?' };
    // The pairs after the first, the nonce.
    let pairs = query.pairs("", config.params_encoding);
    push_query(&mut href, first, pairs.get(1..).unwrap_or_default());
    Some(href)
}
