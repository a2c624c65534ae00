//! `GET /content/v2/discover/search` (§4.2): one group per requested type, `total` counting
//! groups, each group's `count` counting all of its hits and `items` holding one page of them.
//! Matching is a case-insensitive substring test on titles.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::Value;

use crate::auth::Caller;
use crate::catalog::SimCatalog;
use crate::catalog::model::{Listing, ObjectRef};
use crate::paging::Page;
use crate::state::SimState;
use crate::wire::Envelope;
use crate::wire::panel::{listing_panel, object_panel, with_score};

/// Types searched when the request names none.
const DEFAULT_TYPES: [&str; 4] = ["top_results", "series", "movie_listing", "episode"];

/// The search route.
pub(super) fn router() -> Router<SimState> {
    Router::new().route("/content/v2/discover/search", get(search))
}

/// One result group.
#[derive(Debug, Serialize)]
struct SearchGroup {
    #[serde(rename = "type")]
    kind: String,
    count: usize,
    items: Vec<Value>,
}

async fn search(
    caller: Caller,
    State(state): State<SimState>,
    Query(query): Query<HashMap<String, String>>,
) -> Json<Envelope<SearchGroup>> {
    let needle = query
        .get("q")
        .map_or(String::new(), |q| q.trim().to_lowercase());
    let page = Page::from_query(&query);
    let requested: Vec<String> = match query.get("type").filter(|types| !types.trim().is_empty()) {
        Some(types) => types
            .split(',')
            .map(|kind| kind.trim().to_owned())
            .filter(|kind| !kind.is_empty())
            .collect(),
        None => DEFAULT_TYPES.map(str::to_owned).to_vec(),
    };
    let catalog = &state.catalog;
    let groups = requested
        .into_iter()
        .map(|kind| match kind.as_str() {
            "top_results" => listing_group(catalog, kind, &needle, page, Some(true)),
            "series" => listing_group(catalog, kind, &needle, page, Some(false)),
            "movie_listing" => listing_group(catalog, kind, &needle, page, None),
            "episode" => episode_group(catalog, &needle, page, caller.premium),
            // Music is not simulated; its group answers under the name clients look for.
            "music" => empty_group("musicVideo".to_owned()),
            _ => empty_group(kind),
        })
        .collect();
    Json(Envelope::all(groups))
}

fn empty_group(kind: String) -> SearchGroup {
    SearchGroup {
        kind,
        count: 0,
        items: Vec::new(),
    }
}

/// Relevance of a title: exact match, then prefix, then any substring.
fn score(title: &str, needle: &str) -> f64 {
    if title == needle {
        1.0
    } else if title.starts_with(needle) {
        0.8
    } else {
        0.5
    }
}

/// Series and/or movie listings whose title contains `needle`, best matches first.
/// `with_series`: `Some(true)` both kinds, `Some(false)` series only, `None` movies only.
fn listing_group(
    catalog: &SimCatalog,
    kind: String,
    needle: &str,
    page: Page,
    with_series: Option<bool>,
) -> SearchGroup {
    let mut hits: Vec<(f64, Listing)> = catalog
        .by_popularity
        .iter()
        .filter(|listing| match listing {
            Listing::Series(_) => with_series.is_some(),
            Listing::MovieListing(_) => with_series != Some(false),
        })
        .filter_map(|&listing| {
            let title = match listing {
                Listing::Series(index) => &catalog.series[index as usize].search_title,
                Listing::MovieListing(index) => {
                    &catalog.movie_listings[index as usize].search_title
                }
            };
            title
                .contains(needle)
                .then(|| (score(title, needle), listing))
        })
        .collect();
    hits.sort_by(|a, b| b.0.total_cmp(&a.0));
    let items = hits
        .iter()
        .skip(page.start)
        .take(page.size)
        .map(|&(score, listing)| with_score(listing_panel(catalog, listing), score))
        .collect();
    SearchGroup {
        kind,
        count: hits.len(),
        items,
    }
}

/// Episodes whose title contains `needle`, in catalog order. Titles are derived on the fly.
fn episode_group(catalog: &SimCatalog, needle: &str, page: Page, premium: bool) -> SearchGroup {
    let mut count = 0;
    let mut items = Vec::new();
    for (season_index, season) in (0u32..).zip(&catalog.seasons) {
        for (position, &id_value) in (0u32..).zip(&season.episode_ids) {
            let title = crate::catalog::episode_title(id_value).to_lowercase();
            if !title.contains(needle) {
                continue;
            }
            if page.contains(count) {
                let episode = ObjectRef::Episode {
                    season: season_index,
                    position,
                };
                items.push(with_score(
                    object_panel(catalog, episode, premium),
                    score(&title, needle),
                ));
            }
            count += 1;
        }
    }
    SearchGroup {
        kind: "episode".to_owned(),
        count,
        items,
    }
}
