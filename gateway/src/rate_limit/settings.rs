//! The `[gateway.rate_limit]` section: quotas per route class, the tiers API keys belong to,
//! which peers may name the client address, and the optional Redis that shares budgets between
//! gateway replicas.

use std::collections::BTreeMap;

use kensho_kit::Secret;
use serde::{Deserialize, Serialize};

/// How the gateway limits request rates.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitSettings {
    /// Whether requests are limited at all (and `RateLimit` headers sent).
    pub enabled: bool,
    /// The quotas of clients without an API key, each keyed by its address.
    pub anonymous: ClassQuotas,
    /// Named tiers of quotas; every API key belongs to one.
    pub tiers: BTreeMap<String, ClassQuotas>,
    /// API keys clients present in `X-API-Key`, each with its tier.
    pub api_keys: Vec<ApiKeySettings>,
    /// Peers (addresses or CIDR blocks such as `10.0.0.0/8`) whose `X-Forwarded-For` names the
    /// client; from any other peer the header is ignored and the peer itself is the client.
    pub trusted_proxies: Vec<String>,
    /// Redis shared by every gateway replica, so a client has one budget across all of them;
    /// without it each gateway counts on its own.
    pub redis_url: Option<Secret<String>>,
    /// Prefix of the Redis keys, so several installs can share one Redis.
    pub redis_key_prefix: String,
    /// Longest wait for Redis on one request, in milliseconds; past it (or with Redis down) the
    /// gateway counts in-process until Redis answers again.
    pub redis_timeout_ms: u64,
    /// Redis connections per gateway.
    pub redis_pool_size: usize,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        RateLimitSettings {
            enabled: true,
            anonymous: ClassQuotas::default(),
            tiers: BTreeMap::new(),
            api_keys: Vec::new(),
            trusted_proxies: Vec::new(),
            redis_url: None,
            redis_key_prefix: "kensho:ratelimit:".to_owned(),
            redis_timeout_ms: 50,
            redis_pool_size: 16,
        }
    }
}

/// One quota per route class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClassQuotas {
    /// Catalog reads: anime, episodes, batch, browse, tags, keys.
    pub catalog: Quota,
    /// `/api/v1/search`.
    pub search: Quota,
    /// Login, refresh, logout and the current user.
    pub auth: Quota,
    /// Stream URLs.
    pub streams: Quota,
}

impl Default for ClassQuotas {
    fn default() -> Self {
        ClassQuotas {
            catalog: Quota::per_minute(600),
            search: Quota::per_minute(120),
            auth: Quota::per_minute(20),
            streams: Quota::per_minute(60),
        }
    }
}

/// A token bucket: `requests` per `window_seconds`, refilled evenly, the whole of it usable at
/// once as a burst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quota {
    /// Requests per window (at least 1).
    pub requests: u32,
    /// The window, in seconds (at least 1).
    pub window_seconds: u32,
}

impl Quota {
    /// `requests` per minute.
    pub const fn per_minute(requests: u32) -> Self {
        Quota {
            requests,
            window_seconds: 60,
        }
    }
}

/// An API key and the tier of quotas it gets.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiKeySettings {
    /// The key as clients send it (at least 16 characters).
    pub key: Secret<String>,
    /// A tier of `tiers`.
    pub tier: String,
}
