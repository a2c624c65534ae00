//! The call loop against scripted upstream answers.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use super::*;

#[derive(Debug)]
struct ScriptedError(FailureClass);

impl Classify for ScriptedError {
    fn classify(&self) -> FailureClass {
        self.0
    }
}

fn upstream(settings: ResilienceSettings) -> Upstream {
    Upstream::new("scripted", settings)
}

fn fast_settings() -> ResilienceSettings {
    ResilienceSettings {
        backoff_base_ms: 1,
        backoff_max_ms: 2,
        max_attempts: 4,
        ..ResilienceSettings::default()
    }
}

async fn call_failing(
    upstream: &Upstream,
    class: FailureClass,
    idempotency: Idempotency,
    attempts: &AtomicU32,
) -> Result<(), CallError<ScriptedError>> {
    upstream
        .call("scripted", idempotency, || async {
            attempts.fetch_add(1, Ordering::SeqCst);
            Err::<(), _>(ScriptedError(class))
        })
        .await
}

const TRANSIENT: FailureClass = FailureClass::Transient { retry_after: None };

#[tokio::test(start_paused = true)]
async fn transient_failures_of_idempotent_calls_are_retried_up_to_the_attempt_limit() {
    let upstream = upstream(fast_settings());
    let attempts = AtomicU32::new(0);
    let result = call_failing(&upstream, TRANSIENT, Idempotency::Idempotent, &attempts).await;
    assert!(matches!(result, Err(CallError::Upstream(_))));
    assert_eq!(attempts.load(Ordering::SeqCst), 4);
}

#[tokio::test(start_paused = true)]
async fn non_idempotent_calls_are_never_retried() {
    let upstream = upstream(fast_settings());
    let attempts = AtomicU32::new(0);
    let _ = call_failing(&upstream, TRANSIENT, Idempotency::NonIdempotent, &attempts).await;
    assert_eq!(attempts.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn rejected_and_broken_answers_are_not_retried() {
    let upstream = upstream(fast_settings());
    for class in [FailureClass::Rejected, FailureClass::Broken] {
        let attempts = AtomicU32::new(0);
        let _ = call_failing(&upstream, class, Idempotency::Idempotent, &attempts).await;
        assert_eq!(attempts.load(Ordering::SeqCst), 1, "{class:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_past_the_deadline_ends_the_call_without_waiting() {
    let upstream = upstream(ResilienceSettings {
        deadline_ms: 1_000,
        ..fast_settings()
    });
    let attempts = AtomicU32::new(0);
    let throttled = FailureClass::Throttled {
        retry_after: Some(Duration::from_secs(60)),
    };
    let started = tokio::time::Instant::now();
    let _ = call_failing(&upstream, throttled, Idempotency::Idempotent, &attempts).await;
    assert_eq!(attempts.load(Ordering::SeqCst), 1);
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test(start_paused = true)]
async fn the_retry_after_delay_is_honoured() {
    let upstream = upstream(ResilienceSettings {
        max_attempts: 2,
        ..fast_settings()
    });
    let attempts = AtomicU32::new(0);
    let throttled = FailureClass::Throttled {
        retry_after: Some(Duration::from_secs(3)),
    };
    let started = tokio::time::Instant::now();
    let _ = call_failing(&upstream, throttled, Idempotency::Idempotent, &attempts).await;
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
    assert!(started.elapsed() >= Duration::from_secs(3));
}

#[tokio::test(start_paused = true)]
async fn an_open_breaker_fails_fast_without_calling() {
    let upstream = upstream(ResilienceSettings {
        max_attempts: 1,
        breaker_failure_threshold: 2,
        breaker_open_ms: 60_000,
        ..fast_settings()
    });
    let attempts = AtomicU32::new(0);
    for _ in 0..2 {
        let _ = call_failing(
            &upstream,
            FailureClass::Broken,
            Idempotency::Idempotent,
            &attempts,
        )
        .await;
    }
    let result = call_failing(
        &upstream,
        FailureClass::Broken,
        Idempotency::Idempotent,
        &attempts,
    )
    .await;
    assert!(matches!(result, Err(CallError::CircuitOpen)));
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
    assert_eq!(upstream.breaker_state(), BreakerState::Open);
}

#[tokio::test(start_paused = true)]
async fn the_retry_budget_caps_retries_at_its_share_of_calls() {
    let upstream = upstream(ResilienceSettings {
        retry_budget_ratio: 0.2,
        retry_budget_reserve: 0,
        breaker_failure_threshold: u32::MAX,
        ..fast_settings()
    });
    let attempts = AtomicU32::new(0);
    for _ in 0..100 {
        let _ = call_failing(&upstream, TRANSIENT, Idempotency::Idempotent, &attempts).await;
    }
    let total = attempts.load(Ordering::SeqCst);
    assert!(
        (100..=120).contains(&total),
        "{total} attempts for 100 calls"
    );
}

#[tokio::test(start_paused = true)]
async fn a_slow_attempt_times_out_and_is_retried() {
    let upstream = upstream(ResilienceSettings {
        attempt_timeout_ms: 50,
        max_attempts: 2,
        ..fast_settings()
    });
    let attempts = AtomicU32::new(0);
    let result: Result<(), CallError<ScriptedError>> = upstream
        .call("scripted", Idempotency::Idempotent, || async {
            attempts.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_secs(1)).await;
            Ok(())
        })
        .await;
    assert!(matches!(result, Err(CallError::AttemptTimeout)));
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn the_bulkhead_rejects_calls_beyond_its_capacity_at_once() {
    let upstream = upstream(ResilienceSettings {
        max_in_flight: 1,
        ..fast_settings()
    });
    let (release, released) = tokio::sync::oneshot::channel::<()>();
    let holder = upstream.clone();
    let (entered, entered_signal) = tokio::sync::oneshot::channel::<()>();
    let held = tokio::spawn(async move {
        let mut entered = Some(entered);
        let mut released = Some(released);
        holder
            .call("scripted", Idempotency::Idempotent, || {
                let entered = entered.take();
                let released = released.take();
                async move {
                    if let Some(entered) = entered {
                        let _ = entered.send(());
                    }
                    if let Some(released) = released {
                        let _ = released.await;
                    }
                    Ok::<(), ScriptedError>(())
                }
            })
            .await
    });
    entered_signal.await.expect("the first call is in flight");
    let attempts = AtomicU32::new(0);
    let rejected = call_failing(&upstream, TRANSIENT, Idempotency::Idempotent, &attempts).await;
    assert!(
        matches!(rejected, Err(CallError::BulkheadFull)),
        "{rejected:?}"
    );
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        0,
        "a rejected call never reaches the upstream"
    );
    let _ = release.send(());
    held.await
        .expect("held call ends")
        .expect("held call succeeds");
}
