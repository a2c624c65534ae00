//! The contract's list messages (`AnimeFilter`, `AnimeSort`) into the domain's checked filter
//! and order, naming each invalid field.

use kensho_proto::catalog::v1 as pb;

use super::convert::season_from_proto;
use crate::domain::{
    AnimeFilter, AnimeSort, AnimeStatus, AnimeType, FieldViolation, RawAnimeFilter, SortField,
};

fn anime_type(value: i32) -> Option<AnimeType> {
    Some(match pb::AnimeType::try_from(value).ok()? {
        pb::AnimeType::Unspecified => return None,
        pb::AnimeType::Tv => AnimeType::Tv,
        pb::AnimeType::Movie => AnimeType::Movie,
        pb::AnimeType::Ova => AnimeType::Ova,
        pb::AnimeType::Ona => AnimeType::Ona,
        pb::AnimeType::Special => AnimeType::Special,
        pb::AnimeType::Unknown => AnimeType::Unknown,
    })
}

fn status(value: i32) -> Option<AnimeStatus> {
    Some(match pb::AnimeStatus::try_from(value).ok()? {
        pb::AnimeStatus::Unspecified => return None,
        pb::AnimeStatus::Finished => AnimeStatus::Finished,
        pb::AnimeStatus::Ongoing => AnimeStatus::Ongoing,
        pb::AnimeStatus::Upcoming => AnimeStatus::Upcoming,
        pb::AnimeStatus::Unknown => AnimeStatus::Unknown,
    })
}

/// Every value converted, or a violation of `field` for the first unknown one.
fn all_known<T>(
    values: &[i32],
    convert: impl Fn(i32) -> Option<T>,
    field: &str,
    violations: &mut Vec<FieldViolation>,
) -> Vec<T> {
    let converted: Option<Vec<T>> = values.iter().map(|value| convert(*value)).collect();
    converted.unwrap_or_else(|| {
        violations.push(FieldViolation::new(field, "holds an unknown value"));
        Vec::new()
    })
}

/// The checked filter of a request (absent means no filter); fields are named `filter.<name>`.
pub(super) fn anime_filter(
    filter: Option<pb::AnimeFilter>,
    violations: &mut Vec<FieldViolation>,
) -> Option<AnimeFilter> {
    let filter = filter.unwrap_or_default();
    let mut found = Vec::new();
    let types = all_known(&filter.types, anime_type, "filter.types", &mut found);
    let statuses = all_known(&filter.statuses, status, "filter.statuses", &mut found);
    let season = match filter.season {
        0 => None,
        value => {
            let season = season_from_proto(value);
            if season.is_none() {
                found.push(FieldViolation::new(
                    "filter.season",
                    "is not a known season",
                ));
            }
            season
        }
    };
    let raw = RawAnimeFilter {
        types,
        statuses,
        year_from: filter.year_from,
        year_to: filter.year_to,
        season,
        all_tags: filter.tags,
        any_tags: filter.any_tags,
        excluded_tags: filter.exclude_tags,
        studio: (!filter.studio.is_empty()).then_some(filter.studio),
        min_episodes: filter.min_episodes,
        max_episodes: filter.max_episodes,
        min_score: filter.min_score,
        sfw: filter.sfw,
        continuing_before: None,
    };
    match AnimeFilter::parse(raw, "filter.") {
        Ok(parsed) if found.is_empty() => Some(parsed),
        Ok(_) => {
            violations.extend(found);
            None
        }
        Err(more) => {
            violations.extend(found);
            violations.extend(more);
            None
        }
    }
}

/// The order of a request; absent means by title, ascending.
pub(super) fn anime_sort(
    sort: Option<pb::AnimeSort>,
    violations: &mut Vec<FieldViolation>,
) -> Option<AnimeSort> {
    let sort = sort.unwrap_or_default();
    let field = match pb::AnimeSortField::try_from(sort.field) {
        Ok(pb::AnimeSortField::Unspecified | pb::AnimeSortField::Title) => SortField::Title,
        Ok(pb::AnimeSortField::Year) => SortField::Year,
        Ok(pb::AnimeSortField::Score) => SortField::Score,
        Ok(pb::AnimeSortField::Popularity) => SortField::Popularity,
        Ok(pb::AnimeSortField::Episodes) => SortField::Episodes,
        Err(_) => {
            violations.push(FieldViolation::new(
                "sort.field",
                "is not a known sort field",
            ));
            return None;
        }
    };
    Some(AnimeSort {
        field,
        descending: sort.descending,
    })
}
