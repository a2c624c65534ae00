//! The JSON Crunchyroll answers with (§4 of the reference): the `{total, data, meta}` envelope,
//! flat series/season/episode/movie objects and the panels search, browse and objects return.

mod common;
pub(crate) mod episode;
pub(crate) mod images;
pub(crate) mod movie;
pub(crate) mod panel;
pub(crate) mod season;
pub(crate) mod series;

use serde::Serialize;
use serde_json::{Map, Value};

/// The content/v2 envelope: `total` is the full match count, `meta` is usually empty.
#[derive(Debug, Serialize)]
pub(crate) struct Envelope<T> {
    pub(crate) total: usize,
    pub(crate) data: Vec<T>,
    pub(crate) meta: Map<String, Value>,
}

impl<T> Envelope<T> {
    /// An envelope whose total is the number of items.
    pub(crate) fn all(data: Vec<T>) -> Self {
        Envelope {
            total: data.len(),
            data,
            meta: Map::new(),
        }
    }

    /// One page of a larger result.
    pub(crate) fn page(total: usize, data: Vec<T>) -> Self {
        Envelope {
            total,
            data,
            meta: Map::new(),
        }
    }

    /// Adds a `meta` entry.
    pub(crate) fn with_meta(mut self, key: &str, value: Value) -> Self {
        self.meta.insert(key.to_owned(), value);
        self
    }
}
