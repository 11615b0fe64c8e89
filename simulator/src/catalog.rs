//! The seeded, read-only catalog: workspaces, report types and reports.
//!
//! Some names carry non-ASCII and HTML-special characters on purpose, so
//! that every consumer has to escape and encode them properly.
use cxreports_contract::model::{Report, ReportType, Workspace};
use cxreports_contract::ReportRef;

/// A report type and the workspace it belongs to.
#[derive(Debug, Clone)]
pub(crate) struct TypeEntry {
    pub workspace_id: i64,
    pub report_type: ReportType,
}

/// A report and the workspace it belongs to.
#[derive(Debug, Clone)]
pub(crate) struct ReportEntry {
    pub workspace_id: i64,
    pub report: Report,
}

/// Everything the API lists.
#[derive(Debug, Clone)]
pub(crate) struct Catalog {
    pub workspaces: Vec<Workspace>,
    pub types: Vec<TypeEntry>,
    pub reports: Vec<ReportEntry>,
}

/// A seeded report: id, type id, name, template, theme, is default.
type SeedReport = (
    i64,
    i64,
    &'static str,
    &'static str,
    Option<&'static str>,
    bool,
);

/// Why a report could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum LookupError {
    #[error("no workspace {0:?}: use an id or code from GET /api/v1/workspaces")]
    Workspace(String),
    #[error("no report {id} in workspace {workspace:?}: use an id from GET /api/v1/ws/{workspace}/reports")]
    Report { workspace: String, id: i64 },
    #[error("no report type {code:?} in workspace {workspace:?}: use a code from GET /api/v1/ws/{workspace}/report-types")]
    Type { workspace: String, code: String },
    #[error("report type {code:?} has no default report: name a report by its id instead")]
    NoDefault { code: String },
}

/// The first id of the generated reports (`SIM_EXTRA_REPORTS`).
pub(crate) const FIRST_EXTRA_ID: i64 = 1001;

impl Catalog {
    /// The seeded catalog.
    #[cfg(test)]
    pub fn seeded() -> Self {
        Self::seeded_with(0)
    }

    /// The seeded catalog plus `extra` generated reports in `sales`, ids
    /// from [`FIRST_EXTRA_ID`], spread over its first three types; every
    /// seventh has no template, so empty fields occur among them too.
    pub fn seeded_with(extra: usize) -> Self {
        let mut catalog = Self::seed();
        let sales_types: Vec<(i64, String)> = catalog
            .types
            .iter()
            .filter(|t| t.workspace_id == 1)
            .take(3)
            .map(|t| (t.report_type.id, t.report_type.name.clone()))
            .collect();
        if sales_types.is_empty() {
            return catalog;
        }
        for (n, id) in (FIRST_EXTRA_ID..).take(extra).enumerate() {
            let (type_id, type_name) = &sales_types[n % sales_types.len()];
            catalog.reports.push(ReportEntry {
                workspace_id: 1,
                report: Report {
                    id,
                    name: format!("Generated report {:05}", n + 1),
                    report_type_id: *type_id,
                    report_type_name: type_name.clone(),
                    report_template_name: if n % 7 == 6 {
                        String::new()
                    } else {
                        "Generated".to_owned()
                    },
                    preview_image: None,
                    theme_name: None,
                    is_default: false,
                },
            });
        }
        catalog
    }

