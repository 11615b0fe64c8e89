//! The outcome of a run: one line per check, grouped, and a summary; as
//! text for people or JSON for CI.
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

/// Every check, with the group it is listed under, in report order.
pub const CHECKS: &[(&str, &str)] = &[
    ("nonce.shape", "Nonce"),
    ("nonce.no_store", "Nonce"),
    ("nonce.fresh", "Nonce"),
    ("nonce.single_use", "Nonce"),
    ("nonce.rate_limit", "Nonce"),
    ("csrf.header", "CSRF"),
    ("csrf.origin", "CSRF"),
    ("auth.required", "Session"),
    ("auth.no_credentials", "Session"),
    ("report_types.shape", "Lists"),
    ("reports.shape", "Lists"),
    ("reports.type_filter", "Lists"),
    ("pdf.download", "PDF"),
    ("tempdata.owner", "PDF"),
    ("errors.json", "Errors"),
    ("errors.no_internal", "Errors"),
    ("cors.not_open", "CORS"),
    ("host.rebinding", "Network"),
    ("conn.slow_headers", "Network"),
    ("pat.absent", "PAT"),
];

/// How a check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The backend does what the widget needs.
    Pass,
    /// It does not; the detail says what to change.
    Fail,
    /// The check could not run; the detail says what enables it.
    Skip,
}

impl Outcome {
    /// `PASS`, `FAIL` or `SKIP`.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Pass => "PASS",
            Outcome::Fail => "FAIL",
            Outcome::Skip => "SKIP",
        }
    }
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    /// Stable id, one of [`CHECKS`].
    pub id: &'static str,
    /// How it ended.
    pub outcome: Outcome,
    /// What was seen; for a failure, what to change; for a skip, why.
    pub detail: String,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The `--base` checked.
    pub base: String,
    /// The page origin the checker claimed.
    pub origin: String,
    /// Context printed above the checks (e.g. what `widget-config` said).
    pub notes: Vec<String>,
    /// Results in [`CHECKS`] order.
    pub checks: Vec<CheckResult>,
}

impl Report {
    fn count(&self, outcome: Outcome) -> usize {
        self.checks.iter().filter(|c| c.outcome == outcome).count()
    }

    /// How many passed.
    pub fn passed(&self) -> usize {
        self.count(Outcome::Pass)
    }

    /// How many failed.
    pub fn failed(&self) -> usize {
        self.count(Outcome::Fail)
    }

    /// How many were skipped.
    pub fn skipped(&self) -> usize {
        self.count(Outcome::Skip)
    }

    /// The result of check `id`, if it ran.
    pub fn check(&self, id: &str) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// The outcome of check `id`, if it ran.
    pub fn outcome(&self, id: &str) -> Option<Outcome> {
        self.check(id).map(|c| c.outcome)
    }

    /// 1 when a check failed, else 0.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.failed() > 0)
    }

    /// `N passed, M failed, K skipped`.
    pub fn summary(&self) -> String {
        format!(
            "{} passed, {} failed, {} skipped",
            self.passed(),
            self.failed(),
            self.skipped()
        )
    }

    /// The report for people: a heading, the checks by group, the summary.
    ///
    /// ```
    /// use cxreports_backend_check::{CheckResult, Outcome, Report};
    /// let report = Report {
    ///     base: "https://app.example/api/cxreports".into(),
    ///     origin: "https://app.example".into(),
    ///     notes: vec![],
    ///     checks: vec![CheckResult { id: "nonce.fresh", outcome: Outcome::Pass, detail: "two nonces".into() }],
    /// };
    /// let text = report.to_text();
    /// assert!(text.contains("  PASS  nonce.fresh          two nonces\n"));
    /// assert!(text.ends_with("1 passed, 0 failed, 0 skipped\n"));
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "cxreports-backend-check: {} (as the widget on a page at {})",
            self.base, self.origin
        );
        for note in &self.notes {
            let _ = writeln!(out, "  note: {note}");
        }
        let mut group = "";
        for check in &self.checks {
            let this = CHECKS
                .iter()
                .find(|(id, _)| *id == check.id)
                .map_or("Other", |(_, group)| *group);
            if this != group {
                let _ = writeln!(out, "\n{this}");
                group = this;
            }
            let _ = writeln!(
                out,
                "  {}  {:<19}  {}",
                check.outcome.label(),
                check.id,
                one_line(&check.detail)
            );
        }
        let _ = writeln!(out, "\n{}", self.summary());
        out
    }

    /// The report for programs, as a value:
    /// `{"base", "passed", "failed", "skipped", "checks": [{"id", "outcome", "detail"}]}`.
    ///
    /// ```
    /// use cxreports_backend_check::Report;
    /// let report = Report { base: "b".into(), origin: "o".into(), notes: vec![], checks: vec![] };
    /// assert_eq!(report.to_json()["passed"], 0);
    /// ```
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.json_view()).unwrap_or(Value::Null)
    }

    /// [`to_json`](Self::to_json) as pretty text, its keys in that order.
    ///
    /// ```
    /// use cxreports_backend_check::Report;
    /// let report = Report { base: "b".into(), origin: "o".into(), notes: vec![], checks: vec![] };
    /// assert!(report.to_json_text().starts_with("{\n  \"base\": \"b\",\n  \"passed\": 0,"));
    /// ```
    pub fn to_json_text(&self) -> String {
        serde_json::to_string_pretty(&self.json_view()).unwrap_or_default()
    }

    fn json_view(&self) -> JsonReport<'_> {
        JsonReport {
            base: &self.base,
            passed: self.passed(),
            failed: self.failed(),
            skipped: self.skipped(),
            checks: &self.checks,
        }
    }
}

/// The JSON shape, fields in the documented order.
#[derive(Serialize)]
struct JsonReport<'a> {
    base: &'a str,
    passed: usize,
    failed: usize,
    skipped: usize,
    checks: &'a [CheckResult],
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
