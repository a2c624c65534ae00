//! The `/health/*` answers of every Kensho process (the gateway and each admin port), as
//! functions of the [`HealthMonitor`], so both serve exactly the same thing.
//!
//! Live: the process and its runtime answer. Startup: storage is migrated, configuration
//! loaded and the servers run. Ready: JSON listing every dependency with its status and latency;
//! 503 while a required one is down or the process drains.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use super::HealthMonitor;

/// The answer of `/health/live` and `/health/startup`.
#[derive(Clone, Copy, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProcessStatus {
    /// `ok`, or `starting` while the process starts.
    #[cfg_attr(feature = "openapi", schema(example = "ok"))]
    pub status: &'static str,
}

/// `/health/live`, `/health/startup` and `/health/ready` over `monitor`.
pub fn router(monitor: HealthMonitor) -> axum::Router {
    let startup = monitor.clone();
    let ready = monitor;
    axum::Router::new()
        .route("/health/live", get(|| async { live_response() }))
        .route(
            "/health/startup",
            get(move || std::future::ready(startup_response(&startup))),
        )
        .route(
            "/health/ready",
            get(move || {
                let monitor = ready.clone();
                async move { ready_response(&monitor).await }
            }),
        )
}

/// `/health/live`: answering at all is the proof.
pub fn live_response() -> Response {
    Json(ProcessStatus { status: "ok" }).into_response()
}

/// `/health/startup`: 200 once the process has started, 503 before.
pub fn startup_response(monitor: &HealthMonitor) -> Response {
    if monitor.is_started() {
        Json(ProcessStatus { status: "ok" }).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(ProcessStatus { status: "starting" }),
        )
            .into_response()
    }
}

/// `/health/ready`: the latest report; 503 unless ready.
pub async fn ready_response(monitor: &HealthMonitor) -> Response {
    let report = monitor.report().await;
    let code = if report.is_ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(report)).into_response()
}
