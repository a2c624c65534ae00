//! Writes: one anime per transaction, and relation resolution. The statements are plain SQL that
//! SQLite and PostgreSQL both accept (`ON CONFLICT`, numbered placeholders); a record's writes go
//! out as one [`WriteBatch`].

use kensho_telemetry::database::DatabaseTarget;
use sqlx::{Any, AnyConnection, AssertSqlSafe, Connection, Transaction};
use tracing::Instrument;

use super::batch::{Value, WriteBatch};
use super::sql::{Backend, SqlCatalogStore, placeholders};
use super::{AnimeRecord, RelationChanges, StoreError, UpsertOutcome};
use crate::domain::{AnimeId, Season};
use crate::search::{TermKind, normalize};

/// Upserts one record in its own transaction on `connection`.
pub(super) async fn upsert_anime(
    connection: &mut AnyConnection,
    store: &SqlCatalogStore,
    record: &AnimeRecord,
) -> Result<(AnimeId, UpsertOutcome), StoreError> {
    let database = &store.database;
    let content_hash = record.content_hash();
    let mut transaction = connection.begin().await?;
    if store.backend == Backend::Postgres {
        // Each record commits on its own; waiting for every commit's WAL flush would bound an
        // import to the disk's flush rate. A crash loses at most the last few commits, which a
        // re-run of the (idempotent) import restores; it never leaves a record half written.
        let sql = "SET LOCAL synchronous_commit TO OFF";
        sqlx::query(sql)
            .execute(&mut *transaction)
            .instrument(database.statement_span("SET", sql))
            .await?;
    }
    let id = match existing_id_for_sources(&mut transaction, database, &record.sources).await? {
        Some(id) => id,
        None => AnimeId::derive_from_sources(&record.sources),
    };
    let hash_sql = "SELECT content_hash FROM anime WHERE id = $1";
    let stored_hash: Option<String> = sqlx::query_scalar(hash_sql)
        .bind(id.as_str())
        .fetch_optional(&mut *transaction)
        .instrument(database.statement_span("SELECT anime", hash_sql))
        .await?;
    let outcome = match stored_hash {
        Some(hash) if hash == content_hash => return Ok((id, UpsertOutcome::Unchanged)),
        Some(_) => UpsertOutcome::Updated,
        None => UpsertOutcome::Inserted,
    };
    anime_writes(&id, record, &content_hash, outcome)
        .execute(&mut transaction, store.backend, database)
        .await?;
    transaction.commit().await?;
    Ok((id, outcome))
}

async fn existing_id_for_sources(
    transaction: &mut Transaction<'_, Any>,
    database: &DatabaseTarget,
    sources: &[String],
) -> Result<Option<AnimeId>, StoreError> {
    let sql = format!(
        "SELECT anime_id FROM anime_source WHERE url IN ({}) ORDER BY position LIMIT 1",
        placeholders(1, sources.len())
    );
    let span = database.statement_span("SELECT anime_source", &sql);
    let mut query = sqlx::query_scalar::<_, String>(AssertSqlSafe(sql));
    for source in sources {
        query = query.bind(source.as_str());
    }
    Ok(query
        .fetch_optional(&mut **transaction)
        .instrument(span)
        .await?
        .map(AnimeId::from_storage))
}

