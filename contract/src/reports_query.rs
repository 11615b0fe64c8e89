//! The query of `GET /api/v1/ws/{ws}/reports`: `type`, `offset`, `limit`.
use serde::Deserialize;

use crate::{ContractError, Result};

/// `?type=&offset=&limit=` as received, read once by every server that
/// lists reports (the simulator and the reference backend).
///
/// ```
/// use cxreports_contract::ReportsQuery;
/// let q = ReportsQuery { offset: Some("2".into()), ..ReportsQuery::default() };
/// assert_eq!(q.window().unwrap(), (2, usize::MAX));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ReportsQuery {
    /// Report-type code to filter by.
    #[serde(rename = "type")]
    pub type_code: Option<String>,
    /// How many reports to skip (text, as it came).
    pub offset: Option<String>,
    /// How many reports at most (text, as it came).
    pub limit: Option<String>,
}

impl ReportsQuery {
    /// `(offset, limit)`: 0 and unlimited when absent or blank.
    pub fn window(&self) -> Result<(usize, usize)> {
        Ok((
            count("offset", self.offset.as_deref())?.unwrap_or(0),
            count("limit", self.limit.as_deref())?.unwrap_or(usize::MAX),
        ))
    }
}

fn count(name: &'static str, value: Option<&str>) -> Result<Option<usize>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => text
            .parse::<usize>()
            .map(Some)
            .map_err(|_| ContractError::BadCount {
                name,
                text: text.to_owned(),
            }),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn counts_are_whole_numbers() {
        let q = |o: &str, l: &str| ReportsQuery {
            type_code: None,
            offset: Some(o.into()),
            limit: Some(l.into()),
        };
        assert_eq!(q(" 3 ", "").window(), Ok((3, usize::MAX)));
        assert_eq!(
            q("-1", "5").window(),
            Err(ContractError::BadCount {
                name: "offset",
                text: "-1".into()
            })
        );
        assert!(q("0", "x")
            .window()
            .unwrap_err()
            .to_string()
            .contains("`limit` must be a whole number"));
    }
}
