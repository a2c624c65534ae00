//! The circuit breaker: failsafe's state machine and consecutive-failures policy, plus what
//! failsafe lacks: while half-open only a bounded number of probe calls pass, the rest are
//! rejected at once. Every transition is logged and exported as `circuit_breaker_state`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU32, Ordering};
use std::time::Duration;

use failsafe::failure_policy::{self, ConsecutiveFailures};
use failsafe::{Config, Instrument, StateMachine};

use super::metrics::CIRCUIT_BREAKER_STATE;
use super::settings::ResilienceSettings;

/// The breaker's state, as exported: 0 closed, 1 half-open, 2 open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakerState {
    /// Calls flow.
    Closed,
    /// A few probe calls test whether the upstream recovered.
    HalfOpen,
    /// Calls fail fast without reaching the upstream.
    Open,
}

impl BreakerState {
    fn from_code(code: u8) -> Self {
        match code {
            1 => BreakerState::HalfOpen,
            2 => BreakerState::Open,
            _ => BreakerState::Closed,
        }
    }

    fn code(self) -> u8 {
        match self {
            BreakerState::Closed => 0,
            BreakerState::HalfOpen => 1,
            BreakerState::Open => 2,
        }
    }
}

/// Follows failsafe's transitions: records the state, logs and exports it.
#[derive(Clone, Debug)]
struct Transitions {
    upstream: Arc<str>,
    state: Arc<AtomicU8>,
}

impl Transitions {
    fn enter(&self, state: BreakerState) {
        self.state.store(state.code(), Ordering::SeqCst);
        metrics::gauge!(CIRCUIT_BREAKER_STATE, "upstream" => self.upstream.to_string())
            .set(f64::from(state.code()));
    }
}

impl Instrument for Transitions {
    fn on_call_rejected(&self) {}

    fn on_open(&self) {
        tracing::warn!(upstream = %self.upstream, "circuit breaker opened");
        self.enter(BreakerState::Open);
    }

    fn on_half_open(&self) {
        tracing::info!(upstream = %self.upstream, "circuit breaker half-open, probing");
        self.enter(BreakerState::HalfOpen);
    }

    fn on_closed(&self) {
        if BreakerState::from_code(self.state.load(Ordering::SeqCst)) != BreakerState::Closed {
            tracing::info!(upstream = %self.upstream, "circuit breaker closed");
        }
        self.enter(BreakerState::Closed);
    }
}

/// How long the breaker stays open each time it opens in a row: doubling up to a maximum.
/// (failsafe's own exponential backoff cannot start below one second.)
#[derive(Clone, Debug)]
struct OpenPeriods {
    next: Duration,
    max: Duration,
}

impl Iterator for OpenPeriods {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        let current = self.next;
        self.next = self.next.saturating_mul(2).min(self.max);
        Some(current)
    }
}

/// A circuit breaker for one upstream.
#[derive(Clone, Debug)]
pub(super) struct CircuitBreaker {
    machine: StateMachine<ConsecutiveFailures<OpenPeriods>, Transitions>,
    state: Arc<AtomicU8>,
    probes_in_flight: Arc<AtomicU32>,
    max_probes: u32,
}

/// Permission for one attempt; report how it went, or drop it if the attempt was abandoned.
#[must_use = "report the attempt's outcome"]
pub(super) struct BreakerPermit {
    breaker: CircuitBreaker,
    is_probe: bool,
}

impl CircuitBreaker {
    pub(super) fn new(upstream: &str, settings: &ResilienceSettings) -> Self {
        let state = Arc::new(AtomicU8::new(BreakerState::Closed.code()));
        let transitions = Transitions {
            upstream: Arc::from(upstream),
            state: Arc::clone(&state),
        };
        let open_for = OpenPeriods {
            next: Duration::from_millis(settings.breaker_open_ms),
            max: Duration::from_millis(settings.breaker_max_open_ms.max(settings.breaker_open_ms)),
        };
        let machine = Config::new()
            .failure_policy(failure_policy::consecutive_failures(
                settings.breaker_failure_threshold.max(1),
                open_for,
            ))
            .instrument(transitions)
            .build();
        CircuitBreaker {
            machine,
            state,
            probes_in_flight: Arc::new(AtomicU32::new(0)),
            max_probes: settings.breaker_half_open_probes.max(1),
        }
    }

    /// The current state.
    pub(super) fn state(&self) -> BreakerState {
        BreakerState::from_code(self.state.load(Ordering::SeqCst))
    }

    /// Permission for an attempt, or `None` when the breaker rejects it.
    pub(super) fn try_acquire(&self) -> Option<BreakerPermit> {
        if !self.machine.is_call_permitted() {
            return None;
        }
        if self.state() != BreakerState::HalfOpen {
            return Some(BreakerPermit {
                breaker: self.clone(),
                is_probe: false,
            });
        }
        let admitted = self
            .probes_in_flight
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |probes| {
                (probes < self.max_probes).then_some(probes + 1)
            })
            .is_ok();
        admitted.then(|| BreakerPermit {
            breaker: self.clone(),
            is_probe: true,
        })
    }
}

impl BreakerPermit {
    /// The upstream answered as a healthy upstream does.
    pub(super) fn succeeded(self) {
        self.breaker.machine.on_success();
    }

    /// The upstream failed.
    pub(super) fn failed(self) {
        self.breaker.machine.on_error();
    }
}

impl Drop for BreakerPermit {
    fn drop(&mut self) {
        if self.is_probe {
            self.breaker.probes_in_flight.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaker(threshold: u32, open_ms: u64, probes: u32) -> CircuitBreaker {
        CircuitBreaker::new(
            "test",
            &ResilienceSettings {
                breaker_failure_threshold: threshold,
                breaker_open_ms: open_ms,
                breaker_max_open_ms: open_ms,
                breaker_half_open_probes: probes,
                ..ResilienceSettings::default()
            },
        )
    }

    #[test]
    fn opens_after_the_threshold_and_rejects_while_open() {
        let breaker = breaker(3, 60_000, 1);
        for _ in 0..3 {
            breaker.try_acquire().expect("closed admits").failed();
        }
        assert_eq!(breaker.state(), BreakerState::Open);
        assert!(breaker.try_acquire().is_none());
    }

    #[test]
    fn half_open_admits_only_the_configured_probes_and_closes_on_success() {
        let breaker = breaker(1, 0, 2);
        breaker.try_acquire().expect("closed admits").failed();
        let first = breaker.try_acquire().expect("first probe");
        assert_eq!(breaker.state(), BreakerState::HalfOpen);
        let second = breaker.try_acquire().expect("second probe");
        assert!(breaker.try_acquire().is_none(), "a third probe is rejected");
        drop(second);
        first.succeeded();
        assert_eq!(breaker.state(), BreakerState::Closed);
        assert!(breaker.try_acquire().is_some());
    }
}
