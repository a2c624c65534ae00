//! The flat episode object of `cms/episodes/{id}` and `cms/seasons/{id}/episodes` (§4.11), and
//! the version entries the play service repeats.

use serde::Serialize;
use time::macros::time;
use time::{Duration, Time};

use super::common::{self, AUDIO_LOCALE, CHANNEL_ID, REGION};
use super::images::{ThumbnailImages, thumbnail};
use crate::catalog::EpisodeView;
use crate::catalog::dates::{NEVER, timestamp};

/// Time of day (UTC) every simulated episode airs at.
const AIR_TIME: Time = time!(15:00);
/// Days after which a season that does not stay forever leaves the catalog.
const LICENCE_DAYS: i64 = 20 * 365;

/// An episode as the CMS routes answer it.
#[derive(Debug, Serialize)]
pub(crate) struct EpisodeObject {
    id: String,
    channel_id: &'static str,
    identifier: String,
    slug: String,
    title: String,
    slug_title: String,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_episode_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_episode_title: Option<String>,
    season_id: String,
    season_title: String,
    season_slug_title: String,
    season_tags: Vec<String>,
    season_sequence_number: f64,
    series_id: String,
    series_title: String,
    series_slug_title: String,
    roles: Vec<&'static str>,
    production_episode_id: String,
    episode: String,
    /// `null` for specials.
    episode_number: Option<u32>,
    sequence_number: f64,
    season_number: u32,
    season_display_number: String,
    audio_locale: &'static str,
    subtitle_locales: Vec<&'static str>,
    content_descriptors: Vec<&'static str>,
    duration_ms: u64,
    episode_air_date: String,
    upload_date: String,
    free_available_date: String,
    premium_available_date: String,
    availability_starts: String,
    availability_ends: String,
    available_date: Option<String>,
    premium_date: String,
    images: ThumbnailImages,
    is_dubbed: bool,
    is_subbed: bool,
    is_premium_only: bool,
    is_clip: bool,
    is_mature: bool,
    maturity_ratings: Vec<&'static str>,
    mature_blocked: bool,
    available_offline: bool,
    availability_notes: &'static str,
    availability_status: &'static str,
    closed_captions_available: bool,
    eligible_region: &'static str,
    /// `null` for some seasons, as in live data.
    versions: Option<Vec<EpisodeVersion>>,
    /// Only for accounts without premium.
    #[serde(skip_serializing_if = "Option::is_none")]
    ad_breaks: Option<Vec<AdBreak>>,
}

/// One audio version of an episode (also part of the play response).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct EpisodeVersion {
    audio_locale: &'static str,
    guid: String,
    media_guid: String,
    season_guid: String,
    is_premium_only: bool,
    original: bool,
    variant: &'static str,
    roles: Vec<&'static str>,
}

/// An ad slot of a free account's episode.
#[derive(Debug, Serialize)]
pub(crate) struct AdBreak {
    offset_ms: u64,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// The versions of an episode; `None` where its season answers `versions: null`.
pub(crate) fn episode_versions(episode: &EpisodeView<'_>) -> Option<Vec<EpisodeVersion>> {
    episode
        .season
        .has_versions
        .then(|| vec![original_version(episode)])
}

/// The original (Japanese) version of an episode; the play service always lists it.
pub(crate) fn original_version(episode: &EpisodeView<'_>) -> EpisodeVersion {
    EpisodeVersion {
        audio_locale: AUDIO_LOCALE,
        guid: episode.id.clone(),
        media_guid: media_guid(episode.id_value),
        season_guid: episode.season.id.clone(),
        is_premium_only: episode.is_premium_only,
        original: true,
        variant: "",
        roles: vec!["main"],
    }
}

/// The media id behind an episode (not what the play service takes).
pub(crate) fn media_guid(id_value: u64) -> String {
    format!(
        "M{}",
        &crate::ids::format_id(crate::ids::mix(id_value))[1..]
    )
}

impl EpisodeObject {
    /// The object of one episode; `premium_caller` decides whether ad breaks are listed.
    pub(crate) fn new(episode: &EpisodeView<'_>, premium_caller: bool) -> Self {
        let season = episode.season;
        let series = episode.series;
        let aired = timestamp(episode.air_date, AIR_TIME);
        let episode_label = episode
            .episode_number
            .map_or_else(|| "SP".to_owned(), |number| number.to_string());
        let availability_ends = if season.available_forever {
            NEVER.to_owned()
        } else {
            let leaves_on = episode
                .air_date
                .saturating_add(Duration::days(LICENCE_DAYS));
            timestamp(leaves_on, AIR_TIME)
        };
        let free_available_date = if episode.is_premium_only {
            NEVER.to_owned()
        } else {
            aired.clone()
        };
        let (next_episode_id, next_episode_title) = episode.next.clone().unzip();
        let duration_ms = season.episode_duration_ms;
        EpisodeObject {
            id: episode.id.clone(),
            channel_id: CHANNEL_ID,
            identifier: format!("{}|S{}|E{episode_label}", series.id, season.number),
            slug: String::new(),
            slug_title: crate::catalog::model::slugify(&episode.title),
            description: format!(
                "{}, episode {episode_label}: {}.",
                season.title, episode.title
            ),
            title: episode.title.clone(),
            next_episode_id,
            next_episode_title,
            season_id: season.id.clone(),
            season_title: season.title.clone(),
            season_slug_title: season.slug_title.clone(),
            season_tags: vec![season.seasonal_tag()],
            season_sequence_number: f64::from(season.number),
            series_id: series.id.clone(),
            series_title: series.title.clone(),
            series_slug_title: series.slug_title.clone(),
            roles: vec!["main"],
            production_episode_id: String::new(),
            episode: episode_label,
            episode_number: episode.episode_number,
            sequence_number: episode.sequence_number,
            season_number: season.number,
            season_display_number: season.number.to_string(),
            audio_locale: AUDIO_LOCALE,
            subtitle_locales: common::subtitle_locales(),
            content_descriptors: common::content_descriptors(series.is_mature),
            duration_ms,
            upload_date: aired.clone(),
            premium_available_date: aired.clone(),
            availability_starts: aired.clone(),
            premium_date: aired.clone(),
            episode_air_date: aired,
            free_available_date,
            availability_ends,
            available_date: None,
            images: ThumbnailImages {
                thumbnail: thumbnail(episode.id_value),
            },
            is_dubbed: false,
            is_subbed: true,
            is_premium_only: episode.is_premium_only,
            is_clip: false,
            is_mature: series.is_mature,
            maturity_ratings: common::maturity_ratings(series.is_mature),
            mature_blocked: false,
            available_offline: true,
            availability_notes: "",
            availability_status: "available",
            closed_captions_available: false,
            eligible_region: REGION,
            versions: episode_versions(episode),
            ad_breaks: (!premium_caller).then(|| {
                vec![
                    AdBreak {
                        offset_ms: 0,
                        kind: "preroll",
                    },
                    AdBreak {
                        offset_ms: duration_ms / 2,
                        kind: "midroll",
                    },
                ]
            }),
        }
    }
}
