//! Tolerant parsing of what Crunchyroll sends in many shapes: images as nested or flat arrays,
//! nulls where lists are expected, the `9998-11-30` "never" date.

use serde::{Deserialize, Deserializer};

use super::model::Image;

/// The year Crunchyroll uses for "never" (`9998-11-30T08:00:00Z`).
const SENTINEL_YEAR_PREFIX: &str = "9998-";

/// `null` or absent becomes the type's default (an empty list, for example).
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A timestamp, or `None` for null, empty and the sentinel date.
pub(crate) fn optional_timestamp<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let timestamp = Option::<String>::deserialize(deserializer)?;
    Ok(timestamp
        .filter(|timestamp| !timestamp.is_empty() && !timestamp.starts_with(SENTINEL_YEAR_PREFIX)))
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ImageList {
    Nested(Vec<Vec<Image>>),
    Flat(Vec<Image>),
}

/// Images as `[[image, ...]]` (content) or `[image, ...]` (categories), flattened.
pub(crate) fn images<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Image>, D::Error> {
    Ok(match Option::<ImageList>::deserialize(deserializer)? {
        None => Vec::new(),
        Some(ImageList::Nested(sizes)) => sizes.into_iter().flatten().collect(),
        Some(ImageList::Flat(images)) => images,
    })
}
