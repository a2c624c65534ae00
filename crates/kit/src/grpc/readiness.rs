//! The `grpc.health.v1.Health` statuses of one gRPC server, which its
//! [`HealthMonitor`](crate::health::HealthMonitor) sets from the same state `/health/ready` reports.

use tonic_health::pb::health_server::HealthServer;
use tonic_health::server::{HealthReporter, HealthService};

/// The health statuses of one gRPC server; cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct Readiness {
    reporter: HealthReporter,
}

impl Readiness {
    /// Statuses with only the server's own ("") entry, SERVING.
    pub fn new() -> Self {
        Self::default()
    }

    /// The reporter that updates these statuses.
    pub(crate) fn reporter(&self) -> HealthReporter {
        self.reporter.clone()
    }

    /// The health service that serves these statuses.
    pub(crate) fn health_service(&self) -> HealthServer<HealthService> {
        HealthServer::new(HealthService::from_health_reporter(self.reporter.clone()))
    }
}
