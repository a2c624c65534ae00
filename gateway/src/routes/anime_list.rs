//! `GET /api/v1/anime`: the catalog as a filtered, sorted list paged by cursor; and the filter
//! parameters season browse shares with it, parsed into the contract's `AnimeFilter`.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use kensho_proto::catalog::v1 as pb;
use serde::Deserialize;

use crate::conditional::{CACHE_STATUS, cache_status_header};
use crate::extract::{Accepted, StrictQuery, optional_u32};
use crate::json::{AnimeSummaryJson, ListResponse};
use crate::problem::{ApiError, FieldError};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/anime", get(list_anime))
}

/// The filters every filtering list accepts, as the query string states them.
#[derive(Debug, Default, Deserialize)]
pub(super) struct FilterParams {
    #[serde(rename = "type", default)]
    types: Vec<String>,
    #[serde(default)]
    status: Vec<String>,
    year_from: Option<String>,
    year_to: Option<String>,
    season: Option<String>,
    #[serde(default)]
    tag: Vec<String>,
    #[serde(default)]
    any_tag: Vec<String>,
    #[serde(default)]
    exclude_tag: Vec<String>,
    studio: Option<String>,
    min_episodes: Option<String>,
    max_episodes: Option<String>,
    min_score: Option<String>,
    sfw: Option<String>,
}

/// The filter parameters that are lists: repeat them (`type=tv&type=movie`).
pub(super) const LIST_PARAMETERS: &[&str] = &["type", "status", "tag", "any_tag", "exclude_tag"];

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

fn collect<T>(result: Result<T, ApiError>, errors: &mut Vec<FieldError>) -> Option<T> {
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
    /// The contract's filter, or every malformed parameter named.
    pub(super) fn into_filter(self, errors: &mut Vec<FieldError>) -> pb::AnimeFilter {
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
        let season = match self.season.as_deref() {
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
        let year_from = number(self.year_from.as_deref(), "year_from", errors);
        let year_to = number(self.year_to.as_deref(), "year_to", errors);
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

#[derive(Deserialize)]
struct AnimeListParams {
    #[serde(flatten)]
    filter: FilterParams,
    sort: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

impl Accepted for AnimeListParams {
    const ACCEPTED: &'static [&'static str] = &[
        "type",
        "status",
        "year_from",
        "year_to",
        "season",
        "tag",
        "any_tag",
        "exclude_tag",
        "studio",
        "min_episodes",
        "max_episodes",
        "min_score",
        "sfw",
        "sort",
        "limit",
        "cursor",
    ];
    const REPEATABLE: &'static [&'static str] = LIST_PARAMETERS;
}

async fn list_anime(
    State(state): State<AppState>,
    StrictQuery(params): StrictQuery<AnimeListParams>,
) -> Result<Response, ApiError> {
    let mut errors = Vec::new();
    let filter = params.filter.into_filter(&mut errors);
    let sort = collect(sort(params.sort.as_deref()), &mut errors);
    let page_size = collect(optional_u32(params.limit.as_deref(), "limit"), &mut errors);
    let (Some(sort), Some(page_size), true) = (sort, page_size, errors.is_empty()) else {
        return Err(ApiError::InvalidFields(errors));
    };
    let request = pb::ListAnimeRequest {
        filter: Some(filter),
        sort: Some(sort),
        page_size,
        cursor: params.cursor.unwrap_or_default(),
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
