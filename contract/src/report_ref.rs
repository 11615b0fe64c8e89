use std::fmt;

/// A report as CxReports paths name it: a numeric report id, or the code of a
/// report type (which stands for that type's default report).
///
/// ```
/// use cxreports_contract::ReportRef;
/// assert_eq!(ReportRef::parse("42"), ReportRef::Id(42));
/// assert_eq!(ReportRef::parse("invoice"), ReportRef::TypeCode("invoice".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReportRef {
    /// A report id.
    Id(i64),
    /// A report-type code: the default report of that type.
    TypeCode(String),
}

impl ReportRef {
    /// Reads a path segment or option value: all ASCII digits (that fit an
    /// `i64`) is an id, anything else a type code.
    pub fn parse(text: &str) -> Self {
        let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        match text.parse::<i64>() {
            Ok(id) if digits => ReportRef::Id(id),
            _ => ReportRef::TypeCode(text.to_owned()),
        }
    }

    /// The id, if this names a report by id.
    pub fn id(&self) -> Option<i64> {
        match self {
            ReportRef::Id(id) => Some(*id),
            ReportRef::TypeCode(_) => None,
        }
    }
}

impl fmt::Display for ReportRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportRef::Id(id) => write!(f, "{id}"),
            ReportRef::TypeCode(code) => f.write_str(code),
        }
    }
}

impl From<i64> for ReportRef {
    fn from(id: i64) -> Self {
        ReportRef::Id(id)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn digits_are_ids_everything_else_a_code() {
        assert_eq!(ReportRef::parse("007"), ReportRef::Id(7));
        assert_eq!(ReportRef::parse(""), ReportRef::TypeCode(String::new()));
        assert_eq!(ReportRef::parse("-1"), ReportRef::TypeCode("-1".into()));
        assert_eq!(ReportRef::parse("+1"), ReportRef::TypeCode("+1".into()));
        assert_eq!(
            ReportRef::parse("99999999999999999999"),
            ReportRef::TypeCode("99999999999999999999".into())
        );
        assert_eq!(ReportRef::parse("42").to_string(), "42");
    }
}
