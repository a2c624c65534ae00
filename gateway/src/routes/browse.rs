//! `GET /api/v1/browse/season/{year}/{season}`: anime that started in one season (with
//! `continuing=true`, also those still airing from earlier seasons); `.../current` and
//! `.../upcoming`: the same for the season airing now and the next one, by the gateway's clock;
//! `GET /api/v1/seasons`: every year and season the catalog holds, with counts.

use axum::Json;
use axum::extract::{Path, State};
use kensho_proto::catalog::v1 as pb;
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ListParams;
use super::anime_list::{FilterParams, PeriodParams, collect};
use super::season_clock::{season_after, season_at};
use crate::extract::{Accepted, NoParams, StrictQuery, accepted_names};
use crate::json::{AnimeSummaryJson, ListResponse, SeasonCountJson};
use crate::openapi::enums;
use crate::problem::{ApiError, FieldError};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(browse_current_season))
        .routes(routes!(browse_upcoming_season))
        .routes(routes!(browse_season))
        .routes(routes!(list_seasons))
}

/// One season of one year.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
struct SeasonPath {
    /// The year.
    #[param(value_type = u32, example = 1998)]
    year: String,
    /// The season, in any case.
    #[param(schema_with = enums::season_parameter, example = "spring")]
    season: String,
}

/// Whether anime that started before the season and still air are kept too.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ContinuingParams {
    /// `true` also lists the anime still airing (status ongoing) that started in an earlier
    /// season.
    #[param(value_type = Option<bool>, default = false)]
    continuing: Option<String>,
}

/// The list filters but the year and season (the path names them), `continuing`, and paging.
#[derive(Deserialize)]
struct BrowseParams {
    #[serde(flatten)]
    filter: FilterParams,
    #[serde(flatten)]
    continuing: ContinuingParams,
    #[serde(flatten)]
    page: ListParams,
}

impl Accepted for ContinuingParams {
    const ACCEPTED: &'static [&'static str] = &["continuing"];
}

impl Accepted for BrowseParams {
    const ACCEPTED: &'static [&'static str] = &accepted_names::<13>(&[
        FilterParams::ACCEPTED,
        ContinuingParams::ACCEPTED,
        ListParams::ACCEPTED,
    ]);
    const REPEATABLE: &'static [&'static str] = FilterParams::REPEATABLE;
}

/// Anime that started in one season of one year, by title, narrowed by the list filters.
#[utoipa::path(
    get,
    path = "/api/v1/browse/season/{year}/{season}",
    tag = "browse",
    params(SeasonPath, FilterParams, ContinuingParams, ListParams),
    responses(
        (status = 200, description = "A page of anime.", body = ListResponse<AnimeSummaryJson>),
    )
)]
async fn browse_season(
    State(state): State<AppState>,
    Path(SeasonPath { year, season }): Path<SeasonPath>,
    StrictQuery(params): StrictQuery<BrowseParams>,
) -> Result<Json<ListResponse<AnimeSummaryJson>>, ApiError> {
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
    match (year, season) {
        (Ok(year), Ok(season)) => season_page(state, year, season, params).await,
        (year, season) => {
            let mut errors = Vec::new();
            params
                .filter
                .into_filter(PeriodParams::default(), &mut errors);
            errors.extend(year.err());
            errors.extend(season.err());
            Err(ApiError::InvalidFields(errors))
        }
    }
}

/// The season airing now (by the gateway's clock, in UTC), by title, narrowed by the list
/// filters. A cursor holds for the season it was issued in: past the season's end it is a 400.
#[utoipa::path(
    get,
    path = "/api/v1/browse/season/current",
    tag = "browse",
    params(FilterParams, ContinuingParams, ListParams),
    responses(
        (status = 200, description = "A page of anime.", body = ListResponse<AnimeSummaryJson>),
    )
)]
async fn browse_current_season(
    State(state): State<AppState>,
    StrictQuery(params): StrictQuery<BrowseParams>,
) -> Result<Json<ListResponse<AnimeSummaryJson>>, ApiError> {
    let (year, season) = season_at(OffsetDateTime::now_utc());
    season_page(state, year, season, params).await
}

/// The season after the one airing now (by the gateway's clock, in UTC), by title, narrowed by
/// the list filters.
#[utoipa::path(
    get,
    path = "/api/v1/browse/season/upcoming",
    tag = "browse",
    params(FilterParams, ContinuingParams, ListParams),
    responses(
        (status = 200, description = "A page of anime.", body = ListResponse<AnimeSummaryJson>),
    )
)]
async fn browse_upcoming_season(
    State(state): State<AppState>,
    StrictQuery(params): StrictQuery<BrowseParams>,
) -> Result<Json<ListResponse<AnimeSummaryJson>>, ApiError> {
    let (year, season) = season_at(OffsetDateTime::now_utc());
    let (year, season) = season_after(year, season);
    season_page(state, year, season, params).await
}

/// One page of a season, or every malformed parameter named.
async fn season_page(
    state: AppState,
    year: u32,
    season: pb::Season,
    params: BrowseParams,
) -> Result<Json<ListResponse<AnimeSummaryJson>>, ApiError> {
    let mut errors = Vec::new();
    let filter = params
        .filter
        .into_filter(PeriodParams::default(), &mut errors);
    let page_size = collect(params.page.page_size(), &mut errors).flatten();
    let continuing = match params.continuing.continuing.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            errors.push(FieldError {
                field: "continuing".to_owned(),
                message: "must be true or false".to_owned(),
            });
            false
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::InvalidFields(errors));
    }
    let request = pb::BrowseSeasonRequest {
        year,
        season: season.into(),
        page_size,
        page_token: params.page.page_token(),
        filter: Some(filter),
        continuing,
    };
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

/// Every year and season the catalog holds with its anime count, newest first, in one page.
#[utoipa::path(
    get,
    path = "/api/v1/seasons",
    tag = "browse",
    responses(
        (status = 200, description = "The seasons; `next_cursor` is null.", body = ListResponse<SeasonCountJson>),
    )
)]
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
