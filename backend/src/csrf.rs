//! Who may call the backend from a browser: the `Host` check on every
//! request, the CSRF guard on every `POST`, and the CORS policy, driven by
//! `BACKEND_ALLOWED_HOSTS`, `BACKEND_ALLOWED_ORIGINS` and
//! `BACKEND_PUBLIC_ORIGIN`.
//!
//! A request must name, in `Host`, an allowed host or the address it came
//! in on; anything else is a DNS-rebinding page or a misrouted request,
//! answered 421.
//!
//! The session cookie is `SameSite=Lax`, which already keeps it off
//! cross-site `POST`s; the guard adds two checks that do not depend on
//! browser cookie rules:
//! - `X-Requested-With` must be present. A cross-origin page can only send
//!   it after a CORS preflight, which only allowed origins pass; an HTML
//!   form cannot send it at all.
//! - An `Origin` header, when present, must be an allowed origin, the
//!   public origin, or that of the address the connection came in on;
//!   never merely the one `Host` names.
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cxreports_serve::LocalAddr;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::BackendError;
use crate::origin::{is_local_origin, HostPattern, OriginPattern};

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

/// The allowed hosts, parsed once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hosts {
    patterns: Arc<[HostPattern]>,
}

impl Hosts {
    /// Parses the configured hosts; entries that do not parse (only in a
    /// hand-built config) are skipped with a warning.
    pub(crate) fn new(hosts: &[String]) -> Self {
        let patterns = hosts
            .iter()
            .filter_map(|host| match HostPattern::parse(host) {
                Ok(pattern) => Some(pattern),
                Err(reason) => {
                    eprintln!(
                        "cxreports-backend: warning: ignoring allowed host {host:?}: {reason}"
                    );
                    None
                }
            })
            .collect();
        Hosts { patterns }
    }

    /// Why a request naming `host` is refused, or `None`.
    pub(crate) fn refusal(&self, host: Option<&str>, local: Option<SocketAddr>) -> Option<String> {
        let Some(host) = host else {
            return Some("the request names no Host: send the backend's host name".to_owned());
        };
        let allowed = self.patterns.iter().any(|pattern| pattern.matches(host))
            || local.is_some_and(|local| HostPattern::is_local(host, local));
        (!allowed).then(|| {
            let shown: String = host.chars().take(100).collect();
            format!(
                "this backend does not serve the host {shown:?}: call it by a name in its BACKEND_ALLOWED_HOSTS (or BACKEND_PUBLIC_ORIGIN)"
            )
        })
    }
}

/// What the guard compares requests with.
#[derive(Debug, Clone, Default)]
pub(crate) struct Guard {
    pub(crate) origins: Origins,
    pub(crate) hosts: Hosts,
}

/// Why a state-changing request is refused, or `None` when it may pass.
/// `local` is the address the connection came in on, when known.
pub(crate) fn refusal(
    method: &Method,
    headers: &HeaderMap,
    origins: &Origins,
    local: Option<SocketAddr>,
) -> Option<String> {
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
        let local_origin = local.is_some_and(|local| is_local_origin(origin, local));
        if !origins.allows(origin) && !local_origin {
            return Some(format!(
                "requests from the page origin {origin:?} are not allowed: add it to BACKEND_ALLOWED_ORIGINS on the backend"
            ));
        }
    }
    None
}

/// Middleware: refuses a request for a host not served with 421
/// `{"kind": "misdirected"}` (`/healthz` excepted, for load balancers that
/// probe by address), and `POST`s that fail the checks above with 403
/// `{"kind": "csrf"}`.
pub(crate) async fn guard(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    let local = request
        .extensions()
        .get::<LocalAddr>()
        .map(|LocalAddr(addr)| *addr);
    if request.uri().path() != "/healthz" {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| request.uri().authority().map(|a| a.as_str()));
        if let Some(reason) = guard.hosts.refusal(host, local) {
            return BackendError::Misdirected(reason).into_response();
        }
    }
    match refusal(request.method(), request.headers(), &guard.origins, local) {
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
    fn posts_need_the_header_and_an_allowed_or_local_origin() {
        let allowed = origins(&["https://app.example.com"]);
        let post = Method::POST;
        let local: SocketAddr = "10.0.0.5:8082".parse().unwrap();
        assert!(refusal(&Method::GET, &headers(&[]), &allowed, None).is_none());
        assert!(refusal(&post, &headers(&[]), &allowed, None)
            .unwrap()
            .contains("X-Requested-With"));
        assert!(refusal(
            &post,
            &headers(&[("x-requested-with", " ")]),
            &allowed,
            None
        )
        .is_some());
        assert!(refusal(
            &post,
            &headers(&[("x-requested-with", "w")]),
            &allowed,
            None
        )
        .is_none());
        let from = |origin: &'static str, host: &'static str| {
            refusal(
                &post,
                &headers(&[
                    ("x-requested-with", "w"),
                    ("origin", origin),
                    ("host", host),
                ]),
                &allowed,
                Some(local),
            )
        };
        assert!(from("https://app.example.com", "backend.example.com").is_none());
        assert!(from("http://10.0.0.5:8082", "10.0.0.5:8082").is_none());
        // DNS rebinding: Origin and Host agree, and name neither an
        // allowed origin nor the local address.
        assert!(from("http://rebind.example:8082", "rebind.example:8082").is_some());
        assert!(from(
            "http://backend.example.com:8082",
            "backend.example.com:8082"
        )
        .is_some());
        assert!(from("https://evil.example.com", "10.0.0.5:8082")
            .unwrap()
            .contains("BACKEND_ALLOWED_ORIGINS"));
        assert!(from("null", "10.0.0.5:8082").is_some());
    }

    #[test]
    fn hosts_must_be_allowed_or_the_local_address() {
        let hosts = Hosts::new(&["app.example.com".to_owned(), "127.0.0.1:*".to_owned()]);
        let local: SocketAddr = "10.0.0.5:8082".parse().unwrap();
        assert!(hosts.refusal(Some("app.example.com"), None).is_none());
        assert!(hosts.refusal(Some("127.0.0.1:5173"), None).is_none());
        assert!(hosts.refusal(Some("10.0.0.5:8082"), Some(local)).is_none());
        assert!(hosts.refusal(Some("10.0.0.5:8082"), None).is_some());
        assert!(hosts
            .refusal(Some("rebind.example:8082"), Some(local))
            .unwrap()
            .contains("BACKEND_ALLOWED_HOSTS"));
        assert!(hosts.refusal(None, Some(local)).is_some());
    }
}
