//! Building and running catalog-svc: the same [`Application`] serves `main`, the all-in-one and
//! every test.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use kensho_kit::Shutdown;
use kensho_proto::catalog::v1::catalog_service_server::CatalogServiceServer;
use tokio::net::TcpListener;

use crate::grpc::CatalogGrpc;
use crate::import::{CatalogFormat, Progress, import_bytes, import_file};
use crate::settings::CatalogSettings;
use crate::store::{CatalogStore, SqlCatalogStore};

/// The sample catalog shipped with Kensho, loaded into an empty database by default.
pub const SAMPLE_CATALOG: &[u8] = include_bytes!("../../data/sample-catalog.json");

/// A catalog-svc bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    store: Arc<SqlCatalogStore>,
    settings: CatalogSettings,
}

impl Application {
    /// Connects and migrates the store, seeds an empty catalog, and binds the gRPC port.
    pub async fn build(settings: CatalogSettings, data_dir: &Path) -> anyhow::Result<Self> {
        let store = Arc::new(settings.database.connect(data_dir).await?);
        tracing::info!(backend = store.backend().as_str(), "catalog storage ready");
        if settings.seed.on_empty && store.anime_count().await? == 0 {
            seed(store.as_ref(), settings.seed.file.as_deref()).await?;
        }
        let listener = TcpListener::bind((settings.host.as_str(), settings.port)).await?;
        let address = listener.local_addr()?;
        Ok(Application {
            listener,
            address,
            store,
            settings,
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

    /// The store, for tools and tests that share the service's database.
    pub fn store(&self) -> Arc<SqlCatalogStore> {
        Arc::clone(&self.store)
    }

    /// Serves gRPC (catalog, health, reflection) until `shutdown` fires, then drains.
    pub async fn run_until_stopped(self, shutdown: Shutdown) -> anyhow::Result<()> {
        let catalog = CatalogGrpc::new(self.store.clone(), self.settings.search.max_candidates);
        kensho_kit::grpc::serve(
            CatalogServiceServer::new(catalog),
            kensho_proto::FILE_DESCRIPTOR_SET,
            self.listener,
            shutdown,
            Duration::from_millis(self.settings.drain_timeout_ms),
            "catalog-svc",
        )
        .await?;
        self.store.close().await;
        Ok(())
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
