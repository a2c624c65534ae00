//! What only the PostgreSQL backend does: its migrations (pg_trgm, tsvector) and search
//! candidates from the trigram and full-text indexes.

use sqlx::AnyPool;
use sqlx::migrate::Migrator;

use super::StoreError;
use super::rows::search_candidate;
use crate::search::SearchCandidate;

/// The PostgreSQL schema.
pub(super) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// Candidates by trigram similarity (whole term or a word within it), by title prefix, or by all
/// query words in any order; the GIN and pattern indexes serve each branch.
pub(super) async fn search_candidates(
    pool: &AnyPool,
    normalized_query: &str,
    max_candidates: u32,
) -> Result<Vec<SearchCandidate>, StoreError> {
    let prefix_pattern = format!("{}%", escape_like(normalized_query));
    let rows = sqlx::query(
        "SELECT anime_id, term, original, term_kind FROM search_term \
         WHERE term % $1 OR $1 <% term OR term LIKE $2 \
            OR term_vector @@ plainto_tsquery('simple', $1) \
         ORDER BY greatest(similarity(term, $1), word_similarity($1, term)) DESC, term \
         LIMIT $3",
    )
    .bind(normalized_query)
    .bind(prefix_pattern)
    .bind(i64::from(max_candidates))
    .fetch_all(pool)
    .await?;
    rows.iter().map(search_candidate).collect()
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
