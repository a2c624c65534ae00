//! One typed cache per key class: the read path L1 → L2 → loader with single-flight, stale
//! serving, negative caching and invalidation.

use std::collections::HashSet;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use prost::Message;
use tracing::Instrument;

use crate::envelope::{Envelope, Stored, now_ms};
use crate::invalidation::{CacheHub, Invalidation};
use crate::l2::{LockOutcome, RedisLayer};
use crate::settings::ClassPolicy;
use crate::status::{CacheStatus, Layer, Lookup};

/// How a class's keys are invalidated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keying {
    /// Key by key (details: one anime changes, its key goes).
    PerKey,
    /// All at once by bumping the class's generation, which is part of every key (lists and
    /// searches: any change may touch any of them).
    Generational,
}

/// What L1 holds: the entry and the layer that first produced it here.
struct Filled<V> {
    stored: Stored<V>,
    layer: Layer,
}

struct Inner<V> {
    class: &'static str,
    policy: ClassPolicy,
    keying: Keying,
    hub: Arc<CacheHub>,
    l1: moka::future::Cache<String, Arc<Filled<V>>>,
    generation: AtomicU64,
    refreshing: Mutex<HashSet<String>>,
}

/// A typed cache of prost messages for one key class.
pub struct Cache<V> {
    inner: Arc<Inner<V>>,
}

impl<V> Clone for Cache<V> {
    fn clone(&self) -> Self {
        Cache {
            inner: Arc::clone(&self.inner),
        }
    }
}

/// Expires each L1 entry at its own hard expiry.
struct UntilHardExpiry;

impl<V> moka::Expiry<String, Arc<Filled<V>>> for UntilHardExpiry {
    fn expire_after_create(
        &self,
        _key: &String,
        value: &Arc<Filled<V>>,
        _created_at: Instant,
    ) -> Option<Duration> {
        Some(value.stored.time_to_hard_expiry(now_ms()))
    }

    fn expire_after_update(
        &self,
        _key: &String,
        value: &Arc<Filled<V>>,
        _updated_at: Instant,
        _duration_until_expiry: Option<Duration>,
    ) -> Option<Duration> {
        Some(value.stored.time_to_hard_expiry(now_ms()))
    }
}

