//! The catalog as a filtered, sorted list, read by keyset: each page starts strictly after the
//! previous page's last (sort key, id), so rows inserted or updated meanwhile never shift it.
//!
//! Nullable sort fields (year, score) sort through a stand-in value that puts the anime without
//! one last in either direction, so every position has a non-null key.

use super::database::{Param, Query, Row};
use super::rows::{SummaryRow, summary_columns};
use super::sql::SqlCatalogStore;
use super::{AnimeSummary, StoreError};
use crate::domain::{
    AnimeFilter, AnimeSort, AnimeStatus, ListPosition, Season, SortField, SortKey,
};

/// One anime of a list and where it stands in the list's order.
#[derive(Clone, Debug, PartialEq)]
pub struct ListedAnime {
    /// The anime.
    pub summary: AnimeSummary,
    /// Its position, for the cursor of a page ending with it.
    pub position: ListPosition,
}

/// A statement's conditions and their values, numbering placeholders as they are added.
#[derive(Default)]
struct Conditions {
    clauses: Vec<String>,
    values: Vec<Param>,
}

impl Conditions {
    /// The placeholder of a new value.
    fn bind(&mut self, value: Param) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    fn placeholders(&mut self, values: &[String]) -> String {
        values
            .iter()
            .map(|value| self.bind(Param::from(value.clone())))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Anime carrying a tag named in `names` (a placeholder list).
fn tagged(names: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM anime_tag at JOIN tag t ON t.id = at.tag_id \
         WHERE at.anime_id = a.id AND t.name IN ({names}))"
    )
}

/// The sort expression: the column, with anime lacking a value last in either direction.
fn sort_expression(sort: AnimeSort) -> &'static str {
    match (sort.field, sort.descending) {
        (SortField::Title, _) => "a.title_normalized",
        (SortField::Year, false) => "COALESCE(a.season_year, 100000)",
        (SortField::Year, true) => "COALESCE(a.season_year, -1)",
        (SortField::Score, false) => "COALESCE(a.score, CAST(1000 AS DOUBLE PRECISION))",
        (SortField::Score, true) => "COALESCE(a.score, CAST(-1 AS DOUBLE PRECISION))",
        (SortField::Popularity, _) => "a.popularity",
        (SortField::Episodes, _) => "a.episode_count",
    }
}

/// `LIKE` pattern text with `!` escaping the pattern characters.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(character, '%' | '_' | '!') {
            escaped.push('!');
        }
        escaped.push(character);
    }
    escaped
}

fn filter_conditions(filter: &AnimeFilter, conditions: &mut Conditions) {
    let wanted = filter.get();
    if !wanted.types.is_empty() {
        let names: Vec<String> = wanted.types.iter().map(|t| t.as_str().to_owned()).collect();
        let list = conditions.placeholders(&names);
        conditions.clauses.push(format!("a.anime_type IN ({list})"));
    }
    if !wanted.statuses.is_empty() {
        let names: Vec<String> = wanted
            .statuses
            .iter()
            .map(|status| status.as_str().to_owned())
            .collect();
        let list = conditions.placeholders(&names);
        conditions.clauses.push(format!("a.status IN ({list})"));
    }
    let mut period = Vec::new();
    if let Some(year) = wanted.year_from {
        let placeholder = conditions.bind(Param::from(i64::from(year)));
        period.push(format!("a.season_year >= {placeholder}"));
    }
    if let Some(year) = wanted.year_to {
        let placeholder = conditions.bind(Param::from(i64::from(year)));
        period.push(format!("a.season_year <= {placeholder}"));
    }
    if let Some(season) = wanted.season {
        let placeholder = conditions.bind(Param::from(season.as_str().to_owned()));
        period.push(format!("a.season = {placeholder}"));
    }
    match (wanted.continuing_before, period.is_empty()) {
        (Some((year, season)), _) => {
            let continuing = continuing_condition(year, season, conditions);
            let period = if period.is_empty() {
                "1 = 0".to_owned()
            } else {
                period.join(" AND ")
            };
            conditions
                .clauses
                .push(format!("(({period}) OR {continuing})"));
        }
        (None, false) => conditions.clauses.extend(period),
        (None, true) => {}
    }
    for tag in &wanted.all_tags {
        let list = conditions.placeholders(std::slice::from_ref(tag));
        conditions.clauses.push(tagged(&list));
    }
    if !wanted.any_tags.is_empty() {
        let list = conditions.placeholders(&wanted.any_tags);
        conditions.clauses.push(tagged(&list));
    }
    let excluded: Vec<String> = filter
        .tags_to_exclude()
        .into_iter()
        .map(str::to_owned)
        .collect();
    if !excluded.is_empty() {
        let list = conditions.placeholders(&excluded);
        conditions.clauses.push(format!("NOT {}", tagged(&list)));
    }
    if let Some(studio) = &wanted.studio {
        // Studios are stored as a JSON array: a whole name is its JSON string, quotes included.
        let quoted = serde_json::to_string(&studio.to_lowercase()).unwrap_or_default();
        let placeholder = conditions.bind(Param::from(format!("%{}%", escape_like(&quoted))));
        conditions
            .clauses
            .push(format!("LOWER(a.studios) LIKE {placeholder} ESCAPE '!'"));
    }
    if let Some(episodes) = wanted.min_episodes {
        let placeholder = conditions.bind(Param::from(i64::from(episodes)));
        conditions
            .clauses
            .push(format!("a.episode_count >= {placeholder}"));
    }
    if let Some(episodes) = wanted.max_episodes {
        let placeholder = conditions.bind(Param::from(i64::from(episodes)));
        conditions
            .clauses
            .push(format!("a.episode_count <= {placeholder}"));
    }
    if let Some(score) = wanted.min_score {
        let placeholder = conditions.bind(Param::from(score));
        conditions.clauses.push(format!("a.score >= {placeholder}"));
    }
}

