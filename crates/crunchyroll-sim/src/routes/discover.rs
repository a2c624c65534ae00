//! Browse (§4.7), seasonal tags (§4.8) and categories (§4.9).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::catalog::dates::AnimeSeason;
use crate::catalog::model::Listing;
use crate::catalog::{Category, SimCatalog};
use crate::ids::hash_str;
use crate::paging::Page;
use crate::state::SimState;
use crate::wire::Envelope;
use crate::wire::images::category_images;
use crate::wire::panel::listing_panel;

/// The discover routes.
pub(super) fn router() -> Router<SimState> {
    Router::new()
        .route("/content/v2/discover/browse", get(browse))
        .route("/content/v2/discover/seasonal_tags", get(seasonal_tags))
        .route("/content/v2/discover/categories", get(categories))
}

/// The filters of a browse request.
struct BrowseFilter {
    /// `type` is absent or `series`.
    series: bool,
    /// `type` is absent or `movie_listing`.
    movie_listings: bool,
    /// Every listed category must be present; `None` is an unknown id, which nothing has.
    categories: Vec<Option<Category>>,
    /// `Some(None)` is a malformed tag, which nothing matches.
    seasonal_tag: Option<Option<(AnimeSeason, u32)>>,
    /// Lowercased `q`.
    needle: Option<String>,
    /// `is_dubbed=true`.
    dubbed_only: bool,
}

impl BrowseFilter {
    fn from_query(query: &HashMap<String, String>) -> BrowseFilter {
        let type_filter = query.get("type").map(|kind| kind.trim());
        let non_empty = |name: &str| query.get(name).filter(|value| !value.trim().is_empty());
        BrowseFilter {
            series: matches!(type_filter, None | Some("" | "series")),
            movie_listings: matches!(type_filter, None | Some("" | "movie_listing")),
            categories: non_empty("categories")
                .map(|list| {
                    list.split(',')
                        .map(|id| Category::from_id(id.trim()))
                        .collect()
                })
                .unwrap_or_default(),
            seasonal_tag: non_empty("seasonal_tag").map(|tag| parse_seasonal_tag(tag.trim())),
            needle: non_empty("q").map(|q| q.trim().to_lowercase()),
            dubbed_only: query.get("is_dubbed").is_some_and(|value| value == "true"),
        }
    }

    fn accepts(&self, catalog: &SimCatalog, listing: Listing) -> bool {
        // Every simulated title is subtitled Japanese audio, never dubbed.
        if self.dubbed_only {
            return false;
        }
        match listing {
            Listing::Series(index) if self.series => {
                let series = &catalog.series[index as usize];
                self.matches(&series.search_title, &series.categories, |tag| {
                    series.seasons.iter().any(|&season| {
                        let season = &catalog.seasons[season as usize];
                        (season.anime_season, season.year) == tag
                    })
                })
            }
            Listing::MovieListing(index) if self.movie_listings => {
                let movie = &catalog.movie_listings[index as usize];
                self.matches(&movie.search_title, &movie.categories, |tag| {
                    (movie.anime_season, movie.year) == tag
                })
            }
            _ => false,
        }
    }

    fn matches(
        &self,
        search_title: &str,
        categories: &[Category],
        has_season: impl Fn((AnimeSeason, u32)) -> bool,
    ) -> bool {
        let categories_match = self
            .categories
            .iter()
            .all(|wanted| wanted.is_some_and(|wanted| categories.contains(&wanted)));
        let tag_matches = match self.seasonal_tag {
            None => true,
            Some(None) => false,
            Some(Some(tag)) => has_season(tag),
        };
        let text_matches = self
            .needle
            .as_ref()
            .is_none_or(|needle| search_title.contains(needle.as_str()));
        categories_match && tag_matches && text_matches
    }
}

/// `spring-2023` → (Spring, 2023).
fn parse_seasonal_tag(tag: &str) -> Option<(AnimeSeason, u32)> {
    let (name, year) = tag.split_once('-')?;
    let season = AnimeSeason::ALL
        .into_iter()
        .find(|season| season.tag_name() == name)?;
    Some((season, year.parse().ok()?))
}

async fn browse(
    _caller: Caller,
    State(state): State<SimState>,
    Query(query): Query<HashMap<String, String>>,
) -> Json<Envelope<Value>> {
    let catalog = &state.catalog;
    let page = Page::from_query(&query);
    let filter = BrowseFilter::from_query(&query);
    let order = match query.get("sort_by").map(String::as_str) {
        Some("newly_added") => &catalog.by_newest,
        Some("alphabetical") => &catalog.by_title,
        _ => &catalog.by_popularity,
    };
    let mut total = 0;
    let mut data = Vec::new();
    for &listing in order {
        if !filter.accepts(catalog, listing) {
            continue;
        }
        if page.contains(total) {
            data.push(listing_panel(catalog, listing));
        }
        total += 1;
    }
    Json(Envelope::page(total, data))
}

async fn seasonal_tags(_caller: Caller, State(state): State<SimState>) -> Json<Envelope<Value>> {
    let tags = state
        .catalog
        .seasonal_tags
        .iter()
        .map(|&(season, year)| {
            json!({
                "id": crate::catalog::dates::seasonal_tag(season, year),
                "localization": {"title": format!("{} {year}", season.display_name()), "description": ""},
            })
        })
        .collect();
    Json(Envelope::all(tags).with_meta("locale", json!("en-US")))
}

/// All categories, or with `guid=<series id>` those of one series (none for an unknown id).
async fn categories(
    _caller: Caller,
    State(state): State<SimState>,
    Query(query): Query<HashMap<String, String>>,
) -> Json<Envelope<Value>> {
    let selected: Vec<Category> = match query.get("guid") {
        Some(series_id) => state
            .catalog
            .series_index(series_id)
            .map(|index| state.catalog.series[index as usize].categories.clone())
            .unwrap_or_default(),
        None => Category::ALL.to_vec(),
    };
    let data = selected
        .into_iter()
        .map(|category| {
            let key = hash_str(category.id());
            json!({
                "id": category.id(),
                "slug": category.id(),
                "images": {
                    "low": category_images("low", key),
                    "background": category_images("background", key),
                },
                "localization": {
                    "title": category.title(),
                    "description": format!("{} anime", category.title()),
                    "locale": "en-US",
                },
            })
        })
        .collect();
    Json(Envelope::all(data))
}
