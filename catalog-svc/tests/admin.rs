//! `kensho.catalog.v1.CatalogAdminService` over real gRPC, on the same port as
//! `CatalogService`: starting a Crunchyroll sync and reading its status, with the admin
//! credential.

use kensho_catalog::{Application, CatalogSettings};
use kensho_crunchyroll::CrunchyrollSettings;
use kensho_kit::Shutdown;
use kensho_kit::grpc::GrpcChannel;
use kensho_kit::time::from_timestamp;
use kensho_proto::catalog::v1::catalog_admin_service_client::CatalogAdminServiceClient;
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use kensho_proto::catalog::v1::{GetSyncStatusRequest, SearchAnimeRequest, StartSyncRequest};
use kensho_test_support::{TempDir, TestSimulator};
use time::OffsetDateTime;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

struct TestCatalog {
    /// Presents the internal credential.
    channel: GrpcChannel,
    /// Presents the admin credential.
    admin_channel: GrpcChannel,
    shutdown: Shutdown,
    _simulator: Option<TestSimulator>,
    _data_dir: TempDir,
}

impl TestCatalog {
    fn admin(&self) -> CatalogAdminServiceClient<GrpcChannel> {
        CatalogAdminServiceClient::new(self.admin_channel.clone())
    }
}

impl Drop for TestCatalog {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

/// catalog-svc on port 0 with the sample catalog; with a simulator to sync from when `with_sync`.
async fn spawn_catalog(with_sync: bool) -> TestCatalog {
    kensho_test_support::init_test_logging();
    let shutdown = Shutdown::new();
    let data_dir = TempDir::new();
    let mut settings = CatalogSettings {
        port: 0,
        ..CatalogSettings::default()
    };
    settings.sync.on_start = false;
    let simulator = if with_sync {
        Some(TestSimulator::start().await)
    } else {
        None
    };
    let crunchyroll = simulator
        .as_ref()
        .map_or_else(CrunchyrollSettings::default, TestSimulator::crunchyroll);
    let internal = kensho_test_support::test_internal_settings();
    let application = Application::build(settings, &crunchyroll, data_dir.path(), internal.clone())
        .await
        .expect("catalog-svc builds");
    let address = application.address();
    tokio::spawn(application.run_until_stopped(shutdown.clone()));
    TestCatalog {
        channel: kensho_test_support::grpc_channel(address, internal.credential.as_ref()),
        admin_channel: kensho_test_support::grpc_channel(
            address,
            internal.admin_credential.as_ref(),
        ),
        shutdown,
        _simulator: simulator,
        _data_dir: data_dir,
    }
}

#[tokio::test]
async fn both_catalog_services_report_serving_on_one_port() {
    let catalog = spawn_catalog(false).await;
    let mut health = HealthClient::new(catalog.channel.clone());
    for service in [
        "",
        "kensho.catalog.v1.CatalogService",
        "kensho.catalog.v1.CatalogAdminService",
    ] {
        let status = health
            .check(HealthCheckRequest {
                service: service.to_owned(),
            })
            .await
            .expect("health answers")
            .into_inner()
            .status();
        assert_eq!(status, ServingStatus::Serving, "{service:?}");
    }
    let hits = CatalogServiceClient::new(catalog.channel.clone())
        .search_anime(SearchAnimeRequest {
            query: "cowboy bebop".to_owned(),
            limit: Some(1),
            ..SearchAnimeRequest::default()
        })
        .await
        .expect("search answers on the same port")
        .into_inner()
        .hits;
    assert_eq!(hits.len(), 1);
}

#[tokio::test]
async fn without_crunchyroll_a_sync_cannot_start_and_the_status_says_none_ran() {
    let catalog = spawn_catalog(false).await;
    let mut admin = catalog.admin();

    let refused = admin
        .start_sync(StartSyncRequest {})
        .await
        .expect_err("no sync is configured");
    let status = admin
        .get_sync_status(GetSyncStatusRequest {})
        .await
        .expect("the status answers")
        .into_inner();

    assert_eq!(refused.code(), tonic::Code::FailedPrecondition);
    assert!(refused.message().contains("not configured"), "{refused:?}");
    assert_eq!(status.run_id, 0);
    assert_eq!((status.started_at, status.finished_at), (None, None));
}

#[tokio::test]
async fn a_completed_sync_reports_when_it_started_and_finished() {
    let catalog = spawn_catalog(true).await;
    let mut admin = catalog.admin();
    // Stored times keep whole seconds: compare from the start of this second.
    let before = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("a valid nanosecond");

    kensho_test_support::run_catalog_sync(&mut admin).await;
    let status = admin
        .get_sync_status(GetSyncStatusRequest {})
        .await
        .expect("the status answers")
        .into_inner();

    assert_eq!(status.status, "completed", "{status:?}");
    assert!(status.seasons_matched > 0, "{status:?}");
    let started_at = from_timestamp(&status.started_at.expect("a start time")).expect("valid");
    let finished_at = from_timestamp(&status.finished_at.expect("an end time")).expect("valid");
    assert!(
        before <= started_at && started_at <= finished_at,
        "{before} {started_at} {finished_at}"
    );
    assert!(finished_at <= OffsetDateTime::now_utc(), "{finished_at}");
}
