//! Building and running catalog-svc: the same [`Application`] serves `main`, the all-in-one and
//! every test.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kensho_cache::CacheHub;
use kensho_crunchyroll::{CrunchyrollSettings, Host};
use kensho_kit::Shutdown;
use kensho_kit::admin::AdminSettings;
use kensho_kit::grpc::{InternalSettings, ServiceProcess};
use kensho_kit::health::{Dependency, HealthMonitor, Requirement};
use kensho_telemetry::metrics::ServiceMetrics;
use tokio::net::TcpListener;

use crate::catalog::Catalog;
use crate::domain::CursorKey;
use crate::grpc::cached::CachedCatalog;
use crate::import::{CatalogFormat, Progress, import_bytes, import_file};
use crate::search::SearchIndex;
use crate::settings::CatalogSettings;
use crate::store::{CatalogStore, SqlCatalogStore};
use crate::sync::CatalogSync;

/// The sample catalog shipped with Kensho, loaded into an empty database by default.
/// The admin port when `catalog.admin.port` is unset (ARCHITECTURE §3: 9464 + 1).
pub const DEFAULT_ADMIN_PORT: u16 = 9465;

/// The name catalog-svc's metrics and logs carry.
pub const SERVICE_NAME: &str = "catalog-svc";

pub(crate) const SAMPLE_CATALOG: &[u8] = include_bytes!("../../data/sample-catalog.json");

/// A catalog-svc bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    /// Kept to close its connections once the server has drained.
    store: Arc<SqlCatalogStore>,
    catalog: Arc<Catalog>,
    /// The search index, caught up with the database every `index_refresh`.
    index: Arc<SearchIndex>,
    index_refresh: Option<Duration>,
    index_build_time: Duration,
    /// The read caches and the hub that carries their invalidations.
    cached: Arc<CachedCatalog>,
    cache_hub: Arc<CacheHub>,
    /// When and what to load into the caches ahead of clients.
    warming: crate::grpc::warming::WarmingSettings,
    /// Kept to schedule runs; the catalog holds it too, for the admin calls.
    sync: Option<Arc<CatalogSync>>,
    internal: InternalSettings,
    drain_timeout: Duration,
    admin_listener: TcpListener,
    admin: AdminSettings,
    metrics: ServiceMetrics,
    health: HealthMonitor,
}

