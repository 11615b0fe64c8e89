//! The CxReports contract, written once so the widget, the simulator and the
//! reference backend cannot drift apart.
//!
//! - [`model`]: the JSON shapes of the CxReports API (`/api/v1/...`), read as
//!   any faithful server may write them ([`model::Listing`] for lists).
//! - [`ReportRef`]: a report named by numeric id or by report-type code.
//! - [`disposition_file_name`]: the file name a `Content-Disposition` gives.
//! - [`PdfFileName`]: what a downloaded PDF is called, made safe, as the
//!   backend sends it and the widget saves it.
//! - [`PreviewQuery`] and [`preview_url`]: the viewer URL an iframe loads,
//!   with `params` as JSON text or base64url JSON ([`ParamsEncoding`]).
//!
//! ```
//! use cxreports_contract::{preview_url, ParamsEncoding, PreviewQuery, ReportRef};
//!
//! let query = PreviewQuery {
//!     params_json: Some(r#"{"year":2026}"#.into()),
//!     ..PreviewQuery::default()
//! };
//! let url = preview_url(
//!     "https://reports.example.com",
//!     "sales",
//!     &ReportRef::parse("42"),
//!     "n0nce",
//!     &query,
//!     ParamsEncoding::Json,
//! )?;
//! assert_eq!(
//!     url,
//!     "https://reports.example.com/ws/sales/reports/42/preview?nonce=n0nce&params=%7B%22year%22%3A2026%7D"
//! );
//! # Ok::<(), cxreports_contract::ContractError>(())
//! ```
#![deny(missing_docs)]

mod disposition;
mod error;
mod file_name;
pub mod model;
mod preview;
mod report_ref;
mod reports_query;

pub use disposition::disposition_file_name;
pub use error::{ContractError, Result};
pub use file_name::{PdfFileName, MAX_FILE_NAME_CHARS};
pub use preview::{
    decode_params, encode_path_segment, encode_query_value, preview_path, preview_url, push_query,
    ParamsEncoding, PreviewQuery,
};
pub use report_ref::ReportRef;
pub use reports_query::ReportsQuery;
