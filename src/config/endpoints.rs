//! The host backend's endpoints (`reportsUrl`, `reportTypesUrl`, `pdfUrl`);
//! what makes an endpoint is [`super::urls::is_endpoint`].
use crate::error::ConfigError;

use super::options::Options;

/// The host backend's optional endpoints.
#[derive(Debug, PartialEq)]
pub(super) struct Endpoints {
    /// `reportsUrl`.
    pub(super) reports_url: Option<String>,
    /// `reportTypesUrl`.
    pub(super) report_types_url: Option<String>,
    /// `pdfUrl`.
    pub(super) pdf_url: Option<String>,
}

/// `reportsUrl`, `reportTypesUrl` and `pdfUrl`, checked in that order.
pub(super) fn endpoints(options: &Options<'_>) -> Result<Endpoints, ConfigError> {
    Ok(Endpoints {
        reports_url: options.endpoint("reportsUrl")?,
        report_types_url: options.endpoint("reportTypesUrl")?,
        pdf_url: options.endpoint("pdfUrl")?,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::options::testing::{read, text};
    use super::super::RawValue;
    use super::*;

    #[test]
    fn none_given_is_none() {
        assert_eq!(
            read(&[], endpoints),
            Ok(Endpoints {
                reports_url: None,
                report_types_url: None,
                pdf_url: None
            })
        );
    }

    #[test]
    fn each_is_read_trimmed() {
        let given = [
            ("pdfUrl", text("https://h.example/pdf/{report}")),
            ("reportsUrl", text(" /api/reports ")),
            ("reportTypesUrl", text("../types")),
        ];
        assert_eq!(
            read(&given, endpoints),
            Ok(Endpoints {
                reports_url: Some("/api/reports".into()),
                report_types_url: Some("../types".into()),
                pdf_url: Some("https://h.example/pdf/{report}".into()),
            })
        );
    }

    #[test]
    fn checked_in_order() {
        let bad = |name| (name, text("x:y"));
        let first = |given: &[(&str, RawValue)]| match read(given, endpoints) {
            Err(ConfigError::BadEndpoint { name, .. }) => name,
            other => panic!("{other:?}"),
        };
        let all = [bad("pdfUrl"), bad("reportTypesUrl"), bad("reportsUrl")];
        assert_eq!(first(&all), "reportsUrl");
        assert_eq!(first(&all[..2]), "reportTypesUrl");
        assert_eq!(first(&all[..1]), "pdfUrl");
    }
}
