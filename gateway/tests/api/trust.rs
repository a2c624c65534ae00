//! Trust between services, over real gRPC to a running cluster: a direct call to catalog-svc,
//! auth-svc or stream-svc without the internal credential, or with a wrong one, is refused with
//! UNAUTHENTICATED before it reaches the service; health needs no credential; the admin service
//! needs the admin credential; reflection answers only when enabled.

use std::net::SocketAddr;

use kensho_cluster::testing::TestCluster;
use kensho_kit::grpc::{Credential, GrpcChannel};
use kensho_proto::auth::v1::IntrospectRequest;
use kensho_proto::auth::v1::auth_service_client::AuthServiceClient;
use kensho_proto::catalog::v1::catalog_admin_service_client::CatalogAdminServiceClient;
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use kensho_proto::catalog::v1::{GetSyncStatusRequest, SearchAnimeRequest};
use kensho_proto::stream::v1::ReleaseStreamRequest;
use kensho_proto::stream::v1::stream_service_client::StreamServiceClient;
use kensho_test_support::grpc_channel;
use kensho_test_support::internal::{TEST_CREDENTIAL, credential};
use tokio_stream::StreamExt;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_reflection::pb::v1::ServerReflectionRequest;
use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;

/// A credential no cluster uses.
const WRONG_CREDENTIAL: &str = "not-the-internal-credential";

/// Whether the trust layer, not the service, refused the call.
fn refused_for_its_credential(status: &tonic::Status) -> bool {
    status.code() == tonic::Code::Unauthenticated
        && status.message().contains("internal credential")
}

/// Asserts that the trust layer refused each call.
fn assert_refused_for_their_credential(statuses: [&tonic::Status; 2]) {
    for status in statuses {
        assert!(refused_for_its_credential(status), "{status:?}");
    }
}

async fn search(channel: GrpcChannel) -> Result<usize, tonic::Status> {
    CatalogServiceClient::new(channel)
        .search_anime(SearchAnimeRequest {
            query: "cowboy bebop".to_owned(),
            limit: Some(1),
            ..SearchAnimeRequest::default()
        })
        .await
        .map(|response| response.into_inner().hits.len())
}

async fn introspect(channel: GrpcChannel) -> Result<bool, tonic::Status> {
    AuthServiceClient::new(channel)
        .introspect(IntrospectRequest {
            access_token: "not-a-token".to_owned(),
        })
        .await
        .map(|response| response.into_inner().active)
}

/// A release with a token no one issued: past the trust layer, stream-svc has auth-svc verify it.
async fn release(channel: GrpcChannel) -> Result<(), tonic::Status> {
    StreamServiceClient::new(channel)
        .release_stream(ReleaseStreamRequest {
            access_token: "not-a-token".to_owned(),
            ..ReleaseStreamRequest::default()
        })
        .await
        .map(|_| ())
}

/// The channels a test presents to one service: none, a wrong credential, the right one.
fn channels(cluster: &TestCluster, address: SocketAddr) -> [GrpcChannel; 3] {
    let wrong = credential(WRONG_CREDENTIAL);
    [
        grpc_channel(address, None),
        grpc_channel(address, Some(&wrong)),
        cluster.channel(address),
    ]
}

#[tokio::test]
async fn catalog_svc_refuses_calls_without_the_right_credential() {
    let cluster = TestCluster::start(|_| {}).await;
    let [without, wrong, right] = channels(&cluster, cluster.addresses.catalog);

    let refused_without = search(without).await.expect_err("refused");
    let refused_wrong = search(wrong).await.expect_err("refused");
    let hits = search(right).await.expect("answers with the credential");

    assert_refused_for_their_credential([&refused_without, &refused_wrong]);
    assert_eq!(hits, 1);
}

#[tokio::test]
async fn auth_svc_refuses_calls_without_the_right_credential() {
    let cluster = TestCluster::start(|_| {}).await;
    let [without, wrong, right] = channels(&cluster, cluster.addresses.auth);

    let refused_without = introspect(without).await.expect_err("refused");
    let refused_wrong = introspect(wrong).await.expect_err("refused");
    let active = introspect(right)
        .await
        .expect("answers with the credential");

    assert_refused_for_their_credential([&refused_without, &refused_wrong]);
    assert!(!active, "a garbage token is inactive");
}

