//! Search: text normalisation shared by indexing and querying, and the ranking of candidates.
//!
//! Storage backends find candidates cheaply with their own indexes (FTS5 trigrams on SQLite,
//! pg_trgm and tsvector on PostgreSQL); ranking happens here, identically for both, so results
//! never depend on the backend.

mod normalize;
mod rank;

pub use normalize::{normalize, trigrams};
pub use rank::{MatchKind, RankedHit, SearchCandidate, TermKind, rank_candidates};
