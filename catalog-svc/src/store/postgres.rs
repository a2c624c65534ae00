//! What only the PostgreSQL backend does: its migrations (pg_trgm, tsvector) and search
//! candidates from the pattern, full-text and trigram indexes.

use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

use super::StoreError;
use super::rows::search_candidate;
use crate::search::SearchCandidate;

/// Connects with custom plans for every statement: the driver prepares statements, and a generic
/// plan of `term LIKE $1` cannot use the prefix index (the pattern is unknown when planning), so
/// after a few executions search would fall back to scanning every term.
pub(super) async fn connect(url: &str, options: AnyPoolOptions) -> Result<AnyPool, StoreError> {
    let pool = options
        .after_connect(|connection, _metadata| {
            Box::pin(async move {
                connection
                    .execute("SET plan_cache_mode = force_custom_plan")
                    .await?;
                Ok(())
            })
        })
        .connect(url)
        .await?;
    Ok(pool)
}

/// The PostgreSQL schema.
pub(super) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// Terms starting with the query, or holding every query word (the last as a prefix), from the
/// pattern and tsvector indexes.
pub(super) async fn direct_candidates(
    pool: &AnyPool,
    normalized_query: &str,
    max_candidates: u32,
) -> Result<Vec<SearchCandidate>, StoreError> {
    let prefix_pattern = format!("{}%", escape_like(normalized_query));
    let rows = sqlx::query(
        "SELECT anime_id, term, original, term_kind FROM search_term \
         WHERE term LIKE $1 OR term_vector @@ to_tsquery('simple', $2) \
         ORDER BY length(term), term LIMIT $3",
    )
    .bind(prefix_pattern)
    .bind(all_words_query(normalized_query))
    .bind(i64::from(max_candidates))
    .fetch_all(pool)
    .await?;
    rows.iter().map(search_candidate).collect()
}

/// Terms similar to the query as a whole or to a part of them, from the trigram index.
pub(super) async fn fuzzy_candidates(
    pool: &AnyPool,
    normalized_query: &str,
    max_candidates: u32,
) -> Result<Vec<SearchCandidate>, StoreError> {
    let rows = sqlx::query(
        "SELECT anime_id, term, original, term_kind FROM search_term \
         WHERE term % $1 OR $1 <% term \
         ORDER BY greatest(similarity(term, $1), word_similarity($1, term)) DESC, term \
         LIMIT $2",
    )
    .bind(normalized_query)
    .bind(i64::from(max_candidates))
    .fetch_all(pool)
    .await?;
    rows.iter().map(search_candidate).collect()
}

/// A tsquery requiring every word, the last as a prefix: `'spy' & 'x' & 'fam':*`.
fn all_words_query(normalized_query: &str) -> String {
    let words: Vec<String> = normalized_query
        .split(' ')
        .map(|word| format!("'{}'", word.replace('\'', "''")))
        .collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(index, word)| {
            if index == last {
                format!("{word}:*")
            } else {
                word.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
