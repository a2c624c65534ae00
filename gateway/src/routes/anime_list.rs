//! `GET /api/v1/anime`: the catalog as a filtered, sorted list paged by cursor; and the filter
//! parameters season browse shares with it, parsed into the contract's `AnimeFilter`.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kensho_proto::catalog::v1 as pb;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ListParams;
use crate::conditional::{CACHE_STATUS, cache_status_header};
use crate::extract::{Accepted, StrictQuery, accepted_names, optional_u32};
use crate::json::{AnimeSummaryJson, ListResponse};
use crate::openapi::enums;
use crate::problem::{ApiError, FieldError};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_anime))
}

/// The filters every filtering list accepts, as the query string states them. List
/// parameters are repeated (`type=tv&type=movie`) or comma-separated (`type=tv,movie`).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct FilterParams {
    /// Any of these kinds (any case).
    #[serde(rename = "type", default)]
    #[param(rename = "type", schema_with = enums::anime_types_parameter, style = Form, explode)]
    types: Vec<String>,
    /// Any of these airing statuses (any case).
    #[serde(default)]
    #[param(schema_with = enums::anime_statuses_parameter, style = Form, explode)]
    status: Vec<String>,
    /// Every one of these tags.
    #[serde(default)]
    #[param(style = Form, explode)]
    tag: Vec<String>,
    /// At least one of these tags.
    #[serde(default)]
    #[param(style = Form, explode)]
    any_tag: Vec<String>,
    /// None of these tags.
    #[serde(default)]
    #[param(style = Form, explode)]
    exclude_tag: Vec<String>,
    /// A studio, by name (any case).
    studio: Option<String>,
    /// At least this many episodes.
    #[param(value_type = Option<u32>)]
    min_episodes: Option<String>,
    /// At most this many episodes.
    #[param(value_type = Option<u32>)]
    max_episodes: Option<String>,
    /// At least this score (0..10); anime without a score are left out.
    #[param(value_type = Option<f64>, minimum = 0, maximum = 10)]
    min_score: Option<String>,
    /// `true` leaves out anime carrying the source data's adult content tags.
    #[param(value_type = Option<bool>, default = false)]
    sfw: Option<String>,
}

/// When an anime started: the filters season browse takes from its path instead.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct PeriodParams {
    /// Started in this year or later.
    #[param(value_type = Option<u32>, example = 2015)]
    year_from: Option<String>,
    /// Started in this year or earlier.
    #[param(value_type = Option<u32>, example = 2020)]
    year_to: Option<String>,
    /// Started in this season of the year (any case).
    #[param(schema_with = enums::season_parameter)]
    season: Option<String>,
}

/// The filter parameters that are lists: repeat them (`type=tv&type=movie`).
pub(super) const LIST_PARAMETERS: &[&str] = &["type", "status", "tag", "any_tag", "exclude_tag"];

impl Accepted for FilterParams {
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
    ];
    const REPEATABLE: &'static [&'static str] = LIST_PARAMETERS;
}

impl Accepted for PeriodParams {
    const ACCEPTED: &'static [&'static str] = &["year_from", "year_to", "season"];
}

/// Each comma-separated value of a repeated enum parameter, by its proto name.
fn enum_values<T: Into<i32>>(
    values: &[String],
    parameter: &str,
    allowed: &str,
    from_name: impl Fn(&str) -> Option<T>,
    errors: &mut Vec<FieldError>,
) -> Vec<i32> {
    let mut parsed = Vec::new();
    for value in values.iter().flat_map(|value| value.split(',')) {
        match from_name(&value.trim().to_ascii_uppercase()) {
            Some(known) => parsed.push(known.into()),
            None => {
                errors.push(FieldError {
                    field: parameter.to_owned(),
                    message: format!("must be one of {allowed}"),
                });
                break;
            }
        }
    }
    parsed
}

/// The value, or `None` with its field errors added to `errors`.
pub(super) fn collect<T>(result: Result<T, ApiError>, errors: &mut Vec<FieldError>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(ApiError::InvalidFields(found)) => {
            errors.extend(found);
            None
        }
        Err(_) => None,
    }
}

