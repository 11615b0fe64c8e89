//! The reports: a static list (`reports`), and the one shown first (`report`).
use std::rc::Rc;

use cxreports_contract::model::Report;
use cxreports_contract::{encode_path_segment, ReportRef};

use crate::error::ConfigError;

use super::options::Options;
use super::RawValue;

/// `reports`: a list the front end read as the contract's reports.
pub(super) fn report_list(options: &Options<'_>) -> Result<Option<Rc<Vec<Report>>>, ConfigError> {
    match options.get("reports") {
        None => Ok(None),
        Some(RawValue::Reports(list)) => Ok(Some(list.clone())),
        Some(_) => Err(ConfigError::WrongType {
            name: "reports",
            expected: "an array of reports",
        }),
    }
}

/// `report`: an id (all digits) or a report-type code, usable as one path
/// segment.
pub(super) fn first_report(options: &Options<'_>) -> Result<Option<ReportRef>, ConfigError> {
    let report = options.string("report")?.map(|r| ReportRef::parse(&r));
    if let Some(r) = &report {
        encode_path_segment(&r.to_string()).map_err(|e| ConfigError::BadValue {
            name: "report",
            detail: e.to_string(),
        })?;
    }
    Ok(report)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::options::testing::{json, read, text};
    use super::*;

    #[test]
    fn a_report_list_is_the_contracts_list() {
        let list = Rc::new(Vec::new());
        let given = [("reports", RawValue::Reports(list.clone()))];
        assert!(read(&given, report_list)
            .unwrap()
            .is_some_and(|l| Rc::ptr_eq(&l, &list)));
        assert_eq!(
            read(&[("reports", RawValue::Absent)], report_list),
            Ok(None)
        );
        for wrong in [json("[]"), json("{}"), text("[]")] {
            assert_eq!(
                read(&[("reports", wrong)], report_list),
                Err(ConfigError::WrongType {
                    name: "reports",
                    expected: "an array of reports"
                })
            );
        }
    }

    #[test]
    fn the_first_report_is_an_id_or_a_type_code() {
        let first = |v: RawValue| read(&[("report", v)], first_report);
        assert_eq!(first(RawValue::Num(42.0)), Ok(Some(ReportRef::Id(42))));
        assert_eq!(first(text(" 007 ")), Ok(Some(ReportRef::Id(7))));
        assert_eq!(
            first(text("invoice")),
            Ok(Some(ReportRef::TypeCode("invoice".into())))
        );
        assert_eq!(first(text("")), Ok(None));
        assert!(matches!(
            first(text("..")),
            Err(ConfigError::BadValue { name: "report", .. })
        ));
        assert_eq!(
            first(RawValue::Num(0.5)),
            Err(ConfigError::WrongType {
                name: "report",
                expected: "a string"
            })
        );
    }
}
