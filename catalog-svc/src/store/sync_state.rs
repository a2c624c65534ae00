//! Storage of the Crunchyroll sync: matching seasons to anime, writing their episodes, and the
//! progress of sync runs.

use kensho_kit::time::{parse_rfc3339, rfc3339_utc};
use time::OffsetDateTime;

use super::database::{Query, Row, params};
use super::{SqlCatalogStore, StoreError};
use crate::domain::AnimeId;

/// A Crunchyroll season matched to a catalog anime, with its numbered episodes.
#[derive(Clone, Debug, PartialEq)]
pub struct SeasonMapping {
    /// The catalog anime.
    pub anime_id: AnimeId,
    /// The Crunchyroll series.
    pub series_id: String,
    /// The Crunchyroll season.
    pub season_id: String,
    /// Its episodes.
    pub episodes: Vec<SyncedEpisode>,
}

/// One episode as Crunchyroll describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncedEpisode {
    /// Episode number.
    pub number: u32,
    /// Crunchyroll episode id.
    pub crunchyroll_id: String,
    /// Title.
    pub title: String,
    /// Length.
    pub duration_seconds: Option<u32>,
    /// First broadcast, `YYYY-MM-DD`.
    pub air_date: Option<String>,
    /// Description.
    pub synopsis: String,
    /// Still picture URL.
    pub thumbnail: String,
}

/// One sync run and its progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncRun {
    /// Run id.
    pub id: i64,
    /// `running`, `completed` or `failed`.
    pub status: String,
    /// When it started.
    pub started_at: OffsetDateTime,
    /// When it ended, if it did.
    pub finished_at: Option<OffsetDateTime>,
    /// The last series id fully written; the run resumes after it.
    pub cursor: String,
    /// Series processed so far.
    pub series_processed: u64,
    /// Seasons matched to catalog anime so far.
    pub seasons_matched: u64,
    /// Episodes inserted or changed so far.
    pub episodes_written: u64,
    /// Why it failed, if it did.
    pub error: String,
    /// Whether this run continues an interrupted one.
    pub resumed: bool,
}

/// Status of a run in progress (or interrupted).
pub const RUNNING: &str = "running";
/// Status of a finished run.
pub const COMPLETED: &str = "completed";
/// Status of a run that stopped on an error; the next run resumes it.
pub const FAILED: &str = "failed";

pub(super) async fn anime_with_title(
    store: &SqlCatalogStore,
    normalized_title: &str,
) -> Result<Vec<(AnimeId, Option<u32>)>, StoreError> {
    let sql = "SELECT DISTINCT a.id, a.season_year FROM search_term t \
         JOIN anime a ON a.id = t.anime_id WHERE t.term = $1";
    let rows = store
        .database
        .fetch_all(Query::new(
            "SELECT search_term",
            sql,
            params![normalized_title],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            let id: String = row.try_get("id")?;
            let year: Option<i64> = row.try_get("season_year")?;
            Ok((AnimeId::from_storage(id), year.map(|year| year as u32)))
        })
        .collect()
}

/// Writes the mapping and the episodes in one transaction; returns the episodes inserted or
/// changed (identical ones are left alone, so a repeated sync writes nothing).
pub(super) async fn apply_season(
    store: &SqlCatalogStore,
    mapping: &SeasonMapping,
) -> Result<u64, StoreError> {
    let mut transaction = store.database.begin().await?;
    let mapping_sql = "UPDATE anime SET crunchyroll_series_id = $1, crunchyroll_season_id = $2 \
         WHERE id = $3 AND (crunchyroll_series_id IS NULL OR crunchyroll_series_id <> $1 \
             OR crunchyroll_season_id IS NULL OR crunchyroll_season_id <> $2)";
    let mut statements = vec![Query::new(
        "UPDATE anime",
        mapping_sql,
        params![
            mapping.series_id.as_str(),
            mapping.season_id.as_str(),
            mapping.anime_id.as_str()
        ],
    )];
    statements.extend(mapping.episodes.iter().map(|episode| {
        Query::new(
            "INSERT episode",
            EPISODE_UPSERT_SQL,
            params![
                mapping.anime_id.as_str(),
                i64::from(episode.number),
                episode.title.as_str(),
                episode.duration_seconds.map(i64::from),
                episode.air_date.as_deref(),
                episode.synopsis.as_str(),
                episode.thumbnail.as_str(),
                episode.crunchyroll_id.as_str()
            ],
        )
    }));
    let changed = transaction.execute_all(statements).await?;
    transaction.commit().await?;
    Ok(changed.iter().skip(1).sum())
}

/// Inserts a synced episode, or updates it when anything differs.
const EPISODE_UPSERT_SQL: &str = "INSERT INTO episode (anime_id, episode_number, title, \
                 duration_seconds, air_date, synopsis, thumbnail, crunchyroll_episode_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (anime_id, episode_number) DO UPDATE SET title = excluded.title, \
                 duration_seconds = excluded.duration_seconds, air_date = excluded.air_date, \
                 synopsis = excluded.synopsis, thumbnail = excluded.thumbnail, \
                 crunchyroll_episode_id = excluded.crunchyroll_episode_id \
             WHERE episode.title <> excluded.title \
                 OR COALESCE(episode.duration_seconds, -1) <> COALESCE(excluded.duration_seconds, -1) \
                 OR COALESCE(episode.air_date, '') <> COALESCE(excluded.air_date, '') \
                 OR episode.synopsis <> excluded.synopsis OR episode.thumbnail <> excluded.thumbnail \
                 OR COALESCE(episode.crunchyroll_episode_id, '') <> COALESCE(excluded.crunchyroll_episode_id, '')";