/// Still airing and started before `year` and `season` (an unknown season of that year is not
/// before it).
fn continuing_condition(year: u32, season: Season, conditions: &mut Conditions) -> String {
    let rank = |season: Season| {
        Season::ALL
            .iter()
            .position(|known| *known == season)
            .unwrap_or(0)
    };
    let season_rank = Season::ALL
        .iter()
        .map(|known| format!("WHEN '{}' THEN {}", known.as_str(), rank(*known)))
        .collect::<Vec<_>>()
        .join(" ");
    let ongoing = conditions.bind(Param::from(AnimeStatus::Ongoing.as_str().to_owned()));
    let year_placeholder = conditions.bind(Param::from(i64::from(year)));
    let rank_placeholder = conditions.bind(Param::from(rank(season) as i64));
    format!(
        "(a.status = {ongoing} AND (a.season_year < {year_placeholder} OR \
         (a.season_year = {year_placeholder} AND \
         (CASE a.season {season_rank} ELSE {unknown} END) < {rank_placeholder})))",
        unknown = Season::ALL.len()
    )
}

fn after_condition(sort: AnimeSort, after: &ListPosition, conditions: &mut Conditions) {
    let expression = sort_expression(sort);
    let key = match &after.key {
        SortKey::Text(text) => Param::from(text.clone()),
        SortKey::Integer(number) => Param::from(*number),
        SortKey::Float(number) => Param::from(*number),
    };
    let key = conditions.bind(key);
    let id = conditions.bind(Param::from(after.id.clone()));
    let beyond = if sort.descending { "<" } else { ">" };
    conditions.clauses.push(format!(
        "({expression} {beyond} {key} OR ({expression} = {key} AND a.id > {id}))"
    ));
}

fn sort_key(sort: AnimeSort, row: &Row) -> Result<SortKey, StoreError> {
    Ok(match sort.field {
        SortField::Title => SortKey::Text(row.try_get("sort_key")?),
        SortField::Score => SortKey::Float(row.try_get("sort_key")?),
        SortField::Year | SortField::Popularity | SortField::Episodes => {
            SortKey::Integer(row.try_get("sort_key")?)
        }
    })
}

impl SqlCatalogStore {
    /// Up to `limit` anime passing `filter` in `sort` order, starting after `after`.
    pub(super) async fn list_filtered(
        &self,
        filter: &AnimeFilter,
        sort: AnimeSort,
        after: Option<&ListPosition>,
        limit: u64,
    ) -> Result<Vec<ListedAnime>, StoreError> {
        let mut conditions = Conditions::default();
        filter_conditions(filter, &mut conditions);
        if let Some(after) = after {
            after_condition(sort, after, &mut conditions);
        }
        let limit = conditions.bind(Param::from(i64::try_from(limit).unwrap_or(i64::MAX)));
        let expression = sort_expression(sort);
        let direction = if sort.descending { "DESC" } else { "ASC" };
        let conditions_text = if conditions.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.clauses.join(" AND "))
        };
        let sql = format!(
            "SELECT {}, {expression} AS sort_key FROM anime a {conditions_text} \
             ORDER BY sort_key {direction}, a.id ASC LIMIT {limit}",
            summary_columns("a")
        );
        let rows = self
            .database
            .fetch_all(Query::new("SELECT anime", sql, conditions.values))
            .await?;
        rows.iter()
            .map(|row| {
                let summary = SummaryRow::from_row(row)?.into_summary()?;
                let position = ListPosition {
                    key: sort_key(sort, row)?,
                    id: summary.id.to_string(),
                };
                Ok(ListedAnime { summary, position })
            })
            .collect()
    }
}
