//! `kensho.catalog.v1.CatalogAdminService`: start a Crunchyroll sync, read the latest run.

use std::sync::Arc;

use kensho_kit::time::to_timestamp;
use kensho_proto::catalog::v1 as pb;
use kensho_proto::catalog::v1::catalog_admin_service_server::CatalogAdminService;
use tonic::{Request, Response, Status};

use super::cached::CachedCatalog;
use crate::catalog::Catalog;
use crate::store::SyncRun;

/// The admin gRPC service over a catalog; a sync it started that wrote anything drops the cached
/// reads everywhere when it ends, as a scheduled one does.
#[derive(Clone)]
pub(super) struct CatalogAdminGrpc {
    catalog: Arc<Catalog>,
    cached: Arc<CachedCatalog>,
}

impl CatalogAdminGrpc {
    pub(super) fn new(catalog: Arc<Catalog>, cached: Arc<CachedCatalog>) -> Self {
        CatalogAdminGrpc { catalog, cached }
    }
}

#[tonic::async_trait]
impl CatalogAdminService for CatalogAdminGrpc {
    #[tracing::instrument(skip_all)]
    async fn start_sync(
        &self,
        _request: Request<pb::StartSyncRequest>,
    ) -> Result<Response<pb::StartSyncResponse>, Status> {
        let (run, task) = self.catalog.start_sync().await?;
        let cached = Arc::clone(&self.cached);
        tokio::spawn(async move {
            // A failed run is logged by the sync and resumed by the next one.
            if let Ok(Ok(finished)) = task.await
                && finished.episodes_written > 0
            {
                cached.invalidate_all().await;
            }
        });
        Ok(Response::new(pb::StartSyncResponse { run_id: run.id }))
    }

    #[tracing::instrument(skip_all)]
    async fn get_sync_status(
        &self,
        _request: Request<pb::GetSyncStatusRequest>,
    ) -> Result<Response<pb::SyncStatus>, Status> {
        let status = self
            .catalog
            .latest_sync()
            .await?
            .map(status_message)
            .unwrap_or_default();
        Ok(Response::new(status))
    }
}

/// The status of a run; with no run at all, the default message says so (`run_id` 0).
fn status_message(run: SyncRun) -> pb::SyncStatus {
    let count = |value: u64| u32::try_from(value).unwrap_or(u32::MAX);
    pb::SyncStatus {
        run_id: run.id,
        status: run.status,
        started_at: Some(to_timestamp(run.started_at)),
        finished_at: run.finished_at.map(to_timestamp),
        series_processed: count(run.series_processed),
        seasons_matched: count(run.seasons_matched),
        episodes_written: count(run.episodes_written),
        error: run.error,
    }
}
