//! What an experiment's samples say: error rate, p95 and p99 and stale answers in each phase, a
//! per-second series for the plots, and the recovery time (from the fault's removal until every
//! request of a [`RECOVERY_WINDOW_SECONDS`] window, at least 99% of them, succeeds).

use serde::{Deserialize, Serialize};

use super::probe::Sample;

/// How long 99% of requests must keep succeeding for the service to count as recovered.
pub const RECOVERY_WINDOW_SECONDS: u64 = 10;
/// The share of requests that must succeed throughout that window.
pub const RECOVERY_SUCCESS_RATIO: f64 = 0.99;

/// The figures of one phase (before, during or after the fault).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PhaseFigures {
    /// Requests sent in the phase.
    pub requests: usize,
    /// Share of them that failed (5xx, 429, no answer).
    pub error_rate: f64,
    /// Latency percentiles in milliseconds.
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// Answers `Cache-Status` marked stale.
    pub stale_responses: usize,
    /// The slowest failed request, in milliseconds: how fast failures are.
    pub slowest_failure_ms: Option<f64>,
}

impl PhaseFigures {
    /// Figures of `samples` (any order).
    pub fn of<'a>(samples: impl IntoIterator<Item = &'a Sample>) -> Self {
        let samples: Vec<&Sample> = samples.into_iter().collect();
        if samples.is_empty() {
            return PhaseFigures::default();
        }
        let mut latencies: Vec<f64> = samples.iter().map(|sample| sample.latency_ms).collect();
        latencies.sort_by(f64::total_cmp);
        let failures: Vec<&&Sample> = samples
            .iter()
            .filter(|sample| !sample.succeeded())
            .collect();
        PhaseFigures {
            requests: samples.len(),
            error_rate: failures.len() as f64 / samples.len() as f64,
            p50_ms: percentile(&latencies, 0.50),
            p95_ms: percentile(&latencies, 0.95),
            p99_ms: percentile(&latencies, 0.99),
            stale_responses: samples.iter().filter(|sample| sample.stale).count(),
            slowest_failure_ms: failures
                .iter()
                .map(|sample| sample.latency_ms)
                .max_by(f64::total_cmp),
        }
    }
}

