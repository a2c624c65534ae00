//! `GET /api/v1/search?q=&limit=`: ranked title and synonym search.

use axum::Json;
use axum::extract::State;
use kensho_proto::catalog::v1 as pb;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Accepted, StrictQuery, optional_u32};
use crate::json::{ListResponse, SearchHitJson};
use crate::problem::ApiError;
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

/// What to search for.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SearchParams {
    /// Words of a title or synonym, with at least one letter or digit; case, accents and
    /// small typos do not matter.
    #[param(value_type = String, min_length = 2, max_length = 100, example = "bebop")]
    q: Option<String>,
    /// Most hits to answer.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
}

impl Accepted for SearchParams {
    const ACCEPTED: &'static [&'static str] = &["q", "limit"];
}

/// Ranked search over titles and synonyms, in one page.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "search",
    params(SearchParams),
    responses((status = 200, description = "The hits, best first; `next_cursor` is null.", body = ListResponse<SearchHitJson>))
)]
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
