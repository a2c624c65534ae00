//! What the search index is built from: each anime's normalised title and synonyms
//! (`search_term`), read whole at start and then for the anime changed since a point in time.

use super::database::{Query, params};
use super::{IndexFacets, SqlCatalogStore, StoreError};
use crate::search::{SearchCandidate, TermKind};

/// One anime as the search index holds it.
#[derive(Clone, Debug)]
pub struct IndexedAnime {
    /// The anime.
    pub anime_id: String,
    /// When it was last written, in Unix milliseconds (`anime.updated_at_ms`).
    pub updated_at_ms: i64,
    /// Its distinct normalised title and synonyms; empty when none has a letter or a digit.
    pub terms: Vec<SearchCandidate>,
    /// Its filter and similarity fields; `None` when the anime was removed while being read.
    pub facets: Option<IndexFacets>,
}

/// Every anime written at or after `changed_since_ms`, ordered by id, with its terms in stored
/// order (the title first).
pub(super) async fn changed_since(
    store: &SqlCatalogStore,
    changed_since_ms: i64,
) -> Result<Vec<IndexedAnime>, StoreError> {
    let sql = "SELECT a.id AS anime_id, a.updated_at_ms, t.term, t.original, t.term_kind \
         FROM anime a LEFT JOIN search_term t ON t.anime_id = a.id \
         WHERE a.updated_at_ms >= $1 ORDER BY a.id, t.id";
    let rows = store
        .database
        .fetch_all(Query::new("SELECT anime", sql, params![changed_since_ms]))
        .await?;
    let mut anime: Vec<IndexedAnime> = Vec::new();
    for row in &rows {
        let anime_id: String = row.try_get("anime_id")?;
        let is_next_anime = anime
            .last()
            .is_none_or(|current| current.anime_id != anime_id);
        if is_next_anime {
            anime.push(IndexedAnime {
                anime_id: anime_id.clone(),
                updated_at_ms: row.try_get("updated_at_ms")?,
                terms: Vec::new(),
                facets: None,
            });
        }
        // An anime without terms comes back once, with NULL term columns.
        let Some(term) = row.try_get::<Option<String>>("term")? else {
            continue;
        };
        let kind_name: String = row.try_get("term_kind")?;
        if let Some(current) = anime.last_mut() {
            current.terms.push(SearchCandidate {
                anime_id,
                term,
                original: row.try_get("original")?,
                kind: TermKind::from_name(&kind_name),
            });
        }
    }
    Ok(anime)
}
