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

use axum::http::HeaderMap;
use cxreports_serve::{cookie_values, SetCookie};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::error::BackendError;

/// The cookie's name.
pub(crate) const COOKIE_NAME: &str = "host_session";
/// Its name when served over https only: browsers then keep it only if
/// `Secure`, `Path=/` and without `Domain`, so no sibling subdomain or
/// plain-http page can set or shadow it.
pub(crate) const SECURE_COOKIE_NAME: &str = "__Host-host_session";
/// Version tag of temporary-data handles.
const HANDLE_VERSION: &str = "td1";
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
    /// `BACKEND_SECURE_COOKIES`: the `__Host-` name, always `Secure`.
    secure: bool,
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
            return SessionKeys {
                key: Some(key),
                secure: false,
            };
        }
        let mut key = vec![0u8; 32];
        match getrandom::fill(&mut key) {
            Ok(()) => {
                eprintln!(
                    "cxreports-backend: warning: BACKEND_SESSION_SECRET is not set, so sessions and \
                     temporary-data handles are signed with a random key of this process: they end \
                     when it restarts, and several instances behind a load balancer need one shared \
                     BACKEND_SESSION_SECRET"
                );
                SessionKeys {
                    key: Some(key),
                    secure: false,
                }
            }
            Err(error) => {
                eprintln!(
                    "cxreports-backend: error: BACKEND_SESSION_SECRET is not set and the system's \
                     random source failed ({error}): nobody can sign in until a secret is set"
                );
                SessionKeys {
                    key: None,
                    secure: false,
                }
            }
        }
    }

    /// The same keys, with `__Host-` cookies that are always `Secure`.
    pub(crate) fn with_secure_cookies(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// The session cookie's name.
    pub(crate) fn cookie_name(&self) -> &'static str {
        if self.secure {
            SECURE_COOKIE_NAME
        } else {
            COOKIE_NAME
        }
    }

    /// `Set-Cookie` for a session (HttpOnly, Lax); `Secure` when
    /// configured so or the request came over https.
    pub(crate) fn set_cookie(&self, token: &str, https: bool) -> String {
        set_cookie_named(self.cookie_name(), token, self.secure || https)
    }

    /// `Set-Cookie` that deletes the session cookie.
    pub(crate) fn clear_cookie(&self, https: bool) -> String {
        clear_cookie_named(self.cookie_name(), self.secure || https)
    }

    fn mac(&self, payload: &str) -> Option<Hmac<Sha256>> {
        self.tagged_mac(TOKEN_VERSION, payload)
    }

    /// An HMAC keyed with the session key, over `tag:payload`: the tag
    /// keeps a session token from passing as a handle and back.
    fn tagged_mac(&self, tag: &str, payload: &str) -> Option<Hmac<Sha256>> {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.key.as_deref()?).ok()?;
        mac.update(tag.as_bytes());
        mac.update(b":");
        mac.update(payload.as_bytes());
        Some(mac)
    }

    fn handle_mac(&self, user: &str, id: i64, expires_at: u64) -> Option<Hmac<Sha256>> {
        // The user is hex, so no name can fake the separators.
        self.tagged_mac(
            HANDLE_VERSION,
            &format!("{}.{id}.{expires_at}", hex(user.as_bytes())),
        )
    }

    /// A handle for the temporary data CxReports stored as `id` for
    /// `user`: `td1.{id}.{expiry}.{HMAC}`, checkable by any instance with
    /// the same key and by nothing else.
    pub(crate) fn temp_data_handle(
        &self,
        user: &str,
        id: i64,
        expires_at: u64,
    ) -> Result<String, BackendError> {
        let mac = self.handle_mac(user, id, expires_at).ok_or_else(|| {
            BackendError::Internal(
                "the backend has no signing key: set BACKEND_SESSION_SECRET".to_owned(),
            )
        })?;
        Ok(format!(
            "{HANDLE_VERSION}.{id}.{expires_at}.{}",
            hex(&mac.finalize().into_bytes())
        ))
    }

    /// The CxReports id a handle stands for, if `user` stored it and it has
    /// not expired at `now`.
    pub(crate) fn verify_temp_data_handle(
        &self,
        handle: &str,
        user: &str,
        now: u64,
    ) -> Option<i64> {
        let mut parts = handle.trim().split('.');
        let (Some(HANDLE_VERSION), Some(id), Some(expires_at), Some(signature), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let id: i64 = id.parse().ok()?;
        let expires_at: u64 = expires_at.parse().ok()?;
        self.handle_mac(user, id, expires_at)?
            .verify_slice(&unhex(signature)?)
            .ok()?;
        (expires_at > now).then_some(id)
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

    /// The session of a request, from any session cookie it carries.
    pub(crate) fn session_of(&self, headers: &HeaderMap, now: u64) -> Option<Session> {
        cookie_values(headers, self.cookie_name()).find_map(|token| self.verify(token, now))
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
#[cfg(test)]
pub(crate) fn set_cookie(token: &str, secure: bool) -> String {
    set_cookie_named(COOKIE_NAME, token, secure)
}

fn set_cookie_named(name: &str, token: &str, secure: bool) -> String {
    session_cookie(name, token, SESSION_TTL, secure)
}

fn clear_cookie_named(name: &str, secure: bool) -> String {
    session_cookie(name, "", Duration::ZERO, secure)
}

/// The session cookie's `Set-Cookie`: always `SameSite=Lax`.
fn session_cookie(name: &str, value: &str, max_age: Duration, secure: bool) -> String {
    SetCookie {
        name,
        value,
        max_age,
        same_site: "Lax",
        secure,
    }
    .to_string()
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
    use axum::http::{header, HeaderValue};

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
        assert!(keys().clear_cookie(false).contains("Max-Age=0"));
        let secure = keys().with_secure_cookies(true);
        let cookie = secure.set_cookie("t", false);
        assert!(
            cookie.starts_with("__Host-host_session=t; Path=/;"),
            "{cookie}"
        );
        assert!(
            cookie.ends_with("; Secure") && !cookie.contains("Domain"),
            "{cookie}"
        );
        assert!(secure
            .clear_cookie(false)
            .starts_with("__Host-host_session=;"));
    }

    #[test]
    fn a_temp_data_handle_works_for_its_user_until_it_expires() {
        let handle = keys().temp_data_handle("alice", 42, 2_000).unwrap();
        assert!(handle.starts_with("td1.42.2000."), "{handle}");
        assert_eq!(
            keys().verify_temp_data_handle(&handle, "alice", 1_999),
            Some(42)
        );
        assert_eq!(keys().verify_temp_data_handle(&handle, "bob", 1_999), None);
        assert_eq!(
            keys().verify_temp_data_handle(&handle, "alice", 2_000),
            None
        );
        let other = SessionKeys::new(Some(vec![7; 32]));
        assert_eq!(other.verify_temp_data_handle(&handle, "alice", 1_999), None);
        let signature = handle.rsplit('.').next().unwrap();
        for forged in [
            format!("td1.43.2000.{signature}"),
            format!("td1.42.3000.{signature}"),
            format!("td1.42.2000.{signature}.x"),
            "42".to_owned(),
            String::new(),
        ] {
            assert_eq!(
                keys().verify_temp_data_handle(&forged, "alice", 1_000),
                None,
                "{forged}"
            );
        }
        // A session token is no handle.
        let (token, _) = keys().issue("alice", 1_000).unwrap();
        assert_eq!(keys().verify_temp_data_handle(&token, "alice", 1_000), None);
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(unhex(&hex(b"\x00\xffab")).unwrap(), b"\x00\xffab");
        assert_eq!(unhex("0"), None);
        assert_eq!(unhex("zz"), None);
    }
}
