//! The cached read seam: every read RPC answers through here, walking the shared caches
//! (`kensho-cache`) before the catalog, and says how it was answered in `kensho-cache-status`
//! metadata. Details are invalidated per anime; lists and searches by generation.

use std::future::Future;
use std::sync::Arc;

use kensho_cache::{CACHE_STATUS_METADATA, Cache, CacheHub, CacheStatus, Keying, Lookup};
use kensho_proto::catalog::v1 as pb;
use tonic::metadata::MetadataValue;
use tonic::{Response, Status};

use super::convert;
use super::warming::AnimeDemand;
use crate::cache_settings::CatalogCacheSettings;
use crate::catalog::Catalog;
use crate::domain::{AnimeId, ListPosition, ListQuery, Page, PageSize, SearchPage, TagCategory};
use crate::error::CatalogError;

/// The name this cache has in `Cache-Status`.
const CACHE_NAME: &str = "kensho-catalog";

/// The catalog behind its caches.
pub struct CachedCatalog {
    catalog: Arc<Catalog>,
    anime: Cache<pb::Anime>,
    episodes: Cache<pb::ListEpisodesResponse>,
    search: Cache<pb::SearchAnimeResponse>,
    tags: Cache<pb::ListTagsResponse>,
    seasons: Cache<pb::BrowseSeasonResponse>,
    lists: Cache<pb::ListAnimeResponse>,
    /// Which anime clients ask for most, for warming.
    demand: AnimeDemand,
}

/// The name of the catalog list, in cursor scopes and cache keys.
pub(super) const CATALOG_LIST: &str = "anime";
/// The name of season browse, in cursor scopes and cache keys.
pub(super) const SEASON_LIST: &str = "season";

/// The cache key of a page.
fn page_key(page: Page) -> String {
    format!("{}+{}", page.token.offset(), page.size.get())
}

/// The cache key of a list page: the normalised filter and sort, the page size and the cursor
/// (equal positions seal to equal cursors, so equal pages share a key).
fn list_key(list: &str, query: &ListQuery) -> String {
    format!(
        "{}:{}:{}",
        query.size.get(),
        query.scope(list),
        query.cursor
    )
}

/// A response carrying how the cache answered.
pub(super) fn with_status<T>(message: T, status: &CacheStatus) -> Response<T> {
    let mut response = Response::new(message);
    if let Ok(value) = MetadataValue::try_from(status.header_member(CACHE_NAME)) {
        response.metadata_mut().insert(CACHE_STATUS_METADATA, value);
    }
    response
}

/// Reads through `cache`; the catalog's "anime not found" is cached as `None`.
async fn read_through<V, F, Fut>(
    cache: &Cache<V>,
    key: &str,
    loader: F,
) -> Result<(Option<V>, CacheStatus), Status>
where
    V: prost::Message + Default + Clone + Send + Sync + 'static,
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Option<V>, CatalogError>> + Send + 'static,
{
    let lookup: Lookup<V> = cache
        .get_or_load(key, move || {
            let load = loader();
            async move {
                match load.await {
                    Ok(value) => Ok(value),
                    Err(CatalogError::AnimeNotFound(_)) => Ok(None),
                    Err(error) => Err(Status::from(error)),
                }
            }
        })
        .await
        .map_err(|shared: Arc<Status>| shared.as_ref().clone())?;
    Ok((lookup.value, lookup.status))
}

/// A found anime's answer, or `not_found` for the id.
fn found<V>(read: (Option<V>, CacheStatus), id: &AnimeId) -> Result<(V, CacheStatus), Status> {
    match read {
        (Some(value), status) => Ok((value, status)),
        (None, _) => Err(CatalogError::AnimeNotFound(id.clone()).into()),
    }
}

/// A list's answer: its loader always finds one, so `None` cannot come back; an empty list is the
/// right reading if it did.
fn listed<V: Default>(read: (Option<V>, CacheStatus)) -> (V, CacheStatus) {
    (read.0.unwrap_or_default(), read.1)
}

impl CachedCatalog {
    /// The caches of every read class on `hub`, in front of `catalog`.
    pub async fn new(
        catalog: Arc<Catalog>,
        hub: &Arc<CacheHub>,
        settings: &CatalogCacheSettings,
    ) -> Self {
        CachedCatalog {
            catalog,
            anime: Cache::new(hub, "anime", settings.anime.clone(), Keying::Generational).await,
            episodes: Cache::new(
                hub,
                "episodes",
                settings.episodes.clone(),
                Keying::Generational,
            )
            .await,
            search: Cache::new(hub, "search", settings.search.clone(), Keying::Generational).await,
            tags: Cache::new(hub, "tags", settings.tags.clone(), Keying::Generational).await,
            seasons: Cache::new(
                hub,
                "seasons",
                settings.seasons.clone(),
                Keying::Generational,
            )
            .await,
            lists: Cache::new(hub, "lists", settings.lists.clone(), Keying::Generational).await,
            demand: AnimeDemand::new(settings.warming.tracked_anime),
        }
    }

    /// The tally of detail requests.
    pub fn demand(&self) -> &AnimeDemand {
        &self.demand
    }

