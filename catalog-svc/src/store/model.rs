//! The storage model: what the catalog reads back and what an import writes.

use crate::domain::{AnimeId, AnimeStatus, AnimeType, RelationKind, Season, TagCategory};

/// The fields of an anime that lists show.
#[derive(Clone, Debug, PartialEq)]
pub struct AnimeSummary {
    /// Stable id.
    pub id: AnimeId,
    /// Main title.
    pub title: String,
    /// TV, movie, ...
    pub anime_type: AnimeType,
    /// Finished, ongoing, ...
    pub status: AnimeStatus,
    /// Number of episodes (aired so far when ongoing).
    pub episode_count: u32,
    /// Season it started airing in, when known.
    pub season: Option<Season>,
    /// Year it started airing in, when known.
    pub year: Option<u32>,
    /// Cover picture URL.
    pub picture: String,
    /// Small cover picture URL.
    pub thumbnail: String,
    /// The score the source data records, when it records one.
    pub score: Option<Score>,
    /// How many sources list the title (see [`AnimeRecord::popularity`]).
    pub popularity: u32,
}

/// The anime-offline-database's score: the title's scores on every source that has one, rescaled
/// to 1..10 and aggregated three ways; each aggregate may be absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Score {
    /// The arithmetic-geometric mean (`arithmeticGeometricMean`).
    pub arithmetic_geometric_mean: Option<f64>,
    /// The arithmetic mean (`arithmeticMean`).
    pub arithmetic_mean: Option<f64>,
    /// The median (`median`).
    pub median: Option<f64>,
}

impl Score {
    /// The one value lists sort and filter by: the arithmetic-geometric mean (the database's
    /// recommended aggregate, least swayed by one outlying source), else the mean, else the
    /// median.
    pub fn ranking_value(&self) -> Option<f64> {
        self.arithmetic_geometric_mean
            .or(self.arithmetic_mean)
            .or(self.median)
    }

    /// `None` when no aggregate is present.
    pub fn present(self) -> Option<Score> {
        self.ranking_value().map(|_| self)
    }
}

/// A tag and its category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// Lowercase name, unique.
    pub name: String,
    /// Genre, theme, demographic or content.
    pub category: TagCategory,
}

/// A tag with the number of anime that carry it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagCount {
    /// The tag.
    pub tag: Tag,
    /// How many anime carry it.
    pub anime_count: u64,
}

/// Another anime and how it relates.
#[derive(Clone, Debug, PartialEq)]
pub struct Relation {
    /// Sequel, prequel or related.
    pub kind: RelationKind,
    /// The other anime.
    pub anime: AnimeSummary,
}

/// Everything the catalog knows about one anime.
#[derive(Clone, Debug, PartialEq)]
pub struct AnimeDetail {
    /// The list fields.
    pub summary: AnimeSummary,
    /// Other titles: romanisations, other languages, abbreviations.
    pub synonyms: Vec<String>,
    /// Short description.
    pub synopsis: String,
    /// Pages about this anime on other sites.
    pub sources: Vec<String>,
    /// Animation studios.
    pub studios: Vec<String>,
    /// Producers.
    pub producers: Vec<String>,
    /// Typical episode length.
    pub episode_duration_seconds: Option<u32>,
    /// Tags, by name.
    pub tags: Vec<Tag>,
    /// Related anime that are in the catalog.
    pub relations: Vec<Relation>,
    /// The Crunchyroll series, once a sync matched it.
    pub crunchyroll_series_id: Option<String>,
    /// The Crunchyroll season, once a sync matched it.
    pub crunchyroll_season_id: Option<String>,
}

/// One episode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Episode {
    /// Episode number, from 1.
    pub number: u32,
    /// Title, empty when unknown.
    pub title: String,
    /// Length, when known.
    pub duration_seconds: Option<u32>,
    /// First broadcast, `YYYY-MM-DD`, when known.
    pub air_date: Option<String>,
    /// Short description, empty when unknown.
    pub synopsis: String,
    /// Still picture URL, empty when unknown.
    pub thumbnail: String,
    /// The Crunchyroll episode, once a sync matched it.
    pub crunchyroll_episode_id: Option<String>,
}

