//! `/health/live`, `/health/ready` and `/health/startup` for orchestrators.
//!
//! Live: the process answers. Startup: the gateway finished building (it only serves once it
//! has). Ready: catalog-svc reports SERVING on the standard gRPC health check.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{NoParams, StrictQuery};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(live))
        .routes(routes!(startup))
        .routes(routes!(ready))
}

/// Whether the gateway answers.
#[derive(Serialize, ToSchema)]
#[schema(as = Alive)]
struct AliveJson {
    /// Always `ok`.
    #[schema(example = "ok")]
    status: &'static str,
}

/// Whether the gateway can serve, and what it checked.
#[derive(Serialize, ToSchema)]
#[schema(as = Ready)]
struct ReadyJson {
    /// `ok` or `unavailable`.
    #[schema(example = "ok")]
    status: &'static str,
    /// Each dependency checked, with its own status.
    checks: ReadyChecks,
}

/// The dependencies readiness checks.
#[derive(Serialize, ToSchema)]
struct ReadyChecks {
    /// `ok` when catalog-svc reports SERVING.
    #[schema(example = "ok")]
    catalog: &'static str,
}

/// Liveness: 200 while the process runs.
#[utoipa::path(
    get,
    path = "/health/live",
    tag = "health",
    responses((status = 200, description = "The process runs.", body = AliveJson))
)]
async fn live(StrictQuery(NoParams {}): StrictQuery<NoParams>) -> Json<AliveJson> {
    Json(AliveJson { status: "ok" })
}

/// Start-up: 200 once the gateway has started (it only serves once it has).
#[utoipa::path(
    get,
    path = "/health/startup",
    tag = "health",
    responses((status = 200, description = "The gateway has started.", body = AliveJson))
)]
async fn startup(StrictQuery(NoParams {}): StrictQuery<NoParams>) -> Json<AliveJson> {
    Json(AliveJson { status: "ok" })
}

/// Readiness: 200 when catalog-svc reports SERVING on the gRPC health check.
#[utoipa::path(
    get,
    path = "/health/ready",
    tag = "health",
    responses(
        (status = 200, description = "Ready to serve.", body = ReadyJson),
        (status = 503, description = "A dependency is not serving.", body = ReadyJson),
    )
)]
async fn ready(
    State(state): State<AppState>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
) -> (StatusCode, Json<ReadyJson>) {
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
    let body = ReadyJson {
        status,
        checks: ReadyChecks { catalog: status },
    };
    (code, Json(body))
}