impl FilterParams {
    /// The contract's filter within `period`, or every malformed parameter named.
    pub(super) fn into_filter(
        self,
        period: PeriodParams,
        errors: &mut Vec<FieldError>,
    ) -> pb::AnimeFilter {
        let types = enum_values(
            &self.types,
            "type",
            "tv, movie, ova, ona, special, unknown",
            |name| {
                pb::AnimeType::from_str_name(&format!("ANIME_TYPE_{name}"))
                    .filter(|kind| *kind != pb::AnimeType::Unspecified)
            },
            errors,
        );
        let statuses = enum_values(
            &self.status,
            "status",
            "finished, ongoing, upcoming, unknown",
            |name| {
                pb::AnimeStatus::from_str_name(&format!("ANIME_STATUS_{name}"))
                    .filter(|status| *status != pb::AnimeStatus::Unspecified)
            },
            errors,
        );
        let season = match period.season.as_deref() {
            None => pb::Season::Unspecified,
            Some(name) => {
                pb::Season::from_str_name(&format!("SEASON_{}", name.to_ascii_uppercase()))
                    .filter(|season| *season != pb::Season::Unspecified)
                    .unwrap_or_else(|| {
                        errors.push(FieldError {
                            field: "season".to_owned(),
                            message: "must be one of winter, spring, summer, fall".to_owned(),
                        });
                        pb::Season::Unspecified
                    })
            }
        };
        let number = |value: Option<&str>, field: &str, errors: &mut Vec<FieldError>| {
            collect(optional_u32(value, field), errors).flatten()
        };
        let year_from = number(period.year_from.as_deref(), "year_from", errors);
        let year_to = number(period.year_to.as_deref(), "year_to", errors);
        let min_episodes = number(self.min_episodes.as_deref(), "min_episodes", errors);
        let max_episodes = number(self.max_episodes.as_deref(), "max_episodes", errors);
        let min_score = match self.min_score.as_deref() {
            None => None,
            Some(text) => match text.parse::<f64>() {
                Ok(score) if score.is_finite() => Some(score),
                _ => {
                    errors.push(FieldError {
                        field: "min_score".to_owned(),
                        message: "must be a number between 0 and 10".to_owned(),
                    });
                    None
                }
            },
        };
        let sfw = match self.sfw.as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => {
                errors.push(FieldError {
                    field: "sfw".to_owned(),
                    message: "must be true or false".to_owned(),
                });
                false
            }
        };
        pb::AnimeFilter {
            types,
            statuses,
            year_from,
            year_to,
            season: season.into(),
            tags: self.tag,
            any_tags: self.any_tag,
            exclude_tags: self.exclude_tag,
            studio: self.studio.unwrap_or_default(),
            min_episodes,
            max_episodes,
            min_score,
            sfw,
        }
    }
}

/// `sort=title|year|score|popularity|episodes`, `-` in front for descending.
fn sort(value: Option<&str>) -> Result<pb::AnimeSort, ApiError> {
    let Some(text) = value else {
        return Ok(pb::AnimeSort::default());
    };
    let (descending, name) = match text.strip_prefix('-') {
        Some(name) => (true, name),
        None => (false, text),
    };
    let field = match name {
        "title" => pb::AnimeSortField::Title,
        "year" => pb::AnimeSortField::Year,
        "score" => pb::AnimeSortField::Score,
        "popularity" => pb::AnimeSortField::Popularity,
        "episodes" => pb::AnimeSortField::Episodes,
        _ => {
            return Err(ApiError::invalid_field(
                "sort",
                "must be one of title, year, score, popularity, episodes, each with an optional - \
                 for descending",
            ));
        }
    };
    Ok(pb::AnimeSort {
        field: field.into(),
        descending,
    })
}

/// The order of the list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct SortParams {
    /// `title`, `year`, `score`, `popularity` or `episodes`, with `-` in front for descending;
    /// ties are broken by id.
    #[param(default = "title", example = "-score")]
    sort: Option<String>,
}

#[derive(Deserialize)]
struct AnimeListParams {
    #[serde(flatten)]
    period: PeriodParams,
    #[serde(flatten)]
    filter: FilterParams,
    #[serde(flatten)]
    order: SortParams,
    #[serde(flatten)]
    page: ListParams,
}

impl Accepted for SortParams {
    const ACCEPTED: &'static [&'static str] = &["sort"];
}

impl Accepted for AnimeListParams {
    const ACCEPTED: &'static [&'static str] = &accepted_names::<16>(&[
        PeriodParams::ACCEPTED,
        FilterParams::ACCEPTED,
        SortParams::ACCEPTED,
        ListParams::ACCEPTED,
    ]);
    const REPEATABLE: &'static [&'static str] = FilterParams::REPEATABLE;
}

/// The catalog filtered and sorted, one page at a time; `?sort=-score` is the top list.
#[utoipa::path(
    get,
    path = "/api/v1/anime",
    tag = "anime",
    params(PeriodParams, FilterParams, SortParams, ListParams),
    responses(
        (status = 200, description = "A page of anime; `next_cursor` is null on the last.", body = ListResponse<AnimeSummaryJson>),
    )
)]
async fn list_anime(
    State(state): State<AppState>,
    StrictQuery(params): StrictQuery<AnimeListParams>,
) -> Result<Response, ApiError> {
    let mut errors = Vec::new();
    let filter = params.filter.into_filter(params.period, &mut errors);
    let sort = collect(sort(params.order.sort.as_deref()), &mut errors);
    let page_size = collect(params.page.page_size(), &mut errors);
    let (Some(sort), Some(page_size), true) = (sort, page_size, errors.is_empty()) else {
        return Err(ApiError::InvalidFields(errors));
    };
    let request = pb::ListAnimeRequest {
        filter: Some(filter),
        sort: Some(sort),
        page_size,
        cursor: params.page.page_token(),
    };
    let response = state.catalog.clone().list_anime(request).await?;
    let cache_status = cache_status_header(response.metadata());
    let page = response.into_inner();
    let anime = page.anime.into_iter().map(AnimeSummaryJson::from).collect();
    let mut answer = Json(ListResponse::new(anime, page.next_cursor)).into_response();
    if let Some(cache_status) = cache_status {
        answer.headers_mut().insert(CACHE_STATUS, cache_status);
    }
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minus_sorts_descending_and_unknown_fields_are_refused() {
        let descending = sort(Some("-score")).expect("valid");
        assert!(descending.descending);
        assert_eq!(descending.field, i32::from(pb::AnimeSortField::Score));
        assert!(sort(Some("rating")).is_err());
    }
}
