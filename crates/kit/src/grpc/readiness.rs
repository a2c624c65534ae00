//! Whether a gRPC server is ready, read from its own `grpc.health.v1.Health` statuses, so an admin
//! port's `/health/ready` says exactly what the gRPC health service says.

use tonic_health::pb::health_server::{Health, HealthServer};
use tonic_health::pb::{HealthCheckRequest, health_check_response};
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

    /// Whether the server as a whole (the "" entry) reports SERVING.
    pub async fn is_serving(&self) -> bool {
        let service = HealthService::from_health_reporter(self.reporter.clone());
        let request = tonic::Request::new(HealthCheckRequest {
            service: String::new(),
        });
        service.check(request).await.is_ok_and(|response| {
            response.get_ref().status == health_check_response::ServingStatus::Serving as i32
        })
    }

    /// The reporter the server updates, and the health service that serves the same statuses.
    pub(super) fn into_parts(self) -> (HealthReporter, HealthServer<HealthService>) {
        let service = HealthService::from_health_reporter(self.reporter.clone());
        (self.reporter, HealthServer::new(service))
    }
}