const RUN_COLUMNS: &str = "id, status, started_at, finished_at, cursor, series_processed, seasons_matched, \
                           episodes_written, error";

/// Times are stored as RFC 3339 UTC text to the second, which both backends sort and compare.
fn stored_time(at: OffsetDateTime) -> Result<String, StoreError> {
    Ok(rfc3339_utc(at)?)
}

fn time_from_row(column: &'static str, text: String) -> Result<OffsetDateTime, StoreError> {
    parse_rfc3339(&text).map_err(|_| StoreError::Corrupt {
        column,
        value: text,
    })
}

fn run_from_row(row: &Row) -> Result<SyncRun, StoreError> {
    let count =
        |column: &str| -> Result<u64, StoreError> { Ok(row.try_get::<i64>(column)?.max(0) as u64) };
    let finished_at: Option<String> = row.try_get("finished_at")?;
    Ok(SyncRun {
        id: row.try_get("id")?,
        status: row.try_get("status")?,
        started_at: time_from_row("started_at", row.try_get("started_at")?)?,
        finished_at: finished_at
            .map(|text| time_from_row("finished_at", text))
            .transpose()?,
        cursor: row.try_get("cursor")?,
        series_processed: count("series_processed")?,
        seasons_matched: count("seasons_matched")?,
        episodes_written: count("episodes_written")?,
        error: row.try_get("error")?,
        resumed: false,
    })
}

pub(super) async fn latest_run(store: &SqlCatalogStore) -> Result<Option<SyncRun>, StoreError> {
    let sql = format!("SELECT {RUN_COLUMNS} FROM sync_run ORDER BY id DESC LIMIT 1");
    let row = store
        .database
        .fetch_optional(Query::new("SELECT sync_run", sql, params![]))
        .await?;
    row.as_ref().map(run_from_row).transpose()
}

/// Resumes the latest run if it did not complete, else starts a new one.
pub(super) async fn begin_run(store: &SqlCatalogStore) -> Result<SyncRun, StoreError> {
    let database = &store.database;
    if let Some(mut latest) = latest_run(store).await?
        && latest.status != COMPLETED
    {
        let resume_sql =
            "UPDATE sync_run SET status = $1, error = '', finished_at = NULL WHERE id = $2";
        database
            .execute(Query::new(
                "UPDATE sync_run",
                resume_sql,
                params![RUNNING, latest.id],
            ))
            .await?;
        latest.status = RUNNING.to_owned();
        latest.error.clear();
        latest.finished_at = None;
        latest.resumed = true;
        return Ok(latest);
    }
    let insert_sql = format!(
        "INSERT INTO sync_run (status, started_at) VALUES ($1, $2) RETURNING {RUN_COLUMNS}"
    );
    let row = database
        .fetch_optional(Query::new(
            "INSERT sync_run",
            insert_sql,
            params![RUNNING, stored_time(OffsetDateTime::now_utc())?],
        ))
        .await?
        .ok_or(StoreError::Corrupt {
            column: "sync_run.id",
            value: "no row returned".to_owned(),
        })?;
    run_from_row(&row)
}

pub(super) async fn save_run(store: &SqlCatalogStore, run: &SyncRun) -> Result<(), StoreError> {
    let finished_at = if run.status == RUNNING {
        None
    } else {
        Some(stored_time(OffsetDateTime::now_utc())?)
    };
    let sql = "UPDATE sync_run SET status = $1, cursor = $2, series_processed = $3, \
             seasons_matched = $4, episodes_written = $5, error = $6, finished_at = $7 \
         WHERE id = $8";
    store
        .database
        .execute(Query::new(
            "UPDATE sync_run",
            sql,
            params![
                run.status.as_str(),
                run.cursor.as_str(),
                run.series_processed as i64,
                run.seasons_matched as i64,
                run.episodes_written as i64,
                run.error.as_str(),
                finished_at,
                run.id
            ],
        ))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn run_times_are_stored_as_rfc3339_utc_to_the_second() {
        let cases = [
            (datetime!(1970-01-01 00:00:00 UTC), "1970-01-01T00:00:00Z"),
            (datetime!(2000-02-29 00:00:00 UTC), "2000-02-29T00:00:00Z"),
            (datetime!(2026-11-30 20:30:45.9 UTC), "2026-11-30T20:30:45Z"),
        ];
        for (at, stored) in cases {
            assert_eq!(stored_time(at).expect("storable"), stored);
            assert_eq!(
                time_from_row("started_at", stored.to_owned()).expect("readable"),
                at.replace_nanosecond(0).expect("a valid nanosecond")
            );
        }
    }

    #[test]
    fn an_unreadable_stored_time_is_reported_as_corrupt() {
        let error =
            time_from_row("finished_at", "last tuesday".to_owned()).expect_err("not a time");
        assert!(
            matches!(error, StoreError::Corrupt { column: "finished_at", ref value } if value == "last tuesday"),
            "{error:?}"
        );
    }
}
