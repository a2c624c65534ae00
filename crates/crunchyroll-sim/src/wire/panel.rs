//! Panels (§4.10): the item shape of search, browse and objects. A panel keeps the identity and
//! presentation keys at the top level and nests everything else under `<type>_metadata`.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::episode::EpisodeObject;
use super::movie::{MovieListingObject, MovieObject};
use super::season::SeasonObject;
use super::series::SeriesObject;
use crate::catalog::SimCatalog;
use crate::catalog::model::{Listing, ObjectRef};

/// Keys that stay at the top level of a panel.
const TOP_LEVEL_KEYS: [&str; 9] = [
    "id",
    "channel_id",
    "slug",
    "title",
    "slug_title",
    "description",
    "images",
    "external_id",
    "linked_resource_key",
];

/// Wraps a flat object into a panel of `type_name`.
pub(crate) fn panel(type_name: &str, flat: impl Serialize) -> Value {
    let Ok(Value::Object(mut fields)) = serde_json::to_value(flat) else {
        return Value::Null;
    };
    let mut top = Map::new();
    for key in TOP_LEVEL_KEYS {
        if let Some(value) = fields.remove(key) {
            top.insert(key.to_owned(), value);
        }
    }
    top.insert("type".to_owned(), json!(type_name));
    top.insert("promo_title".to_owned(), json!(""));
    top.insert("promo_description".to_owned(), json!(""));
    top.insert("new".to_owned(), json!(false));
    top.insert(format!("{type_name}_metadata"), Value::Object(fields));
    Value::Object(top)
}

/// Adds `search_metadata` to a panel.
pub(crate) fn with_score(mut panel: Value, score: f64) -> Value {
    if let Value::Object(fields) = &mut panel {
        fields.insert("search_metadata".to_owned(), json!({ "score": score }));
    }
    panel
}

/// The panel of any catalog object; `premium_caller` as for episodes.
pub(crate) fn object_panel(catalog: &SimCatalog, object: ObjectRef, premium_caller: bool) -> Value {
    match object {
        ObjectRef::Series(index) => panel(
            "series",
            SeriesObject::new(catalog, &catalog.series[index as usize]),
        ),
        ObjectRef::Season(index) => panel(
            "season",
            SeasonObject::new(catalog, &catalog.seasons[index as usize]),
        ),
        ObjectRef::Episode { season, position } => catalog
            .episode_view(season, position)
            .map_or(Value::Null, |episode| {
                panel("episode", EpisodeObject::new(&episode, premium_caller))
            }),
        ObjectRef::MovieListing(index) => panel(
            "movie_listing",
            MovieListingObject::new(&catalog.movie_listings[index as usize]),
        ),
        ObjectRef::Movie(index) => panel(
            "movie",
            MovieObject::new(&catalog.movie_listings[index as usize]),
        ),
    }
}

/// The panel of a browse or search listing.
pub(crate) fn listing_panel(catalog: &SimCatalog, listing: Listing) -> Value {
    match listing {
        Listing::Series(index) => object_panel(catalog, ObjectRef::Series(index), true),
        Listing::MovieListing(index) => object_panel(catalog, ObjectRef::MovieListing(index), true),
    }
}
