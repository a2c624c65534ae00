//! Values every content object shares: locales, maturity ratings, the channel.

use serde::Serialize;

/// The only channel Crunchyroll still serves.
pub(super) const CHANNEL_ID: &str = "crunchyroll";
/// Original audio of every simulated title.
pub(super) const AUDIO_LOCALE: &str = "ja-JP";
/// Subtitle locales of every simulated title.
pub(super) const SUBTITLE_LOCALES: [&str; 2] = ["en-US", "de-DE"];
/// Region the simulator pretends to serve.
pub(super) const REGION: &str = "US";

/// `extended_maturity_rating` (GS capture shape).
#[derive(Debug, Serialize)]
pub(super) struct ExtendedMaturityRating {
    level: &'static str,
    rating: &'static str,
    system: &'static str,
}

/// The display rating of a title.
pub(super) fn maturity_ratings(is_mature: bool) -> Vec<&'static str> {
    vec![if is_mature { "TV-MA" } else { "TV-14" }]
}

/// The extended rating of a title.
pub(super) fn extended_maturity_rating(is_mature: bool) -> ExtendedMaturityRating {
    ExtendedMaturityRating {
        level: if is_mature { "M3" } else { "M2" },
        rating: if is_mature { "MA" } else { "14" },
        system: "cr-tv",
    }
}

/// A `content_descriptors_with_symbol` entry.
#[derive(Debug, Serialize)]
pub(super) struct DescriptorWithSymbol {
    label: &'static str,
}

/// Content descriptors of a title.
pub(super) fn content_descriptors(is_mature: bool) -> Vec<&'static str> {
    if is_mature {
        vec!["Violence", "Language"]
    } else {
        vec!["Mild Violence"]
    }
}

/// Content descriptors with their symbol labels.
pub(super) fn content_descriptors_with_symbol(is_mature: bool) -> Vec<DescriptorWithSymbol> {
    content_descriptors(is_mature)
        .into_iter()
        .map(|label| DescriptorWithSymbol { label })
        .collect()
}

/// The subtitle locales as a list.
pub(super) fn subtitle_locales() -> Vec<&'static str> {
    SUBTITLE_LOCALES.to_vec()
}