impl<V> Cache<V>
where
    V: Message + Default + Clone + Send + Sync + 'static,
{
    /// A cache of `class` on `hub`, registered for the hub's invalidations; a generational class
    /// starts at the generation L2 holds.
    pub async fn new(
        hub: &Arc<CacheHub>,
        class: &'static str,
        policy: ClassPolicy,
        keying: Keying,
    ) -> Self {
        let l1 = moka::future::Cache::builder()
            .max_capacity(policy.l1_capacity_bytes)
            .weigher(|_key: &String, filled: &Arc<Filled<V>>| filled.stored.weight)
            .expire_after(UntilHardExpiry)
            .build();
        let cache = Cache {
            inner: Arc::new(Inner {
                class,
                policy,
                keying,
                hub: Arc::clone(hub),
                l1,
                generation: AtomicU64::new(0),
                refreshing: Mutex::new(HashSet::new()),
            }),
        };
        if keying == Keying::Generational
            && let Some(l2) = cache.l2()
        {
            let generation = l2.counter(&cache.generation_key(l2)).await;
            cache.inner.generation.store(generation, Ordering::Relaxed);
        }
        let subscriber = cache.clone();
        hub.on_invalidation(Arc::new(move |invalidation| {
            subscriber.apply(invalidation);
        }));
        cache
    }

    /// The class name.
    pub fn class(&self) -> &'static str {
        self.inner.class
    }

    /// The value of `key`, from the highest layer that has it, else from `loader` (`Ok(None)`
    /// meaning "not found", cached for the negative TTL). Concurrent misses of one key share one
    /// load; the loader's error reaches every caller waiting on that load.
    pub async fn get_or_load<F, Fut, E>(&self, key: &str, loader: F) -> Result<Lookup<V>, Arc<E>>
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Option<V>, E>> + Send + 'static,
        E: Send + Sync + 'static,
    {
        let loader = Arc::new(loader);
        let l1_key = self.l1_key(key);
        let class = self.inner.class;
        // An in-memory hit costs far less than a span: L1 lookups are spans at debug level only,
        // which the level filter turns into one cached check while debug is off.
        let l1_span = tracing::debug_span!("cache.lookup", class, layer = "l1");
        if let Some(filled) = self.inner.l1.get(&l1_key).instrument(l1_span).await {
            metrics::counter!("cache_hits_total", "layer" => "l1", "class" => class).increment(1);
            return Ok(self.serve(&filled, Layer::L1, l1_key, loader));
        }
        metrics::counter!("cache_misses_total", "layer" => "l1", "class" => class).increment(1);
        let filler = self.clone();
        let fill_key = l1_key.clone();
        let fill_loader = Arc::clone(&loader);
        let entry = self
            .inner
            .l1
            .entry(l1_key.clone())
            // Boxed: moka's and the loader's futures nest deep enough to overflow the type
            // checker's depth limit in callers; one allocation per miss keeps the type small.
            .or_try_insert_with(Box::pin(async move {
                filler.fill(&fill_key, fill_loader.as_ref()).await
            }))
            .await?;
        let layer = if entry.is_fresh() {
            entry.value().layer
        } else {
            Layer::L1
        };
        Ok(self.serve(entry.value(), layer, l1_key, loader))
    }

    /// Drops `key` here, in L2 and in every other process's L1.
    pub async fn invalidate(&self, key: &str) {
        let l1_key = self.l1_key(key);
        self.inner.l1.invalidate(&l1_key).await;
        if let Some(l2) = self.l2() {
            l2.delete(&[l2.key(self.inner.class, &l1_key)]).await;
        }
        self.inner
            .hub
            .publish(Invalidation::Key {
                class: self.inner.class.to_owned(),
                key: l1_key,
            })
            .await;
    }

    /// Makes every key of a generational class obsolete, here and in every other process.
    pub async fn advance_generation(&self) {
        let local_next = self.inner.generation.load(Ordering::Relaxed) + 1;
        let generation = match self.l2() {
            Some(l2) => l2
                .increment(&self.generation_key(l2))
                .await
                .unwrap_or(local_next)
                .max(local_next),
            None => local_next,
        };
        self.inner
            .hub
            .publish(Invalidation::Generation {
                class: self.inner.class.to_owned(),
                generation,
            })
            .await;
    }

    /// Entries L1 holds now (after pending evictions ran), for tests and metrics.
    pub async fn l1_entry_count(&self) -> u64 {
        self.inner.l1.run_pending_tasks().await;
        self.inner.l1.entry_count()
    }

    fn apply(&self, invalidation: &Invalidation) {
        match invalidation {
            Invalidation::Key { class, key } if class == self.inner.class => {
                let l1 = self.inner.l1.clone();
                let key = key.clone();
                // Handlers are synchronous; moka's removal is a short async step.
                tokio::spawn(async move { l1.invalidate(&key).await });
            }
            Invalidation::Generation { class, generation } if class == self.inner.class => {
                self.inner
                    .generation
                    .fetch_max(*generation, Ordering::Relaxed);
                self.inner.l1.invalidate_all();
            }
            Invalidation::Everything => self.inner.l1.invalidate_all(),
            Invalidation::Key { .. } | Invalidation::Generation { .. } => {}
        }
    }

    fn l1_key(&self, key: &str) -> String {
        match self.inner.keying {
            Keying::PerKey => key.to_owned(),
            Keying::Generational => {
                format!("g{}:{key}", self.inner.generation.load(Ordering::Relaxed))
            }
        }
    }

    fn generation_key(&self, l2: &RedisLayer) -> String {
        l2.key(self.inner.class, "generation")
    }

    fn l2(&self) -> Option<&Arc<RedisLayer>> {
        if self.inner.policy.l2 {
            self.inner.hub.l2()
        } else {
            None
        }
    }

    /// Answers from an entry; past its soft TTL, starts one background refresh and says stale.
    fn serve<F, Fut, E>(
        &self,
        filled: &Filled<V>,
        layer: Layer,
        l1_key: String,
        loader: Arc<F>,
    ) -> Lookup<V>
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Option<V>, E>> + Send + 'static,
        E: Send + Sync + 'static,
    {
        let now = now_ms();
        let stale = filled.stored.is_soft_expired(now);
        if stale {
            metrics::counter!("cache_stale_served_total", "class" => self.inner.class).increment(1);
            self.spawn_refresh(l1_key, loader);
        }
        let freshness_ms = i128::from(filled.stored.soft_expiry_ms) - i128::from(now);
        let ttl_seconds = i64::try_from(freshness_ms.div_euclid(1000)).unwrap_or(i64::MIN);
        Lookup {
            value: filled.stored.value.clone(),
            status: CacheStatus {
                layer,
                stale,
                ttl_seconds,
            },
        }
    }

    /// Refreshes a stale entry once, in the background: from L2 if another replica already did,
    /// else from the loader when this replica gets the fleet's lock. A failing loader leaves the
    /// stale entry in place until its hard expiry.
    fn spawn_refresh<F, Fut, E>(&self, l1_key: String, loader: Arc<F>)
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Option<V>, E>> + Send + 'static,
        E: Send + Sync + 'static,
    {
        {
            let mut refreshing = self
                .inner
                .refreshing
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if !refreshing.insert(l1_key.clone()) {
                return;
            }
        }
        let cache = self.clone();
        tokio::spawn(async move {
            let refreshed = cache.refresh(&l1_key, loader.as_ref()).await;
            if let Some(filled) = refreshed {
                cache
                    .inner
                    .l1
                    .insert(l1_key.clone(), Arc::new(filled))
                    .await;
            }
            cache
                .inner
                .refreshing
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .remove(&l1_key);
        });
    }

    async fn refresh<F, Fut, E>(&self, l1_key: &str, loader: &F) -> Option<Filled<V>>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Option<V>, E>>,
    {
        let Some(l2) = self.l2() else {
            return self.load(l1_key, loader).await.ok();
        };
        let full_key = l2.key(self.inner.class, l1_key);
        if let Some(filled) = self.read_l2(l2, &full_key).await
            && !filled.stored.is_soft_expired(now_ms())
        {
            return Some(filled);
        }
        match l2.lock(&full_key).await {
            LockOutcome::HeldElsewhere => None,
            LockOutcome::Acquired => {
                // As in `fill`: another replica may have refreshed it just before.
                if let Some(filled) = self.read_l2(l2, &full_key).await
                    && !filled.stored.is_soft_expired(now_ms())
                {
                    l2.unlock(&full_key).await;
                    return Some(filled);
                }
                let loaded = self.load(l1_key, loader).await.ok();
                l2.unlock(&full_key).await;
                loaded
            }
            LockOutcome::Unavailable => self.load(l1_key, loader).await.ok(),
        }
    }

    /// An L1 miss: L2, else the loader, once per key across the fleet where L2 allows.
    async fn fill<F, Fut, E>(&self, l1_key: &str, loader: &F) -> Result<Arc<Filled<V>>, E>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Option<V>, E>>,
    {
        let Some(l2) = self.l2() else {
            return self.load(l1_key, loader).await.map(Arc::new);
        };
        let full_key = l2.key(self.inner.class, l1_key);
        if let Some(filled) = self.read_l2(l2, &full_key).await {
            return Ok(Arc::new(filled));
        }
        match l2.lock(&full_key).await {
            LockOutcome::Acquired => {
                // The previous holder may have stored the value and let go between the read
                // above and taking the lock: look once more before loading.
                if let Some(filled) = self.read_l2(l2, &full_key).await {
                    l2.unlock(&full_key).await;
                    return Ok(Arc::new(filled));
                }
                let loaded = self.load(l1_key, loader).await;
                l2.unlock(&full_key).await;
                loaded.map(Arc::new)
            }
            LockOutcome::HeldElsewhere => {
                if let Some(filled) = self.wait_for_holder(l2, &full_key).await {
                    return Ok(Arc::new(filled));
                }
                self.load(l1_key, loader).await.map(Arc::new)
            }
            LockOutcome::Unavailable => self.load(l1_key, loader).await.map(Arc::new),
        }
    }

    /// Another replica holds the lock: poll L2 for its value until the lock would have expired.
    /// (Nothing announces the store, so a bounded poll is the way to see it.)
    async fn wait_for_holder(&self, l2: &RedisLayer, full_key: &str) -> Option<Filled<V>> {
        let settings = l2.settings();
        let deadline = Instant::now() + Duration::from_millis(settings.lock_ttl_ms);
        let poll = Duration::from_millis(settings.lock_poll_ms.max(1));
        while Instant::now() < deadline && l2.is_available() {
            tokio::time::sleep(poll).await;
            if let Some(filled) = self.read_l2(l2, full_key).await {
                return Some(filled);
            }
        }
        None
    }

    async fn read_l2(&self, l2: &RedisLayer, full_key: &str) -> Option<Filled<V>> {
        let class = self.inner.class;
        let span = tracing::info_span!("cache.lookup", class, layer = "l2", otel.kind = "client");
        let bytes = l2.get(full_key).instrument(span).await;
        let stored = bytes
            .and_then(|bytes| Envelope::decode(bytes.as_slice()).ok())
            .and_then(|envelope| Stored::from_envelope(&envelope))
            .filter(|stored| !stored.is_hard_expired(now_ms()));
        match stored {
            Some(stored) => {
                metrics::counter!("cache_hits_total", "layer" => "l2", "class" => class)
                    .increment(1);
                Some(Filled {
                    stored,
                    layer: Layer::L2,
                })
            }
            None => {
                metrics::counter!("cache_misses_total", "layer" => "l2", "class" => class)
                    .increment(1);
                None
            }
        }
    }

    /// Runs the loader and stores its answer in L2.
    async fn load<F, Fut, E>(&self, l1_key: &str, loader: &F) -> Result<Filled<V>, E>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<Option<V>, E>>,
    {
        let class = self.inner.class;
        let value = loader()
            .instrument(tracing::info_span!("cache.load", class))
            .await?;
        let (stored, envelope) = Stored::fresh(value, &self.inner.policy);
        if let Some(l2) = self.l2() {
            let ttl = stored.time_to_hard_expiry(now_ms());
            l2.set(&l2.key(class, l1_key), &envelope.encode_to_vec(), ttl)
                .await;
        }
        Ok(Filled {
            stored,
            layer: Layer::Origin,
        })
    }
}
