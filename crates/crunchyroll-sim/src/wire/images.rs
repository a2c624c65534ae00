//! Image sets: in content objects each kind is an array of arrays (`[[img, img, …]]`, several
//! sizes); category images are flat arrays.

use serde::Serialize;

use crate::ids::mix;

/// One image size.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Image {
    pub(crate) source: String,
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// Captured poster_tall sizes (a subset).
const TALL_SIZES: [(u32, u32); 4] = [(60, 90), (240, 360), (480, 720), (1560, 2340)];
/// Captured poster_wide and thumbnail sizes (a subset).
const WIDE_SIZES: [(u32, u32); 4] = [(320, 180), (640, 360), (1200, 675), (1920, 1080)];

fn sizes(kind: &'static str, key: u64, sizes: &[(u32, u32)]) -> Vec<Image> {
    let hash = format!("{:016x}{:016x}", mix(key), mix(key ^ 0x5EED));
    sizes
        .iter()
        .map(|&(width, height)| Image {
            source: format!(
                "https://www.crunchyroll.com/imgsrv/display/thumbnail/{width}x{height}/catalog/crunchyroll/{hash}.jpe"
            ),
            kind,
            width,
            height,
        })
        .collect()
}

/// `images.poster_tall` of a series or movie listing.
pub(crate) fn poster_tall(key: u64) -> Vec<Vec<Image>> {
    vec![sizes("poster_tall", key, &TALL_SIZES)]
}

/// `images.poster_wide` of a series or movie listing.
pub(crate) fn poster_wide(key: u64) -> Vec<Vec<Image>> {
    vec![sizes("poster_wide", key, &WIDE_SIZES)]
}

/// `images.thumbnail` of an episode or movie.
pub(crate) fn thumbnail(key: u64) -> Vec<Vec<Image>> {
    vec![sizes("thumbnail", key, &WIDE_SIZES)]
}

/// A flat image list for a category (`low` or `background`).
pub(crate) fn category_images(kind: &'static str, key: u64) -> Vec<Image> {
    sizes(kind, key, &WIDE_SIZES[..2])
}

/// `images` of a series or movie listing.
#[derive(Debug, Serialize)]
pub(crate) struct PosterImages {
    pub(crate) poster_tall: Vec<Vec<Image>>,
    pub(crate) poster_wide: Vec<Vec<Image>>,
}

impl PosterImages {
    /// Both poster kinds for an object key.
    pub(crate) fn for_key(key: u64) -> Self {
        PosterImages {
            poster_tall: poster_tall(key),
            poster_wide: poster_wide(key),
        }
    }
}

/// `images` of an episode or movie.
#[derive(Debug, Serialize)]
pub(crate) struct ThumbnailImages {
    pub(crate) thumbnail: Vec<Vec<Image>>,
}
