//! The preview query (shared by the viewer and the PDF export), read and
//! checked once.
use cxreports_contract::{decode_params, ContractError};
use serde::Deserialize;
use thiserror::Error;

use crate::state::{Sim, TempDataLookup};

/// The preview query as it arrives; every value optional, unknown keys
/// ignored (as CxReports' clients may add more).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RawPreviewQuery {
    pub nonce: Option<String>,
    pub params: Option<String>,
    pub data: Option<String>,
    pub temp_data_id: Option<String>,
    pub timezone: Option<String>,
    pub lang: Option<String>,
    pub theme: Option<String>,
    pub template: Option<String>,
    pub hide_print_button: Option<String>,
}

/// A preview query value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub(crate) enum InputError {
    #[error("{0}")]
    Params(#[from] ContractError),
    #[error("`data` is not JSON text ({0}): send the report data as JSON, or large data through temporary-data")]
    Data(String),
    #[error("`tempDataId` {0:?} is not an integer: pass the tempDataId that POST /api/v1/ws/{{ws}}/temporary-data answered")]
    TempDataId(String),
}

/// Temporary data named by the query, and whether it was found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TempDataInput {
    pub id: i64,
    pub lookup: TempDataLookup,
}

/// What a report is rendered with.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ReportInputs {
    pub params: Option<serde_json::Value>,
    pub data: Option<serde_json::Value>,
    pub temp_data: Option<TempDataInput>,
    pub timezone: Option<String>,
    pub lang: Option<String>,
    pub theme: Option<String>,
    pub template: Option<String>,
    pub hide_print_button: bool,
}

/// CxReports' clients leave out keys with no value; an empty value that
/// arrives anyway means the same.
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

impl ReportInputs {
    pub fn read(raw: &RawPreviewQuery, sim: &Sim, workspace_id: i64) -> Result<Self, InputError> {
        let params = present(&raw.params).map(decode_params).transpose()?;
        let data = present(&raw.data)
            .map(|data| {
                serde_json::from_str::<serde_json::Value>(data)
                    .map_err(|e| InputError::Data(e.to_string()))
            })
            .transpose()?;
        let temp_data = present(&raw.temp_data_id)
            .map(|text| {
                let id = text
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| InputError::TempDataId(text.to_owned()))?;
                Ok::<_, InputError>(TempDataInput {
                    id,
                    lookup: sim.temp_data(workspace_id, id),
                })
            })
            .transpose()?;
        let owned = |value: &Option<String>| present(value).map(str::to_owned);
        Ok(ReportInputs {
            params,
            data,
            temp_data,
            timezone: owned(&raw.timezone),
            lang: owned(&raw.lang),
            theme: owned(&raw.theme),
            template: owned(&raw.template),
            hide_print_button: present(&raw.hide_print_button)
                .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1"),
        })
    }

    /// Labelled lines in display order, shared by the viewer and the PDF so
    /// both show the same thing.
    pub fn display_fields(&self) -> Vec<DisplayField> {
        let text = |value: &Option<String>| value.clone().unwrap_or_else(|| NONE.to_owned());
        let json = |value: &Option<serde_json::Value>| {
            value.as_ref().map_or_else(|| NONE.to_owned(), pretty_json)
        };
        let temp_data = match &self.temp_data {
            None => NONE.to_owned(),
            Some(TempDataInput {
                lookup: TempDataLookup::Found(content),
                ..
            }) => pretty_json(content),
            Some(TempDataInput {
                id,
                lookup: TempDataLookup::Missing,
            }) => format!(
                "Temporary data {id} is unknown in this workspace or has expired: push the data again and use the new tempDataId."
            ),
        };
        vec![
            DisplayField::new("timezone", "Time zone", text(&self.timezone), false),
            DisplayField::new("lang", "Language", text(&self.lang), false),
            DisplayField::new("theme", "Theme", text(&self.theme), false),
            DisplayField::new("template", "Template", text(&self.template), false),
            DisplayField::new("params", "Parameters", json(&self.params), true),
            DisplayField::new("data", "Data", json(&self.data), true),
            DisplayField::new("temp-data", "Temporary data", temp_data, true),
        ]
    }
}

/// What an absent value reads as.
pub(crate) const NONE: &str = "(none)";

/// One labelled value; `id` is the viewer element's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DisplayField {
    pub id: &'static str,
    pub label: &'static str,
    pub value: String,
    /// Preformatted (JSON) rather than a one-line value.
    pub block: bool,
}

impl DisplayField {
    fn new(id: &'static str, label: &'static str, value: String, block: bool) -> Self {
        DisplayField {
            id,
            label,
            value,
            block,
        }
    }
}

fn pretty_json(value: &serde_json::Value) -> String {
    // Serializing a Value cannot fail (all its keys are strings).
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimConfig;

    fn read(raw: RawPreviewQuery) -> Result<ReportInputs, InputError> {
        ReportInputs::read(&raw, &Sim::new(SimConfig::default()), 1)
    }

    #[test]
    fn both_params_encodings_read_the_same() {
        let json = read(RawPreviewQuery {
            params: Some(r#"{"year":2026,"region":"Zürich"}"#.into()),
            ..Default::default()
        })
        .unwrap();
        let b64 = read(RawPreviewQuery {
            params: Some("eyJ5ZWFyIjoyMDI2LCJyZWdpb24iOiJaw7xyaWNoIn0".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(json, b64);
        assert!(json.params.is_some());
    }

    #[test]
    fn empty_values_are_absent_and_bad_ones_are_errors() {
        let inputs = read(RawPreviewQuery {
            params: Some(String::new()),
            lang: Some(String::new()),
            hide_print_button: Some("TRUE".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(inputs.params, None);
        assert_eq!(inputs.lang, None);
        assert!(inputs.hide_print_button);
        assert!(matches!(
            read(RawPreviewQuery {
                params: Some("WzFd".into()), // base64url of [1]
                ..Default::default()
            }),
            Err(InputError::Params(ContractError::ParamsNotObject))
        ));
        assert!(matches!(
            read(RawPreviewQuery {
                data: Some("{oops".into()),
                ..Default::default()
            }),
            Err(InputError::Data(_))
        ));
        assert!(matches!(
            read(RawPreviewQuery {
                temp_data_id: Some("x1".into()),
                ..Default::default()
            }),
            Err(InputError::TempDataId(_))
        ));
    }

    #[test]
    fn unknown_temp_data_reads_as_a_visible_message() {
        let inputs = read(RawPreviewQuery {
            temp_data_id: Some("77".into()),
            ..Default::default()
        })
        .unwrap();
        let fields = inputs.display_fields();
        let temp = fields.iter().find(|f| f.id == "temp-data").unwrap();
        assert!(temp.value.contains("unknown"), "{}", temp.value);
    }
}
