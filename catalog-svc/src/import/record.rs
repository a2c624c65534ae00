//! One record of the anime-offline-database format, parsed and validated into an
//! [`AnimeRecord`]. Unknown fields are ignored (the format grows); missing or invalid required
//! fields reject the record with the field's path and the reason.

use serde::Deserialize;

use super::tag_category::tag_category;
use crate::domain::{AnimeStatus, AnimeType, RelationKind, Season, SeasonYear};
use crate::store::{AnimeRecord, Score, Tag};

/// Most episodes a record may declare (the longest-running series have a few thousand).
const MAX_EPISODES: u32 = 10_000;
/// Longest accepted title or synonym, in characters.
const MAX_TITLE_CHARS: usize = 500;
/// The scale of the source data's scores.
const SCORES: std::ops::RangeInclusive<f64> = 1.0..=10.0;
/// Earliest and latest accepted start year.
const YEARS: std::ops::RangeInclusive<u32> = SeasonYear::RANGE;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireRecord {
    sources: Vec<String>,
    title: String,
    #[serde(rename = "type")]
    anime_type: String,
    episodes: u32,
    status: String,
    anime_season: WireSeason,
    #[serde(default)]
    picture: Option<String>,
    #[serde(default)]
    thumbnail: Option<String>,
    #[serde(default)]
    duration: Option<WireDuration>,
    #[serde(default)]
    synonyms: Vec<String>,
    #[serde(default)]
    studios: Vec<String>,
    #[serde(default)]
    producers: Vec<String>,
    #[serde(default)]
    related_anime: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    score: Option<WireScore>,
    #[serde(default)]
    kensho: Option<KenshoExtension>,
}

/// The `score` object: aggregates of the sources' scores on a 1..10 scale, each where present.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireScore {
    #[serde(default)]
    arithmetic_geometric_mean: Option<f64>,
    #[serde(default)]
    arithmetic_mean: Option<f64>,
    #[serde(default)]
    median: Option<f64>,
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
    unit: String,
}

/// Fields Kensho's own sample catalog adds; other files simply lack them.
#[derive(Deserialize)]
struct KenshoExtension {
    #[serde(default)]
    synopsis: Option<String>,
    #[serde(default)]
    prequel: Option<String>,
    #[serde(default)]
    sequel: Option<String>,
}

/// Why a record was rejected: the field and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordError {
    /// Path of the offending field, for example `animeSeason.season`; empty for the whole record.
    pub field: String,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            formatter.write_str(&self.reason)
        } else {
            write!(formatter, "field `{}`: {}", self.field, self.reason)
        }
    }
}

fn invalid(field: &str, reason: impl Into<String>) -> RecordError {
    RecordError {
        field: field.to_owned(),
        reason: reason.into(),
    }
}

/// Parses and validates one record.
pub fn parse_record(value: serde_json::Value) -> Result<AnimeRecord, RecordError> {
    let wire: WireRecord = serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        RecordError {
            field: if path == "." { String::new() } else { path },
            reason: error.into_inner().to_string(),
        }
    })?;
    validate(wire)
}

