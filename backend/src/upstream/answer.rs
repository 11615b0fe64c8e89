//! Reading what CxReports answered: bodies within a size limit, sign-in
//! pages where an API answer was expected, and failures classified by
//! status, body and redirect target.
use axum::http::{header, HeaderMap, StatusCode};
use cxreports_contract::model::ApiError;

use super::{Result, Upstream, UpstreamError};

/// Error answers are read only for their message.
pub(super) const MAX_ERROR_BYTES: usize = 64 * 1024;
/// Upstream error messages are passed on up to this many characters.
const MAX_MESSAGE_CHARS: usize = 300;

pub(super) fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

pub(super) fn is_html(headers: &HeaderMap) -> bool {
    content_type(headers).starts_with("text/html")
}

pub(super) fn sign_in_page() -> UpstreamError {
    UpstreamError::Auth {
        detail: "an HTML page where an API answer was expected, as for an unauthenticated caller"
            .to_owned(),
    }
}

/// A non-success answer to a request for `requested` (a full URL),
/// classified.
pub(super) fn failure(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    requested: &str,
) -> UpstreamError {
    if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        return UpstreamError::Auth {
            detail: format!("status {}", status.as_u16()),
        };
    }
    if status.is_redirection() {
        let location = headers
            .get(header::LOCATION)
            .and_then(|value| value.to_str().ok());
        return redirect_failure(status, location, requested);
    }
    let message = if is_html(headers) {
        None
    } else {
        serde_json::from_slice::<ApiError>(body)
            .ok()
            .map(|e| e.error.chars().take(MAX_MESSAGE_CHARS).collect())
    };
    UpstreamError::Status {
        status: status.as_u16(),
        message,
        hint: None,
    }
}

/// Words in a redirect's target that mark a sign-in page.
const SIGN_IN_WORDS: [&str; 5] = ["login", "signin", "sign-in", "account", "auth"];
/// Endings of a redirect's target that mark a web page, not an API.
const PAGE_ENDINGS: [&str; 4] = [".html", ".htm", ".aspx", ".php"];

/// A redirect (never followed: it could carry the PAT elsewhere). One to a
/// sign-in page (its path, or its host if that differs, names login,
/// signin, sign-in, account or auth) or to a web page (`.html`, `.aspx`,
/// ...) is how older ASP.NET servers refuse a caller: the PAT. Any other,
/// e.g. one that only changes scheme or host (http to https), says
/// CXREPORTS_URL is not quite right. The target is never put in the
/// message, which browsers see.
fn redirect_failure(status: StatusCode, location: Option<&str>, requested: &str) -> UpstreamError {
    let wrong_url = || UpstreamError::Status {
        status: status.as_u16(),
        message: None,
        hint: Some(
            "a redirect, which an API call never gets from a correctly addressed CxReports: \
             check CXREPORTS_URL (https? the right path prefix?)",
        ),
    };
    let Ok(from) = reqwest::Url::parse(requested) else {
        return wrong_url();
    };
    let Some(to) = location.and_then(|location| from.join(location.trim()).ok()) else {
        return wrong_url();
    };
    if to.path() == from.path() {
        return wrong_url();
    }
    let path = to.path().to_ascii_lowercase();
    let mut target = path.clone();
    if to.host_str() != from.host_str() {
        target.push(' ');
        target.push_str(&to.host_str().unwrap_or_default().to_ascii_lowercase());
    }
    let sign_in = SIGN_IN_WORDS.iter().any(|word| target.contains(word));
    let page = PAGE_ENDINGS.iter().any(|ending| path.ends_with(ending));
    if sign_in || page {
        UpstreamError::Auth {
            detail: format!("status {}, a redirect to a sign-in page", status.as_u16()),
        }
    } else {
        wrong_url()
    }
}

