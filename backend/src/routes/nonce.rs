//! `POST /api/cxreports/nonce`: the single-use nonce the widget's iframe
//! signs in to the CxReports viewer with.
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Extension, State};
use axum::Json;
use cxreports_contract::model::NonceToken;

use super::{AppState, Result};
use crate::auth::User;

/// `POST /api/cxreports/nonce`: a fresh single-use nonce for the iframe,
/// within the user's and the client address's rate limits.
pub(super) async fn nonce(
    State(state): State<AppState>,
    Extension(user): Extension<User>,
    client: Option<Extension<ConnectInfo<SocketAddr>>>,
) -> Result<Json<NonceToken>> {
    let client = client.map(|Extension(ConnectInfo(addr))| addr.ip());
    state.limits.check(&user, client)?;
    Ok(Json(state.upstream.nonce().await?))
}
