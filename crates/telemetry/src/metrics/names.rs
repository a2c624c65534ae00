//! Every metric name Kensho emits, defined once (ARCHITECTURE §6); recording code, dashboards'
//! checks and docs refer to these.

/// What kind of series a metric is, which decides the names it is exposed under.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricKind {
    /// A monotonic counter.
    Counter,
    /// A value that goes up and down.
    Gauge,
    /// A histogram, exposed as `_bucket`, `_sum` and `_count`.
    Histogram,
}

/// Histogram of REST request durations at the gateway: `method`, `route` (the matched template,
/// `unmatched` otherwise), `status`.
pub const HTTP_REQUEST_DURATION_SECONDS: &str = "http_request_duration_seconds";
/// Gauge of REST requests the gateway is handling.
pub const HTTP_REQUESTS_IN_FLIGHT: &str = "http_requests_in_flight";
/// Counter of REST error responses by problem `type` (the error code's slug).
pub const HTTP_ERRORS_TOTAL: &str = "http_errors_total";
/// Histogram of gRPC call durations: `grpc_service`, `method`, `code`, `side` (client|server).
pub const GRPC_REQUEST_DURATION_SECONDS: &str = "grpc_request_duration_seconds";
/// Counter of gRPC calls, labelled like [`GRPC_REQUEST_DURATION_SECONDS`].
pub const GRPC_REQUESTS_TOTAL: &str = "grpc_requests_total";
/// Counter of cache hits: `layer`, `class`.
pub const CACHE_HITS_TOTAL: &str = "cache_hits_total";
/// Counter of cache misses: `layer`, `class`.
pub const CACHE_MISSES_TOTAL: &str = "cache_misses_total";
/// Counter of stale entries served while a refresh runs.
pub const CACHE_STALE_SERVED_TOTAL: &str = "cache_stale_served_total";
/// Histogram of upstream attempt durations: `upstream`, `endpoint`.
pub const UPSTREAM_REQUEST_DURATION_SECONDS: &str = "upstream_request_duration_seconds";
/// Counter of upstream attempts: `upstream`, `endpoint`, `outcome`.
pub const UPSTREAM_REQUESTS_TOTAL: &str = "upstream_requests_total";
/// Gauge of each upstream's breaker: 0 closed, 1 half-open, 2 open.
pub const CIRCUIT_BREAKER_STATE: &str = "circuit_breaker_state";
/// Gauge of a database pool's connections: `pool`, `state` (idle|in_use), sampled at scrape time.
pub const DB_POOL_CONNECTIONS: &str = "db_pool_connections";
/// Gauge of a database pool's configured maximum: `pool`.
pub const DB_POOL_MAX_CONNECTIONS: &str = "db_pool_max_connections";
/// Gauge of a Redis pool's connections: `pool`, `state` (idle|in_use), sampled at scrape time.
pub const REDIS_POOL_CONNECTIONS: &str = "redis_pool_connections";
/// Gauge of a Redis pool's configured maximum: `pool`.
pub const REDIS_POOL_MAX_CONNECTIONS: &str = "redis_pool_max_connections";
/// Counter of catalog searches served: `outcome` (ok|error).
pub const SEARCHES_TOTAL: &str = "searches_total";
/// Counter of streams opened upstream (cache hits do not open one).
pub const STREAMS_STARTED_TOTAL: &str = "streams_started_total";
/// Counter of logins: `outcome`.
pub const LOGINS_TOTAL: &str = "logins_total";

/// Every metric above with its kind.
pub const ALL: &[(&str, MetricKind)] = &[
    (HTTP_REQUEST_DURATION_SECONDS, MetricKind::Histogram),
    (HTTP_REQUESTS_IN_FLIGHT, MetricKind::Gauge),
    (HTTP_ERRORS_TOTAL, MetricKind::Counter),
    (GRPC_REQUEST_DURATION_SECONDS, MetricKind::Histogram),
    (GRPC_REQUESTS_TOTAL, MetricKind::Counter),
    (CACHE_HITS_TOTAL, MetricKind::Counter),
    (CACHE_MISSES_TOTAL, MetricKind::Counter),
    (CACHE_STALE_SERVED_TOTAL, MetricKind::Counter),
    (UPSTREAM_REQUEST_DURATION_SECONDS, MetricKind::Histogram),
    (UPSTREAM_REQUESTS_TOTAL, MetricKind::Counter),
    (CIRCUIT_BREAKER_STATE, MetricKind::Gauge),
    (DB_POOL_CONNECTIONS, MetricKind::Gauge),
    (DB_POOL_MAX_CONNECTIONS, MetricKind::Gauge),
    (REDIS_POOL_CONNECTIONS, MetricKind::Gauge),
    (REDIS_POOL_MAX_CONNECTIONS, MetricKind::Gauge),
    (SEARCHES_TOTAL, MetricKind::Counter),
    (STREAMS_STARTED_TOTAL, MetricKind::Counter),
    (LOGINS_TOTAL, MetricKind::Counter),
];

/// Every series name Prometheus sees for the metrics above (histograms as `_bucket`, `_sum`,
/// `_count`).
pub fn exposed_series_names() -> Vec<String> {
    ALL.iter()
        .flat_map(|(name, kind)| match kind {
            MetricKind::Histogram => vec![
                format!("{name}_bucket"),
                format!("{name}_sum"),
                format!("{name}_count"),
            ],
            MetricKind::Counter | MetricKind::Gauge => vec![(*name).to_owned()],
        })
        .collect()
}
