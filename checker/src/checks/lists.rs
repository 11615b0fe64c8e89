//! `report_types.shape`, `reports.shape`, `reports.type_filter`: the lists
//! read, row by row, as the widget reads them (the contract's types).
use cxreports_contract::encode_query_value;
use cxreports_contract::model::{Listing, Report, ReportType};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{kind_of, Ctx};

const TYPES: &str = "report_types.shape";
const REPORTS: &str = "reports.shape";
const TYPE_FILTER: &str = "reports.type_filter";

#[derive(Clone, Copy)]
enum Kind {
    Integer,
    Text,
}

/// What a row needs, or the widget skips it.
const TYPE_FIELDS: &[(&str, Kind)] = &[
    ("id", Kind::Integer),
    ("name", Kind::Text),
    ("code", Kind::Text),
];
const REPORT_FIELDS: &[(&str, Kind)] = &[
    ("id", Kind::Integer),
    ("name", Kind::Text),
    ("reportTypeId", Kind::Integer),
    ("reportTypeName", Kind::Text),
];

/// The three list checks.
pub(super) async fn run(ctx: &mut Ctx<'_>) {
    ctx.types = list::<ReportType>(ctx, TYPES, "/report-types", "report types", TYPE_FIELDS).await;
    ctx.reports = list::<Report>(ctx, REPORTS, "/reports", "reports", REPORT_FIELDS).await;
    type_filter(ctx).await;
}

/// `GET {base}{path}`, judged row by row; answers the readable rows.
async fn list<T: DeserializeOwned>(
    ctx: &mut Ctx<'_>,
    id: &'static str,
    path: &str,
    noun: &str,
    fields: &[(&str, Kind)],
) -> Option<Vec<T>> {
    let e = match ctx.send(ctx.widget(Method::GET, path)).await {
        Ok(e) => e,
        Err(t) => {
            ctx.fail(id, t.describe());
            return None;
        }
    };
    let line = format!("{} answered {}", e.request_line(), e.status);
    let shape = describe_fields(fields);
    if !e.is_success() {
        ctx.fail(id, ctx.unexpected(&e));
        return None;
    }
    if e.is_html() {
        ctx.fail(
            id,
            format!(
                "{line} with an HTML page ({}): answer a JSON array of {shape}",
                e.snippet()
            ),
        );
        return None;
    }
    let Some(json) = e.json() else {
        ctx.fail(
            id,
            format!(
                "{line} with a body that is not JSON ({}): answer a JSON array of {shape}",
                e.snippet()
            ),
        );
        return None;
    };
    let Some(rows) = json.as_array() else {
        let wrapped = json
            .as_object()
            .and_then(|o| o.iter().find(|(_, v)| v.is_array()))
            .map(|(k, _)| format!(" (the rows are under {k:?}: answer that array itself)"))
            .unwrap_or_default();
        ctx.fail(
            id,
            format!(
                "{line} with {}, not an array{wrapped}: answer a bare JSON array of {shape}",
                kind_of(&json)
            ),
        );
        return None;
    };
    let mut readable = Vec::with_capacity(rows.len());
    let mut unreadable = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        match serde_json::from_value::<T>(row.clone()) {
            Ok(row) => readable.push(row),
            Err(error) => unreadable.push((
                index,
                diagnose(row, fields).unwrap_or_else(|| error.to_string()),
            )),
        }
    }
    match unreadable.first() {
        None if rows.is_empty() => ctx.pass(
            id,
            format!(
                "{line}, an empty list: the widget shows no {noun} (is that the workspace or the allowlist you meant?)"
            ),
        ),
        None => ctx.pass(
            id,
            format!("{line}, {} {noun}, every row readable", rows.len()),
        ),
        Some((index, reason)) => ctx.fail(
            id,
            format!(
                "{line}: the widget would skip {} of {} rows; the first, row {index}: {reason}. Send {shape} in every row (optional fields may be left out or null)",
                unreadable.len(),
                rows.len()
            ),
        ),
    }
    Some(readable)
}

