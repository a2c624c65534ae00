//! Kensho's sample catalog (anime-offline-database format plus the `kensho` extension), embedded
//! in the binary and read into the few fields the simulator needs.

use serde::Deserialize;

use super::dates::AnimeSeason;

/// The sample catalog file, the same one catalog-svc imports.
const SAMPLE_CATALOG: &[u8] = include_bytes!("../../../../data/sample-catalog.json");

#[derive(Deserialize)]
struct SampleFile {
    data: Vec<WireAnime>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireAnime {
    sources: Vec<String>,
    title: String,
    #[serde(rename = "type")]
    anime_type: String,
    episodes: u32,
    status: String,
    anime_season: WireSeason,
    #[serde(default)]
    duration: Option<WireDuration>,
    #[serde(default)]
    studios: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    kensho: Option<WireExtension>,
}

#[derive(Deserialize)]
struct WireSeason {
    season: String,
    #[serde(default)]
    year: Option<u32>,
}

#[derive(Deserialize)]
struct WireDuration {
    value: u32,
}

#[derive(Default, Deserialize)]
struct WireExtension {
    #[serde(default)]
    synopsis: Option<String>,
    #[serde(default)]
    prequel: Option<String>,
    #[serde(default)]
    sequel: Option<String>,
}

/// What the simulator uses of one sample anime.
#[derive(Clone, Debug)]
pub(crate) struct SampleAnime {
    /// The first source URL: the anime's identity in Kensho.
    pub(crate) source: String,
    pub(crate) title: String,
    pub(crate) kind: AnimeKind,
    pub(crate) episodes: u32,
    pub(crate) ongoing: bool,
    pub(crate) season: AnimeSeason,
    pub(crate) year: u32,
    pub(crate) episode_duration_seconds: u32,
    pub(crate) studio: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) synopsis: String,
    pub(crate) prequel: Option<String>,
    pub(crate) sequel: Option<String>,
}

/// The anime types the simulator distinguishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AnimeKind {
    /// TV and ONA: episodic, grouped into series and seasons.
    Show,
    /// A film: a movie listing with one movie.
    Movie,
    /// Anything else (OVA, specials): not on the simulated Crunchyroll.
    Other,
}

/// Typical episode length when a record has none.
const DEFAULT_EPISODE_SECONDS: u32 = 1_440;
/// Year used when a record has none.
const DEFAULT_YEAR: u32 = 2000;

/// Reads the embedded sample catalog.
pub(crate) fn load_sample() -> anyhow::Result<Vec<SampleAnime>> {
    let file: SampleFile = serde_json::from_slice(SAMPLE_CATALOG)?;
    Ok(file.data.into_iter().filter_map(into_sample).collect())
}

fn into_sample(wire: WireAnime) -> Option<SampleAnime> {
    let source = wire.sources.into_iter().next()?;
    let kind = match wire.anime_type.as_str() {
        "TV" | "ONA" => AnimeKind::Show,
        "MOVIE" => AnimeKind::Movie,
        _ => AnimeKind::Other,
    };
    let extension = wire.kensho.unwrap_or_default();
    Some(SampleAnime {
        source,
        title: wire.title.trim().to_owned(),
        kind,
        episodes: wire.episodes,
        ongoing: wire.status == "ONGOING",
        season: AnimeSeason::from_name(&wire.anime_season.season).unwrap_or(AnimeSeason::Spring),
        year: wire.anime_season.year.unwrap_or(DEFAULT_YEAR),
        episode_duration_seconds: wire
            .duration
            .map_or(DEFAULT_EPISODE_SECONDS, |duration| duration.value)
            .max(1),
        studio: wire.studios.into_iter().next(),
        tags: wire.tags,
        synopsis: extension.synopsis.unwrap_or_default().trim().to_owned(),
        prequel: extension.prequel,
        sequel: extension.sequel,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_sample_catalog_parses() {
        let sample = load_sample().expect("the sample parses");
        assert!(sample.len() > 200);
        assert!(sample.iter().any(|anime| anime.title == "Cowboy Bebop"));
    }
}
