//! catalog-svc under mutual TLS (`internal.tls`): a client holding a certificate of the
//! deployment's CA is answered; one without a certificate is UNAUTHENTICATED; one whose
//! certificate comes from another CA, or that speaks plaintext, never reaches a service; rotated
//! files are used without a restart; and `grpc.health.v1` answers in plaintext on the admin port
//! for Kubernetes' probes.

use std::net::SocketAddr;
use std::time::Duration;

use kensho_catalog::{Application, CatalogSettings};
use kensho_crunchyroll::CrunchyrollSettings;
use kensho_kit::Shutdown;
use kensho_kit::grpc::{ClientSettings, GrpcChannel, InternalSettings, TlsMaterial, channel};
use kensho_proto::catalog::v1::SearchAnimeRequest;
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use kensho_test_support::internal::TEST_CREDENTIAL;
use kensho_test_support::internal::credential;
use kensho_test_support::tls::{TestCa, TlsFiles};
use kensho_test_support::{TempDir, test_internal_settings};
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint};
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

/// How long a rotation may take to be picked up (the test files are checked every 20 ms).
const ROTATION_DEADLINE: Duration = Duration::from_secs(10);

struct TlsCatalog {
    address: SocketAddr,
    admin_address: SocketAddr,
    shutdown: Shutdown,
    _data_dir: TempDir,
    files: TlsFiles,
}

impl Drop for TlsCatalog {
    fn drop(&mut self) {
        self.shutdown.trigger();
    }
}

async fn spawn_catalog(server_files: TlsFiles) -> TlsCatalog {
    kensho_test_support::init_test_logging();
    let data_dir = TempDir::new();
    let settings = CatalogSettings {
        host: "127.0.0.1".to_owned(),
        port: 0,
        ..CatalogSettings::default()
    };
    let internal = InternalSettings {
        tls: Some(server_files.settings()),
        ..test_internal_settings()
    };
    let application = Application::build(
        settings,
        &CrunchyrollSettings::default(),
        data_dir.path(),
        internal,
    )
    .await
    .expect("catalog-svc builds");
    let address = application.address();
    let admin_address = application.admin_address().expect("an admin address");
    let shutdown = Shutdown::new();
    tokio::spawn(application.run_until_stopped(shutdown.clone()));
    TlsCatalog {
        address,
        admin_address,
        shutdown,
        _data_dir: data_dir,
        files: server_files,
    }
}

/// A channel presenting the test credential over mutual TLS with the identity in `files`.
fn tls_channel(address: SocketAddr, files: &TlsFiles) -> GrpcChannel {
    let material = TlsMaterial::load(&files.settings()).expect("the client's files load");
    let test_credential = credential(TEST_CREDENTIAL);
    channel(
        &format!("https://{address}"),
        &ClientSettings::default(),
        Some(&test_credential),
        Some(&material),
    )
    .expect("a valid URL")
}

async fn search(channel: GrpcChannel) -> Result<usize, tonic::Status> {
    let request = SearchAnimeRequest {
        query: "cowboy bebop".to_owned(),
        limit: Some(1),
        ..SearchAnimeRequest::default()
    };
    let response = CatalogServiceClient::new(channel)
        .search_anime(request)
        .await?;
    Ok(response.into_inner().hits.len())
}

#[tokio::test]
async fn a_client_with_a_certificate_of_the_ca_is_answered() {
    let ca = TestCa::new("kensho test CA");
    let server = spawn_catalog(TlsFiles::new("catalog-svc", &ca, &ca)).await;
    let gateway_files = TlsFiles::new("gateway", &ca, &ca);

    let hits = search(tls_channel(server.address, &gateway_files))
        .await
        .expect("a client of the CA is answered");

    assert_eq!(hits, 1);
}

