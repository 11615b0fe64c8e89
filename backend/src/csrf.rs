//! Who may call the backend from a browser: the CSRF guard on every `POST`,
//! and the CORS policy, both driven by `BACKEND_ALLOWED_ORIGINS`.
//!
//! The session cookie is `SameSite=Lax`, which already keeps it off
//! cross-site `POST`s; the guard adds two checks that do not depend on
//! browser cookie rules:
//! - `X-Requested-With` must be present. A cross-origin page can only send
//!   it after a CORS preflight, which only allowed origins pass; an HTML
//!   form cannot send it at all.
//! - An `Origin` header, when present, must be an allowed origin or the
//!   backend's own (from `Host`).
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::BackendError;
use crate::origin::{is_own_origin, OriginPattern};

/// The header every `POST` must carry (any non-empty value).
pub(crate) const REQUESTED_WITH: &str = "x-requested-with";

/// The allowed origins, parsed once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origins {
    patterns: Arc<[OriginPattern]>,
}

impl Origins {
    /// Parses the configured origins. Entries that do not parse (only
    /// possible in a hand-built config; `from_env` refuses them) are
    /// skipped with a warning, which can only make the policy stricter.
    pub(crate) fn new(origins: &[String]) -> Self {
        let patterns = origins
            .iter()
            .filter_map(|origin| match OriginPattern::parse(origin) {
                Ok(pattern) => Some(pattern),
                Err(reason) => {
                    eprintln!(
                        "cxreports-backend: warning: ignoring allowed origin {origin:?}: {reason}"
                    );
                    None
                }
            })
            .collect();
        Origins { patterns }
    }

    /// Whether `origin` is on the allowlist.
    pub(crate) fn allows(&self, origin: &str) -> bool {
        self.patterns.iter().any(|pattern| pattern.matches(origin))
    }
}

/// Why a state-changing request is refused, or `None` when it may pass.
pub(crate) fn refusal(method: &Method, headers: &HeaderMap, origins: &Origins) -> Option<String> {
    if method != Method::POST {
        return None;
    }
    let requested_with = headers
        .get(REQUESTED_WITH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !v.trim().is_empty());
    if !requested_with {
        return Some(
            "this POST lacks the X-Requested-With header, so it could be a cross-site forgery: \
             send it (the widget sends X-Requested-With: cxreports-widget)"
                .to_owned(),
        );
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("(not text)");
        if !origins.allows(origin) && !is_own_origin(origin, headers) {
            return Some(format!(
                "requests from the page origin {origin:?} are not allowed: add it to BACKEND_ALLOWED_ORIGINS on the backend"
            ));
        }
    }
    None
}

/// Middleware: refuses `POST`s that fail the checks above with 403
/// `{"kind": "csrf"}`.
pub(crate) async fn guard(
    State(origins): State<Origins>,
    request: Request,
    next: Next,
) -> Response {
    match refusal(request.method(), request.headers(), &origins) {
        Some(reason) => BackendError::Csrf(reason).into_response(),
        None => next.run(request).await,
    }
}

/// CORS for the allowed origins only, with credentials (the session
/// cookie), the widget's headers, and `Content-Disposition` readable so a
/// script can name a downloaded PDF.
pub(crate) fn cors(origins: Origins, methods: &[Method]) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| {
            origin.to_str().is_ok_and(|origin| origins.allows(origin))
        }))
        .allow_credentials(true)
        .allow_methods(methods.to_vec())
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static(REQUESTED_WITH),
            HeaderName::from_static("x-csrf-token"),
        ])
        .expose_headers([header::CONTENT_DISPOSITION])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins(list: &[&str]) -> Origins {
        Origins::new(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn patterns_match_exact_origins_and_any_port_families() {
        let allowed = origins(&[
            "https://app.example.com",
            "http://127.0.0.1:*",
            "http://[::1]:8080/",
        ]);
        assert!(allowed.allows("https://app.example.com"));
        assert!(allowed.allows("https://APP.example.com:443"));
        assert!(!allowed.allows("http://app.example.com"));
        assert!(!allowed.allows("https://app.example.com:8443"));
        assert!(!allowed.allows("https://app.example.com.evil.test"));
        assert!(allowed.allows("http://127.0.0.1:5173"));
        assert!(allowed.allows("http://127.0.0.1"));
        assert!(!allowed.allows("https://127.0.0.1:5173"));
        assert!(allowed.allows("http://[::1]:8080"));
        assert!(!allowed.allows("http://127.0.0.1:*"));
        assert!(!allowed.allows("null"));
    }

    #[test]
    fn posts_need_the_header_and_an_allowed_or_own_origin() {
        let allowed = origins(&["https://app.example.com"]);
        let post = Method::POST;
        assert!(refusal(&Method::GET, &headers(&[]), &allowed).is_none());
        assert!(refusal(&post, &headers(&[]), &allowed)
            .unwrap()
            .contains("X-Requested-With"));
        assert!(refusal(&post, &headers(&[("x-requested-with", " ")]), &allowed).is_some());
        assert!(refusal(&post, &headers(&[("x-requested-with", "w")]), &allowed).is_none());
        let from = |origin: &'static str| {
            refusal(
                &post,
                &headers(&[
                    ("x-requested-with", "w"),
                    ("origin", origin),
                    ("host", "backend.example.com:8082"),
                ]),
                &allowed,
            )
        };
        assert!(from("https://app.example.com").is_none());
        assert!(from("http://backend.example.com:8082").is_none());
        assert!(from("https://evil.example.com")
            .unwrap()
            .contains("BACKEND_ALLOWED_ORIGINS"));
        assert!(from("http://backend.example.com").is_some());
        assert!(from("null").is_some());
    }
}