/// Reads a whole body, refusing to buffer more than `limit` bytes.
pub(super) async fn read_limited(
    upstream: &Upstream,
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>> {
    let too_big = || UpstreamError::BadResponse {
        detail: format!("an answer larger than {limit} bytes"),
    };
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(too_big());
    }
    let mut body = Vec::new();
    loop {
        let chunk = response.chunk().await.map_err(|e| upstream.classify(e))?;
        let Some(chunk) = chunk else {
            return Ok(body);
        };
        if body.len() + chunk.len() > limit {
            return Err(too_big());
        }
        body.extend_from_slice(&chunk);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const REQUESTED: &str =
        "http://reports.test:8081/cxr/api/v1/ws/sales/reports?offset=0&limit=200";

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (name.clone(), HeaderValue::from_static(value)))
            .collect()
    }

    #[test]
    fn failures_are_classified_by_status_and_body() {
        let none = HeaderMap::new();
        let html = headers(&[(header::CONTENT_TYPE, "text/html; charset=utf-8")]);
        assert_eq!(
            failure(StatusCode::UNAUTHORIZED, &none, b"", REQUESTED).kind(),
            "upstream_auth"
        );
        assert_eq!(
            failure(StatusCode::FORBIDDEN, &html, b"<html>", REQUESTED).kind(),
            "upstream_auth"
        );
        let error = failure(
            StatusCode::NOT_FOUND,
            &none,
            br#"{"error":"no report 9"}"#,
            REQUESTED,
        );
        assert_eq!(error.kind(), "upstream_status");
        // CxReports' own words go to the log, not to browsers.
        assert_eq!(error.to_string(), "CxReports answered status 404");
        assert!(error.log_text().contains("no report 9"));
        let error = failure(StatusCode::INTERNAL_SERVER_ERROR, &none, b"oops", REQUESTED);
        assert_eq!(error.to_string(), "CxReports answered status 500");
        assert!(failure(StatusCode::FOUND, &none, b"", REQUESTED)
            .to_string()
            .contains("CXREPORTS_URL"));
    }

    #[test]
    fn a_redirect_to_a_sign_in_page_is_a_refused_pat_and_any_other_a_wrong_url() {
        let redirect = |status: StatusCode, location: &'static str| {
            failure(
                status,
                &headers(&[(header::LOCATION, location)]),
                b"",
                REQUESTED,
            )
        };
        for location in [
            "/Account/Login?ReturnUrl=%2Fcxr%2Fapi%2Fv1%2Fws%2Fsales%2Freports",
            "/cxr/account/signin",
            "https://reports.test/Sign-In",
            "https://idp.test/oauth2/authorize?client_id=x",
            "https://login.example.test/",
            "/cxr/Home/Index.aspx",
            "/cxr/welcome.html",
        ] {
            let error = redirect(StatusCode::FOUND, location);
            assert_eq!(error.kind(), "upstream_auth", "{location}");
            assert_eq!(
                error.to_string(),
                "CxReports refused the backend's PAT: check CXREPORTS_PAT \
                 (CxReports answered status 302, a redirect to a sign-in page)",
                "{location}"
            );
        }
        for (status, location) in [
            // Only the scheme, host or port change: CXREPORTS_URL is off.
            (
                StatusCode::MOVED_PERMANENTLY,
                "https://reports.test:8081/cxr/api/v1/ws/sales/reports?offset=0&limit=200",
            ),
            (
                StatusCode::PERMANENT_REDIRECT,
                "https://reports.test/cxr/api/v1/ws/sales/reports",
            ),
            (
                StatusCode::FOUND,
                "//other.test/cxr/api/v1/ws/sales/reports",
            ),
            // Elsewhere, but not a sign-in page.
            (StatusCode::FOUND, "/"),
            (StatusCode::FOUND, "/v2/api/ws/sales/reports"),
            (StatusCode::FOUND, "::not a url::"),
        ] {
            let error = redirect(status, location);
            assert_eq!(error.kind(), "upstream_status", "{location}");
            assert!(
                error.to_string().contains("check CXREPORTS_URL"),
                "{location}"
            );
            assert!(!error.to_string().contains("other.test"), "{error}");
        }
        // No Location at all.
        let error = failure(StatusCode::SEE_OTHER, &HeaderMap::new(), b"", REQUESTED);
        assert!(error.to_string().contains("check CXREPORTS_URL"), "{error}");
        // A workspace whose code reads like a sign-in word, redirected to
        // https: still the URL.
        let error = failure(
            StatusCode::MOVED_PERMANENTLY,
            &headers(&[(
                header::LOCATION,
                "https://reports.test/api/v1/ws/accounting/reports",
            )]),
            b"",
            "http://reports.test/api/v1/ws/accounting/reports",
        );
        assert_eq!(error.kind(), "upstream_status");
    }
}