/// The anime row and everything hanging off it, as one batch.
fn anime_writes<'a>(
    id: &'a AnimeId,
    record: &'a AnimeRecord,
    content_hash: &'a str,
    outcome: UpsertOutcome,
) -> WriteBatch<'a> {
    let mut batch = WriteBatch::default();
    let anime_id = id.as_str();
    // Serialising a list of strings cannot fail.
    let studios = serde_json::to_string(&record.studios).unwrap_or_else(|_| "[]".to_owned());
    let producers = serde_json::to_string(&record.producers).unwrap_or_else(|_| "[]".to_owned());
    let score = record.score.unwrap_or_default();
    batch.push(
        "INSERT anime",
        "INSERT INTO anime (id, title, title_normalized, anime_type, status, episode_count, season, \
             season_year, synopsis, picture, thumbnail, episode_duration_seconds, studios, producers, \
             content_hash, score, score_arithmetic_geometric_mean, score_arithmetic_mean, \
             score_median, popularity, updated_at_ms) \
         VALUES ($?, $?, $?, $?, $?, $?, $?, $?, $?, $?, $?, $?, $?, $?, $?, $?, $?, $?, $?, $?, \
             $?) \
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, \
             title_normalized = excluded.title_normalized, anime_type = excluded.anime_type, \
             status = excluded.status, episode_count = excluded.episode_count, \
             season = excluded.season, season_year = excluded.season_year, \
             synopsis = excluded.synopsis, picture = excluded.picture, \
             thumbnail = excluded.thumbnail, \
             episode_duration_seconds = excluded.episode_duration_seconds, \
             studios = excluded.studios, producers = excluded.producers, \
             content_hash = excluded.content_hash, score = excluded.score, \
             score_arithmetic_geometric_mean = excluded.score_arithmetic_geometric_mean, \
             score_arithmetic_mean = excluded.score_arithmetic_mean, \
             score_median = excluded.score_median, popularity = excluded.popularity, \
             updated_at = CURRENT_TIMESTAMP, updated_at_ms = excluded.updated_at_ms"
            .to_owned(),
        vec![
            Value::Text(anime_id),
            Value::Text(&record.title),
            Value::Owned(normalize(&record.title)),
            Value::Text(record.anime_type.as_str()),
            Value::Text(record.status.as_str()),
            Value::Integer(i64::from(record.episode_count)),
            Value::OptionalText(record.season.map(Season::as_str)),
            Value::OptionalInteger(record.year.map(i64::from)),
            Value::Text(&record.synopsis),
            Value::Text(&record.picture),
            Value::Text(&record.thumbnail),
            Value::OptionalInteger(record.episode_duration_seconds.map(i64::from)),
            Value::Owned(studios),
            Value::Owned(producers),
            Value::Text(content_hash),
            Value::OptionalFloat(score.ranking_value()),
            Value::OptionalFloat(score.arithmetic_geometric_mean),
            Value::OptionalFloat(score.arithmetic_mean),
            Value::OptionalFloat(score.median),
            Value::Integer(i64::from(record.popularity())),
            Value::Integer(unix_millis_now()),
        ],
    );
    if outcome == UpsertOutcome::Updated {
        // Episodes stay: they may carry data from a sync.
        for (summary, sql) in [
            (
                "DELETE anime_synonym",
                "DELETE FROM anime_synonym WHERE anime_id = $?",
            ),
            (
                "DELETE anime_source",
                "DELETE FROM anime_source WHERE anime_id = $?",
            ),
            (
                "DELETE anime_tag",
                "DELETE FROM anime_tag WHERE anime_id = $?",
            ),
            (
                "DELETE anime_relation_link",
                "DELETE FROM anime_relation_link WHERE anime_id = $?",
            ),
            (
                "DELETE search_term",
                "DELETE FROM search_term WHERE anime_id = $?",
            ),
        ] {
            batch.push(summary, sql.to_owned(), vec![Value::Text(anime_id)]);
        }
    }
    batch.insert_rows(
        "INSERT anime_synonym",
        "anime_synonym (anime_id, position, synonym)",
        "",
        positioned(anime_id, &record.synonyms),
    );
    // A source moving from another record to this one follows the newer record.
    batch.insert_rows(
        "INSERT anime_source",
        "anime_source (anime_id, position, url)",
        "ON CONFLICT (url) DO UPDATE SET anime_id = excluded.anime_id, position = excluded.position",
        positioned(anime_id, &record.sources),
    );
    push_tags(&mut batch, anime_id, record);
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
    batch.insert_rows(
        "INSERT anime_relation_link",
        "anime_relation_link (anime_id, target_source, kind)",
        "",
        links,
    );
    // Numbered episodes up to the record's count; existing ones keep what a sync wrote to them.
    let duration = record.episode_duration_seconds.map(i64::from);
    let episodes = (1..=i64::from(record.episode_count))
        .map(|number| {
            vec![
                Value::Text(anime_id),
                Value::Integer(number),
                Value::OptionalInteger(duration),
            ]
        })
        .collect();
    batch.insert_rows(
        "INSERT episode",
        "episode (anime_id, episode_number, duration_seconds)",
        "ON CONFLICT (anime_id, episode_number) DO NOTHING",
        episodes,
    );
    batch.insert_rows(
        "INSERT search_term",
        "search_term (anime_id, term, original, term_kind)",
        "",
        search_terms(anime_id, record),
    );
    batch
}

