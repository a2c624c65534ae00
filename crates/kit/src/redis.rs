//! The one way a Kensho process builds a Redis connection pool (auth-svc's session store, the
//! gateway's shared rate limits, the shared cache's L2), and the pool's gauges.
//!
//! Pools connect lazily, so a process starts while Redis is still down; one timeout bounds
//! waiting for a pooled connection, opening one and checking one before reuse.

use std::time::Duration;

use deadpool_redis::{Config, Pool, PoolConfig, Runtime, Timeouts};
use kensho_telemetry::metrics::names::{REDIS_POOL_CONNECTIONS, REDIS_POOL_MAX_CONNECTIONS};

/// A Redis URL that cannot make a pool.
#[derive(Debug, thiserror::Error)]
#[error("invalid redis pool configuration: {0}")]
pub struct RedisPoolError(String);

/// A lazily connecting pool of at most `pool_size` connections (at least 1) to `url`, every
/// wait, connect and recycle bounded by `timeout` (at least 1 ms).
pub fn pool(url: &str, pool_size: usize, timeout: Duration) -> Result<Pool, RedisPoolError> {
    let timeout = timeout.max(Duration::from_millis(1));
    let mut config = Config::from_url(url);
    config.pool = Some(PoolConfig {
        max_size: pool_size.max(1),
        timeouts: Timeouts {
            wait: Some(timeout),
            create: Some(timeout),
            recycle: Some(timeout),
        },
        ..PoolConfig::default()
    });
    config
        .create_pool(Some(Runtime::Tokio1))
        .map_err(|error| RedisPoolError(error.to_string()))
}

/// Sets `redis_pool_connections{pool,state}` and `redis_pool_max_connections{pool}` to the
/// state of `pool` now: registered as a sampler, so it runs at every scrape.
pub fn record_pool_metrics(pool_name: &'static str, pool: &Pool) {
    let status = pool.status();
    let idle = status.available;
    let in_use = status.size.saturating_sub(idle);
    metrics::gauge!(REDIS_POOL_CONNECTIONS, "pool" => pool_name, "state" => "idle")
        .set(idle as f64);
    metrics::gauge!(REDIS_POOL_CONNECTIONS, "pool" => pool_name, "state" => "in_use")
        .set(in_use as f64);
    metrics::gauge!(REDIS_POOL_MAX_CONNECTIONS, "pool" => pool_name).set(status.max_size as f64);
}

#[cfg(test)]
mod tests {
    use kensho_telemetry::metrics::ServiceMetrics;

    use super::*;

    #[test]
    fn a_pool_is_built_without_contacting_redis_and_keeps_at_least_one_connection() {
        let built = pool("redis://127.0.0.1:1", 0, Duration::ZERO).expect("a lazy pool");

        let status = built.status();

        assert_eq!(status.max_size, 1);
        assert_eq!(status.size, 0);
    }

    #[test]
    fn a_url_without_a_redis_scheme_is_refused() {
        let error = pool("http://127.0.0.1:6379", 4, Duration::from_millis(100))
            .expect_err("not a redis url");

        assert!(error.to_string().contains("redis"), "{error}");
    }

    #[test]
    fn the_pool_gauges_say_how_many_connections_are_idle_in_use_and_allowed() {
        let metrics = ServiceMetrics::new("auth-svc");
        let sessions = pool("redis://127.0.0.1:1", 3, Duration::from_millis(100)).expect("a pool");
        metrics.add_sampler(move || record_pool_metrics("sessions", &sessions));

        let rendered = metrics.render();

        for series in [
            r#"redis_pool_connections{service="auth-svc",pool="sessions",state="idle"} 0"#,
            r#"redis_pool_connections{service="auth-svc",pool="sessions",state="in_use"} 0"#,
            r#"redis_pool_max_connections{service="auth-svc",pool="sessions"} 3"#,
        ] {
            assert!(rendered.contains(series), "{series} not in {rendered}");
        }
    }
}
