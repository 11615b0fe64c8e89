//! Checks of the CxReports URL and the PAT, with messages that say what
//! to give instead.
use std::path::Path;

use super::ConfigError;
use crate::secret::Secret;

/// Checks the URL and answers it without a trailing `/`.
pub(super) fn validate_url(url: &str) -> Result<String, ConfigError> {
    let bad = |reason: &str| ConfigError::BadUrl {
        value: url.to_owned(),
        reason: reason.to_owned(),
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| bad(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad("it must start with http:// or https://"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("it names no host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad(
            "it carries a user name or password; the PAT is the only credential, in CXREPORTS_PAT",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(bad("it has a query or fragment; give only the base URL"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

pub(super) fn read_pat_file(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path)
        .map(|text| text.trim().to_owned())
        .map_err(|e| ConfigError::PatFile {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
}

pub(super) fn validate_pat(pat: String, source_name: String) -> Result<Secret, ConfigError> {
    if pat.is_empty() {
        return Err(ConfigError::EmptyPat { source_name });
    }
    if !pat.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ConfigError::BadPat { source_name });
    }
    Ok(Secret::new(pat))
}
