//! Which report types and reports browsers may see. Empty lists allow
//! everything in the workspace; a report passes when its type passes (by
//! code) AND its id passes.
use cxreports_contract::model::{Report, ReportType};

/// The configured allowlists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Allowlist {
    types: Vec<String>,
    reports: Vec<i64>,
}

impl Allowlist {
    /// Report-type codes and report ids; empty lists allow all.
    pub(crate) fn new(types: Vec<String>, reports: Vec<i64>) -> Self {
        Allowlist { types, reports }
    }

    /// Whether types are restricted, so that checking a report needs its
    /// type's code.
    pub(crate) fn restricts_types(&self) -> bool {
        !self.types.is_empty()
    }

    /// Whether reports are restricted by id.
    pub(crate) fn restricts_reports(&self) -> bool {
        !self.reports.is_empty()
    }

    /// Whether the type with `code` is allowed.
    pub(crate) fn allows_type(&self, code: &str) -> bool {
        self.types.is_empty() || self.types.iter().any(|allowed| allowed == code)
    }

    /// Whether the report id is allowed, regardless of its type.
    pub(crate) fn allows_report_id(&self, id: i64) -> bool {
        self.reports.is_empty() || self.reports.contains(&id)
    }

    /// Whether `report` is allowed, given the workspace's report types (to
    /// find its type's code). A report whose type is not among `types` is
    /// refused when types are restricted.
    pub(crate) fn allows_report(&self, report: &Report, types: &[ReportType]) -> bool {
        if !self.allows_report_id(report.id) {
            return false;
        }
        if !self.restricts_types() {
            return true;
        }
        types
            .iter()
            .find(|t| t.id == report.report_type_id)
            .is_some_and(|t| self.allows_type(&t.code))
    }

    /// The allowed types, in their order.
    pub(crate) fn filter_types(&self, types: Vec<ReportType>) -> Vec<ReportType> {
        types
            .into_iter()
            .filter(|t| self.allows_type(&t.code))
            .collect()
    }

    /// The allowed reports, in their order.
    pub(crate) fn filter_reports(&self, reports: Vec<Report>, types: &[ReportType]) -> Vec<Report> {
        reports
            .into_iter()
            .filter(|r| self.allows_report(r, types))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report_type(id: i64, code: &str) -> ReportType {
        ReportType {
            id,
            name: code.into(),
            description: None,
            code: code.into(),
            default_report_id: None,
            default_report_name: None,
        }
    }

    fn report(id: i64, type_id: i64) -> Report {
        Report {
            id,
            name: format!("r{id}"),
            report_type_id: type_id,
            report_type_name: String::new(),
            report_template_name: String::new(),
            preview_image: None,
            theme_name: None,
            is_default: false,
        }
    }

    #[test]
    fn empty_lists_allow_everything() {
        let all = Allowlist::default();
        assert!(all.allows_type("anything"));
        assert!(all.allows_report(&report(1, 99), &[]));
    }

    #[test]
    fn a_report_needs_both_its_id_and_its_type_allowed() {
        let types = [report_type(1, "invoice"), report_type(2, "revenue")];
        let list = Allowlist::new(vec!["invoice".into()], vec![101, 105]);
        assert!(list.allows_report(&report(101, 1), &types));
        assert!(!list.allows_report(&report(105, 2), &types), "type refused");
        assert!(!list.allows_report(&report(102, 1), &types), "id refused");
        assert!(!list.allows_report(&report(101, 7), &types), "unknown type");
        let kept =
            list.filter_reports(vec![report(101, 1), report(102, 1), report(105, 2)], &types);
        assert_eq!(kept.iter().map(|r| r.id).collect::<Vec<_>>(), [101]);
        let kept = list.filter_types(types.to_vec());
        assert_eq!(
            kept.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(),
            ["invoice"]
        );
    }
}
