//! How the backend learns who is signed in to the host application, and
//! reading that from the environment.
use std::fmt;
use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey};

use super::validate::validate_url;
use super::{
    ConfigError, DEFAULT_FORWARD_AUTH_CACHE, DEFAULT_FORWARD_AUTH_TIMEOUT, DEMO_CXREPORTS_URL,
    MIN_JWT_SECRET_BYTES,
};
use crate::secret::Secret;

/// How the backend learns who the signed-in user of the host application
/// is. Nothing under `/api/cxreports/` is served without one.
#[derive(Clone, PartialEq, Eq)]
pub enum SignIn {
    /// The demo sign-in: `POST /auth/login {"user"}` signs in any name and
    /// sets a signed session cookie. `BACKEND_DEMO_SIGN_IN=1`; the default
    /// only against the simulator (`CXREPORTS_URL` unset).
    Demo,
    /// Ask the host application: see [`ForwardAuth`].
    ForwardAuth(ForwardAuth),
    /// A JWT the host application issued: see [`Jwt`].
    Jwt(Jwt),
    /// The application that mounts [`crate::router`] puts a [`crate::User`]
    /// in each request's extensions itself, from its own session; a request
    /// without one is refused with 401. Set in code only.
    Application,
}

impl fmt::Debug for SignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignIn::Demo => f.write_str("Demo"),
            SignIn::ForwardAuth(forward) => f.debug_tuple("ForwardAuth").field(forward).finish(),
            SignIn::Jwt(jwt) => f.debug_tuple("Jwt").field(jwt).finish(),
            SignIn::Application => f.write_str("Application"),
        }
    }
}

impl SignIn {
    /// A short name for logs and the startup line.
    pub fn name(&self) -> &'static str {
        match self {
            SignIn::Demo => "demo sign-in (POST /auth/login)",
            SignIn::ForwardAuth(_) => "forward auth",
            SignIn::Jwt(_) => "JWT",
            SignIn::Application => "the application's own",
        }
    }
}

/// Forward auth, as nginx `auth_request` and Traefik `forwardAuth` do it:
/// for each request the backend asks the host application's endpoint, with
/// the request's `Cookie` and `Authorization`, whether someone is signed in.
/// A 2xx answer means yes, and names the user in a header or a JSON field;
/// anything else means no (401).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardAuth {
    /// The endpoint, e.g. `http://app.internal/auth/check`.
    /// `BACKEND_FORWARD_AUTH_URL`.
    pub url: String,
    /// Answer header naming the user. `BACKEND_FORWARD_AUTH_USER_HEADER`;
    /// default `X-Auth-User`.
    pub user_header: String,
    /// Else, the field of a JSON answer naming the user.
    /// `BACKEND_FORWARD_AUTH_USER_FIELD`; default `user`.
    pub user_field: String,
    /// Limit for each call. `BACKEND_FORWARD_AUTH_TIMEOUT_MS`; default 3 s.
    pub timeout: Duration,
    /// How long a yes is remembered for the same credentials (kept as a
    /// hash); zero asks every time. `BACKEND_FORWARD_AUTH_CACHE_MS`;
    /// default 5 s.
    pub cache_ttl: Duration,
}

/// The key that checks the host application's JWTs.
#[derive(Clone, PartialEq, Eq)]
pub enum JwtKey {
    /// HS256 with a shared secret. `BACKEND_JWT_SECRET`.
    Hs256(Secret),
    /// RS256 with an RSA public key (PEM). `BACKEND_JWT_PUBLIC_KEY_FILE`.
    Rs256(Vec<u8>),
    /// ES256 with a P-256 public key (PEM). `BACKEND_JWT_PUBLIC_KEY_FILE`
    /// and `BACKEND_JWT_ALGORITHM=ES256`.
    Es256(Vec<u8>),
}

impl fmt::Debug for JwtKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JwtKey::Hs256(_) => "Hs256([redacted])",
            JwtKey::Rs256(_) => "Rs256(public key)",
            JwtKey::Es256(_) => "Es256(public key)",
        })
    }
}

