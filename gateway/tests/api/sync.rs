//! Episodes synced from Crunchyroll are served through the gateway.

use crate::helpers::{Storage, spawn_app_with};

#[tokio::test]
async fn after_a_sync_a_matched_anime_serves_its_crunchyroll_episodes() {
    let app = spawn_app_with(Storage::Sqlite, |_| {}).await;
    app.sync_catalog().await;

    let id = app.id_of("Attack on Titan").await;
    let anime = app.get_json(&format!("/api/v1/anime/{id}")).await;
    assert!(anime["crunchyroll"]["season_id"].is_string(), "{anime}");
    let episodes = app
        .get_json(&format!("/api/v1/anime/{id}/episodes?limit=3"))
        .await;
    let first = &episodes["data"][0];
    assert!(first["crunchyroll_episode_id"].is_string(), "{first}");
    assert!(
        !first["title"].as_str().unwrap_or_default().is_empty(),
        "{first}"
    );
    assert!(
        first["air_date"]
            .as_str()
            .is_some_and(|date| date.starts_with("2013-")),
        "{first}"
    );
}
