//! Public lookups for tests and other crates: find the Crunchyroll ids the simulator gave a
//! Kensho sample title (each TV/ONA sample anime is one season; its chain root names the series).

use super::SimCatalog;
use super::episodes::EpisodeView;
use crate::ids::format_id;

/// A series and its seasons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesSummary {
    /// Crunchyroll series id.
    pub id: String,
    /// Series title (the title of its first sample anime).
    pub title: String,
    /// Ids of its seasons, in order.
    pub season_ids: Vec<String>,
    /// Episodes over all seasons, specials included.
    pub episode_count: u32,
}

/// A season and its episodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeasonSummary {
    /// Crunchyroll season id.
    pub id: String,
    /// Id of the series it belongs to.
    pub series_id: String,
    /// Season title (the sample anime's title).
    pub title: String,
    /// 1-based position in the series.
    pub season_number: u32,
    /// Seasonal tag, e.g. `spring-2022`.
    pub seasonal_tag: String,
    /// Ids of its episodes, in order (specials included).
    pub episode_ids: Vec<String>,
}

/// One episode.
#[derive(Clone, Debug, PartialEq)]
pub struct EpisodeSummary {
    /// Crunchyroll episode id (what the play service takes).
    pub id: String,
    /// Id of its season.
    pub season_id: String,
    /// Episode title.
    pub title: String,
    /// Episode number; `None` for a `.5` special.
    pub episode_number: Option<u32>,
    /// Position in the season (`2.5` for a special after episode 2).
    pub sequence_number: f64,
    /// Whether free accounts are refused playback.
    pub is_premium_only: bool,
}

/// A movie listing and its single movie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MovieSummary {
    /// Crunchyroll movie listing id.
    pub listing_id: String,
    /// Id of the movie inside it.
    pub movie_id: String,
    /// Title.
    pub title: String,
}

impl SimCatalog {
    /// The series with this exact title (case-insensitive).
    pub fn series_by_title(&self, title: &str) -> Option<SeriesSummary> {
        let index = *self.series_by_title.get(&title.to_lowercase())?;
        Some(self.series_summary(index))
    }

    /// The series with this id.
    pub fn series_by_id(&self, id: &str) -> Option<SeriesSummary> {
        self.series_index(id)
            .map(|index| self.series_summary(index))
    }

    /// The season made from the sample anime with this exact title (case-insensitive).
    pub fn season_by_title(&self, title: &str) -> Option<SeasonSummary> {
        let index = *self.seasons_by_title.get(&title.to_lowercase())?;
        Some(self.season_summary(index))
    }

    /// The season made from the sample anime with this first source URL, e.g.
    /// `https://myanimelist.net/anime/1`.
    pub fn season_by_source(&self, source: &str) -> Option<SeasonSummary> {
        let index = *self.seasons_by_source.get(source)?;
        Some(self.season_summary(index))
    }

    /// The season with this id.
    pub fn season_by_id(&self, id: &str) -> Option<SeasonSummary> {
        self.season_index(id)
            .map(|index| self.season_summary(index))
    }

    /// Every episode of the season with this id, in order; empty for an unknown id.
    pub fn episodes_of_season(&self, season_id: &str) -> Vec<EpisodeSummary> {
        self.season_index(season_id)
            .map(|index| {
                self.season_episodes(index)
                    .iter()
                    .map(episode_summary)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Episode `episode_number` of the season titled like the sample anime `season_title`.
    pub fn episode_by_number(
        &self,
        season_title: &str,
        episode_number: u32,
    ) -> Option<EpisodeSummary> {
        let season = self.season_by_title(season_title)?;
        self.episodes_of_season(&season.id)
            .into_iter()
            .find(|episode| episode.episode_number == Some(episode_number))
    }

    /// The episode with this id.
    pub fn episode_by_id(&self, id: &str) -> Option<EpisodeSummary> {
        self.episode(id).as_ref().map(episode_summary)
    }

    /// The movie listing with this exact title (case-insensitive).
    pub fn movie_by_title(&self, title: &str) -> Option<MovieSummary> {
        let index = *self.movies_by_title.get(&title.to_lowercase())?;
        let listing = &self.movie_listings[index as usize];
        Some(MovieSummary {
            listing_id: listing.id.clone(),
            movie_id: listing.movie_id.clone(),
            title: listing.title.clone(),
        })
    }

    /// Seasons with a `.5` special (`episode_number: null`), for tests that need one.
    pub fn seasons_with_specials(&self) -> Vec<SeasonSummary> {
        (0..self.seasons.len() as u32)
            .filter(|&index| self.seasons[index as usize].special_after.is_some())
            .map(|index| self.season_summary(index))
            .collect()
    }

    /// Whether an id names anything in the catalog.
    pub fn contains(&self, id: &str) -> bool {
        self.resolve(id).is_some()
    }

    fn series_summary(&self, index: u32) -> SeriesSummary {
        let series = &self.series[index as usize];
        SeriesSummary {
            id: series.id.clone(),
            title: series.title.clone(),
            season_ids: series
                .seasons
                .iter()
                .map(|&season| self.seasons[season as usize].id.clone())
                .collect(),
            episode_count: series.episode_count,
        }
    }

    fn season_summary(&self, index: u32) -> SeasonSummary {
        let season = &self.seasons[index as usize];
        SeasonSummary {
            id: season.id.clone(),
            series_id: self.series[season.series as usize].id.clone(),
            title: season.title.clone(),
            season_number: season.number,
            seasonal_tag: season.seasonal_tag(),
            episode_ids: season
                .episode_ids
                .iter()
                .map(|&value| format_id(value))
                .collect(),
        }
    }
}

fn episode_summary(episode: &EpisodeView<'_>) -> EpisodeSummary {
    EpisodeSummary {
        id: episode.id.clone(),
        season_id: episode.season.id.clone(),
        title: episode.title.clone(),
        episode_number: episode.episode_number,
        sequence_number: episode.sequence_number,
        is_premium_only: episode.is_premium_only,
    }
}
