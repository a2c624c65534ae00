//! `GET /api/v1/anime/{id}`, `GET /api/v1/anime/{id}/episodes`, `POST /api/v1/anime/batch`.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use kensho_proto::catalog::v1 as pb;
use serde::Deserialize;

use super::ListParams;
use crate::extract::{Accepted, ApiJson, NoParams, StrictQuery};
use crate::json::{AnimeJson, BatchEntryJson, EpisodeJson, ListResponse};
use crate::problem::ApiError;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/anime/batch", post(batch_get_anime))
        .route("/api/v1/anime/{id}", get(get_anime))
        .route("/api/v1/anime/{id}/episodes", get(list_episodes))
}

async fn get_anime(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
) -> Result<Json<AnimeJson>, ApiError> {
    let request = pb::GetAnimeRequest { id };
    let response = state.catalog.clone().get_anime(request).await?.into_inner();
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