fn validate(wire: WireRecord) -> Result<AnimeRecord, RecordError> {
    if wire.sources.is_empty() {
        return Err(invalid("sources", "must list at least one source URL"));
    }
    for (index, source) in wire.sources.iter().enumerate() {
        check_url(&format!("sources[{index}]"), source)?;
    }
    let title = wire.title.trim().to_owned();
    check_title("title", &title)?;
    let synonyms = clean_list("synonyms", wire.synonyms, |field, synonym| {
        check_title(field, synonym)
    })?;
    let anime_type = AnimeType::from_name(&wire.anime_type).ok_or_else(|| {
        invalid(
            "type",
            format!(
                "unknown type `{}` (expected one of {})",
                wire.anime_type,
                AnimeType::names()
            ),
        )
    })?;
    let status = AnimeStatus::from_name(&wire.status).ok_or_else(|| {
        invalid(
            "status",
            format!(
                "unknown status `{}` (expected one of {})",
                wire.status,
                AnimeStatus::names()
            ),
        )
    })?;
    if wire.episodes > MAX_EPISODES {
        return Err(invalid(
            "episodes",
            format!("must be at most {MAX_EPISODES}"),
        ));
    }
    let season = match wire.anime_season.season.as_str() {
        "UNDEFINED" => None,
        name => Some(Season::from_name(name).ok_or_else(|| {
            invalid(
                "animeSeason.season",
                format!(
                    "unknown season `{name}` (expected UNDEFINED or one of {})",
                    Season::names()
                ),
            )
        })?),
    };
    if let Some(year) = wire.anime_season.year.filter(|year| !YEARS.contains(year)) {
        return Err(invalid(
            "animeSeason.year",
            format!("{year} is outside {}..={}", YEARS.start(), YEARS.end()),
        ));
    }
    let episode_duration_seconds = match wire.duration {
        None => None,
        Some(duration) if duration.unit == "SECONDS" => Some(duration.value),
        Some(duration) => {
            return Err(invalid(
                "duration.unit",
                format!("unknown unit `{}` (expected SECONDS)", duration.unit),
            ));
        }
    };
    let picture = optional_url("picture", wire.picture)?;
    let thumbnail = optional_url("thumbnail", wire.thumbnail)?;
    let tags = clean_list("tags", wire.tags, |_, _| Ok(()))?
        .into_iter()
        .map(|name| name.to_lowercase())
        .map(|name| Tag {
            category: tag_category(&name),
            name,
        })
        .collect::<Vec<_>>();
    let extension = wire.kensho.unwrap_or(KenshoExtension {
        synopsis: None,
        prequel: None,
        sequel: None,
    });
    let relation_links = relation_links(wire.related_anime, extension.prequel, extension.sequel)?;
    let score = match wire.score {
        None => None,
        Some(score) => validate_score(score)?,
    };
    Ok(AnimeRecord {
        sources: dedup(wire.sources),
        title,
        synonyms,
        anime_type,
        status,
        episode_count: wire.episodes,
        season,
        year: wire.anime_season.year,
        synopsis: extension.synopsis.unwrap_or_default().trim().to_owned(),
        picture,
        thumbnail,
        episode_duration_seconds,
        studios: clean_list("studios", wire.studios, |_, _| Ok(()))?,
        producers: clean_list("producers", wire.producers, |_, _| Ok(()))?,
        tags: dedup_tags(tags),
        relation_links,
        score,
    })
}

/// Each aggregate on the 1..10 scale; no aggregate at all is no score.
fn validate_score(wire: WireScore) -> Result<Option<Score>, RecordError> {
    let aggregates = [
        (
            "score.arithmeticGeometricMean",
            wire.arithmetic_geometric_mean,
        ),
        ("score.arithmeticMean", wire.arithmetic_mean),
        ("score.median", wire.median),
    ];
    for (field, value) in aggregates {
        if let Some(value) = value.filter(|value| !SCORES.contains(value)) {
            return Err(invalid(
                field,
                format!("{value} is outside {}..={}", SCORES.start(), SCORES.end()),
            ));
        }
    }
    Ok(Score {
        arithmetic_geometric_mean: wire.arithmetic_geometric_mean,
        arithmetic_mean: wire.arithmetic_mean,
        median: wire.median,
    }
    .present())
}

fn check_url(field: &str, url: &str) -> Result<(), RecordError> {
    let has_scheme = url.starts_with("https://") || url.starts_with("http://");
    let has_host = url.split("://").nth(1).is_some_and(|rest| !rest.is_empty());
    if has_scheme && has_host && !url.chars().any(char::is_whitespace) {
        Ok(())
    } else {
        Err(invalid(field, format!("`{url}` is not an http(s) URL")))
    }
}

fn optional_url(field: &str, url: Option<String>) -> Result<String, RecordError> {
    match url.filter(|url| !url.is_empty()) {
        None => Ok(String::new()),
        Some(url) => check_url(field, &url).map(|()| url),
    }
}

