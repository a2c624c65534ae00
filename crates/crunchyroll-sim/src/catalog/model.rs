//! The catalog's stored records. Episodes are not stored: only their id values are, and
//! everything else about an episode is derived from its season on demand (see `episodes`), so
//! tens of thousands of synthetic series stay small.

use time::Date;

use super::categories::Category;
use super::dates::AnimeSeason;

/// What an id value names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ObjectRef {
    /// `series[index]`.
    Series(u32),
    /// `seasons[index]`.
    Season(u32),
    /// The episode at `position` of `seasons[season]`.
    Episode { season: u32, position: u32 },
    /// `movie_listings[index]`.
    MovieListing(u32),
    /// The single movie of `movie_listings[index]`.
    Movie(u32),
}

/// A browsable top-level item, in one of the precomputed sort orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Listing {
    /// `series[index]`.
    Series(u32),
    /// `movie_listings[index]`.
    MovieListing(u32),
}

/// One series: a chain of TV/ONA anime joined by prequel/sequel links, or a synthetic one.
#[derive(Debug)]
pub(crate) struct SeriesRecord {
    pub(crate) id: String,
    pub(crate) title: String,
    /// Lowercased title, for case-insensitive search.
    pub(crate) search_title: String,
    pub(crate) slug_title: String,
    pub(crate) description: String,
    pub(crate) launch_year: u32,
    pub(crate) categories: Vec<Category>,
    pub(crate) keywords: Vec<String>,
    pub(crate) content_provider: Option<String>,
    pub(crate) is_mature: bool,
    pub(crate) is_simulcast: bool,
    /// Indices into `seasons`, in season order.
    pub(crate) seasons: Vec<u32>,
    /// Episodes of every season, specials included.
    pub(crate) episode_count: u32,
    /// Higher is more popular.
    pub(crate) popularity: u64,
    /// First day of the newest season, for `newly_added`.
    pub(crate) newest_date: Date,
    /// Source key hashed into every id of the series (the root anime's source URL hash).
    pub(crate) source_key: u64,
}

/// One season: one TV/ONA anime of the sample catalog, or a synthetic one.
#[derive(Debug)]
pub(crate) struct SeasonRecord {
    pub(crate) id: String,
    /// Index into `series`.
    pub(crate) series: u32,
    pub(crate) number: u32,
    pub(crate) title: String,
    /// Lowercased title, for lookups by Kensho title.
    pub(crate) search_title: String,
    pub(crate) slug_title: String,
    pub(crate) description: String,
    /// The sample anime's first source URL; empty for synthetic seasons.
    pub(crate) source: String,
    pub(crate) anime_season: AnimeSeason,
    pub(crate) year: u32,
    pub(crate) start_date: Date,
    pub(crate) episode_duration_ms: u64,
    /// Numbered episodes (capped).
    pub(crate) regular_episodes: u32,
    /// A `.5` special (`episode_number: null`) airs after this episode number.
    pub(crate) special_after: Option<u32>,
    /// Id values of the episodes, by position.
    pub(crate) episode_ids: Vec<u64>,
    /// False when the season and its episodes answer `versions: null`.
    pub(crate) has_versions: bool,
    /// Whether episodes stay available forever (`availability_ends` is the sentinel).
    pub(crate) available_forever: bool,
    pub(crate) is_complete: bool,
}

impl SeasonRecord {
    /// Episodes including the special.
    pub(crate) fn episode_total(&self) -> u32 {
        self.regular_episodes + u32::from(self.special_after.is_some())
    }

    /// The seasonal tag, e.g. `spring-2022`.
    pub(crate) fn seasonal_tag(&self) -> String {
        super::dates::seasonal_tag(self.anime_season, self.year)
    }
}

/// A movie listing holding a single movie.
#[derive(Debug)]
pub(crate) struct MovieListingRecord {
    pub(crate) id: String,
    pub(crate) movie_id: String,
    pub(crate) title: String,
    pub(crate) search_title: String,
    pub(crate) slug_title: String,
    pub(crate) description: String,
    pub(crate) year: u32,
    pub(crate) start_date: Date,
    pub(crate) anime_season: AnimeSeason,
    pub(crate) duration_ms: u64,
    pub(crate) categories: Vec<Category>,
    pub(crate) keywords: Vec<String>,
    pub(crate) content_provider: Option<String>,
    pub(crate) is_mature: bool,
    pub(crate) popularity: u64,
    pub(crate) source_key: u64,
}

/// A URL slug: lowercase ASCII words joined by `-`.
pub(crate) fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    for character in title.chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert_eq!(slugify("Re:Zero - Starting Life!"), "re-zero-starting-life");
        assert_eq!(slugify("SPY x FAMILY"), "spy-x-family");
    }
}
