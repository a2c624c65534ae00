//! The state every handler and middleware shares.

use std::sync::Arc;
use std::time::Duration;

use crate::auth::{AccountBook, TokenStore};
use crate::catalog::SimCatalog;
use crate::faults::FaultInjector;
use crate::playback::streams::StreamStore;
use crate::rate_limit::RateLimiter;
use crate::settings::SimSettings;
use crate::stats::RequestStats;

/// Shared simulator state, behind one `Arc`.
pub(crate) type SimState = Arc<SharedState>;

/// Everything the simulator remembers.
#[derive(Debug)]
pub(crate) struct SharedState {
    pub(crate) catalog: Arc<SimCatalog>,
    pub(crate) accounts: AccountBook,
    pub(crate) client_ids: Vec<String>,
    pub(crate) tokens: TokenStore,
    pub(crate) streams: StreamStore,
    pub(crate) faults: FaultInjector,
    pub(crate) stats: RequestStats,
    pub(crate) rate_limiter: Option<RateLimiter>,
    /// Base of the media URLs handed out, without a trailing slash.
    pub(crate) public_base_url: String,
}

impl SharedState {
    /// The state of a simulator configured by `settings`, serving `catalog`, whose media URLs
    /// start with `public_base_url`.
    pub(crate) fn new(
        settings: &SimSettings,
        catalog: Arc<SimCatalog>,
        public_base_url: String,
    ) -> Self {
        SharedState {
            catalog,
            accounts: AccountBook::new(&settings.accounts),
            client_ids: settings.client_ids.clone(),
            tokens: TokenStore::new(Duration::from_secs(settings.access_token_ttl_seconds)),
            streams: StreamStore::new(Duration::from_secs(settings.stream_token_ttl_seconds)),
            faults: FaultInjector::default(),
            stats: RequestStats::new(settings.recorded_traceparents),
            rate_limiter: (settings.rate_limit_per_second > 0)
                .then(|| RateLimiter::new(settings.rate_limit_per_second)),
            public_base_url: public_base_url.trim_end_matches('/').to_owned(),
        }
    }
}
