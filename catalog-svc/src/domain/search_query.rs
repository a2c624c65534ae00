//! A search query and result limit, validated and normalised once at the edge.

use super::FieldViolation;
use crate::search::normalize;

/// Shortest accepted query, in characters.
pub const MIN_QUERY_CHARS: usize = 2;
/// Longest accepted query, in characters.
pub const MAX_QUERY_CHARS: usize = 100;
/// Results when the caller does not say.
pub const DEFAULT_SEARCH_LIMIT: u32 = 20;
/// Most results a caller may ask for.
pub const MAX_SEARCH_LIMIT: u32 = 100;

/// A query of 2 to 100 characters with at least one letter or digit, kept with its normalised form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchQuery {
    normalized: String,
}

impl SearchQuery {
    /// Parses a raw query.
    pub fn parse(raw: &str, field: &str) -> Result<Self, FieldViolation> {
        let trimmed = raw.trim();
        let length = trimmed.chars().count();
        if !(MIN_QUERY_CHARS..=MAX_QUERY_CHARS).contains(&length) {
            return Err(FieldViolation::new(
                field,
                format!("must be between {MIN_QUERY_CHARS} and {MAX_QUERY_CHARS} characters"),
            ));
        }
        let normalized = normalize(trimmed);
        if normalized.is_empty() {
            return Err(FieldViolation::new(
                field,
                "must contain a letter or a digit",
            ));
        }
        Ok(SearchQuery { normalized })
    }

    /// Lowercase, accent-free, punctuation-free form, as search terms are stored.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }
}

/// How many search results to return, 1 to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchLimit(u32);

impl SearchLimit {
    /// Parses a requested limit; `None` means the default.
    pub fn parse(requested: Option<u32>, field: &str) -> Result<Self, FieldViolation> {
        match requested {
            None => Ok(SearchLimit(DEFAULT_SEARCH_LIMIT)),
            Some(limit @ 1..=MAX_SEARCH_LIMIT) => Ok(SearchLimit(limit)),
            Some(_) => Err(FieldViolation::new(
                field,
                format!("must be between 1 and {MAX_SEARCH_LIMIT}"),
            )),
        }
    }

    /// The limit.
    pub fn get(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_outside_two_to_a_hundred_characters_are_rejected() {
        assert!(SearchQuery::parse("a", "q").is_err());
        assert!(SearchQuery::parse("  a  ", "q").is_err());
        assert!(SearchQuery::parse(&"x".repeat(101), "q").is_err());
        assert!(SearchQuery::parse("!!", "q").is_err());
        assert_eq!(
            SearchQuery::parse(" Café ", "q")
                .expect("valid")
                .normalized(),
            "cafe"
        );
    }

    #[test]
    fn limits_outside_one_to_a_hundred_are_rejected() {
        assert!(SearchLimit::parse(Some(0), "limit").is_err());
        assert!(SearchLimit::parse(Some(101), "limit").is_err());
        assert_eq!(
            SearchLimit::parse(None, "limit").expect("default").get(),
            20
        );
    }
}
