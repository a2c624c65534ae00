//! Building and running auth-svc: the same [`Application`] serves `main`, the all-in-one and
//! every test.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use kensho_crunchyroll::{CrunchyrollClient, CrunchyrollSettings};
use kensho_kit::Shutdown;
use kensho_kit::grpc::{GrpcServices, InternalSettings, Readiness};
use kensho_proto::auth::v1::auth_service_server::AuthServiceServer;
use kensho_telemetry::metrics::ServiceMetrics;
use tokio::net::TcpListener;

use crate::crypto::TokenCipher;
use crate::grpc::AuthGrpc;
use crate::keys::SigningKeys;
use crate::limits::LoginLimits;
use crate::local_keys;
use crate::sessions::{Lifetimes, Sessions};
use crate::settings::{AuthSettings, StoreBackend};
use crate::store::SessionStore;
use crate::store::redis::RedisSessionStore;
use crate::store::sqlite::SqliteSessionStore;

fn missing_keys(key: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "{key} must be configured with the redis session store: every replica must share the same \
         keys, and generated ones would not survive a restart"
    )
}

/// The admin port when `auth.admin.port` is unset (ARCHITECTURE §3: 9464 + 2).
pub const DEFAULT_ADMIN_PORT: u16 = 9466;

/// The name auth-svc's metrics and logs carry.
pub const SERVICE_NAME: &str = "auth-svc";

/// An auth-svc bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    settings: AuthSettings,
    sessions: Arc<Sessions>,
    internal: InternalSettings,
    admin_listener: TcpListener,
    metrics: ServiceMetrics,
}

impl Application {
    /// Reads the keys, opens the session store (SQLite under `data_dir`, or a lazy Redis pool),
    /// builds the Crunchyroll client and binds the gRPC port; calls will need the credential of
    /// `internal`.
    pub async fn build(
        settings: AuthSettings,
        crunchyroll: &CrunchyrollSettings,
        data_dir: &Path,
        internal: InternalSettings,
    ) -> anyhow::Result<Self> {
        // An embedded install without configured keys keeps generated ones in its data directory;
        // replicas of a distributed install must share configured keys.
        let local = (settings.store.backend == StoreBackend::Sqlite
            && (settings.signing_keys.is_empty() || settings.encryption_keys.is_empty()))
        .then(|| local_keys::load_or_create(data_dir))
        .transpose()?;
        let signing_settings = match (&local, settings.signing_keys.is_empty()) {
            (Some(local), true) => vec![local.signing.clone()],
            _ => settings.signing_keys.clone(),
        };
        let encryption_settings = match (&local, settings.encryption_keys.is_empty()) {
            (Some(local), true) => vec![local.encryption.clone()],
            _ => settings.encryption_keys.clone(),
        };
        // Only the Redis store gets here without keys: per-process keys would log everyone out
        // on every restart and split replicas, so it refuses to start instead.
        let signing_keys = SigningKeys::from_settings(&signing_settings)?
            .ok_or_else(|| missing_keys("auth.signing_keys"))?;
        let cipher = TokenCipher::from_settings(&encryption_settings)?
            .ok_or_else(|| missing_keys("auth.encryption_keys"))?;
        let metrics = ServiceMetrics::new(SERVICE_NAME);
        let store: Arc<dyn SessionStore> = match settings.store.backend {
            StoreBackend::Sqlite => {
                let path = data_dir.join(&settings.store.sqlite_file);
                Arc::new(SqliteSessionStore::open(&path).await?)
            }
            StoreBackend::Redis => {
                let redis_store = Arc::new(RedisSessionStore::new(&settings.store)?);
                let sampled_store = Arc::clone(&redis_store);
                metrics.add_sampler(move || sampled_store.record_pool_metrics());
                redis_store
            }
        };
        let client = CrunchyrollClient::new(crunchyroll.clone())?;
        let lifetimes = Lifetimes {
            access_token: Duration::from_secs(settings.access_token_ttl_seconds.max(1)),
            session_idle: Duration::from_secs(settings.session_idle_timeout_seconds.max(1)),
            upstream_refresh_margin: Duration::from_secs(crunchyroll.token_refresh_margin_seconds),
        };
        let sessions = Arc::new(Sessions::new(
            client,
            store,
            signing_keys,
            cipher,
            LoginLimits::new(&settings.login_limits),
            lifetimes,
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
            settings,
            sessions,
            internal,
            admin_listener,
            metrics,
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
        let drain_timeout = Duration::from_millis(self.settings.drain_timeout_ms);
        let readiness = Readiness::new();
        let admin = kensho_kit::admin::serve(
            self.admin_listener,
            self.metrics.clone(),
            readiness.clone(),
            &self.settings.admin,
            shutdown.clone(),
            drain_timeout,
            SERVICE_NAME,
        );
        let grpc = kensho_kit::grpc::serve(
            GrpcServices::new()
                .add_service(AuthServiceServer::new(AuthGrpc::new(self.sessions)))
                .with_metrics(self.metrics)
                .with_readiness(readiness),
            kensho_proto::FILE_DESCRIPTOR_SET,
            &self.internal,
            self.listener,
            shutdown,
            drain_timeout,
            SERVICE_NAME,
        );
        kensho_kit::admin::alongside(grpc, admin).await?;
        Ok(())
    }
}
