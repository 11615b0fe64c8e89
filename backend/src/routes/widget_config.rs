//! `GET /api/cxreports/widget-config`: what a host page needs to set the
//! widget up, from the backend's own configuration.
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::AppState;

/// What a host page needs to configure the widget: the CxReports URL
/// browsers use (`CXREPORTS_PUBLIC_URL`), never an internal one.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct WidgetConfig<'a> {
    cxreports_url: &'a str,
    workspace: &'a str,
}

/// `GET /api/cxreports/widget-config`: where CxReports is and which
/// workspace, so a host page need not repeat the backend's configuration.
pub(super) async fn widget_config(State(state): State<AppState>) -> Response {
    Json(WidgetConfig {
        cxreports_url: &state.public_cxreports_url,
        workspace: state.upstream.workspace(),
    })
    .into_response()
}
