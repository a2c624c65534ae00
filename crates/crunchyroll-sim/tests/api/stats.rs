//! Exact request counts through `/_sim/stats`.

use serde_json::json;

use crate::helpers::spawn_sim;

#[tokio::test]
async fn stats_count_requests_per_method_and_route_template() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let bebop = sim.catalog.series_by_title("Cowboy Bebop").expect("series");
    let titan = sim
        .catalog
        .series_by_title("Attack on Titan")
        .expect("series");
    for id in [&bebop.id, &titan.id, &bebop.id] {
        sim.get_json(&format!("/content/v2/cms/series/{id}"), &token)
            .await;
    }
    sim.get("/content/v2/cms/series/GZZZZZZZZ", &token).await;
    let stats = sim.stats().await;
    assert_eq!(
        stats,
        json!({
            "total": 5,
            "routes": {
                "POST /auth/v1/token": 1,
                "GET /content/v2/cms/series/{series_id}": 4,
            },
            "traceparents": [],
        })
    );
}

#[tokio::test]
async fn requests_answered_by_faults_or_refused_are_counted() {
    let sim = spawn_sim().await;
    sim.get("/content/v2/discover/categories", "not-a-token")
        .await;
    sim.set_faults(json!({"rules": [{"route": "*", "outage": true}]}))
        .await;
    sim.token_request(&[("grant_type", "client_id")]).await;
    sim.get("/no/such/route", "x").await;
    let stats = sim.control.stats();
    assert_eq!(stats.total, 3);
    assert_eq!(stats.count("GET /content/v2/discover/categories"), 1);
    assert_eq!(stats.count("POST /auth/v1/token"), 1);
    assert_eq!(stats.count("GET (unmatched)"), 1);
}

#[tokio::test]
async fn simulator_routes_are_not_counted() {
    let sim = spawn_sim().await;
    let token = sim.premium_token().await;
    let episode = sim.episode_id("Cowboy Bebop", 1);
    let play: serde_json::Value = sim.play(&episode, &token).await.json().await.expect("json");
    let manifest = play["url"].as_str().expect("url");
    sim.client.get(manifest).send().await.expect("sent");
    sim.client
        .get(sim.url("/_sim/health"))
        .send()
        .await
        .expect("sent");
    sim.set_faults(json!({"rules": []})).await;
    let stats = sim.stats().await;
    assert_eq!(stats["total"], 2, "{stats}");
}

#[tokio::test]
async fn deleting_stats_starts_counting_from_zero() {
    let sim = spawn_sim().await;
    sim.premium_token().await;
    let reset = sim
        .client
        .delete(sim.url("/_sim/stats"))
        .send()
        .await
        .expect("sent");
    assert_eq!(reset.status(), 204);
    assert_eq!(
        sim.stats().await,
        json!({"total": 0, "routes": {}, "traceparents": []})
    );
    sim.premium_token().await;
    assert_eq!(sim.control.stats().count("POST /auth/v1/token"), 1);
}

#[tokio::test]
async fn the_traceparent_of_each_counted_request_is_kept() {
    let sim = spawn_sim().await;
    let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    let response = sim
        .client
        .get(sim.url("/index/v2"))
        .header("traceparent", traceparent)
        .send()
        .await
        .expect("sent");
    assert!(response.status().is_client_error() || response.status().is_success());
    sim.client
        .get(sim.url("/index/v2"))
        .send()
        .await
        .expect("sent");
    assert_eq!(sim.stats().await["traceparents"], json!([traceparent]));
}