/// A JWT from the host application, as `Authorization: Bearer <token>` or
/// in a cookie, checked with a configured key: signature, `exp` (required),
/// `nbf`, and `aud`/`iss` when configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwt {
    /// The key.
    pub key: JwtKey,
    /// Required `aud`. `BACKEND_JWT_AUDIENCE`; default none (not checked).
    pub audience: Option<String>,
    /// Required `iss`. `BACKEND_JWT_ISSUER`; default none (not checked).
    pub issuer: Option<String>,
    /// Cookie holding the token, when not sent as a bearer token.
    /// `BACKEND_JWT_COOKIE`; default none.
    pub cookie: Option<String>,
    /// Claim naming the user. `BACKEND_JWT_USER_CLAIM`; default `sub`.
    pub user_claim: String,
}

/// The sign-in the variables ask for: at most one of forward auth, JWT
/// and the demo; none at all is the demo against the simulator and an
/// error against a real CxReports.
pub(super) fn read_sign_in(
    get: &dyn Fn(&'static str) -> Result<Option<String>, ConfigError>,
    url: Option<&str>,
    demo: Option<bool>,
) -> Result<SignIn, ConfigError> {
    let mut chosen = Vec::new();
    if let Some(forward) = read_forward_auth(get)? {
        chosen.push(SignIn::ForwardAuth(forward));
    }
    if let Some(jwt) = read_jwt(get)? {
        chosen.push(SignIn::Jwt(jwt));
    }
    if demo == Some(true) {
        chosen.push(SignIn::Demo);
    }
    match chosen.len() {
        0 if url.is_none() && demo != Some(false) => Ok(SignIn::Demo),
        0 => Err(ConfigError::NoSignIn {
            url: url.unwrap_or(DEMO_CXREPORTS_URL).to_owned(),
        }),
        1 => Ok(chosen.remove(0)),
        _ => Err(ConfigError::TwoSignIns(
            chosen
                .iter()
                .map(SignIn::name)
                .collect::<Vec<_>>()
                .join(", "),
        )),
    }
}

fn read_forward_auth(
    get: &dyn Fn(&'static str) -> Result<Option<String>, ConfigError>,
) -> Result<Option<ForwardAuth>, ConfigError> {
    let Some(url) = get("BACKEND_FORWARD_AUTH_URL")? else {
        return Ok(None);
    };
    let bad = |var: &'static str, reason: String| ConfigError::BadSignIn { var, reason };
    let url = validate_url(&url).map_err(|_| {
        bad(
            "BACKEND_FORWARD_AUTH_URL",
            format!("{url:?} is not an http(s) URL without user, query or fragment: give your app's check endpoint, like http://app.internal/auth/check"),
        )
    })?;
    let millis = |var: &'static str, default: Duration, zero_ok: bool| match get(var)? {
        None => Ok(default),
        Some(ms) => match ms.parse::<u64>() {
            Ok(ms) if ms > 0 || zero_ok => Ok(Duration::from_millis(ms)),
            _ => Err(bad(
                var,
                format!(
                    "{ms:?} is not a whole number of milliseconds{}",
                    if zero_ok { "" } else { " above 0" }
                ),
            )),
        },
    };
    let user_header =
        get("BACKEND_FORWARD_AUTH_USER_HEADER")?.unwrap_or_else(|| "X-Auth-User".to_owned());
    if axum::http::HeaderName::from_bytes(user_header.as_bytes()).is_err() {
        return Err(bad(
            "BACKEND_FORWARD_AUTH_USER_HEADER",
            format!("{user_header:?} is not a header name, like X-Auth-User"),
        ));
    }
    Ok(Some(ForwardAuth {
        url,
        user_header,
        user_field: get("BACKEND_FORWARD_AUTH_USER_FIELD")?.unwrap_or_else(|| "user".to_owned()),
        timeout: millis(
            "BACKEND_FORWARD_AUTH_TIMEOUT_MS",
            DEFAULT_FORWARD_AUTH_TIMEOUT,
            false,
        )?,
        cache_ttl: millis(
            "BACKEND_FORWARD_AUTH_CACHE_MS",
            DEFAULT_FORWARD_AUTH_CACHE,
            true,
        )?,
    }))
}

fn read_jwt(
    get: &dyn Fn(&'static str) -> Result<Option<String>, ConfigError>,
) -> Result<Option<Jwt>, ConfigError> {
    let bad = |var: &'static str, reason: String| ConfigError::BadSignIn { var, reason };
    let algorithm = get("BACKEND_JWT_ALGORITHM")?.map(|a| a.to_ascii_uppercase());
    let key = match (
        get("BACKEND_JWT_SECRET")?,
        get("BACKEND_JWT_PUBLIC_KEY_FILE")?,
    ) {
        (None, None) => return Ok(None),
        (Some(_), Some(_)) => {
            return Err(bad(
                "BACKEND_JWT_SECRET",
                "both it and BACKEND_JWT_PUBLIC_KEY_FILE are set: keep the one your app signs with"
                    .to_owned(),
            ))
        }
        (Some(secret), None) => {
            if algorithm.as_deref().is_some_and(|a| a != "HS256") {
                return Err(bad("BACKEND_JWT_ALGORITHM", "a BACKEND_JWT_SECRET is an HS256 key: set BACKEND_JWT_ALGORITHM=HS256 or unset it".to_owned()));
            }
            if secret.len() < MIN_JWT_SECRET_BYTES {
                return Err(bad(
                    "BACKEND_JWT_SECRET",
                    format!(
                        "it is {} bytes long: an HS256 key needs at least 32 random bytes",
                        secret.len()
                    ),
                ));
            }
            JwtKey::Hs256(Secret::new(secret))
        }
        (None, Some(path)) => {
            let pem = std::fs::read(&path).map_err(|e| {
                bad(
                    "BACKEND_JWT_PUBLIC_KEY_FILE",
                    format!("cannot read {path}: {e} (check the path and the file's permissions)"),
                )
            })?;
            let key = match algorithm.as_deref() {
                None | Some("RS256") => JwtKey::Rs256(pem),
                Some("ES256") => JwtKey::Es256(pem),
                Some(other) => {
                    return Err(bad(
                        "BACKEND_JWT_ALGORITHM",
                        format!("{other:?} is not supported with a key file: use RS256 or ES256"),
                    ))
                }
            };
            decoding_key(&key).map_err(|reason| {
                bad("BACKEND_JWT_PUBLIC_KEY_FILE", format!("{path}: {reason}"))
            })?;
            key
        }
    };
    Ok(Some(Jwt {
        key,
        audience: get("BACKEND_JWT_AUDIENCE")?,
        issuer: get("BACKEND_JWT_ISSUER")?,
        cookie: get("BACKEND_JWT_COOKIE")?,
        user_claim: get("BACKEND_JWT_USER_CLAIM")?.unwrap_or_else(|| "sub".to_owned()),
    }))
}

/// The `jsonwebtoken` key for a configured key, or why it cannot be read.
pub(crate) fn decoding_key(key: &JwtKey) -> Result<(DecodingKey, Algorithm), String> {
    match key {
        JwtKey::Hs256(secret) => DecodingKey::from_secret(secret.expose().as_bytes())
            .map(|key| (key, Algorithm::HS256))
            .map_err(|e| format!("the secret cannot be an HS256 key ({e})")),
        JwtKey::Rs256(pem) => DecodingKey::from_rsa_pem(pem)
            .map(|key| (key, Algorithm::RS256))
            .map_err(|e| format!("not an RSA public key in PEM ({e}): give the key your app's tokens are checked with, -----BEGIN PUBLIC KEY-----")),
        JwtKey::Es256(pem) => DecodingKey::from_ec_pem(pem)
            .map(|key| (key, Algorithm::ES256))
            .map_err(|e| format!("not an EC (P-256) public key in PEM ({e}): give the key your app's tokens are checked with, -----BEGIN PUBLIC KEY-----")),
    }
}
