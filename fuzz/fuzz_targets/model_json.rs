//! The JSON models: any bytes parse or fail without panicking, what parses
//! writes back and parses again to the same value, and the picker's grouping
//! over any parsed list keeps every matching report exactly once.
#![no_main]

use cxreports_contract::model::{
    ApiError, NonceToken, Report, ReportType, TemporaryDataRequest, TemporaryDataResponse,
    Workspace,
};
use cxreports_contract::ReportRef;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;

fn round_trips<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(
    bytes: &[u8],
) -> Option<T> {
    let value: T = serde_json::from_slice(bytes).ok()?;
    let text = serde_json::to_string(&value).expect("a parsed model serialises");
    let again: T = serde_json::from_str(&text).expect("a written model parses");
    assert_eq!(again, value, "{text}");
    Some(value)
}

fuzz_target!(|data: &[u8]| {
    // Raw NUL cannot occur in JSON text, so it separates the parts:
    // reports JSON \0 report types JSON \0 filter text.
    let mut parts = data.splitn(3, |b| *b == 0);
    let reports_bytes = parts.next().unwrap_or_default();
    let types_bytes = parts.next();
    let filter = parts
        .next()
        .map(String::from_utf8_lossy)
        .unwrap_or_default();

    round_trips::<Vec<Workspace>>(reports_bytes);
    round_trips::<NonceToken>(reports_bytes);
    round_trips::<ApiError>(reports_bytes);
    round_trips::<TemporaryDataResponse>(reports_bytes);
    let _ = serde_json::from_slice::<TemporaryDataRequest>(reports_bytes);
    let types = types_bytes.and_then(round_trips::<Vec<ReportType>>);
    let Some(reports) = round_trips::<Vec<Report>>(reports_bytes) else {
        return;
    };

    let all = cxreports_widget::internals::group_reports(&reports, types.as_deref(), "");
    assert_eq!(
        all.iter().map(|g| g.reports.len()).sum::<usize>(),
        reports.len()
    );
    for group in &all {
        assert!(!group.reports.is_empty());
        assert!(group
            .reports
            .iter()
            .all(|r| r.report_type_name == group.type_name));
    }

    let needle = filter.trim().to_lowercase();
    let filtered = cxreports_widget::internals::group_reports(&reports, types.as_deref(), &filter);
    let expected = reports
        .iter()
        .filter(|r| {
            r.name.to_lowercase().contains(&needle)
                || r.report_type_name.to_lowercase().contains(&needle)
        })
        .count();
    assert_eq!(
        filtered.iter().map(|g| g.reports.len()).sum::<usize>(),
        expected
    );

    for report in &reports {
        let by_id = cxreports_widget::internals::report_name(
            &reports,
            types.as_deref(),
            &ReportRef::Id(report.id),
        );
        assert!(by_id.is_some(), "report {} listed but not named", report.id);
    }
});
