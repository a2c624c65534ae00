//! Turning series and movie plans into stored records with stable ids. Every per-season quirk
//! (a `.5` special, `versions: null`, the "never" availability sentinel) is drawn from the
//! season's own hash, so it does not depend on what else is in the catalog.

use time::Date;

use super::categories::Category;
use super::dates::{AnimeSeason, season_start};
use super::model::{MovieListingRecord, ObjectRef, SeasonRecord, SeriesRecord, slugify};
use crate::ids::{IdAllocator, format_id, hash_key};

/// At most this many numbered episodes per season (One Piece has over a thousand).
pub(crate) const MAX_EPISODES_PER_SEASON: u32 = 200;
/// Episodes assumed when a record says 0 (an ongoing show with an unknown count).
const UNKNOWN_EPISODE_COUNT: u32 = 12;

/// A season to add.
pub(crate) struct SeasonPlan {
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) source: String,
    pub(crate) source_key: u64,
    pub(crate) anime_season: AnimeSeason,
    pub(crate) year: u32,
    pub(crate) episode_duration_seconds: u32,
    pub(crate) episodes: u32,
    pub(crate) ongoing: bool,
}

/// A series to add, with its seasons in order.
pub(crate) struct SeriesPlan {
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) categories: Vec<Category>,
    pub(crate) keywords: Vec<String>,
    pub(crate) content_provider: Option<String>,
    pub(crate) is_mature: bool,
    pub(crate) popularity: u64,
    pub(crate) source_key: u64,
    pub(crate) seasons: Vec<SeasonPlan>,
}

/// A movie listing to add.
pub(crate) struct MoviePlan {
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) source_key: u64,
    pub(crate) anime_season: AnimeSeason,
    pub(crate) year: u32,
    pub(crate) duration_seconds: u32,
    pub(crate) categories: Vec<Category>,
    pub(crate) keywords: Vec<String>,
    pub(crate) content_provider: Option<String>,
    pub(crate) is_mature: bool,
    pub(crate) popularity: u64,
}

/// Collects records and hands out ids in insertion order.
pub(crate) struct CatalogBuilder {
    pub(crate) series: Vec<SeriesRecord>,
    pub(crate) seasons: Vec<SeasonRecord>,
    pub(crate) movie_listings: Vec<MovieListingRecord>,
    pub(crate) ids: IdAllocator<ObjectRef>,
}

impl CatalogBuilder {
    /// A builder with room for about `series` series.
    pub(crate) fn with_capacity(series: usize) -> Self {
        CatalogBuilder {
            series: Vec::with_capacity(series),
            seasons: Vec::with_capacity(series * 2),
            movie_listings: Vec::new(),
            ids: IdAllocator::with_capacity(series * 27),
        }
    }

    /// Adds a series and its seasons and episodes.
    pub(crate) fn add_series(&mut self, plan: SeriesPlan) {
        let series_index = self.series.len() as u32;
        let series_id = self.ids.allocate(
            hash_key("series", plan.source_key, 0),
            ObjectRef::Series(series_index),
        );
        let mut season_indices = Vec::with_capacity(plan.seasons.len());
        let mut episode_count = 0;
        let mut newest_date = Date::MIN;
        let mut is_simulcast = false;
        for (number, season_plan) in (1u32..).zip(plan.seasons) {
            let season = self.add_season(series_index, number, season_plan);
            episode_count += season.episode_total();
            newest_date = newest_date.max(season.start_date);
            is_simulcast = !season.is_complete;
            season_indices.push(self.seasons.len() as u32);
            self.seasons.push(season);
        }
        let launch_year = season_indices
            .first()
            .map_or(0, |&index| self.seasons[index as usize].year);
        self.series.push(SeriesRecord {
            id: format_id(series_id),
            search_title: plan.title.to_lowercase(),
            slug_title: slugify(&plan.title),
            title: plan.title,
            description: plan.description,
            launch_year,
            categories: plan.categories,
            keywords: plan.keywords,
            content_provider: plan.content_provider,
            is_mature: plan.is_mature,
            is_simulcast,
            seasons: season_indices,
            episode_count,
            popularity: plan.popularity,
            newest_date,
            source_key: plan.source_key,
        });
    }

    fn add_season(&mut self, series_index: u32, number: u32, plan: SeasonPlan) -> SeasonRecord {
        let season_index = self.seasons.len() as u32;
        let season_id = self.ids.allocate(
            hash_key("season", plan.source_key, 0),
            ObjectRef::Season(season_index),
        );
        let quirks = hash_key("quirks", plan.source_key, 0);
        let regular_episodes = match plan.episodes {
            0 => UNKNOWN_EPISODE_COUNT,
            count => count.min(MAX_EPISODES_PER_SEASON),
        };
        let special_after = (quirks.is_multiple_of(10) && regular_episodes >= 2)
            .then(|| 1 + (quirks >> 8) as u32 % (regular_episodes - 1));
        let total = regular_episodes + u32::from(special_after.is_some());
        let episode_ids = (0..total)
            .map(|position| {
                self.ids.allocate(
                    hash_key("episode", plan.source_key, u64::from(position)),
                    ObjectRef::Episode {
                        season: season_index,
                        position,
                    },
                )
            })
            .collect();
        SeasonRecord {
            id: format_id(season_id),
            series: series_index,
            number,
            search_title: plan.title.to_lowercase(),
            slug_title: slugify(&plan.title),
            title: plan.title,
            description: plan.description,
            source: plan.source,
            anime_season: plan.anime_season,
            year: plan.year,
            start_date: season_start(plan.anime_season, plan.year),
            episode_duration_ms: u64::from(plan.episode_duration_seconds) * 1000,
            regular_episodes,
            special_after,
            episode_ids,
            has_versions: !(quirks >> 16).is_multiple_of(5),
            available_forever: !(quirks >> 24).is_multiple_of(4),
            is_complete: !plan.ongoing,
        }
    }

    /// Adds a movie listing with its single movie.
    pub(crate) fn add_movie(&mut self, plan: MoviePlan) {
        let listing_index = self.movie_listings.len() as u32;
        let listing_id = self.ids.allocate(
            hash_key("movie_listing", plan.source_key, 0),
            ObjectRef::MovieListing(listing_index),
        );
        let movie_id = self.ids.allocate(
            hash_key("movie", plan.source_key, 0),
            ObjectRef::Movie(listing_index),
        );
        self.movie_listings.push(MovieListingRecord {
            id: format_id(listing_id),
            movie_id: format_id(movie_id),
            search_title: plan.title.to_lowercase(),
            slug_title: slugify(&plan.title),
            title: plan.title,
            description: plan.description,
            year: plan.year,
            start_date: season_start(plan.anime_season, plan.year),
            anime_season: plan.anime_season,
            duration_ms: u64::from(plan.duration_seconds) * 1000,
            categories: plan.categories,
            keywords: plan.keywords,
            content_provider: plan.content_provider,
            is_mature: plan.is_mature,
            popularity: plan.popularity,
            source_key: plan.source_key,
        });
    }
}
