//! Waiting for what another process or a background task makes true without telling the test
//! (a metric a scrape shows, a probe's answer, a search finding a new import, a pub/sub delivery).
//! Where the code under test offers a notification (a watch channel, the OTLP receiver's
//! [`crate::otlp::OtlpReceiver::wait_for`]), wait on it instead. Here the condition is observed again
//! every [`POLL_INTERVAL`] until it holds, within a bound, and a failure says what never happened
//! and what was seen last.

use std::time::{Duration, Instant};

/// How long to yield between two observations of a condition.
pub const POLL_INTERVAL: Duration = Duration::from_millis(20);

/// Observes until `observe` answers `Ok` (its value is returned), for at most `timeout`; panics
/// naming `what` with the last `Err` (a description of what was seen) when it never does.
pub async fn poll_until<T>(
    what: &str,
    timeout: Duration,
    mut observe: impl AsyncFnMut() -> Result<T, String>,
) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        match observe().await {
            Ok(value) => return value,
            Err(seen) => assert!(
                Instant::now() < deadline,
                "not {what} within {timeout:?}; last seen: {seen}"
            ),
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}

/// [`poll_until`] for a condition with nothing to report but whether it holds.
pub async fn wait_until(what: &str, timeout: Duration, mut holds: impl AsyncFnMut() -> bool) {
    poll_until(what, timeout, async || {
        if holds().await {
            Ok(())
        } else {
            Err("the condition did not hold".to_owned())
        }
    })
    .await;
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[tokio::test]
    async fn returns_the_value_once_the_condition_holds() {
        let observations = Arc::new(AtomicU32::new(0));
        let counted = Arc::clone(&observations);
        let value = poll_until(
            "the third observation",
            Duration::from_secs(5),
            async || match counted.fetch_add(1, Ordering::SeqCst) {
                2 => Ok("third"),
                seen => Err(format!("observation {seen}")),
            },
        )
        .await;
        assert_eq!(value, "third");
        assert_eq!(observations.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    #[should_panic(expected = "not never within")]
    async fn panics_with_what_was_seen_when_the_bound_passes() {
        wait_until("never", Duration::from_millis(50), async || false).await;
    }
}
