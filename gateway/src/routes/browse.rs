//! `GET /api/v1/browse/season/{year}/{season}`: anime that started in one season;
//! `GET /api/v1/seasons`: every year and season the catalog holds, with counts.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use kensho_proto::catalog::v1 as pb;

use serde::Deserialize;

use super::anime_list::{FilterParams, LIST_PARAMETERS};
use crate::extract::{Accepted, NoParams, StrictQuery, optional_u32};
use crate::json::{AnimeSummaryJson, ListResponse, SeasonCountJson};
use crate::problem::{ApiError, FieldError};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/browse/season/{year}/{season}", get(browse_season))
        .route("/api/v1/seasons", get(list_seasons))
}

/// The list filters but the year and season (the path names them), and paging.
#[derive(Deserialize)]
struct BrowseParams {
    #[serde(flatten)]
    filter: FilterParams,
    limit: Option<String>,
    cursor: Option<String>,
}

impl Accepted for BrowseParams {
    const ACCEPTED: &'static [&'static str] = &[
        "type",
        "status",
        "tag",
        "any_tag",
        "exclude_tag",
        "studio",
        "min_episodes",
        "max_episodes",
        "min_score",
        "sfw",
        "limit",
        "cursor",
    ];
    const REPEATABLE: &'static [&'static str] = LIST_PARAMETERS;
}

async fn browse_season(
    State(state): State<AppState>,
    Path((year, season)): Path<(String, String)>,
    StrictQuery(params): StrictQuery<BrowseParams>,
) -> Result<Json<ListResponse<AnimeSummaryJson>>, ApiError> {
    let mut errors = Vec::new();
    let filter = params.filter.into_filter(&mut errors);
    let page_size = match optional_u32(params.limit.as_deref(), "limit") {
        Ok(size) => size,
        Err(ApiError::InvalidFields(found)) => {
            errors.extend(found);
            None
        }
        Err(other) => return Err(other),
    };
    let year = year.parse::<u32>().map_err(|_| FieldError {
        field: "year".to_owned(),
        message: "must be a year such as 2024".to_owned(),
    });
    let season = pb::Season::from_str_name(&format!("SEASON_{}", season.to_ascii_uppercase()))
        .filter(|season| *season != pb::Season::Unspecified)
        .ok_or_else(|| FieldError {
            field: "season".to_owned(),
            message: "must be one of winter, spring, summer, fall".to_owned(),
        });
    let (year, season) = match (year, season) {
        (Ok(year), Ok(season)) if errors.is_empty() => (year, season),
        (year, season) => {
            errors.extend(year.err());
            errors.extend(season.err());
            return Err(ApiError::InvalidFields(errors));
        }
    };
    let message = pb::BrowseSeasonRequest {
        year,
        season: season.into(),
        page_size,
        page_token: params.cursor.unwrap_or_default(),
        filter: Some(filter),
    };
    let request = message;
    let response = state
        .catalog
        .clone()
        .browse_season(request)
        .await?
        .into_inner();
    let anime = response
        .anime
        .into_iter()
        .map(AnimeSummaryJson::from)
        .collect();
    Ok(Json(ListResponse::new(anime, response.next_page_token)))
}

async fn list_seasons(
    State(state): State<AppState>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
) -> Result<Json<ListResponse<SeasonCountJson>>, ApiError> {
    let response = state
        .catalog
        .clone()
        .list_seasons(pb::ListSeasonsRequest {})
        .await?
        .into_inner();
    let seasons = response
        .seasons
        .into_iter()
        .map(SeasonCountJson::from)
        .collect();
    Ok(Json(ListResponse::new(seasons, String::new())))
}
