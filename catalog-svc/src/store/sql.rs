//! The SQL implementation of [`CatalogStore`], over sqlx's `Any` driver so one body of statements
//! serves both backends; the few backend-specific parts (connecting, migrations) live in
//! `sqlite.rs` and `postgres.rs`.

use std::collections::HashMap;
use std::time::Duration;

use async_trait::async_trait;
use kensho_telemetry::database::DatabaseTarget;
use kensho_telemetry::metrics::names::{DB_POOL_CONNECTIONS, DB_POOL_MAX_CONNECTIONS};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, AssertSqlSafe, Row};
use tracing::Instrument;

use super::rows::{EpisodeRow, SummaryRow, TagCountRow, summary_columns};
use super::{
    AnimeDetail, AnimeRecord, AnimeSummary, CatalogStore, Episode, IndexedAnime, ListedAnime,
    Relation, RelationChanges, SeasonCount, SeasonMapping, StoreError, SyncRun, Tag, TagCount,
    UpsertOutcome, index_facets, postgres, search_source, sqlite, sync_state, write,
};
use crate::domain::{
    AnimeFilter, AnimeId, AnimeSort, ListPosition, Page, RelationKind, TagCategory,
};

/// The database behind a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend a database URL names.
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            _ => Err(StoreError::UnsupportedUrl(scheme.to_owned())),
        }
    }

    /// A short name for logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A catalog in a SQL database.
#[derive(Clone, Debug)]
pub struct SqlCatalogStore {
    pub(super) pool: AnyPool,
    pub(super) backend: Backend,
    /// What every statement span says about the database.
    pub(super) database: DatabaseTarget,
}

impl SqlCatalogStore {
    /// Connects to the database at `url`, creating an embedded file when needed, and applies the
    /// backend's migrations.
    pub async fn connect(
        url: &str,
        max_connections: u32,
        acquire_timeout: Duration,
    ) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let options = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(acquire_timeout);
        let (pool, database) = match backend {
            Backend::Sqlite => (
                sqlite::connect(url, options).await?,
                DatabaseTarget::sqlite(),
            ),
            Backend::Postgres => (
                postgres::connect(url, options).await?,
                postgres::target(url)?,
            ),
        };
        match backend {
            Backend::Sqlite => sqlite::MIGRATOR.run(&pool).await?,
            Backend::Postgres => postgres::MIGRATOR.run(&pool).await?,
        }
        Ok(SqlCatalogStore {
            pool,
            backend,
            database,
        })
    }

    /// Sets the pool gauges (`db_pool_connections{pool,state}`, `db_pool_max_connections{pool}`)
    /// to the pool's state now: called at every scrape.
    pub fn record_pool_metrics(&self) {
        let open = self.pool.size();
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(open);
        let max = self.pool.options().get_max_connections();
        metrics::gauge!(DB_POOL_CONNECTIONS, "pool" => "catalog", "state" => "idle").set(idle);
        metrics::gauge!(DB_POOL_CONNECTIONS, "pool" => "catalog", "state" => "in_use")
            .set(open.saturating_sub(idle));
        metrics::gauge!(DB_POOL_MAX_CONNECTIONS, "pool" => "catalog").set(max);
    }

    /// Runs `SELECT 1`, for health checks: whether the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes every pooled connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn strings(
        &self,
        summary: &'static str,
        sql: &'static str,
        id: &AnimeId,
    ) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(sql)
            .bind(id.as_str())
            .fetch_all(&self.pool)
            .instrument(self.database.statement_span(summary, sql))
            .await?;
        rows.iter()
            .map(|row| row.try_get::<String, _>(0).map_err(StoreError::from))
            .collect()
    }
}

