//! `kensho.catalog.v1.CatalogService`: lookups, episodes, search, seasonal browse and tags.

use std::sync::Arc;

use kensho_proto::catalog::v1 as pb;
use kensho_proto::catalog::v1::catalog_service_server::CatalogService;
use kensho_telemetry::metrics::names::SEARCHES_TOTAL;
use tonic::{Request, Response, Status};

use super::cached::{CATALOG_LIST, CachedCatalog, SEASON_LIST, with_status};
use super::{convert, filter};
use crate::catalog::{Catalog, tag_scope};
use crate::domain::{
    AnimeId, AnimeIdBatch, FieldViolation, ListQuery, Page, PageSize, SearchLimit, SearchPage,
    SearchQuery, Season, SeasonYear, SourceRef,
};
use crate::error::{CatalogError, Violations};

/// The catalog gRPC service over a catalog.
#[derive(Clone)]
pub(super) struct CatalogGrpc {
    catalog: Arc<Catalog>,
    cached: Arc<CachedCatalog>,
}

impl CatalogGrpc {
    pub(super) fn new(catalog: Arc<Catalog>, cached: Arc<CachedCatalog>) -> Self {
        CatalogGrpc { catalog, cached }
    }

    /// The tally of detail requests warming reads.
    pub(super) fn demand(&self) -> &super::warming::AnimeDemand {
        self.cached.demand()
    }

    /// Reads one anime through the caches without counting it as demand.
    pub(super) async fn warm_anime(&self, id: &str) -> Result<(), Status> {
        let id = AnimeId::parse(id, "id").map_err(CatalogError::from)?;
        self.cached.anime(&id).await.map(|_| ())
    }

    /// A list page request parsed, every violation named.
    fn list_query(&self, page: ListPage<'_>) -> Result<ListQuery, CatalogError> {
        let ListPage {
            list,
            filter,
            sort,
            continuing_before,
            page_size,
            cursor,
            cursor_field,
        } = page;
        let mut violations = Violations::default();
        let filter = filter::anime_filter(filter, violations.as_mut_vec());
        let sort = filter::anime_sort(sort, violations.as_mut_vec());
        let size = violations.check(PageSize::parse(page_size, "page_size"));
        violations.finish()?;
        let (Some(filter), Some(sort), Some(size)) = (filter, sort, size) else {
            unreachable!("violations.finish() returned early for missing values")
        };
        let key = self.catalog.cursor_key();
        let filter = match continuing_before {
            Some((year, season)) => filter.continuing_before(year, season),
            None => filter,
        };
        Ok(ListQuery::parse(
            list,
            filter,
            sort,
            cursor,
            cursor_field,
            size,
            key,
        )?)
    }
}

/// One list page as a request asks for it, before parsing.
struct ListPage<'a> {
    /// The list the cursor is sealed for.
    list: &'static str,
    filter: Option<pb::AnimeFilter>,
    sort: Option<pb::AnimeSort>,
    /// Season browse's `continuing` (see [`crate::domain::AnimeFilter::continuing_before`]).
    continuing_before: Option<(u32, Season)>,
    page_size: Option<u32>,
    cursor: &'a str,
    /// The request field carrying the cursor, for violations.
    cursor_field: &'static str,
}

#[tonic::async_trait]
impl CatalogService for CatalogGrpc {
    #[tracing::instrument(skip_all, fields(anime_id = %request.get_ref().id))]
    async fn get_anime(
        &self,
        request: Request<pb::GetAnimeRequest>,
    ) -> Result<Response<pb::GetAnimeResponse>, Status> {
        let id = AnimeId::parse(&request.get_ref().id, "id").map_err(CatalogError::from)?;
        self.cached.demand().record(id.as_str());
        let (anime, cache_status) = self.cached.anime(&id).await?;
        let message = pb::GetAnimeResponse { anime: Some(anime) };
        Ok(with_status(message, &cache_status))
    }

