//! The index's schema: one document per title or synonym, and how a stored term becomes one.
//!
//! Terms are normalised before they reach the index (`normalize`), so the only tokenizer needed
//! splits on spaces. Filter and sort fields (type, status, year, season, tags, episodes, score)
//! belong on these same documents (numbers as indexed fast fields, names as whole-value terms),
//! each term's document carrying its anime's values, so a filter narrows the candidates inside
//! the index instead of after it.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, TantivyDocument};

use super::rank::SearchCandidate;
use crate::store::IndexFacets;

/// The tokenizer of the word fields: normalised text is already lowercase words and spaces.
const WORD_TOKENIZER: &str = "kensho_words";

/// The fields of a term's document.
#[derive(Clone, Copy, Debug)]
pub(super) struct TermFields {
    /// The anime (stored; indexed whole so an anime's documents can be replaced).
    pub anime_id: Field,
    /// Title or synonym (stored).
    pub kind: Field,
    /// The term as written (stored).
    pub original: Field,
    /// The normalised term (stored), indexed by word.
    pub words: Field,
    /// The normalised term indexed whole: exact and whole-term prefix matches.
    pub whole: Field,
    /// Every two neighbouring words written together (`full metal panic` → `fullmetal
    /// metalpanic`), so a query joining words the title splits still finds it.
    pub joined: Field,
    /// The anime's filter values: type, status and season names, start year, episodes, score
    /// value, tag and lowercase studio names (several values each for tags and studios).
    pub anime_type: Field,
    pub status: Field,
    pub season: Field,
    pub year: Field,
    pub episodes: Field,
    pub score: Field,
    pub tags: Field,
    pub studios: Field,
}

impl TermFields {
    /// The schema and its fields.
    pub fn schema() -> (Schema, TermFields) {
        let mut builder = Schema::builder();
        let word_indexing = TextFieldIndexing::default()
            .set_tokenizer(WORD_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs);
        let words_options = TextOptions::default()
            .set_indexing_options(word_indexing.clone())
            .set_stored();
        let joined_options = TextOptions::default().set_indexing_options(word_indexing);
        let fields = TermFields {
            anime_id: builder.add_text_field("anime_id", STRING | STORED),
            kind: builder.add_text_field("kind", STORED),
            original: builder.add_text_field("original", STORED),
            words: builder.add_text_field("words", words_options),
            whole: builder.add_text_field("whole", STRING),
            joined: builder.add_text_field("joined", joined_options),
            anime_type: builder.add_text_field("anime_type", STRING),
            status: builder.add_text_field("status", STRING),
            season: builder.add_text_field("season", STRING),
            year: builder.add_u64_field("year", INDEXED | FAST),
            episodes: builder.add_u64_field("episodes", INDEXED | FAST),
            score: builder.add_f64_field("score", INDEXED | FAST),
            tags: builder.add_text_field("tags", STRING),
            studios: builder.add_text_field("studios", STRING),
        };
        (builder.build(), fields)
    }

    /// Registers the tokenizer the word fields name on a new or opened index.
    pub fn register_tokenizer(index: &Index) {
        index.tokenizers().register(
            WORD_TOKENIZER,
            TextAnalyzer::from(WhitespaceTokenizer::default()),
        );
    }

    /// The document of one stored term, with its anime's filter values when known.
    pub fn document(
        &self,
        candidate: &SearchCandidate,
        facets: Option<&IndexFacets>,
    ) -> TantivyDocument {
        let mut document = TantivyDocument::default();
        document.add_text(self.anime_id, &candidate.anime_id);
        document.add_text(self.kind, candidate.kind.as_str());
        document.add_text(self.original, &candidate.original);
        document.add_text(self.words, &candidate.term);
        document.add_text(self.whole, &candidate.term);
        let joined = joined_neighbours(&candidate.term);
        if !joined.is_empty() {
            document.add_text(self.joined, &joined);
        }
        if let Some(facets) = facets {
            self.add_facets(&mut document, facets);
        }
        document
    }

    fn add_facets(&self, document: &mut TantivyDocument, facets: &IndexFacets) {
        let summary = &facets.summary;
        document.add_text(self.anime_type, summary.anime_type.as_str());
        document.add_text(self.status, summary.status.as_str());
        if let Some(season) = summary.season {
            document.add_text(self.season, season.as_str());
        }
        if let Some(year) = summary.year {
            document.add_u64(self.year, u64::from(year));
        }
        document.add_u64(self.episodes, u64::from(summary.episode_count));
        if let Some(score) = summary.score.and_then(|score| score.ranking_value()) {
            document.add_f64(self.score, score);
        }
        for tag in &facets.tags {
            document.add_text(self.tags, tag);
        }
        for studio in &facets.studios {
            document.add_text(self.studios, studio);
        }
    }
}

/// Each pair of neighbouring words written as one, space separated.
pub(super) fn joined_neighbours(term: &str) -> String {
    let words: Vec<&str> = term.split(' ').collect();
    words
        .windows(2)
        .map(|pair| format!("{}{}", pair[0], pair[1]))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbouring_words_are_joined_in_pairs() {
        assert_eq!(
            joined_neighbours("full metal panic"),
            "fullmetal metalpanic"
        );
        assert_eq!(joined_neighbours("naruto"), "");
    }
}
