//! The flat series object of `GET /content/v2/cms/series/{id}` (§4.11 field set).

use serde::Serialize;

use super::common::{self, AUDIO_LOCALE, CHANNEL_ID, DescriptorWithSymbol, ExtendedMaturityRating};
use super::images::PosterImages;
use crate::catalog::SimCatalog;
use crate::catalog::model::SeriesRecord;

/// A series as `cms/series/{id}` answers it.
#[derive(Debug, Serialize)]
pub(crate) struct SeriesObject {
    id: String,
    channel_id: &'static str,
    /// Always present, `null` when unknown.
    content_provider: Option<String>,
    slug: String,
    title: String,
    slug_title: String,
    description: String,
    extended_description: String,
    series_launch_year: Option<u32>,
    episode_count: u32,
    season_count: usize,
    media_count: u32,
    season_tags: Vec<String>,
    content_descriptors: Vec<&'static str>,
    content_descriptors_with_symbol: Vec<DescriptorWithSymbol>,
    is_subbed: bool,
    is_dubbed: bool,
    is_simulcast: bool,
    audio_locales: Vec<&'static str>,
    subtitle_locales: Vec<&'static str>,
    images: PosterImages,
    tenant_categories: Vec<&'static str>,
    keywords: Vec<String>,
    maturity_ratings: Vec<&'static str>,
    is_mature: bool,
    mature_blocked: bool,
    availability_notes: &'static str,
    availability_status: &'static str,
    extended_maturity_rating: ExtendedMaturityRating,
    external_id: String,
    linked_resource_key: String,
}

impl SeriesObject {
    /// The object of one series.
    pub(crate) fn new(catalog: &SimCatalog, series: &SeriesRecord) -> Self {
        let season_tags = series
            .seasons
            .iter()
            .map(|&index| catalog.seasons[index as usize].seasonal_tag())
            .collect();
        SeriesObject {
            id: series.id.clone(),
            channel_id: CHANNEL_ID,
            content_provider: series.content_provider.clone(),
            slug: series.slug_title.clone(),
            title: series.title.clone(),
            slug_title: series.slug_title.clone(),
            description: series.description.clone(),
            extended_description: String::new(),
            series_launch_year: (series.launch_year > 0).then_some(series.launch_year),
            episode_count: series.episode_count,
            season_count: series.seasons.len(),
            media_count: series.episode_count,
            season_tags,
            content_descriptors: common::content_descriptors(series.is_mature),
            content_descriptors_with_symbol: common::content_descriptors_with_symbol(
                series.is_mature,
            ),
            is_subbed: true,
            is_dubbed: false,
            is_simulcast: series.is_simulcast,
            audio_locales: vec![AUDIO_LOCALE],
            subtitle_locales: common::subtitle_locales(),
            images: PosterImages::for_key(series.source_key),
            tenant_categories: series.categories.iter().map(|c| c.title()).collect(),
            keywords: series.keywords.clone(),
            maturity_ratings: common::maturity_ratings(series.is_mature),
            is_mature: series.is_mature,
            mature_blocked: false,
            availability_notes: "",
            availability_status: "available",
            extended_maturity_rating: common::extended_maturity_rating(series.is_mature),
            external_id: format!("SRZ.{}", series.source_key % 1_000_000),
            linked_resource_key: format!("cms:/series/{}", series.id),
        }
    }
}
