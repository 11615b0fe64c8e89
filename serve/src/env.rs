//! Reading settings from the environment, the same way in every server:
//! a variable that is not Unicode is an error (not silently unset), and
//! the values of numbers, switches and lists are read by the same rules.
//! Each server keeps its own error messages, naming its own variables.
use thiserror::Error;

/// A variable that holds bytes that are not Unicode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("{0} holds text that is not valid Unicode: set it to plain text")]
pub struct NotUnicode(pub &'static str);

/// The process environment's `name`: `None` when unset.
///
/// ```
/// assert_eq!(cxreports_serve::var("CXR_SERVE_DOC_UNSET_VARIABLE"), Ok(None));
/// ```
pub fn var(name: &'static str) -> Result<Option<String>, NotUnicode> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(NotUnicode(name)),
    }
}

/// A variable's value read by `parse`: unset stays `None`, a value
/// `parse` refuses is `bad(value)`, so each server words the error for its
/// own variable.
///
/// ```
/// use cxreports_serve::{parse_set, positive_number};
/// let bad = |value: String| format!("X={value:?} is not a number");
/// assert_eq!(parse_set(Some("5".into()), positive_number, bad), Ok(Some(5)));
/// assert_eq!(parse_set(None, positive_number, bad), Ok(None));
/// assert_eq!(parse_set(Some("x".into()), positive_number, bad), Err("X=\"x\" is not a number".into()));
/// ```
pub fn parse_set<T, E>(
    value: Option<String>,
    parse: impl FnOnce(&str) -> Option<T>,
    bad: impl FnOnce(String) -> E,
) -> Result<Option<T>, E> {
    match value {
        None => Ok(None),
        Some(value) => match parse(&value) {
            Some(parsed) => Ok(Some(parsed)),
            None => Err(bad(value)),
        },
    }
}

/// A whole number above 0, surrounding whitespace ignored; `None` for
/// anything else.
///
/// ```
/// use cxreports_serve::positive_number;
/// assert_eq!(positive_number(" 1500 "), Some(1500));
/// assert_eq!(positive_number("0"), None);
/// ```
pub fn positive_number(value: &str) -> Option<u64> {
    value.trim().parse::<u64>().ok().filter(|&n| n > 0)
}

/// A yes/no setting: `1`, `true`, `yes`, `on` or `0`, `false`, `no`,
/// `off`, in any case, surrounding whitespace ignored; `None` for anything
/// else.
///
/// ```
/// use cxreports_serve::switch;
/// assert_eq!(switch("On"), Some(true));
/// assert_eq!(switch("0"), Some(false));
/// assert_eq!(switch("maybe"), None);
/// ```
pub fn switch(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// The items of a comma-separated list, trimmed, empty ones skipped.
///
/// ```
/// let items: Vec<&str> = cxreports_serve::comma_list(" a, ,b ,").collect();
/// assert_eq!(items, ["a", "b"]);
/// ```
pub fn comma_list(text: &str) -> impl Iterator<Item = &str> {
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_whole_and_above_zero() {
        assert_eq!(positive_number("7"), Some(7));
        assert_eq!(positive_number("\t30000\n"), Some(30_000));
        for bad in [
            "",
            " ",
            "0",
            "-1",
            "1.5",
            "x",
            "1e3",
            "99999999999999999999",
        ] {
            assert_eq!(positive_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn switches_are_on_or_off_or_neither() {
        for on in ["1", "true", "YES", " on "] {
            assert_eq!(switch(on), Some(true), "{on:?}");
        }
        for off in ["0", "False", "no", "OFF"] {
            assert_eq!(switch(off), Some(false), "{off:?}");
        }
        for neither in ["", "2", "enabled", "y"] {
            assert_eq!(switch(neither), None, "{neither:?}");
        }
    }

    #[test]
    fn lists_skip_blanks() {
        assert_eq!(comma_list("").count(), 0);
        assert_eq!(comma_list(" , ,").count(), 0);
        assert_eq!(
            comma_list("invoice, revenue,,x").collect::<Vec<_>>(),
            ["invoice", "revenue", "x"]
        );
    }

    #[test]
    fn a_variable_that_is_not_unicode_is_named() {
        assert_eq!(
            NotUnicode("SIM_PATS").to_string(),
            "SIM_PATS holds text that is not valid Unicode: set it to plain text"
        );
    }
}
