//! Who is signed in: the seam between the host application's sign-in and
//! the CxReports endpoints. Every endpoint under `/api/cxreports/` runs
//! behind [`require`], which finds the [`User`] the configured [`SignIn`]
//! names, or answers 401; nothing there is served to nobody.
//!
//! - Demo: the signed `host_session` cookie of `POST /auth/login`.
//! - Forward auth: the host application's own endpoint is asked, with the
//!   request's `Cookie` and `Authorization`, as nginx `auth_request` and
//!   Traefik `forwardAuth` do. A yes is remembered briefly, under a hash of
//!   those credentials (never the credentials themselves).
//! - JWT: a token the host application issued, checked with its key.
//! - Application: the host application's own layer put a [`User`] in the
//!   request's extensions.
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use sha2::{Digest, Sha256};

use crate::config::{decoding_key, ForwardAuth, Jwt, SignIn};
use crate::error::BackendError;
use crate::session::{now, SessionKeys};

/// At most this many remembered forward-auth answers; beyond it the
/// remembered ones are dropped (they are only a shortcut).
const MAX_CACHED: usize = 10_000;
/// A forward-auth answer body is read only for a user name.
const MAX_ANSWER_BYTES: usize = 16 * 1024;
/// Longest user name taken from a sign-in.
const MAX_USER_CHARS: usize = 256;
/// Clock skew tolerated on `exp` and `nbf`.
const JWT_LEEWAY_SECS: u64 = 30;

/// A signed-in user of the host application, as the backend knows them:
/// a name, used to rate-limit nonces and to bind temporary data to its
/// owner.
///
/// An application that mounts [`crate::router`] with
/// [`SignIn::Application`] puts one in each request's extensions from its
/// own session, in a layer around the router:
///
/// ```
/// use axum::{extract::Request, middleware::{self, Next}, response::Response};
/// use cxreports_backend::{router, BackendConfig, SignIn, User};
///
/// async fn who_is_it(mut request: Request, next: Next) -> Response {
///     // Your own session check goes here; this one trusts a header, for
///     // the example only.
///     let name = request.headers().get("x-demo-user").and_then(|v| v.to_str().ok()).map(str::to_owned);
///     if let Some(user) = name.and_then(User::new) {
///         request.extensions_mut().insert(user);
///     }
///     next.run(request).await
/// }
///
/// let config = BackendConfig { sign_in: SignIn::Application, ..BackendConfig::simulator_default() };
/// let app: axum::Router = router(config).layer(middleware::from_fn(who_is_it));
/// # drop(app);
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct User(String);

impl User {
    /// A user named `name`: 1 to 256 characters, no control characters
    /// (surrounding whitespace dropped); `None` otherwise.
    ///
    /// ```
    /// use cxreports_backend::User;
    /// assert_eq!(User::new(" alice ").unwrap().name(), "alice");
    /// assert!(User::new("").is_none() && User::new("a\nb").is_none());
    /// ```
    pub fn new(name: impl Into<String>) -> Option<Self> {
        let name = name.into();
        let name = name.trim();
        let chars = name.chars().count();
        (chars > 0 && chars <= MAX_USER_CHARS && !name.chars().any(char::is_control))
            .then(|| User(name.to_owned()))
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("User").field(&self.0).finish()
    }
}

/// The sign-in in use, ready to check requests.
pub(crate) enum Authenticator {
    Demo(Arc<SessionKeys>),
    Forward(ForwardChecker),
    Jwt(JwtChecker),
    Application,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Authenticator::Demo(_) => "Authenticator::Demo",
            Authenticator::Forward(_) => "Authenticator::Forward",
            Authenticator::Jwt(_) => "Authenticator::Jwt",
            Authenticator::Application => "Authenticator::Application",
        })
    }
}

