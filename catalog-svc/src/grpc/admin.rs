//! The admin calls: start a Crunchyroll sync, read the latest run.

use std::sync::Arc;

use kensho_kit::time::to_timestamp;
use kensho_proto::catalog::v1 as pb;

use crate::error::CatalogError;
use crate::store::{CatalogStore, SyncRun};
use crate::sync::{CatalogSync, SyncError};

pub(super) async fn start_sync(
    sync: Option<&Arc<CatalogSync>>,
) -> Result<pb::StartSyncResponse, CatalogError> {
    let sync = sync.ok_or_else(|| {
        CatalogError::SyncUnavailable(
            "sync is not configured: set crunchyroll.client_id and catalog.sync.enabled".to_owned(),
        )
    })?;
    match sync.start().await {
        Ok((run, _task)) => Ok(pb::StartSyncResponse { run_id: run.id }),
        Err(SyncError::AlreadyRunning) => Err(CatalogError::SyncUnavailable(
            "a sync is already running".to_owned(),
        )),
        Err(SyncError::Store(error)) => Err(CatalogError::Store(error)),
        Err(other) => Err(CatalogError::SyncUnavailable(other.to_string())),
    }
}

pub(super) async fn sync_status(store: &dyn CatalogStore) -> Result<pb::SyncStatus, CatalogError> {
    let run = store.latest_sync_run().await?;
    Ok(run.map(status_message).unwrap_or_default())
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
