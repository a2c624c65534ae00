//! `kensho.catalog.v1.CatalogService`: parses each request into domain types, asks the store,
//! and answers with the contract's messages.

mod admin;
mod convert;

use std::collections::HashMap;
use std::sync::Arc;

use kensho_proto::catalog::v1 as pb;
use kensho_proto::catalog::v1::catalog_service_server::CatalogService;
use tonic::{Request, Response, Status};

use crate::domain::{AnimeId, FieldViolation, Page, SearchLimit, SearchQuery};
use crate::error::{CatalogError, Violations};
use crate::search::{MatchKind, RankedHit, rank_candidates};
use crate::store::{CandidateStage, CatalogStore};
use crate::sync::CatalogSync;

/// Most ids one BatchGetAnime may ask for.
pub const MAX_BATCH_IDS: usize = 100;

/// The catalog gRPC service over a store.
#[derive(Clone)]
pub struct CatalogGrpc {
    store: Arc<dyn CatalogStore>,
    max_search_candidates: u32,
    sync: Option<Arc<CatalogSync>>,
}

impl CatalogGrpc {
    /// A service answering from `store`; search ranks at most `max_search_candidates` terms;
    /// `sync` is the Crunchyroll sync the admin calls start, if one is configured.
    pub fn new(
        store: Arc<dyn CatalogStore>,
        max_search_candidates: u32,
        sync: Option<Arc<CatalogSync>>,
    ) -> Self {
        CatalogGrpc {
            store,
            max_search_candidates,
            sync,
        }
    }

    async fn search(
        &self,
        request: pb::SearchAnimeRequest,
    ) -> Result<pb::SearchAnimeResponse, CatalogError> {
        let mut violations = Violations::default();
        let query = violations.check(SearchQuery::parse(&request.query, "query"));
        let limit = violations.check(SearchLimit::parse(request.limit, "limit"));
        violations.finish()?;
        let (Some(query), Some(limit)) = (query, limit) else {
            unreachable!("violations.finish() returned early for missing values")
        };
        let hits = self.ranked_hits(query.normalized(), limit.get()).await?;
        let ids = hits
            .iter()
            .map(|hit| AnimeId::from_storage(hit.anime_id.clone()))
            .collect::<Vec<_>>();
        let mut summaries: HashMap<String, _> = self
            .store
            .anime_summaries(&ids)
            .await?
            .into_iter()
            .map(|summary| (summary.id.to_string(), summary))
            .collect();
        let hits = hits
            .into_iter()
            .filter_map(|hit| {
                let summary = summaries.remove(&hit.anime_id)?;
                Some(pb::SearchHit {
                    anime: Some(convert::summary(summary)),
                    match_kind: convert::match_kind(hit.kind).into(),
                    matched: hit.matched,
                    score: hit.score,
                })
            })
            .collect();
        Ok(pb::SearchAnimeResponse { hits })
    }

    /// Ranks direct candidates, and looks for misspellings only when those do not fill the page
    /// with hits that rank above any fuzzy one.
    async fn ranked_hits(
        &self,
        normalized_query: &str,
        limit: u32,
    ) -> Result<Vec<RankedHit>, CatalogError> {
        let max_candidates = self.max_search_candidates.max(limit);
        let mut candidates = self
            .store
            .search_candidates(normalized_query, max_candidates, CandidateStage::Direct)
            .await?;
        let hits = rank_candidates(normalized_query, candidates.clone(), limit as usize);
        let direct_hits = hits
            .iter()
            .filter(|hit| hit.kind != MatchKind::Fuzzy)
            .count();
        if direct_hits >= limit as usize {
            return Ok(hits);
        }
        candidates.extend(
            self.store
                .search_candidates(normalized_query, max_candidates, CandidateStage::Fuzzy)
                .await?,
        );
        Ok(rank_candidates(
            normalized_query,
            candidates,
            limit as usize,
        ))
    }

    async fn batch_get(
        &self,
        request: pb::BatchGetAnimeRequest,
    ) -> Result<pb::BatchGetAnimeResponse, CatalogError> {
        if request.ids.is_empty() || request.ids.len() > MAX_BATCH_IDS {
            return Err(
                FieldViolation::new("ids", format!("must hold 1 to {MAX_BATCH_IDS} ids")).into(),
            );
        }
        let mut violations = Violations::default();
        let ids = request
            .ids
            .iter()
            .enumerate()
            .filter_map(|(index, raw)| {
                violations.check(AnimeId::parse(raw, &format!("ids[{index}]")))
            })
            .collect::<Vec<_>>();
        violations.finish()?;
        let mut results = Vec::with_capacity(ids.len());
        for id in ids {
            let anime = self.store.get_anime(&id).await?.map(convert::anime);
            results.push(pb::BatchGetAnimeResult {
                id: id.to_string(),
                anime,
            });
        }
        Ok(pb::BatchGetAnimeResponse { results })
    }
}

