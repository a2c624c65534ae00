//! One synthetic anime record in the anime-offline-database shape, drawn from a seeded generator:
//! the same seed and parameters always give the same records in the same order.

use serde::Serialize;

use super::words::{
    ENGLISH_WORDS, EXTRA_SUFFIXES, MOVIE_SUFFIXES, PARTICLE, PRODUCERS, ROMAJI_WORDS,
    SEQUEL_SUFFIXES, STUDIOS, TAGS,
};

/// Ids of generated sources start here, far above real MyAnimeList ids of today.
const FIRST_SOURCE_ID: u64 = 1_000_000;

/// Share of titles with the particle after their first word, in percent.
const PARTICLE_PERCENT: u32 = 30;

/// A record as the anime-offline-database writes it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnimeRecord {
    /// Source URLs; the first identifies the anime.
    pub sources: Vec<String>,
    /// Main title.
    pub title: String,
    /// TV, MOVIE, OVA, ONA or SPECIAL.
    #[serde(rename = "type")]
    pub anime_type: &'static str,
    /// Number of episodes.
    pub episodes: u32,
    /// FINISHED, ONGOING or UPCOMING.
    pub status: &'static str,
    /// Start season and year.
    pub anime_season: AnimeSeason,
    /// Cover picture URL.
    pub picture: String,
    /// Cover thumbnail URL.
    pub thumbnail: String,
    /// Length of one episode.
    pub duration: EpisodeDuration,
    /// Alternative titles.
    pub synonyms: Vec<String>,
    /// Animation studios.
    pub studios: Vec<&'static str>,
    /// Producers.
    pub producers: Vec<&'static str>,
    /// Sources of related generated anime.
    pub related_anime: Vec<String>,
    /// Genre, demographic and theme tags.
    pub tags: Vec<&'static str>,
    /// Aggregated scores; absent for anime that have not aired (as in the real database).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Score>,
}

/// The `score` object: the sources' scores on a 1..10 scale, aggregated three ways.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Score {
    /// Arithmetic-geometric mean.
    pub arithmetic_geometric_mean: f64,
    /// Arithmetic mean.
    pub arithmetic_mean: f64,
    /// Median.
    pub median: f64,
}

/// The `animeSeason` object.
#[derive(Debug, Serialize)]
pub struct AnimeSeason {
    /// WINTER, SPRING, SUMMER or FALL.
    pub season: &'static str,
    /// Start year.
    pub year: u32,
}

/// The `duration` object.
#[derive(Debug, Serialize)]
pub struct EpisodeDuration {
    /// Length in `unit`s.
    pub value: u32,
    /// Always SECONDS.
    pub unit: &'static str,
}

/// Draws records from a seeded random generator.
pub struct RecordGenerator {
    rng: fastrand::Rng,
    anime_count: u64,
    episodes_per_anime: u32,
}

impl RecordGenerator {
    /// A generator for a catalog of `anime_count` anime (relations only point inside it).
    pub fn new(seed: u64, anime_count: u64, episodes_per_anime: u32) -> Self {
        RecordGenerator {
            rng: fastrand::Rng::with_seed(seed),
            anime_count,
            episodes_per_anime,
        }
    }

    /// The record at `index`; call with 0, 1, 2, ... for a reproducible catalog.
    pub fn record(&mut self, index: u64) -> AnimeRecord {
        let anime_type = self.weighted(&[
            ("TV", 60),
            ("MOVIE", 12),
            ("OVA", 10),
            ("ONA", 10),
            ("SPECIAL", 8),
        ]);
        let status = self.weighted(&[("FINISHED", 75), ("ONGOING", 15), ("UPCOMING", 10)]);
        let year = match status {
            "UPCOMING" => 2026,
            "ONGOING" => self.rng.u32(2024..=2026),
            _ => self.rng.u32(1980..=2026),
        };
        let title_vocabulary = ROMAJI_WORDS
            .split_whitespace()
            .chain(ENGLISH_WORDS.split_whitespace());
        let words = self.pick(title_vocabulary, 3, 5);
        let mut title_words = words.clone();
        if self.rng.u32(..100) < PARTICLE_PERCENT {
            title_words.insert(1, PARTICLE);
        }
        let title = format!("{}{}", join_title(&title_words), self.suffix(anime_type));
        let source_id = FIRST_SOURCE_ID + index;
        let picture_bucket = index % 20 + 1;
        let picture_base =
            format!("https://cdn.myanimelist.net/images/anime/{picture_bucket}/{source_id}");
        let mut record = AnimeRecord {
            sources: vec![source_url(index)],
            synonyms: self.synonyms(&title, &words),
            title,
            anime_type,
            episodes: if anime_type == "MOVIE" {
                1
            } else {
                self.episodes_per_anime
            },
            status,
            anime_season: AnimeSeason {
                season: self.weighted(&[("WINTER", 1), ("SPRING", 1), ("SUMMER", 1), ("FALL", 1)]),
                year,
            },
            picture: format!("{picture_base}.jpg"),
            thumbnail: format!("{picture_base}t.jpg"),
            duration: EpisodeDuration {
                value: match anime_type {
                    "MOVIE" => 60 * self.rng.u32(80..=130),
                    "SPECIAL" => 720,
                    _ => 1440,
                },
                unit: "SECONDS",
            },
            studios: self.pick(STUDIOS.iter().copied(), 1, 2),
            producers: self.pick(PRODUCERS.iter().copied(), 0, 3),
            related_anime: self.related(index),
            tags: self.pick(TAGS.iter().copied(), 2, 6),
            score: None,
        };
        // Drawn last, so the other fields stay what earlier versions generated for a seed.
        record.score = self.score(status);
        record
    }

