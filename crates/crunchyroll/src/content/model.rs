//! Content as Crunchyroll describes it. Only the fields Kensho uses are read; unknown fields are
//! ignored, since Crunchyroll adds fields often.

use serde::Deserialize;

use super::tolerant::{images, null_as_default, optional_timestamp};

/// The `{total, data, meta}` envelope of content answers.
#[derive(Clone, Debug, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    /// All matches (for search: the number of groups).
    #[serde(default)]
    pub total: u64,
    /// This page's items.
    #[serde(default = "Vec::new", deserialize_with = "null_as_default")]
    pub data: Vec<T>,
}

/// One picture in one size.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Image {
    /// Its URL.
    pub source: String,
    /// `poster_tall`, `poster_wide`, `thumbnail`, ...
    #[serde(default, rename = "type")]
    pub kind: String,
    /// Width in pixels.
    #[serde(default)]
    pub width: u32,
    /// Height in pixels.
    #[serde(default)]
    pub height: u32,
}

/// The pictures of a series, season or episode.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Images {
    /// Tall posters, every size.
    #[serde(default, deserialize_with = "images")]
    pub poster_tall: Vec<Image>,
    /// Wide posters, every size.
    #[serde(default, deserialize_with = "images")]
    pub poster_wide: Vec<Image>,
    /// Episode stills, every size.
    #[serde(default, deserialize_with = "images")]
    pub thumbnail: Vec<Image>,
}

impl Images {
    /// The largest picture among `images`.
    pub fn largest(images: &[Image]) -> Option<&Image> {
        images
            .iter()
            .max_by_key(|image| u64::from(image.width) * u64::from(image.height))
    }
}

/// One audio version of a season or episode.
#[derive(Clone, Debug, Deserialize)]
pub struct Version {
    /// The audio locale.
    #[serde(default)]
    pub audio_locale: String,
    /// The id of the season or episode in that version.
    #[serde(default)]
    pub guid: String,
    /// Whether this is the original audio.
    #[serde(default)]
    pub original: bool,
}

/// A series.
#[derive(Clone, Debug, Deserialize)]
pub struct Series {
    /// Crunchyroll id.
    pub id: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Year of the first season.
    #[serde(default)]
    pub series_launch_year: Option<i32>,
    /// Episodes over all seasons.
    #[serde(default)]
    pub episode_count: u32,
    /// Number of seasons.
    #[serde(default)]
    pub season_count: u32,
    /// Search keywords (often other titles).
    #[serde(default, deserialize_with = "null_as_default")]
    pub keywords: Vec<String>,
    /// Pictures.
    #[serde(default)]
    pub images: Images,
}

/// A season of a series.
#[derive(Clone, Debug, Deserialize)]
pub struct Season {
    /// Crunchyroll id.
    pub id: String,
    /// The series.
    #[serde(default)]
    pub series_id: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Season number.
    #[serde(default)]
    pub season_number: u32,
    /// Order among the series' seasons.
    #[serde(default)]
    pub season_sequence_number: f64,
    /// Number of episodes.
    #[serde(default)]
    pub number_of_episodes: u32,
    /// Audio locales (may be empty).
    #[serde(default, deserialize_with = "null_as_default")]
    pub audio_locales: Vec<String>,
    /// Seasonal tags such as `spring-2023`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub season_tags: Vec<String>,
    /// Audio versions (may be null).
    #[serde(default, deserialize_with = "null_as_default")]
    pub versions: Vec<Version>,
}

