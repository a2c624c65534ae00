//! The catalog's core: lookups, episode lists, search, seasonal browse, tag lists and
//! the Crunchyroll sync, over parsed domain types. The gRPC adapters in `grpc/` only translate
//! messages to and from these calls.

mod discovery;

use std::collections::HashMap;
use std::sync::Arc;

use tokio::task::JoinHandle;

use crate::domain::{
    AnimeId, AnimeIdBatch, BatchKey, CursorKey, ListPosition, ListQuery, MatchKind, Page, PageSize,
    Paged, SearchPage, SortKey, SourceRef, TagCategory,
};
use crate::error::CatalogError;
use crate::search::{RankedHit, SearchIndex};
use crate::store::{
    AnimeDetail, AnimeSummary, CatalogStore, Episode, SeasonCount, SyncRun, TagCount,
};
use crate::sync::{CatalogSync, SyncError};

pub use discovery::SimilarResult;

/// Most anime a franchise walk visits unless [`Catalog::with_franchise_limit`] says otherwise.
const DEFAULT_MAX_FRANCHISE_ANIME: usize = 200;

/// One anime asked for in a batch: found, or not.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchEntry {
    /// The id or source reference as asked for.
    pub requested: String,
    /// The anime, when the id or source is known.
    pub anime: Option<AnimeDetail>,
}

/// One search result: the anime and how it matched.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchResult {
    /// The anime.
    pub anime: AnimeSummary,
    /// How it matched.
    pub kind: MatchKind,
    /// The title or synonym that matched.
    pub matched: String,
    /// Similarity of the query to `matched`, 0 to 1.
    pub score: f32,
}

/// What a tag cursor is bound to: the tag list and its category.
pub fn tag_scope(category: Option<TagCategory>) -> String {
    format!("tags?category={}", category.map_or("", TagCategory::as_str))
}

/// The catalog: a store, the search index that follows it, the key list cursors are sealed
/// with, and the Crunchyroll sync when one is configured.
pub struct Catalog {
    store: Arc<dyn CatalogStore>,
    index: Arc<SearchIndex>,
    cursor_key: CursorKey,
    sync: Option<Arc<CatalogSync>>,
    max_franchise_anime: usize,
}

impl Catalog {
    /// A catalog answering from `store` and searching `index`; `sync` is the Crunchyroll sync the
    /// admin calls start, if one is configured.
    pub fn new(
        store: Arc<dyn CatalogStore>,
        index: Arc<SearchIndex>,
        cursor_key: CursorKey,
        sync: Option<Arc<CatalogSync>>,
    ) -> Self {
        Catalog {
            store,
            index,
            cursor_key,
            sync,
            max_franchise_anime: DEFAULT_MAX_FRANCHISE_ANIME,
        }
    }

    /// The key list cursors are sealed and opened with.
    pub fn cursor_key(&self) -> &CursorKey {
        &self.cursor_key
    }

    /// One page of the anime `query` asks for, in its order, and the cursor of the next page:
    /// sealed for the list named `list`, empty exactly on the last page.
    pub async fn list_anime(
        &self,
        list: &str,
        query: &ListQuery,
    ) -> Result<Paged<AnimeSummary>, CatalogError> {
        let mut listed = self
            .store
            .list_anime(
                &query.filter,
                query.sort,
                query.after.as_ref(),
                query.fetch_limit(),
            )
            .await?;
        let page_size = query.size.get() as usize;
        let next_page_token = if listed.len() > page_size {
            listed.truncate(page_size);
            listed.last().map_or_else(String::new, |last| {
                self.cursor_key.seal(&query.scope(list), &last.position)
            })
        } else {
            String::new()
        };
        Ok(Paged {
            items: listed.into_iter().map(|anime| anime.summary).collect(),
            next_page_token,
        })
    }

    /// One anime with its tags, relations and sources.
    pub async fn anime(&self, id: &AnimeId) -> Result<AnimeDetail, CatalogError> {
        self.store
            .get_anime(id)
            .await?
            .ok_or_else(|| CatalogError::AnimeNotFound(id.clone()))
    }

    /// The anime listing `source` among its sources.
    pub async fn anime_by_source(&self, source: &SourceRef) -> Result<AnimeDetail, CatalogError> {
        let id = self
            .store
            .anime_id_by_source(&source.candidate_urls())
            .await?
            .ok_or_else(|| CatalogError::SourceNotFound(source.clone()))?;
        self.anime(&id).await
    }

    /// Every year and season the catalog holds with its anime count, newest first.
    pub async fn seasons(&self) -> Result<Vec<SeasonCount>, CatalogError> {
        Ok(self.store.season_counts().await?)
    }

    /// Every anime of the batch, found or not, in request order.
    pub async fn batch_anime(&self, batch: &AnimeIdBatch) -> Result<Vec<BatchEntry>, CatalogError> {
        let mut entries = Vec::with_capacity(batch.keys().len());
        for (requested, key) in batch.keys() {
            let id = match key {
                BatchKey::Id(id) => Some(id.clone()),
                BatchKey::Source(source) => {
                    self.store
                        .anime_id_by_source(&source.candidate_urls())
                        .await?
                }
            };
            let anime = match id {
                Some(id) => self.store.get_anime(&id).await?,
                None => None,
            };
            entries.push(BatchEntry {
                requested: requested.clone(),
                anime,
            });
        }
        Ok(entries)
    }

