//! The host session: who is signed in to the host application.
//!
//! This is the DEMO login of the reference backend: `POST /auth/login`
//! trusts any user name. The session itself is production-shaped: a
//! stateless cookie `host_session = hex(user) . expiry . HMAC-SHA256`, so
//! no server keeps per-user state and any instance sharing
//! `BACKEND_SESSION_SECRET` can check it. A real application replaces the
//! login with its own and [`require`] with a check of its own session; the
//! CxReports endpoints only need to know that someone is signed in.
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::error::BackendError;

/// The cookie's name.
pub(crate) const COOKIE_NAME: &str = "host_session";
/// How long a session lasts; there is no renewal, sign in again.
pub(crate) const SESSION_TTL: Duration = Duration::from_secs(8 * 60 * 60);
const MAX_USER_CHARS: usize = 64;
const TOKEN_VERSION: &str = "v1";

/// A signed-in user, as the cookie says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Session {
    /// The user name.
    pub user: String,
    /// When the session ends, in seconds since the Unix epoch.
    pub expires_at: u64,
}

/// The key that signs and checks session cookies.
pub(crate) struct SessionKeys {
    /// `None` only if no key could be had (no secret configured and no
    /// randomness); then nobody can sign in.
    key: Option<Vec<u8>>,
}

impl fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKeys([redacted])")
    }
}

impl SessionKeys {
    /// Uses the configured secret, or makes a random one and warns that
    /// sessions will then not survive a restart or cross instances.
    pub(crate) fn new(secret: Option<Vec<u8>>) -> Self {
        if let Some(key) = secret {
            return SessionKeys { key: Some(key) };
        }
        let mut key = vec![0u8; 32];
        match getrandom::fill(&mut key) {
            Ok(()) => {
                eprintln!(
                    "cxreports-backend: warning: BACKEND_SESSION_SECRET is not set, so sessions are \
                     signed with a random key of this process: they end when it restarts, and \
                     several instances behind a load balancer need one shared BACKEND_SESSION_SECRET"
                );
                SessionKeys { key: Some(key) }
            }
            Err(error) => {
                eprintln!(
                    "cxreports-backend: error: BACKEND_SESSION_SECRET is not set and the system's \
                     random source failed ({error}): nobody can sign in until a secret is set"
                );
                SessionKeys { key: None }
            }
        }
    }

    fn mac(&self, payload: &str) -> Option<Hmac<Sha256>> {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.key.as_deref()?).ok()?;
        mac.update(TOKEN_VERSION.as_bytes());
        mac.update(b":");
        mac.update(payload.as_bytes());
        Some(mac)
    }

    /// A cookie value for `user` (already validated), valid from `now` for
    /// [`SESSION_TTL`].
    pub(crate) fn issue(&self, user: &str, now: u64) -> Result<(String, Session), BackendError> {
        let expires_at = now.saturating_add(SESSION_TTL.as_secs());
        let payload = format!("{}.{expires_at}", hex(user.as_bytes()));
        let mac = self.mac(&payload).ok_or_else(|| {
            BackendError::Internal(
                "the backend has no session key: set BACKEND_SESSION_SECRET".to_owned(),
            )
        })?;
        let token = format!("{payload}.{}", hex(&mac.finalize().into_bytes()));
        Ok((
            token,
            Session {
                user: user.to_owned(),
                expires_at,
            },
        ))
    }

    /// The session a cookie value proves, if its signature holds and it has
    /// not expired.
    pub(crate) fn verify(&self, token: &str, now: u64) -> Option<Session> {
        let (payload, signature) = token.rsplit_once('.')?;
        let (user_hex, expires_at) = payload.split_once('.')?;
        let expires_at: u64 = expires_at.parse().ok()?;
        self.mac(payload)?.verify_slice(&unhex(signature)?).ok()?;
        if expires_at <= now {
            return None;
        }
        let user = String::from_utf8(unhex(user_hex)?).ok()?;
        Some(Session { user, expires_at })
    }

    /// The session of a request, from any `host_session` cookie it carries.
    pub(crate) fn session_of(&self, headers: &HeaderMap, now: u64) -> Option<Session> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .filter(|(name, _)| *name == COOKIE_NAME)
            .find_map(|(_, token)| self.verify(token.trim_matches('"'), now))
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Checks a user name for the demo login: 1 to 64 characters, no control
/// characters, surrounding whitespace dropped.
pub(crate) fn validate_user(raw: &str) -> Result<String, BackendError> {
    let user = raw.trim();
    let chars = user.chars().count();
    if chars == 0 || chars > MAX_USER_CHARS || user.chars().any(char::is_control) {
        return Err(BackendError::BadRequest(format!(
            "`user` must be 1 to {MAX_USER_CHARS} printable characters, like {{\"user\": \"alice\"}}"
        )));
    }
    Ok(user.to_owned())
}

