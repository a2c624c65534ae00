//! Writes: one anime per transaction, and relation resolution. The statements are plain SQL that
//! SQLite and PostgreSQL both accept (`ON CONFLICT`, numbered placeholders).

use sqlx::{Any, AnyPool, AssertSqlSafe, Transaction};

use super::sql::placeholders;
use super::{AnimeRecord, RelationChanges, StoreError, UpsertOutcome};
use crate::domain::{AnimeId, Season};
use crate::search::{TermKind, normalize};

/// Rows per multi-row `INSERT`, well under both backends' placeholder limits.
const ROWS_PER_INSERT: usize = 500;

pub(super) async fn upsert_anime(
    pool: &AnyPool,
    record: &AnimeRecord,
) -> Result<(AnimeId, UpsertOutcome), StoreError> {
    let content_hash = record.content_hash();
    let mut transaction = pool.begin().await?;
    let id = match existing_id_for_sources(&mut transaction, &record.sources).await? {
        Some(id) => id,
        None => AnimeId::derive_from_sources(&record.sources),
    };
    let stored_hash: Option<String> =
        sqlx::query_scalar("SELECT content_hash FROM anime WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&mut *transaction)
            .await?;
    let outcome = match stored_hash {
        Some(hash) if hash == content_hash => return Ok((id, UpsertOutcome::Unchanged)),
        Some(_) => UpsertOutcome::Updated,
        None => UpsertOutcome::Inserted,
    };
    write_anime_row(&mut transaction, &id, record, &content_hash).await?;
    replace_children(&mut transaction, &id, record).await?;
    transaction.commit().await?;
    Ok((id, outcome))
}

async fn existing_id_for_sources(
    transaction: &mut Transaction<'_, Any>,
    sources: &[String],
) -> Result<Option<AnimeId>, StoreError> {
    let sql = format!(
        "SELECT anime_id FROM anime_source WHERE url IN ({}) ORDER BY position LIMIT 1",
        placeholders(1, sources.len())
    );
    let mut query = sqlx::query_scalar::<_, String>(AssertSqlSafe(sql));
    for source in sources {
        query = query.bind(source.as_str());
    }
    Ok(query
        .fetch_optional(&mut **transaction)
        .await?
        .map(AnimeId::from_storage))
}

async fn write_anime_row(
    transaction: &mut Transaction<'_, Any>,
    id: &AnimeId,
    record: &AnimeRecord,
    content_hash: &str,
) -> Result<(), StoreError> {
    // Serialising a list of strings cannot fail.
    let studios = serde_json::to_string(&record.studios).unwrap_or_else(|_| "[]".to_owned());
    let producers = serde_json::to_string(&record.producers).unwrap_or_else(|_| "[]".to_owned());
    sqlx::query(
        "INSERT INTO anime (id, title, title_normalized, anime_type, status, episode_count, season, \
             season_year, synopsis, picture, thumbnail, episode_duration_seconds, studios, producers, \
             content_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, \
             title_normalized = excluded.title_normalized, anime_type = excluded.anime_type, \
             status = excluded.status, episode_count = excluded.episode_count, \
             season = excluded.season, season_year = excluded.season_year, \
             synopsis = excluded.synopsis, picture = excluded.picture, \
             thumbnail = excluded.thumbnail, \
             episode_duration_seconds = excluded.episode_duration_seconds, \
             studios = excluded.studios, producers = excluded.producers, \
             content_hash = excluded.content_hash",
    )
    .bind(id.as_str())
    .bind(record.title.as_str())
    .bind(normalize(&record.title))
    .bind(record.anime_type.as_str())
    .bind(record.status.as_str())
    .bind(i64::from(record.episode_count))
    .bind(record.season.map(Season::as_str))
    .bind(record.year.map(i64::from))
    .bind(record.synopsis.as_str())
    .bind(record.picture.as_str())
    .bind(record.thumbnail.as_str())
    .bind(record.episode_duration_seconds.map(i64::from))
    .bind(studios)
    .bind(producers)
    .bind(content_hash)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// One row of a multi-row insert: its values, bound in order.
enum Value<'a> {
    Text(&'a str),
    Owned(String),
    Integer(i64),
    OptionalInteger(Option<i64>),
}

/// Inserts `rows` into `table (columns)` in batches, with an optional conflict clause.
async fn insert_rows(
    transaction: &mut Transaction<'_, Any>,
    table_and_columns: &str,
    on_conflict: &str,
    rows: Vec<Vec<Value<'_>>>,
) -> Result<(), StoreError> {
    for batch in rows.chunks(ROWS_PER_INSERT) {
        let Some(width) = batch.first().map(Vec::len) else {
            return Ok(());
        };
        let tuples = (0..batch.len())
            .map(|row_index| format!("({})", placeholders(row_index * width + 1, width)))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("INSERT INTO {table_and_columns} VALUES {tuples} {on_conflict}");
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for value in batch.iter().flatten() {
            query = match value {
                Value::Text(text) => query.bind(*text),
                Value::Owned(text) => query.bind(text.clone()),
                Value::Integer(number) => query.bind(*number),
                Value::OptionalInteger(number) => query.bind(*number),
            };
        }
        query.execute(&mut **transaction).await?;
    }
    Ok(())
}

async fn replace_children(
    transaction: &mut Transaction<'_, Any>,
    id: &AnimeId,
    record: &AnimeRecord,
) -> Result<(), StoreError> {
    for table in [
        "anime_synonym",
        "anime_source",
        "anime_tag",
        "anime_relation_link",
        "search_term",
    ] {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE anime_id = $1"
        )))
        .bind(id.as_str())
        .execute(&mut **transaction)
        .await?;
    }
    let anime_id = id.as_str();
    insert_rows(
        transaction,
        "anime_synonym (anime_id, position, synonym)",
        "",
        positioned(anime_id, &record.synonyms),
    )
    .await?;
    // A source moving from another record to this one follows the newer record.
    insert_rows(
        transaction,
        "anime_source (anime_id, position, url)",
        "ON CONFLICT (url) DO UPDATE SET anime_id = excluded.anime_id, position = excluded.position",
        positioned(anime_id, &record.sources),
    )
    .await?;
    write_tags(transaction, id, record).await?;
    let links = record
        .relation_links
        .iter()
        .map(|(source, kind)| {
            vec![
                Value::Text(anime_id),
                Value::Text(source),
                Value::Text(kind.as_str()),
            ]
        })
        .collect();
    insert_rows(
        transaction,
        "anime_relation_link (anime_id, target_source, kind)",
        "",
        links,
    )
    .await?;
    write_episodes(transaction, id, record).await?;
    write_search_terms(transaction, id, record).await
}

