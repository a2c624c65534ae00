//! Episodes synced from Crunchyroll are served through the gateway.

use std::time::{Duration, Instant};

use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use kensho_proto::catalog::v1::{GetSyncStatusRequest, StartSyncRequest};

use crate::helpers::{Storage, spawn_app_with};

#[tokio::test]
async fn after_a_sync_a_matched_anime_serves_its_crunchyroll_episodes() {
    let app = spawn_app_with(Storage::SqliteWithCrunchyroll, |_| {}).await;
    let mut catalog =
        CatalogServiceClient::connect(format!("http://127.0.0.1:{}", app.catalog_port))
            .await
            .expect("catalog-svc answers");
    let started = catalog
        .start_sync(StartSyncRequest {})
        .await
        .expect("the admin call starts a sync")
        .into_inner();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        let status = catalog
            .get_sync_status(GetSyncStatusRequest {})
            .await
            .expect("status")
            .into_inner();
        if status.run_id == started.run_id && status.status != "running" {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the sync did not finish: {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(status.status, "completed", "{status:?}");
    assert!(status.episodes_written > 0);

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
