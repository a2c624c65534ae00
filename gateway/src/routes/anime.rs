//! `GET /api/v1/anime/{id}`, `GET /api/v1/anime/{id}/episodes`, `POST /api/v1/anime/batch`.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use kensho_proto::catalog::v1 as pb;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ListParams;
use crate::conditional::{CACHE_STATUS, cache_status_header};
use crate::extract::{Accepted, ApiJson, NoParams, StrictQuery};
use crate::json::{AnimeJson, BatchEntryJson, EpisodeJson, ListResponse};
use crate::openapi::PROBLEM_CONTENT_TYPE;
use crate::problem::{ApiError, ProblemSchema};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(batch_get_anime))
        .routes(routes!(get_anime_by_source))
        .routes(routes!(get_anime))
        .routes(routes!(list_episodes))
}

/// One anime: titles, synonyms, tags, relations, sources and its Crunchyroll mapping.
#[utoipa::path(
    get,
    path = "/api/v1/anime/{id}",
    tag = "anime",
    params(("id" = String, Path, description = "The anime id: 16 lowercase hexadecimal characters.", example = "54346a98c23760eb")),
    responses(
        (status = 200, description = "The anime.", body = AnimeJson),
        (status = 404, description = "No stored anime has this id.", body = ProblemSchema, content_type = PROBLEM_CONTENT_TYPE),
    )
)]
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

/// One source reference: a page URL or one short form. Give exactly one.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct BySourceParams {
    /// An anime page URL of MyAnimeList, AniList, Kitsu or AniDB.
    #[param(value_type = Option<String>, example = "https://myanimelist.net/anime/1/Cowboy_Bebop")]
    url: Option<String>,
    /// A MyAnimeList anime number.
    #[param(value_type = Option<u64>, minimum = 1, example = 1)]
    mal: Option<String>,
    /// An AniList anime number.
    #[param(value_type = Option<u64>, minimum = 1)]
    anilist: Option<String>,
    /// A Kitsu anime number.
    #[param(value_type = Option<u64>, minimum = 1)]
    kitsu: Option<String>,
    /// An AniDB anime number.
    #[param(value_type = Option<u64>, minimum = 1)]
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

/// The anime listing a MyAnimeList, AniList, Kitsu or AniDB page among its sources.
#[utoipa::path(
    get,
    path = "/api/v1/anime/by-source",
    tag = "anime",
    params(BySourceParams),
    responses(
        (status = 200, description = "The anime.", body = AnimeJson),
        (status = 404, description = "No stored anime lists this source.", body = ProblemSchema, content_type = PROBLEM_CONTENT_TYPE),
    )
)]
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

/// The anime's episodes in number order, one page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/anime/{id}/episodes",
    tag = "anime",
    params(("id" = String, Path, description = "The anime id.", example = "54346a98c23760eb"), ListParams),
    responses(
        (status = 200, description = "A page of episodes.", body = ListResponse<EpisodeJson>),
        (status = 404, description = "No stored anime has this id.", body = ProblemSchema, content_type = PROBLEM_CONTENT_TYPE),
    )
)]
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

/// The anime to look up.
#[derive(Deserialize, ToSchema)]
struct BatchRequest {
    /// Anime ids or source references (a page URL, or `mal:5114`, `anilist:`, `kitsu:`,
    /// `anidb:`), answered in this order.
    #[schema(min_items = 1, max_items = 100, example = json!(["mal:1", "0000000000000000"]))]
    ids: Vec<String>,
}

impl Accepted for BatchRequest {
    const ACCEPTED: &'static [&'static str] = &["ids"];
}

/// Several anime at once: one entry per requested id, found or not.
#[utoipa::path(
    post,
    path = "/api/v1/anime/batch",
    tag = "anime",
    request_body = BatchRequest,
    responses(
        (status = 200, description = "One entry per requested id, in order; `next_cursor` is null.", body = ListResponse<BatchEntryJson>),
    )
)]
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
