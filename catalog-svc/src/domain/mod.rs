//! The catalog's domain: identifiers, enumerations and request parameters, parsed at the edge so
//! inner code never re-checks them.

mod anime_filter;
mod anime_id;
mod anime_sort;
mod kinds;
mod list_cursor;
mod list_query;
mod paging;
mod search_page;
mod search_query;
mod season_year;
mod source_ref;

pub use anime_filter::{AnimeFilter, RawAnimeFilter};
pub use anime_id::{AnimeId, AnimeIdBatch, BatchKey};
pub use anime_sort::{AnimeSort, SortField};
pub use kensho_kit::service_error::FieldViolation;
pub use kinds::{AnimeStatus, AnimeType, RelationKind, Season, TagCategory};
pub use list_cursor::{CursorKey, ListPosition, SortKey};
pub use list_query::ListQuery;
pub use paging::{Page, PageSize, Paged};
pub use search_page::SearchPage;
pub use search_query::{SearchLimit, SearchQuery};
pub use season_year::SeasonYear;
pub use source_ref::SourceRef;

pub use crate::search::MatchKind;
