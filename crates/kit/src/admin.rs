//! The admin port of a gRPC service (ARCHITECTURE §3, 9464 + n): `/metrics` (the service's
//! registry in the Prometheus text format) and `/health/live`, `/health/startup` and
//! `/health/ready` from the same [`HealthMonitor`] as the service's gRPC health, on the one HTTP
//! server ([`http_server::serve`](crate::http_server::serve)), and `grpc.health.v1.Health` over
//! plaintext HTTP/2 for Kubernetes' gRPC probes, which cannot present the client certificate the
//! gRPC port requires under mutual TLS. It also drains the registry's histograms on an interval, so
//! memory stays bounded when nothing scrapes.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use kensho_telemetry::metrics::ServiceMetrics;
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;

use crate::Shutdown;
use crate::health::HealthMonitor;
use crate::http_server::HttpServerSettings;

/// The content type of the Prometheus text exposition format.
pub const PROMETHEUS_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// A service's admin listener (its `admin` section).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdminSettings {
    /// Address the admin port binds to.
    pub host: String,
    /// Admin port; unset means the service's default (9464 + n), or a free port when the
    /// service's own port is 0; 0 picks a free port.
    pub port: Option<u16>,
    /// How often recorded histogram values are folded into their buckets between scrapes, in
    /// milliseconds.
    pub metrics_upkeep_interval_ms: u64,
}

impl Default for AdminSettings {
    fn default() -> Self {
        AdminSettings {
            host: "127.0.0.1".to_owned(),
            port: None,
            metrics_upkeep_interval_ms: 5_000,
        }
    }
}

impl AdminSettings {
    /// Binds the admin port: the configured one, else `default_port`, else (for a service that
    /// itself listens on a free port, `service_port` 0, as tests run it) a free one.
    pub async fn bind(&self, default_port: u16, service_port: u16) -> std::io::Result<TcpListener> {
        let unset_port = if service_port == 0 { 0 } else { default_port };
        TcpListener::bind((self.host.as_str(), self.port.unwrap_or(unset_port))).await
    }
}

/// The admin routes over `metrics` and `health`.
pub fn router(metrics: ServiceMetrics, health: HealthMonitor) -> Router {
    let grpc_health = health.readiness().health_service();
    Router::new()
        .route("/metrics", get(render_metrics))
        .with_state(metrics)
        .route_service("/grpc.health.v1.Health/{*method}", grpc_health)
        .merge(crate::health::routes::router(health))
}

/// A response with `metrics` rendered in the Prometheus text format.
pub fn metrics_response(metrics: &ServiceMetrics) -> axum::response::Response {
    (
        [(header::CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE)],
        metrics.render(),
    )
        .into_response()
}

async fn render_metrics(State(metrics): State<ServiceMetrics>) -> axum::response::Response {
    metrics_response(&metrics)
}

/// Serves the admin routes on `listener` and runs the registry's upkeep, until `shutdown` fires.
pub async fn serve(
    listener: TcpListener,
    metrics: ServiceMetrics,
    health: HealthMonitor,
    settings: &AdminSettings,
    shutdown: Shutdown,
    drain_timeout: Duration,
    process_name: &'static str,
) {
    let upkeep_interval = Duration::from_millis(settings.metrics_upkeep_interval_ms.max(1));
    let upkeep = run_upkeep(metrics.clone(), upkeep_interval, shutdown.clone());
    let http_settings = HttpServerSettings::default();
    let server = crate::http_server::serve(
        listener,
        router(metrics, health),
        &http_settings,
        shutdown,
        drain_timeout,
        process_name,
    );
    tokio::join!(upkeep, server);
}

/// Runs `service` with its `admin` server beside it and returns what `service` returns. The admin
/// server stops with the service, even when the service stops early with an error, so a process
/// never keeps answering probes for a server that is gone.
pub async fn alongside<F: Future>(service: F, admin: impl Future<Output = ()>) -> F::Output {
    tokio::pin!(service);
    tokio::select! {
        outcome = &mut service => outcome,
        () = admin => service.await,
    }
}

async fn run_upkeep(metrics: ServiceMetrics, interval: Duration, shutdown: Shutdown) {
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => metrics.run_upkeep(),
            () = shutdown.wait() => return,
        }
    }
}
