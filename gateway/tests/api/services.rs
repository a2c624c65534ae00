//! Every service answers the standard gRPC health check with SERVING and lists its services
//! through reflection (on in the all-in-one, for callers with the internal credential);
//! catalog-svc serves its admin service on the same port.

use tokio_stream::StreamExt;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;
use tonic_reflection::pb::v1::ServerReflectionRequest;
use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

use crate::helpers::{TestApp, spawn_app};

async fn assert_serving_and_listed(app: &TestApp, port: u16, service: &str) {
    let channel = app.grpc_channel(port);
    let mut health = HealthClient::new(channel.clone());
    let status = health
        .check(HealthCheckRequest {
            service: String::new(),
        })
        .await
        .expect("health answers")
        .into_inner()
        .status();
    assert_eq!(status, ServingStatus::Serving);
    let named = health
        .check(HealthCheckRequest {
            service: service.to_owned(),
        })
        .await
        .expect("health answers for the service")
        .into_inner()
        .status();
    assert_eq!(named, ServingStatus::Serving);

    let mut reflection = ServerReflectionClient::new(channel);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut responses = reflection
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .expect("reflection answers")
        .into_inner();
    let response = responses
        .next()
        .await
        .expect("one response")
        .expect("no error");
    let Some(MessageResponse::ListServicesResponse(list)) = response.message_response else {
        panic!("expected a service list");
    };
    let names: Vec<String> = list
        .service
        .into_iter()
        .map(|service| service.name)
        .collect();
    assert!(names.contains(&service.to_owned()), "{names:?}");
    assert!(
        names.contains(&"grpc.health.v1.Health".to_owned()),
        "{names:?}"
    );
}

#[tokio::test]
async fn catalog_svc_reports_serving_and_lists_its_services() {
    let app = spawn_app().await;
    assert_serving_and_listed(&app, app.catalog_port, "kensho.catalog.v1.CatalogService").await;
    assert_serving_and_listed(
        &app,
        app.catalog_port,
        "kensho.catalog.v1.CatalogAdminService",
    )
    .await;
}

#[tokio::test]
async fn reflection_serves_the_well_known_types_the_contracts_import() {
    let app = spawn_app().await;
    let channel = app.grpc_channel(app.catalog_port);
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::FileByFilename(
            "google/protobuf/timestamp.proto".to_owned(),
        )),
    };
    let response = ServerReflectionClient::new(channel)
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .expect("reflection answers")
        .into_inner()
        .next()
        .await
        .expect("one response")
        .expect("no error");
    let Some(MessageResponse::FileDescriptorResponse(files)) = response.message_response else {
        panic!("expected the file, got {:?}", response.message_response);
    };
    assert_eq!(files.file_descriptor_proto.len(), 1);
    assert!(!files.file_descriptor_proto[0].is_empty());
}

#[tokio::test]
async fn auth_and_stream_svc_report_serving_and_list_their_services() {
    let app = spawn_app().await;
    assert_serving_and_listed(&app, app.auth_port, "kensho.auth.v1.AuthService").await;
    assert_serving_and_listed(&app, app.stream_port, "kensho.stream.v1.StreamService").await;
}
