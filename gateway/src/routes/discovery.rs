//! `GET /api/v1/anime/{id}/similar`: anime like one anime; `GET /api/v1/anime/{id}/franchise`:
//! its prequel and sequel chain in watch order.

use axum::Json;
use axum::extract::{Path, State};
use kensho_proto::catalog::v1 as pb;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Accepted, NoParams, StrictQuery, optional_u32};
use crate::json::{AnimeSummaryJson, ListResponse, SimilarAnimeJson};
use crate::openapi::PROBLEM_CONTENT_TYPE;
use crate::problem::{ApiError, FieldError, ProblemSchema};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_similar_anime))
        .routes(routes!(get_franchise))
}

/// How many similar anime, and whether the same franchise counts.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SimilarParams {
    /// Most anime to answer.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// `true` keeps the anime of the same franchise (linked by any relation, directly or not).
    #[param(value_type = Option<bool>, default = false)]
    include_franchise: Option<String>,
}

impl Accepted for SimilarParams {
    const ACCEPTED: &'static [&'static str] = &["limit", "include_franchise"];
}

/// Anime like this one, most alike first: by the tags they share (a rare tag counts more than a
/// common one) and by a direct relation; the same franchise is left out unless asked for.
#[utoipa::path(
    get,
    path = "/api/v1/anime/{id}/similar",
    tag = "anime",
    params(("id" = String, Path, description = "The anime id.", example = "54346a98c23760eb"), SimilarParams),
    responses(
        (status = 200, description = "The similar anime, in one page; `next_cursor` is null.", body = ListResponse<SimilarAnimeJson>),
        (status = 404, description = "No stored anime has this id.", body = ProblemSchema, content_type = PROBLEM_CONTENT_TYPE),
    )
)]
async fn list_similar_anime(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StrictQuery(params): StrictQuery<SimilarParams>,
) -> Result<Json<ListResponse<SimilarAnimeJson>>, ApiError> {
    let limit = optional_u32(params.limit.as_deref(), "limit");
    let include_franchise = match params.include_franchise.as_deref() {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(FieldError {
            field: "include_franchise".to_owned(),
            message: "must be true or false".to_owned(),
        }),
    };
    let (limit, include_franchise) = match (limit, include_franchise) {
        (Ok(limit), Ok(include_franchise)) => (limit, include_franchise),
        (limit, include_franchise) => {
            let mut errors = Vec::new();
            if let Err(ApiError::InvalidFields(found)) = limit {
                errors.extend(found);
            }
            errors.extend(include_franchise.err());
            return Err(ApiError::InvalidFields(errors));
        }
    };
    let request = pb::ListSimilarAnimeRequest {
        anime_id: id,
        limit,
        include_franchise,
    };
    let response = state
        .catalog
        .clone()
        .list_similar_anime(request)
        .await?
        .into_inner();
    let similar = response
        .anime
        .into_iter()
        .map(SimilarAnimeJson::from)
        .collect();
    Ok(Json(ListResponse::new(similar, String::new())))
}

/// The anime's franchise: every anime its prequel and sequel links reach, itself included, each
/// before its sequels; anime the links do not order come by start year, then title.
#[utoipa::path(
    get,
    path = "/api/v1/anime/{id}/franchise",
    tag = "anime",
    params(("id" = String, Path, description = "The anime id.", example = "54346a98c23760eb")),
    responses(
        (status = 200, description = "The franchise in watch order, in one page; `next_cursor` is null.", body = ListResponse<AnimeSummaryJson>),
        (status = 404, description = "No stored anime has this id.", body = ProblemSchema, content_type = PROBLEM_CONTENT_TYPE),
    )
)]
async fn get_franchise(
    State(state): State<AppState>,
    Path(id): Path<String>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
) -> Result<Json<ListResponse<AnimeSummaryJson>>, ApiError> {
    let response = state
        .catalog
        .clone()
        .get_franchise(pb::GetFranchiseRequest { anime_id: id })
        .await?
        .into_inner();
    let anime = response
        .anime
        .into_iter()
        .map(AnimeSummaryJson::from)
        .collect();
    Ok(Json(ListResponse::new(anime, String::new())))
}
