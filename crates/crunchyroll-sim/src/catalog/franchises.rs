//! Sample anime grouped the way Crunchyroll lists them: a chain of TV/ONA anime joined by
//! `kensho.prequel`/`kensho.sequel` becomes one series with one season per anime; each movie
//! becomes a movie listing. A chain starts at an anime without a TV/ONA prequel (a film in
//! between therefore starts a new series, as Demon Slayer's arcs after Mugen Train do).

use std::collections::HashMap;

use super::build::{CatalogBuilder, MoviePlan, SeasonPlan, SeriesPlan};
use super::categories::Category;
use super::sample::{AnimeKind, SampleAnime};
use crate::ids::{hash_key, hash_str};

/// Tags that make a title `TV-MA` rather than `TV-14`.
const MATURE_TAGS: [&str; 4] = ["gore", "ecchi", "violence", "sexual content"];
/// Most keywords kept per series.
const MAX_KEYWORDS: usize = 8;
/// Sample titles rank above every synthetic one in `popularity`.
const SAMPLE_POPULARITY_BASE: u64 = 1 << 40;

/// Adds every sample series and movie listing, in sample order.
pub(crate) fn add_sample(builder: &mut CatalogBuilder, sample: &[SampleAnime]) {
    let index_by_source: HashMap<&str, usize> = sample
        .iter()
        .enumerate()
        .map(|(index, anime)| (anime.source.as_str(), index))
        .collect();
    let show_index = |source: &Option<String>| {
        source
            .as_deref()
            .and_then(|source| index_by_source.get(source).copied())
            .filter(|&index| sample[index].kind == AnimeKind::Show)
    };
    let mut assigned = vec![false; sample.len()];
    let roots: Vec<usize> = (0..sample.len())
        .filter(|&index| sample[index].kind == AnimeKind::Show)
        .filter(|&index| show_index(&sample[index].prequel).is_none())
        .collect();
    // Shows left over after the roots sit on a prequel cycle; each starts its own series.
    let leftovers = (0..sample.len()).filter(|&index| sample[index].kind == AnimeKind::Show);
    for start in roots.into_iter().chain(leftovers) {
        let mut chain = Vec::new();
        let mut current = Some(start);
        while let Some(index) = current.filter(|&index| !assigned[index]) {
            assigned[index] = true;
            chain.push(&sample[index]);
            current = show_index(&sample[index].sequel);
        }
        if !chain.is_empty() {
            builder.add_series(series_plan(&chain));
        }
    }
    for anime in sample.iter().filter(|anime| anime.kind == AnimeKind::Movie) {
        builder.add_movie(movie_plan(anime));
    }
}

fn series_plan(chain: &[&SampleAnime]) -> SeriesPlan {
    let root = chain[0];
    let all_tags = chain
        .iter()
        .flat_map(|anime| anime.tags.iter().map(String::as_str));
    let source_key = hash_str(&root.source);
    let total_episodes: u64 = chain.iter().map(|anime| u64::from(anime.episodes)).sum();
    SeriesPlan {
        title: root.title.clone(),
        description: root.synopsis.clone(),
        categories: Category::from_tags(all_tags),
        keywords: keywords(&root.tags),
        content_provider: root.studio.clone(),
        is_mature: chain.iter().any(|anime| is_mature(&anime.tags)),
        popularity: SAMPLE_POPULARITY_BASE
            + total_episodes * 1_000
            + hash_key("popularity", source_key, 0) % 1_000,
        source_key,
        seasons: chain.iter().map(|anime| season_plan(anime)).collect(),
    }
}

fn season_plan(anime: &SampleAnime) -> SeasonPlan {
    SeasonPlan {
        title: anime.title.clone(),
        description: anime.synopsis.clone(),
        source: anime.source.clone(),
        source_key: hash_str(&anime.source),
        anime_season: anime.season,
        year: anime.year,
        episode_duration_seconds: anime.episode_duration_seconds,
        episodes: anime.episodes,
        ongoing: anime.ongoing,
    }
}

fn movie_plan(anime: &SampleAnime) -> MoviePlan {
    let source_key = hash_str(&anime.source);
    MoviePlan {
        title: anime.title.clone(),
        description: anime.synopsis.clone(),
        source_key,
        anime_season: anime.season,
        year: anime.year,
        duration_seconds: anime.episode_duration_seconds,
        categories: Category::from_tags(anime.tags.iter().map(String::as_str)),
        keywords: keywords(&anime.tags),
        content_provider: anime.studio.clone(),
        is_mature: is_mature(&anime.tags),
        popularity: SAMPLE_POPULARITY_BASE + hash_key("popularity", source_key, 0) % 1_000,
    }
}

/// Tags that are not categories become keywords.
fn keywords(tags: &[String]) -> Vec<String> {
    tags.iter()
        .filter(|tag| Category::from_tag(tag).is_none())
        .take(MAX_KEYWORDS)
        .cloned()
        .collect()
}

fn is_mature(tags: &[String]) -> bool {
    tags.iter()
        .any(|tag| MATURE_TAGS.contains(&tag.to_lowercase().as_str()))
}
