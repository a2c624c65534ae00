//! What every Kensho gRPC server shares: health and reflection, a span per request carrying the
//! caller's request id, and a bounded drain on shutdown.

use std::time::Duration;

use tokio::net::TcpListener;
use tonic::transport::server::{Router, TcpIncoming};
use tonic_health::server::HealthReporter;

use crate::Shutdown;

/// Metadata key carrying the request id from the gateway through every hop.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The span of one gRPC request: its path and the request id the caller sent.
pub fn request_span(request: &http::Request<()>) -> tracing::Span {
    let request_id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    tracing::info_span!("grpc_request", path = %request.uri().path(), request_id)
}

/// Reflection (v1 and v1alpha, for older tools) over Kensho's and the health service's descriptors.
pub fn reflection_services(
    descriptor_set: &[u8],
) -> Result<
    (
        tonic_reflection::server::v1::ServerReflectionServer<
            impl tonic_reflection::server::v1::ServerReflection,
        >,
        tonic_reflection::server::v1alpha::ServerReflectionServer<
            impl tonic_reflection::server::v1alpha::ServerReflection,
        >,
    ),
    tonic_reflection::server::Error,
> {
    let v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(descriptor_set)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    let v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(descriptor_set)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()?;
    Ok((v1, v1alpha))
}

/// Serves `router` on `listener` until `shutdown` fires; then reports NOT_SERVING through
/// `health`, lets in-flight calls finish for at most `drain_timeout`, and returns.
pub async fn serve_until_shutdown(
    router: Router,
    listener: TcpListener,
    health: HealthReporter,
    shutdown: Shutdown,
    drain_timeout: Duration,
    service_name: &'static str,
) -> Result<(), tonic::transport::Error> {
    let drain_signal = shutdown.clone();
    // Without TCP_NODELAY, small responses wait for the peer's delayed ACK (about 40 ms).
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    let server = router.serve_with_incoming_shutdown(incoming, async move {
        drain_signal.wait().await;
        health
            .set_service_status("", tonic_health::ServingStatus::NotServing)
            .await;
        tracing::info!(service = service_name, "draining in-flight requests");
    });
    tokio::pin!(server);
    tokio::select! {
        result = &mut server => result,
        () = shutdown.drain_deadline(drain_timeout) => {
            tracing::warn!(service = service_name, ?drain_timeout, "drain timed out, stopping");
            Ok(())
        }
    }
}
