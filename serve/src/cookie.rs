//! Session cookies, read and written the same way by every server.
use std::fmt;
use std::time::Duration;

use axum::http::{header, HeaderMap};

/// Every value of cookie `name` in a request's `Cookie` headers, in order,
/// with surrounding whitespace and quotes removed. A request may carry the
/// same name more than once (a stale cookie beside a fresh one); the caller
/// tries each.
///
/// ```
/// use axum::http::{header, HeaderMap, HeaderValue};
/// let mut headers = HeaderMap::new();
/// headers.append(header::COOKIE, HeaderValue::from_static("a=1; sid=old"));
/// headers.append(header::COOKIE, HeaderValue::from_static("sid=\"new\""));
/// let sids: Vec<&str> = cxreports_serve::cookie_values(&headers, "sid").collect();
/// assert_eq!(sids, ["old", "new"]);
/// ```
pub fn cookie_values<'a>(headers: &'a HeaderMap, name: &'a str) -> impl Iterator<Item = &'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(move |(key, _)| key.trim() == name)
        .map(|(_, value)| value.trim().trim_matches('"'))
}

/// A session cookie to set: `Path=/`, `HttpOnly` (no script reads it),
/// the given `SameSite`, and `Secure` when asked. Written with
/// [`fmt::Display`] as a `Set-Cookie` value.
///
/// ```
/// use std::time::Duration;
/// use cxreports_serve::SetCookie;
/// let cookie = SetCookie { name: "sid", value: "abc", max_age: Duration::from_secs(60), same_site: "Lax", secure: true };
/// assert_eq!(cookie.to_string(), "sid=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetCookie<'a> {
    /// The cookie's name.
    pub name: &'a str,
    /// Its value; empty with a zero `max_age` to delete it.
    pub value: &'a str,
    /// How long the browser keeps it.
    pub max_age: Duration,
    /// `Lax`, `Strict` or `None`.
    pub same_site: &'a str,
    /// Sent only over https.
    pub secure: bool,
}

impl fmt::Display for SetCookie<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}={}; Path=/; Max-Age={}; HttpOnly; SameSite={}{}",
            self.name,
            self.value,
            self.max_age.as_secs(),
            self.same_site,
            if self.secure { "; Secure" } else { "" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(values: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(header::COOKIE, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn every_value_of_the_name_is_found_among_others() {
        let headers = headers(&["a=1; sid=abc;other=2", "sid=def", "xsid=no; sid2=no"]);
        assert_eq!(
            cookie_values(&headers, "sid").collect::<Vec<_>>(),
            ["abc", "def"]
        );
        assert_eq!(cookie_values(&headers, "a").collect::<Vec<_>>(), ["1"]);
        assert_eq!(cookie_values(&headers, "none").count(), 0);
    }

    #[test]
    fn values_lose_quotes_and_spaces_and_keep_equals_signs() {
        let headers = headers(&["sid = \"q\" ; b64=YQ==; empty="]);
        assert_eq!(cookie_values(&headers, "sid").collect::<Vec<_>>(), ["q"]);
        assert_eq!(cookie_values(&headers, "b64").collect::<Vec<_>>(), ["YQ=="]);
        assert_eq!(cookie_values(&headers, "empty").collect::<Vec<_>>(), [""]);
    }

    #[test]
    fn a_cookie_is_set_http_only_and_deleted_with_max_age_zero() {
        let set = SetCookie {
            name: "sid",
            value: "t",
            max_age: Duration::from_secs(3600),
            same_site: "Strict",
            secure: false,
        };
        assert_eq!(
            set.to_string(),
            "sid=t; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict"
        );
        let cleared = SetCookie {
            value: "",
            max_age: Duration::ZERO,
            secure: true,
            ..set
        };
        assert_eq!(
            cleared.to_string(),
            "sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure"
        );
    }
}