    /// Most aired anime have a score, clustered around 7 (the mean of three draws); upcoming
    /// ones have none.
    fn score(&mut self, status: &str) -> Option<Score> {
        if status == "UPCOMING" {
            return None;
        }
        let draw = |rng: &mut fastrand::Rng| 4.5 + 5.0 * rng.f64();
        let arithmetic_geometric_mean =
            (draw(&mut self.rng) + draw(&mut self.rng) + draw(&mut self.rng)) / 3.0;
        let spread = self.rng.f64() * 0.1;
        let round = |value: f64| (value * 100.0).round() / 100.0;
        Some(Score {
            arithmetic_geometric_mean: round(arithmetic_geometric_mean),
            arithmetic_mean: round(arithmetic_geometric_mean + spread / 2.0),
            median: round(arithmetic_geometric_mean - 0.05 + spread),
        })
    }

    /// Most titles have no suffix; the ones that do match their type.
    fn suffix(&mut self, anime_type: &str) -> &'static str {
        let (suffixes, percent) = match anime_type {
            "MOVIE" => (MOVIE_SUFFIXES, 40),
            "OVA" | "SPECIAL" => (EXTRA_SUFFIXES, 30),
            _ => (SEQUEL_SUFFIXES, 15),
        };
        if self.rng.u32(..100) < percent {
            suffixes[self.rng.usize(..suffixes.len())]
        } else {
            ""
        }
    }

    /// Zero to three alternative titles: an abbreviation, a Kunrei-shiki spelling, a short form.
    fn synonyms(&mut self, title: &str, words: &[&str]) -> Vec<String> {
        let initials: String = words
            .iter()
            .filter_map(|word| word.chars().next())
            .map(|letter| letter.to_ascii_uppercase())
            .collect();
        let kunrei = title
            .replace("ou", "o")
            .replace("uu", "u")
            .replace("shi", "si")
            .replace("tsu", "tu")
            .replace("chi", "ti");
        let short = join_title(&words[..2]);
        let mut candidates: Vec<String> = Vec::with_capacity(3);
        for candidate in [initials, kunrei, short] {
            if candidate != title && !candidates.contains(&candidate) {
                candidates.push(candidate);
            }
        }
        let wanted = self.rng.usize(0..=3);
        self.rng.shuffle(&mut candidates);
        candidates.truncate(wanted);
        candidates
    }

    /// Zero to two links to other anime of the same catalog.
    fn related(&mut self, index: u64) -> Vec<String> {
        if self.anime_count < 2 {
            return Vec::new();
        }
        let count = self.rng.usize(0..=2);
        let mut links: Vec<String> = Vec::with_capacity(count);
        for _ in 0..count {
            let other = self.rng.u64(..self.anime_count);
            let link = source_url(other);
            if other != index && !links.contains(&link) {
                links.push(link);
            }
        }
        links
    }

    /// Between `fewest` and `most` distinct `candidates`, in random order.
    fn pick(
        &mut self,
        candidates: impl IntoIterator<Item = &'static str>,
        fewest: usize,
        most: usize,
    ) -> Vec<&'static str> {
        let amount = self.rng.usize(fewest..=most);
        let mut picked = self.rng.choose_multiple(candidates, amount);
        self.rng.shuffle(&mut picked);
        picked
    }

    fn weighted(&mut self, choices: &[(&'static str, u32)]) -> &'static str {
        let total: u32 = choices.iter().map(|(_, weight)| weight).sum();
        let mut roll = self.rng.u32(..total);
        for (choice, weight) in choices {
            if roll < *weight {
                return choice;
            }
            roll -= weight;
        }
        choices[choices.len() - 1].0
    }
}

/// The MyAnimeList URL of the generated anime at `index`.
pub fn source_url(index: u64) -> String {
    format!("https://myanimelist.net/anime/{}", FIRST_SOURCE_ID + index)
}

/// Capitalises every word but the particle.
fn join_title(words: &[&str]) -> String {
    words
        .iter()
        .map(|word| {
            if *word == PARTICLE {
                (*word).to_owned()
            } else {
                capitalize(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalize(word: &str) -> String {
    let mut letters = word.chars();
    match letters.next() {
        Some(first) => first.to_uppercase().chain(letters).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_records() {
        let mut first = RecordGenerator::new(7, 100, 12);
        let mut second = RecordGenerator::new(7, 100, 12);
        for index in 0..100 {
            let left = serde_json::to_string(&first.record(index)).expect("serialize");
            let right = serde_json::to_string(&second.record(index)).expect("serialize");
            assert_eq!(left, right);
        }
    }

    #[test]
    fn records_respect_the_format_bounds() {
        let mut generator = RecordGenerator::new(42, 1000, 20);
        for index in 0..1000 {
            let record = generator.record(index);
            assert!((2..=6).contains(&record.tags.len()));
            assert!(record.synonyms.len() <= 3);
            assert!(record.related_anime.len() <= 2);
            assert!(!record.related_anime.contains(&source_url(index)));
            assert!((1980..=2026).contains(&record.anime_season.year));
            let expected_episodes = if record.anime_type == "MOVIE" { 1 } else { 20 };
            assert_eq!(record.episodes, expected_episodes);
        }
    }

    #[test]
    fn titles_capitalise_words_but_the_particle_no() {
        assert_eq!(join_title(&["kimi", "no", "sora"]), "Kimi no Sora");
    }
}