/// A validated anime as an import writes it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AnimeRecord {
    /// Source URLs, at least one; the id derives from them.
    pub sources: Vec<String>,
    /// Main title.
    pub title: String,
    /// Other titles.
    pub synonyms: Vec<String>,
    /// TV, movie, ...
    #[serde(serialize_with = "serialize_name::anime_type")]
    pub anime_type: AnimeType,
    /// Finished, ongoing, ...
    #[serde(serialize_with = "serialize_name::status")]
    pub status: AnimeStatus,
    /// Number of episodes; this many numbered episodes exist once imported.
    pub episode_count: u32,
    /// Start season, when known.
    #[serde(serialize_with = "serialize_name::season")]
    pub season: Option<Season>,
    /// Start year, when known.
    pub year: Option<u32>,
    /// Short description.
    pub synopsis: String,
    /// Cover picture URL.
    pub picture: String,
    /// Small cover picture URL.
    pub thumbnail: String,
    /// Typical episode length.
    pub episode_duration_seconds: Option<u32>,
    /// Animation studios.
    pub studios: Vec<String>,
    /// Producers.
    pub producers: Vec<String>,
    /// Tag names with their categories.
    #[serde(serialize_with = "serialize_name::tags")]
    pub tags: Vec<Tag>,
    /// Source URLs of related anime and how they relate.
    #[serde(serialize_with = "serialize_name::relation_links")]
    pub relation_links: Vec<(String, RelationKind)>,
    /// The score, when the record carries one.
    pub score: Option<Score>,
}

impl AnimeRecord {
    /// Popularity as the catalog knows it: how many sources (MyAnimeList, AniList, Kitsu, AniDB,
    /// ...) list the title. A title known to more sites is more widely watched; the count is what
    /// the source data offers without per-site member counts.
    pub fn popularity(&self) -> u32 {
        u32::try_from(self.sources.len()).unwrap_or(u32::MAX)
    }

    /// A fingerprint of every field: equal fingerprints mean an update would change nothing.
    pub fn content_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        // Serialising a struct of strings, numbers and vectors cannot fail.
        let canonical = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(&canonical))
    }
}

/// How an upsert went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpsertOutcome {
    /// A new anime.
    Inserted,
    /// An existing anime whose data changed.
    Updated,
    /// An existing anime, identical: nothing written.
    Unchanged,
}

/// What relation resolution changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RelationChanges {
    /// Relations created.
    pub added: u64,
    /// Relations removed because no link supports them any more.
    pub removed: u64,
}

/// Serialises enums by their storage names, for the content hash.
mod serialize_name {
    use serde::Serializer;
    use serde::ser::SerializeSeq;

    use crate::domain::{AnimeStatus, AnimeType, RelationKind, Season};
    use crate::store::Tag;

    pub(super) fn anime_type<S: Serializer>(
        value: &AnimeType,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(value.as_str())
    }

    pub(super) fn status<S: Serializer>(
        value: &AnimeStatus,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(value.as_str())
    }

    pub(super) fn season<S: Serializer>(
        value: &Option<Season>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(value.map(Season::as_str).unwrap_or_default())
    }

    pub(super) fn tags<S: Serializer>(tags: &[Tag], serializer: S) -> Result<S::Ok, S::Error> {
        let mut sequence = serializer.serialize_seq(Some(tags.len()))?;
        for tag in tags {
            sequence.serialize_element(&(&tag.name, tag.category.as_str()))?;
        }
        sequence.end()
    }

    pub(super) fn relation_links<S: Serializer>(
        links: &[(String, RelationKind)],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut sequence = serializer.serialize_seq(Some(links.len()))?;
        for (source, kind) in links {
            sequence.serialize_element(&(source, kind.as_str()))?;
        }
        sequence.end()
    }
}
