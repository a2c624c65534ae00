//! The resilience layer against simulator faults, counting real upstream calls with
//! `/_sim/stats`.

use std::time::{Duration, Instant};

use kensho_crunchyroll::{CrunchyrollError, Host, TokenManager};
use kensho_kit::resilience::{BreakerState, ResilienceSettings};
use serde_json::json;

use crate::helpers::{PREMIUM, spawn_sim, user};

fn settings(adjust: impl FnOnce(&mut ResilienceSettings)) -> ResilienceSettings {
    let mut settings = kensho_test_support::simulator::fast_resilience();
    adjust(&mut settings);
    settings
}

#[tokio::test]
async fn the_breaker_opens_fails_fast_probes_within_its_limit_and_closes_after_success() {
    let sim = spawn_sim().await;
    let client = sim.client_with(|client| {
        client.api = settings(|api| {
            api.max_attempts = 1;
            api.breaker_failure_threshold = 3;
            api.breaker_open_ms = 300;
            api.breaker_max_open_ms = 300;
            api.breaker_half_open_probes = 2;
        });
    });
    let auth = TokenManager::anonymous(client.clone());
    auth.access_token().await.expect("token before the outage");
    sim.set_faults(json!([{"route": "/content/*", "outage": true}]))
        .await;

    for _ in 0..3 {
        let failed = client.categories(&auth).await;
        assert!(
            matches!(
                failed,
                Err(CrunchyrollError::Unavailable { status: 503, .. })
            ),
            "{failed:?}"
        );
    }
    assert_eq!(
        client.upstream(Host::Api).breaker_state(),
        BreakerState::Open
    );
    for _ in 0..5 {
        let rejected = client.categories(&auth).await;
        assert!(
            matches!(rejected, Err(CrunchyrollError::Protected(_))),
            "{rejected:?}"
        );
    }
    assert_eq!(
        sim.calls_to("/discover/categories").await,
        3,
        "an open breaker calls nobody"
    );

    // Half-open: of ten concurrent calls, only the configured two probes reach the upstream
    // (slowed down so all ten overlap).
    sim.set_faults(json!([{"route": "/content/*", "latency_ms": 200}]))
        .await;
    // The breaker's open period is a time span: let it pass.
    tokio::time::sleep(Duration::from_millis(350)).await;
    let auth = std::sync::Arc::new(auth);
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let (client, auth) = (client.clone(), std::sync::Arc::clone(&auth));
        calls.spawn(async move {
            client
                .categories(&auth)
                .await
                .map(|categories| categories.len())
        });
    }
    let results = calls.join_all().await;
    let admitted = results.iter().filter(|result| result.is_ok()).count();
    assert_eq!(admitted, 2, "only the probes pass: {results:?}");
    assert_eq!(sim.calls_to("/discover/categories").await, 3 + 2);
    assert_eq!(
        client.upstream(Host::Api).breaker_state(),
        BreakerState::Closed
    );
    sim.clear_faults().await;
    client.categories(&auth).await.expect("closed again");
}

#[tokio::test]
async fn retries_wait_for_retry_after() {
    let sim = spawn_sim().await;
    let client = sim.client_with(|client| {
        client.api = settings(|api| {
            api.max_attempts = 2;
            api.breaker_failure_threshold = 100;
        });
    });
    let auth = TokenManager::anonymous(client.clone());
    auth.access_token().await.expect("token");
    sim.set_faults(json!([{"route": "/content/*", "outage": true, "retry_after_seconds": 1}]))
        .await;
    let started = Instant::now();
    let result = client.categories(&auth).await;
    assert!(
        matches!(
            result,
            Err(CrunchyrollError::Unavailable { status: 503, .. })
        ),
        "{result:?}"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(sim.calls_to("/discover/categories").await, 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_deadline_stops_at_once() {
    let sim = spawn_sim().await;
    let client = sim.client_with(|client| {
        client.api = settings(|api| {
            api.max_attempts = 5;
            api.deadline_ms = 2_000;
        });
    });
    let auth = TokenManager::anonymous(client.clone());
    auth.access_token().await.expect("token");
    sim.set_faults(json!([{"route": "/content/*", "rate_limit": {"retry_after_seconds": 30}}]))
        .await;
    let started = Instant::now();
    let result = client.categories(&auth).await;
    assert!(
        matches!(
            result,
            Err(CrunchyrollError::RateLimited {
                retry_after: Some(_)
            })
        ),
        "{result:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(sim.calls_to("/discover/categories").await, 1);
}

#[tokio::test]
async fn play_is_not_retried() {
    let sim = spawn_sim().await;
    let client = sim.client();
    let auth = user(&client, PREMIUM);
    auth.access_token().await.expect("login");
    sim.set_faults(json!([{"route": "*/play", "outage": true}]))
        .await;
    let result = client.play(&auth, "GANYTHING1").await;
    assert!(
        matches!(
            result,
            Err(CrunchyrollError::Unavailable { status: 503, .. })
        ),
        "{result:?}"
    );
    assert_eq!(sim.calls_to("/play").await, 1);
}

#[tokio::test]
async fn under_a_total_outage_upstream_calls_stay_within_the_retry_budget() {
    let sim = spawn_sim().await;
    let client = sim.client_with(|client| {
        client.api = settings(|api| {
            api.max_attempts = 3;
            api.breaker_failure_threshold = u32::MAX;
            api.retry_budget_ratio = 0.2;
            api.retry_budget_reserve = 10;
        });
    });
    let auth = TokenManager::anonymous(client.clone());
    auth.access_token().await.expect("token");
    sim.set_faults(json!([{"route": "/content/*", "error_rates": {"503": 1.0}}]))
        .await;
    let warm_up = 50;
    for _ in 0..warm_up {
        let _ = client.categories(&auth).await;
    }
    let after_warm_up = sim.calls_to("/discover/categories").await;
    let calls: u32 = 200;
    for _ in 0..calls {
        let _ = client.categories(&auth).await;
    }
    let upstream_calls = sim.calls_to("/discover/categories").await - after_warm_up;
    assert!(
        upstream_calls as f64 <= 1.2 * f64::from(calls),
        "{upstream_calls} upstream calls for {calls} client calls"
    );
    assert!(
        upstream_calls > u64::from(calls),
        "some retries still happen"
    );
}

#[tokio::test]
async fn a_dropped_connection_is_retried() {
    let sim = spawn_sim().await;
    let client = sim.client_with(|client| {
        client.api = settings(|api| api.max_attempts = 3);
    });
    let auth = TokenManager::anonymous(client.clone());
    auth.access_token().await.expect("token");
    sim.set_faults(json!([{"route": "/content/*", "reset_connection": true}]))
        .await;
    let result = client.categories(&auth).await;
    assert!(
        matches!(result, Err(CrunchyrollError::Transport(_))),
        "{result:?}"
    );
    assert_eq!(sim.calls_to("/discover/categories").await, 3);
}