    fn seed() -> Self {
        // (id, workspace id, code, name, description)
        let types: [(i64, i64, &str, &str, &str); 6] = [
            (1, 1, "invoice", "Invoice", "Invoices and credit notes"),
            (2, 1, "revenue", "Revenue", "Revenue and margin analysis"),
            (3, 1, "customers", "Customers", "Customer lists"),
            (
                4,
                1,
                "drafts",
                "Drafts",
                "Work in progress; no default report",
            ),
            (5, 2, "inventory", "Inventory", "Stock and warehouses"),
            (6, 2, "shipping", "Shipping", "Shipments and deliveries"),
        ];
        let reports: [SeedReport; 19] = [
            (
                101,
                1,
                "Standard Invoice",
                "Invoice A4",
                Some("Corporate"),
                true,
            ),
            (102, 1, "Proforma Invoice", "Invoice A4", None, false),
            (103, 1, "Credit Note", "Invoice A4", None, false),
            (
                104,
                1,
                "Invoice \u{2116} 2026/07 \u{2014} \u{20ac} totals",
                "Invoice Letter",
                None,
                false,
            ),
            (
                105,
                2,
                "Quarterly <b>Revenue</b> & Margin",
                "Revenue Chart",
                Some("Corporate"),
                true,
            ),
            (
                106,
                2,
                "Z\u{fc}rich \"Q3\" summary",
                "Revenue Chart",
                Some("Dark"),
                false,
            ),
            (
                107,
                2,
                "Monthly Revenue by Region",
                "Revenue Table",
                None,
                false,
            ),
            (
                108,
                2,
                "Pr\u{e9}stamo \u{2014} a\u{f1}o 2026",
                "Revenue Table",
                None,
                false,
            ),
            (109, 3, "Customer List", "Customer Table", None, true),
            (
                110,
                3,
                "O'Brien's <script>alert(1)</script> list",
                "Customer Table",
                None,
                false,
            ),
            (111, 3, "Top 100 Customers", "Customer Table", None, false),
            (
                112,
                3,
                "Churned Customers 2025",
                "Customer Table",
                None,
                false,
            ),
            (
                113,
                3,
                "\u{6771}\u{4eac} customers (T\u{14d}ky\u{14d})",
                "Customer Table",
                None,
                false,
            ),
            (114, 4, "Draft: pricing ideas", "Blank", None, false),
            (201, 5, "Stock Levels", "Inventory Grid", None, true),
            (
                202,
                5,
                "Warehouse \u{d8}-Zone audit",
                "Inventory Grid",
                None,
                false,
            ),
            (203, 5, "Reorder Points", "Inventory Grid", None, false),
            (204, 6, "Shipments this week", "Shipping List", None, true),
            (
                205,
                6,
                "Late Deliveries & Returns",
                "Shipping List",
                None,
                false,
            ),
        ];

        let workspaces = vec![
            Workspace {
                id: 1,
                name: "Sales".into(),
                description: Some("Invoices, revenue and customers".into()),
                code: "sales".into(),
            },
            Workspace {
                id: 2,
                name: "Operations & Logistics".into(),
                description: None,
                code: "ops".into(),
            },
        ];
        let type_name = |type_id: i64| {
            types
                .iter()
                .find(|t| t.0 == type_id)
                .map(|t| t.3.to_owned())
                .unwrap_or_default()
        };
        let reports: Vec<ReportEntry> = reports
            .iter()
            .map(
                |&(id, type_id, name, template, theme, is_default)| ReportEntry {
                    workspace_id: types.iter().find(|t| t.0 == type_id).map_or(0, |t| t.1),
                    report: Report {
                        id,
                        name: name.into(),
                        report_type_id: type_id,
                        report_type_name: type_name(type_id),
                        report_template_name: template.into(),
                        preview_image: None,
                        theme_name: theme.map(str::to_owned),
                        is_default,
                    },
                },
            )
            .collect();
        let types = types
            .iter()
            .map(|&(id, workspace_id, code, name, description)| {
                let default = reports
                    .iter()
                    .find(|r| r.report.report_type_id == id && r.report.is_default);
                TypeEntry {
                    workspace_id,
                    report_type: ReportType {
                        id,
                        name: name.into(),
                        description: Some(description.into()),
                        code: code.into(),
                        default_report_id: default.map(|r| r.report.id),
                        default_report_name: default.map(|r| r.report.name.clone()),
                    },
                }
            })
            .collect();
        Catalog {
            workspaces,
            types,
            reports,
        }
    }

    /// A workspace named by its id or its code, as `{ws}` in paths.
    pub fn workspace(&self, segment: &str) -> Result<&Workspace, LookupError> {
        self.workspaces
            .iter()
            .find(|w| w.code == segment || w.id.to_string() == segment)
            .ok_or_else(|| LookupError::Workspace(segment.to_owned()))
    }

