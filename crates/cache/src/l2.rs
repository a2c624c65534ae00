//! L2: the Redis every replica shares. Values are envelopes under `<prefix>:<class>:<key>` with a
//! Redis TTL at the hard expiry; a short `SET NX PX` lock keeps the fleet to one load per key.
//! When Redis fails, L2 is skipped for a retry interval (so a dead Redis costs no time per
//! request), a gauge drops to 0 and one log line says so; the next success restores both.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use deadpool_redis::Pool;
use redis::RedisError;

use crate::SetupError;
use crate::envelope::now_ms;
use crate::settings::RedisCacheSettings;

/// The gauge saying whether L2 answers (1) or not (0).
pub const L2_AVAILABLE_GAUGE: &str = "cache_l2_available";

/// Whether this replica got the fleet's load lock for a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockOutcome {
    /// This replica loads.
    Acquired,
    /// Another replica is loading.
    HeldElsewhere,
    /// Redis did not answer: load locally.
    Unavailable,
}

/// The shared Redis layer.
pub struct RedisLayer {
    pool: Pool,
    settings: RedisCacheSettings,
    prefix: String,
    timeout: Duration,
    available: AtomicBool,
    /// While `now_ms()` is before this, L2 is skipped.
    skip_until_ms: AtomicU64,
}

impl RedisLayer {
    /// A lazily connecting layer: nothing is contacted before the first call.
    pub fn new(settings: &RedisCacheSettings) -> Result<Arc<Self>, SetupError> {
        let timeout = Duration::from_millis(settings.timeout_ms.max(1));
        let pool = kensho_kit::redis::pool(settings.url.expose(), settings.pool_size, timeout)
            .map_err(|error| SetupError(error.to_string()))?;
        metrics::gauge!(L2_AVAILABLE_GAUGE).set(1.0);
        Ok(Arc::new(RedisLayer {
            pool,
            settings: settings.clone(),
            prefix: settings.key_prefix(),
            timeout,
            available: AtomicBool::new(true),
            skip_until_ms: AtomicU64::new(0),
        }))
    }

    /// Sets the pool gauges (`redis_pool_connections{pool="cache"}`, ...) to the pool's state
    /// now: called at every scrape.
    pub fn record_pool_metrics(&self) {
        kensho_kit::redis::record_pool_metrics("cache", &self.pool);
    }

    /// The settings the layer was built with.
    pub fn settings(&self) -> &RedisCacheSettings {
        &self.settings
    }

    /// The full Redis key of `key` in `class`.
    pub fn key(&self, class: &str, key: &str) -> String {
        format!("{}:{class}:{key}", self.prefix)
    }

    /// The pub/sub channel invalidations travel on.
    pub fn channel(&self) -> String {
        format!("{}:invalidate", self.prefix)
    }

    /// Whether the last call succeeded.
    pub fn is_available(&self) -> bool {
        self.available.load(Ordering::Relaxed)
    }

    /// The stored envelope bytes of a key, or `None` when absent or L2 is unavailable.
    pub async fn get(&self, full_key: &str) -> Option<Vec<u8>> {
        let mut command = redis::cmd("GET");
        command.arg(full_key);
        self.run(command).await.flatten()
    }

    /// Stores envelope bytes until `ttl` runs out; failures only mark L2 unavailable.
    pub async fn set(&self, full_key: &str, bytes: &[u8], ttl: Duration) {
        let mut command = redis::cmd("SET");
        command
            .arg(full_key)
            .arg(bytes)
            .arg("PX")
            .arg(millis_at_least_one(ttl));
        let _: Option<()> = self.run(command).await;
    }

    /// Deletes keys.
    pub async fn delete(&self, full_keys: &[String]) {
        if full_keys.is_empty() {
            return;
        }
        let mut command = redis::cmd("DEL");
        command.arg(full_keys);
        let _: Option<i64> = self.run(command).await;
    }

