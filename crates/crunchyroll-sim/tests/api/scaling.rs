//! Synthetic series for load tests (`extra_series`).

use std::time::Instant;

use crate::helpers::spawn_sim_with;

#[tokio::test]
async fn twenty_thousand_extra_series_build_quickly_and_show_in_browse_totals() {
    let started = Instant::now();
    let sim = spawn_sim_with(|settings| settings.extra_series = 20_000).await;
    let elapsed = started.elapsed();
    println!("built a simulator with 20,000 extra series in {elapsed:?}");
    assert!(elapsed.as_secs() < 20, "{elapsed:?}");
    let sample = spawn_sim_with(|_| {}).await;
    assert_eq!(
        sim.catalog.series_count(),
        sample.catalog.series_count() + 20_000
    );
    let token = sim.premium_token().await;
    let body = sim
        .get_json(
            "/content/v2/discover/browse?type=series&sort_by=alphabetical&n=3",
            &token,
        )
        .await;
    assert_eq!(body["total"], sim.catalog.series_count());
    let synthetic = sim
        .get_json(
            "/content/v2/discover/browse?type=series&n=1&start=19000",
            &token,
        )
        .await;
    let series_id = synthetic["data"][0]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let seasons = sim
        .get_json(
            &format!("/content/v2/cms/series/{series_id}/seasons"),
            &token,
        )
        .await;
    assert_eq!(seasons["total"], 2);
    let season_id = seasons["data"][1]["id"].as_str().expect("an id").to_owned();
    let episodes = sim
        .get_json(
            &format!("/content/v2/cms/seasons/{season_id}/episodes"),
            &token,
        )
        .await;
    assert!(episodes["total"].as_u64().is_some_and(|total| total >= 12));
}
