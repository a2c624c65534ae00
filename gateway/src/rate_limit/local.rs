//! In-process token buckets on `governor`: one keyed limiter per tier and route class.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::RateLimiter;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;

use super::Decision;
use super::settings::Quota;

/// Every this many checks a limiter forgets the buckets that are full again, so idle clients
/// cost no memory.
const CHECKS_BETWEEN_CLEANUPS: u64 = 4_096;

type KeyedLimiter =
    RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock, StateInformationMiddleware>;

/// The buckets of one quota, one per client.
pub struct LocalBuckets {
    limiter: KeyedLimiter,
    clock: DefaultClock,
    quota: Quota,
    checks: AtomicU64,
}

impl std::fmt::Debug for LocalBuckets {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("LocalBuckets")
            .field("quota", &self.quota)
            .finish_non_exhaustive()
    }
}

impl LocalBuckets {
    /// Buckets holding `quota.requests`, refilled over `quota.window_seconds`.
    pub fn new(quota: Quota) -> Self {
        let clock = DefaultClock::default();
        let limiter: KeyedLimiter = RateLimiter::new(
            governor_quota(quota),
            DefaultKeyedStateStore::default(),
            clock.clone(),
        );
        LocalBuckets {
            limiter,
            clock,
            quota,
            checks: AtomicU64::new(0),
        }
    }

    /// Takes one token from `bucket`'s bucket, if there is one.
    pub fn check(&self, bucket: &str) -> Decision {
        if self
            .checks
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(CHECKS_BETWEEN_CLEANUPS)
        {
            self.limiter.retain_recent();
        }
        let emission = self.quota.emission_interval();
        match self.limiter.check_key(&bucket.to_owned()) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                Decision::allowed(
                    self.quota,
                    remaining,
                    emission * (self.quota.requests - remaining),
                )
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.clock.now());
                Decision::refused(
                    self.quota,
                    wait,
                    wait + emission * (self.quota.requests - 1),
                )
            }
        }
    }
}

fn governor_quota(quota: Quota) -> governor::Quota {
    let burst = NonZeroU32::new(quota.requests).unwrap_or(NonZeroU32::MIN);
    governor::Quota::with_period(quota.emission_interval())
        .unwrap_or_else(|| governor::Quota::per_second(burst))
        .allow_burst(burst)
}

impl Quota {
    /// How long the bucket takes to regain one token.
    pub fn emission_interval(self) -> Duration {
        Duration::from_secs(u64::from(self.window_seconds.max(1))) / self.requests.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refuses_with_the_time_until_a_token_returns() {
        let buckets = LocalBuckets::new(Quota {
            requests: 3,
            window_seconds: 60,
        });
        let remaining: Vec<u32> = (0..3).map(|_| buckets.check("a").remaining).collect();
        assert_eq!(remaining, vec![2, 1, 0]);
        let refused = buckets.check("a");
        assert!(refused.retry_after.is_some());
        let retry_after = refused.retry_after.unwrap();
        assert!(retry_after > Duration::from_secs(19) && retry_after <= Duration::from_secs(20));
        assert_eq!(
            buckets.check("b").remaining,
            2,
            "another client is unaffected"
        );
    }
}
