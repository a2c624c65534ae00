//! What only the SQLite backend does: file creation and pragmas, its migrations, and search
//! candidates from the FTS5 trigram index plus a prefix range scan.

use std::str::FromStr;

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, Executor};

use super::StoreError;
use super::rows::search_candidate;
use crate::search::{SearchCandidate, trigrams};

/// The SQLite schema.
pub(super) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Most trigrams of a query used to find candidates: enough for a long title, bounded cost.
const MAX_QUERY_TRIGRAMS: usize = 24;

/// Opens (creating when missing) the database file. WAL lets readers run during an import;
/// `synchronous = NORMAL` is durable across application crashes, which is what WAL needs.
pub(super) async fn connect(url: &str, options: AnyPoolOptions) -> Result<AnyPool, StoreError> {
    let file_options = SqliteConnectOptions::from_str(url)?.create_if_missing(true);
    let path = file_options.get_filename().to_path_buf();
    if let Some(directory) = path
        .parent()
        .filter(|directory| !directory.as_os_str().is_empty())
    {
        std::fs::create_dir_all(directory).map_err(|source| StoreError::DataDirectory {
            path: directory.display().to_string(),
            source,
        })?;
    }
    let url_with_create = if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    };
    let pool = options
        .after_connect(|connection, _metadata| {
            Box::pin(async move {
                connection
                    .execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                         PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;",
                    )
                    .await?;
                Ok(())
            })
        })
        .connect(&url_with_create)
        .await?;
    Ok(pool)
}

pub(super) async fn search_candidates(
    pool: &AnyPool,
    normalized_query: &str,
    max_candidates: u32,
) -> Result<Vec<SearchCandidate>, StoreError> {
    let limit = i64::from(max_candidates);
    let mut rows = sqlx::query(
        "SELECT anime_id, term, original, term_kind FROM search_term \
         WHERE term >= $1 AND term < $2 ORDER BY term LIMIT $3",
    )
    .bind(normalized_query)
    .bind(format!("{normalized_query}\u{10FFFF}"))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let query_trigrams = trigrams(normalized_query);
    if !query_trigrams.is_empty() {
        let match_expression = query_trigrams
            .iter()
            .take(MAX_QUERY_TRIGRAMS)
            .map(|trigram| format!("\"{trigram}\""))
            .collect::<Vec<_>>()
            .join(" OR ");
        let fuzzy_rows = sqlx::query(
            "SELECT t.anime_id, t.term, t.original, t.term_kind FROM search_term_fts f \
             JOIN search_term t ON t.id = f.rowid \
             WHERE search_term_fts MATCH $1 ORDER BY f.rank LIMIT $2",
        )
        .bind(match_expression)
        .bind(limit)
        .fetch_all(pool)
        .await?;
        rows.extend(fuzzy_rows);
    }
    rows.iter().map(search_candidate).collect()
}