    /// After the catalog changed (a sync wrote): drops every cached read, in every replica.
    pub async fn invalidate_all(&self) {
        self.anime.advance_generation().await;
        self.episodes.advance_generation().await;
        self.search.advance_generation().await;
        self.tags.advance_generation().await;
        self.seasons.advance_generation().await;
        self.lists.advance_generation().await;
    }

    /// After the search index changed: drops every cached search, in every replica.
    pub async fn invalidate_searches(&self) {
        self.search.advance_generation().await;
    }

    /// One anime.
    pub async fn anime(&self, id: &AnimeId) -> Result<(pb::Anime, CacheStatus), Status> {
        let catalog = Arc::clone(&self.catalog);
        let owned_id = id.clone();
        let read = read_through(&self.anime, id.as_str(), move || {
            let catalog = Arc::clone(&catalog);
            let id = owned_id.clone();
            async move { Ok(Some(convert::anime(catalog.anime(&id).await?))) }
        })
        .await?;
        found(read, id)
    }

    /// One page of an anime's episodes.
    pub async fn episodes(
        &self,
        id: &AnimeId,
        page: Page,
    ) -> Result<(pb::ListEpisodesResponse, CacheStatus), Status> {
        let catalog = Arc::clone(&self.catalog);
        let owned_id = id.clone();
        let key = format!("{}:{}", id.as_str(), page_key(page));
        let read = read_through(&self.episodes, &key, move || {
            let catalog = Arc::clone(&catalog);
            let id = owned_id.clone();
            async move {
                let episodes = catalog.episodes(&id, page).await?;
                Ok(Some(pb::ListEpisodesResponse {
                    episodes: episodes.items.into_iter().map(convert::episode).collect(),
                    next_page_token: episodes.next_page_token,
                }))
            }
        })
        .await?;
        found(read, id)
    }

    /// One page of search results for the normalised query, filter, limit and cursor.
    pub async fn search(
        &self,
        page: SearchPage,
    ) -> Result<(pb::SearchAnimeResponse, CacheStatus), Status> {
        let catalog = Arc::clone(&self.catalog);
        let key = format!("{}:{}", page.scope(), page.cursor);
        let read = read_through(&self.search, &key, move || {
            let catalog = Arc::clone(&catalog);
            let page = page.clone();
            async move {
                let results = catalog.search(&page).await?;
                Ok(Some(pb::SearchAnimeResponse {
                    hits: results.items.into_iter().map(convert::search_hit).collect(),
                    next_cursor: results.next_page_token,
                }))
            }
        })
        .await?;
        Ok(listed(read))
    }

    /// One page of the catalog list.
    pub async fn list_anime(
        &self,
        query: ListQuery,
    ) -> Result<(pb::ListAnimeResponse, CacheStatus), Status> {
        let key = list_key(CATALOG_LIST, &query);
        let catalog = Arc::clone(&self.catalog);
        let read = read_through(&self.lists, &key, move || {
            let catalog = Arc::clone(&catalog);
            let query = query.clone();
            async move {
                let anime = catalog.list_anime(CATALOG_LIST, &query).await?;
                Ok(Some(pb::ListAnimeResponse {
                    anime: anime.items.into_iter().map(convert::summary).collect(),
                    next_cursor: anime.next_page_token,
                }))
            }
        })
        .await?;
        Ok(listed(read))
    }

    /// One page of a season (its year and season are in the query's filter).
    pub async fn browse_season(
        &self,
        query: ListQuery,
    ) -> Result<(pb::BrowseSeasonResponse, CacheStatus), Status> {
        let key = list_key(SEASON_LIST, &query);
        let catalog = Arc::clone(&self.catalog);
        let read = read_through(&self.seasons, &key, move || {
            let catalog = Arc::clone(&catalog);
            let query = query.clone();
            async move {
                let anime = catalog.list_anime(SEASON_LIST, &query).await?;
                Ok(Some(pb::BrowseSeasonResponse {
                    anime: anime.items.into_iter().map(convert::summary).collect(),
                    next_page_token: anime.next_page_token,
                }))
            }
        })
        .await?;
        Ok(listed(read))
    }

    /// One page of tags, after the position `cursor` (already opened as `after`) names.
    pub async fn tags(
        &self,
        category: Option<TagCategory>,
        after: Option<ListPosition>,
        cursor: &str,
        size: PageSize,
    ) -> Result<(pb::ListTagsResponse, CacheStatus), Status> {
        let catalog = Arc::clone(&self.catalog);
        let category_name = category.map_or("all", TagCategory::as_str);
        let key = format!("{category_name}:{}:{cursor}", size.get());
        let read = read_through(&self.tags, &key, move || {
            let catalog = Arc::clone(&catalog);
            let after = after.clone();
            async move {
                let tags = catalog.tags(category, after.as_ref(), size).await?;
                Ok(Some(pb::ListTagsResponse {
                    tags: tags.items.into_iter().map(convert::tag_count).collect(),
                    next_page_token: tags.next_page_token,
                }))
            }
        })
        .await?;
        Ok(listed(read))
    }
}