    #[tracing::instrument(skip_all)]
    async fn list_seasons(
        &self,
        _request: Request<pb::ListSeasonsRequest>,
    ) -> Result<Response<pb::ListSeasonsResponse>, Status> {
        let seasons = self.catalog.seasons().await?;
        Ok(Response::new(pb::ListSeasonsResponse {
            seasons: seasons
                .into_iter()
                .map(|count| pb::SeasonCount {
                    year: count.year,
                    season: convert::season(Some(count.season)).into(),
                    anime_count: u32::try_from(count.anime_count).unwrap_or(u32::MAX),
                })
                .collect(),
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn get_anime_by_source(
        &self,
        request: Request<pb::GetAnimeBySourceRequest>,
    ) -> Result<Response<pb::GetAnimeResponse>, Status> {
        let source =
            SourceRef::parse(&request.get_ref().source, "source").map_err(CatalogError::from)?;
        let anime = self.catalog.anime_by_source(&source).await?;
        Ok(Response::new(pb::GetAnimeResponse {
            anime: Some(convert::anime(anime)),
        }))
    }

    #[tracing::instrument(skip_all, fields(ids = request.get_ref().ids.len()))]
    async fn batch_get_anime(
        &self,
        request: Request<pb::BatchGetAnimeRequest>,
    ) -> Result<Response<pb::BatchGetAnimeResponse>, Status> {
        let batch = AnimeIdBatch::parse(&request.get_ref().ids, "ids")
            .map_err(CatalogError::InvalidArgument)?;
        let entries = self.catalog.batch_anime(&batch).await?;
        Ok(Response::new(pb::BatchGetAnimeResponse {
            results: entries.into_iter().map(convert::batch_entry).collect(),
        }))
    }

    #[tracing::instrument(skip_all, fields(anime_id = %request.get_ref().anime_id))]
    async fn list_episodes(
        &self,
        request: Request<pb::ListEpisodesRequest>,
    ) -> Result<Response<pb::ListEpisodesResponse>, Status> {
        let request = request.into_inner();
        let mut violations = Violations::default();
        let id = violations.check(AnimeId::parse(&request.anime_id, "anime_id"));
        let page = Page::parse(
            request.page_size,
            &request.page_token,
            violations.as_mut_vec(),
        );
        violations.finish()?;
        let (Some(id), Some(page)) = (id, page) else {
            unreachable!("violations.finish() returned early for missing values")
        };
        let (episodes, cache_status) = self.cached.episodes(&id, page).await?;
        Ok(with_status(episodes, &cache_status))
    }

    #[tracing::instrument(skip_all, fields(query_length = request.get_ref().query.len()))]
    async fn search_anime(
        &self,
        request: Request<pb::SearchAnimeRequest>,
    ) -> Result<Response<pb::SearchAnimeResponse>, Status> {
        let request = request.into_inner();
        let mut violations = Violations::default();
        let query = violations.check(SearchQuery::parse(&request.query, "query"));
        let limit = violations.check(SearchLimit::parse(request.limit, "limit"));
        let filter = filter::anime_filter(request.filter, violations.as_mut_vec());
        violations.finish()?;
        let (Some(query), Some(limit), Some(filter)) = (query, limit, filter) else {
            unreachable!("violations.finish() returned early for missing values")
        };
        let page = SearchPage::parse(
            query,
            filter,
            limit,
            &request.cursor,
            "cursor",
            self.catalog.cursor_key(),
        )
        .map_err(CatalogError::from)?;
        let searched = self.cached.search(page).await;
        let outcome = if searched.is_ok() { "ok" } else { "error" };
        metrics::counter!(SEARCHES_TOTAL, "outcome" => outcome).increment(1);
        let (results, cache_status) = searched?;
        Ok(with_status(results, &cache_status))
    }

    #[tracing::instrument(skip_all)]
    async fn list_anime(
        &self,
        request: Request<pb::ListAnimeRequest>,
    ) -> Result<Response<pb::ListAnimeResponse>, Status> {
        let request = request.into_inner();
        let query = self.list_query(ListPage {
            list: CATALOG_LIST,
            filter: request.filter,
            sort: request.sort,
            continuing_before: None,
            page_size: request.page_size,
            cursor: &request.cursor,
            cursor_field: "cursor",
        })?;
        let (anime, cache_status) = self.cached.list_anime(query).await?;
        Ok(with_status(anime, &cache_status))
    }

    #[tracing::instrument(skip_all, fields(year = request.get_ref().year))]
    async fn browse_season(
        &self,
        request: Request<pb::BrowseSeasonRequest>,
    ) -> Result<Response<pb::BrowseSeasonResponse>, Status> {
        let request = request.into_inner();
        let mut violations = Violations::default();
        let year = violations.check(SeasonYear::parse(request.year, "year"));
        let season = convert::season_from_proto(request.season);
        if season.is_none() {
            violations.push(FieldViolation::new(
                "season",
                "must be one of winter, spring, summer, fall",
            ));
        }
        let mut filter = request.filter.unwrap_or_default();
        if filter.year_from.is_some() || filter.year_to.is_some() || filter.season != 0 {
            violations.push(FieldViolation::new(
                "filter",
                "must not name a year or season: the request does",
            ));
        }
        violations.finish()?;
        let (Some(year), Some(season)) = (year, season) else {
            unreachable!("violations.finish() returned early for missing values")
        };
        filter.year_from = Some(year.get());
        filter.year_to = Some(year.get());
        filter.season = convert::season(Some(season)).into();
        let continuing_before = request.continuing.then_some((year.get(), season));
        let query = self.list_query(ListPage {
            list: SEASON_LIST,
            filter: Some(filter),
            sort: None,
            continuing_before,
            page_size: request.page_size,
            cursor: &request.page_token,
            cursor_field: "page_token",
        })?;
        let (anime, cache_status) = self.cached.browse_season(query).await?;
        Ok(with_status(anime, &cache_status))
    }

    #[tracing::instrument(skip_all)]
    async fn list_tags(
        &self,
        request: Request<pb::ListTagsRequest>,
    ) -> Result<Response<pb::ListTagsResponse>, Status> {
        let request = request.into_inner();
        let mut violations = Violations::default();
        let category = convert::tag_category_from_proto(request.category)
            .map_err(|()| {
                violations.push(FieldViolation::new(
                    "category",
                    "is not a known tag category",
                ))
            })
            .ok()
            .flatten();
        let size = violations.check(PageSize::parse(request.page_size, "page_size"));
        violations.finish()?;
        let Some(size) = size else {
            unreachable!("violations.finish() returned early for missing values")
        };
        let after = match request.page_token.as_str() {
            "" => None,
            cursor => Some(
                self.catalog
                    .cursor_key()
                    .open(&tag_scope(category), cursor, "page_token")
                    .map_err(CatalogError::from)?,
            ),
        };
        let (tags, cache_status) = self
            .cached
            .tags(category, after, &request.page_token, size)
            .await?;
        Ok(with_status(tags, &cache_status))
    }

    #[tracing::instrument(skip_all, fields(anime_id = %request.get_ref().anime_id))]
    async fn list_similar_anime(
        &self,
        request: Request<pb::ListSimilarAnimeRequest>,
    ) -> Result<Response<pb::ListSimilarAnimeResponse>, Status> {
        let request = request.into_inner();
        let mut violations = Violations::default();
        let id = violations.check(AnimeId::parse(&request.anime_id, "anime_id"));
        let limit = violations.check(SearchLimit::parse(request.limit, "limit"));
        violations.finish()?;
        let (Some(id), Some(limit)) = (id, limit) else {
            unreachable!("violations.finish() returned early for missing values")
        };
        let similar = self
            .catalog
            .similar(&id, limit, request.include_franchise)
            .await?;
        Ok(Response::new(pb::ListSimilarAnimeResponse {
            anime: similar.into_iter().map(convert::similar).collect(),
        }))
    }

    #[tracing::instrument(skip_all, fields(anime_id = %request.get_ref().anime_id))]
    async fn get_franchise(
        &self,
        request: Request<pb::GetFranchiseRequest>,
    ) -> Result<Response<pb::GetFranchiseResponse>, Status> {
        let id =
            AnimeId::parse(&request.get_ref().anime_id, "anime_id").map_err(CatalogError::from)?;
        let franchise = self.catalog.franchise(&id).await?;
        Ok(Response::new(pb::GetFranchiseResponse {
            anime: franchise.into_iter().map(convert::summary).collect(),
        }))
    }
}
