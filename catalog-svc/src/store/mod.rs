//! Catalog storage: one trait, [`CatalogStore`], and its SQL implementation with two backends,
//! SQLite (embedded, the default) and PostgreSQL, chosen by the database URL.
//!
//! Both backends share the schema's shape and every statement, run through one executor
//! (`database/`): rusqlite on a small blocking pool for SQLite, sqlx for PostgreSQL. Migrations
//! are applied at start.
//! Search is not a store query: the store hands the search index (`crate::search`) the titles and
//! synonyms of the anime changed since a point in time. One contract test suite (`contract_tests/`) runs against both.

mod batch;
mod by_source;
#[cfg(test)]
mod contract_tests;
mod database;
mod index_facets;
mod list;
mod model;
mod postgres;
mod rows;
mod search_source;
mod seasons;
mod settings;
mod sql;
mod sqlite;
mod sync_state;
#[cfg(test)]
mod throughput;
mod write;

pub use index_facets::IndexFacets;
pub use list::ListedAnime;
pub use model::{
    AnimeDetail, AnimeRecord, AnimeSummary, Episode, Relation, RelationChanges, Score, Tag,
    TagCount, UpsertOutcome,
};
pub use search_source::IndexedAnime;
pub use seasons::SeasonCount;
pub use settings::DatabaseSettings;
pub use sql::{Backend, SqlCatalogStore};
pub use sync_state::{COMPLETED, FAILED, SeasonMapping, SyncRun, SyncedEpisode};

use async_trait::async_trait;

use crate::domain::{AnimeFilter, AnimeId, AnimeSort, ListPosition, Page, TagCategory};

/// A storage failure: the cause is logged, never shown to clients.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed a statement, or could not be reached.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// The embedded database refused or failed a statement.
    #[error("database error")]
    Sqlite(#[from] rusqlite::Error),
    /// No pooled connection became free within the acquire timeout.
    #[error("no database connection became free in time")]
    PoolTimedOut,
    /// The store was closed.
    #[error("the database pool is closed")]
    PoolClosed,
    /// The thread running a statement stopped before answering.
    #[error("the database worker stopped")]
    WorkerLost,
    /// A statement names a placeholder it was given no value for.
    #[error("statement {summary} has no value for ${number}")]
    MissingParameter {
        /// The statement.
        summary: &'static str,
        /// The placeholder's number.
        number: usize,
    },
    /// A column is missing or holds another type than the model expects.
    #[error("column {column} holds {found}, expected {expected}")]
    Decode {
        /// The column.
        column: String,
        /// The type the model reads.
        expected: &'static str,
        /// What the column holds.
        found: String,
    },
    /// A migration failed at start.
    #[error("database migration failed")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Stored data does not fit the model (for example an unknown enum name).
    #[error("corrupt stored value in {column}: {value}")]
    Corrupt {
        /// The column holding the value.
        column: &'static str,
        /// The value read.
        value: String,
    },
    /// A time has no stored form (a year outside 0 to 9999).
    #[error("the time cannot be stored")]
    Time(#[from] kensho_kit::time::TimeError),
    /// The database URL names no supported backend.
    #[error("unsupported database url scheme `{0}` (expected sqlite: or postgres:)")]
    UnsupportedUrl(String),
    /// The file (or the data directory) of an embedded database cannot be created.
    #[error("cannot create the database file {path}")]
    DataDirectory {
        /// The file.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    /// Whether the server ended the connection under the statement (it was terminated or
    /// restarted, or the socket broke), so the statement may succeed on another connection.
    pub fn is_lost_connection(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Io(_)) => true,
            StoreError::Database(sqlx::Error::Database(error)) => {
                // admin_shutdown, crash_shutdown, cannot_connect_now: class 57 "operator intervention".
                error.code().is_some_and(|code| code.starts_with("57P"))
            }
            _ => false,
        }
    }
}

