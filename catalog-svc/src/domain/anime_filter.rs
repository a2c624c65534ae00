//! What a catalog list keeps: [`AnimeFilter`], the filters every list takes (the catalog list,
//! season browse), parsed once at the edge.

use super::{AnimeStatus, AnimeType, FieldViolation, Season, SeasonYear};

/// The anime-offline-database tags that mark adult content: MyAnimeList's explicit genres, which
/// the database carries as tags. `sfw` excludes every anime carrying one of them.
pub const ADULT_CONTENT_TAGS: &[&str] = &["hentai", "erotica"];

/// Most tags one tag filter may name.
pub const MAX_FILTER_TAGS: usize = 20;

/// The scores the source data records, and so the range of `min_score`.
const SCORE_RANGE: std::ops::RangeInclusive<f64> = 0.0..=10.0;

/// The filters as a request states them, before any check.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawAnimeFilter {
    /// Any of these types.
    pub types: Vec<AnimeType>,
    /// Any of these statuses.
    pub statuses: Vec<AnimeStatus>,
    /// Started in this year or later.
    pub year_from: Option<u32>,
    /// Started in this year or earlier.
    pub year_to: Option<u32>,
    /// Started in this season (of any year the range allows).
    pub season: Option<Season>,
    /// Carrying every one of these tags.
    pub all_tags: Vec<String>,
    /// Carrying at least one of these tags.
    pub any_tags: Vec<String>,
    /// Carrying none of these tags.
    pub excluded_tags: Vec<String>,
    /// Made by this studio (case-insensitive, whole name).
    pub studio: Option<String>,
    /// At least this many episodes.
    pub min_episodes: Option<u32>,
    /// At most this many episodes.
    pub max_episodes: Option<u32>,
    /// A score of at least this (anime without a score are left out).
    pub min_score: Option<f64>,
    /// Leave out anime carrying an adult content tag.
    pub sfw: bool,
    /// Season browse's `continuing`: also keep the anime still airing (status ongoing) that
    /// started before this year and season, whatever the year and season filters say.
    pub continuing_before: Option<(u32, Season)>,
}

/// Checked filters: years in range and ordered, tags lowercase, deduplicated and sorted, so two
/// requests meaning the same filter have the same [`AnimeFilter::canonical`] form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnimeFilter(RawAnimeFilter);

impl AnimeFilter {
    /// Checks every filter, naming each invalid one (`prefix` + the field name).
    pub fn parse(raw: RawAnimeFilter, prefix: &str) -> Result<Self, Vec<FieldViolation>> {
        let mut violations = Vec::new();
        let field = |name: &str| format!("{prefix}{name}");
        for (name, year) in [("year_from", raw.year_from), ("year_to", raw.year_to)] {
            if let Some(Err(violation)) = year.map(|year| SeasonYear::parse(year, &field(name))) {
                violations.push(violation);
            }
        }
        if let (Some(from), Some(to)) = (raw.year_from, raw.year_to)
            && from > to
        {
            violations.push(FieldViolation::new(
                field("year_to"),
                "must not be before year_from",
            ));
        }
        if let (Some(min), Some(max)) = (raw.min_episodes, raw.max_episodes)
            && min > max
        {
            violations.push(FieldViolation::new(
                field("max_episodes"),
                "must not be below min_episodes",
            ));
        }
        if let Some(score) = raw.min_score.filter(|score| !SCORE_RANGE.contains(score)) {
            violations.push(FieldViolation::new(
                field("min_score"),
                format!(
                    "{score} is outside {}..={}",
                    SCORE_RANGE.start(),
                    SCORE_RANGE.end()
                ),
            ));
        }
        let studio = raw
            .studio
            .map(|studio| studio.trim().to_owned())
            .filter(|studio| !studio.is_empty());
        let mut tag_list = |name: &str, tags: Vec<String>| {
            let cleaned = clean_tags(tags);
            if cleaned.len() > MAX_FILTER_TAGS {
                violations.push(FieldViolation::new(
                    field(name),
                    format!("may name at most {MAX_FILTER_TAGS} tags"),
                ));
            }
            cleaned
        };
        let all_tags = tag_list("tags", raw.all_tags);
        let any_tags = tag_list("any_tags", raw.any_tags);
        let excluded_tags = tag_list("exclude_tags", raw.excluded_tags);
        if !violations.is_empty() {
            return Err(violations);
        }
        Ok(AnimeFilter(RawAnimeFilter {
            types: sorted_unique(raw.types, |kind| kind.as_str()),
            statuses: sorted_unique(raw.statuses, |status| status.as_str()),
            all_tags,
            any_tags,
            excluded_tags,
            studio,
            ..raw
        }))
    }

