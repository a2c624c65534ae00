//! Fault injection through `/_sim/faults`.

use std::time::{Duration, Instant};

use kensho_crunchyroll_sim::{FaultPlan, FaultRule};
use serde_json::{Value, json};

use crate::helpers::spawn_sim;

const CATEGORIES: &str = "/content/v2/discover/categories";

#[tokio::test]
async fn an_outage_answers_503_with_the_overloaded_page_and_retry_after() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    sim.set_faults(
        json!({"rules": [{"route": "/content/v2/*", "outage": true, "retry_after_seconds": 9}]}),
    )
    .await;
    let response = sim.get(CATEGORIES, &token).await;
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "9");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .is_ok_and(|value| value.starts_with("text/html"))
    );
    let page = response.text().await.expect("text");
    assert!(page.contains("<title>Crunchyroll - Overloaded</title>"));
    let auth = sim.token_request(&[("grant_type", "client_id")]).await;
    assert_eq!(auth.status(), 200, "other routes are untouched");
}

#[tokio::test]
async fn seeded_error_rates_draw_the_same_statuses_every_time() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let plan = json!({
        "seed": 42,
        "rules": [{"route": "GET /content/*", "error_rates": {"503": 0.3, "500": 0.2}}]
    });
    let mut runs = Vec::new();
    for _ in 0..2 {
        sim.set_faults(plan.clone()).await;
        let mut statuses = Vec::new();
        for _ in 0..40 {
            statuses.push(sim.get(CATEGORIES, &token).await.status().as_u16());
        }
        runs.push(statuses);
    }
    assert_eq!(runs[0], runs[1]);
    for status in [200, 500, 503] {
        assert!(runs[0].contains(&status), "{status} drawn in {:?}", runs[0]);
    }
}

#[tokio::test]
async fn latency_delays_the_answer_by_at_least_latency_ms() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    sim.set_faults(json!({"rules": [{"route": CATEGORIES, "latency_ms": 300, "jitter_ms": 50}]}))
        .await;
    let started = Instant::now();
    let response = sim.get(CATEGORIES, &token).await;
    assert_eq!(response.status(), 200);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn reset_connection_gives_the_client_a_connection_error() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    sim.set_faults(json!({"rules": [{"route": "GET /content/*", "reset_connection": true}]}))
        .await;
    let result = sim
        .client
        .get(sim.url(CATEGORIES))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await;
    let error = result.expect_err("no HTTP answer");
    assert!(error.status().is_none(), "{error}");
    assert_eq!(sim.stats().await["routes"][format!("GET {CATEGORIES}")], 1);
}

#[tokio::test]
async fn a_429_storm_answers_every_matching_request_with_retry_after() {
    let sim = spawn_sim().await;
    sim.set_faults(json!({"rules": [{"route": "POST /auth/v1/token", "rate_limit": {"retry_after_seconds": 3}}]}))
        .await;
    for _ in 0..3 {
        let response = sim.token_request(&[("grant_type", "client_id")]).await;
        assert_eq!(response.status(), 429);
        assert_eq!(response.headers()["retry-after"], "3");
    }
}

#[tokio::test]
async fn a_method_prefix_restricts_the_rule_to_that_method() {
    let sim = spawn_sim().await;
    sim.set_faults(json!({"rules": [{"route": "GET /auth/v1/token", "outage": true}]}))
        .await;
    let post = sim.token_request(&[("grant_type", "client_id")]).await;
    assert_eq!(post.status(), 200);
}

#[tokio::test]
async fn a_slow_body_still_arrives_whole_and_takes_its_time() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let fast: Value = sim.get_json(CATEGORIES, &token).await;
    sim.set_faults(json!({"rules": [{"route": CATEGORIES, "slow_body_ms_per_kb": 5}]}))
        .await;
    let started = Instant::now();
    let slow: Value = sim.get_json(CATEGORIES, &token).await;
    let kib = serde_json::to_vec(&fast).expect("json").len() / 1024;
    assert_eq!(fast, slow);
    assert!(started.elapsed() >= Duration::from_millis(5 * kib as u64));
}

#[tokio::test]
async fn invalid_fault_plans_are_refused_with_400_and_change_nothing() {
    let sim = spawn_sim().await;
    for body in [
        json!({"rules": [{"route": "*", "error_rates": {"503": 2.0}}]}),
        json!({"rules": [{"route": "*", "lateny_ms": 5}]}),
        json!({"rules": [{"route": ""}]}),
    ] {
        let response = sim
            .client
            .put(sim.url("/_sim/faults"))
            .json(&body)
            .send()
            .await
            .expect("sent");
        assert_eq!(response.status(), 400, "{body}");
        let error: Value = response.json().await.expect("json");
        assert!(
            error["error"]
                .as_str()
                .is_some_and(|message| message.contains("invalid fault plan"))
        );
    }
    assert_eq!(sim.control.stats().total, 0);
    let shown: Value = sim
        .client
        .get(sim.url("/_sim/faults"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(shown["rules"], json!([]));
}

#[tokio::test]
async fn get_shows_the_rules_and_delete_clears_them() {
    let sim = spawn_sim().await;
    sim.set_faults(json!({"rules": [{"route": "*", "outage": true}]}))
        .await;
    let shown: Value = sim
        .client
        .get(sim.url("/_sim/faults"))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("json");
    assert_eq!(shown["rules"][0]["route"], "*");
    assert_eq!(shown["rules"][0]["outage"], true);
    let cleared = sim
        .client
        .delete(sim.url("/_sim/faults"))
        .send()
        .await
        .expect("sent");
    assert_eq!(cleared.status(), 204);
    let response = sim.token_request(&[("grant_type", "client_id")]).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn control_routes_keep_working_during_a_total_outage() {
    let sim = spawn_sim().await;
    sim.set_faults(json!({"rules": [{"route": "*", "outage": true}]}))
        .await;
    let health = sim
        .client
        .get(sim.url("/_sim/health"))
        .send()
        .await
        .expect("sent");
    assert_eq!(health.status(), 200);
    let stats = sim
        .client
        .get(sim.url("/_sim/stats"))
        .send()
        .await
        .expect("sent");
    assert_eq!(stats.status(), 200);
}

#[tokio::test]
async fn faults_can_be_set_in_process_through_sim_control() {
    let sim = spawn_sim().await;
    let mut rule = FaultRule::new("POST /auth/v1/token");
    rule.error_rates.insert("502".to_owned(), 1.0);
    sim.control
        .set_faults(FaultPlan {
            rules: vec![rule],
            seed: Some(1),
        })
        .expect("a valid plan");
    let response = sim.token_request(&[("grant_type", "client_id")]).await;
    assert_eq!(response.status(), 502);
    sim.control.clear_faults();
    let response = sim.token_request(&[("grant_type", "client_id")]).await;
    assert_eq!(response.status(), 200);
}
