//! The flat season object of `cms/seasons/{id}` and `cms/series/{id}/seasons` (§4.11).

use serde::Serialize;
use serde_json::{Map, Value};

use super::common::{self, AUDIO_LOCALE, CHANNEL_ID, DescriptorWithSymbol, ExtendedMaturityRating};
use crate::catalog::SimCatalog;
use crate::catalog::model::SeasonRecord;

/// A season as the CMS routes answer it.
#[derive(Debug, Serialize)]
pub(crate) struct SeasonObject {
    id: String,
    series_id: String,
    channel_id: &'static str,
    identifier: String,
    title: String,
    slug_title: String,
    description: String,
    season_number: u32,
    season_sequence_number: u32,
    season_display_number: String,
    number_of_episodes: u32,
    is_complete: bool,
    keywords: Vec<String>,
    season_tags: Vec<String>,
    content_descriptors: Vec<&'static str>,
    content_descriptors_with_symbol: Vec<DescriptorWithSymbol>,
    is_subbed: bool,
    is_dubbed: bool,
    is_simulcast: bool,
    audio_locale: &'static str,
    audio_locales: Vec<&'static str>,
    subtitle_locales: Vec<&'static str>,
    maturity_ratings: Vec<&'static str>,
    is_mature: bool,
    mature_blocked: bool,
    availability_notes: &'static str,
    /// `null` for some seasons, as in live data.
    versions: Option<Vec<SeasonVersion>>,
    /// Always an empty object for seasons.
    images: Map<String, Value>,
    extended_maturity_rating: ExtendedMaturityRating,
}

/// One audio version of a season.
#[derive(Debug, Serialize)]
pub(crate) struct SeasonVersion {
    guid: String,
    audio_locale: &'static str,
    original: bool,
    variant: &'static str,
}

impl SeasonObject {
    /// The object of one season.
    pub(crate) fn new(catalog: &SimCatalog, season: &SeasonRecord) -> Self {
        let series = &catalog.series[season.series as usize];
        SeasonObject {
            id: season.id.clone(),
            series_id: series.id.clone(),
            channel_id: CHANNEL_ID,
            identifier: format!("{}|S{}", series.id, season.number),
            title: season.title.clone(),
            slug_title: season.slug_title.clone(),
            description: season.description.clone(),
            season_number: season.number,
            season_sequence_number: season.number,
            season_display_number: season.number.to_string(),
            number_of_episodes: season.episode_total(),
            is_complete: season.is_complete,
            keywords: series.keywords.clone(),
            season_tags: vec![season.seasonal_tag()],
            content_descriptors: common::content_descriptors(series.is_mature),
            content_descriptors_with_symbol: common::content_descriptors_with_symbol(
                series.is_mature,
            ),
            is_subbed: true,
            is_dubbed: false,
            is_simulcast: !season.is_complete,
            audio_locale: AUDIO_LOCALE,
            audio_locales: vec![AUDIO_LOCALE],
            subtitle_locales: common::subtitle_locales(),
            maturity_ratings: common::maturity_ratings(series.is_mature),
            is_mature: series.is_mature,
            mature_blocked: false,
            availability_notes: "",
            versions: season.has_versions.then(|| {
                vec![SeasonVersion {
                    guid: season.id.clone(),
                    audio_locale: AUDIO_LOCALE,
                    original: true,
                    variant: "",
                }]
            }),
            images: Map::new(),
            extended_maturity_rating: common::extended_maturity_rating(series.is_mature),
        }
    }
}
