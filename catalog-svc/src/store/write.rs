//! Writes: many records per transaction with a savepoint per record, and relation resolution.
//! The statements are plain SQL that SQLite and PostgreSQL both accept (`ON CONFLICT`, numbered
//! placeholders); a record's writes go out as one [`WriteBatch`].

use super::batch::WriteBatch;
use super::database::{Param, Query, Transaction, params};
use super::sql::{Backend, SqlCatalogStore, placeholders};
use super::{AnimeRecord, RelationChanges, StoreError, UpsertOutcome};
use crate::domain::{AnimeId, Season};
use crate::search::{TermKind, normalize};

/// Upserts `records` in one transaction, each inside its own savepoint: a record the database
/// refuses is rolled back to its savepoint and reported, and the batch goes on.
pub(super) async fn upsert_batch(
    store: &SqlCatalogStore,
    records: &[AnimeRecord],
) -> Result<Vec<Result<(AnimeId, UpsertOutcome), StoreError>>, StoreError> {
    let mut transaction = store.database.begin().await?;
    if store.backend == Backend::Postgres {
        // Waiting for the commit's WAL flush would bound an import to the disk's flush rate. A
        // crash loses at most the last few batches, which a re-run of the (idempotent) import
        // restores; it never leaves a record half written.
        transaction
            .execute(Query::new(
                "SET",
                "SET LOCAL synchronous_commit TO OFF",
                params![],
            ))
            .await?;
    }
    let mut outcomes = Vec::with_capacity(records.len());
    for record in records {
        transaction
            .execute(Query::new("SAVEPOINT", "SAVEPOINT record", params![]))
            .await?;
        match upsert_anime(&mut transaction, store.backend, record).await {
            Ok(outcome) => outcomes.push(Ok(outcome)),
            Err(error) => {
                transaction
                    .execute_all(vec![
                        Query::new("ROLLBACK", "ROLLBACK TO SAVEPOINT record", params![]),
                        release_savepoint(),
                    ])
                    .await?;
                outcomes.push(Err(error));
            }
        }
    }
    transaction.commit().await?;
    Ok(outcomes)
}

fn release_savepoint() -> Query {
    Query::new("RELEASE", "RELEASE SAVEPOINT record", params![])
}

/// Upserts one record inside the current savepoint, releasing it when the writes succeed.
async fn upsert_anime(
    transaction: &mut Transaction,
    backend: Backend,
    record: &AnimeRecord,
) -> Result<(AnimeId, UpsertOutcome), StoreError> {
    let content_hash = record.content_hash();
    let (id, stored_hash) = stored_id_and_hash(transaction, &record.sources).await?;
    let outcome = match stored_hash {
        Some(hash) if hash == content_hash => {
            transaction.execute(release_savepoint()).await?;
            return Ok((id, UpsertOutcome::Unchanged));
        }
        Some(_) => UpsertOutcome::Updated,
        None => UpsertOutcome::Inserted,
    };
    let mut writes = anime_writes(backend, &id, record, &content_hash, outcome).into_queries();
    writes.push(release_savepoint());
    transaction.execute_all(writes).await?;
    Ok((id, outcome))
}

/// The id a record takes and the content hash stored under it, in one statement: the anime of
/// the first of its sources already stored, else the id derived from its sources (stored or
/// not).
async fn stored_id_and_hash(
    transaction: &mut Transaction,
    sources: &[String],
) -> Result<(AnimeId, Option<String>), StoreError> {
    let derived = AnimeId::derive_from_sources(sources);
    let sql = format!(
        "SELECT id, content_hash FROM ( \
             SELECT a.id, a.content_hash, 0 AS preference, s.position \
             FROM anime_source s JOIN anime a ON a.id = s.anime_id WHERE s.url IN ({}) \
             UNION ALL SELECT id, content_hash, 1, 0 FROM anime WHERE id = ${} \
         ) found ORDER BY preference, position LIMIT 1",
        placeholders(1, sources.len()),
        sources.len() + 1
    );
    let mut params: Vec<Param> = sources
        .iter()
        .map(|source| Param::from(source.as_str()))
        .collect();
    params.push(Param::from(derived.as_str()));
    let row = transaction
        .fetch_optional(Query::new("SELECT anime", sql, params))
        .await?;
    match row {
        Some(row) => Ok((
            AnimeId::from_storage(row.try_get("id")?),
            Some(row.try_get("content_hash")?),
        )),
        None => Ok((derived, None)),
    }
}

