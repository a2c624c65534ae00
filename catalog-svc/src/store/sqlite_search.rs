//! SQLite search candidates: a B-tree range scan for terms starting with the query, FTS5 word
//! queries for terms holding every query word, and, for the fuzzy stage, misspelt words corrected
//! against the catalog's vocabulary (an FTS5 trigram index of every stored word) first.

use tracing::Instrument;

use super::rows::search_candidate;
use super::{SqlCatalogStore, StoreError};
use crate::search::{SearchCandidate, close_words, trigrams};

/// Vocabulary words the trigram index proposes per misspelt word, before scoring.
const WORD_PROPOSALS: i64 = 64;
/// Corrections tried per misspelt word.
const CORRECTIONS_PER_WORD: usize = 6;
/// Shortest single-word query also matched against the start of every word of a term.
const MIN_WORD_PREFIX_CHARS: usize = 4;
/// Shortest word worth correcting: shorter words are too ambiguous and are left out instead.
const MIN_CORRECTABLE_CHARS: usize = 3;

/// Terms starting with the query, and terms holding every query word (the last as a prefix).
pub(super) async fn direct_candidates(
    store: &SqlCatalogStore,
    normalized_query: &str,
    max_candidates: u32,
) -> Result<Vec<SearchCandidate>, StoreError> {
    let limit = i64::from(max_candidates);
    let range_sql = "SELECT anime_id, term, original, term_kind FROM search_term \
         WHERE term >= $1 AND term < $2 ORDER BY term LIMIT $3";
    let mut rows = sqlx::query(range_sql)
        .bind(normalized_query)
        .bind(format!("{normalized_query}\u{10FFFF}"))
        .bind(limit)
        .fetch_all(&store.pool)
        .instrument(
            store
                .database
                .statement_span("SELECT search_term", range_sql),
        )
        .await?;
    // A single short word prefixes too many words to rank them all quickly; the range scan
    // above already finds the terms it starts.
    let is_short_single_word =
        !normalized_query.contains(' ') && normalized_query.chars().count() < MIN_WORD_PREFIX_CHARS;
    if !is_short_single_word {
        let words: Vec<Vec<String>> = normalized_query
            .split(' ')
            .map(|word| vec![word.to_owned()])
            .collect();
        rows.extend(term_query(store, &words, limit).await?);
    }
    rows.iter().map(search_candidate).collect()
}

/// Terms holding, for every query word long enough to correct, the word or a close vocabulary
/// word.
pub(super) async fn fuzzy_candidates(
    store: &SqlCatalogStore,
    normalized_query: &str,
    max_candidates: u32,
) -> Result<Vec<SearchCandidate>, StoreError> {
    let mut alternatives = Vec::new();
    for word in normalized_query.split(' ') {
        if word.chars().count() < MIN_CORRECTABLE_CHARS {
            continue;
        }
        let mut variants = vec![word.to_owned()];
        for correction in close_words(
            word,
            vocabulary_near(store, word).await?,
            CORRECTIONS_PER_WORD,
        ) {
            if !variants.contains(&correction) {
                variants.push(correction);
            }
        }
        alternatives.push(variants);
    }
    if alternatives.is_empty() {
        return Ok(Vec::new());
    }
    let rows = term_query(store, &alternatives, i64::from(max_candidates)).await?;
    rows.iter().map(search_candidate).collect()
}

/// Stored words sharing trigrams with `word` (best first by the index's ranking), and words
/// sharing its first two characters: a typo in a short word leaves it few trigrams.
async fn vocabulary_near(store: &SqlCatalogStore, word: &str) -> Result<Vec<String>, StoreError> {
    let leading: String = word.chars().take(2).collect();
    let leading_sql = "SELECT word FROM search_word WHERE word >= $1 AND word < $2 \
         ORDER BY length(word) LIMIT $3";
    let mut words: Vec<String> = sqlx::query_scalar(leading_sql)
        .bind(leading.as_str())
        .bind(format!("{leading}\u{10FFFF}"))
        .bind(WORD_PROPOSALS)
        .fetch_all(&store.pool)
        .instrument(
            store
                .database
                .statement_span("SELECT search_word", leading_sql),
        )
        .await?;
    let expression = trigrams(word)
        .iter()
        .map(|trigram| quote(trigram))
        .collect::<Vec<_>>()
        .join(" OR ");
    if expression.is_empty() {
        return Ok(words);
    }
    let trigrams_sql = "SELECT w.word FROM search_word_fts f JOIN search_word w ON w.id = f.rowid \
         WHERE search_word_fts MATCH $1 ORDER BY f.rank LIMIT $2";
    let by_trigrams: Vec<String> = sqlx::query_scalar(trigrams_sql)
        .bind(expression)
        .bind(WORD_PROPOSALS)
        .fetch_all(&store.pool)
        .instrument(
            store
                .database
                .statement_span("SELECT search_word_fts", trigrams_sql),
        )
        .await?;
    words.extend(by_trigrams);
    Ok(words)
}

/// Terms matching every group: a group matches when any of its words does; the last group's
/// words match as prefixes (the user may still be typing).
async fn term_query(
    store: &SqlCatalogStore,
    groups: &[Vec<String>],
    limit: i64,
) -> Result<Vec<sqlx::any::AnyRow>, StoreError> {
    let last = groups.len().saturating_sub(1);
    let expression = groups
        .iter()
        .enumerate()
        .map(|(index, words)| {
            let suffix = if index == last { "*" } else { "" };
            let alternatives = words
                .iter()
                .map(|word| format!("{}{suffix}", quote(word)))
                .collect::<Vec<_>>()
                .join(" OR ");
            format!("({alternatives})")
        })
        .collect::<Vec<_>>()
        .join(" AND ");
    let sql = "SELECT t.anime_id, t.term, t.original, t.term_kind FROM search_term_fts f \
         JOIN search_term t ON t.id = f.rowid \
         WHERE search_term_fts MATCH $1 ORDER BY f.rank LIMIT $2";
    let rows = sqlx::query(sql)
        .bind(expression)
        .bind(limit)
        .fetch_all(&store.pool)
        .instrument(store.database.statement_span("SELECT search_term_fts", sql))
        .await?;
    Ok(rows)
}

/// An FTS5 string literal (doubling any quote, though normalised text has none).
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}
