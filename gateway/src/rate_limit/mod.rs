//! Rate limits at the edge: a token bucket per client and route class ([`RouteClass`]), counted
//! in-process on `governor` or shared by every replica through Redis, announced on every
//! response with the IETF `RateLimit-Policy` / `RateLimit` headers (and the `X-RateLimit-*`
//! triple), and a 429 with `Retry-After` when a bucket is empty.
//!
//! A client is its API key's tier when it sends `X-API-Key`, otherwise its address (see
//! [`client`]). When Redis is configured but does not answer, the gateway keeps limiting with its
//! in-process buckets and says so once, in the log and the `rate_limit_redis_available` gauge.

mod client;
mod local;
mod settings;
mod shared;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::problem::ApiError;
use client::ClientIdentifier;
pub(crate) use client::ClientKey;
use local::LocalBuckets;
pub(crate) use shared::SharedBuckets;

pub use client::API_KEY_HEADER;
pub use settings::{ApiKeySettings, ClassQuotas, Quota, RateLimitSettings};

/// Routes that share one budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteClass {
    /// Catalog reads.
    Catalog,
    /// Search.
    Search,
    /// Sessions.
    Auth,
    /// Stream URLs.
    Streams,
}

impl RouteClass {
    const ALL: [RouteClass; 4] = [
        RouteClass::Catalog,
        RouteClass::Search,
        RouteClass::Auth,
        RouteClass::Streams,
    ];

    /// The policy name in the headers and the metric label.
    pub fn name(self) -> &'static str {
        match self {
            RouteClass::Catalog => "catalog",
            RouteClass::Search => "search",
            RouteClass::Auth => "auth",
            RouteClass::Streams => "streams",
        }
    }

    fn quota(self, quotas: &ClassQuotas) -> Quota {
        match self {
            RouteClass::Catalog => quotas.catalog,
            RouteClass::Search => quotas.search,
            RouteClass::Auth => quotas.auth,
            RouteClass::Streams => quotas.streams,
        }
    }
}

/// The outcome of taking a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    quota: Quota,
    /// Tokens left after this request.
    remaining: u32,
    /// Until the bucket is full again.
    reset: Duration,
    /// When refused: until the next token.
    retry_after: Option<Duration>,
}

impl Decision {
    fn allowed(quota: Quota, remaining: u32, reset: Duration) -> Self {
        Decision {
            quota,
            remaining,
            reset,
            retry_after: None,
        }
    }

    fn refused(quota: Quota, retry_after: Duration, reset: Duration) -> Self {
        Decision {
            quota,
            remaining: 0,
            reset,
            retry_after: Some(retry_after),
        }
    }

    /// Whether the request may proceed.
    pub(crate) fn is_allowed(&self) -> bool {
        self.retry_after.is_none()
    }

    /// Announces the quota and what is left of it.
    pub(crate) fn write_headers(&self, class: RouteClass, headers: &mut HeaderMap) {
        let name = class.name();
        let reset_seconds = whole_seconds(self.reset);
        let quota = self.quota;
        let mut insert = |header: &'static str, value: String| {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(HeaderName::from_static(header), value);
            }
        };
        insert(
            "ratelimit-policy",
            format!("\"{name}\";q={};w={}", quota.requests, quota.window_seconds),
        );
        insert(
            "ratelimit",
            format!("\"{name}\";r={};t={reset_seconds}", self.remaining),
        );
        insert("x-ratelimit-limit", quota.requests.to_string());
        insert("x-ratelimit-remaining", self.remaining.to_string());
        insert("x-ratelimit-reset", reset_seconds.to_string());
    }
}

