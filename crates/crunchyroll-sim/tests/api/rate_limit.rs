//! The configured per-client rate limit (`rate_limit_per_second`).

use crate::helpers::{spawn_sim, spawn_sim_with};

#[tokio::test]
async fn once_the_burst_is_spent_requests_get_429_with_retry_after() {
    let sim = spawn_sim_with(|settings| settings.rate_limit_per_second = 1).await;
    for _ in 0..2 {
        let response = sim.token_request(&[("grant_type", "client_id")]).await;
        assert_eq!(response.status(), 200, "within the burst of 2");
    }
    let limited = sim.token_request(&[("grant_type", "client_id")]).await;
    assert_eq!(limited.status(), 429);
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("whole seconds");
    assert!(retry_after >= 1);
    let health = sim
        .client
        .get(sim.url("/_sim/health"))
        .send()
        .await
        .expect("sent");
    assert_eq!(health.status(), 200, "controls are never limited");
    assert_eq!(sim.control.stats().count("POST /auth/v1/token"), 3);
}

#[tokio::test]
async fn without_a_rate_limit_bursts_pass() {
    let sim = spawn_sim().await;
    for _ in 0..20 {
        let response = sim.token_request(&[("grant_type", "client_id")]).await;
        assert_eq!(response.status(), 200);
    }
}
