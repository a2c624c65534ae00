//! The resilience layer every upstream call goes through: a bulkhead, a circuit breaker, a
//! per-attempt timeout inside an overall deadline, and retries with exponential backoff and full
//! jitter, only for retryable failures of idempotent requests, honouring `Retry-After`, within a
//! retry budget.

mod backoff;
mod breaker;
mod budget;
pub mod metrics;
mod settings;
#[cfg(test)]
mod tests;

pub use backoff::parse_retry_after;
pub use breaker::BreakerState;
pub use settings::ResilienceSettings;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tracing::Instrument;

use self::breaker::CircuitBreaker;
use self::budget::RetryBudget;
use self::metrics::{UPSTREAM_REQUEST_DURATION_SECONDS, UPSTREAM_REQUESTS_TOTAL};

/// How a failed attempt should be treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureClass {
    /// A transient failure (connect error, timeout, 502, 503, 504): retry if the request is
    /// idempotent, after `retry_after` when the upstream said so. Counts against the breaker.
    Transient {
        /// The upstream's `Retry-After`, if any.
        retry_after: Option<Duration>,
    },
    /// The upstream is throttling (429): retry after `retry_after`, but the upstream is healthy,
    /// so the breaker does not count it.
    Throttled {
        /// The upstream's `Retry-After`, if any.
        retry_after: Option<Duration>,
    },
    /// The upstream failed in a way a retry will not fix (500): counts against the breaker.
    Broken,
    /// The upstream answered correctly that the request cannot succeed (4xx): neither retried
    /// nor counted.
    Rejected,
}

/// What an upstream error says about retrying.
pub trait Classify {
    /// The class of this failure.
    fn classify(&self) -> FailureClass;
}

/// Whether a request may be sent twice without harm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Idempotency {
    /// Safe to retry (GET, DELETE of a known resource, token refresh with the same grant...).
    Idempotent,
    /// Never retried.
    NonIdempotent,
}

/// Why a protected call failed.
#[derive(Debug, thiserror::Error)]
pub enum CallError<E> {
    /// The upstream's own failure, after any retries.
    #[error(transparent)]
    Upstream(E),
    /// The last attempt exceeded the per-attempt timeout.
    #[error("the upstream did not answer in time")]
    AttemptTimeout,
    /// The call's overall deadline passed.
    #[error("the call's deadline passed")]
    DeadlineExceeded,
    /// The circuit breaker is open: the upstream was not called.
    #[error("the upstream's circuit breaker is open")]
    CircuitOpen,
    /// Too many calls are in flight to this upstream.
    #[error("too many calls in flight to the upstream")]
    BulkheadFull,
}

/// One upstream (a host), with its breaker, budget and bulkhead shared by every call.
#[derive(Clone, Debug)]
pub struct Upstream {
    name: Arc<str>,
    settings: ResilienceSettings,
    breaker: CircuitBreaker,
    budget: Arc<RetryBudget>,
    bulkhead: Arc<Semaphore>,
}

enum AttemptOutcome<T, E> {
    Done(Result<T, CallError<E>>),
    Retry {
        after: Option<Duration>,
        error: CallError<E>,
    },
}

impl Upstream {
    /// A protected upstream called `name` (used in logs and metric labels).
    pub fn new(name: &str, settings: ResilienceSettings) -> Self {
        Upstream {
            name: Arc::from(name),
            breaker: CircuitBreaker::new(name, &settings),
            budget: Arc::new(RetryBudget::new(
                settings.retry_budget_ratio,
                settings.retry_budget_reserve,
            )),
            bulkhead: Arc::new(Semaphore::new(settings.max_in_flight.max(1) as usize)),
            settings,
        }
    }

    /// The breaker's current state.
    pub fn breaker_state(&self) -> BreakerState {
        self.breaker.state()
    }

