//! The search index: one tantivy document per title or synonym, in memory or under the data
//! directory, built from the store at start and caught up with the anime changed since.
//!
//! Every replica keeps its own index and follows its database by `anime.updated_at_ms`: a
//! catch-up reads the anime written since the last one (minus [`CATCH_UP_OVERLAP_MS`], for
//! transactions that committed late and clocks that differ between writers) and replaces those
//! whose write time it has not indexed yet. Changes made by this process are caught up right
//! after they are written; others at the next periodic catch-up.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::schema::TermFields;
use super::similar::{TagMatch, TagProfiles};
use super::{
    MatchKind, RankedHit, SearchCandidate, Stage, TermKind, filter, query, rank_candidates,
};
use crate::domain::AnimeFilter;
use crate::settings::SearchSettings;
use crate::store::{CatalogStore, IndexedAnime, StoreError};

/// How far before the last catch-up's newest write the next one reads again.
const CATCH_UP_OVERLAP_MS: i64 = 60_000;
const BYTES_PER_MIB: usize = 1024 * 1024;

/// A search index failure.
#[derive(Debug, thiserror::Error)]
pub enum SearchIndexError {
    /// The index refused an operation.
    #[error("search index error")]
    Index(#[from] tantivy::TantivyError),
    /// Reading the anime to index failed.
    #[error("reading the anime to index failed")]
    Store(#[from] StoreError),
    /// The index directory cannot be prepared.
    #[error("cannot prepare the search index directory {path}")]
    Directory {
        /// The directory.
        path: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The indexing task stopped before it finished.
    #[error("the indexing task failed")]
    Task(#[from] tokio::task::JoinError),
}

/// What the index has caught up with.
#[derive(Default)]
struct CatchUpState {
    /// The newest write time indexed; `None` before the first build.
    newest_write_ms: Option<i64>,
    /// The write time indexed for each anime, to skip those read again unchanged.
    indexed_writes: HashMap<String, i64>,
}

/// Titles and synonyms of the catalog, searchable by word, prefix and typo.
pub struct SearchIndex {
    fields: TermFields,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    state: tokio::sync::Mutex<CatchUpState>,
    profiles: RwLock<TagProfiles>,
    max_candidates: u32,
    max_depth: u32,
}

impl SearchIndex {
    /// An empty index, in memory or (with `settings.index_dir`) in a directory under
    /// `data_dir` emptied first: the index is rebuilt from the database at every start.
    pub fn open(settings: &SearchSettings, data_dir: &Path) -> Result<Self, SearchIndexError> {
        let (schema, fields) = TermFields::schema();
        let index = match &settings.index_dir {
            None => Index::create_in_ram(schema),
            Some(relative) => {
                let directory = data_dir.join(relative);
                empty_index_directory(&directory)?;
                Index::create_in_dir(&directory, schema)?
            }
        };
        TermFields::register_tokenizer(&index);
        let memory_budget = (settings.writer_memory_mb as usize).max(15) * BYTES_PER_MIB;
        let writer = index.writer(memory_budget)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            fields,
            reader,
            writer: Mutex::new(writer),
            state: tokio::sync::Mutex::new(CatchUpState::default()),
            profiles: RwLock::new(TagProfiles::default()),
            max_candidates: settings.max_candidates.max(1),
            max_depth: settings.max_depth.max(1),
        })
    }

    /// The deepest rank a search pages to.
    pub fn max_depth(&self) -> u32 {
        self.max_depth
    }

    /// Indexes the anime written since the last catch-up (every anime the first time); returns
    /// how many were (re)indexed. Catch-ups run one at a time.
    pub async fn catch_up(
        self: &Arc<Self>,
        store: &dyn CatalogStore,
    ) -> Result<usize, SearchIndexError> {
        let mut state = self.state.lock().await;
        let is_first_build = state.newest_write_ms.is_none();
        let started = Instant::now();
        let read_since = state.newest_write_ms.map_or(i64::MIN, |newest| {
            newest.saturating_sub(CATCH_UP_OVERLAP_MS)
        });
        let changed: Vec<IndexedAnime> = store
            .indexed_anime_since(read_since)
            .await?
            .into_iter()
            .filter(|anime| state.indexed_writes.get(&anime.anime_id) != Some(&anime.updated_at_ms))
            .collect();
        let newest_read = changed.iter().map(|anime| anime.updated_at_ms).max();
        let writes: Vec<(String, i64)> = changed
            .iter()
            .map(|anime| (anime.anime_id.clone(), anime.updated_at_ms))
            .collect();
        if !changed.is_empty() || is_first_build {
            let index = Arc::clone(self);
            tokio::task::spawn_blocking(move || index.replace(&changed, !is_first_build)).await??;
        }
        let count = writes.len();
        state.indexed_writes.extend(writes);
        state.newest_write_ms = state.newest_write_ms.max(newest_read).or(Some(i64::MIN));
        if is_first_build {
            tracing::info!(
                anime = count,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "search index built"
            );
        } else if count > 0 {
            tracing::debug!(anime = count, "search index caught up");
        }
        Ok(count)
    }

    /// Writes the anime's documents (dropping their old ones when `drop_old`), commits and makes
    /// them searchable.
    fn replace(&self, anime: &[IndexedAnime], drop_old: bool) -> Result<(), SearchIndexError> {
        let mut writer = self
            .writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for one in anime {
            if drop_old {
                writer.delete_term(Term::from_field_text(self.fields.anime_id, &one.anime_id));
            }
            for term in &one.terms {
                writer.add_document(self.fields.document(term, one.facets.as_ref()))?;
            }
        }
        writer.commit()?;
        self.reader.reload()?;
        let mut profiles = self
            .profiles
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for one in anime {
            let tags = one.facets.as_ref().map_or(&[][..], |facets| &facets.tags);
            profiles.replace(&one.anime_id, tags);
        }
        Ok(())
    }

    /// Every indexed anime sharing a tag with `anime_id`, most alike first (see
    /// [`TagProfiles::alike`]).
    pub fn alike(&self, anime_id: &str) -> Vec<TagMatch> {
        self.profiles
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .alike(anime_id)
    }

    /// The best `limit` anime passing `filter` for a normalised query. When no anime holds
    /// every word, the last words are dropped one by one until some do (Meilisearch's `last`
    /// matching strategy), so `one piece film red` still finds One Piece.
    pub fn search(
        &self,
        normalized_query: &str,
        filter: &AnimeFilter,
        limit: u32,
    ) -> Result<Vec<RankedHit>, SearchIndexError> {
        let words: Vec<&str> = normalized_query.split(' ').collect();
        for kept in (1..=words.len()).rev() {
            let hits = self.search_all_words(&words[..kept].join(" "), filter, limit)?;
            if !hits.is_empty() {
                return Ok(hits);
            }
        }
        Ok(Vec::new())
    }

    /// Ranks direct candidates, and looks for misspellings only when those do not fill the page
    /// with hits that rank above any fuzzy one.
    fn search_all_words(
        &self,
        query: &str,
        filter: &AnimeFilter,
        limit: u32,
    ) -> Result<Vec<RankedHit>, SearchIndexError> {
        let mut candidates = self.candidates(query, Stage::Direct, filter, limit)?;
        let hits = rank_candidates(query, candidates.clone(), limit as usize);
        let direct_hits = hits
            .iter()
            .filter(|hit| hit.kind != MatchKind::Fuzzy)
            .count();
        if direct_hits >= limit as usize {
            return Ok(hits);
        }
        candidates.extend(self.candidates(query, Stage::Fuzzy, filter, limit)?);
        Ok(rank_candidates(query, candidates, limit as usize))
    }

    /// The stored terms passing `filter` the index scores highest for the query at `stage`.
    fn candidates(
        &self,
        query: &str,
        stage: Stage,
        filter: &AnimeFilter,
        limit: u32,
    ) -> Result<Vec<SearchCandidate>, SearchIndexError> {
        let Some(text_query) = query::build(&self.fields, query, stage) else {
            return Ok(Vec::new());
        };
        let filter_clauses = filter::clauses(&self.fields, filter);
        let index_query: Box<dyn Query> = if filter_clauses.is_empty() {
            text_query
        } else {
            let mut clauses = vec![(Occur::Must, text_query)];
            clauses.extend(filter_clauses);
            Box::new(BooleanQuery::new(clauses))
        };
        let searcher = self.reader.searcher();
        let collector =
            TopDocs::with_limit(self.max_candidates.max(limit) as usize).order_by_score();
        let top = searcher.search(&index_query, &collector)?;
        let mut candidates = Vec::with_capacity(top.len());
        for (_score, address) in top {
            let document: TantivyDocument = searcher.doc(address)?;
            let text = |field| {
                document
                    .get_first(field)
                    .and_then(|value| value.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            candidates.push(SearchCandidate {
                anime_id: text(self.fields.anime_id),
                term: text(self.fields.words),
                original: text(self.fields.original),
                kind: TermKind::from_name(&text(self.fields.kind)),
            });
        }
        Ok(candidates)
    }
}

/// Makes `directory` an empty directory, refusing one that holds anything but an index.
fn empty_index_directory(directory: &Path) -> Result<(), SearchIndexError> {
    let failed = |source| SearchIndexError::Directory {
        path: directory.display().to_string(),
        source,
    };
    if directory.exists() {
        let holds_an_index = directory.join("meta.json").exists();
        let is_empty = std::fs::read_dir(directory)
            .map_err(failed)?
            .next()
            .is_none();
        if !holds_an_index && !is_empty {
            return Err(failed(std::io::Error::other(
                "the directory is not empty and holds no search index",
            )));
        }
        std::fs::remove_dir_all(directory).map_err(failed)?;
    }
    std::fs::create_dir_all(directory).map_err(failed)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use kensho_test_support::TempDir;

    use super::*;

    fn on_disk(index_dir: &str) -> SearchSettings {
        SearchSettings {
            index_dir: Some(PathBuf::from(index_dir)),
            ..SearchSettings::default()
        }
    }

    #[test]
    fn an_index_directory_is_rebuilt_but_a_foreign_one_is_refused() {
        let data_dir = TempDir::new();
        std::fs::create_dir_all(data_dir.path().join("foreign")).expect("create");
        std::fs::write(data_dir.path().join("foreign/notes.txt"), "keep").expect("write");

        let first = SearchIndex::open(&on_disk("search-index"), data_dir.path());
        drop(first);
        let reopened = SearchIndex::open(&on_disk("search-index"), data_dir.path());
        let foreign = SearchIndex::open(&on_disk("foreign"), data_dir.path());

        assert!(reopened.is_ok(), "{:?}", reopened.err());
        assert!(matches!(foreign, Err(SearchIndexError::Directory { .. })));
        assert!(data_dir.path().join("foreign/notes.txt").exists());
    }
}