/// The anime row and everything hanging off it, as one batch.
fn anime_writes(
    backend: Backend,
    id: &AnimeId,
    record: &AnimeRecord,
    content_hash: &str,
    outcome: UpsertOutcome,
) -> WriteBatch {
    let mut batch = WriteBatch::new(backend);
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
             updated_at = CURRENT_TIMESTAMP, updated_at_ms = excluded.updated_at_ms",
        vec![
            Param::from(anime_id),
            Param::from(&record.title),
            Param::from(normalize(&record.title)),
            Param::from(record.anime_type.as_str()),
            Param::from(record.status.as_str()),
            Param::from(i64::from(record.episode_count)),
            Param::from(record.season.map(Season::as_str)),
            Param::from(record.year.map(i64::from)),
            Param::from(&record.synopsis),
            Param::from(&record.picture),
            Param::from(&record.thumbnail),
            Param::from(record.episode_duration_seconds.map(i64::from)),
            Param::from(studios),
            Param::from(producers),
            Param::from(content_hash),
            Param::from(score.ranking_value()),
            Param::from(score.arithmetic_geometric_mean),
            Param::from(score.arithmetic_mean),
            Param::from(score.median),
            Param::from(i64::from(record.popularity())),
            Param::from(unix_millis_now()),
        ],
    );
    if outcome == UpsertOutcome::Updated {
        // The old tags no longer count this anime; the new ones are counted below.
        batch.push(
            "UPDATE tag",
            "UPDATE tag SET anime_count = anime_count - 1 \
             WHERE id IN (SELECT tag_id FROM anime_tag WHERE anime_id = $?)",
            vec![Param::from(anime_id)],
        );
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
            batch.push(summary, sql, vec![Param::from(anime_id)]);
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
                Param::from(anime_id),
                Param::from(source),
                Param::from(kind.as_str()),
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
                Param::from(anime_id),
                Param::from(number),
                Param::from(duration),
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
fn positioned(anime_id: &str, values: &[String]) -> Vec<Vec<Param>> {
    values
        .iter()
        .enumerate()
        .map(|(position, value)| {
            vec![
                Param::from(anime_id),
                Param::from(position as i64),
                Param::from(value),
            ]
        })
        .collect()
}

fn push_tags(batch: &mut WriteBatch, anime_id: &str, record: &AnimeRecord) {
    if record.tags.is_empty() {
        return;
    }
    let tag_rows = record
        .tags
        .iter()
        .map(|tag| vec![Param::from(&tag.name), Param::from(tag.category.as_str())])
        .collect();
    batch.insert_rows(
        "INSERT tag",
        "tag (name, category)",
        "ON CONFLICT (name) DO NOTHING",
        tag_rows,
    );
    let names = vec!["$?"; record.tags.len()].join(", ");
    let mut values = vec![Param::from(anime_id)];
    values.extend(record.tags.iter().map(|tag| Param::from(&tag.name)));
    batch.push(
        "INSERT anime_tag",
        &format!(
            "INSERT INTO anime_tag (anime_id, tag_id) SELECT $?, id FROM tag WHERE name IN ({names})"
        ),
        values,
    );
    let counted = record
        .tags
        .iter()
        .map(|tag| Param::from(tag.name.as_str()))
        .collect();
    batch.push(
        "UPDATE tag",
        &format!("UPDATE tag SET anime_count = anime_count + 1 WHERE name IN ({names})"),
        counted,
    );
}

/// The title and distinct synonyms, normalised for search.
fn search_terms(anime_id: &str, record: &AnimeRecord) -> Vec<Vec<Param>> {
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
            Param::from(anime_id),
            Param::from(term),
            Param::from(original),
            Param::from(kind.as_str()),
        ]);
    }
    rows
}

/// Relations are derived from `anime_relation_desired`, a view joining relation links to stored
/// sources; the diff keeps a re-run from rewriting anything.
pub(super) async fn resolve_relations(
    store: &SqlCatalogStore,
) -> Result<RelationChanges, StoreError> {
    let mut transaction = store.database.begin().await?;
    let remove = Query::new(
        "DELETE anime_relation",
        "DELETE FROM anime_relation WHERE NOT EXISTS \
         (SELECT 1 FROM anime_relation_desired d \
         WHERE d.anime_id = anime_relation.anime_id AND d.related_id = anime_relation.related_id \
         AND d.kind = anime_relation.kind)",
        params![],
    );
    let add = Query::new(
        "INSERT anime_relation",
        "INSERT INTO anime_relation (anime_id, related_id, kind) \
         SELECT d.anime_id, d.related_id, d.kind FROM anime_relation_desired d \
         WHERE NOT EXISTS (SELECT 1 FROM anime_relation r \
             WHERE r.anime_id = d.anime_id AND r.related_id = d.related_id)",
        params![],
    );
    let changed = transaction.execute_all(vec![remove, add]).await?;
    transaction.commit().await?;
    Ok(RelationChanges {
        removed: changed[0],
        added: changed[1],
    })
}
