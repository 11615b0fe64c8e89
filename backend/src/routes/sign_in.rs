//! The demo sign-in: `POST /auth/login`, `POST /auth/logout`,
//! `GET /auth/me`, mounted only with [`SignIn::Demo`]. A real application
//! signs users in its own way.
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::body::read_body;
use super::{AppState, Result};
#[cfg(doc)]
use crate::config::SignIn;
use crate::error::BackendError;
use crate::session;

/// Login bodies are a user name; nothing bigger is read.
const MAX_LOGIN_BYTES: usize = 4 * 1024;

#[derive(Debug, Deserialize)]
struct LoginBody {
    user: String,
}

/// `POST /auth/login {"user"}`: the demo sign-in, mounted only with
/// [`SignIn::Demo`]. A real application signs users in its own way.
pub(super) async fn login(State(state): State<AppState>, request: Request) -> Result<Response> {
    let secure = session::is_https(request.headers());
    let body = read_body(request, MAX_LOGIN_BYTES).await?;
    let body: LoginBody = serde_json::from_slice(&body)
        .map_err(|_| BackendError::BadRequest("send JSON like {\"user\": \"alice\"}".to_owned()))?;
    let user = session::validate_user(&body.user)?;
    let (token, session) = state.sessions.issue(&user, session::now())?;
    let cookie = HeaderValue::from_str(&state.sessions.set_cookie(&token, secure))
        .map_err(|_| BackendError::Internal("the session cookie cannot be written".to_owned()))?;
    let mut response = Json(session).into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

/// `POST /auth/logout`: deletes the cookie. Being stateless, the backend
/// cannot revoke a copied cookie before it expires; a real application's
/// own session store can.
pub(super) async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let cookie = state.sessions.clear_cookie(session::is_https(&headers));
    let mut response = Json(serde_json::json!({ "signedOut": true })).into_response();
    if let Ok(cookie) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// `GET /auth/me`: who is signed in, or 401.
pub(super) async fn me(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<session::Session>> {
    state
        .sessions
        .session_of(&headers, session::now())
        .map(Json)
        .ok_or(BackendError::Unauthenticated)
}
