//! What every Kensho gRPC server shares: health and (when enabled) reflection, a span per request
//! carrying the caller's request id, the layer that refuses calls without the internal credential
//! ([`authenticate`]), the incoming layer that hands the caller's deadline and request id on to
//! every onward call, TCP_NODELAY, mutual TLS when `internal.tls` is set ([`tls`]), and a bounded
//! drain on shutdown; and the one client stack ([`client`]) every outgoing call goes through.

pub mod authenticate;
mod balance;
pub mod client;
pub mod context;
pub mod incoming;
pub mod metrics;
mod process;
mod readiness;
pub mod tls;
mod tls_listener;
pub mod trust;

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use tokio::net::TcpListener;
use tonic::body::Body;
use tonic::codegen::Service;
use tonic::server::NamedService;
use tonic::service::Routes;
use tonic::transport::Server;
use tonic::transport::server::TcpIncoming;

use crate::Shutdown;
use crate::health::HealthMonitor;

pub use client::{ClientSettings, GrpcChannel, channel};
pub use context::{CallContext, REQUEST_ID_HEADER};
pub use process::ServiceProcess;
pub use readiness::Readiness;
pub use tls::{TlsMaterial, TlsSettings};
pub use trust::{Credential, InternalSettings};

use authenticate::AuthenticateLayer;
use incoming::IncomingLayer;
use kensho_telemetry::metrics::{MetricsScopeLayer, ServiceMetrics};
use metrics::{GrpcMetricsLayer, Side};
use trust::ExposedWithoutCredential;

/// A gRPC server that could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum GrpcServeError {
    /// The reflection service rejected the descriptor set.
    #[error("cannot build the reflection service")]
    Reflection(#[from] tonic_reflection::server::Error),
    /// The listener's address cannot be read.
    #[error("cannot read the listener's address")]
    Listener(#[from] std::io::Error),
    /// The server would accept unauthenticated calls from other hosts.
    #[error(transparent)]
    Exposed(#[from] ExposedWithoutCredential),
    /// The TLS files cannot be used.
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    /// The transport failed.
    #[error("gRPC transport failed")]
    Transport(#[from] tonic::transport::Error),
}

/// The span of one gRPC request to `service`: its path, the request id the caller sent, and the
/// caller's trace context as parent (see `kensho_telemetry::propagation`).
pub fn request_span(request: &http::Request<()>, service: &'static str) -> tracing::Span {
    let request_id = request
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let path = request.uri().path();
    let span = tracing::info_span!(
        "grpc_request",
        otel.name = path.trim_start_matches('/'),
        otel.kind = "server",
        rpc.system = "grpc",
        service,
        path,
        request_id
    );
    kensho_telemetry::propagation::continue_from(&span, request.headers());
    span
}

/// The Kensho services one server hosts, with the names their health status is reported under.
#[derive(Debug, Default)]
pub struct GrpcServices {
    routes: Routes,
    names: Vec<&'static str>,
    admin_names: Vec<&'static str>,
    metrics: Option<ServiceMetrics>,
    health: Option<HealthMonitor>,
}

impl GrpcServices {
    /// No services yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a service; its health is reported under its full name (`kensho.catalog.v1.CatalogService`).
    pub fn add_service<S>(mut self, service: S) -> Self
    where
        S: Service<http::Request<Body>, Response = http::Response<Body>, Error = Infallible>
            + NamedService
            + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
    {
        self.routes = self.routes.add_service(service);
        self.names.push(S::NAME);
        self
    }

    /// Adds an admin service: like [`GrpcServices::add_service`], but its calls need
    /// `internal.admin_credential` instead of `internal.credential`.
    pub fn add_admin_service<S>(mut self, service: S) -> Self
    where
        S: Service<http::Request<Body>, Response = http::Response<Body>, Error = Infallible>
            + NamedService
            + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
    {
        self.admin_names.push(S::NAME);
        self.add_service(service)
    }

    /// Records every call (and what it does) into `metrics` rather than the global recorder.
    pub fn with_metrics(mut self, metrics: ServiceMetrics) -> Self {
        self.metrics = Some(metrics);
        self
    }

    /// Serves the health `monitor` computes, so the admin port and gRPC health agree.
    pub fn with_health(mut self, monitor: HealthMonitor) -> Self {
        self.health = Some(monitor);
        self
    }
}

/// Serves Kensho's `services` on `listener`, next to `grpc.health.v1.Health` (the server and each
/// service SERVING while the health monitor says ready) and, when `internal.reflection` is on,
/// reflection (v1 and v1alpha, over `descriptor_set` and the health service's). Every call but health's needs the
/// credential of `internal`; without one, the server refuses to listen beyond loopback. When
/// `shutdown` fires, health turns NOT_SERVING and in-flight calls get at most `drain_timeout` to
/// finish.
pub async fn serve(
    services: GrpcServices,
    descriptor_set: &'static [u8],
    internal: &InternalSettings,
    listener: TcpListener,
    shutdown: Shutdown,
    drain_timeout: Duration,
    process_name: &'static str,
) -> Result<(), GrpcServeError> {
    let address = listener.local_addr()?;
    internal.check_exposure(address)?;
    let GrpcServices {
        routes,
        names,
        admin_names,
        metrics,
        health,
    } = services;
    let monitor = health.unwrap_or_default();
    monitor.track_services(&names).await;
    let health_service = monitor.readiness().health_service();
    let routes = if internal.reflection {
        with_reflection(routes, descriptor_set)?
    } else {
        routes
    };
    // Outermost first: an unauthenticated call is refused before anything else sees it.
    let router = Server::builder()
        .trace_fn(move |request| request_span(request, process_name))
        .layer(MetricsScopeLayer::optional(metrics))
        .layer(GrpcMetricsLayer::new(Side::Server))
        .layer(AuthenticateLayer::new(internal, &admin_names))
        .layer(IncomingLayer)
        .add_routes(routes)
        .add_service(health_service);
    tracing::info!(
        service = process_name,
        %address,
        reflection = internal.reflection,
        tls = internal.tls.is_some(),
        "listening"
    );
    let drain_signal = shutdown.clone();
    let drain = async move {
        drain_signal.wait().await;
        monitor.begin_drain().await;
        tracing::info!(service = process_name, "draining in-flight requests");
    };
    let server: Pin<Box<dyn Future<Output = Result<(), tonic::transport::Error>> + Send>> =
        match &internal.tls {
            Some(tls_settings) => {
                let material = TlsMaterial::load(tls_settings)?;
                let incoming = tls_listener::tls_incoming(listener, material);
                Box::pin(router.serve_with_incoming_shutdown(incoming, drain))
            }
            None => {
                // Without TCP_NODELAY, small responses wait for the peer's delayed ACK (about 40 ms).
                let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
                Box::pin(router.serve_with_incoming_shutdown(incoming, drain))
            }
        };
    tokio::select! {
        result = server => result?,
        () = shutdown.drain_deadline(drain_timeout) => {
            tracing::warn!(service = process_name, ?drain_timeout, "drain timed out, stopping");
        }
    }
    Ok(())
}

/// `routes` plus reflection (v1 and v1alpha) over `descriptor_set` and the health service's.
fn with_reflection(
    routes: Routes,
    descriptor_set: &'static [u8],
) -> Result<Routes, tonic_reflection::server::Error> {
    let reflection_v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(descriptor_set)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    let reflection_v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(descriptor_set)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()?;
    Ok(routes
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha))
}
