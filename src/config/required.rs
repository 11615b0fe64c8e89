//! The two options every widget needs: the CxReports server (`cxreportsUrl`)
//! and the `workspace` on it.
use cxreports_contract::encode_path_segment;

use crate::error::ConfigError;

use super::options::Options;
use super::urls::validate_cxreports_url;

/// `cxreportsUrl`: required, and [`validate_cxreports_url`].
pub(super) fn cxreports_url(options: &Options<'_>) -> Result<String, ConfigError> {
    let url = options
        .string("cxreportsUrl")?
        .ok_or(ConfigError::Missing("cxreportsUrl"))?;
    validate_cxreports_url(&url)
}

/// `workspace`: required, and usable as one path segment.
pub(super) fn workspace(options: &Options<'_>) -> Result<String, ConfigError> {
    let workspace = options
        .string("workspace")?
        .ok_or(ConfigError::Missing("workspace"))?;
    encode_path_segment(&workspace).map_err(|e| ConfigError::BadValue {
        name: "workspace",
        detail: e.to_string(),
    })?;
    Ok(workspace)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::options::testing::{read, text};
    use super::super::RawValue;
    use super::*;

    #[test]
    fn the_server_is_required_and_loses_its_trailing_slashes() {
        let url = |v: RawValue| read(&[("cxreportsUrl", v)], cxreports_url);
        assert_eq!(
            url(text(" https://h.example/cx// ")),
            Ok("https://h.example/cx".into())
        );
        assert_eq!(
            url(RawValue::Num(8.0)),
            Err(ConfigError::BadCxreportsUrl("8".into()))
        );
        for missing in [RawValue::Absent, text("  ")] {
            assert_eq!(url(missing), Err(ConfigError::Missing("cxreportsUrl")));
        }
        assert_eq!(
            url(RawValue::Bool(true)),
            Err(ConfigError::WrongType {
                name: "cxreportsUrl",
                expected: "a string"
            })
        );
        assert_eq!(
            url(text("ftp://h")),
            Err(ConfigError::BadCxreportsUrl("ftp://h".into()))
        );
    }

    #[test]
    fn the_workspace_is_required_and_one_path_segment() {
        let ws = |v: RawValue| read(&[("workspace", v)], workspace);
        assert_eq!(ws(text(" sales ")), Ok("sales".into()));
        assert_eq!(ws(text("a/b")), Ok("a/b".into()), "encoded, not refused");
        assert_eq!(ws(RawValue::Num(3.0)), Ok("3".into()));
        assert_eq!(ws(RawValue::Absent), Err(ConfigError::Missing("workspace")));
        for dots in [".", ".."] {
            assert!(
                matches!(
                    ws(text(dots)),
                    Err(ConfigError::BadValue {
                        name: "workspace",
                        ..
                    })
                ),
                "{dots}"
            );
        }
    }
}
