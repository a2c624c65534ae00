//! What the search index filters and compares by, beside the terms: each changed anime's summary
//! (type, status, start, episodes, score), studios and tags, read for the anime the index catches
//! up with (`search_source`).

use std::collections::HashMap;

use super::database::{Query, params};
use super::rows::{SummaryRow, summary_columns};
use super::{AnimeSummary, IndexedAnime, SqlCatalogStore, StoreError};

/// An anime's filter and similarity fields as the search index holds them.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexFacets {
    /// Type, status, start, episodes, score and popularity.
    pub summary: AnimeSummary,
    /// Studio names, lowercase.
    pub studios: Vec<String>,
    /// Tag names (stored lowercase).
    pub tags: Vec<String>,
}

/// Gives each of `anime` (all written at or after `changed_since_ms`) its facets; an anime
/// removed meanwhile keeps none and is indexed without filter values.
pub(super) async fn attach(
    store: &SqlCatalogStore,
    changed_since_ms: i64,
    anime: &mut [IndexedAnime],
) -> Result<(), StoreError> {
    let summary_sql = format!(
        "SELECT {}, a.studios FROM anime a WHERE a.updated_at_ms >= $1",
        summary_columns("a")
    );
    let rows = store
        .database
        .fetch_all(Query::new(
            "SELECT anime",
            summary_sql,
            params![changed_since_ms],
        ))
        .await?;
    let mut facets: HashMap<String, IndexFacets> = HashMap::with_capacity(rows.len());
    for row in &rows {
        let studios_json: String = row.try_get("studios")?;
        let studios: Vec<String> =
            serde_json::from_str(&studios_json).map_err(|_| StoreError::Corrupt {
                column: "anime.studios",
                value: studios_json.clone(),
            })?;
        let summary = SummaryRow::from_row(row)?.into_summary()?;
        facets.insert(
            summary.id.to_string(),
            IndexFacets {
                summary,
                studios: studios.iter().map(|studio| studio.to_lowercase()).collect(),
                tags: Vec::new(),
            },
        );
    }
    let tags_sql = "SELECT at.anime_id, t.name FROM anime_tag at \
         JOIN tag t ON t.id = at.tag_id JOIN anime a ON a.id = at.anime_id \
         WHERE a.updated_at_ms >= $1";
    let tag_rows = store
        .database
        .fetch_all(Query::new(
            "SELECT anime_tag",
            tags_sql,
            params![changed_since_ms],
        ))
        .await?;
    for row in &tag_rows {
        let anime_id: String = row.try_get("anime_id")?;
        if let Some(entry) = facets.get_mut(&anime_id) {
            entry.tags.push(row.try_get("name")?);
        }
    }
    for one in anime.iter_mut() {
        one.facets = facets.remove(&one.anime_id);
    }
    Ok(())
}