    /// This filter also keeping the anime still airing (status ongoing) that started before
    /// `year` and `season`: season browse's `continuing`.
    pub fn continuing_before(mut self, year: u32, season: Season) -> Self {
        self.0.continuing_before = Some((year, season));
        self
    }

    /// The checked filters.
    pub fn get(&self) -> &RawAnimeFilter {
        &self.0
    }

    /// The tags an anime must not carry: the excluded ones, and the adult ones under `sfw`.
    pub fn tags_to_exclude(&self) -> Vec<&str> {
        let mut tags: Vec<&str> = self.0.excluded_tags.iter().map(String::as_str).collect();
        if self.0.sfw {
            tags.extend(ADULT_CONTENT_TAGS);
        }
        tags.sort_unstable();
        tags.dedup();
        tags
    }

    /// One text per meaning: equal filters give equal texts. Keys caches and binds cursors.
    pub fn canonical(&self) -> String {
        let filter = &self.0;
        let names = |items: Vec<&str>| items.join(",");
        let number = |value: Option<u32>| value.map(|value| value.to_string()).unwrap_or_default();
        let fields = [
            format!(
                "type={}",
                names(filter.types.iter().map(|kind| kind.as_str()).collect())
            ),
            format!(
                "status={}",
                names(
                    filter
                        .statuses
                        .iter()
                        .map(|status| status.as_str())
                        .collect()
                )
            ),
            format!("year_from={}", number(filter.year_from)),
            format!("year_to={}", number(filter.year_to)),
            format!("season={}", filter.season.map_or("", Season::as_str)),
            format!("tags={}", tag_text(&filter.all_tags)),
            format!("any_tags={}", tag_text(&filter.any_tags)),
            format!("exclude_tags={}", tag_text(&filter.excluded_tags)),
            format!(
                "studio={}",
                filter.studio.as_deref().unwrap_or_default().to_lowercase()
            ),
            format!("min_episodes={}", number(filter.min_episodes)),
            format!("max_episodes={}", number(filter.max_episodes)),
            format!(
                "min_score={}",
                filter
                    .min_score
                    .map(|score| score.to_string())
                    .unwrap_or_default()
            ),
            format!("sfw={}", filter.sfw),
        ]
        .join("&");
        match filter.continuing_before {
            Some((year, season)) => {
                format!("{fields}&continuing_before={year}-{}", season.as_str())
            }
            None => fields,
        }
    }
}

/// Tags joined so that no tag can be mistaken for a separator (tags may hold any character).
fn tag_text(tags: &[String]) -> String {
    serde_json::to_string(tags).unwrap_or_default()
}

fn clean_tags(tags: Vec<String>) -> Vec<String> {
    let mut cleaned: Vec<String> = tags
        .into_iter()
        .map(|tag| tag.trim().to_lowercase())
        .filter(|tag| !tag.is_empty())
        .collect();
    cleaned.sort_unstable();
    cleaned.dedup();
    cleaned
}

fn sorted_unique<T: Copy>(mut items: Vec<T>, name: impl Fn(&T) -> &'static str) -> Vec<T> {
    items.sort_by_key(|item| name(item));
    items.dedup_by_key(|item| name(item));
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_filters_written_differently_have_one_canonical_form() {
        let first = RawAnimeFilter {
            types: vec![AnimeType::Movie, AnimeType::Tv, AnimeType::Movie],
            all_tags: vec![" Mecha".to_owned(), "action".to_owned()],
            ..RawAnimeFilter::default()
        };
        let second = RawAnimeFilter {
            types: vec![AnimeType::Tv, AnimeType::Movie],
            all_tags: vec!["action".to_owned(), "mecha".to_owned()],
            ..RawAnimeFilter::default()
        };
        let first = AnimeFilter::parse(first, "").expect("valid");
        let second = AnimeFilter::parse(second, "").expect("valid");
        assert_eq!(first.canonical(), second.canonical());
    }

    #[test]
    fn inverted_ranges_and_out_of_range_values_are_named() {
        let raw = RawAnimeFilter {
            year_from: Some(2020),
            year_to: Some(2010),
            min_episodes: Some(12),
            max_episodes: Some(1),
            min_score: Some(11.0),
            ..RawAnimeFilter::default()
        };
        let violations = AnimeFilter::parse(raw, "filter.").expect_err("invalid");
        let fields: Vec<&str> = violations.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(
            fields,
            ["filter.year_to", "filter.max_episodes", "filter.min_score"]
        );
    }

    #[test]
    fn sfw_excludes_the_adult_content_tags() {
        let raw = RawAnimeFilter {
            sfw: true,
            excluded_tags: vec!["gore".to_owned()],
            ..RawAnimeFilter::default()
        };
        let filter = AnimeFilter::parse(raw, "").expect("valid");
        assert_eq!(filter.tags_to_exclude(), ["erotica", "gore", "hentai"]);
    }
}
