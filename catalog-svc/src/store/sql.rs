//! The SQL implementation of [`CatalogStore`], over the store's executor (`database/`) so one
//! body of statements serves both backends; the few backend-specific parts (migrations) live in
//! `sqlite.rs` and `postgres.rs`.

use std::collections::HashMap;
use std::time::Duration;

use async_trait::async_trait;
use kensho_telemetry::metrics::names::{DB_POOL_CONNECTIONS, DB_POOL_MAX_CONNECTIONS};

use super::database::{Database, Param, Query, Row, SqliteTuning, params};
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
    pub(super) database: Database,
    pub(super) backend: Backend,
}

impl SqlCatalogStore {
    /// Connects to the database at `url`, creating an embedded file when needed, and applies the
    /// backend's migrations.
    pub async fn connect(
        url: &str,
        max_connections: u32,
        acquire_timeout: Duration,
    ) -> Result<Self, StoreError> {
        Self::connect_tuned(
            url,
            max_connections,
            acquire_timeout,
            SqliteTuning::default(),
        )
        .await
    }

    /// [`SqlCatalogStore::connect`] with SQLite's lock wait and statement cache set.
    pub(super) async fn connect_tuned(
        url: &str,
        max_connections: u32,
        acquire_timeout: Duration,
        tuning: SqliteTuning,
    ) -> Result<Self, StoreError> {
        let backend = Backend::from_url(url)?;
        let database = match backend {
            Backend::Sqlite => {
                Database::sqlite(
                    url,
                    max_connections,
                    acquire_timeout,
                    tuning,
                    &sqlite::MIGRATOR,
                )
                .await?
            }
            Backend::Postgres => {
                Database::postgres(url, max_connections, acquire_timeout, &postgres::MIGRATOR)
                    .await?
            }
        };
        Ok(SqlCatalogStore { database, backend })
    }

    /// Sets the pool gauges (`db_pool_connections{pool,state}`, `db_pool_max_connections{pool}`)
    /// to the pool's state now: called at every scrape.
    pub fn record_pool_metrics(&self) {
        let state = self.database.pool_state();
        metrics::gauge!(DB_POOL_CONNECTIONS, "pool" => "catalog", "state" => "idle")
            .set(state.idle);
        metrics::gauge!(DB_POOL_CONNECTIONS, "pool" => "catalog", "state" => "in_use")
            .set(state.open.saturating_sub(state.idle));
        metrics::gauge!(DB_POOL_MAX_CONNECTIONS, "pool" => "catalog").set(state.max);
    }

    /// Runs `SELECT 1`, for health checks: whether the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.database.ping().await
    }

    /// Closes every pooled connection.
    pub async fn close(&self) {
        self.database.close().await;
    }
}