/// The write time every replica's search index catches up by (`anime.updated_at_ms`).
fn unix_millis_now() -> i64 {
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    i64::try_from(nanos / 1_000_000).unwrap_or(i64::MAX)
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

fn push_tags<'a>(batch: &mut WriteBatch<'a>, anime_id: &'a str, record: &'a AnimeRecord) {
    if record.tags.is_empty() {
        return;
    }
    let tag_rows = record
        .tags
        .iter()
        .map(|tag| vec![Value::Text(&tag.name), Value::Text(tag.category.as_str())])
        .collect();
    batch.insert_rows(
        "INSERT tag",
        "tag (name, category)",
        "ON CONFLICT (name) DO NOTHING",
        tag_rows,
    );
    let names = vec!["$?"; record.tags.len()].join(", ");
    let mut values = vec![Value::Text(anime_id)];
    values.extend(record.tags.iter().map(|tag| Value::Text(&tag.name)));
    batch.push(
        "INSERT anime_tag",
        format!("INSERT INTO anime_tag (anime_id, tag_id) SELECT $?, id FROM tag WHERE name IN ({names})"),
        values,
    );
}

/// The title and distinct synonyms, normalised for search.
fn search_terms<'a>(anime_id: &'a str, record: &'a AnimeRecord) -> Vec<Vec<Value<'a>>> {
    let mut seen: Vec<String> = Vec::new();
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
            Value::Text(anime_id),
            Value::Owned(term),
            Value::Text(original),
            Value::Text(kind.as_str()),
        ]);
    }
    rows
}

/// Relations are derived from `anime_relation_desired`, a view joining relation links to stored
/// sources; the diff keeps a re-run from rewriting anything.
pub(super) async fn resolve_relations(
    store: &SqlCatalogStore,
) -> Result<RelationChanges, StoreError> {
    let database = &store.database;
    let mut transaction = store.pool.begin().await?;
    let remove_sql = "DELETE FROM anime_relation WHERE NOT EXISTS \
         (SELECT 1 FROM anime_relation_desired d \
         WHERE d.anime_id = anime_relation.anime_id AND d.related_id = anime_relation.related_id \
         AND d.kind = anime_relation.kind)";
    let removed = sqlx::query(remove_sql)
        .execute(&mut *transaction)
        .instrument(database.statement_span("DELETE anime_relation", remove_sql))
        .await?
        .rows_affected();
    let add_sql = "INSERT INTO anime_relation (anime_id, related_id, kind) \
         SELECT d.anime_id, d.related_id, d.kind FROM anime_relation_desired d \
         WHERE NOT EXISTS (SELECT 1 FROM anime_relation r \
             WHERE r.anime_id = d.anime_id AND r.related_id = d.related_id)";
    let added = sqlx::query(add_sql)
        .execute(&mut *transaction)
        .instrument(database.statement_span("INSERT anime_relation", add_sql))
        .await?
        .rows_affected();
    transaction.commit().await?;
    Ok(RelationChanges { added, removed })
}