#[tokio::test]
async fn stream_svc_refuses_calls_without_the_right_credential() {
    let cluster = TestCluster::start(|_| {}).await;
    let [without, wrong, right] = channels(&cluster, cluster.addresses.stream);

    let refused_without = release(without).await.expect_err("refused");
    let refused_wrong = release(wrong).await.expect_err("refused");
    let reached = release(right).await;

    assert_refused_for_their_credential([&refused_without, &refused_wrong]);
    // Let in, stream-svc asked auth-svc (over its own credentialed channel) about the token,
    // and the token, not the call, was refused.
    let refused_token = reached.expect_err("a token no one issued is refused");
    assert_eq!(
        refused_token.code(),
        tonic::Code::Unauthenticated,
        "{refused_token:?}"
    );
    assert!(
        !refused_for_its_credential(&refused_token),
        "{refused_token:?}"
    );
}

#[tokio::test]
async fn health_answers_every_service_without_a_credential() {
    let cluster = TestCluster::start(|_| {}).await;
    let addresses = &cluster.addresses;

    for address in [addresses.catalog, addresses.auth, addresses.stream] {
        let status = HealthClient::new(grpc_channel(address, None))
            .check(HealthCheckRequest::default())
            .await
            .expect("health answers without a credential")
            .into_inner()
            .status();
        assert_eq!(status, ServingStatus::Serving, "{address}");
    }
}

#[tokio::test]
async fn the_admin_service_needs_the_admin_credential() {
    let cluster = TestCluster::start(|_| {}).await;
    let admin = |channel| async move {
        CatalogAdminServiceClient::new(channel)
            .get_sync_status(GetSyncStatusRequest {})
            .await
    };

    let with_ordinary = admin(cluster.channel(cluster.addresses.catalog))
        .await
        .expect_err("the ordinary credential is refused");
    let without = admin(grpc_channel(cluster.addresses.catalog, None))
        .await
        .expect_err("no credential is refused");
    let with_admin = admin(cluster.admin_channel()).await;

    assert!(
        refused_for_its_credential(&with_ordinary),
        "{with_ordinary:?}"
    );
    assert!(refused_for_its_credential(&without), "{without:?}");
    assert!(with_admin.is_ok(), "{with_admin:?}");
}

#[tokio::test]
async fn a_credential_of_another_launch_is_refused_and_a_configured_one_is_used() {
    let configured = TestCluster::start(|config| {
        config.internal.credential = Some(credential(TEST_CREDENTIAL));
    })
    .await;
    let other = TestCluster::start(|_| {}).await;
    let configured_credential: Credential = credential(TEST_CREDENTIAL);

    let hits = search(grpc_channel(
        configured.addresses.catalog,
        Some(&configured_credential),
    ))
    .await
    .expect("the configured credential is the cluster's");
    let refused = search(other.channel(configured.addresses.catalog))
        .await
        .expect_err("another launch's credential is refused");
    let refused_other = search(configured.channel(other.addresses.catalog))
        .await
        .expect_err("and the other way round");

    assert_eq!(hits, 1);
    assert!(refused_for_its_credential(&refused), "{refused:?}");
    assert!(
        refused_for_its_credential(&refused_other),
        "{refused_other:?}"
    );
}

/// Asks the server at `channel` to list its services.
async fn list_services(channel: GrpcChannel) -> Result<(), tonic::Status> {
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut responses = ServerReflectionClient::new(channel)
        .server_reflection_info(tokio_stream::iter([request]))
        .await?
        .into_inner();
    responses.next().await.expect("one response").map(|_| ())
}

#[tokio::test]
async fn reflection_answers_only_when_enabled_and_only_with_the_credential() {
    let enabled = TestCluster::start(|_| {}).await;
    let disabled = TestCluster::start(|config| config.internal.reflection = false).await;

    let listed = list_services(enabled.channel(enabled.addresses.auth)).await;
    let without_credential = list_services(grpc_channel(enabled.addresses.auth, None))
        .await
        .expect_err("refused without the credential");
    let unserved = list_services(disabled.channel(disabled.addresses.auth))
        .await
        .expect_err("reflection is off");

    assert!(listed.is_ok(), "{listed:?}");
    assert!(
        refused_for_its_credential(&without_credential),
        "{without_credential:?}"
    );
    assert_eq!(unserved.code(), tonic::Code::Unimplemented, "{unserved:?}");
}