    /// The report types of one workspace.
    pub fn types_of(&self, workspace_id: i64) -> impl Iterator<Item = &ReportType> {
        self.types
            .iter()
            .filter(move |t| t.workspace_id == workspace_id)
            .map(|t| &t.report_type)
    }

    /// The reports of one workspace, by ascending id.
    pub fn reports_of(&self, workspace_id: i64) -> impl Iterator<Item = &Report> {
        self.reports
            .iter()
            .filter(move |r| r.workspace_id == workspace_id)
            .map(|r| &r.report)
    }

    /// A report named as a path names it: a numeric id, or a report-type
    /// code standing for that type's default report.
    pub fn report(&self, workspace: &Workspace, segment: &str) -> Result<&Report, LookupError> {
        match ReportRef::parse(segment) {
            ReportRef::Id(id) => self
                .reports_of(workspace.id)
                .find(|r| r.id == id)
                .ok_or_else(|| LookupError::Report {
                    workspace: workspace.code.clone(),
                    id,
                }),
            ReportRef::TypeCode(code) => {
                let report_type = self
                    .types_of(workspace.id)
                    .find(|t| t.code == code)
                    .ok_or_else(|| LookupError::Type {
                        workspace: workspace.code.clone(),
                        code: code.clone(),
                    })?;
                let default_id = report_type
                    .default_report_id
                    .ok_or_else(|| LookupError::NoDefault { code: code.clone() })?;
                self.reports_of(workspace.id)
                    .find(|r| r.id == default_id)
                    .ok_or(LookupError::NoDefault { code })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_but_drafts_has_a_default_report_of_its_own() {
        let catalog = Catalog::seeded();
        for entry in &catalog.types {
            let t = &entry.report_type;
            if t.code == "drafts" {
                assert_eq!(t.default_report_id, None);
                continue;
            }
            let id = t.default_report_id.unwrap();
            let report = catalog.reports.iter().find(|r| r.report.id == id).unwrap();
            assert_eq!(report.report.report_type_id, t.id);
            assert_eq!(report.workspace_id, entry.workspace_id);
            assert!(report.report.is_default);
            assert_eq!(
                t.default_report_name.as_deref(),
                Some(report.report.name.as_str())
            );
        }
    }

    #[test]
    fn reports_resolve_by_id_or_type_code_within_their_workspace() {
        let catalog = Catalog::seeded();
        let sales = catalog.workspace("1").unwrap();
        assert_eq!(catalog.workspace("sales").unwrap(), sales);
        assert_eq!(catalog.report(sales, "revenue").unwrap().id, 105);
        assert_eq!(catalog.report(sales, "110").unwrap().id, 110);
        assert!(matches!(
            catalog.report(sales, "201"),
            Err(LookupError::Report { .. })
        ));
        assert!(matches!(
            catalog.report(sales, "drafts"),
            Err(LookupError::NoDefault { .. })
        ));
        assert!(matches!(
            catalog.report(sales, "inventory"),
            Err(LookupError::Type { .. })
        ));
        assert!(catalog.reports_of(1).count() >= 12);
    }

    #[test]
    fn extra_reports_follow_the_seeded_ones_in_sales() {
        let seeded = Catalog::seeded();
        let catalog = Catalog::seeded_with(10);
        assert_eq!(catalog.reports.len(), seeded.reports.len() + 10);
        let ids: Vec<i64> = catalog.reports_of(1).map(|r| r.id).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "ascending: {ids:?}");
        let extra: Vec<&Report> = catalog
            .reports_of(1)
            .filter(|r| r.id >= FIRST_EXTRA_ID)
            .collect();
        assert_eq!(extra.len(), 10);
        assert_eq!(extra[0].name, "Generated report 00001");
        assert_eq!(extra[6].report_template_name, "");
        assert!(extra.iter().all(|r| [1, 2, 3].contains(&r.report_type_id)));
        assert_eq!(catalog.reports_of(2).count(), seeded.reports_of(2).count());
    }
}
