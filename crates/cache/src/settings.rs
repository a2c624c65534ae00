//! Cache configuration: where the shared L2 is (Redis, optional) and how long each key class
//! lives. Services embed these sections in their own configuration trees.

use std::time::Duration;

use kensho_kit::Secret;
use serde::{Deserialize, Serialize};

/// The shared L2 (Redis) section; off by default, so a single process runs on L1 alone.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RedisCacheSettings {
    /// Use Redis as L2 and for invalidation messages between replicas.
    pub enabled: bool,
    /// Redis URL (may carry a password, hence secret).
    pub url: Secret<String>,
    /// First segment of every key and of the invalidation channel, so deployments can share a
    /// Redis.
    pub namespace: String,
    /// Schema version in every key: bumping it orphans values encoded by older releases.
    pub schema_version: u32,
    /// Most pooled Redis connections.
    pub pool_size: usize,
    /// Limit for getting a connection or an answer, in milliseconds.
    pub timeout_ms: u64,
    /// After a failure, how long L2 is skipped before the next attempt, in milliseconds.
    pub retry_interval_ms: u64,
    /// How long one replica holds the lock that keeps the fleet to one load per key, in
    /// milliseconds.
    pub lock_ttl_ms: u64,
    /// How often a replica that did not get the lock looks for the value the holder stores, in
    /// milliseconds.
    pub lock_poll_ms: u64,
}

impl Default for RedisCacheSettings {
    fn default() -> Self {
        RedisCacheSettings {
            enabled: false,
            url: Secret::new("redis://127.0.0.1:6379".to_owned()),
            namespace: "kensho".to_owned(),
            schema_version: 1,
            pool_size: 16,
            timeout_ms: 250,
            retry_interval_ms: 1_000,
            lock_ttl_ms: 2_000,
            lock_poll_ms: 10,
        }
    }
}

impl RedisCacheSettings {
    /// The prefix of every key: `<namespace>:v<schema_version>`.
    pub fn key_prefix(&self) -> String {
        format!("{}:v{}", self.namespace, self.schema_version)
    }
}

/// How one key class is cached.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClassPolicy {
    /// Age after which a value is refreshed in the background while still served, in seconds.
    pub soft_ttl_seconds: u64,
    /// Age after which a value is never served, in seconds (at least the soft TTL).
    pub hard_ttl_seconds: u64,
    /// How long a "not found" is remembered, in seconds.
    pub negative_ttl_seconds: u64,
    /// Most bytes of encoded values this class keeps in process.
    pub l1_capacity_bytes: u64,
    /// Whether the class is also kept in the shared L2.
    pub l2: bool,
}

impl Default for ClassPolicy {
    fn default() -> Self {
        ClassPolicy {
            soft_ttl_seconds: 3_600,
            hard_ttl_seconds: 86_400,
            negative_ttl_seconds: 30,
            l1_capacity_bytes: 64 * 1024 * 1024,
            l2: true,
        }
    }
}

impl ClassPolicy {
    /// A policy with a soft TTL and a hard TTL; the rest as by default.
    pub fn with_ttls(soft_ttl_seconds: u64, hard_ttl_seconds: u64) -> Self {
        ClassPolicy {
            soft_ttl_seconds,
            hard_ttl_seconds,
            ..ClassPolicy::default()
        }
    }

    pub(crate) fn soft_ttl(&self) -> Duration {
        Duration::from_secs(self.soft_ttl_seconds)
    }

    pub(crate) fn hard_ttl(&self) -> Duration {
        Duration::from_secs(self.hard_ttl_seconds.max(self.soft_ttl_seconds))
    }

    pub(crate) fn negative_ttl(&self) -> Duration {
        Duration::from_secs(self.negative_ttl_seconds)
    }
}
