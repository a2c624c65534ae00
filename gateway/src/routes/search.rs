//! `GET /api/v1/search?q=&limit=&cursor=`: ranked title and synonym search, narrowed by the
//! list filters.

use axum::Json;
use axum::extract::State;
use kensho_proto::catalog::v1 as pb;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ListParams;
use super::anime_list::{FilterParams, PeriodParams, collect};
use crate::extract::{Accepted, StrictQuery, accepted_names};
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
}

/// The query, the list filters and paging.
#[derive(Deserialize)]
struct SearchRequestParams {
    #[serde(flatten)]
    text: SearchParams,
    #[serde(flatten)]
    period: PeriodParams,
    #[serde(flatten)]
    filter: FilterParams,
    #[serde(flatten)]
    page: ListParams,
}

impl Accepted for SearchRequestParams {
    const ACCEPTED: &'static [&'static str] = &accepted_names::<16>(&[
        &["q"],
        PeriodParams::ACCEPTED,
        FilterParams::ACCEPTED,
        ListParams::ACCEPTED,
    ]);
    const REPEATABLE: &'static [&'static str] = FilterParams::REPEATABLE;
}

/// Ranked search over titles and synonyms, narrowed by the list filters, paged by cursor.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "search",
    params(SearchParams, PeriodParams, FilterParams, ListParams),
    responses((status = 200, description = "A page of hits, best first; `next_cursor` is null on the last.", body = ListResponse<SearchHitJson>))
)]
async fn search(
    State(state): State<AppState>,
    StrictQuery(params): StrictQuery<SearchRequestParams>,
) -> Result<Json<ListResponse<SearchHitJson>>, ApiError> {
    let mut errors = Vec::new();
    let filter = params.filter.into_filter(params.period, &mut errors);
    let limit = collect(params.page.page_size(), &mut errors);
    let (Some(limit), true) = (limit, errors.is_empty()) else {
        return Err(ApiError::InvalidFields(errors));
    };
    let request = pb::SearchAnimeRequest {
        query: params.text.q.unwrap_or_default(),
        limit,
        filter: Some(filter),
        cursor: params.page.page_token(),
    };
    let response = state
        .catalog
        .clone()
        .search_anime(request)
        .await?
        .into_inner();
    let hits = response.hits.into_iter().map(SearchHitJson::from).collect();
    Ok(Json(ListResponse::new(hits, response.next_cursor)))
}
