//! The report list as the picker shows it: grouped by report type, filtered
//! by a search text. Pure functions.
use cxreports_contract::model::{Report, ReportType};

/// Reports of one type, in list order.
#[derive(Debug, Clone, PartialEq)]
pub struct Group<'a> {
    /// The type's display name.
    pub type_name: &'a str,
    /// Its reports that match the filter.
    pub reports: Vec<&'a Report>,
}

/// Groups `reports` by type and keeps those whose name or type name contains
/// `filter` (case-insensitive). Groups follow `types` when given (types it
/// does not list come after), else the order types first appear in.
///
/// ```
/// use cxreports_contract::model::Report;
/// use cxreports_widget::internals::group_reports;
/// let r = |id, name: &str, t: &str| Report {
///     id, name: name.into(), report_type_id: 0, report_type_name: t.into(),
///     report_template_name: String::new(), preview_image: None, theme_name: None, is_default: false,
/// };
/// let list = [r(1, "Q1", "Sales"), r(2, "Stock", "Ops"), r(3, "Q2", "Sales")];
/// let groups = group_reports(&list, None, "q");
/// assert_eq!(groups.len(), 1);
/// assert_eq!(groups[0].reports.len(), 2);
/// ```
pub fn group_reports<'a>(
    reports: &'a [Report],
    types: Option<&'a [ReportType]>,
    filter: &str,
) -> Vec<Group<'a>> {
    let needle = fold_case(filter.trim());
    group_where(reports, types, &|r, _| {
        needle.is_empty()
            || fold_case(&r.name).contains(&needle)
            || fold_case(&r.report_type_name).contains(&needle)
    })
}

/// The reports' names and type names as the search matches them
/// ([`fold_case`]d), folded once per list instead of at every keystroke.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchKeys(Vec<String>);

impl SearchKeys {
    /// The keys of `reports`, in their order: each report's name, then its
    /// type's name. In the browser, one call into the JS engine folds them
    /// all: joined by a NUL, which no case mapping makes or takes, and which
    /// ends a word for the one mapping that looks at words (a final sigma)
    /// as the end of a text does. A list holding a NUL is folded one by one.
    pub fn new(reports: &[Report]) -> Self {
        let mut joined = String::new();
        for r in reports {
            for text in [&r.name, &r.report_type_name] {
                joined.push_str(text);
                joined.push('\0');
            }
        }
        let mut keys: Vec<String> = fold_case(&joined).split('\0').map(str::to_owned).collect();
        keys.pop();
        if keys.len() != 2 * reports.len() {
            keys = reports
                .iter()
                .flat_map(|r| [fold_case(&r.name), fold_case(&r.report_type_name)])
                .collect();
        }
        SearchKeys(keys)
    }
}

/// [`group_reports`], matching against `keys` (of these same `reports`).
pub fn group_reports_keyed<'a>(
    reports: &'a [Report],
    types: Option<&'a [ReportType]>,
    filter: &str,
    keys: &SearchKeys,
) -> Vec<Group<'a>> {
    if keys.0.len() != 2 * reports.len() {
        return group_reports(reports, types, filter);
    }
    let needle = fold_case(filter.trim());
    group_where(reports, types, &|_, i| {
        needle.is_empty() || keys.0[2 * i].contains(&needle) || keys.0[2 * i + 1].contains(&needle)
    })
}

/// Groups the reports that `matches` (given each report and its index).
fn group_where<'a>(
    reports: &'a [Report],
    types: Option<&'a [ReportType]>,
    matches: &dyn Fn(&Report, usize) -> bool,
) -> Vec<Group<'a>> {
    let mut groups: Vec<(i64, Group<'a>)> = Vec::new();
    for (_, report) in reports.iter().enumerate().filter(|(i, r)| matches(r, *i)) {
        match groups
            .iter_mut()
            .find(|(id, g)| *id == report.report_type_id && g.type_name == report.report_type_name)
        {
            Some((_, group)) => group.reports.push(report),
            None => groups.push((
                report.report_type_id,
                Group {
                    type_name: &report.report_type_name,
                    reports: vec![report],
                },
            )),
        }
    }
    let mut ordered = Vec::with_capacity(groups.len());
    // Types in the order given, then the rest in list order.
    for t in types.unwrap_or_default() {
        while let Some(at) = groups.iter().position(|(id, _)| *id == t.id) {
            ordered.push(groups.remove(at).1);
        }
    }
    ordered.extend(groups.into_iter().map(|(_, g)| g));
    ordered
}

