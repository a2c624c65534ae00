//! The simulated Crunchyroll catalog, built deterministically from Kensho's sample catalog (and
//! optionally thousands of synthetic series), with the lookups the routes and tests need.

mod build;
mod categories;
pub(crate) mod dates;
mod episodes;
mod franchises;
mod lookup;
pub(crate) mod model;
mod sample;
mod synthetic;
mod words;

use std::collections::HashMap;
use std::time::Instant;

pub use categories::Category;
pub(crate) use episodes::{EpisodeView, title_of as episode_title};
pub use lookup::{EpisodeSummary, MovieSummary, SeasonSummary, SeriesSummary};
use model::{Listing, MovieListingRecord, ObjectRef, SeasonRecord, SeriesRecord};

use crate::ids::{IdAllocator, parse_id};

/// The whole simulated catalog: series, seasons, episodes and movie listings with stable ids.
#[derive(Debug)]
pub struct SimCatalog {
    pub(crate) series: Vec<SeriesRecord>,
    pub(crate) seasons: Vec<SeasonRecord>,
    pub(crate) movie_listings: Vec<MovieListingRecord>,
    ids: IdAllocator<ObjectRef>,
    /// Browse orders over series and movie listings.
    pub(crate) by_popularity: Vec<Listing>,
    pub(crate) by_newest: Vec<Listing>,
    pub(crate) by_title: Vec<Listing>,
    /// Distinct seasonal tags, newest first.
    pub(crate) seasonal_tags: Vec<(dates::AnimeSeason, u32)>,
    series_by_title: HashMap<String, u32>,
    seasons_by_title: HashMap<String, u32>,
    seasons_by_source: HashMap<String, u32>,
    movies_by_title: HashMap<String, u32>,
}

impl SimCatalog {
    /// Builds the sample-derived catalog plus `extra_series` synthetic series drawn from `seed`.
    /// The sample part, ids included, is the same whatever the seed and extra count.
    pub fn build(seed: u64, extra_series: u32) -> anyhow::Result<SimCatalog> {
        let started = Instant::now();
        let sample = sample::load_sample()?;
        let mut builder =
            build::CatalogBuilder::with_capacity(sample.len() + extra_series as usize);
        franchises::add_sample(&mut builder, &sample);
        synthetic::add_synthetic(&mut builder, seed, extra_series);
        let catalog = SimCatalog::index(builder);
        tracing::info!(
            series = catalog.series.len(),
            movie_listings = catalog.movie_listings.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "simulated catalog built"
        );
        Ok(catalog)
    }

    fn index(builder: build::CatalogBuilder) -> SimCatalog {
        let build::CatalogBuilder {
            series,
            seasons,
            movie_listings,
            ids,
        } = builder;
        let listings: Vec<Listing> = (0..series.len() as u32)
            .map(Listing::Series)
            .chain((0..movie_listings.len() as u32).map(Listing::MovieListing))
            .collect();
        let key = |listing: &Listing| match *listing {
            Listing::Series(index) => {
                let record = &series[index as usize];
                (
                    record.popularity,
                    record.newest_date,
                    record.search_title.as_str(),
                )
            }
            Listing::MovieListing(index) => {
                let record = &movie_listings[index as usize];
                (
                    record.popularity,
                    record.start_date,
                    record.search_title.as_str(),
                )
            }
        };
        let mut by_popularity = listings.clone();
        by_popularity.sort_by_key(|listing| std::cmp::Reverse(key(listing).0));
        let mut by_newest = listings.clone();
        by_newest.sort_by(|a, b| key(b).1.cmp(&key(a).1).then(key(b).0.cmp(&key(a).0)));
        let mut by_title = listings;
        by_title.sort_by(|a, b| key(a).2.cmp(key(b).2));
        let mut seasonal_tags: Vec<_> = seasons
            .iter()
            .map(|season| (season.anime_season, season.year))
            .collect();
        seasonal_tags
            .sort_by_key(|&(season, year)| std::cmp::Reverse((year, season.first_month())));
        seasonal_tags.dedup();
        SimCatalog {
            series_by_title: first_by(series.iter().map(|s| s.search_title.clone())),
            seasons_by_title: first_by(seasons.iter().map(|s| s.search_title.clone())),
            seasons_by_source: first_by(seasons.iter().map(|s| s.source.clone())),
            movies_by_title: first_by(movie_listings.iter().map(|m| m.search_title.clone())),
            series,
            seasons,
            movie_listings,
            ids,
            by_popularity,
            by_newest,
            by_title,
            seasonal_tags,
        }
    }

    /// What an id names, if anything.
    pub(crate) fn resolve(&self, id: &str) -> Option<ObjectRef> {
        parse_id(id).and_then(|value| self.ids.owner(value).copied())
    }

    /// Index of the series with this id.
    pub(crate) fn series_index(&self, id: &str) -> Option<u32> {
        match self.resolve(id)? {
            ObjectRef::Series(index) => Some(index),
            _ => None,
        }
    }

    /// Index of the season with this id.
    pub(crate) fn season_index(&self, id: &str) -> Option<u32> {
        match self.resolve(id)? {
            ObjectRef::Season(index) => Some(index),
            _ => None,
        }
    }

    /// The episode with this id.
    pub(crate) fn episode(&self, id: &str) -> Option<EpisodeView<'_>> {
        match self.resolve(id)? {
            ObjectRef::Episode { season, position } => self.episode_view(season, position),
            _ => None,
        }
    }

    /// Number of series (sample-derived plus synthetic).
    pub fn series_count(&self) -> usize {
        self.series.len()
    }

    /// Number of seasons.
    pub fn season_count(&self) -> usize {
        self.seasons.len()
    }

    /// Number of movie listings.
    pub fn movie_listing_count(&self) -> usize {
        self.movie_listings.len()
    }

    /// Number of episodes, specials included.
    pub fn episode_count(&self) -> usize {
        self.seasons
            .iter()
            .map(|season| season.episode_total() as usize)
            .sum()
    }
}

/// Maps each non-empty key to the index of its first occurrence.
fn first_by(keys: impl Iterator<Item = String>) -> HashMap<String, u32> {
    let mut map = HashMap::new();
    for (index, key) in (0u32..).zip(keys) {
        if !key.is_empty() {
            map.entry(key).or_insert(index);
        }
    }
    map
}
