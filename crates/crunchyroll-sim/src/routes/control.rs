//! The simulator's own controls under `/_sim/`: the fault plan, request statistics and health.
//! They are never counted, rate limited or faulted.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::faults::FaultPlan;
use crate::state::SimState;
use crate::stats::StatsSnapshot;

/// The control routes.
pub(super) fn router() -> Router<SimState> {
    Router::new()
        .route(
            "/_sim/faults",
            get(show_faults).put(replace_faults).delete(clear_faults),
        )
        .route("/_sim/stats", get(show_stats).delete(reset_stats))
        .route("/_sim/health", get(health))
}

async fn show_faults(State(state): State<SimState>) -> Json<FaultPlan> {
    Json(state.faults.plan())
}

/// Replaces the plan; a body that does not parse or validate answers 400 naming the problem.
async fn replace_faults(State(state): State<SimState>, body: Bytes) -> Response {
    let plan: FaultPlan = match serde_json::from_slice(&body) {
        Ok(plan) => plan,
        Err(error) => return bad_plan(format!("invalid fault plan: {error}")),
    };
    match state.faults.replace(plan) {
        Ok(()) => {
            tracing::info!("fault plan replaced");
            Json(state.faults.plan()).into_response()
        }
        Err(reason) => bad_plan(format!("invalid fault plan: {reason}")),
    }
}

fn bad_plan(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response()
}

async fn clear_faults(State(state): State<SimState>) -> StatusCode {
    state.faults.clear();
    StatusCode::NO_CONTENT
}

async fn show_stats(State(state): State<SimState>) -> Json<StatsSnapshot> {
    Json(state.stats.snapshot())
}

async fn reset_stats(State(state): State<SimState>) -> StatusCode {
    state.stats.reset();
    StatusCode::NO_CONTENT
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}
