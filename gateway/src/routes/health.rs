//! `/health/live`, `/health/ready` and `/health/startup` for orchestrators.
//!
//! Live: the process answers. Startup: the gateway finished building (it only serves once it
//! has). Ready: catalog-svc reports SERVING on the standard gRPC health check.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use crate::extract::{NoParams, StrictQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/health/live", get(alive))
        .route("/health/startup", get(alive))
        .route("/health/ready", get(ready))
}

async fn alive(StrictQuery(NoParams {}): StrictQuery<NoParams>) -> Json<Value> {
    Json(json!({"status": "ok"}))
}

async fn ready(
    State(state): State<AppState>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
) -> (StatusCode, Json<Value>) {
    let mut health = HealthClient::new(state.catalog_channel.clone());
    let request = HealthCheckRequest {
        service: String::new(),
    };
    let catalog_serving = matches!(
        health
            .check(request)
            .await
            .map(|response| response.into_inner().status()),
        Ok(ServingStatus::Serving)
    );
    let status = if catalog_serving { "ok" } else { "unavailable" };
    let code = if catalog_serving {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        code,
        Json(json!({"status": status, "checks": {"catalog": status}})),
    )
}