fn describe_fields(fields: &[(&str, Kind)]) -> String {
    let fields: Vec<String> = fields
        .iter()
        .map(|(name, kind)| match kind {
            Kind::Integer => format!("{name}: integer"),
            Kind::Text => format!("{name}: string"),
        })
        .collect();
    format!("{{{}}}", fields.join(", "))
}

/// What a row lacks of what a row needs; `None` when that is all there.
fn diagnose(row: &Value, fields: &[(&str, Kind)]) -> Option<String> {
    let Some(object) = row.as_object() else {
        return Some(format!("{} instead of an object", kind_of(row)));
    };
    for (name, kind) in fields {
        let problem = match (object.get(*name), kind) {
            (None, _) => {
                let other_case = object
                    .keys()
                    .find(|key| key.eq_ignore_ascii_case(name))
                    .map(|key| format!(" (there is {key:?}: the widget reads camelCase names)"))
                    .unwrap_or_default();
                format!("{name:?} is missing{other_case}")
            }
            (Some(Value::Null), _) => format!("{name:?} is null"),
            (Some(value), Kind::Integer) if value.as_i64().is_none() => {
                format!("{name:?} is {}, not an integer", kind_of(value))
            }
            (Some(value), Kind::Text) if !value.is_string() => {
                format!("{name:?} is {}, not a string", kind_of(value))
            }
            _ => continue,
        };
        return Some(problem);
    }
    None
}

/// `reports.type_filter`: `?type=<code>` answers only that type's reports.
async fn type_filter(ctx: &mut Ctx<'_>) {
    let types = ctx.types.clone().unwrap_or_default();
    let full = ctx.reports.clone().unwrap_or_default();
    // A type that has reports, so that a filter that drops everything shows.
    let Some(chosen) = types
        .iter()
        .find(|t| full.iter().any(|r| r.report_type_id == t.id))
        .or(types.first())
        .cloned()
    else {
        return ctx.skip(
            TYPE_FILTER,
            "no report type to filter by (see report_types.shape)",
        );
    };
    let path = format!("/reports?type={}", encode_query_value(&chosen.code));
    let e = match ctx.send(ctx.widget(Method::GET, &path)).await {
        Ok(e) => e,
        Err(t) => return ctx.fail(TYPE_FILTER, t.describe()),
    };
    if !e.is_success() {
        return ctx.fail(TYPE_FILTER, ctx.unexpected(&e));
    }
    let Ok(rows) = serde_json::from_slice::<Listing<Report>>(&e.body) else {
        return ctx.fail(
            TYPE_FILTER,
            format!(
                "{} answered {} with something other than a JSON array ({})",
                e.request_line(),
                e.status,
                e.snippet()
            ),
        );
    };
    let code = &chosen.code;
    let others: Vec<&Report> = rows
        .rows
        .iter()
        .filter(|r| r.report_type_id != chosen.id)
        .collect();
    let expected = full
        .iter()
        .filter(|r| r.report_type_id == chosen.id)
        .count();
    let fix = format!(
        "filter the list by the type's code, e.g. by passing it on as CxReports' GET /api/v1/ws/{{ws}}/reports?type={code}"
    );
    if let Some(first) = others.first() {
        ctx.fail(
            TYPE_FILTER,
            format!(
                "?type={code} (type id {}) answered {} reports, {} of other types (first: report {} of type {}): {fix}",
                chosen.id,
                rows.rows.len(),
                others.len(),
                first.id,
                first.report_type_id
            ),
        );
    } else if rows.rows.is_empty() && expected > 0 {
        ctx.fail(
            TYPE_FILTER,
            format!(
                "?type={code} answered no reports, but the full list has {expected} of type {}: {fix}",
                chosen.id
            ),
        );
    } else {
        let blind = if !full.is_empty() && full.iter().all(|r| r.report_type_id == chosen.id) {
            " (every listed report is of this type, so an ignored filter would not show)"
        } else {
            ""
        };
        ctx.pass(
            TYPE_FILTER,
            format!(
                "?type={code} answered {} reports, all of type {} ({}){blind}",
                rows.rows.len(),
                chosen.id,
                chosen.name
            ),
        );
    }
}
