//! Exact request counts per route (`GET /content/v2/cms/series/{series_id}`), so tests can
//! assert how many upstream calls a client made. Requests under `/_sim/` are not counted;
//! requests that a fault or the rate limit answered are. The latest W3C `traceparent` headers
//! are kept too, so tests can check a client carried its trace context.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::lock;
use crate::state::SimState;

/// Path prefix of the simulator's own routes.
pub(crate) const SIM_PREFIX: &str = "/_sim/";
/// Route key of requests no route matched.
const UNMATCHED: &str = "(unmatched)";

/// Counts so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsSnapshot {
    /// Every counted request.
    pub total: u64,
    /// Requests per `METHOD /route/{template}`.
    pub routes: BTreeMap<String, u64>,
    /// The `traceparent` headers of the latest counted requests that had one, oldest first
    /// (at most `recorded_traceparents`).
    #[serde(default)]
    pub traceparents: VecDeque<String>,
}

impl StatsSnapshot {
    /// Requests counted for `METHOD /route/{template}`; 0 when none.
    pub fn count(&self, route: &str) -> u64 {
        self.routes.get(route).copied().unwrap_or(0)
    }
}

/// The live counters.
#[derive(Debug)]
pub(crate) struct RequestStats {
    counts: Mutex<StatsSnapshot>,
    recorded_traceparents: usize,
}

impl RequestStats {
    /// No counts yet; keeps at most `recorded_traceparents` headers.
    pub(crate) fn new(recorded_traceparents: usize) -> Self {
        RequestStats {
            counts: Mutex::new(StatsSnapshot::default()),
            recorded_traceparents,
        }
    }

    /// Counts one request of `route`, and keeps its `traceparent` when it had one.
    pub(crate) fn record(&self, route: String, traceparent: Option<&str>) {
        let mut counts = lock(&self.counts);
        counts.total += 1;
        *counts.routes.entry(route).or_insert(0) += 1;
        if let Some(traceparent) = traceparent
            && self.recorded_traceparents > 0
        {
            if counts.traceparents.len() >= self.recorded_traceparents {
                counts.traceparents.pop_front();
            }
            counts.traceparents.push_back(traceparent.to_owned());
        }
    }

    /// A copy of the counts.
    pub(crate) fn snapshot(&self) -> StatsSnapshot {
        lock(&self.counts).clone()
    }

    /// Starts counting from zero.
    pub(crate) fn reset(&self) {
        *lock(&self.counts) = StatsSnapshot::default();
    }
}

/// Middleware: counts the request before anything can answer it.
pub(crate) async fn count_requests(
    State(state): State<SimState>,
    request: Request,
    next: Next,
) -> Response {
    if !request.uri().path().starts_with(SIM_PREFIX) {
        let template = request
            .extensions()
            .get::<MatchedPath>()
            .map_or(UNMATCHED, MatchedPath::as_str);
        let traceparent = request
            .headers()
            .get("traceparent")
            .and_then(|value| value.to_str().ok());
        state
            .stats
            .record(format!("{} {template}", request.method()), traceparent);
    }
    next.run(request).await
}
