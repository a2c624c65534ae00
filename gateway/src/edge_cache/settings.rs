//! The `[gateway.edge_cache]` section: whether anonymous catalog reads are answered from the
//! gateway's own response cache, how many bytes it holds, how long each route class lives there,
//! and where catalog-svc's invalidations arrive from.

use std::time::Duration;

use kensho_cache::RedisCacheSettings;
use serde::{Deserialize, Serialize};

use super::EdgeClass;

/// How the gateway caches anonymous catalog responses.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EdgeCacheSettings {
    /// Whether anonymous catalog GETs are answered from the edge cache at all.
    pub enabled: bool,
    /// Most bytes of bodies, headers and keys the edge cache holds.
    pub max_bytes: u64,
    /// Largest response body that is stored, in bytes; larger ones pass through uncached.
    pub max_entry_bytes: usize,
    /// How long anime details, episode pages and other per-anime reads are kept, in seconds.
    pub anime_ttl_seconds: u64,
    /// How long search results are kept, in seconds.
    pub search_ttl_seconds: u64,
    /// How long the catalog list, tags, seasons and seasonal browse are kept, in seconds.
    pub list_ttl_seconds: u64,
    /// The Redis whose pub/sub channel carries catalog-svc's invalidations: namespace and schema
    /// version must equal `catalog.cache.redis`'s. Off: entries only expire by their TTL.
    pub redis: RedisCacheSettings,
}

impl Default for EdgeCacheSettings {
    fn default() -> Self {
        EdgeCacheSettings {
            enabled: true,
            max_bytes: 32 * 1024 * 1024,
            max_entry_bytes: 1024 * 1024,
            anime_ttl_seconds: 30,
            search_ttl_seconds: 10,
            list_ttl_seconds: 30,
            redis: RedisCacheSettings::default(),
        }
    }
}

impl EdgeCacheSettings {
    /// How long a response of `class` is kept; `None` when the class is not cached (TTL 0).
    pub(crate) fn ttl(&self, class: EdgeClass) -> Option<Duration> {
        let seconds = match class {
            EdgeClass::Anime => self.anime_ttl_seconds,
            EdgeClass::Search => self.search_ttl_seconds,
            EdgeClass::List => self.list_ttl_seconds,
        };
        (seconds > 0).then(|| Duration::from_secs(seconds))
    }
}
