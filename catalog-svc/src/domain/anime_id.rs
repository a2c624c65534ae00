//! The stable anime identifier: 16 lowercase hex digits derived from the anime's primary source.

use std::fmt;

use sha2::{Digest, Sha256};

use super::{FieldViolation, SourceRef};

const ANIME_ID_LENGTH: usize = 16;

/// Sources in order of preference for deriving an id: the first present wins, so an id stays the
/// same when a later data release adds a source from a less preferred site.
const SOURCE_PREFERENCE: &[&str] = &[
    "myanimelist.net",
    "anilist.co",
    "kitsu.app",
    "kitsu.io",
    "anidb.net",
    "anime-planet.com",
    "anisearch.com",
    "livechart.me",
    "animenewsnetwork.com",
    "notify.moe",
    "simkl.com",
];

/// Most ids one batch lookup may ask for.
pub const MAX_BATCH_IDS: usize = 100;

/// An anime identifier. Well-formed does not mean it exists.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AnimeId(String);

impl AnimeId {
    /// Parses an id from a request; `field` names the request field in the error.
    pub fn parse(raw: &str, field: &str) -> Result<Self, FieldViolation> {
        let is_well_formed = raw.len() == ANIME_ID_LENGTH
            && raw
                .bytes()
                .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte));
        if is_well_formed {
            Ok(AnimeId(raw.to_owned()))
        } else {
            Err(FieldViolation::new(
                field,
                format!("must be {ANIME_ID_LENGTH} lowercase hexadecimal characters"),
            ))
        }
    }

    /// Derives the id of an anime from its source URLs (at least one).
    pub fn derive_from_sources(sources: &[String]) -> Self {
        let primary = primary_source(sources);
        let digest = Sha256::digest(primary.as_bytes());
        let mut id = hex::encode(digest);
        id.truncate(ANIME_ID_LENGTH);
        AnimeId(id)
    }

    /// Trusted constructor for ids read back from storage.
    pub(crate) fn from_storage(raw: String) -> Self {
        AnimeId(raw)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AnimeId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// What one entry of a batch asks for: an anime by id, or the anime listing a source page, so a
/// client can join its MyAnimeList or AniList list in one call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BatchKey {
    /// An anime id.
    Id(AnimeId),
    /// A source page (`https://myanimelist.net/anime/5114`, `mal:5114`).
    Source(SourceRef),
}

/// The entries of one batch lookup: 1 to [`MAX_BATCH_IDS`] ids or source references, each with
/// the text it was asked as, in request order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnimeIdBatch(Vec<(String, BatchKey)>);

impl AnimeIdBatch {
    /// Parses the ids and source references of `field`, reporting each malformed one as
    /// `field[index]`.
    pub fn parse(raw: &[String], field: &str) -> Result<Self, Vec<FieldViolation>> {
        if raw.is_empty() || raw.len() > MAX_BATCH_IDS {
            return Err(vec![FieldViolation::new(
                field,
                format!("must hold 1 to {MAX_BATCH_IDS} ids"),
            )]);
        }
        let mut violations = Vec::new();
        let ids = raw
            .iter()
            .enumerate()
            .filter_map(|(index, raw_key)| {
                let entry_field = format!("{field}[{index}]");
                let key = AnimeId::parse(raw_key, &entry_field)
                    .map(BatchKey::Id)
                    .or_else(|_| SourceRef::parse(raw_key, &entry_field).map(BatchKey::Source));
                key.map(|key| (raw_key.clone(), key))
                    .map_err(|_| {
                        violations.push(FieldViolation::new(
                            &entry_field,
                            format!(
                                "must be an anime id ({ANIME_ID_LENGTH} lowercase hexadecimal \
                                 characters), a source page URL or <site>:<number>"
                            ),
                        ))
                    })
                    .ok()
            })
            .collect();
        if violations.is_empty() {
            Ok(AnimeIdBatch(ids))
        } else {
            Err(violations)
        }
    }

    /// The entries as asked and parsed, in request order.
    pub fn keys(&self) -> &[(String, BatchKey)] {
        &self.0
    }
}

fn primary_source(sources: &[String]) -> &str {
    let preference_of = |source: &str| {
        SOURCE_PREFERENCE
            .iter()
            .position(|host| source.contains(host))
            .unwrap_or(SOURCE_PREFERENCE.len())
    };
    sources
        .iter()
        .min_by(|left, right| {
            preference_of(left)
                .cmp(&preference_of(right))
                .then_with(|| left.cmp(right))
        })
        .map(String::as_str)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_prefer_myanimelist_whatever_the_order() {
        let one = AnimeId::derive_from_sources(&[
            "https://anilist.co/anime/16498".to_owned(),
            "https://myanimelist.net/anime/16498".to_owned(),
        ]);
        let other =
            AnimeId::derive_from_sources(&["https://myanimelist.net/anime/16498".to_owned()]);
        assert_eq!(one, other);
        assert!(AnimeId::parse(one.as_str(), "id").is_ok());
    }

    #[test]
    fn a_batch_names_every_malformed_id_and_holds_one_to_a_hundred() {
        let mixed = [
            "0123456789abcdef".to_owned(),
            "nope".to_owned(),
            "ABC".to_owned(),
        ];
        let violations = AnimeIdBatch::parse(&mixed, "ids").expect_err("two are malformed");
        let fields: Vec<&str> = violations
            .iter()
            .map(|violation| violation.field.as_str())
            .collect();
        assert_eq!(fields, ["ids[1]", "ids[2]"]);
        assert!(AnimeIdBatch::parse(&[], "ids").is_err());
        let too_many = vec!["0123456789abcdef".to_owned(); MAX_BATCH_IDS + 1];
        assert!(AnimeIdBatch::parse(&too_many, "ids").is_err());
        let most = vec!["0123456789abcdef".to_owned(); MAX_BATCH_IDS];
        assert_eq!(
            AnimeIdBatch::parse(&most, "ids")
                .expect("valid")
                .keys()
                .len(),
            MAX_BATCH_IDS
        );
    }

    #[test]
    fn a_batch_takes_source_references_beside_ids() {
        let raw = [
            "0123456789abcdef".to_owned(),
            "mal:5114".to_owned(),
            "https://anilist.co/anime/5114".to_owned(),
        ];
        let batch = AnimeIdBatch::parse(&raw, "ids").expect("all are valid");
        let sources = batch
            .keys()
            .iter()
            .filter(|(_, key)| matches!(key, BatchKey::Source(_)))
            .count();
        assert_eq!(sources, 2);
        assert_eq!(batch.keys()[1].0, "mal:5114");
    }

    #[test]
    fn parse_rejects_wrong_length_and_characters() {
        for raw in [
            "",
            "abc",
            "0123456789abcdeg",
            "0123456789ABCDEF",
            "0123456789abcdef0",
        ] {
            assert!(AnimeId::parse(raw, "id").is_err(), "{raw}");
        }
    }
}
