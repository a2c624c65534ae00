//! Login attempt limits: in-memory token buckets per username and per client address. Each
//! replica counts on its own, which bounds guessing per replica; enough for this slice.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::settings::LoginLimitSettings;

/// Buckets kept before idle (full) ones are dropped.
const PRUNE_THRESHOLD: usize = 10_000;

/// One family of buckets (per username, or per address).
#[derive(Debug)]
struct Buckets {
    burst: f64,
    per_second: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Buckets {
    fn new(burst: u32, per_minute: u32) -> Self {
        Buckets {
            burst: f64::from(burst.max(1)),
            per_second: f64::from(per_minute.max(1)) / 60.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `key`, or says how long until one is available.
    fn take(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() > PRUNE_THRESHOLD {
            let (burst, per_second) = (self.burst, self.per_second);
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * per_second < burst
            });
        }
        let (tokens, at) = buckets.entry(key.to_owned()).or_insert((self.burst, now));
        let available =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if available >= 1.0 {
            *tokens = available - 1.0;
            Ok(())
        } else {
            *tokens = available;
            Err(Duration::from_secs_f64((1.0 - available) / self.per_second))
        }
    }
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
        let now = Instant::now();
        let username_key = username.trim().to_lowercase();
        self.per_address.take(client_address, now)?;
        self.per_username.take(&username_key, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_asks_to_wait() {
        let buckets = Buckets::new(2, 60);
        let now = Instant::now();
        assert!(buckets.take("a", now).is_ok());
        assert!(buckets.take("a", now).is_ok());
        let retry_after = buckets.take("a", now).expect_err("exhausted");
        assert!(retry_after <= Duration::from_secs(1));
        assert!(buckets.take("b", now).is_ok());
    }

    #[test]
    fn a_bucket_refills_over_time() {
        let buckets = Buckets::new(1, 60);
        let now = Instant::now();
        assert!(buckets.take("a", now).is_ok());
        assert!(buckets.take("a", now).is_err());
        assert!(buckets.take("a", now + Duration::from_secs(2)).is_ok());
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
