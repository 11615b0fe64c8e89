//! JSON shapes of the CxReports API, field names as CxReports spells them.
//!
//! ```
//! use cxreports_contract::model::Report;
//! let json = r#"{"id":7,"name":"Q3","reportTypeId":1,"reportTypeName":"Sales",
//!               "reportTemplateName":"Default","isDefault":true}"#;
//! let report: Report = serde_json::from_str(json).unwrap();
//! assert_eq!(report.report_type_name, "Sales");
//! ```
use serde::{Deserialize, Serialize};

/// `GET /api/v1/workspaces` answers a list of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workspace {
    /// Numeric id; usable in paths in place of the code.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Optional description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Short code used in paths, e.g. `sales`.
    pub code: String,
}

/// `GET /api/v1/ws/{ws}/report-types` answers a list of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportType {
    /// Numeric id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Optional description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Code; a preview or PDF path may name the type's default report by it.
    pub code: String,
    /// Id of the type's default report, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_report_id: Option<i64>,
    /// Name of the type's default report, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_report_name: Option<String>,
}

/// `GET /api/v1/ws/{ws}/reports` answers a list of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Numeric id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Id of the report's type.
    pub report_type_id: i64,
    /// Name of the report's type.
    pub report_type_name: String,
    /// Name of the template the report is built on.
    #[serde(default)]
    pub report_template_name: String,
    /// Optional preview image URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_image: Option<String>,
    /// Optional theme name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme_name: Option<String>,
    /// Whether this is its type's default report.
    #[serde(default)]
    pub is_default: bool,
}

/// `POST /api/v1/nonce-tokens` answers this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NonceToken {
    /// The single-use nonce.
    pub nonce: String,
}

/// Body of `POST /api/v1/ws/{ws}/temporary-data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TemporaryDataRequest {
    /// Any JSON the report reads as its data.
    pub content: serde_json::Value,
    /// When the data may be dropped (ISO-8601); the server picks one if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<String>,
}

/// Answer of `POST /api/v1/ws/{ws}/temporary-data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TemporaryDataResponse {
    /// Id to pass as the preview's `tempDataId`.
    pub temp_data_id: i64,
    /// When the data expires (ISO-8601).
    pub expiry_date: String,
}

/// The error body CxReports (and the reference backend) send with a 4xx/5xx.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// Human-readable message.
    pub error: String,
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn optional_fields_may_be_missing_or_null() {
        let t: ReportType = serde_json::from_str(
            r#"{"id":1,"name":"Sales","code":"sales","description":null,"defaultReportId":null}"#,
        )
        .unwrap();
        assert_eq!(t.default_report_id, None);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"id":1,"name":"Sales","code":"sales"}"#);
    }

    #[test]
    fn report_round_trips_in_camel_case() {
        let r = Report {
            id: 3,
            name: "Q3 <b>&".into(),
            report_type_id: 1,
            report_type_name: "Sales".into(),
            report_template_name: "T".into(),
            preview_image: None,
            theme_name: Some("Dark".into()),
            is_default: true,
        };
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"reportTypeId\":1"));
        assert!(json.contains("\"isDefault\":true"));
        assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), r);
    }
}
