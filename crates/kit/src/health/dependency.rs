//! One dependency of a process: its name, whether the process can serve without it, and how to
//! check it.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use crate::grpc::GrpcChannel;
use crate::resilience::{BreakerState, Upstream};

/// What a check returns: `Err` carries why the dependency is down (never a secret).
pub type CheckFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// Whether a process can serve without a dependency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// Down means the process is not ready.
    Required,
    /// Down means the process is degraded but still ready (a fallback covers it).
    Optional,
}

/// A named dependency and its check.
#[derive(Clone)]
pub struct Dependency {
    pub(super) name: String,
    pub(super) requirement: Requirement,
    pub(super) check: Arc<dyn Fn() -> CheckFuture + Send + Sync>,
}

impl std::fmt::Debug for Dependency {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Dependency")
            .field("name", &self.name)
            .field("requirement", &self.requirement)
            .finish_non_exhaustive()
    }
}

impl Dependency {
    /// A dependency called `name` checked by `check`.
    pub fn new<F, Fut>(name: impl Into<String>, requirement: Requirement, check: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        Dependency {
            name: name.into(),
            requirement,
            check: Arc::new(move || Box::pin(check())),
        }
    }

    /// A Kensho gRPC service, up while its `grpc.health.v1` overall status is SERVING.
    pub fn grpc_service(
        name: impl Into<String>,
        requirement: Requirement,
        channel: GrpcChannel,
    ) -> Self {
        Dependency::new(name, requirement, move || {
            let mut client = HealthClient::new(channel.clone());
            async move {
                let request = HealthCheckRequest {
                    service: String::new(),
                };
                let response = client
                    .check(request)
                    .await
                    .map_err(|status| format!("health check failed: {}", status.code()))?;
                match response.into_inner().status() {
                    ServingStatus::Serving => Ok(()),
                    other => Err(format!("reports {}", other.as_str_name())),
                }
            }
        })
    }

    /// An upstream's circuit breaker: down while open. Always optional: the breaker is shared by
    /// every replica, so taking this one out of rotation would not route around it.
    pub fn breaker(name: impl Into<String>, upstream: Upstream) -> Self {
        Dependency::new(name, Requirement::Optional, move || {
            let state = upstream.breaker_state();
            async move {
                match state {
                    BreakerState::Open => Err("circuit breaker open".to_owned()),
                    BreakerState::HalfOpen | BreakerState::Closed => Ok(()),
                }
            }
        })
    }
}
