//! The category of a tag. The anime-offline-database lists tags without categories; these lists
//! name the demographics, genres and content advisories, and every other tag is a theme.

use crate::domain::TagCategory;

const DEMOGRAPHICS: &[&str] = &[
    "shounen", "shoujo", "seinen", "josei", "kids", "kodomo", "shonen", "shojo",
];

const GENRES: &[&str] = &[
    "action",
    "adventure",
    "avant garde",
    "comedy",
    "drama",
    "ecchi",
    "fantasy",
    "horror",
    "mahou shoujo",
    "mecha",
    "music",
    "mystery",
    "psychological",
    "romance",
    "sci-fi",
    "science fiction",
    "slice of life",
    "sports",
    "supernatural",
    "suspense",
    "thriller",
    "boys love",
    "girls love",
    "gourmet",
];

const CONTENT_ADVISORIES: &[&str] = &[
    "gore",
    "violence",
    "nudity",
    "sexual content",
    "drugs",
    "suicide",
    "self-harm",
    "animal abuse",
    "torture",
    "hentai",
    "erotica",
];

/// The category of a lowercase tag name.
pub fn tag_category(name: &str) -> TagCategory {
    if DEMOGRAPHICS.contains(&name) {
        TagCategory::Demographic
    } else if GENRES.contains(&name) {
        TagCategory::Genre
    } else if CONTENT_ADVISORIES.contains(&name) {
        TagCategory::Content
    } else {
        TagCategory::Theme
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_get_their_category_and_the_rest_are_themes() {
        assert_eq!(tag_category("shounen"), TagCategory::Demographic);
        assert_eq!(tag_category("action"), TagCategory::Genre);
        assert_eq!(tag_category("gore"), TagCategory::Content);
        assert_eq!(tag_category("time travel"), TagCategory::Theme);
    }
}