#[async_trait]
impl CatalogStore for SqlCatalogStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn anime_count(&self) -> Result<u64, StoreError> {
        let query = Query::new("SELECT anime", "SELECT COUNT(*) FROM anime", params![]);
        let count: i64 = match self.database.fetch_optional(query).await? {
            Some(row) => row.try_get(0)?,
            None => 0,
        };
        Ok(count.max(0) as u64)
    }

    async fn get_anime(&self, id: &AnimeId) -> Result<Option<AnimeDetail>, StoreError> {
        let [anime, children, relations]: [Vec<Row>; 3] = self
            .database
            .fetch_with_children(detail_queries(id))
            .await?
            .try_into()
            .map_err(|_| StoreError::WorkerLost)?;
        let Some(row) = anime.first() else {
            return Ok(None);
        };
        let summary = SummaryRow::from_row(row)?.into_summary()?;
        let synopsis: String = row.try_get("synopsis")?;
        let episode_duration_seconds: Option<i64> = row.try_get("episode_duration_seconds")?;
        let studios = decode_string_list("studios", &row.try_get::<String>("studios")?)?;
        let producers = decode_string_list("producers", &row.try_get::<String>("producers")?)?;
        let mut synonyms = Vec::new();
        let mut sources = Vec::new();
        let mut tags = Vec::new();
        for child in &children {
            let part: String = child.try_get("part")?;
            let value: String = child.try_get("value")?;
            match part.as_str() {
                "synonym" => synonyms.push(value),
                "source" => sources.push(value),
                _ => {
                    let category: String = child.try_get("extra")?;
                    let category =
                        TagCategory::from_name(&category).ok_or(StoreError::Corrupt {
                            column: "tag.category",
                            value: category,
                        })?;
                    tags.push(Tag {
                        name: value,
                        category,
                    });
                }
            }
        }
        Ok(Some(AnimeDetail {
            summary,
            synonyms,
            synopsis,
            sources,
            studios,
            producers,
            episode_duration_seconds: episode_duration_seconds.map(|seconds| seconds as u32),
            tags,
            relations: relations_from_rows(&relations)?,
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
        let params = ids.iter().map(|id| Param::from(id.as_str())).collect();
        let rows = self
            .database
            .fetch_all(Query::new("SELECT anime", sql, params))
            .await?;
        rows.iter()
            .map(|row| SummaryRow::from_row(row)?.into_summary())
            .collect()
    }

    async fn list_episodes(
        &self,
        id: &AnimeId,
        page: Page,
    ) -> Result<Option<Vec<Episode>>, StoreError> {
        let exists = Query::new(
            "SELECT anime",
            "SELECT 1 FROM anime WHERE id = $1",
            params![id.as_str()],
        );
        let episodes = Query::new(
            "SELECT episode",
            "SELECT episode_number, title, duration_seconds, air_date, synopsis, \
                 thumbnail, crunchyroll_episode_id \
             FROM episode WHERE anime_id = $1 ORDER BY episode_number LIMIT $2 OFFSET $3",
            params![
                id.as_str(),
                page.fetch_limit() as i64,
                page.token.offset() as i64
            ],
        );
        let [found, rows]: [Vec<Row>; 2] = self
            .database
            .fetch_with_children(vec![exists, episodes])
            .await?
            .try_into()
            .map_err(|_| StoreError::WorkerLost)?;
        if found.is_empty() {
            return Ok(None);
        }
        let episodes = rows
            .iter()
            .map(|row| EpisodeRow::from_row(row).map(EpisodeRow::into_episode))
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
        // The count is kept by the writes (`tag.anime_count`), so a page reads only its tags.
        let query = Query::new(
            "SELECT tag",
            "SELECT name, category, anime_count FROM tag \
             WHERE ($1 = '' OR category = $1) AND name > $2 ORDER BY name LIMIT $3",
            params![
                category.map(TagCategory::as_str).unwrap_or_default(),
                after.unwrap_or_default(),
                i64::try_from(limit).unwrap_or(i64::MAX)
            ],
        );
        let rows = self.database.fetch_all(query).await?;
        rows.iter()
            .map(|row| TagCountRow::from_row(row)?.into_tag_count())
            .collect()
    }

    async fn upsert_anime_batch(
        &self,
        records: &[AnimeRecord],
    ) -> Result<Vec<Result<(AnimeId, UpsertOutcome), StoreError>>, StoreError> {
        write::upsert_batch(self, records).await
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
        self.database.execute_unprepared(summary, statement).await
    }
}

/// The anime row, its synonyms, sources and tags (one statement, told apart by `part`), and
/// its relations with the related anime's summaries: a detail read in three statements that
/// SQLite runs in one hand-off.
fn detail_queries(id: &AnimeId) -> Vec<Query> {
    let anime = Query::new(
        "SELECT anime",
        format!(
            "SELECT {}, a.synopsis, a.episode_duration_seconds, a.studios, a.producers, \
                 a.crunchyroll_series_id, a.crunchyroll_season_id \
             FROM anime a WHERE a.id = $1",
            summary_columns("a")
        ),
        params![id.as_str()],
    );
    let children = Query::new(
        "SELECT anime_synonym",
        "SELECT 'synonym' AS part, position AS ordinal, synonym AS value, '' AS extra \
             FROM anime_synonym WHERE anime_id = $1 \
         UNION ALL SELECT 'source', position, url, '' FROM anime_source WHERE anime_id = $1 \
         UNION ALL SELECT 'tag', 0, t.name, t.category \
             FROM anime_tag at JOIN tag t ON t.id = at.tag_id WHERE at.anime_id = $1 \
         ORDER BY 1, 2, 3",
        params![id.as_str()],
    );
    let relations = Query::new(
        "SELECT anime_relation",
        format!(
            "SELECT r.kind, {} FROM anime_relation r JOIN anime a ON a.id = r.related_id \
             WHERE r.anime_id = $1",
            summary_columns("a")
        ),
        params![id.as_str()],
    );
    vec![anime, children, relations]
}

/// Relations in kind order (sequels first), then by year and title.
fn relations_from_rows(rows: &[Row]) -> Result<Vec<Relation>, StoreError> {
    let mut relations = rows
        .iter()
        .map(|row| {
            let kind: String = row.try_get("kind")?;
            let kind = RelationKind::from_name(&kind).ok_or(StoreError::Corrupt {
                column: "anime_relation.kind",
                value: kind,
            })?;
            let anime = SummaryRow::from_row(row)?.into_summary()?;
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
