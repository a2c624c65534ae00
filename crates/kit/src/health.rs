//! Honest health for every Kensho process: a [`HealthMonitor`] checks each dependency (a
//! downstream gRPC service, the database, Redis, the Crunchyroll breaker) in the background on an
//! interval, each check bounded by a timeout, so probes only read the latest results. It answers
//! `/health/live`, `/health/startup` and `/health/ready` ([`routes`]) and drives the process's
//! `grpc.health.v1` statuses from the same state. A required dependency that is down makes the
//! process unready (503, NOT_SERVING); an optional one (Redis, with L1/L3 fallback) only
//! degrades it. On shutdown readiness fails first, then the servers stop accepting after the
//! pre-stop delay.

mod dependency;
mod monitor;
pub mod routes;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use dependency::{CheckFuture, Dependency, Requirement};
pub use monitor::{
    CheckResult, CheckStatus, HealthMonitor, HealthReport, LIVENESS_SERVICE, STARTUP_SERVICE,
};

/// How a process checks its dependencies and drains (a `health` section).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HealthSettings {
    /// How often every dependency is checked, in milliseconds; probes read the latest results.
    pub check_interval_ms: u64,
    /// How long one dependency check may take before it counts as down, in milliseconds.
    pub check_timeout_ms: u64,
    /// How long the process reports not-ready after a shutdown signal before it stops accepting,
    /// in milliseconds, so load balancers stop routing to it first; 0 stops at once (the Helm
    /// chart's `preStop` hook waits before the signal instead).
    pub pre_stop_delay_ms: u64,
}

impl Default for HealthSettings {
    fn default() -> Self {
        HealthSettings {
            check_interval_ms: 2_000,
            check_timeout_ms: 1_000,
            pre_stop_delay_ms: 0,
        }
    }
}