/// Whether the browser reached the backend over https: through a proxy
/// that says so, or from an https page (which can only call https).
pub(crate) fn is_https(headers: &HeaderMap) -> bool {
    let header_is = |name: &str, test: &dyn Fn(&str) -> bool| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| test(&v.trim().to_ascii_lowercase()))
    };
    header_is("x-forwarded-proto", &|v| v == "https")
        || header_is("origin", &|v| v.starts_with("https://"))
}

/// `Set-Cookie` for a session: HttpOnly (no script reads it), Lax (not sent
/// on cross-site POSTs), Secure over https.
pub(crate) fn set_cookie(token: &str, secure: bool) -> String {
    format!(
        "{COOKIE_NAME}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}",
        SESSION_TTL.as_secs(),
        if secure { "; Secure" } else { "" }
    )
}

/// `Set-Cookie` that deletes the session cookie.
pub(crate) fn clear_cookie(secure: bool) -> String {
    format!(
        "{COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Middleware: lets a request through only with a valid host session,
/// which handlers can then read as an extension; else 401
/// `{"kind": "unauthenticated"}`.
///
/// This is the seam where a real application plugs in its own session
/// check instead.
pub(crate) async fn require(
    State(keys): State<std::sync::Arc<SessionKeys>>,
    mut request: Request,
    next: Next,
) -> Response {
    match keys.session_of(request.headers(), now()) {
        Some(session) => {
            request.extensions_mut().insert(session);
            next.run(request).await
        }
        None => BackendError::Unauthenticated.into_response(),
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| {
        char::from(c)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    text.as_bytes()
        .chunks(2)
        .map(|pair| match pair {
            [high, low] => Some(digit(*high)? << 4 | digit(*low)?),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn keys() -> SessionKeys {
        SessionKeys::new(Some(b"0123456789abcdef0123456789abcdef".to_vec()))
    }

    #[test]
    fn a_session_round_trips_until_it_expires() {
        let (token, session) = keys().issue("Žana <admin>", 1_000).unwrap();
        assert_eq!(session.expires_at, 1_000 + SESSION_TTL.as_secs());
        assert_eq!(keys().verify(&token, 1_001), Some(session.clone()));
        assert_eq!(keys().verify(&token, session.expires_at), None);
    }

    #[test]
    fn tampering_or_another_key_breaks_it() {
        let (token, _) = keys().issue("alice", 1_000).unwrap();
        let other = SessionKeys::new(Some(vec![7; 32]));
        assert_eq!(other.verify(&token, 1_001), None);
        let (payload, signature) = token.rsplit_once('.').unwrap();
        let (user, expiry) = payload.split_once('.').unwrap();
        let longer = format!("{user}.{}.{signature}", expiry.parse::<u64>().unwrap() + 1);
        assert_eq!(keys().verify(&longer, 1_001), None);
        let mallory = format!("{}.{expiry}.{signature}", hex(b"mallory"));
        assert_eq!(keys().verify(&mallory, 1_001), None);
        for junk in ["", ".", "..", "a.b.c", "zz.1.zz", &token[..token.len() - 1]] {
            assert_eq!(keys().verify(junk, 1_001), None, "{junk}");
        }
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let (token, _) = keys().issue("bob", now()).unwrap();
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; host_session=forged"),
        );
        headers.append(
            header::COOKIE,
            HeaderValue::from_str(&format!("b=2; host_session={token}")).unwrap(),
        );
        assert_eq!(keys().session_of(&headers, now()).unwrap().user, "bob");
    }

    #[test]
    fn user_names_are_checked() {
        assert_eq!(validate_user("  alice ").unwrap(), "alice");
        assert!(validate_user("").is_err());
        assert!(validate_user("a\nb").is_err());
        assert!(validate_user(&"x".repeat(65)).is_err());
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_over_https() {
        let cookie = set_cookie("t", false);
        assert!(cookie.starts_with("host_session=t; Path=/;"));
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        assert!(!cookie.contains("Secure"));
        assert!(set_cookie("t", true).ends_with("; Secure"));
        assert!(clear_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(unhex(&hex(b"\x00\xffab")).unwrap(), b"\x00\xffab");
        assert_eq!(unhex("0"), None);
        assert_eq!(unhex("zz"), None);
    }
}
