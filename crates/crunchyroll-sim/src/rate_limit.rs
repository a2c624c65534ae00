//! The optional per-client-IP rate limit (`rate_limit_per_second`): a token bucket refilled at
//! that rate holding twice as much; an empty bucket answers 429 with `Retry-After`.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::errors::rate_limited;
use crate::lock;
use crate::state::SimState;
use crate::stats::SIM_PREFIX;

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    refilled_at: Instant,
}

/// Token buckets per client IP.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

impl RateLimiter {
    /// A limiter allowing `per_second` requests per second with a burst of twice that.
    pub(crate) fn new(per_second: u32) -> Self {
        RateLimiter {
            per_second: f64::from(per_second),
            burst: f64::from(per_second) * 2.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `client`, or says in how many whole seconds one will be there.
    pub(crate) fn acquire(&self, client: IpAddr) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = lock(&self.buckets);
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: self.burst,
            refilled_at: now,
        });
        let elapsed = now.duration_since(bucket.refilled_at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.burst);
        bucket.refilled_at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait_seconds = ((1.0 - bucket.tokens) / self.per_second).ceil();
        Err((wait_seconds as u64).max(1))
    }
}

/// Middleware: enforces the limit on the imitated API (never on `/_sim/`).
pub(crate) async fn limit_rate(
    State(state): State<SimState>,
    request: Request,
    next: Next,
) -> Response {
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(address)| address.ip());
    if let (Some(limiter), Some(client)) = (&state.rate_limiter, client)
        && !request.uri().path().starts_with(SIM_PREFIX)
        && let Err(retry_after_seconds) = limiter.acquire(client)
    {
        return rate_limited(retry_after_seconds);
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_burst_is_twice_the_rate_then_requests_wait() {
        let limiter = RateLimiter::new(2);
        let client = IpAddr::from([127, 0, 0, 1]);
        for _ in 0..4 {
            assert!(limiter.acquire(client).is_ok());
        }
        assert_eq!(limiter.acquire(client), Err(1));
        assert!(limiter.acquire(IpAddr::from([127, 0, 0, 2])).is_ok());
    }
}