impl Authenticator {
    /// Builds the checker for `sign_in`. A JWT key that cannot be read
    /// (only possible in a hand-built config) refuses everyone, loudly.
    pub(crate) fn new(sign_in: &SignIn, sessions: Arc<SessionKeys>) -> Self {
        match sign_in {
            SignIn::Demo => Authenticator::Demo(sessions),
            SignIn::ForwardAuth(forward) => Authenticator::Forward(ForwardChecker::new(forward)),
            SignIn::Jwt(jwt) => Authenticator::Jwt(JwtChecker::new(jwt)),
            SignIn::Application => Authenticator::Application,
        }
    }

    /// The user a request's credentials prove, if any.
    async fn user(&self, request: &Parts) -> Result<Option<User>, BackendError> {
        match self {
            Authenticator::Demo(keys) => Ok(keys
                .session_of(&request.headers, now())
                .and_then(|session| User::new(session.user))),
            Authenticator::Forward(forward) => forward.user(request).await,
            Authenticator::Jwt(jwt) => Ok(jwt.user(&request.headers)),
            Authenticator::Application => Ok(request.extensions.get::<User>().cloned()),
        }
    }
}

/// Middleware: lets a request through only with a signed-in user, whom
/// handlers then read as an extension; else 401 `{"kind":
/// "unauthenticated"}`.
pub(crate) async fn require(
    State(auth): State<Arc<Authenticator>>,
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    match auth.user(&parts).await {
        Ok(Some(user)) => {
            parts.extensions.insert(user);
            next.run(Request::from_parts(parts, body)).await
        }
        Ok(None) => BackendError::Unauthenticated.into_response(),
        Err(error) => error.into_response(),
    }
}

/// Forward auth: the host application's endpoint, and what it said lately.
pub(crate) struct ForwardChecker {
    http: Result<reqwest::Client, String>,
    config: ForwardAuth,
    cache: Mutex<HashMap<[u8; 32], (User, Instant)>>,
}