#[tonic::async_trait]
impl CatalogService for CatalogGrpc {
    #[tracing::instrument(skip_all, fields(anime_id = %request.get_ref().id))]
    async fn get_anime(
        &self,
        request: Request<pb::GetAnimeRequest>,
    ) -> Result<Response<pb::GetAnimeResponse>, Status> {
        let id = AnimeId::parse(&request.get_ref().id, "id").map_err(CatalogError::from)?;
        let anime = self
            .store
            .get_anime(&id)
            .await
            .map_err(CatalogError::from)?
            .ok_or(CatalogError::AnimeNotFound(id))?;
        Ok(Response::new(pb::GetAnimeResponse {
            anime: Some(convert::anime(anime)),
        }))
    }

    #[tracing::instrument(skip_all, fields(ids = request.get_ref().ids.len()))]
    async fn batch_get_anime(
        &self,
        request: Request<pb::BatchGetAnimeRequest>,
    ) -> Result<Response<pb::BatchGetAnimeResponse>, Status> {
        Ok(Response::new(self.batch_get(request.into_inner()).await?))
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
        let mut episodes = self
            .store
            .list_episodes(&id, page)
            .await
            .map_err(CatalogError::from)?
            .ok_or(CatalogError::AnimeNotFound(id))?;
        let next_page_token = page.finish(&mut episodes);
        Ok(Response::new(pb::ListEpisodesResponse {
            episodes: episodes.into_iter().map(convert::episode).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all, fields(query_length = request.get_ref().query.len()))]
    async fn search_anime(
        &self,
        request: Request<pb::SearchAnimeRequest>,
    ) -> Result<Response<pb::SearchAnimeResponse>, Status> {
        Ok(Response::new(self.search(request.into_inner()).await?))
    }

    #[tracing::instrument(skip_all, fields(year = request.get_ref().year))]
    async fn browse_season(
        &self,
        request: Request<pb::BrowseSeasonRequest>,
    ) -> Result<Response<pb::BrowseSeasonResponse>, Status> {
        let request = request.into_inner();
        let mut violations = Violations::default();
        if !(1900..=2100).contains(&request.year) {
            violations.push(FieldViolation::new("year", "must be between 1900 and 2100"));
        }
        let season = convert::season_from_proto(request.season);
        if season.is_none() {
            violations.push(FieldViolation::new(
                "season",
                "must be one of winter, spring, summer, fall",
            ));
        }
        let page = Page::parse(
            request.page_size,
            &request.page_token,
            violations.as_mut_vec(),
        );
        violations.finish()?;
        let (Some(season), Some(page)) = (season, page) else {
            unreachable!("violations.finish() returned early for missing values")
        };
        let mut anime = self
            .store
            .browse_season(request.year, season, page)
            .await
            .map_err(CatalogError::from)?;
        let next_page_token = page.finish(&mut anime);
        Ok(Response::new(pb::BrowseSeasonResponse {
            anime: anime.into_iter().map(convert::summary).collect(),
            next_page_token,
        }))
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
        let page = Page::parse(
            request.page_size,
            &request.page_token,
            violations.as_mut_vec(),
        );
        violations.finish()?;
        let Some(page) = page else {
            unreachable!("violations.finish() returned early for missing values")
        };
        let mut tags = self
            .store
            .list_tags(category, page)
            .await
            .map_err(CatalogError::from)?;
        let next_page_token = page.finish(&mut tags);
        Ok(Response::new(pb::ListTagsResponse {
            tags: tags.into_iter().map(convert::tag_count).collect(),
            next_page_token,
        }))
    }

    #[tracing::instrument(skip_all)]
    async fn start_sync(
        &self,
        _request: Request<pb::StartSyncRequest>,
    ) -> Result<Response<pb::StartSyncResponse>, Status> {
        Ok(Response::new(admin::start_sync(self.sync.as_ref()).await?))
    }

    #[tracing::instrument(skip_all)]
    async fn get_sync_status(
        &self,
        _request: Request<pb::GetSyncStatusRequest>,
    ) -> Result<Response<pb::SyncStatus>, Status> {
        Ok(Response::new(
            admin::sync_status(self.store.as_ref()).await?,
        ))
    }
}