/// The nearest-rank percentile of sorted `values`.
pub fn percentile(sorted: &[f64], quantile: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (quantile * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// One second of the experiment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Second {
    /// Seconds from the experiment's start.
    pub second: u64,
    pub requests: usize,
    pub error_rate: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
}

/// Samples bucketed by the second they were sent in, from 0 to the last one, empty seconds
/// included (a stalled service sends nothing back, which the plot must show).
pub fn per_second(samples: &[Sample]) -> Vec<Second> {
    let Some(last) = samples.iter().map(|sample| sample.sent_at_ms / 1000).max() else {
        return Vec::new();
    };
    (0..=last)
        .map(|second| {
            let figures = PhaseFigures::of(
                samples
                    .iter()
                    .filter(|sample| sample.sent_at_ms / 1000 == second),
            );
            Second {
                second,
                requests: figures.requests,
                error_rate: figures.error_rate,
                p95_ms: figures.p95_ms,
                p99_ms: figures.p99_ms,
            }
        })
        .collect()
}

/// Milliseconds from `removed_at_ms` until the start of the first window of
/// [`RECOVERY_WINDOW_SECONDS`] in which at least [`RECOVERY_SUCCESS_RATIO`] of the requests
/// succeeded and no second went without one; `None` when no such window fits in the samples.
/// Windows start at each request sent after the removal, so the figure is not rounded to seconds.
pub fn recovery_ms(samples: &[Sample], removed_at_ms: u64) -> Option<u64> {
    let window_ms = RECOVERY_WINDOW_SECONDS * 1000;
    let last_sent = samples.iter().map(|sample| sample.sent_at_ms).max()?;
    let after: Vec<&Sample> = samples
        .iter()
        .filter(|sample| sample.sent_at_ms >= removed_at_ms)
        .collect();
    for start in after.iter().map(|sample| sample.sent_at_ms) {
        if start + window_ms > last_sent + 1 {
            return None;
        }
        let window: Vec<&&Sample> = after
            .iter()
            .filter(|sample| (start..start + window_ms).contains(&sample.sent_at_ms))
            .collect();
        let succeeded = window.iter().filter(|sample| sample.succeeded()).count();
        // The probe sends on a schedule, so a silence of a second means the runner itself stalled.
        let every_second_answered = window
            .windows(2)
            .all(|pair| pair[1].sent_at_ms - pair[0].sent_at_ms < 1000)
            && window
                .last()
                .is_some_and(|last| start + window_ms - last.sent_at_ms <= 1000);
        if every_second_answered && succeeded as f64 >= RECOVERY_SUCCESS_RATIO * window.len() as f64
        {
            return Some(start - removed_at_ms);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(sent_at_ms: u64, status: u16, latency_ms: f64) -> Sample {
        Sample {
            sent_at_ms,
            status,
            latency_ms,
            stale: false,
        }
    }

    /// Ten requests a second from `from_ms` to `to_ms`, all with `status`.
    fn steady(from_ms: u64, to_ms: u64, status: u16) -> Vec<Sample> {
        (from_ms..to_ms)
            .step_by(100)
            .map(|at| sample(at, status, 5.0))
            .collect()
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let sorted: Vec<f64> = (1..=100).map(f64::from).collect();

        assert_eq!(percentile(&sorted, 0.95), 95.0);
        assert_eq!(percentile(&sorted, 0.99), 99.0);
        assert_eq!(percentile(&[7.0], 0.99), 7.0);
    }

    #[test]
    fn phase_figures_count_5xx_429_and_missing_answers_as_errors() {
        let samples = [
            sample(0, 200, 1.0),
            sample(1, 404, 1.0),
            sample(2, 503, 3.0),
            sample(3, 429, 2.0),
            sample(4, 0, 9.0),
        ];

        let figures = PhaseFigures::of(&samples);

        assert_eq!(figures.requests, 5);
        assert!((figures.error_rate - 0.6).abs() < 1e-9);
        assert_eq!(figures.slowest_failure_ms, Some(9.0));
    }

    #[test]
    fn recovery_starts_at_the_first_window_that_stays_healthy() {
        let mut samples = steady(0, 5_000, 503);
        samples.extend(steady(5_000, 7_000, 503));
        samples.extend(steady(7_000, 20_000, 200));

        // The window from 6.9 s holds one failure in a hundred: 99% succeeded.
        assert_eq!(recovery_ms(&samples, 5_000), Some(1_900));
    }

    #[test]
    fn a_service_that_is_healthy_at_once_recovers_in_zero() {
        let samples = steady(0, 15_000, 200);

        assert_eq!(recovery_ms(&samples, 2_000), Some(0));
    }

    #[test]
    fn no_recovery_when_the_healthy_window_does_not_fit() {
        let mut samples = steady(0, 10_000, 503);
        samples.extend(steady(10_000, 15_000, 200));

        assert_eq!(recovery_ms(&samples, 5_000), None);
    }

    #[test]
    fn a_silent_second_is_not_a_healthy_one() {
        let mut samples = steady(0, 3_000, 200);
        samples.extend(steady(4_000, 16_000, 200));

        assert_eq!(recovery_ms(&samples, 0), Some(4_000));
    }

    #[test]
    fn seconds_without_requests_stay_in_the_series() {
        let samples = [sample(100, 200, 1.0), sample(2_100, 500, 1.0)];

        let seconds = per_second(&samples);

        assert_eq!(seconds.len(), 3);
        assert_eq!(seconds[1].requests, 0);
        assert_eq!(seconds[2].error_rate, 1.0);
    }
}
