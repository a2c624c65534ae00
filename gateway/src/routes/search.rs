//! `GET /api/v1/search?q=&limit=`: ranked title and synonym search.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use kensho_proto::catalog::v1 as pb;
use serde::Deserialize;

use crate::extract::{Accepted, StrictQuery, optional_u32};
use crate::json::{ListResponse, SearchHitJson};
use crate::problem::ApiError;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/search", get(search))
}

#[derive(Deserialize)]
struct SearchParams {
    q: Option<String>,
    limit: Option<String>,
}

impl Accepted for SearchParams {
    const ACCEPTED: &'static [&'static str] = &["q", "limit"];
}

async fn search(
    State(state): State<AppState>,
    StrictQuery(params): StrictQuery<SearchParams>,
) -> Result<Json<ListResponse<SearchHitJson>>, ApiError> {
    let message = pb::SearchAnimeRequest {
        query: params.q.unwrap_or_default(),
        limit: optional_u32(params.limit.as_deref(), "limit")?,
    };
    let request = message;
    let response = state
        .catalog
        .clone()
        .search_anime(request)
        .await?
        .into_inner();
    let hits = response.hits.into_iter().map(SearchHitJson::from).collect();
    Ok(Json(ListResponse::new(hits, String::new())))
}