/// Rounded up, so a client that waits that long finds what it was told.
fn whole_seconds(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

/// The in-process buckets of one tier, per class.
#[derive(Debug)]
struct TierBuckets {
    quotas: ClassQuotas,
    by_class: [LocalBuckets; 4],
}

impl TierBuckets {
    fn new(quotas: &ClassQuotas) -> Self {
        TierBuckets {
            quotas: quotas.clone(),
            by_class: RouteClass::ALL.map(|class| LocalBuckets::new(class.quota(quotas))),
        }
    }

    fn local(&self, class: RouteClass) -> &LocalBuckets {
        &self.by_class[class as usize]
    }
}

/// Every bucket of the gateway.
#[derive(Debug)]
pub struct RateLimits {
    identifier: ClientIdentifier,
    anonymous: TierBuckets,
    tiers: Vec<(Arc<str>, TierBuckets)>,
    shared: Option<SharedBuckets>,
    redis_available: AtomicBool,
}

impl RateLimits {
    /// The limits `settings` describe, or `None` when rate limiting is off.
    pub fn new(settings: &RateLimitSettings) -> anyhow::Result<Option<Arc<Self>>> {
        if !settings.enabled {
            return Ok(None);
        }
        let mut all_quotas = vec![("anonymous", &settings.anonymous)];
        all_quotas.extend(
            settings
                .tiers
                .iter()
                .map(|(name, quotas)| (name.as_str(), quotas)),
        );
        for (tier, quotas) in all_quotas {
            for class in RouteClass::ALL {
                let quota = class.quota(quotas);
                if quota.requests == 0 || quota.window_seconds == 0 {
                    anyhow::bail!(
                        "gateway.rate_limit: the {} quota of `{tier}` must allow at least 1 request per window of at least 1 second",
                        class.name()
                    );
                }
            }
        }
        let shared = settings
            .redis_url
            .as_ref()
            .map(|url| SharedBuckets::new(url.expose(), settings))
            .transpose()?;
        metrics::gauge!(REDIS_AVAILABLE_GAUGE).set(f64::from(u8::from(shared.is_some())));
        Ok(Some(Arc::new(RateLimits {
            identifier: ClientIdentifier::new(settings)?,
            anonymous: TierBuckets::new(&settings.anonymous),
            tiers: settings
                .tiers
                .iter()
                .map(|(name, quotas)| (Arc::from(name.as_str()), TierBuckets::new(quotas)))
                .collect(),
            shared,
            redis_available: AtomicBool::new(true),
        })))
    }

    fn tier(&self, client: &ClientKey) -> &TierBuckets {
        client
            .tier
            .as_ref()
            .and_then(|tier| self.tiers.iter().find(|(name, _)| name == tier))
            .map_or(&self.anonymous, |(_, buckets)| buckets)
    }

    pub(crate) async fn check(&self, client: &ClientKey, class: RouteClass) -> Decision {
        let tier = self.tier(client);
        if let Some(shared) = &self.shared {
            let tier_name = client.tier.as_deref().unwrap_or("anonymous");
            let name = format!("{tier_name}:{}:{}", class.name(), client.bucket);
            match shared.check(&name, class.quota(&tier.quotas)).await {
                Ok(decision) => {
                    self.note_redis(true, None);
                    return decision;
                }
                Err(error) => self.note_redis(false, Some(&error)),
            }
        }
        tier.local(class).check(&client.bucket)
    }

    /// Logs and records each change of Redis's availability once, not once per request.
    /// Sets the shared buckets' Redis pool gauges (`redis_pool_connections{pool="rate_limit"}`,
    /// ...) when the limits are shared: called at every scrape.
    pub fn record_pool_metrics(&self) {
        if let Some(shared) = &self.shared {
            shared.record_pool_metrics();
        }
    }

    fn note_redis(&self, available: bool, error: Option<&shared::SharedBucketError>) {
        if self.redis_available.swap(available, Ordering::Relaxed) == available {
            return;
        }
        metrics::gauge!(REDIS_AVAILABLE_GAUGE).set(f64::from(u8::from(available)));
        match error {
            Some(error) => tracing::warn!(
                %error,
                "rate limit redis unavailable: counting in-process until it answers"
            ),
            None => tracing::info!("rate limit redis available again: budgets are shared"),
        }
    }
}

/// Gauge: 1 while the shared Redis answers, 0 while it does not or none is configured.
const REDIS_AVAILABLE_GAUGE: &str = "rate_limit_redis_available";
/// Counter of requests refused with 429, by `class`.
const RATE_LIMITED_TOTAL: &str = "rate_limited_total";

/// What the middleware of one route class needs.
#[derive(Clone, Debug)]
pub struct ClassLimit {
    limits: Arc<RateLimits>,
    class: RouteClass,
}

impl ClassLimit {
    /// The limit of `class`.
    pub fn new(limits: Arc<RateLimits>, class: RouteClass) -> Self {
        ClassLimit { limits, class }
    }
}

/// Takes a token for the request's client, refusing with 429 when there is none, and writes the
/// budget into the response's headers either way.
pub async fn enforce(State(limit): State<ClassLimit>, request: Request, next: Next) -> Response {
    let Some(client) = client_of(&limit.limits, &request) else {
        return ApiError::UnknownApiKey.into_response();
    };
    let decision = limit.limits.check(&client, limit.class).await;
    let mut response = match decision.retry_after {
        Some(retry_after) => {
            metrics::counter!(RATE_LIMITED_TOTAL, "class" => limit.class.name()).increment(1);
            ApiError::RateLimited {
                retry_after_seconds: u32::try_from(whole_seconds(retry_after).max(1))
                    .unwrap_or(u32::MAX),
            }
            .into_response()
        }
        None => next.run(request).await,
    };
    decision.write_headers(limit.class, response.headers_mut());
    response
}

/// Who the request's client is, for [`RateLimits::check`] (the edge cache's hits spend a token
/// too); `None` when the client names an unknown API key.
pub(crate) fn client_of(limits: &RateLimits, request: &Request) -> Option<ClientKey> {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |ConnectInfo(peer)| {
            peer.ip()
        });
    limits.identifier.identify(peer, request.headers()).ok()
}

/// Whether `name` is one of the headers a [`Decision`] writes.
pub(crate) fn is_rate_limit_header(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "ratelimit-policy"
            | "ratelimit"
            | "x-ratelimit-limit"
            | "x-ratelimit-remaining"
            | "x-ratelimit-reset"
    )
}
