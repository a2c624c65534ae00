//! Metric names of upstream calls, defined once (ARCHITECTURE §6).

/// Histogram of upstream attempt durations, labelled `upstream`, `endpoint`.
pub const UPSTREAM_REQUEST_DURATION_SECONDS: &str = "upstream_request_duration_seconds";
/// Counter of upstream attempts, labelled `upstream`, `endpoint`, `outcome`.
pub const UPSTREAM_REQUESTS_TOTAL: &str = "upstream_requests_total";
/// Gauge of each upstream's breaker: 0 closed, 1 half-open, 2 open.
pub const CIRCUIT_BREAKER_STATE: &str = "circuit_breaker_state";
