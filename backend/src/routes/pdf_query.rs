//! The query of a PDF export: the preview keys it understands, checked,
//! the temporary data bound to the user who stored it, and the query
//! string CxReports is asked with.
use cxreports_contract::{decode_params, encode_query_value, ParamsEncoding, PreviewQuery};
use serde::Deserialize;

use super::{AppState, Result};
use crate::auth::User;
use crate::error::{BackendError, BackendError::BadRequest};
use crate::session;

/// The preview keys a PDF export understands; anything else in the query
/// (a `nonce` above all) is dropped.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PdfQuery {
    params: Option<String>,
    data: Option<String>,
    temp_data_id: Option<String>,
    timezone: Option<String>,
    lang: Option<String>,
    theme: Option<String>,
    template: Option<String>,
    /// What `POST temporary-data` answered besides the id: the proof that
    /// this user stored it.
    temp_data_handle: Option<String>,
}

fn not_yours() -> BackendError {
    BackendError::Forbidden(
        "this temporary data was not stored by the signed-in user, or its handle has expired: \
         store it again (POST /api/cxreports/temporary-data) and pass the tempDataHandle it \
         answers with the export (e.g. in the widget's pdfUrl: .../{report}/pdf?tempDataHandle=...)"
            .to_owned(),
    )
}

/// Binds a PDF export's temporary data to its owner: the data goes to
/// CxReports only under a handle `user` got for it (and, if `tempDataId`
/// is given too, for that same id).
pub(super) fn owned_temp_data(state: &AppState, query: &mut PdfQuery, user: &User) -> Result<()> {
    let present = |value: &Option<String>| value.as_deref().is_some_and(|v| !v.trim().is_empty());
    let handle = query.temp_data_handle.take();
    if !present(&query.temp_data_id) && !present(&handle) {
        return Ok(());
    }
    if let Some(given) = query
        .temp_data_id
        .as_deref()
        .filter(|v| !v.trim().is_empty())
    {
        if given.trim().parse::<i64>().is_err() {
            return Err(BadRequest(format!(
                "`tempDataId` must be the number POST /api/cxreports/temporary-data answered, not {given:?}"
            )));
        }
    }
    let handle = handle.ok_or_else(not_yours)?;
    let id = state
        .sessions
        .verify_temp_data_handle(&handle, user.name(), session::now())
        .ok_or_else(not_yours)?;
    if let Some(given) = query
        .temp_data_id
        .as_deref()
        .filter(|v| !v.trim().is_empty())
    {
        if given.trim().parse::<i64>().ok() != Some(id) {
            return Err(not_yours());
        }
    }
    query.temp_data_id = Some(id.to_string());
    Ok(())
}

/// Validates the PDF query and writes the upstream query string: `params`
/// (JSON text or base64url, as the contract allows) is forwarded as JSON
/// text; `data` must be JSON; `tempDataId` a number.
pub(super) fn upstream_pdf_query(query: PdfQuery) -> Result<String> {
    let present = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    let params_json = match present(query.params) {
        None => None,
        Some(raw) => Some(
            decode_params(&raw)
                .map_err(|e| BadRequest(e.to_string()))?
                .to_string(),
        ),
    };
    let data_json = match present(query.data) {
        None => None,
        Some(data) => {
            serde_json::from_str::<serde_json::Value>(&data).map_err(|e| {
                BadRequest(format!("`data` must be JSON text, like [{{\"a\":1}}]: {e}"))
            })?;
            Some(data)
        }
    };
    let temp_data_id = match present(query.temp_data_id) {
        None => None,
        Some(id) => Some(id.trim().parse::<i64>().map_err(|_| {
            BadRequest(format!(
                "`tempDataId` must be the number POST /api/cxreports/temporary-data answered, not {id:?}"
            ))
        })?),
    };
    let preview = PreviewQuery {
        params_json,
        data_json,
        temp_data_id,
        timezone: query.timezone,
        lang: query.lang,
        theme: query.theme,
        template: query.template,
        hide_print_button: false,
    };
    Ok(preview
        .pairs("", ParamsEncoding::Json)
        .into_iter()
        .filter(|(key, _)| *key != "nonce")
        .map(|(key, value)| format!("{key}={}", encode_query_value(&value)))
        .collect::<Vec<_>>()
        .join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pdf_query_keeps_known_keys_and_drops_the_rest() {
        let query = PdfQuery {
            params: Some("eyJ5ZWFyIjoyMDI2fQ".into()),
            data: Some("[1]".into()),
            temp_data_id: Some("7".into()),
            timezone: Some("Europe/Belgrade".into()),
            lang: Some(String::new()),
            ..PdfQuery::default()
        };
        assert_eq!(
            upstream_pdf_query(query).unwrap(),
            "params=%7B%22year%22%3A2026%7D&data=%5B1%5D&tempDataId=7&timezone=Europe%2FBelgrade"
        );
        assert_eq!(upstream_pdf_query(PdfQuery::default()).unwrap(), "");
        for bad in [
            PdfQuery {
                params: Some("[1]".into()),
                ..PdfQuery::default()
            },
            PdfQuery {
                data: Some("{nope".into()),
                ..PdfQuery::default()
            },
            PdfQuery {
                temp_data_id: Some("x".into()),
                ..PdfQuery::default()
            },
        ] {
            assert_eq!(upstream_pdf_query(bad).unwrap_err().kind(), "bad_request");
        }
    }
}