#[async_trait]
impl CatalogStore for SqlCatalogStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn anime_count(&self) -> Result<u64, StoreError> {
        let sql = "SELECT COUNT(*) FROM anime";
        let count: i64 = sqlx::query_scalar(sql)
            .fetch_one(&self.pool)
            .instrument(self.database.statement_span("SELECT anime", sql))
            .await?;
        Ok(count.max(0) as u64)
    }

    async fn get_anime(&self, id: &AnimeId) -> Result<Option<AnimeDetail>, StoreError> {
        let sql = format!(
            "SELECT {}, a.synopsis, a.episode_duration_seconds, a.studios, a.producers, \
                 a.crunchyroll_series_id, a.crunchyroll_season_id \
             FROM anime a WHERE a.id = $1",
            summary_columns("a")
        );
        let span = self.database.statement_span("SELECT anime", &sql);
        let Some(row) = sqlx::query(AssertSqlSafe(sql))
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .instrument(span)
            .await?
        else {
            return Ok(None);
        };
        let summary = SummaryRow::from_any_row(&row)?.into_summary()?;
        let synopsis: String = row.try_get("synopsis")?;
        let episode_duration_seconds: Option<i64> = row.try_get("episode_duration_seconds")?;
        let studios = decode_string_list("studios", &row.try_get::<String, _>("studios")?)?;
        let producers = decode_string_list("producers", &row.try_get::<String, _>("producers")?)?;
        let synonyms = self
            .strings(
                "SELECT anime_synonym",
                "SELECT synonym FROM anime_synonym WHERE anime_id = $1 ORDER BY position",
                id,
            )
            .await?;
        let sources = self
            .strings(
                "SELECT anime_source",
                "SELECT url FROM anime_source WHERE anime_id = $1 ORDER BY position",
                id,
            )
            .await?;
        let tags = self.tags_of(id).await?;
        let relations = self.relations_of(id).await?;
        Ok(Some(AnimeDetail {
            summary,
            synonyms,
            synopsis,
            sources,
            studios,
            producers,
            episode_duration_seconds: episode_duration_seconds.map(|seconds| seconds as u32),
            tags,
            relations,
            crunchyroll_series_id: row.try_get("crunchyroll_series_id")?,
            crunchyroll_season_id: row.try_get("crunchyroll_season_id")?,
        }))
    }

    async fn anime_id_by_source(&self, urls: &[String]) -> Result<Option<AnimeId>, StoreError> {
        self.find_anime_id_by_source(urls).await
    }

    async fn anime_summaries(&self, ids: &[AnimeId]) -> Result<Vec<AnimeSummary>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {} FROM anime a WHERE a.id IN ({})",
            summary_columns("a"),
            placeholders(1, ids.len())
        );
        let span = self.database.statement_span("SELECT anime", &sql);
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for id in ids {
            query = query.bind(id.as_str());
        }
        let rows = query.fetch_all(&self.pool).instrument(span).await?;
        rows.iter()
            .map(|row| SummaryRow::from_any_row(row)?.into_summary())
            .collect()
    }

    async fn list_episodes(
        &self,
        id: &AnimeId,
        page: Page,
    ) -> Result<Option<Vec<Episode>>, StoreError> {
        let exists_sql = "SELECT 1 FROM anime WHERE id = $1";
        let exists: Option<i64> = sqlx::query_scalar(exists_sql)
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .instrument(self.database.statement_span("SELECT anime", exists_sql))
            .await?;
        if exists.is_none() {
            return Ok(None);
        }
        let episodes_sql = "SELECT episode_number, title, duration_seconds, air_date, synopsis, \
                 thumbnail, crunchyroll_episode_id \
             FROM episode WHERE anime_id = $1 ORDER BY episode_number LIMIT $2 OFFSET $3";
        let rows = sqlx::query(episodes_sql)
            .bind(id.as_str())
            .bind(page.fetch_limit() as i64)
            .bind(page.token.offset() as i64)
            .fetch_all(&self.pool)
            .instrument(self.database.statement_span("SELECT episode", episodes_sql))
            .await?;
        let episodes = rows
            .iter()
            .map(|row| EpisodeRow::from_any_row(row).map(EpisodeRow::into_episode))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(episodes))
    }

    async fn indexed_anime_since(
        &self,
        changed_since_ms: i64,
    ) -> Result<Vec<IndexedAnime>, StoreError> {
        let mut anime = search_source::changed_since(self, changed_since_ms).await?;
        index_facets::attach(self, changed_since_ms, &mut anime).await?;
        Ok(anime)
    }

    async fn list_anime(
        &self,
        filter: &AnimeFilter,
        sort: AnimeSort,
        after: Option<&ListPosition>,
        limit: u64,
    ) -> Result<Vec<ListedAnime>, StoreError> {
        self.list_filtered(filter, sort, after, limit).await
    }

    async fn season_counts(&self) -> Result<Vec<SeasonCount>, StoreError> {
        self.count_by_season().await
    }

    async fn list_tags(
        &self,
        category: Option<TagCategory>,
        after: Option<&str>,
        limit: u64,
    ) -> Result<Vec<TagCount>, StoreError> {
        // Tag names are never empty, so `''` stands for "from the first".
        let sql = "SELECT t.name, t.category, COUNT(at.anime_id) AS anime_count \
             FROM tag t LEFT JOIN anime_tag at ON at.tag_id = t.id \
             WHERE ($1 = '' OR t.category = $1) AND t.name > $2 \
             GROUP BY t.id, t.name, t.category ORDER BY t.name LIMIT $3";
        let rows = sqlx::query(sql)
            .bind(category.map(TagCategory::as_str).unwrap_or_default())
            .bind(after.unwrap_or_default())
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .instrument(self.database.statement_span("SELECT tag", sql))
            .await?;
        rows.iter()
            .map(|row| TagCountRow::from_any_row(row)?.into_tag_count())
            .collect()
    }

    async fn upsert_anime_batch(
        &self,
        records: &[AnimeRecord],
    ) -> Result<Vec<(AnimeId, UpsertOutcome)>, StoreError> {
        // One connection for the whole batch: on SQLite, a connection's page cache is dropped
        // whenever another connection has written, so alternating connections rereads pages.
        let mut connection = self.pool.acquire().await?;
        let mut outcomes = Vec::with_capacity(records.len());
        for record in records {
            outcomes.push(write::upsert_anime(&mut connection, self, record).await?);
        }
        Ok(outcomes)
    }

    async fn resolve_relations(&self) -> Result<RelationChanges, StoreError> {
        write::resolve_relations(self).await
    }

    async fn anime_with_title(
        &self,
        normalized_title: &str,
    ) -> Result<Vec<(AnimeId, Option<u32>)>, StoreError> {
        sync_state::anime_with_title(self, normalized_title).await
    }

    async fn apply_crunchyroll_season(&self, mapping: &SeasonMapping) -> Result<u64, StoreError> {
        sync_state::apply_season(self, mapping).await
    }

    async fn begin_sync_run(&self) -> Result<SyncRun, StoreError> {
        sync_state::begin_run(self).await
    }

    async fn save_sync_run(&self, run: &SyncRun) -> Result<(), StoreError> {
        sync_state::save_run(self, run).await
    }

    async fn latest_sync_run(&self) -> Result<Option<SyncRun>, StoreError> {
        sync_state::latest_run(self).await
    }

    async fn refresh_statistics(&self) -> Result<(), StoreError> {
        // PostgreSQL: VACUUM also merges the GIN indexes' pending lists, which a bulk import
        // fills and every search would otherwise scan linearly.
        let (summary, statement) = match self.backend {
            Backend::Sqlite => ("PRAGMA", "PRAGMA optimize"),
            Backend::Postgres => ("VACUUM", "VACUUM ANALYZE"),
        };
        sqlx::raw_sql(statement)
            .execute(&self.pool)
            .instrument(self.database.statement_span(summary, statement))
            .await?;
        Ok(())
    }
}

