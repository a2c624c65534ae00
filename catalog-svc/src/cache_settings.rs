//! The `[catalog.cache]` section: the shared L2 and each key class's policy, defaulting to
//! ARCHITECTURE §5 (details 1 h, searches 15 min, lists in between).

use kensho_cache::{ClassPolicy, RedisCacheSettings};
use serde::{Deserialize, Serialize};

use crate::grpc::warming::WarmingSettings;

/// The `[catalog.cache]` section.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CatalogCacheSettings {
    /// Redis as L2 and for invalidations between replicas (off: L1 only).
    pub redis: RedisCacheSettings,
    /// Anime details, invalidated per anime.
    pub anime: ClassPolicy,
    /// Episode pages.
    pub episodes: ClassPolicy,
    /// Search results, keyed by the normalised query and its limit.
    pub search: ClassPolicy,
    /// Tag pages with counts.
    pub tags: ClassPolicy,
    /// Seasonal browse pages.
    pub seasons: ClassPolicy,
    /// Catalog list pages, keyed by the normalised filter, sort, page size and cursor.
    pub lists: ClassPolicy,
    /// Loading the most requested anime and the current season ahead of clients.
    pub warming: WarmingSettings,
}

impl Default for CatalogCacheSettings {
    fn default() -> Self {
        CatalogCacheSettings {
            redis: RedisCacheSettings::default(),
            anime: ClassPolicy::with_ttls(3_600, 6 * 3_600),
            episodes: ClassPolicy::with_ttls(3_600, 6 * 3_600),
            search: ClassPolicy::with_ttls(15 * 60, 3_600),
            tags: ClassPolicy::with_ttls(15 * 60, 3_600),
            seasons: ClassPolicy::with_ttls(15 * 60, 3_600),
            lists: ClassPolicy::with_ttls(15 * 60, 3_600),
            warming: WarmingSettings::default(),
        }
    }
}
