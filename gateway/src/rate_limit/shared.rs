//! Token buckets in Redis, shared by every gateway replica. The bucket is the same GCRA that
//! `governor` runs in-process (a theoretical arrival time per client), computed atomically in
//! a Lua script against Redis's own clock, so replicas' clocks do not matter.

use std::time::Duration;

use deadpool_redis::Pool;
use redis::Script;

use super::Decision;
use super::settings::{Quota, RateLimitSettings};

/// KEYS[1] bucket; ARGV[1] emission interval in microseconds, ARGV[2] burst. Returns
/// {allowed (0/1), remaining, retry after µs, reset µs}.
const GCRA_SCRIPT: &str = r"
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000000 + tonumber(now_parts[2])
local emission = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tolerance = emission * burst
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local new_tat = tat + emission
local allow_at = new_tat - tolerance
if allow_at > now then
  return {0, 0, allow_at - now, tat - now}
end
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
return {1, math.floor((tolerance - (new_tat - now)) / emission), 0, new_tat - now}
";

/// Why the shared buckets could not answer.
#[derive(Debug, thiserror::Error)]
pub enum SharedBucketError {
    /// No connection, or the pool is exhausted.
    #[error("redis connection: {0}")]
    Connection(#[from] deadpool_redis::PoolError),
    /// The script failed.
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    /// Redis did not answer in time.
    #[error("redis timed out")]
    Timeout,
}

/// Buckets in Redis.
pub struct SharedBuckets {
    pool: Pool,
    script: Script,
    key_prefix: String,
    timeout: Duration,
}

impl std::fmt::Debug for SharedBuckets {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SharedBuckets")
            .field("key_prefix", &self.key_prefix)
            .finish_non_exhaustive()
    }
}

impl SharedBuckets {
    /// A lazily connecting pool to `url`: the gateway starts while Redis is still down.
    pub fn new(url: &str, settings: &RateLimitSettings) -> anyhow::Result<Self> {
        let timeout = Duration::from_millis(settings.redis_timeout_ms.max(1));
        let pool = kensho_kit::redis::pool(url, settings.redis_pool_size, timeout)
            .map_err(|error| anyhow::anyhow!("gateway.rate_limit.redis_url: {error}"))?;
        Ok(SharedBuckets {
            pool,
            script: Script::new(GCRA_SCRIPT),
            key_prefix: settings.redis_key_prefix.clone(),
            timeout,
        })
    }

    /// Sets the pool gauges (`redis_pool_connections{pool="rate_limit"}`, ...) to the pool's
    /// state now.
    pub fn record_pool_metrics(&self) {
        kensho_kit::redis::record_pool_metrics("rate_limit", &self.pool);
    }

    /// Takes one token from the bucket `name` (already qualified by tier and class).
    pub async fn check(&self, name: &str, quota: Quota) -> Result<Decision, SharedBucketError> {
        let emission = quota.emission_interval();
        let attempt = async {
            let mut connection = self.pool.get().await?;
            let (allowed, remaining, retry_after_micros, reset_micros): (u8, u32, u64, u64) = self
                .script
                .key(format!("{}{name}", self.key_prefix))
                .arg(u64::try_from(emission.as_micros()).unwrap_or(u64::MAX))
                .arg(quota.requests)
                .invoke_async(&mut connection)
                .await?;
            let reset = Duration::from_micros(reset_micros);
            Ok(if allowed == 1 {
                Decision::allowed(quota, remaining, reset)
            } else {
                Decision::refused(quota, Duration::from_micros(retry_after_micros), reset)
            })
        };
        tokio::time::timeout(self.timeout, attempt)
            .await
            .map_err(|_| SharedBucketError::Timeout)?
    }

    /// Sends PING, for health checks.
    pub async fn ping(&self) -> Result<(), SharedBucketError> {
        let attempt = async {
            let mut connection = self.pool.get().await?;
            redis::cmd("PING")
                .query_async::<String>(&mut connection)
                .await?;
            Ok(())
        };
        tokio::time::timeout(self.timeout, attempt)
            .await
            .map_err(|_| SharedBucketError::Timeout)?
    }
}
