//! Search: text normalisation shared by indexing and querying, the tantivy index of titles and
//! synonyms that finds candidates, and the ranking of candidates.
//!
//! One implementation serves both storage backends: the index is built from the database and
//! follows it (`index.rs`). A query runs in two stages: direct candidates (every query word
//! present, written together or apart as the title writes them, the last one possibly
//! unfinished, or the whole term starting with the query), then, only when those do not fill
//! the page, fuzzy candidates within each word's typo budget (`query.rs`). Ranking happens in
//! `rank.rs`: exact title > title prefix > synonym > fuzzy, then by similarity.

mod filter;
mod index;
mod normalize;
mod query;
mod rank;
mod schema;
mod similar;

pub use index::{SearchIndex, SearchIndexError};
pub use normalize::{normalize, trigrams};
pub use query::Stage;
pub use rank::{MatchKind, RankedHit, SearchCandidate, TermKind, rank_candidates};
