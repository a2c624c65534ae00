//! The resilience settings of one upstream; every timeout, limit and ratio is configurable.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How calls to one upstream are protected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ResilienceSettings {
    /// Limit of one attempt, in milliseconds.
    pub attempt_timeout_ms: u64,
    /// Limit of a whole call, retries and waits included, in milliseconds.
    pub deadline_ms: u64,
    /// Most attempts per call (1 = never retry).
    pub max_attempts: u32,
    /// First retry delay before jitter, in milliseconds; doubles with each retry.
    pub backoff_base_ms: u64,
    /// Largest retry delay before jitter, in milliseconds.
    pub backoff_max_ms: u64,
    /// Retries allowed per call on average: 0.2 keeps retries under 20% of calls.
    pub retry_budget_ratio: f64,
    /// Retries available before any call has earned them, so a quiet upstream can still retry.
    pub retry_budget_reserve: u32,
    /// Consecutive failures that open the circuit breaker.
    pub breaker_failure_threshold: u32,
    /// How long the breaker stays open the first time, in milliseconds; doubles on each
    /// re-open up to `breaker_max_open_ms`.
    pub breaker_open_ms: u64,
    /// Longest open period, in milliseconds.
    pub breaker_max_open_ms: u64,
    /// Probe calls let through at once while half-open; the others are rejected at once.
    pub breaker_half_open_probes: u32,
    /// Most calls in flight to the upstream at once (the bulkhead); more are rejected at once.
    pub max_in_flight: u32,
}

impl Default for ResilienceSettings {
    fn default() -> Self {
        ResilienceSettings {
            attempt_timeout_ms: 3_000,
            deadline_ms: 10_000,
            max_attempts: 3,
            backoff_base_ms: 100,
            backoff_max_ms: 2_000,
            retry_budget_ratio: 0.2,
            retry_budget_reserve: 10,
            breaker_failure_threshold: 5,
            breaker_open_ms: 5_000,
            breaker_max_open_ms: 60_000,
            breaker_half_open_probes: 1,
            max_in_flight: 64,
        }
    }
}

impl ResilienceSettings {
    pub(super) fn attempt_timeout(&self) -> Duration {
        Duration::from_millis(self.attempt_timeout_ms)
    }

    pub(super) fn deadline(&self) -> Duration {
        Duration::from_millis(self.deadline_ms)
    }
}