impl ForwardChecker {
    fn new(config: &ForwardAuth) -> Self {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            // A redirect is a sign-in page: a no, never followed with the
            // user's cookies.
            .redirect(reqwest::redirect::Policy::none())
            // The check carries the user's cookies to the host app, which
            // sits beside the backend: never through an outgoing proxy.
            .no_proxy()
            .build()
            .map_err(|e| e.to_string());
        ForwardChecker {
            http,
            config: config.clone(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    fn log(&self, line: &str) {
        eprintln!(
            "cxreports-backend: forward auth {}: {line}",
            self.config.url
        );
    }

    async fn user(&self, request: &Parts) -> Result<Option<User>, BackendError> {
        let headers = &request.headers;
        let credentials = |name: header::HeaderName| -> Vec<HeaderValue> {
            headers.get_all(name).iter().cloned().collect()
        };
        let cookies = credentials(header::COOKIE);
        let authorization = credentials(header::AUTHORIZATION);
        if cookies.is_empty() && authorization.is_empty() {
            return Ok(None);
        }
        let key = credentials_hash(&cookies, &authorization);
        if let Some(user) = self.cached(&key) {
            return Ok(Some(user));
        }
        let http = self.http.as_ref().map_err(|detail| {
            self.log(&format!("its HTTP client cannot be built: {detail}"));
            BackendError::AuthUnavailable
        })?;
        let mut call = http.get(&self.config.url);
        for value in cookies {
            call = call.header(header::COOKIE, value);
        }
        for value in authorization {
            call = call.header(header::AUTHORIZATION, value);
        }
        call = call
            .header("x-forwarded-method", request.method.as_str())
            .header("x-forwarded-uri", request.uri.path());
        let answer = call.send().await.map_err(|error| {
            self.log(&format!(
                "no answer ({})",
                if error.is_timeout() {
                    "timed out"
                } else {
                    "cannot connect"
                }
            ));
            BackendError::AuthUnavailable
        })?;
        if !answer.status().is_success() {
            return Ok(None);
        }
        let from_header = answer
            .headers()
            .get(self.config.user_header.as_str())
            .and_then(|v| v.to_str().ok())
            .and_then(User::new);
        let user = match from_header {
            Some(user) => Some(user),
            None => self.user_from_body(answer).await,
        };
        let Some(user) = user else {
            self.log(&format!(
                "answered 2xx but named no user (neither a {} header nor a JSON field {:?}): refused",
                self.config.user_header, self.config.user_field
            ));
            return Ok(None);
        };
        self.remember(key, &user);
        Ok(Some(user))
    }

    async fn user_from_body(&self, mut answer: reqwest::Response) -> Option<User> {
        let mut body = Vec::new();
        while let Ok(Some(chunk)) = answer.chunk().await {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return None;
            }
            body.extend_from_slice(&chunk);
        }
        let json: serde_json::Value = serde_json::from_slice(&body).ok()?;
        match json.get(&self.config.user_field)? {
            serde_json::Value::String(name) => User::new(name.clone()),
            serde_json::Value::Number(n) => User::new(n.to_string()),
            _ => None,
        }
    }

    fn cached(&self, key: &[u8; 32]) -> Option<User> {
        let cache = self.cache.lock().ok()?;
        let (user, until) = cache.get(key)?;
        (Instant::now() < *until).then(|| user.clone())
    }

    fn remember(&self, key: [u8; 32], user: &User) {
        if self.config.cache_ttl.is_zero() {
            return;
        }
        let Ok(mut cache) = self.cache.lock() else {
            return;
        };
        let now = Instant::now();
        if cache.len() >= MAX_CACHED {
            cache.retain(|_, (_, until)| *until > now);
            if cache.len() >= MAX_CACHED {
                cache.clear();
            }
        }
        cache.insert(key, (user.clone(), now + self.config.cache_ttl));
    }
}

/// SHA-256 over the credentials, so the cache keeps no usable secret.
fn credentials_hash(cookies: &[HeaderValue], authorization: &[HeaderValue]) -> [u8; 32] {
    let mut hash = Sha256::new();
    for (tag, values) in [(b'c', cookies), (b'a', authorization)] {
        for value in values {
            hash.update([tag]);
            hash.update((value.len() as u64).to_be_bytes());
            hash.update(value.as_bytes());
        }
    }
    hash.finalize().into()
}

/// JWT: the key and the rules a token must meet.
pub(crate) struct JwtChecker {
    key: Option<DecodingKey>,
    validation: Validation,
    cookie: Option<String>,
    user_claim: String,
}

impl JwtChecker {
    fn new(config: &Jwt) -> Self {
        let (key, algorithm) = match decoding_key(&config.key) {
            Ok((key, algorithm)) => (Some(key), algorithm),
            Err(reason) => {
                eprintln!("cxreports-backend: error: the JWT key cannot be used ({reason}): nobody can sign in");
                (None, Algorithm::HS256)
            }
        };
        let mut validation = Validation::new(algorithm);
        validation.leeway = JWT_LEEWAY_SECS;
        validation.validate_nbf = true;
        validation.validate_exp = true;
        let mut required = vec!["exp"];
        match &config.audience {
            Some(audience) => {
                validation.set_audience(&[audience]);
                required.push("aud");
            }
            None => validation.validate_aud = false,
        }
        if let Some(issuer) = &config.issuer {
            validation.set_issuer(&[issuer]);
            required.push("iss");
        }
        validation.set_required_spec_claims(&required);
        JwtChecker {
            key,
            validation,
            cookie: config.cookie.clone(),
            user_claim: config.user_claim.clone(),
        }
    }

    fn user(&self, headers: &HeaderMap) -> Option<User> {
        let key = self.key.as_ref()?;
        let bearer = headers
            .get_all(header::AUTHORIZATION)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .next();
        let from_cookie = || {
            let name = self.cookie.as_deref()?;
            cxreports_serve::cookie_values(headers, name)
                .next()
                .map(str::to_owned)
        };
        let token = bearer.map(str::to_owned).or_else(from_cookie)?;
        let claims = jsonwebtoken::decode::<serde_json::Map<String, serde_json::Value>>(
            &token,
            key,
            &self.validation,
        )
        .ok()?
        .claims;
        match claims.get(&self.user_claim)? {
            serde_json::Value::String(name) => User::new(name.clone()),
            serde_json::Value::Number(n) => User::new(n.to_string()),
            _ => None,
        }
    }
}

/// How long until `duration` has passed, in whole seconds, at least 1.
pub(crate) fn whole_secs(duration: Duration) -> u64 {
    (duration.as_secs() + u64::from(duration.subsec_nanos() > 0)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::JwtKey;
    use crate::secret::Secret;
    use jsonwebtoken::{encode, EncodingKey, Header};
    use serde_json::json;

    const KEY: &str = "an-hs256-key-of-at-least-32-bytes!!";

    fn checker(audience: Option<&str>, issuer: Option<&str>) -> JwtChecker {
        JwtChecker::new(&Jwt {
            key: JwtKey::Hs256(Secret::new(KEY)),
            audience: audience.map(str::to_owned),
            issuer: issuer.map(str::to_owned),
            cookie: Some("app_token".to_owned()),
            user_claim: "sub".to_owned(),
        })
    }

    fn token(claims: serde_json::Value, key: &str) -> String {
        encode(
            &Header::default(),
            &claims,
            &EncodingKey::from_secret(key.as_bytes()).unwrap(),
        )
        .unwrap()
    }

    fn bearer(token: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
        );
        headers
    }

    #[test]
    fn a_jwt_is_checked_for_key_expiry_audience_and_issuer() {
        let now = now();
        let good = json!({"sub": "alice", "exp": now + 600, "aud": "cx", "iss": "app"});
        let jwt = checker(Some("cx"), Some("app"));
        assert_eq!(
            jwt.user(&bearer(&token(good.clone(), KEY))).unwrap().name(),
            "alice"
        );
        let mut cookie = HeaderMap::new();
        cookie.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("x=1; app_token={}", token(good.clone(), KEY))).unwrap(),
        );
        assert_eq!(jwt.user(&cookie).unwrap().name(), "alice");
        let refused = [
            token(good.clone(), "another-key-of-at-least-32-bytes!!!"),
            token(
                json!({"sub": "alice", "exp": now - 600, "aud": "cx", "iss": "app"}),
                KEY,
            ),
            token(json!({"sub": "alice", "aud": "cx", "iss": "app"}), KEY),
            token(
                json!({"sub": "alice", "exp": now + 600, "nbf": now + 300, "aud": "cx", "iss": "app"}),
                KEY,
            ),
            token(
                json!({"sub": "alice", "exp": now + 600, "aud": "other", "iss": "app"}),
                KEY,
            ),
            token(
                json!({"sub": "alice", "exp": now + 600, "aud": "cx", "iss": "evil"}),
                KEY,
            ),
            token(json!({"sub": "alice", "exp": now + 600, "iss": "app"}), KEY),
            token(json!({"exp": now + 600, "aud": "cx", "iss": "app"}), KEY),
            "not.a.token".to_owned(),
        ];
        for token in refused {
            assert!(jwt.user(&bearer(&token)).is_none(), "{token}");
        }
        // `alg: none` is never accepted.
        let header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";
        assert!(jwt.user(&bearer(&format!("{header}.e30."))).is_none());
        assert!(jwt.user(&HeaderMap::new()).is_none());
    }

    #[test]
    fn credentials_hash_by_kind_and_value() {
        let v = |s: &'static str| HeaderValue::from_static(s);
        let a = credentials_hash(&[v("s=1")], &[]);
        assert_eq!(a, credentials_hash(&[v("s=1")], &[]));
        assert_ne!(a, credentials_hash(&[], &[v("s=1")]));
        assert_ne!(a, credentials_hash(&[v("s=2")], &[]));
    }

    #[test]
    fn whole_seconds_round_up() {
        assert_eq!(whole_secs(Duration::from_millis(1)), 1);
        assert_eq!(whole_secs(Duration::from_millis(1500)), 2);
        assert_eq!(whole_secs(Duration::from_secs(3)), 3);
        assert_eq!(whole_secs(Duration::ZERO), 1);
    }
}
