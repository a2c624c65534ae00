//! The Crunchyroll sync against the simulator, on an embedded catalog seeded with the sample.

use std::sync::Arc;
use std::time::Duration;

use kensho_crunchyroll::content::{BrowseQuery, BrowseSort};
use kensho_crunchyroll::{CrunchyrollClient, CrunchyrollSettings, TokenManager};
use kensho_kit::resilience::ResilienceSettings;
use kensho_test_support::{TempDir, TestSimulator};
use serde_json::json;

use super::{CatalogSync, SyncSettings};
use crate::domain::{AnimeId, Page};
use crate::import::{CatalogFormat, Progress, import_bytes};
use crate::search::normalize;
use crate::startup::SAMPLE_CATALOG;
use crate::store::{CatalogStore, SqlCatalogStore};

struct Fixture {
    store: Arc<dyn CatalogStore>,
    crunchyroll: CrunchyrollSettings,
    sim_url: String,
    _simulator: TestSimulator,
    _directory: TempDir,
}

async fn fixture() -> Fixture {
    kensho_test_support::init_test_logging();
    let simulator = TestSimulator::start().await;
    let sim_url = simulator.base_url.clone();
    let directory = TempDir::new();
    let url = format!("sqlite://{}", directory.path().join("catalog.db").display());
    let store = SqlCatalogStore::connect(&url, 4, Duration::from_secs(5))
        .await
        .expect("store");
    import_bytes(
        &store,
        SAMPLE_CATALOG,
        CatalogFormat::Json,
        Progress::Hidden,
    )
    .await
    .expect("sample imports");
    // One attempt per call, so an injected outage stops the run where it happens.
    let no_retries = ResilienceSettings {
        max_attempts: 1,
        ..ResilienceSettings::default()
    };
    let crunchyroll = simulator.crunchyroll().with_resilience(no_retries);
    Fixture {
        store: Arc::new(store),
        crunchyroll,
        sim_url,
        _simulator: simulator,
        _directory: directory,
    }
}

fn sync(fixture: &Fixture) -> Arc<CatalogSync> {
    let settings = SyncSettings {
        concurrency: 2,
        page_size: 25,
        ..SyncSettings::default()
    };
    CatalogSync::new(Arc::clone(&fixture.store), &fixture.crunchyroll, settings)
        .expect("sync builds")
}

async fn anime_id(store: &dyn CatalogStore, title: &str) -> AnimeId {
    let found = store
        .anime_with_title(&normalize(title))
        .await
        .expect("lookup");
    found
        .into_iter()
        .next()
        .expect("the anime is in the sample")
        .0
}

fn first_page() -> Page {
    let mut violations = Vec::new();
    let page = Page::parse(Some(100), "", &mut violations);
    assert!(violations.is_empty(), "{violations:?}");
    page.expect("a valid page")
}

#[tokio::test]
async fn a_sync_stores_matched_episodes_and_a_second_sync_changes_nothing() {
    let fixture = fixture().await;
    let sync = sync(&fixture);
    let first = sync.run().await.expect("sync completes");
    assert_eq!(first.status, "completed");
    assert!(first.seasons_matched >= 50, "{first:?}");
    assert!(first.episodes_written > 0);

    let id = anime_id(fixture.store.as_ref(), "Attack on Titan").await;
    let anime = fixture
        .store
        .get_anime(&id)
        .await
        .expect("get")
        .expect("found");
    assert!(anime.crunchyroll_season_id.is_some() && anime.crunchyroll_series_id.is_some());
    let episodes = fixture
        .store
        .list_episodes(&id, first_page())
        .await
        .expect("episodes")
        .expect("anime exists");
    assert_eq!(episodes.len(), 25);
    let first_episode = &episodes[0];
    assert!(first_episode.crunchyroll_episode_id.is_some());
    assert!(!first_episode.title.is_empty());
    assert!(
        first_episode
            .air_date
            .as_deref()
            .is_some_and(|date| date.starts_with("2013-"))
    );

    let second = sync.run().await.expect("second sync completes");
    assert_eq!(second.seasons_matched, first.seasons_matched);
    assert_eq!(second.episodes_written, 0, "nothing changed upstream");
}

#[tokio::test]
async fn a_sync_cut_by_an_outage_resumes_where_it_stopped_and_completes() {
    let fixture = fixture().await;
    let client = CrunchyrollClient::new(fixture.crunchyroll.clone()).expect("client");
    let auth = TokenManager::anonymous(client.clone());
    let mut query = BrowseQuery {
        sort: BrowseSort::Alphabetical,
        kind: Some("series".to_owned()),
        page_size: 50,
        ..BrowseQuery::default()
    };
    let mut series_ids: Vec<String> = Vec::new();
    loop {
        let page = client.browse(&auth, &query).await.expect("browse");
        query.start += page.data.len() as u32;
        series_ids.extend(page.data.into_iter().map(|panel| panel.id));
        if u64::from(query.start) >= page.total {
            break;
        }
    }
    series_ids.sort();
    let broken = series_ids[series_ids.len() / 2].clone();
    let http = reqwest::Client::new();
    http.put(format!("{}/_sim/faults", fixture.sim_url))
        .json(&json!({"rules": [{"route": format!("/content/v2/cms/series/{broken}/seasons"), "outage": true}]}))
        .send()
        .await
        .expect("faults set");

    let sync = sync(&fixture);
    let cut = sync.run().await;
    assert!(cut.is_err(), "the outage stops the run");
    let stopped = fixture
        .store
        .latest_sync_run()
        .await
        .expect("status")
        .expect("a run");
    assert_eq!(stopped.status, "failed");
    assert!(
        !stopped.cursor.is_empty() && stopped.cursor < broken,
        "{stopped:?}"
    );
    assert!(stopped.series_processed > 0);

    http.delete(format!("{}/_sim/faults", fixture.sim_url))
        .send()
        .await
        .expect("faults cleared");
    let resumed = sync.run().await.expect("the resumed run completes");
    assert!(resumed.resumed);
    assert_eq!(resumed.id, stopped.id);
    assert_eq!(resumed.status, "completed");
    assert_eq!(resumed.series_processed, series_ids.len() as u64);

    let again = sync.run().await.expect("a fresh run completes");
    assert!(!again.resumed);
    assert_eq!(
        again.episodes_written, 0,
        "the resumed run left nothing undone"
    );
}