/// An episode.
#[derive(Clone, Debug, Deserialize)]
pub struct Episode {
    /// Crunchyroll id.
    pub id: String,
    /// The series.
    #[serde(default)]
    pub series_id: String,
    /// The season.
    #[serde(default)]
    pub season_id: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Display number (`"5"`, `"SP"`).
    #[serde(default)]
    pub episode: String,
    /// Number; `None` for specials.
    #[serde(default)]
    pub episode_number: Option<u32>,
    /// Order within the season; may be fractional (`4.5` for a special).
    #[serde(default)]
    pub sequence_number: f64,
    /// Length in milliseconds.
    #[serde(default)]
    pub duration_ms: u64,
    /// First broadcast, when known.
    #[serde(default, deserialize_with = "optional_timestamp")]
    pub episode_air_date: Option<String>,
    /// When availability ends, `None` for never.
    #[serde(default, deserialize_with = "optional_timestamp")]
    pub availability_ends: Option<String>,
    /// Whether only premium accounts may play it.
    #[serde(default)]
    pub is_premium_only: bool,
    /// The audio locale.
    #[serde(default)]
    pub audio_locale: String,
    /// Subtitle locales.
    #[serde(default, deserialize_with = "null_as_default")]
    pub subtitle_locales: Vec<String>,
    /// Audio versions (may be null).
    #[serde(default, deserialize_with = "null_as_default")]
    pub versions: Vec<Version>,
    /// The next episode, absent for the last.
    #[serde(default)]
    pub next_episode_id: Option<String>,
    /// Pictures.
    #[serde(default)]
    pub images: Images,
}

impl Episode {
    /// The calendar day it first aired, where it aired (the date part of `episode_air_date` in
    /// that timestamp's own offset); `None` when absent or not an RFC 3339 time.
    pub fn air_date(&self) -> Option<time::Date> {
        let aired = self.episode_air_date.as_deref()?;
        kensho_kit::time::parse_rfc3339(aired)
            .ok()
            .map(|aired_at| aired_at.date())
    }
}

/// A search, browse or objects result item: a series, season, episode, movie listing or movie.
#[derive(Clone, Debug, Deserialize)]
pub struct Panel {
    /// Crunchyroll id.
    pub id: String,
    /// `series`, `episode`, `movie_listing`, ...
    #[serde(default, rename = "type")]
    pub kind: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Pictures.
    #[serde(default)]
    pub images: Images,
    /// Series fields, for series panels.
    #[serde(default)]
    pub series_metadata: Option<SeriesMetadata>,
    /// Episode fields, for episode panels.
    #[serde(default)]
    pub episode_metadata: Option<EpisodeMetadata>,
}

/// The `series_metadata` of a panel.
#[derive(Clone, Debug, Deserialize)]
pub struct SeriesMetadata {
    /// Year of the first season.
    #[serde(default)]
    pub series_launch_year: Option<i32>,
    /// Episodes over all seasons.
    #[serde(default)]
    pub episode_count: u32,
    /// Number of seasons.
    #[serde(default)]
    pub season_count: u32,
}

/// The `episode_metadata` of a panel.
#[derive(Clone, Debug, Deserialize)]
pub struct EpisodeMetadata {
    /// The series.
    #[serde(default)]
    pub series_id: String,
    /// The season.
    #[serde(default)]
    pub season_id: String,
    /// Number; `None` for specials.
    #[serde(default)]
    pub episode_number: Option<u32>,
    /// Order within the season.
    #[serde(default)]
    pub sequence_number: f64,
    /// Length in milliseconds.
    #[serde(default)]
    pub duration_ms: u64,
    /// Whether only premium accounts may play it.
    #[serde(default)]
    pub is_premium_only: bool,
}

/// One group of search results.
#[derive(Clone, Debug, Deserialize)]
pub struct SearchGroup {
    /// `top_results`, `series`, `movie_listing`, `episode`, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// All hits of that type.
    #[serde(default)]
    pub count: u64,
    /// This page's hits.
    #[serde(default, deserialize_with = "null_as_default")]
    pub items: Vec<Panel>,
}

/// Title and description in the requested locale.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Localization {
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Description.
    #[serde(default)]
    pub description: String,
}

/// A seasonal tag such as `spring-2023`.
#[derive(Clone, Debug, Deserialize)]
pub struct SeasonalTag {
    /// The tag id, usable as a browse filter.
    pub id: String,
    /// Display texts.
    #[serde(default)]
    pub localization: Localization,
}

/// A category such as `action`.
#[derive(Clone, Debug, Deserialize)]
pub struct Category {
    /// The category id, usable as a browse filter.
    pub id: String,
    /// Display texts.
    #[serde(default)]
    pub localization: Localization,
}