/// `(anime_id, position, value)` rows for an ordered list.
fn positioned<'a>(anime_id: &'a str, values: &'a [String]) -> Vec<Vec<Value<'a>>> {
    values
        .iter()
        .enumerate()
        .map(|(position, value)| {
            vec![
                Value::Text(anime_id),
                Value::Integer(position as i64),
                Value::Text(value),
            ]
        })
        .collect()
}

async fn write_tags(
    transaction: &mut Transaction<'_, Any>,
    id: &AnimeId,
    record: &AnimeRecord,
) -> Result<(), StoreError> {
    if record.tags.is_empty() {
        return Ok(());
    }
    let tag_rows = record
        .tags
        .iter()
        .map(|tag| vec![Value::Text(&tag.name), Value::Text(tag.category.as_str())])
        .collect();
    insert_rows(
        transaction,
        "tag (name, category)",
        "ON CONFLICT (name) DO NOTHING",
        tag_rows,
    )
    .await?;
    let sql = format!(
        "INSERT INTO anime_tag (anime_id, tag_id) SELECT $1, id FROM tag WHERE name IN ({})",
        placeholders(2, record.tags.len())
    );
    let mut query = sqlx::query(AssertSqlSafe(sql)).bind(id.as_str());
    for tag in &record.tags {
        query = query.bind(tag.name.as_str());
    }
    query.execute(&mut **transaction).await?;
    Ok(())
}

/// Numbered episodes up to the record's count. Existing episodes keep what a sync wrote to them.
async fn write_episodes(
    transaction: &mut Transaction<'_, Any>,
    id: &AnimeId,
    record: &AnimeRecord,
) -> Result<(), StoreError> {
    let duration = record.episode_duration_seconds.map(i64::from);
    let rows = (1..=i64::from(record.episode_count))
        .map(|number| {
            vec![
                Value::Text(id.as_str()),
                Value::Integer(number),
                Value::OptionalInteger(duration),
            ]
        })
        .collect();
    insert_rows(
        transaction,
        "episode (anime_id, episode_number, duration_seconds)",
        "ON CONFLICT (anime_id, episode_number) DO NOTHING",
        rows,
    )
    .await
}

async fn write_search_terms(
    transaction: &mut Transaction<'_, Any>,
    id: &AnimeId,
    record: &AnimeRecord,
) -> Result<(), StoreError> {
    let mut seen = Vec::new();
    let mut rows = Vec::new();
    let titled = std::iter::once((&record.title, TermKind::Title)).chain(
        record
            .synonyms
            .iter()
            .map(|synonym| (synonym, TermKind::Synonym)),
    );
    for (original, kind) in titled {
        let term = normalize(original);
        if term.is_empty() || seen.contains(&term) {
            continue;
        }
        seen.push(term.clone());
        rows.push(vec![
            Value::Text(id.as_str()),
            Value::Owned(term),
            Value::Text(original),
            Value::Text(kind.as_str()),
        ]);
    }
    insert_rows(
        transaction,
        "search_term (anime_id, term, original, term_kind)",
        "",
        rows,
    )
    .await
}

/// Relations are derived from `anime_relation_desired`, a view joining relation links to stored
/// sources; the diff keeps a re-run from rewriting anything.
pub(super) async fn resolve_relations(pool: &AnyPool) -> Result<RelationChanges, StoreError> {
    let mut transaction = pool.begin().await?;
    let removed = sqlx::query(
        "DELETE FROM anime_relation WHERE NOT EXISTS (SELECT 1 FROM anime_relation_desired d \
         WHERE d.anime_id = anime_relation.anime_id AND d.related_id = anime_relation.related_id \
         AND d.kind = anime_relation.kind)",
    )
    .execute(&mut *transaction)
    .await?
    .rows_affected();
    let added = sqlx::query(
        "INSERT INTO anime_relation (anime_id, related_id, kind) \
         SELECT d.anime_id, d.related_id, d.kind FROM anime_relation_desired d \
         WHERE NOT EXISTS (SELECT 1 FROM anime_relation r \
             WHERE r.anime_id = d.anime_id AND r.related_id = d.related_id)",
    )
    .execute(&mut *transaction)
    .await?
    .rows_affected();
    transaction.commit().await?;
    Ok(RelationChanges { added, removed })
}
