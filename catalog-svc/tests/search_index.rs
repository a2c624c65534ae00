//! The search index of a running catalog-svc follows its database: anime another process imports
//! after the service started are found once the periodic catch-up has run, on both backends,
//! through real gRPC and past the search cache.

use std::path::Path;
use std::time::Duration;

use kensho_catalog::cli::{self, CatalogCommand};
use kensho_catalog::{Application, CatalogSettings};
use kensho_crunchyroll::CrunchyrollSettings;
use kensho_kit::{Secret, Shutdown};
use kensho_proto::catalog::v1::SearchAnimeRequest;
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use kensho_test_support::wait::poll_until;
use kensho_test_support::{TempDir, TestPostgres};
use serde_json::json;

/// Longest wait for a catch-up that runs every 50 ms.
const CATCH_UP_DEADLINE: Duration = Duration::from_secs(20);
const NEW_TITLE: &str = "Quixotic Zephyr Chronicles";

fn settings(database_url: Option<&str>) -> CatalogSettings {
    let mut settings = CatalogSettings {
        port: 0,
        ..CatalogSettings::default()
    };
    settings.search.refresh_interval_ms = 50;
    if let Some(url) = database_url {
        settings.database.url = Secret::new(url.to_owned());
    }
    settings
}

fn write_catalog_file(directory: &Path) -> std::path::PathBuf {
    let file = directory.join("new-anime.json");
    let document = json!({"repository": "test", "data": [{
        "sources": ["https://myanimelist.net/anime/999001"],
        "title": NEW_TITLE,
        "type": "TV",
        "episodes": 12,
        "status": "FINISHED",
        "animeSeason": {"season": "FALL", "year": 2024}
    }]});
    std::fs::write(&file, document.to_string()).expect("write the catalog file");
    file
}

async fn titles_found(
    client: &mut CatalogServiceClient<kensho_kit::grpc::GrpcChannel>,
    query: &str,
) -> Vec<String> {
    client
        .search_anime(SearchAnimeRequest {
            query: query.to_owned(),
            limit: Some(5),
            ..SearchAnimeRequest::default()
        })
        .await
        .expect("search")
        .into_inner()
        .hits
        .into_iter()
        .filter_map(|hit| hit.anime.map(|anime| anime.title))
        .collect()
}

async fn an_import_by_another_process_is_found_after_the_catch_up(database_url: Option<&str>) {
    kensho_test_support::init_test_logging();
    let data_dir = TempDir::new();
    let settings = settings(database_url);
    let crunchyroll = CrunchyrollSettings::default();
    let internal = kensho_test_support::test_internal_settings();
    let application = Application::build(
        settings.clone(),
        &crunchyroll,
        data_dir.path(),
        internal.clone(),
    )
    .await
    .expect("catalog-svc builds");
    let address = application.address();
    let shutdown = Shutdown::new();
    let server = tokio::spawn(application.run_until_stopped(shutdown.clone()));
    let mut client = CatalogServiceClient::new(kensho_test_support::grpc_channel(
        address,
        internal.credential.as_ref(),
    ));
    let before_import = titles_found(&mut client, "quixotic zephyr").await;
    let file = write_catalog_file(data_dir.path());

    cli::run(
        CatalogCommand::Import { file },
        &settings,
        &crunchyroll,
        data_dir.path(),
    )
    .await
    .expect("import");
    let after_import = poll_until(
        "the imported anime found by search",
        CATCH_UP_DEADLINE,
        async || {
            let titles = titles_found(&mut client, "quixotic zephyr").await;
            if titles.is_empty() {
                Err("no hit".to_owned())
            } else {
                Ok(titles)
            }
        },
    )
    .await;

    assert!(before_import.is_empty(), "{before_import:?}");
    assert_eq!(after_import.first().map(String::as_str), Some(NEW_TITLE));
    shutdown.trigger();
    server.await.expect("server task").expect("server stops");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_an_import_by_another_process_is_found_after_the_catch_up() {
    an_import_by_another_process_is_found_after_the_catch_up(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_an_import_by_another_process_is_found_after_the_catch_up() {
    let database = TestPostgres::create().await;
    an_import_by_another_process_is_found_after_the_catch_up(Some(database.url())).await;
}
