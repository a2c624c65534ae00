//! The Crunchyroll sync: lists Crunchyroll's series, matches their seasons to catalog anime, and
//! stores the matched seasons' Crunchyroll ids and episodes.
//!
//! Series are processed in ascending id order, a few at a time; after each batch the run records
//! the last series fully written, so a run cut short (an upstream outage, a restart) resumes
//! there. Writes skip unchanged rows, so a repeated sync changes nothing. One run at a time.

mod matching;
mod settings;
#[cfg(test)]
mod tests;

pub use settings::SyncSettings;

use std::sync::Arc;

use futures_util::future::join_all;
use kensho_crunchyroll::content::model::{Episode, Images, Season};
use kensho_crunchyroll::content::{BrowseQuery, BrowseSort};
use kensho_crunchyroll::{CrunchyrollClient, CrunchyrollError, CrunchyrollSettings, TokenManager};
use tokio::sync::{Mutex, OwnedMutexGuard};
use tokio::task::JoinHandle;

use crate::search::normalize;
use crate::store::{
    COMPLETED, CatalogStore, FAILED, SeasonMapping, StoreError, SyncRun, SyncedEpisode,
};

/// Why a sync could not run or stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// A sync is already running.
    #[error("a sync is already running")]
    AlreadyRunning,
    /// Crunchyroll failed; the run resumes from its last batch next time.
    #[error("crunchyroll failed during the sync: {0}")]
    Crunchyroll(#[from] CrunchyrollError),
    /// Storage failed.
    #[error("storage failed during the sync")]
    Store(#[from] StoreError),
    /// The sync task itself failed.
    #[error("the sync task stopped unexpectedly")]
    Task,
}

/// What one series contributed.
#[derive(Default)]
struct SeriesOutcome {
    seasons_matched: u64,
    episodes_written: u64,
}

/// The sync of one catalog with one Crunchyroll.
pub struct CatalogSync {
    store: Arc<dyn CatalogStore>,
    client: CrunchyrollClient,
    auth: TokenManager,
    settings: SyncSettings,
    running: Arc<Mutex<()>>,
}

impl CatalogSync {
    /// A sync of `store` with the configured Crunchyroll, as an anonymous client.
    pub fn new(
        store: Arc<dyn CatalogStore>,
        crunchyroll: &CrunchyrollSettings,
        settings: SyncSettings,
    ) -> Result<Arc<Self>, CrunchyrollError> {
        let client = CrunchyrollClient::new(crunchyroll.clone())?;
        let auth = TokenManager::anonymous(client.clone());
        Ok(Arc::new(CatalogSync {
            store,
            client,
            auth,
            settings,
            running: Arc::new(Mutex::new(())),
        }))
    }

    /// The Crunchyroll client the sync calls (its breakers are health dependencies).
    pub fn client(&self) -> &CrunchyrollClient {
        &self.client
    }

    /// The settings.
    pub fn settings(&self) -> &SyncSettings {
        &self.settings
    }

    /// Starts (or resumes) a run in the background; returns it and the task finishing it.
    pub async fn start(
        self: &Arc<Self>,
    ) -> Result<(SyncRun, JoinHandle<Result<SyncRun, SyncError>>), SyncError> {
        let guard = Arc::clone(&self.running)
            .try_lock_owned()
            .map_err(|_| SyncError::AlreadyRunning)?;
        let run = self.store.begin_sync_run().await?;
        tracing::info!(run_id = run.id, resumed = run.resumed, cursor = %run.cursor, "crunchyroll sync started");
        let sync = Arc::clone(self);
        let started = run.clone();
        // The run outlives the call that started it; its upstream metrics belong to this service.
        let task = tokio::spawn(kensho_telemetry::metrics::in_current_scope(async move {
            sync.finish(run, guard).await
        }));
        Ok((started, task))
    }

    /// Runs (or resumes) a sync to its end.
    pub async fn run(self: &Arc<Self>) -> Result<SyncRun, SyncError> {
        let (_, task) = self.start().await?;
        task.await.map_err(|_| SyncError::Task)?
    }

    async fn finish(
        &self,
        mut run: SyncRun,
        _guard: OwnedMutexGuard<()>,
    ) -> Result<SyncRun, SyncError> {
        let outcome = self.process(&mut run).await;
        match &outcome {
            Ok(()) => run.status = COMPLETED.to_owned(),
            Err(error) => {
                run.status = FAILED.to_owned();
                run.error = error.to_string();
            }
        }
        self.store.save_sync_run(&run).await?;
        match outcome {
            Ok(()) => {
                tracing::info!(
                    run_id = run.id,
                    series = run.series_processed,
                    seasons_matched = run.seasons_matched,
                    episodes_written = run.episodes_written,
                    "crunchyroll sync completed"
                );
                Ok(run)
            }
            Err(error) => {
                tracing::warn!(run_id = run.id, cursor = %run.cursor, %error, "crunchyroll sync stopped, it resumes next time");
                Err(error)
            }
        }
    }

    async fn process(&self, run: &mut SyncRun) -> Result<(), SyncError> {
        let mut series_ids = self.all_series_ids().await?;
        series_ids.sort();
        series_ids.dedup();
        let pending: Vec<String> = series_ids
            .into_iter()
            .filter(|id| run.cursor.is_empty() || id.as_str() > run.cursor.as_str())
            .collect();
        for batch in pending.chunks(self.settings.concurrency.max(1)) {
            let outcomes = self.sync_batch(batch).await?;
            for outcome in outcomes {
                run.seasons_matched += outcome.seasons_matched;
                run.episodes_written += outcome.episodes_written;
            }
            run.series_processed += batch.len() as u64;
            if let Some(last) = batch.last() {
                run.cursor = last.clone();
            }
            self.store.save_sync_run(run).await?;
        }
        Ok(())
    }

    /// Syncs a batch of series concurrently; fails if any fails, after all have finished.
    async fn sync_batch(&self, batch: &[String]) -> Result<Vec<SeriesOutcome>, SyncError> {
        let outcomes = batch.iter().map(|series_id| self.sync_series(series_id));
        let mut results = Vec::with_capacity(batch.len());
        for result in join_all(outcomes).await {
            results.push(result?);
        }
        Ok(results)
    }

    async fn all_series_ids(&self) -> Result<Vec<String>, SyncError> {
        let mut ids = Vec::new();
        let mut query = BrowseQuery {
            sort: BrowseSort::Alphabetical,
            kind: Some("series".to_owned()),
            page_size: self.settings.page_size.max(1),
            ..BrowseQuery::default()
        };
        loop {
            let page = self.client.browse(&self.auth, &query).await?;
            let fetched = page.data.len() as u32;
            ids.extend(page.data.into_iter().map(|panel| panel.id));
            query.start += fetched;
            if fetched == 0 || u64::from(query.start) >= page.total {
                return Ok(ids);
            }
        }
    }

    async fn sync_series(&self, series_id: &str) -> Result<SeriesOutcome, SyncError> {
        let mut outcome = SeriesOutcome::default();
        for season in self.client.seasons(&self.auth, series_id).await? {
            let candidates = self
                .store
                .anime_with_title(&normalize(&season.title))
                .await?;
            let Some(anime_id) = matching::pick(&candidates, matching::season_year(&season)) else {
                continue;
            };
            let episodes = self.client.episodes(&self.auth, &season.id).await?;
            let mapping = season_mapping(anime_id, series_id, &season, &episodes);
            outcome.episodes_written += self.store.apply_crunchyroll_season(&mapping).await?;
            outcome.seasons_matched += 1;
        }
        Ok(outcome)
    }
}

fn season_mapping(
    anime_id: crate::domain::AnimeId,
    series_id: &str,
    season: &Season,
    episodes: &[Episode],
) -> SeasonMapping {
    SeasonMapping {
        anime_id,
        series_id: series_id.to_owned(),
        season_id: season.id.clone(),
        episodes: episodes
            .iter()
            .filter_map(|episode| {
                Some(SyncedEpisode {
                    number: episode.episode_number?,
                    crunchyroll_id: episode.id.clone(),
                    title: episode.title.clone(),
                    duration_seconds: u32::try_from(episode.duration_ms / 1000)
                        .ok()
                        .filter(|seconds| *seconds > 0),
                    // `Date` displays as `YYYY-MM-DD`, the stored form.
                    air_date: episode.air_date().map(|date| date.to_string()),
                    synopsis: episode.description.clone(),
                    thumbnail: Images::largest(&episode.images.thumbnail)
                        .map(|image| image.source.clone())
                        .unwrap_or_default(),
                })
            })
            .collect(),
    }
}