/// What catalog-svc needs from storage.
#[async_trait]
pub trait CatalogStore: Send + Sync + 'static {
    /// Which backend this is, for logs and readiness.
    fn backend(&self) -> Backend;

    /// Number of anime in the catalog.
    async fn anime_count(&self) -> Result<u64, StoreError>;

    /// One anime with synonyms, sources, tags and resolved relations.
    async fn get_anime(&self, id: &AnimeId) -> Result<Option<AnimeDetail>, StoreError>;

    /// The anime listing one of `urls` among its sources, if any.
    async fn anime_id_by_source(&self, urls: &[String]) -> Result<Option<AnimeId>, StoreError>;

    /// Summaries of the given anime, in no particular order; unknown ids are left out.
    async fn anime_summaries(&self, ids: &[AnimeId]) -> Result<Vec<AnimeSummary>, StoreError>;

    /// Episodes of an anime by number, `page.fetch_limit()` rows from the page start; `None` when
    /// the anime does not exist.
    async fn list_episodes(
        &self,
        id: &AnimeId,
        page: Page,
    ) -> Result<Option<Vec<Episode>>, StoreError>;

    /// Every anime written at or after `changed_since_ms` (Unix milliseconds) with its
    /// normalised title and synonyms: what the search index is built and caught up from.
    async fn indexed_anime_since(
        &self,
        changed_since_ms: i64,
    ) -> Result<Vec<IndexedAnime>, StoreError>;

    /// Up to `limit` anime passing `filter`, in `sort` order (ties by ascending id), starting
    /// strictly after `after` when given.
    async fn list_anime(
        &self,
        filter: &AnimeFilter,
        sort: AnimeSort,
        after: Option<&ListPosition>,
        limit: u64,
    ) -> Result<Vec<ListedAnime>, StoreError>;

    /// Every year and season with at least one anime and how many, newest first.
    async fn season_counts(&self) -> Result<Vec<SeasonCount>, StoreError>;

    /// Up to `limit` tags ordered by name, with how many anime carry them, starting after the
    /// tag named `after` when given.
    async fn list_tags(
        &self,
        category: Option<TagCategory>,
        after: Option<&str>,
        limit: u64,
    ) -> Result<Vec<TagCount>, StoreError>;

    /// Inserts or updates anime in order, many per transaction with a savepoint per record: a
    /// record the database refuses is rolled back alone and its error returned in its place,
    /// while the others are written. A record's id comes from the first of its sources already
    /// stored, else it is derived from the sources. An unchanged record writes nothing. The
    /// outer error means the batch could not be written at all.
    async fn upsert_anime_batch(
        &self,
        records: &[AnimeRecord],
    ) -> Result<Vec<Result<(AnimeId, UpsertOutcome), StoreError>>, StoreError>;

    /// Turns stored relation links (source URLs) into relations between stored anime, adding
    /// the missing ones and removing the stale ones.
    async fn resolve_relations(&self) -> Result<RelationChanges, StoreError>;

    /// Refreshes the query planner's statistics after a bulk change such as an import.
    async fn refresh_statistics(&self) -> Result<(), StoreError>;

    /// Anime with this normalised title or synonym, with their start year.
    async fn anime_with_title(
        &self,
        normalized_title: &str,
    ) -> Result<Vec<(AnimeId, Option<u32>)>, StoreError>;

    /// Records a Crunchyroll season's mapping and writes its episodes in one transaction;
    /// returns how many episodes were inserted or changed.
    async fn apply_crunchyroll_season(&self, mapping: &SeasonMapping) -> Result<u64, StoreError>;

    /// Resumes the latest sync run if it did not complete, else starts a new one.
    async fn begin_sync_run(&self) -> Result<SyncRun, StoreError>;

    /// Saves a sync run's progress and status.
    async fn save_sync_run(&self, run: &SyncRun) -> Result<(), StoreError>;

    /// The latest sync run, if any.
    async fn latest_sync_run(&self) -> Result<Option<SyncRun>, StoreError>;
}