fn check_title(field: &str, title: &str) -> Result<(), RecordError> {
    if title.is_empty() {
        return Err(invalid(field, "must not be empty"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(invalid(
            field,
            format!("must be at most {MAX_TITLE_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Trims every entry, drops empty ones and duplicates, and checks the rest.
fn clean_list(
    field: &str,
    values: Vec<String>,
    check: impl Fn(&str, &str) -> Result<(), RecordError>,
) -> Result<Vec<String>, RecordError> {
    let mut cleaned: Vec<String> = Vec::with_capacity(values.len());
    for (index, value) in values.into_iter().enumerate() {
        let value = value.trim().to_owned();
        if value.is_empty() || cleaned.contains(&value) {
            continue;
        }
        check(&format!("{field}[{index}]"), &value)?;
        cleaned.push(value);
    }
    Ok(cleaned)
}

fn dedup(values: Vec<String>) -> Vec<String> {
    let mut unique: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        if !unique.contains(&value) {
            unique.push(value);
        }
    }
    unique
}

fn dedup_tags(tags: Vec<Tag>) -> Vec<Tag> {
    let mut unique: Vec<Tag> = Vec::with_capacity(tags.len());
    for tag in tags {
        if !unique.iter().any(|kept| kept.name == tag.name) {
            unique.push(tag);
        }
    }
    unique
}

/// Related anime, with the extension's prequel and sequel marking which links are which.
fn relation_links(
    related: Vec<String>,
    prequel: Option<String>,
    sequel: Option<String>,
) -> Result<Vec<(String, RelationKind)>, RecordError> {
    let mut links: Vec<(String, RelationKind)> = Vec::new();
    let typed = [
        (prequel, RelationKind::Prequel, "kensho.prequel"),
        (sequel, RelationKind::Sequel, "kensho.sequel"),
    ];
    for (source, kind, field) in typed {
        if let Some(source) = source {
            check_url(field, &source)?;
            links.push((source, kind));
        }
    }
    for (index, source) in related.into_iter().enumerate() {
        check_url(&format!("relatedAnime[{index}]"), &source)?;
        if !links.iter().any(|(linked, _)| *linked == source) {
            links.push((source, RelationKind::Related));
        }
    }
    Ok(links)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn valid_record() -> serde_json::Value {
        json!({
            "sources": ["https://myanimelist.net/anime/50265"],
            "title": "SPY x FAMILY",
            "type": "TV",
            "episodes": 12,
            "status": "FINISHED",
            "animeSeason": {"season": "SPRING", "year": 2022},
            "duration": {"value": 1440, "unit": "SECONDS"},
            "synonyms": ["Spy Family", " Spy Family ", ""],
            "tags": ["Action", "comedy", "shounen"],
            "relatedAnime": ["https://myanimelist.net/anime/53887"],
            "kensho": {"sequel": "https://myanimelist.net/anime/53887"},
            "score": {"median": 8.5}
        })
    }

    #[test]
    fn a_valid_record_is_cleaned_and_typed() {
        let record = parse_record(valid_record()).expect("valid");
        assert_eq!(record.synonyms, vec!["Spy Family".to_owned()]);
        assert_eq!(record.season, Some(Season::Spring));
        assert_eq!(record.tags[0].name, "action");
        assert_eq!(
            record.relation_links,
            vec![(
                "https://myanimelist.net/anime/53887".to_owned(),
                RelationKind::Sequel
            )]
        );
    }

    #[test]
    fn the_score_object_is_imported_where_present_and_checked() {
        let record = parse_record(valid_record()).expect("valid");
        let score = record.score.expect("a score");
        assert_eq!(score.median, Some(8.5));
        assert_eq!(score.arithmetic_mean, None);
        assert_eq!(score.ranking_value(), Some(8.5));
        let mut out_of_scale = valid_record();
        out_of_scale["score"] = json!({"arithmeticMean": 11.0});
        let error = parse_record(out_of_scale).expect_err("outside the scale");
        assert_eq!(error.field, "score.arithmeticMean");
    }

    #[test]
    fn invalid_fields_are_named() {
        let cases = [
            ("type", json!("SERIES")),
            ("episodes", json!(-1)),
            ("sources", json!([])),
            ("title", json!("  ")),
            ("animeSeason", json!({"season": "AUTUMN"})),
        ];
        for (field, bad_value) in cases {
            let mut record = valid_record();
            record[field] = bad_value;
            let error = parse_record(record).expect_err(field);
            assert!(error.field.starts_with(field), "{field}: {error}");
        }
    }

    #[test]
    fn a_missing_required_field_is_reported() {
        let mut record = valid_record();
        record.as_object_mut().expect("object").remove("title");
        let error = parse_record(record).expect_err("missing title");
        assert!(error.reason.contains("title"), "{error}");
    }
}