impl Application {
    /// Connects and migrates the store, seeds an empty catalog, builds the search index from it,
    /// prepares the Crunchyroll sync
    /// (when enabled and credentials are configured), and binds the gRPC port; calls will need
    /// the credentials of `internal`.
    pub async fn build(
        settings: CatalogSettings,
        crunchyroll: &CrunchyrollSettings,
        data_dir: &Path,
        internal: InternalSettings,
    ) -> anyhow::Result<Self> {
        let store = Arc::new(settings.database.connect(data_dir).await?);
        tracing::info!(backend = store.backend().as_str(), "catalog storage ready");
        if settings.seed.on_empty && store.anime_count().await? == 0 {
            seed(store.as_ref(), settings.seed.file.as_deref()).await?;
        }
        let index = Arc::new(SearchIndex::open(&settings.search, data_dir)?);
        let index_build_started = Instant::now();
        index.catch_up(store.as_ref()).await?;
        let index_build_time = index_build_started.elapsed();
        let sync = if !settings.sync.enabled {
            None
        } else if !crunchyroll.has_credentials() {
            tracing::info!("crunchyroll sync disabled: no crunchyroll.client_id configured");
            None
        } else {
            let shared: Arc<dyn CatalogStore> = store.clone();
            Some(CatalogSync::new(
                shared,
                crunchyroll,
                settings.sync.clone(),
            )?)
        };
        let listener = TcpListener::bind((settings.host.as_str(), settings.port)).await?;
        let address = listener.local_addr()?;
        let admin_listener = settings
            .admin
            .bind(DEFAULT_ADMIN_PORT, settings.port)
            .await?;
        let metrics = ServiceMetrics::new(SERVICE_NAME);
        let sampled_store = Arc::clone(&store);
        metrics.add_sampler(move || sampled_store.record_pool_metrics());
        let shared_store: Arc<dyn CatalogStore> = store.clone();
        let configured_key = settings
            .cursor_key
            .as_ref()
            .filter(|key| !key.expose().is_empty());
        let cursor_key = match configured_key {
            Some(configured) => CursorKey::from_secret(configured),
            None => {
                tracing::info!(
                    "no catalog.cursor_key configured: list cursors hold for this process only"
                );
                CursorKey::generate()?
            }
        };
        let catalog = Arc::new(
            Catalog::new(shared_store, Arc::clone(&index), cursor_key, sync.clone())
                .with_franchise_limit(settings.search.max_franchise_anime),
        );
        let cache_hub = CacheHub::new(&settings.cache.redis)?;
        if let Some(l2) = cache_hub.l2() {
            let sampled_l2 = Arc::clone(l2);
            metrics.add_sampler(move || sampled_l2.record_pool_metrics());
        }
        let cached =
            Arc::new(CachedCatalog::new(Arc::clone(&catalog), &cache_hub, &settings.cache).await);
        let health = HealthMonitor::new(
            settings.health.clone(),
            dependencies(&store, &cache_hub, sync.as_deref()),
        );
        Ok(Application {
            health,
            listener,
            address,
            store,
            catalog,
            index,
            index_refresh: (settings.search.refresh_interval_ms > 0)
                .then(|| Duration::from_millis(settings.search.refresh_interval_ms)),
            index_build_time,
            cached,
            cache_hub,
            warming: settings.cache.warming.clone(),
            sync,
            internal,
            drain_timeout: Duration::from_millis(settings.drain_timeout_ms),
            admin_listener,
            admin: settings.admin,
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

    /// How long building the search index from the database took at start.
    pub fn search_index_build_time(&self) -> Duration {
        self.index_build_time
    }

    /// The hub every invalidation of this process passes through (to subscribe more caches in
    /// the same process, such as the all-in-one's edge cache).
    pub fn cache_hub(&self) -> &Arc<CacheHub> {
        &self.cache_hub
    }

    /// The service's metrics registry (`main` also makes it the global recorder).
    pub fn metrics(&self) -> &ServiceMetrics {
        &self.metrics
    }

    /// Serves gRPC (catalog, catalog admin, health and, when enabled, reflection) until
    /// `shutdown` fires, then drains.
    pub async fn run_until_stopped(self, shutdown: Shutdown) -> anyhow::Result<()> {
        self.cache_hub.spawn_listener(shutdown.clone());
        let follower = IndexFollower {
            index: Arc::clone(&self.index),
            store: self.store.clone(),
            cached: Arc::clone(&self.cached),
        };
        if let Some(interval) = self.index_refresh {
            let follow = follower.clone().follow_every(interval, shutdown.clone());
            tokio::spawn(self.metrics.scope(follow));
        }
        let warming = crate::grpc::warm_caches(
            Arc::clone(&self.catalog),
            Arc::clone(&self.cached),
            self.warming.clone(),
            shutdown.clone(),
        );
        tokio::spawn(self.metrics.scope(warming));
        if let Some(sync) = &self.sync {
            let syncs = schedule_syncs(Arc::clone(sync), follower, shutdown.clone());
            tokio::spawn(self.metrics.scope(syncs));
        }
        let process = ServiceProcess {
            name: SERVICE_NAME,
            listener: self.listener,
            admin_listener: self.admin_listener,
            admin: &self.admin,
            internal: &self.internal,
            metrics: self.metrics,
            drain_timeout: self.drain_timeout,
            health: self.health,
        };
        process
            .run(
                crate::grpc::services(self.catalog, self.cached),
                kensho_proto::FILE_DESCRIPTOR_SET,
                shutdown,
            )
            .await?;
        self.store.close().await;
        Ok(())
    }
}

/// What catalog-svc needs to serve: its database (required), Redis when L2 is configured
/// (optional: L1 and the database cover it), and Crunchyroll's breaker when the sync runs.
fn dependencies(
    store: &Arc<SqlCatalogStore>,
    cache_hub: &CacheHub,
    sync: Option<&CatalogSync>,
) -> Vec<Dependency> {
    let database = Arc::clone(store);
    let mut dependencies = vec![Dependency::new(
        "database",
        Requirement::Required,
        move || {
            let database = Arc::clone(&database);
            async move { database.ping().await.map_err(|error| error.to_string()) }
        },
    )];
    if let Some(l2) = cache_hub.l2() {
        let l2 = Arc::clone(l2);
        dependencies.push(Dependency::new("redis", Requirement::Optional, move || {
            let l2 = Arc::clone(&l2);
            async move { l2.ping().await }
        }));
    }
    if let Some(sync) = sync {
        let upstream = sync.client().upstream(Host::Api).clone();
        dependencies.push(Dependency::breaker("crunchyroll", upstream));
    }
    dependencies
}

/// Keeps the search index following the database, and the cached searches following the index.
#[derive(Clone)]
struct IndexFollower {
    index: Arc<SearchIndex>,
    store: Arc<SqlCatalogStore>,
    cached: Arc<CachedCatalog>,
}

impl IndexFollower {
    /// Catches the index up; when that changed it, cached searches are dropped everywhere.
    async fn catch_up(&self) {
        match self.index.catch_up(self.store.as_ref()).await {
            Ok(0) => {}
            Ok(_) => self.cached.invalidate_searches().await,
            // The next catch-up reads the same changes again.
            Err(error) => tracing::warn!(%error, "search index catch-up failed"),
        }
    }

    /// Catches up every `interval` until shutdown: picks up what other processes and replicas
    /// wrote (an import command, another replica's import).
    async fn follow_every(self, interval: Duration, shutdown: Shutdown) {
        loop {
            tokio::select! {
                () = tokio::time::sleep(interval) => self.catch_up().await,
                () = shutdown.wait() => return,
            }
        }
    }
}

/// Runs the sync at start (if configured) and then every interval, until shutdown; a run that
/// wrote anything drops the cached reads everywhere and catches the search index up.
async fn schedule_syncs(sync: Arc<CatalogSync>, follower: IndexFollower, shutdown: Shutdown) {
    let interval = Duration::from_secs(sync.settings().interval_seconds.max(1));
    let mut run_now = sync.settings().on_start;
    loop {
        if run_now {
            // Failures are logged by the sync and resumed by the next run.
            if let Ok(run) = sync.run().await
                && run.episodes_written > 0
            {
                follower.cached.invalidate_all().await;
                follower.catch_up().await;
            }
        }
        run_now = true;
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            () = shutdown.wait() => return,
        }
    }
}

async fn seed(store: &dyn CatalogStore, file: Option<&Path>) -> anyhow::Result<()> {
    let report = match file {
        Some(path) => import_file(store, path, Progress::Hidden).await?,
        None => import_bytes(store, SAMPLE_CATALOG, CatalogFormat::Json, Progress::Hidden).await?,
    };
    let source = file.map_or_else(|| PathBuf::from("built-in sample"), Path::to_path_buf);
    tracing::info!(
        source = %source.display(),
        inserted = report.inserted,
        rejected = report.rejected.len(),
        relations = report.relations.added,
        "empty catalog seeded"
    );
    Ok(())
}
