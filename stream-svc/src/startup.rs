//! Building and running stream-svc: the same [`Application`] serves `main`, the all-in-one and
//! every test.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use kensho_crunchyroll::{CrunchyrollClient, CrunchyrollSettings, Host};
use kensho_kit::Shutdown;
use kensho_kit::grpc::{GrpcServices, InternalSettings, ServiceProcess, TlsMaterial, channel};
use kensho_kit::health::{Dependency, HealthMonitor, Requirement};
use kensho_proto::auth::v1::auth_service_client::AuthServiceClient;
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use kensho_proto::stream::v1::stream_service_server::StreamServiceServer;
use kensho_telemetry::metrics::ServiceMetrics;
use tokio::net::TcpListener;

use crate::grpc::StreamGrpc;
use crate::settings::StreamSettings;
use crate::stream_token::StreamTokenKey;
use crate::streams::Streams;

/// The admin port when `stream.admin.port` is unset (ARCHITECTURE §3: 9464 + 3).
pub const DEFAULT_ADMIN_PORT: u16 = 9467;

/// The name stream-svc's metrics and logs carry.
pub const SERVICE_NAME: &str = "stream-svc";

/// A stream-svc bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    streams: Arc<Streams>,
    settings: StreamSettings,
    internal: InternalSettings,
    admin_listener: TcpListener,
    metrics: ServiceMetrics,
    health: HealthMonitor,
}

impl Application {
    /// Prepares the Crunchyroll client and the (lazily connected) catalog-svc and auth-svc
    /// channels (presenting the credential of `internal`), and binds the gRPC port, whose calls
    /// will need that credential too.
    pub async fn build(
        settings: StreamSettings,
        crunchyroll: &CrunchyrollSettings,
        internal: InternalSettings,
    ) -> anyhow::Result<Self> {
        let crunchyroll = CrunchyrollClient::new(crunchyroll.clone())?;
        let credential = internal.credential.as_ref();
        let tls = internal.tls.as_ref().map(TlsMaterial::load).transpose()?;
        let tls = tls.as_ref();
        let catalog_channel = channel(
            &settings.catalog_url,
            &settings.grpc_client,
            credential,
            tls,
        )?;
        let auth_channel = channel(&settings.auth_url, &settings.grpc_client, credential, tls)?;
        // Streams need both services; Crunchyroll's breaker is shared by every replica.
        let health = HealthMonitor::new(
            settings.health.clone(),
            vec![
                Dependency::grpc_service(
                    "catalog-svc",
                    Requirement::Required,
                    catalog_channel.clone(),
                ),
                Dependency::grpc_service("auth-svc", Requirement::Required, auth_channel.clone()),
                Dependency::breaker("crunchyroll", crunchyroll.upstream(Host::Play).clone()),
            ],
        );
        let catalog = CatalogServiceClient::new(catalog_channel);
        let auth = AuthServiceClient::new(auth_channel);
        // Stream tokens are bound to accounts with a key of this process: a restarted
        // stream-svc no longer accepts earlier ones, whose streams expire upstream on their own.
        let stream_tokens = StreamTokenKey::generate()?;
        let streams = Arc::new(Streams::new(
            catalog,
            auth,
            crunchyroll,
            stream_tokens,
            settings.clone(),
        ));
        let listener = TcpListener::bind((settings.host.as_str(), settings.port)).await?;
        let address = listener.local_addr()?;
        let admin_listener = settings
            .admin
            .bind(DEFAULT_ADMIN_PORT, settings.port)
            .await?;
        Ok(Application {
            listener,
            address,
            streams,
            settings,
            internal,
            admin_listener,
            metrics: ServiceMetrics::new(SERVICE_NAME),
            health,
        })
    }

    /// The bound port (useful when configured as 0).
    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The bound address.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The admin port's address (`/metrics`, `/health/*`).
    pub fn admin_address(&self) -> std::io::Result<SocketAddr> {
        self.admin_listener.local_addr()
    }

    /// The service's metrics registry (`main` also makes it the global recorder).
    pub fn metrics(&self) -> &ServiceMetrics {
        &self.metrics
    }

    /// Serves gRPC (the service, health and, when enabled, reflection) until `shutdown` fires,
    /// then drains.
    pub async fn run_until_stopped(self, shutdown: Shutdown) -> anyhow::Result<()> {
        let process = ServiceProcess {
            name: SERVICE_NAME,
            listener: self.listener,
            admin_listener: self.admin_listener,
            admin: &self.settings.admin,
            internal: &self.internal,
            metrics: self.metrics,
            drain_timeout: Duration::from_millis(self.settings.drain_timeout_ms),
            health: self.health,
        };
        process
            .run(
                GrpcServices::new()
                    .add_service(StreamServiceServer::new(StreamGrpc::new(self.streams))),
                kensho_proto::FILE_DESCRIPTOR_SET,
                shutdown,
            )
            .await?;
        Ok(())
    }
}
