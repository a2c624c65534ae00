//! Login attempt limits: `governor` rate limiters keyed by username and by client address, each a
//! burst that refills a number of attempts per minute. Each replica counts on its own, which
//! bounds guessing per replica; enough for this slice.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::settings::LoginLimitSettings;

/// Keys kept before those back at a full burst are dropped, so memory stays bounded.
const PRUNE_THRESHOLD: usize = 10_000;

/// One family of limits (per username, or per address).
#[derive(Debug)]
struct Buckets<C: Clock = DefaultClock> {
    limiter: RateLimiter<String, DefaultKeyedStateStore<String>, C, NoOpMiddleware<C::Instant>>,
}

impl Buckets {
    fn new(burst: u32, per_minute: u32) -> Self {
        Buckets::with_clock(burst, per_minute, DefaultClock::default())
    }
}

impl<C: Clock> Buckets<C> {
    fn with_clock(burst: u32, per_minute: u32, clock: C) -> Self {
        let quota = Quota::per_minute(at_least_one(per_minute)).allow_burst(at_least_one(burst));
        Buckets {
            limiter: RateLimiter::new(quota, DefaultKeyedStateStore::default(), clock),
        }
    }

    /// Takes one attempt for `key`, or says how long until one is available.
    fn take(&self, key: &str) -> Result<(), Duration> {
        if self.limiter.len() > PRUNE_THRESHOLD {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&key.to_owned())
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
    }
}

/// A configured zero counts as one: a limit that never allows an attempt would lock everyone out.
fn at_least_one(count: u32) -> NonZeroU32 {
    NonZeroU32::new(count).unwrap_or(NonZeroU32::MIN)
}

/// Both login limits.
#[derive(Debug)]
pub struct LoginLimits {
    per_username: Buckets,
    per_address: Buckets,
}

impl LoginLimits {
    /// Limits as configured.
    pub fn new(settings: &LoginLimitSettings) -> Self {
        LoginLimits {
            per_username: Buckets::new(
                settings.per_username_burst,
                settings.per_username_per_minute,
            ),
            per_address: Buckets::new(settings.per_address_burst, settings.per_address_per_minute),
        }
    }

    /// Counts one attempt; `Err(retry_after)` when either limit is exhausted.
    pub fn check(&self, username: &str, client_address: &str) -> Result<(), Duration> {
        let username_key = username.trim().to_lowercase();
        self.per_address.take(client_address)?;
        self.per_username.take(&username_key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;

    #[test]
    fn a_bucket_allows_its_burst_then_asks_to_wait() {
        let buckets = Buckets::with_clock(2, 60, FakeRelativeClock::default());
        assert!(buckets.take("a").is_ok());
        assert!(buckets.take("a").is_ok());
        let retry_after = buckets.take("a").expect_err("exhausted");
        assert!(retry_after <= Duration::from_secs(1));
        assert!(buckets.take("b").is_ok());
    }

    #[test]
    fn a_bucket_refills_over_time() {
        let clock = FakeRelativeClock::default();
        let buckets = Buckets::with_clock(1, 60, clock.clone());
        assert!(buckets.take("a").is_ok());
        assert!(buckets.take("a").is_err());
        clock.advance(Duration::from_secs(2));
        assert!(buckets.take("a").is_ok());
    }

    #[test]
    fn the_wait_is_the_time_until_the_next_attempt_refills() {
        let clock = FakeRelativeClock::default();
        let buckets = Buckets::with_clock(1, 1, clock.clone());
        assert!(buckets.take("a").is_ok());
        clock.advance(Duration::from_secs(15));
        assert_eq!(buckets.take("a"), Err(Duration::from_secs(45)));
    }

    #[test]
    fn keys_back_at_a_full_burst_are_dropped_once_there_are_many() {
        let clock = FakeRelativeClock::default();
        let buckets = Buckets::with_clock(1, 60, clock.clone());
        for index in 0..=PRUNE_THRESHOLD {
            assert!(buckets.take(&format!("address-{index}")).is_ok());
        }
        clock.advance(Duration::from_secs(2));
        assert!(buckets.take("latest").is_ok());
        assert_eq!(buckets.limiter.len(), 1);
    }

    #[test]
    fn usernames_are_limited_case_insensitively() {
        let limits = LoginLimits::new(&LoginLimitSettings {
            per_username_burst: 1,
            per_username_per_minute: 1,
            per_address_burst: 100,
            per_address_per_minute: 100,
        });
        assert!(limits.check("User@Example.test", "10.0.0.1").is_ok());
        assert!(limits.check("user@example.test", "10.0.0.2").is_err());
    }
}
