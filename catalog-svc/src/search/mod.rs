//! Search: text normalisation shared by indexing and querying, and the ranking of candidates.
//!
//! Storage backends find candidates cheaply with their own indexes (FTS5 on SQLite, pg_trgm and
//! tsvector on PostgreSQL), in two stages: direct candidates (every query word present, the last
//! one possibly unfinished, or the whole term starting with the query), then, only when those do
//! not fill the page, fuzzy candidates for misspellings. Ranking happens here, identically for
//! both backends, so results never depend on the backend.

mod normalize;
mod rank;

pub use normalize::{normalize, trigrams};
pub use rank::{MatchKind, RankedHit, SearchCandidate, TermKind, close_words, rank_candidates};
