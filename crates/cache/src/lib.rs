//! Typed read-through caches shared by the Kensho services. A [`Cache`] per key class walks L1
//! (moka, in process, bounded by bytes with TinyLFU admission) → L2 (Redis, shared, optional) →
//! the loader, fills the layers above on the way back, runs one load per key at a time
//! (single-flight in process, a short Redis lock across replicas), serves values past their soft
//! TTL while one background refresh runs, and remembers "not found" briefly. A [`CacheHub`] per
//! process carries invalidations between replicas over Redis pub/sub. Without Redis everything
//! works on L1 alone. See `docs/caching.md`.
#![forbid(unsafe_code)]

pub mod cache;
pub mod envelope;
pub mod invalidation;
pub mod l2;
pub mod settings;
pub mod status;

pub use cache::{Cache, Keying};
pub use invalidation::{CacheHub, Invalidation, InvalidationHandler};
pub use settings::{ClassPolicy, RedisCacheSettings};
pub use status::{CACHE_STATUS_METADATA, CacheStatus, Layer, Lookup};

/// The shared L2 could not be set up (an invalid Redis URL).
#[derive(Debug, thiserror::Error)]
#[error("cannot set up the redis cache: {0}")]
pub struct SetupError(String);
