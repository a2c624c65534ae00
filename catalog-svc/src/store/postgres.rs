//! What only the PostgreSQL backend does: its migrations (pg_trgm, tsvector) and search
//! candidates from the pattern, full-text and trigram indexes.

use std::str::FromStr;

use kensho_telemetry::database::DatabaseTarget;
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::postgres::PgConnectOptions;
use sqlx::{AnyPool, Executor};
use tracing::Instrument;

use super::rows::search_candidate;
use super::{SqlCatalogStore, StoreError};
use crate::search::{SearchCandidate, close_words};

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

/// The server a PostgreSQL URL names, for statement spans (the URL's credentials stay out).
pub(super) fn target(url: &str) -> Result<DatabaseTarget, StoreError> {
    let options = PgConnectOptions::from_str(url)?;
    Ok(DatabaseTarget::postgresql(
        options.get_host(),
        options.get_port(),
    ))
}

/// The PostgreSQL schema.
pub(super) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// Terms starting with the query, or holding every query word with the last one possibly
/// unfinished (expanded to the catalog's words it begins), from the pattern and tsvector indexes.
pub(super) async fn direct_candidates(
    store: &SqlCatalogStore,
    normalized_query: &str,
    max_candidates: u32,
) -> Result<Vec<SearchCandidate>, StoreError> {
    let mut groups: Vec<Vec<String>> = normalized_query
        .split(' ')
        .map(|word| vec![word.to_owned()])
        .collect();
    if let Some(last) = groups.last_mut() {
        let unfinished = last[0].clone();
        let completions_sql =
            "SELECT word FROM search_word WHERE word LIKE $1 ORDER BY length(word), word LIMIT $2";
        let completions: Vec<String> = sqlx::query_scalar(completions_sql)
            .bind(format!("{}%", escape_like(&unfinished)))
            .bind(WORD_COMPLETIONS)
            .fetch_all(&store.pool)
            .instrument(
                store
                    .database
                    .statement_span("SELECT search_word", completions_sql),
            )
            .await?;
        last.extend(completions.into_iter().filter(|word| *word != unfinished));
    }
    let terms_sql = "SELECT anime_id, term, original, term_kind FROM search_term \
         WHERE term LIKE $1 OR term_vector @@ to_tsquery('simple', $2) \
         ORDER BY length(term), term LIMIT $3";
    let rows = sqlx::query(terms_sql)
        .bind(format!("{}%", escape_like(normalized_query)))
        .bind(any_variant_query(&groups, false))
        .bind(i64::from(max_candidates))
        .fetch_all(&store.pool)
        .instrument(
            store
                .database
                .statement_span("SELECT search_term", terms_sql),
        )
        .await?;
    rows.iter().map(search_candidate).collect()
}

/// Completions of the last query word asked of the tsvector index.
const WORD_COMPLETIONS: i64 = 32;

/// Terms holding, for every query word long enough to correct, the word or a close word of the
/// catalog's vocabulary (found by trigram similarity), through the tsvector index.
pub(super) async fn fuzzy_candidates(
    store: &SqlCatalogStore,
    normalized_query: &str,
    max_candidates: u32,
) -> Result<Vec<SearchCandidate>, StoreError> {
    let mut groups = Vec::new();
    for word in normalized_query.split(' ') {
        if word.chars().count() < MIN_CORRECTABLE_CHARS {
            continue;
        }
        let proposals_sql = "SELECT word FROM search_word WHERE word % $1 \
             ORDER BY similarity(word, $1) DESC, word LIMIT $2";
        let proposals: Vec<String> = sqlx::query_scalar(proposals_sql)
            .bind(word)
            .bind(WORD_PROPOSALS)
            .fetch_all(&store.pool)
            .instrument(
                store
                    .database
                    .statement_span("SELECT search_word", proposals_sql),
            )
            .await?;
        let mut variants = vec![word.to_owned()];
        for correction in close_words(word, proposals, CORRECTIONS_PER_WORD) {
            if !variants.contains(&correction) {
                variants.push(correction);
            }
        }
        groups.push(variants);
    }
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let terms_sql = "SELECT anime_id, term, original, term_kind FROM search_term \
         WHERE term_vector @@ to_tsquery('simple', $1) ORDER BY length(term), term LIMIT $2";
    let rows = sqlx::query(terms_sql)
        .bind(any_variant_query(&groups, true))
        .bind(i64::from(max_candidates))
        .fetch_all(&store.pool)
        .instrument(
            store
                .database
                .statement_span("SELECT search_term", terms_sql),
        )
        .await?;
    rows.iter().map(search_candidate).collect()
}

/// Vocabulary words the trigram index proposes per misspelt word, before scoring.
const WORD_PROPOSALS: i64 = 64;
/// Corrections tried per misspelt word.
const CORRECTIONS_PER_WORD: usize = 6;
/// Shortest word worth correcting: shorter words are too ambiguous and are left out instead.
const MIN_CORRECTABLE_CHARS: usize = 3;

/// A tsquery requiring, for every group, any of its words (with `last_as_prefix`, the last
/// group's as prefixes): `('spy' | 'spa') & ('famly':* | 'family':*)`.
fn any_variant_query(groups: &[Vec<String>], last_as_prefix: bool) -> String {
    let last = if last_as_prefix {
        groups.len().saturating_sub(1)
    } else {
        usize::MAX
    };
    groups
        .iter()
        .enumerate()
        .map(|(index, words)| {
            let suffix = if index == last { ":*" } else { "" };
            let alternatives = words
                .iter()
                .map(|word| format!("{}{suffix}", ts_lexeme(word)))
                .collect::<Vec<_>>()
                .join(" | ");
            format!("({alternatives})")
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// A quoted tsquery lexeme.
fn ts_lexeme(word: &str) -> String {
    format!("'{}'", word.replace('\'', "''"))
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
