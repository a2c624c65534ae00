//! Movie listings and their movies (`cms/movie_listings/{id}`, `…/movies`, `cms/movies/{id}`),
//! kept minimal: the field set clients read.

use serde::Serialize;
use time::Time;
use time::macros::time;

use super::common::{self, AUDIO_LOCALE, CHANNEL_ID, ExtendedMaturityRating};
use super::images::{PosterImages, ThumbnailImages, thumbnail};
use crate::catalog::dates::timestamp;
use crate::catalog::model::MovieListingRecord;

/// Time of day (UTC) every simulated movie premieres at.
const PREMIERE_TIME: Time = time!(12:00);

/// A movie listing.
#[derive(Debug, Serialize)]
pub(crate) struct MovieListingObject {
    id: String,
    channel_id: &'static str,
    content_provider: Option<String>,
    slug: String,
    title: String,
    slug_title: String,
    description: String,
    extended_description: String,
    first_movie_id: String,
    movie_release_year: u32,
    duration_ms: u64,
    is_premium_only: bool,
    is_subbed: bool,
    is_dubbed: bool,
    is_mature: bool,
    mature_blocked: bool,
    maturity_ratings: Vec<&'static str>,
    extended_maturity_rating: ExtendedMaturityRating,
    audio_locales: Vec<&'static str>,
    subtitle_locales: Vec<&'static str>,
    tenant_categories: Vec<&'static str>,
    keywords: Vec<String>,
    availability_notes: &'static str,
    images: PosterImages,
    external_id: String,
    linked_resource_key: String,
}

/// The movie inside a listing.
#[derive(Debug, Serialize)]
pub(crate) struct MovieObject {
    id: String,
    channel_id: &'static str,
    slug: String,
    title: String,
    slug_title: String,
    description: String,
    movie_listing_id: String,
    movie_listing_title: String,
    movie_listing_slug_title: String,
    duration_ms: u64,
    premium_available_date: String,
    free_available_date: String,
    availability_starts: String,
    availability_ends: &'static str,
    is_premium_only: bool,
    is_subbed: bool,
    is_dubbed: bool,
    is_mature: bool,
    mature_blocked: bool,
    maturity_ratings: Vec<&'static str>,
    audio_locale: &'static str,
    subtitle_locales: Vec<&'static str>,
    closed_captions_available: bool,
    available_offline: bool,
    images: ThumbnailImages,
    external_id: String,
    linked_resource_key: String,
}

impl MovieListingObject {
    /// The object of one listing.
    pub(crate) fn new(listing: &MovieListingRecord) -> Self {
        MovieListingObject {
            id: listing.id.clone(),
            channel_id: CHANNEL_ID,
            content_provider: listing.content_provider.clone(),
            slug: listing.slug_title.clone(),
            title: listing.title.clone(),
            slug_title: listing.slug_title.clone(),
            description: listing.description.clone(),
            extended_description: String::new(),
            first_movie_id: listing.movie_id.clone(),
            movie_release_year: listing.year,
            duration_ms: listing.duration_ms,
            is_premium_only: true,
            is_subbed: true,
            is_dubbed: false,
            is_mature: listing.is_mature,
            mature_blocked: false,
            maturity_ratings: common::maturity_ratings(listing.is_mature),
            extended_maturity_rating: common::extended_maturity_rating(listing.is_mature),
            audio_locales: vec![AUDIO_LOCALE],
            subtitle_locales: common::subtitle_locales(),
            tenant_categories: listing.categories.iter().map(|c| c.title()).collect(),
            keywords: listing.keywords.clone(),
            availability_notes: "",
            images: PosterImages::for_key(listing.source_key),
            external_id: format!("MLS.{}", listing.source_key % 1_000_000),
            linked_resource_key: format!("cms:/movie_listings/{}", listing.id),
        }
    }
}

impl MovieObject {
    /// The movie of one listing.
    pub(crate) fn new(listing: &MovieListingRecord) -> Self {
        let premiere = timestamp(listing.start_date, PREMIERE_TIME);
        MovieObject {
            id: listing.movie_id.clone(),
            channel_id: CHANNEL_ID,
            slug: listing.slug_title.clone(),
            title: listing.title.clone(),
            slug_title: listing.slug_title.clone(),
            description: listing.description.clone(),
            movie_listing_id: listing.id.clone(),
            movie_listing_title: listing.title.clone(),
            movie_listing_slug_title: listing.slug_title.clone(),
            duration_ms: listing.duration_ms,
            premium_available_date: premiere.clone(),
            free_available_date: crate::catalog::dates::NEVER.to_owned(),
            availability_starts: premiere,
            availability_ends: crate::catalog::dates::NEVER,
            is_premium_only: true,
            is_subbed: true,
            is_dubbed: false,
            is_mature: listing.is_mature,
            mature_blocked: false,
            maturity_ratings: common::maturity_ratings(listing.is_mature),
            audio_locale: AUDIO_LOCALE,
            subtitle_locales: common::subtitle_locales(),
            closed_captions_available: false,
            available_offline: true,
            images: ThumbnailImages {
                thumbnail: thumbnail(listing.source_key),
            },
            external_id: format!("MOV.{}", listing.source_key % 1_000_000),
            linked_resource_key: format!("cms:/movies/{}", listing.movie_id),
        }
    }
}