    /// One page of an anime's episodes in episode-number order.
    pub async fn episodes(&self, id: &AnimeId, page: Page) -> Result<Paged<Episode>, CatalogError> {
        let episodes = self
            .store
            .list_episodes(id, page)
            .await?
            .ok_or_else(|| CatalogError::AnimeNotFound(id.clone()))?;
        Ok(page.paged(episodes))
    }

    /// One page of the anime whose titles or synonyms match the page's query and pass its
    /// filter, best first; the next page's cursor is empty on the last page (or at the index's
    /// deepest rank).
    pub async fn search(&self, page: &SearchPage) -> Result<Paged<SearchResult>, CatalogError> {
        let max_depth = self.index.max_depth();
        let page_end = page.offset.saturating_add(page.limit.get());
        // One hit beyond the page says whether another follows. The index answers from memory
        // in well under a millisecond: no need to leave the runtime's thread for it.
        let depth = page_end.saturating_add(1).min(max_depth);
        let mut hits = self
            .index
            .search(page.query.normalized(), &page.filter, depth)?;
        let has_more = hits.len() > page_end as usize && page_end < max_depth;
        hits.truncate(page_end as usize);
        let hits: Vec<RankedHit> = hits.into_iter().skip(page.offset as usize).collect();
        let next_page_token = match hits.last() {
            Some(last) if has_more => page.next_cursor(&self.cursor_key, &last.anime_id),
            _ => String::new(),
        };
        let ids = hits
            .iter()
            .map(|hit| AnimeId::from_storage(hit.anime_id.clone()))
            .collect::<Vec<_>>();
        let mut summaries = self.summaries_by_id(&ids).await?;
        // An anime removed between ranking and this lookup is left out rather than failing.
        let results = hits
            .into_iter()
            .filter_map(|hit| {
                let anime = summaries.remove(&hit.anime_id)?;
                Some(SearchResult {
                    anime,
                    kind: hit.kind,
                    matched: hit.matched,
                    score: hit.score,
                })
            })
            .collect();
        Ok(Paged {
            items: results,
            next_page_token,
        })
    }

    /// The summaries of `ids` that still exist, by id: what ranked answers (search hits, similar
    /// anime) are filled in from, in their own order.
    pub(crate) async fn summaries_by_id(
        &self,
        ids: &[AnimeId],
    ) -> Result<HashMap<String, AnimeSummary>, CatalogError> {
        Ok(self
            .store
            .anime_summaries(ids)
            .await?
            .into_iter()
            .map(|summary| (summary.id.to_string(), summary))
            .collect())
    }

    /// One page of tags by name, of one category or all, with how many anime carry each, after
    /// the position a cursor named; the next page's cursor is empty exactly on the last page.
    pub async fn tags(
        &self,
        category: Option<TagCategory>,
        after: Option<&ListPosition>,
        size: PageSize,
    ) -> Result<Paged<TagCount>, CatalogError> {
        let page_size = size.get() as usize;
        let mut tags = self
            .store
            .list_tags(
                category,
                after.map(|position| position.id.as_str()),
                u64::from(size.get()) + 1,
            )
            .await?;
        let next_page_token = if tags.len() > page_size {
            tags.truncate(page_size);
            tags.last().map_or_else(String::new, |last| {
                let position = ListPosition {
                    key: SortKey::Text(last.tag.name.clone()),
                    id: last.tag.name.clone(),
                };
                self.cursor_key.seal(&tag_scope(category), &position)
            })
        } else {
            String::new()
        };
        Ok(Paged {
            items: tags,
            next_page_token,
        })
    }

    /// Starts (or resumes) a Crunchyroll sync in the background: the run as it started, and the
    /// task that finishes it (with the run as it ended).
    pub async fn start_sync(
        &self,
    ) -> Result<(SyncRun, JoinHandle<Result<SyncRun, SyncError>>), CatalogError> {
        let sync = self.sync.as_ref().ok_or_else(|| {
            CatalogError::SyncUnavailable(
                "sync is not configured: set crunchyroll.client_id and catalog.sync.enabled"
                    .to_owned(),
            )
        })?;
        match sync.start().await {
            // The task finishes the run on its own; its outcome is read with `latest_sync`.
            Ok(started) => Ok(started),
            Err(SyncError::AlreadyRunning) => Err(CatalogError::SyncUnavailable(
                "a sync is already running".to_owned(),
            )),
            Err(SyncError::Store(error)) => Err(CatalogError::Store(error)),
            Err(other) => Err(CatalogError::SyncUnavailable(other.to_string())),
        }
    }

    /// The latest Crunchyroll sync run, if any ever started.
    pub async fn latest_sync(&self) -> Result<Option<SyncRun>, CatalogError> {
        Ok(self.store.latest_sync_run().await?)
    }
}
