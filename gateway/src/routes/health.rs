//! `/health/live`, `/health/startup` and `/health/ready` for orchestrators, answered by the
//! gateway's [`HealthMonitor`](kensho_kit::health::HealthMonitor) exactly as every admin port
//! answers them (see `kensho_kit::health::routes`). Ready lists catalog-svc (required: without it
//! the gateway serves nothing useful), auth-svc and stream-svc (optional: the catalog routes work
//! without them, so their loss degrades the gateway rather than taking it out of rotation).

use axum::extract::State;
use axum::response::Response;
use kensho_kit::health::HealthReport;
use kensho_kit::health::routes::{ProcessStatus, live_response, ready_response, startup_response};
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

/// Liveness: 200 while the process and its runtime answer.
#[utoipa::path(
    get,
    path = "/health/live",
    tag = "health",
    responses((status = 200, description = "The process runs.", body = ProcessStatus))
)]
async fn live(StrictQuery(NoParams {}): StrictQuery<NoParams>) -> Response {
    live_response()
}

/// Start-up: 200 once the gateway has started, 503 before.
#[utoipa::path(
    get,
    path = "/health/startup",
    tag = "health",
    responses(
        (status = 200, description = "The gateway has started.", body = ProcessStatus),
        (status = 503, description = "The gateway is still starting.", body = ProcessStatus),
    )
)]
async fn startup(
    State(state): State<AppState>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
) -> Response {
    startup_response(&state.health)
}

/// Readiness: every dependency with its status and latency; 200 when the required ones are up
/// (`degraded` when an optional one is down), 503 when a required one is down or while draining.
#[utoipa::path(
    get,
    path = "/health/ready",
    tag = "health",
    responses(
        (status = 200, description = "Ready to serve (`ok` or `degraded`).", body = HealthReport),
        (status = 503, description = "A required dependency is down, or the gateway drains.", body = HealthReport),
    )
)]
async fn ready(
    State(state): State<AppState>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
) -> Response {
    ready_response(&state.health).await
}