#[tokio::test]
async fn a_client_without_a_certificate_is_unauthenticated() {
    let ca = TestCa::new("kensho test CA");
    let server = spawn_catalog(TlsFiles::new("catalog-svc", &ca, &ca)).await;
    let anonymous_tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(ca.pem()))
        .domain_name("localhost");
    let endpoint = Endpoint::from_shared(format!("https://{}", server.address))
        .expect("a valid URL")
        .tls_config(anonymous_tls)
        .expect("a valid TLS configuration");
    let mut client = CatalogServiceClient::new(endpoint.connect_lazy());

    let status = client
        .search_anime(SearchAnimeRequest {
            query: "cowboy bebop".to_owned(),
            limit: Some(1),
            ..SearchAnimeRequest::default()
        })
        .await
        .expect_err("refused without a client certificate");

    assert_eq!(status.code(), tonic::Code::Unauthenticated, "{status:?}");
}

#[tokio::test]
async fn a_client_certificate_of_another_ca_is_refused_at_the_handshake() {
    let ca = TestCa::new("kensho test CA");
    let other_ca = TestCa::new("someone else's CA");
    let server = spawn_catalog(TlsFiles::new("catalog-svc", &ca, &ca)).await;
    // Trusts the server, but presents a certificate the server does not trust.
    let intruder_files = TlsFiles::new("intruder", &other_ca, &ca);

    let refused = search(tls_channel(server.address, &intruder_files))
        .await
        .expect_err("a foreign certificate is refused");

    // Under TLS 1.3 the client learns of the refusal from the server's alert.
    let cause = format!("{refused:?}");
    assert!(cause.contains("UnknownCA"), "{cause}");
}

#[tokio::test]
async fn a_plaintext_client_never_reaches_a_service() {
    let ca = TestCa::new("kensho test CA");
    let server = spawn_catalog(TlsFiles::new("catalog-svc", &ca, &ca)).await;
    let test_credential = credential(TEST_CREDENTIAL);
    let plaintext = channel(
        &format!("http://{}", server.address),
        &ClientSettings::default(),
        Some(&test_credential),
        None,
    )
    .expect("a valid URL");

    let refused = search(plaintext).await.expect_err("plaintext is refused");

    assert_ne!(refused.code(), tonic::Code::Ok);
}

#[tokio::test]
async fn rotated_files_are_used_for_new_connections_without_a_restart() {
    let old_ca = TestCa::new("old CA");
    let new_ca = TestCa::new("new CA");
    let server = spawn_catalog(TlsFiles::new("catalog-svc", &old_ca, &old_ca)).await;
    let old_client = TlsFiles::new("old gateway", &old_ca, &old_ca);
    let new_client = TlsFiles::new("new gateway", &new_ca, &new_ca);
    assert!(
        search(tls_channel(server.address, &new_client))
            .await
            .is_err()
    );

    server.files.rotate("catalog-svc", &new_ca, &new_ca);

    let picked_up = tokio::time::timeout(ROTATION_DEADLINE, async {
        // Each attempt is a new connection, so it sees whatever the server now holds.
        while search(tls_channel(server.address, &new_client))
            .await
            .is_err()
        {
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(picked_up.is_ok(), "the rotation was not picked up");
    assert!(
        search(tls_channel(server.address, &old_client))
            .await
            .is_err(),
        "the old CA is no longer trusted"
    );
}

#[tokio::test]
async fn grpc_health_answers_in_plaintext_on_the_admin_port() {
    let ca = TestCa::new("kensho test CA");
    let server = spawn_catalog(TlsFiles::new("catalog-svc", &ca, &ca)).await;
    let admin = Endpoint::from_shared(format!("http://{}", server.admin_address))
        .expect("a valid URL")
        .connect_lazy();

    let status = HealthClient::new(admin)
        .check(HealthCheckRequest {
            service: "kensho.catalog.v1.CatalogService".to_owned(),
        })
        .await
        .expect("the admin port answers gRPC health")
        .into_inner()
        .status();

    assert_eq!(status, ServingStatus::Serving);
}
