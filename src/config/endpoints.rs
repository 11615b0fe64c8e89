//! The host backend's endpoints (`reportsUrl`, `reportTypesUrl`, `pdfUrl`),
//! and what makes an endpoint.
use crate::error::ConfigError;

use super::options::Options;
use super::required::validate_cxreports_url;

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

/// An endpoint is absolute http(s) or a path on this site (`/x`, `./x`, `../x`).
/// `javascript:`, `data:` and other schemes, and protocol-relative `//host`, are not.
pub fn is_endpoint(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let clean = url
        .chars()
        .all(|c| !c.is_whitespace() && !c.is_control() && c != '\\');
    let absolute = (lower.starts_with("https://") || lower.starts_with("http://"))
        && validate_cxreports_url(url.split(['?', '#']).next().unwrap_or_default()).is_ok();
    let path = (url.starts_with('/') && !url.starts_with("//"))
        || url.starts_with("./")
        || url.starts_with("../");
    clean && (absolute || path)
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

    #[test]
    fn endpoints_are_http_or_paths_on_this_site() {
        for good in [
            "/a",
            "./a",
            "../a",
            "HTTPS://H.example/a?b#c",
            "http://[::1]:8/a",
        ] {
            assert!(is_endpoint(good), "{good}");
        }
        for bad in [
            "",
            "a/b",
            "//h/a",
            "/a\\b",
            "/a\tb",
            "https://u@h/a",
            "https://h:0/a",
            "mailto:a@b",
            "vbscript:x",
        ] {
            assert!(!is_endpoint(bad), "{bad:?}");
        }
    }
}
