//! A standalone catalog-svc and the internal credential: without one it refuses to serve on an
//! address other hosts can reach, naming the key; on loopback it runs open, so a developer's
//! `cargo run` still works.

use kensho_catalog::{Application, CatalogSettings};
use kensho_crunchyroll::CrunchyrollSettings;
use kensho_kit::Shutdown;
use kensho_kit::grpc::InternalSettings;
use kensho_proto::catalog::v1::SearchAnimeRequest;
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use kensho_test_support::{TempDir, grpc_channel};

async fn build_on(host: &str, data_dir: &TempDir) -> Application {
    kensho_test_support::init_test_logging();
    let settings = CatalogSettings {
        host: host.to_owned(),
        port: 0,
        ..CatalogSettings::default()
    };
    Application::build(
        settings,
        &CrunchyrollSettings::default(),
        data_dir.path(),
        InternalSettings::default(),
    )
    .await
    .expect("catalog-svc builds")
}

#[tokio::test]
async fn without_a_credential_it_refuses_to_serve_beyond_loopback_naming_the_key() {
    let data_dir = TempDir::new();
    let application = build_on("0.0.0.0", &data_dir).await;

    let refused = application
        .run_until_stopped(Shutdown::new())
        .await
        .expect_err("refuses to serve");

    let message = format!("{refused:#}");
    assert!(message.contains("internal.credential"), "{message}");
    assert!(message.contains("KENSHO_INTERNAL__CREDENTIAL"), "{message}");
}

#[tokio::test]
async fn without_a_credential_it_serves_open_on_loopback() {
    let data_dir = TempDir::new();
    let application = build_on("127.0.0.1", &data_dir).await;
    let address = application.address();
    let shutdown = Shutdown::new();
    let server = tokio::spawn(application.run_until_stopped(shutdown.clone()));

    let hits = CatalogServiceClient::new(grpc_channel(address, None))
        .search_anime(SearchAnimeRequest {
            query: "cowboy bebop".to_owned(),
            limit: Some(1),
            ..SearchAnimeRequest::default()
        })
        .await
        .expect("an open server answers without a credential")
        .into_inner()
        .hits;
    shutdown.trigger();

    assert_eq!(hits.len(), 1);
    server
        .await
        .expect("the server task ends")
        .expect("the server stops cleanly");
}
