//! `/__sim/...`: what tests ask the simulator (the request and nonce log)
//! and tell it (the login-page, auth-redirect, viewer-print and session-cookie
//! switches, and ending the viewer sessions).
//! Not part of CxReports.
use axum::extract::rejection::JsonRejection;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use cxreports_contract::model::ApiError;
use serde::{Deserialize, Serialize};
use tower_http::cors::{Any, CorsLayer};

use crate::faults::is_control_path;
use crate::state::{RequestRecord, SessionCookie, Sim};
use crate::{SameSite, ViewerPrint};

/// The introspection routes, open to any origin so browser tests can call
/// them directly.
pub(crate) fn routes(sim: Sim) -> Router {
    Router::new()
        .route("/__sim/events", get(events).delete(clear_events))
        .route("/__sim/login-page", post(login_page))
        .route("/__sim/auth-redirect", post(auth_redirect))
        .route("/__sim/viewer-print", post(viewer_print))
        .route("/__sim/session-cookie", post(session_cookie))
        .route("/__sim/expire-sessions", post(expire_sessions))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([Method::GET, Method::POST, Method::DELETE])
                .allow_headers([header::CONTENT_TYPE]),
        )
        .with_state(sim)
}

/// Logs every request outside the control paths (the harness's own calls
/// would drown what tests look for), with the status it got.
pub(crate) async fn record(State(sim): State<Sim>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if is_control_path(&path) {
        return next.run(request).await;
    }
    let method = request.method().to_string();
    let query = request.uri().query().map(str::to_owned);
    let has_authorization = request.headers().contains_key(header::AUTHORIZATION);
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let response = next.run(request).await;
    sim.record_request(RequestRecord {
        method,
        path,
        query,
        has_authorization,
        origin,
        status: response.status().as_u16(),
    });
    response
}

async fn events(State(sim): State<Sim>) -> Response {
    Json(sim.events()).into_response()
}

async fn clear_events(State(sim): State<Sim>) -> StatusCode {
    sim.clear_events();
    StatusCode::NO_CONTENT
}

/// `POST /__sim/expire-sessions`: every viewer session ends now; a viewer
/// page or its parts asked for with the old cookie get the sign-in page.
/// Answers `{"expired": n}`, the sessions that were open.
async fn expire_sessions(State(sim): State<Sim>) -> Response {
    Json(serde_json::json!({ "expired": sim.expire_sessions() })).into_response()
}

#[derive(Debug, Deserialize, Serialize)]
struct LoginPageSwitch {
    enabled: bool,
}

fn bad_switch(expected: &str, rejection: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(ApiError {
            error: format!("send {expected} as JSON: {rejection}"),
        }),
    )
        .into_response()
}

const ENABLED_BODY: &str = "{\"enabled\": true} or {\"enabled\": false}";

async fn login_page(
    State(sim): State<Sim>,
    body: Result<Json<LoginPageSwitch>, JsonRejection>,
) -> Response {
    match body {
        Ok(Json(switch)) => {
            sim.set_login_page_200(switch.enabled);
            Json(switch).into_response()
        }
        Err(rejection) => bad_switch(ENABLED_BODY, &rejection.body_text()),
    }
}

/// `POST /__sim/auth-redirect {"enabled"}`: anonymous API calls get a 302
/// to the sign-in page (`SIM_AUTH_REDIRECT`).
async fn auth_redirect(
    State(sim): State<Sim>,
    body: Result<Json<LoginPageSwitch>, JsonRejection>,
) -> Response {
    match body {
        Ok(Json(switch)) => {
            sim.set_auth_redirect(switch.enabled);
            Json(switch).into_response()
        }
        Err(rejection) => bad_switch(ENABLED_BODY, &rejection.body_text()),
    }
}

#[derive(Debug, Deserialize, Serialize)]
struct ViewerPrintSwitch {
    mode: String,
}

/// `POST /__sim/viewer-print {"mode": "self" | "parent"}`: how viewer pages
/// served from now on print (`SIM_VIEWER_PRINT`).
async fn viewer_print(
    State(sim): State<Sim>,
    body: Result<Json<ViewerPrintSwitch>, JsonRejection>,
) -> Response {
    const EXPECTED: &str = "{\"mode\": \"self\"} or {\"mode\": \"parent\"}";
    let switch = match body {
        Ok(Json(switch)) => switch,
        Err(rejection) => return bad_switch(EXPECTED, &rejection.body_text()),
    };
    match switch.mode.parse::<ViewerPrint>() {
        Ok(mode) => {
            sim.set_viewer_print(mode);
            Json(ViewerPrintSwitch {
                mode: mode.as_str().to_owned(),
            })
            .into_response()
        }
        Err(_) => bad_switch(EXPECTED, &format!("{:?} is not a print mode", switch.mode)),
    }
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SessionCookieSwitch {
    same_site: String,
    partitioned: bool,
}

/// `POST /__sim/session-cookie {"sameSite": "lax" | "strict" | "none",
/// "partitioned": bool}`: the attributes of session cookies set from now on
/// (`SIM_SAME_SITE`, `SIM_PARTITIONED`).
async fn session_cookie(
    State(sim): State<Sim>,
    body: Result<Json<SessionCookieSwitch>, JsonRejection>,
) -> Response {
    const EXPECTED: &str =
        "{\"sameSite\": \"lax\" | \"strict\" | \"none\", \"partitioned\": true | false}";
    let switch = match body {
        Ok(Json(switch)) => switch,
        Err(rejection) => return bad_switch(EXPECTED, &rejection.body_text()),
    };
    match switch.same_site.parse::<SameSite>() {
        Ok(same_site) => {
            sim.set_session_cookie(SessionCookie {
                same_site,
                partitioned: switch.partitioned,
            });
            Json(SessionCookieSwitch {
                same_site: same_site.as_str().to_ascii_lowercase(),
                partitioned: switch.partitioned,
            })
            .into_response()
        }
        Err(_) => bad_switch(
            EXPECTED,
            &format!("{:?} is not a SameSite value", switch.same_site),
        ),
    }
}
