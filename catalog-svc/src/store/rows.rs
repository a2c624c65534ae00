//! Rows as the database returns them, and their conversion into the storage model.

use super::database::Row;
use super::{AnimeSummary, Episode, Score, StoreError, Tag, TagCount};
use crate::domain::{AnimeId, AnimeStatus, AnimeType, Season, TagCategory};

/// The summary columns of the `anime` table aliased `alias`, in [`SummaryRow`] order.
pub(super) fn summary_columns(alias: &str) -> String {
    [
        "id",
        "title",
        "anime_type",
        "status",
        "episode_count",
        "season",
        "season_year",
        "picture",
        "thumbnail",
        "score_arithmetic_geometric_mean",
        "score_arithmetic_mean",
        "score_median",
        "popularity",
    ]
    .iter()
    .map(|column| format!("{alias}.{column}"))
    .collect::<Vec<_>>()
    .join(", ")
}

pub(super) struct SummaryRow {
    id: String,
    title: String,
    anime_type: String,
    status: String,
    episode_count: i64,
    season: Option<String>,
    season_year: Option<i64>,
    picture: String,
    thumbnail: String,
    score_arithmetic_geometric_mean: Option<f64>,
    score_arithmetic_mean: Option<f64>,
    score_median: Option<f64>,
    popularity: i64,
}

impl SummaryRow {
    pub(super) fn from_row(row: &Row) -> Result<Self, StoreError> {
        Ok(SummaryRow {
            id: row.try_get("id")?,
            title: row.try_get("title")?,
            anime_type: row.try_get("anime_type")?,
            status: row.try_get("status")?,
            episode_count: row.try_get("episode_count")?,
            season: row.try_get("season")?,
            season_year: row.try_get("season_year")?,
            picture: row.try_get("picture")?,
            thumbnail: row.try_get("thumbnail")?,
            score_arithmetic_geometric_mean: row.try_get("score_arithmetic_geometric_mean")?,
            score_arithmetic_mean: row.try_get("score_arithmetic_mean")?,
            score_median: row.try_get("score_median")?,
            popularity: row.try_get("popularity")?,
        })
    }

    pub(super) fn into_summary(self) -> Result<AnimeSummary, StoreError> {
        let anime_type = AnimeType::from_name(&self.anime_type).ok_or(StoreError::Corrupt {
            column: "anime.anime_type",
            value: self.anime_type.clone(),
        })?;
        let status = AnimeStatus::from_name(&self.status).ok_or(StoreError::Corrupt {
            column: "anime.status",
            value: self.status.clone(),
        })?;
        let season = match self.season {
            None => None,
            Some(name) => Some(Season::from_name(&name).ok_or(StoreError::Corrupt {
                column: "anime.season",
                value: name,
            })?),
        };
        Ok(AnimeSummary {
            id: AnimeId::from_storage(self.id),
            title: self.title,
            anime_type,
            status,
            episode_count: self.episode_count.max(0) as u32,
            season,
            year: self.season_year.map(|year| year as u32),
            picture: self.picture,
            thumbnail: self.thumbnail,
            score: Score {
                arithmetic_geometric_mean: self.score_arithmetic_geometric_mean,
                arithmetic_mean: self.score_arithmetic_mean,
                median: self.score_median,
            }
            .present(),
            popularity: u32::try_from(self.popularity.max(0)).unwrap_or(u32::MAX),
        })
    }
}

pub(super) struct EpisodeRow {
    episode_number: i64,
    title: String,
    duration_seconds: Option<i64>,
    air_date: Option<String>,
    synopsis: String,
    thumbnail: String,
    crunchyroll_episode_id: Option<String>,
}

impl EpisodeRow {
    pub(super) fn from_row(row: &Row) -> Result<Self, StoreError> {
        Ok(EpisodeRow {
            episode_number: row.try_get("episode_number")?,
            title: row.try_get("title")?,
            duration_seconds: row.try_get("duration_seconds")?,
            air_date: row.try_get("air_date")?,
            synopsis: row.try_get("synopsis")?,
            thumbnail: row.try_get("thumbnail")?,
            crunchyroll_episode_id: row.try_get("crunchyroll_episode_id")?,
        })
    }

    pub(super) fn into_episode(self) -> Episode {
        Episode {
            number: self.episode_number.max(0) as u32,
            title: self.title,
            duration_seconds: self.duration_seconds.map(|seconds| seconds as u32),
            air_date: self.air_date,
            synopsis: self.synopsis,
            thumbnail: self.thumbnail,
            crunchyroll_episode_id: self.crunchyroll_episode_id,
        }
    }
}

pub(super) struct TagCountRow {
    name: String,
    category: String,
    anime_count: i64,
}

impl TagCountRow {
    pub(super) fn from_row(row: &Row) -> Result<Self, StoreError> {
        Ok(TagCountRow {
            name: row.try_get("name")?,
            category: row.try_get("category")?,
            anime_count: row.try_get("anime_count")?,
        })
    }

    pub(super) fn into_tag_count(self) -> Result<TagCount, StoreError> {
        let category = TagCategory::from_name(&self.category).ok_or(StoreError::Corrupt {
            column: "tag.category",
            value: self.category.clone(),
        })?;
        Ok(TagCount {
            tag: Tag {
                name: self.name,
                category,
            },
            anime_count: self.anime_count.max(0) as u64,
        })
    }
}
