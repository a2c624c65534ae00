//! A list filter as index clauses over the facet fields, so filtered search narrows the
//! candidates inside the index: the top candidates the index proposes already pass the filter.
//!
//! Filter clauses score nothing (constant 0), so the text query alone orders the candidates.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{ConstScoreQuery, Occur, Query, RangeQuery, TermQuery, TermSetQuery};
use tantivy::schema::{Field, IndexRecordOption};

use super::schema::TermFields;
use crate::domain::AnimeFilter;

/// The clauses a document must pass (`Must`) or fail (`MustNot`) to keep to `filter`; empty for
/// a filter that keeps all.
pub(super) fn clauses(fields: &TermFields, filter: &AnimeFilter) -> Vec<(Occur, Box<dyn Query>)> {
    let wanted = filter.get();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut must = |query: Box<dyn Query>| {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0))));
    };
    if !wanted.types.is_empty() {
        must(any_of(
            fields.anime_type,
            wanted.types.iter().map(|kind| kind.as_str()),
        ));
    }
    if !wanted.statuses.is_empty() {
        must(any_of(
            fields.status,
            wanted.statuses.iter().map(|status| status.as_str()),
        ));
    }
    if wanted.year_from.is_some() || wanted.year_to.is_some() {
        must(u64_range(
            fields.year,
            wanted.year_from.map(u64::from),
            wanted.year_to.map(u64::from),
        ));
    }
    if let Some(season) = wanted.season {
        must(one_of(fields.season, season.as_str()));
    }
    for tag in &wanted.all_tags {
        must(one_of(fields.tags, tag));
    }
    if !wanted.any_tags.is_empty() {
        must(any_of(
            fields.tags,
            wanted.any_tags.iter().map(String::as_str),
        ));
    }
    if let Some(studio) = &wanted.studio {
        must(one_of(fields.studios, &studio.to_lowercase()));
    }
    if wanted.min_episodes.is_some() || wanted.max_episodes.is_some() {
        must(u64_range(
            fields.episodes,
            wanted.min_episodes.map(u64::from),
            wanted.max_episodes.map(u64::from),
        ));
    }
    if let Some(score) = wanted.min_score {
        must(Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_f64(fields.score, score)),
            Bound::Unbounded,
        )));
    }
    let excluded = filter.tags_to_exclude();
    if !excluded.is_empty() {
        clauses.push((Occur::MustNot, any_of(fields.tags, excluded.into_iter())));
    }
    clauses
}

fn one_of(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn any_of<'a>(field: Field, values: impl Iterator<Item = &'a str>) -> Box<dyn Query> {
    Box::new(TermSetQuery::new(
        values.map(|value| Term::from_field_text(field, value)),
    ))
}

/// Values between `from` and `to` (both included); an absent end is open.
fn u64_range(field: Field, from: Option<u64>, to: Option<u64>) -> Box<dyn Query> {
    let bound = |value: Option<u64>| {
        value.map_or(Bound::Unbounded, |value| {
            Bound::Included(Term::from_field_u64(field, value))
        })
    };
    Box::new(RangeQuery::new(bound(from), bound(to)))
}
