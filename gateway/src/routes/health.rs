//! `/health/live`, `/health/startup` and `/health/ready` for orchestrators, answered by the
//! gateway's [`HealthMonitor`](kensho_kit::health::HealthMonitor) exactly as every admin port
//! answers them (see `kensho_kit::health::routes`). Ready lists catalog-svc (required: without it
//! the gateway serves nothing useful), auth-svc and stream-svc (optional: the catalog routes work
//! without them, so their loss degrades the gateway rather than taking it out of rotation).

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use kensho_kit::health::routes::{live_response, ready_response, startup_response};

use crate::extract::{NoParams, StrictQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/health/live", get(live))
        .route("/health/startup", get(startup))
        .route("/health/ready", get(ready))
}

async fn live(StrictQuery(NoParams {}): StrictQuery<NoParams>) -> Response {
    live_response()
}

async fn startup(
    State(state): State<AppState>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
) -> Response {
    startup_response(&state.health)
}

async fn ready(
    State(state): State<AppState>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
) -> Response {
    ready_response(&state.health).await
}
