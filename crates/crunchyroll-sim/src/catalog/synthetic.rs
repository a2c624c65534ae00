//! Synthetic series for load tests: seeded, two seasons of twelve episodes each, on top of the
//! sample catalog. Generating tens of thousands takes well under a second in release builds.

use super::build::{CatalogBuilder, SeasonPlan, SeriesPlan};
use super::categories::Category;
use super::dates::AnimeSeason;
use super::words;
use crate::ids::hash_key;

/// Seasons per synthetic series.
const SEASONS: u32 = 2;
/// Episodes per synthetic season.
const EPISODES_PER_SEASON: u32 = 12;
/// Typical episode length, in seconds.
const EPISODE_SECONDS: u32 = 1_420;

/// Adds `count` synthetic series drawn from `seed`.
pub(crate) fn add_synthetic(builder: &mut CatalogBuilder, seed: u64, count: u32) {
    let mut rng = fastrand::Rng::with_seed(seed);
    for number in 0..count {
        let source_key = hash_key("synthetic", seed, u64::from(number));
        let title = words::series_title(rng.u64(..));
        let first_year = rng.u32(1995..=2025);
        let anime_season = AnimeSeason::ALL[rng.usize(..AnimeSeason::ALL.len())];
        let mut categories: Vec<Category> = (0..rng.usize(1..=3))
            .map(|_| Category::ALL[rng.usize(..Category::ALL.len())])
            .collect();
        categories.sort_by_key(|category| category.id());
        categories.dedup();
        let seasons = (0..SEASONS)
            .map(|season_offset| SeasonPlan {
                title: if season_offset == 0 {
                    title.clone()
                } else {
                    format!("{title} Season {}", season_offset + 1)
                },
                description: format!("Synthetic season {} of {title}.", season_offset + 1),
                source: String::new(),
                source_key: hash_key("synthetic_season", source_key, u64::from(season_offset)),
                anime_season,
                year: first_year + season_offset,
                episode_duration_seconds: EPISODE_SECONDS,
                episodes: EPISODES_PER_SEASON,
                ongoing: false,
            })
            .collect();
        builder.add_series(SeriesPlan {
            description: format!("{title}: a synthetic series generated for load tests."),
            title,
            categories,
            keywords: Vec::new(),
            content_provider: None,
            is_mature: false,
            popularity: rng.u64(..1 << 40),
            source_key,
            seasons,
        });
    }
}
