//! Building and running auth-svc: the same [`Application`] serves `main`, the all-in-one and
//! every test.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use kensho_crunchyroll::{CrunchyrollClient, CrunchyrollSettings, Host};
use kensho_jwt::TokenSettings;
use kensho_kit::Shutdown;
use kensho_kit::grpc::{GrpcServices, InternalSettings, ServiceProcess};
use kensho_kit::health::{Dependency, HealthMonitor, Requirement};
use kensho_proto::auth::v1::auth_service_server::AuthServiceServer;
use kensho_telemetry::metrics::ServiceMetrics;
use tokio::net::TcpListener;

use crate::crypto::TokenCipher;
use crate::grpc::AuthGrpc;
use crate::keys::{AccessTokens, SigningKeys};
use crate::limits::LoginLimits;
use crate::local_keys;
use crate::sessions::{EndedSessions, Lifetimes, Sessions};
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
    health: HealthMonitor,
}

impl Application {
    /// Reads the keys, opens the session store (SQLite under `data_dir`, or a lazy Redis pool),
    /// builds the Crunchyroll client and binds the gRPC port; calls will need the credential of
    /// `internal`, and access tokens name the deployment of `tokens`.
    pub async fn build(
        settings: AuthSettings,
        crunchyroll: &CrunchyrollSettings,
        data_dir: &Path,
        internal: InternalSettings,
        tokens: TokenSettings,
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
        let health = HealthMonitor::new(
            settings.health.clone(),
            dependencies(&settings, &store, &client),
        );
        let lifetimes = Lifetimes {
            access_token: Duration::from_secs(settings.access_token_ttl_seconds.max(1)),
            session_idle: Duration::from_secs(settings.session_idle_timeout_seconds.max(1)),
            upstream_refresh_margin: Duration::from_secs(crunchyroll.token_refresh_margin_seconds),
        };
        let sessions = Arc::new(Sessions::new(
            client,
            store,
            AccessTokens::new(signing_keys, tokens),
            EndedSessions::new(settings.ended_sessions_max_entries, lifetimes.access_token),
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
                    .add_service(AuthServiceServer::new(AuthGrpc::new(self.sessions))),
                kensho_proto::FILE_DESCRIPTOR_SET,
                shutdown,
            )
            .await?;
        Ok(())
    }
}

/// What auth-svc needs to serve: its session store (required: sessions live nowhere else; named
/// `redis` or `database` after its backend) and Crunchyroll's breaker (optional).
fn dependencies(
    settings: &AuthSettings,
    store: &Arc<dyn SessionStore>,
    client: &CrunchyrollClient,
) -> Vec<Dependency> {
    let store_name = match settings.store.backend {
        StoreBackend::Redis => "redis",
        StoreBackend::Sqlite => "database",
    };
    let sessions = Arc::clone(store);
    vec![
        Dependency::new(store_name, Requirement::Required, move || {
            let sessions = Arc::clone(&sessions);
            async move { sessions.ping().await.map_err(|error| error.to_string()) }
        }),
        Dependency::breaker("crunchyroll", client.upstream(Host::Api).clone()),
    ]
}