impl SqlCatalogStore {
    async fn tags_of(&self, id: &AnimeId) -> Result<Vec<Tag>, StoreError> {
        let sql = "SELECT t.name, t.category FROM anime_tag at JOIN tag t ON t.id = at.tag_id \
             WHERE at.anime_id = $1 ORDER BY t.name";
        let rows = sqlx::query(sql)
            .bind(id.as_str())
            .fetch_all(&self.pool)
            .instrument(self.database.statement_span("SELECT anime_tag", sql))
            .await?;
        rows.iter()
            .map(|row| {
                let name: String = row.try_get("name")?;
                let category: String = row.try_get("category")?;
                let category = TagCategory::from_name(&category).ok_or(StoreError::Corrupt {
                    column: "tag.category",
                    value: category,
                })?;
                Ok(Tag { name, category })
            })
            .collect()
    }

    async fn relations_of(&self, id: &AnimeId) -> Result<Vec<Relation>, StoreError> {
        let sql = format!(
            "SELECT r.kind, {} FROM anime_relation r JOIN anime a ON a.id = r.related_id \
             WHERE r.anime_id = $1",
            summary_columns("a")
        );
        let span = self.database.statement_span("SELECT anime_relation", &sql);
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(id.as_str())
            .fetch_all(&self.pool)
            .instrument(span)
            .await?;
        let mut relations = rows
            .iter()
            .map(|row| {
                let kind: String = row.try_get("kind")?;
                let kind = RelationKind::from_name(&kind).ok_or(StoreError::Corrupt {
                    column: "anime_relation.kind",
                    value: kind,
                })?;
                let anime = SummaryRow::from_any_row(row)?.into_summary()?;
                Ok(Relation { kind, anime })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let kind_order: HashMap<RelationKind, usize> = RelationKind::ALL
            .iter()
            .enumerate()
            .map(|(position, kind)| (*kind, position))
            .collect();
        relations.sort_by_key(|relation| {
            (
                kind_order.get(&relation.kind).copied(),
                relation.anime.year,
                relation.anime.title.clone(),
            )
        });
        Ok(relations)
    }
}

/// `$first, $first+1, ...`: `count` numbered placeholders.
pub(super) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|number| format!("${number}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn decode_string_list(column: &'static str, json: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(json).map_err(|_| StoreError::Corrupt {
        column,
        value: json.to_owned(),
    })
}
