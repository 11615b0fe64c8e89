//! What a widget requests first: decided here once, for the head start
//! ([`HeadStart`](crate::HeadStart)) and the navigator's start alike. The
//! loader's copy (`headStart` in `www/cxreports-widget.js`) follows the same
//! rule for the options it can read before the widget is ready.
use super::ViewerConfig;

/// The requests of a widget's cold start. A lazy widget makes them when it
/// nears the viewport, not at mount; a `fetchNonce` function is the host's
/// own code, called by the viewer rather than ahead of it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FirstRequests {
    /// The report list from `reportsUrl`: set, and no static `reports` given.
    pub list: bool,
    /// A nonce: a report is preselected (it waits for one) or nonces are
    /// prefetched (one is kept ready for the first choice).
    pub nonce: bool,
}

impl ViewerConfig {
    /// What this widget requests first.
    ///
    /// ```
    /// use cxreports_widget::ViewerConfig;
    /// let config = ViewerConfig::builder("https://reports.example.com", "sales")
    ///     .nonce_url("/api/cxreports/nonce")
    ///     .reports_url("/api/cxreports/reports")
    ///     .prefetch_nonce(false)
    ///     .build()
    ///     .unwrap();
    /// let first = config.first_requests();
    /// assert!(first.list && !first.nonce);
    /// ```
    pub fn first_requests(&self) -> FirstRequests {
        FirstRequests {
            list: self.reports.is_none() && self.reports_url.is_some(),
            nonce: self.report.is_some() || self.prefetch_nonce,
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::{RawOptions, RawValue};
    use super::*;

    fn first(extra: &[(&str, RawValue)]) -> FirstRequests {
        let mut raw: RawOptions = vec![
            (
                "cxreportsUrl".into(),
                RawValue::Str("https://r.example".into()),
            ),
            ("workspace".into(), RawValue::Str("w".into())),
            ("nonceUrl".into(), RawValue::Str("/n".into())),
        ];
        raw.extend(extra.iter().map(|(n, v)| (n.to_string(), v.clone())));
        ViewerConfig::from_raw(raw).unwrap().first_requests()
    }

    #[test]
    fn the_list_unless_given_and_a_nonce_when_one_is_wanted() {
        let url = || RawValue::Str("/r".into());
        let off = || RawValue::Bool(false);
        assert_eq!(
            first(&[]),
            FirstRequests {
                list: false,
                nonce: true
            }
        );
        assert!(first(&[("reportsUrl", url())]).list);
        let given = RawValue::Reports(Default::default());
        assert!(!first(&[("reportsUrl", url()), ("reports", given)]).list);
        assert!(!first(&[("prefetchNonce", off())]).nonce);
        assert!(first(&[("prefetchNonce", off()), ("report", RawValue::Num(7.0))]).nonce);
    }
}
