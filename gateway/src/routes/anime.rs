//! `GET /api/v1/anime/{id}`, `GET /api/v1/anime/{id}/episodes`, `POST /api/v1/anime/batch`.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kensho_proto::catalog::v1 as pb;
use serde::Deserialize;

use super::ListParams;
use crate::conditional::{CACHE_STATUS, cache_status_header};
use crate::extract::{Accepted, ApiJson, NoParams, StrictQuery};
use crate::json::{AnimeJson, BatchEntryJson, EpisodeJson, ListResponse};
use crate::problem::ApiError;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/anime/batch", post(batch_get_anime))
        .route("/api/v1/anime/by-source", get(get_anime_by_source))
        .route("/api/v1/anime/{id}", get(get_anime))
        .route("/api/v1/anime/{id}/episodes", get(list_episodes))
}

async fn get_anime(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
) -> Result<Response, ApiError> {
    let request = pb::GetAnimeRequest { id };
    let response = state.catalog.clone().get_anime(request).await?;
    let cache_status = cache_status_header(response.metadata());
    let anime = response
        .into_inner()
        .anime
        .ok_or_else(|| tonic::Status::internal("catalog answered without the anime"))?;
    let mut answer = Json(AnimeJson::from(anime)).into_response();
    if let Some(cache_status) = cache_status {
        answer.headers_mut().insert(CACHE_STATUS, cache_status);
    }
    Ok(answer)
}

/// One source reference: a page URL or one short form.
#[derive(Deserialize)]
struct BySourceParams {
    url: Option<String>,
    mal: Option<String>,
    anilist: Option<String>,
    kitsu: Option<String>,
    anidb: Option<String>,
}

impl Accepted for BySourceParams {
    const ACCEPTED: &'static [&'static str] = &["url", "mal", "anilist", "kitsu", "anidb"];
}

impl BySourceParams {
    /// The parameter given and the reference as catalog-svc takes it: the URL, or
    /// `<site>:<number>`.
    fn source(self) -> Result<(&'static str, String), ApiError> {
        let short_forms = [
            ("mal", self.mal),
            ("anilist", self.anilist),
            ("kitsu", self.kitsu),
            ("anidb", self.anidb),
        ];
        let mut given: Vec<(&'static str, String)> = short_forms
            .into_iter()
            .filter_map(|(site, number)| number.map(|number| (site, format!("{site}:{number}"))))
            .collect();
        given.extend(self.url.map(|url| ("url", url)));
        match given.as_slice() {
            [source] => Ok(source.clone()),
            _ => Err(ApiError::invalid_field(
                "url",
                "give exactly one of url, mal, anilist, kitsu, anidb",
            )),
        }
    }
}

async fn get_anime_by_source(
    State(state): State<AppState>,
    StrictQuery(params): StrictQuery<BySourceParams>,
) -> Result<Json<AnimeJson>, ApiError> {
    let (parameter, source) = params.source()?;
    let request = pb::GetAnimeBySourceRequest { source };
    // catalog-svc names its own field; the client named the parameter it gave.
    let response = state
        .catalog
        .clone()
        .get_anime_by_source(request)
        .await
        .map_err(|status| match status.code() {
            tonic::Code::InvalidArgument if parameter == "url" => ApiError::invalid_field(
                parameter,
                "must be an anime page URL of MyAnimeList, AniList, Kitsu or AniDB",
            ),
            tonic::Code::InvalidArgument => {
                ApiError::invalid_field(parameter, "must be the site's anime number")
            }
            _ => ApiError::Backend(status),
        })?
        .into_inner();
    let anime = response
        .anime
        .ok_or_else(|| tonic::Status::internal("catalog answered without the anime"))?;
    Ok(Json(anime.into()))
}

async fn list_episodes(
    State(state): State<AppState>,
    Path(anime_id): Path<String>,
    StrictQuery(params): StrictQuery<ListParams>,
) -> Result<Json<ListResponse<EpisodeJson>>, ApiError> {
    let message = pb::ListEpisodesRequest {
        anime_id,
        page_size: params.page_size()?,
        page_token: params.page_token(),
    };
    let request = message;
    let response = state
        .catalog
        .clone()
        .list_episodes(request)
        .await?
        .into_inner();
    let episodes = response
        .episodes
        .into_iter()
        .map(EpisodeJson::from)
        .collect();
    Ok(Json(ListResponse::new(episodes, response.next_page_token)))
}

#[derive(Deserialize)]
struct BatchRequest {
    ids: Vec<String>,
}

impl Accepted for BatchRequest {
    const ACCEPTED: &'static [&'static str] = &["ids"];
}

async fn batch_get_anime(
    State(state): State<AppState>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
    ApiJson(body): ApiJson<BatchRequest>,
) -> Result<Json<ListResponse<BatchEntryJson>>, ApiError> {
    let request = pb::BatchGetAnimeRequest { ids: body.ids };
    let response = state
        .catalog
        .clone()
        .batch_get_anime(request)
        .await?
        .into_inner();
    let entries = response
        .results
        .into_iter()
        .map(BatchEntryJson::from)
        .collect();
    Ok(Json(ListResponse::new(entries, String::new())))
}