    /// Tries to take the load lock of `full_key` for the configured lock TTL.
    pub async fn lock(&self, full_key: &str) -> LockOutcome {
        let mut command = redis::cmd("SET");
        command
            .arg(format!("{full_key}:lock"))
            .arg(1)
            .arg("NX")
            .arg("PX")
            .arg(self.settings.lock_ttl_ms.max(1));
        match self.run::<Option<String>>(command).await {
            Some(Some(_)) => LockOutcome::Acquired,
            Some(None) => LockOutcome::HeldElsewhere,
            None => LockOutcome::Unavailable,
        }
    }

    /// Releases the load lock of `full_key`.
    pub async fn unlock(&self, full_key: &str) {
        self.delete(&[format!("{full_key}:lock")]).await;
    }

    /// The current value of a counter, 0 when absent or unavailable.
    pub async fn counter(&self, full_key: &str) -> u64 {
        let mut command = redis::cmd("GET");
        command.arg(full_key);
        self.run::<Option<u64>>(command)
            .await
            .flatten()
            .unwrap_or(0)
    }

    /// Increments a counter; `None` when Redis is unavailable.
    pub async fn increment(&self, full_key: &str) -> Option<u64> {
        let mut command = redis::cmd("INCR");
        command.arg(full_key);
        self.run(command).await
    }

    /// Publishes a message on the invalidation channel.
    pub async fn publish(&self, message: &str) {
        let mut command = redis::cmd("PUBLISH");
        command.arg(self.channel()).arg(message);
        let _: Option<i64> = self.run(command).await;
    }

    /// Sends PING, for health checks: unlike other calls it is sent even while L2 is being
    /// skipped, and its outcome updates availability like theirs.
    pub async fn ping(&self) -> Result<(), String> {
        let outcome = self
            .bounded(async {
                let mut connection = self.pool.get().await.map_err(|error| error.to_string())?;
                redis::cmd("PING")
                    .query_async::<String>(&mut connection)
                    .await
                    .map_err(|error: RedisError| error.to_string())
            })
            .await;
        self.mark(outcome.is_ok(), outcome.as_ref().err().map(String::as_str));
        outcome.map(|_pong| ())
    }

    /// Runs one command unless L2 is being skipped; `None` on failure or while skipped.
    async fn run<T: redis::FromRedisValue>(&self, command: redis::Cmd) -> Option<T> {
        if now_ms() < self.skip_until_ms.load(Ordering::Relaxed) {
            return None;
        }
        let outcome = self
            .bounded(async {
                let mut connection = self.pool.get().await.map_err(|error| error.to_string())?;
                command
                    .query_async::<T>(&mut connection)
                    .await
                    .map_err(|error: RedisError| error.to_string())
            })
            .await;
        match outcome {
            Ok(value) => {
                self.mark(true, None);
                Some(value)
            }
            Err(error) => {
                self.mark(false, Some(&error));
                None
            }
        }
    }

    async fn bounded<T>(&self, call: impl Future<Output = Result<T, String>>) -> Result<T, String> {
        match tokio::time::timeout(self.timeout, call).await {
            Ok(outcome) => outcome,
            Err(_elapsed) => Err(format!("no answer within {} ms", self.timeout.as_millis())),
        }
    }

    /// Records the outcome of a call; logs and sets the gauge only when availability changes.
    pub(crate) fn mark(&self, available: bool, error: Option<&str>) {
        if !available {
            let retry_at = now_ms().saturating_add(self.settings.retry_interval_ms);
            self.skip_until_ms.store(retry_at, Ordering::Relaxed);
        }
        let was_available = self.available.swap(available, Ordering::Relaxed);
        if was_available == available {
            return;
        }
        metrics::gauge!(L2_AVAILABLE_GAUGE).set(if available { 1.0 } else { 0.0 });
        if available {
            tracing::info!("cache l2 available again");
        } else {
            tracing::warn!(
                error = error.unwrap_or("unknown"),
                "cache l2 unavailable: serving from l1 and the loader"
            );
        }
    }
}

fn millis_at_least_one(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}