    /// Runs `attempt` under the upstream's protections; `endpoint` labels metrics and logs.
    pub async fn call<T, E, F, Fut>(
        &self,
        endpoint: &'static str,
        idempotency: Idempotency,
        mut attempt: F,
    ) -> Result<T, CallError<E>>
    where
        E: Classify,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let deadline = Instant::now() + self.settings.deadline();
        self.budget.deposit();
        let Ok(_in_flight) = self.bulkhead.try_acquire() else {
            self.record(endpoint, "bulkhead_full", None);
            return Err(CallError::BulkheadFull);
        };
        let mut retries = 0;
        loop {
            let outcome = self
                .attempt_once(endpoint, deadline, retries, &mut attempt)
                .await;
            let (after, error) = match outcome {
                AttemptOutcome::Done(result) => return result,
                AttemptOutcome::Retry { after, error } => (after, error),
            };
            let may_retry =
                idempotency == Idempotency::Idempotent && retries + 1 < self.settings.max_attempts;
            if !may_retry {
                return Err(error);
            }
            let delay = after.unwrap_or_else(|| {
                backoff::full_jitter(
                    retries,
                    Duration::from_millis(self.settings.backoff_base_ms),
                    Duration::from_millis(self.settings.backoff_max_ms),
                )
            });
            // A wait that would end past the deadline is pointless: give up with what we have.
            if Instant::now() + delay >= deadline || !self.budget.try_withdraw() {
                return Err(error);
            }
            retries += 1;
            tracing::debug!(upstream = %self.name, endpoint, retry = retries, ?delay, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    async fn attempt_once<T, E, F, Fut>(
        &self,
        endpoint: &'static str,
        deadline: Instant,
        retry: u32,
        attempt: &mut F,
    ) -> AttemptOutcome<T, E>
    where
        E: Classify,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let now = Instant::now();
        if now >= deadline {
            return AttemptOutcome::Done(Err(CallError::DeadlineExceeded));
        }
        let Some(permit) = self.breaker.try_acquire() else {
            self.record(endpoint, "circuit_open", None);
            return AttemptOutcome::Done(Err(CallError::CircuitOpen));
        };
        let limit = self.settings.attempt_timeout().min(deadline - now);
        let started = Instant::now();
        // One client span per attempt, so a trace shows each retry and the breaker it passed.
        let attempt_span = tracing::info_span!(
            "upstream_attempt",
            otel.name = %format_args!("{} {endpoint}", self.name),
            otel.kind = "client",
            upstream = %self.name,
            endpoint,
            retry,
            breaker.state = ?self.breaker.state(),
        );
        let result = tokio::time::timeout(limit, attempt())
            .instrument(attempt_span)
            .await;
        let elapsed = Some(started.elapsed());
        match result {
            Ok(Ok(value)) => {
                permit.succeeded();
                self.record(endpoint, "success", elapsed);
                AttemptOutcome::Done(Ok(value))
            }
            Err(_elapsed) => {
                permit.failed();
                self.record(endpoint, "timeout", elapsed);
                let error = if Instant::now() >= deadline {
                    CallError::DeadlineExceeded
                } else {
                    CallError::AttemptTimeout
                };
                AttemptOutcome::Retry { after: None, error }
            }
            Ok(Err(error)) => match error.classify() {
                FailureClass::Transient { retry_after } => {
                    permit.failed();
                    self.record(endpoint, "transient_error", elapsed);
                    AttemptOutcome::Retry {
                        after: retry_after,
                        error: CallError::Upstream(error),
                    }
                }
                FailureClass::Throttled { retry_after } => {
                    permit.succeeded();
                    self.record(endpoint, "throttled", elapsed);
                    AttemptOutcome::Retry {
                        after: retry_after,
                        error: CallError::Upstream(error),
                    }
                }
                FailureClass::Broken => {
                    permit.failed();
                    self.record(endpoint, "error", elapsed);
                    AttemptOutcome::Done(Err(CallError::Upstream(error)))
                }
                FailureClass::Rejected => {
                    permit.succeeded();
                    self.record(endpoint, "rejected", elapsed);
                    AttemptOutcome::Done(Err(CallError::Upstream(error)))
                }
            },
        }
    }

    fn record(&self, endpoint: &'static str, outcome: &'static str, elapsed: Option<Duration>) {
        let upstream = self.name.to_string();
        ::metrics::counter!(UPSTREAM_REQUESTS_TOTAL, "upstream" => upstream.clone(), "endpoint" => endpoint, "outcome" => outcome)
            .increment(1);
        if let Some(elapsed) = elapsed {
            ::metrics::histogram!(UPSTREAM_REQUEST_DURATION_SECONDS, "upstream" => upstream, "endpoint" => endpoint)
                .record(elapsed.as_secs_f64());
        }
    }
}
