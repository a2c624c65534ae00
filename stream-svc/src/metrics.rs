//! Metric names of stream-svc, defined once (ARCHITECTURE §6).

/// Counter of streams opened upstream (cache hits do not open one).
pub const STREAMS_STARTED_TOTAL: &str = "streams_started_total";