/// Lower-cases for matching, Unicode-aware. In the browser it asks the JS
/// engine, which keeps Rust's Unicode case tables out of the bundle.
pub fn fold_case(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.to_lowercase()
    }
}

/// The display name of a report reference, from the list when it is there.
pub fn report_name<'a>(
    reports: &'a [Report],
    types: Option<&'a [ReportType]>,
    id_or_code: &cxreports_contract::ReportRef,
) -> Option<&'a str> {
    match id_or_code {
        cxreports_contract::ReportRef::Id(id) => reports
            .iter()
            .find(|r| r.id == *id)
            .map(|r| r.name.as_str()),
        cxreports_contract::ReportRef::TypeCode(code) => types
            .and_then(|t| t.iter().find(|t| &t.code == code))
            .and_then(|t| t.default_report_name.as_deref().or(Some(t.name.as_str()))),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use cxreports_contract::ReportRef;

    fn r(id: i64, name: &str, type_id: i64, t: &str) -> Report {
        Report {
            id,
            name: name.into(),
            report_type_id: type_id,
            report_type_name: t.into(),
            report_template_name: String::new(),
            preview_image: None,
            theme_name: None,
            is_default: false,
        }
    }

    proptest::proptest! {
        #[test]
        fn keyed_search_matches_as_folding_each_time(
            names in proptest::collection::vec("[a-cA-CσςΣİ\\x00 ]{0,6}", 0..12),
            filter in "[a-cA-CσςΣİ ]{0,3}",
        ) {
            let list: Vec<Report> = names
                .iter()
                .enumerate()
                .map(|(i, n)| r(i as i64, n, (i % 3) as i64, &names[(i + 1) % names.len()]))
                .collect();
            let keys = SearchKeys::new(&list);
            proptest::prop_assert_eq!(
                group_reports_keyed(&list, None, &filter, &keys),
                group_reports(&list, None, &filter)
            );
        }
    }

    #[test]
    fn groups_follow_types_and_filter_matches_names_and_types() {
        let list = [
            r(1, "Zürich Q3", 1, "Sales"),
            r(2, "Stock", 2, "Ops"),
            r(3, "Q2", 1, "Sales"),
        ];
        let types = [
            ReportType {
                id: 2,
                name: "Ops".into(),
                description: None,
                code: "ops".into(),
                default_report_id: Some(2),
                default_report_name: Some("Stock".into()),
            },
            ReportType {
                id: 1,
                name: "Sales".into(),
                description: None,
                code: "s".into(),
                default_report_id: None,
                default_report_name: None,
            },
        ];
        let g = group_reports(&list, Some(&types), "");
        assert_eq!(
            g.iter().map(|g| g.type_name).collect::<Vec<_>>(),
            ["Ops", "Sales"]
        );
        assert_eq!(
            g[1].reports.iter().map(|r| r.id).collect::<Vec<_>>(),
            [1, 3]
        );
        assert_eq!(group_reports(&list, None, "ZÜRICH")[0].reports[0].id, 1);
        assert_eq!(group_reports(&list, None, "ops")[0].reports[0].id, 2);
        assert!(group_reports(&list, None, "nothing").is_empty());
        assert_eq!(
            report_name(&list, Some(&types), &ReportRef::Id(3)),
            Some("Q2")
        );
        assert_eq!(
            report_name(&list, Some(&types), &ReportRef::TypeCode("ops".into())),
            Some("Stock")
        );
        assert_eq!(report_name(&list, None, &ReportRef::Id(9)), None);
    }
}
