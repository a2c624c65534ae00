//! The one sequence every gRPC service process runs: its admin port (`/metrics`, `/health/*`)
//! beside its gRPC server, both answering from one [`HealthMonitor`] that checks the process's
//! dependencies in the background; on shutdown readiness fails first, both servers stop accepting
//! after the pre-stop delay and drain, the admin port stopping with the server.

use std::time::Duration;

use kensho_telemetry::metrics::ServiceMetrics;
use tokio::net::TcpListener;

use super::{GrpcServeError, GrpcServices, InternalSettings};
use crate::Shutdown;
use crate::admin::AdminSettings;
use crate::health::HealthMonitor;

/// What a gRPC service process serves besides its services: its name, its two listeners, its
/// registry, and how it is trusted and drained.
pub struct ServiceProcess<'settings> {
    /// The name the process's metrics and logs carry (`catalog-svc`).
    pub name: &'static str,
    /// The bound gRPC port.
    pub listener: TcpListener,
    /// The bound admin port.
    pub admin_listener: TcpListener,
    /// The admin port's settings.
    pub admin: &'settings AdminSettings,
    /// The credentials calls need, and whether reflection is on.
    pub internal: &'settings InternalSettings,
    /// The process's registry, served on the admin port and recorded into by every call.
    pub metrics: ServiceMetrics,
    /// How long in-flight calls may finish once the server stops accepting.
    pub drain_timeout: Duration,
    /// The process's dependencies and readiness.
    pub health: HealthMonitor,
}

impl ServiceProcess<'_> {
    /// Serves `services` (with health and, when enabled, reflection over `descriptor_set`) and
    /// the admin port until `shutdown` fires, then drains both.
    pub async fn run(
        self,
        services: GrpcServices,
        descriptor_set: &'static [u8],
        shutdown: Shutdown,
    ) -> Result<(), GrpcServeError> {
        // A first round before serving, so callers never see a healthy process as not serving.
        self.health.check_now().await;
        let stop_accepting = self.health.stop_accepting_signal(&shutdown);
        tokio::spawn(self.health.clone().run(shutdown));
        let admin = crate::admin::serve(
            self.admin_listener,
            self.metrics.clone(),
            self.health.clone(),
            self.admin,
            stop_accepting.clone(),
            self.drain_timeout,
            self.name,
        );
        let grpc = super::serve(
            services.with_metrics(self.metrics).with_health(self.health),
            descriptor_set,
            self.internal,
            self.listener,
            stop_accepting,
            self.drain_timeout,
            self.name,
        );
        crate::admin::alongside(grpc, admin).await
    }
}
