//! One page of a search: the query, its filter, the page length and where the page starts.
//!
//! Search pages by rank, not by a sort key, so its cursor holds the rank the next page starts
//! at, sealed (as list cursors are) for this query, filter and page length: a page asked for
//! after the catalog changed starts at the same rank of the new ranking.

use super::{
    AnimeFilter, CursorKey, FieldViolation, ListPosition, SearchLimit, SearchQuery, SortKey,
};

/// A search page request, parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchPage {
    /// What to search for.
    pub query: SearchQuery,
    /// Which anime may be hits.
    pub filter: AnimeFilter,
    /// Hits per page.
    pub limit: SearchLimit,
    /// Rank (0-based) of the page's first hit.
    pub offset: u32,
    /// The raw cursor the offset came from (empty for the first page), for cache keys.
    pub cursor: String,
}

impl SearchPage {
    /// A page request; a non-empty `cursor` must be one `key` sealed for this query, filter and
    /// limit (`cursor_field` names the request field when it is not).
    pub fn parse(
        query: SearchQuery,
        filter: AnimeFilter,
        limit: SearchLimit,
        cursor: &str,
        cursor_field: &str,
        key: &CursorKey,
    ) -> Result<Self, FieldViolation> {
        let mut page = SearchPage {
            query,
            filter,
            limit,
            offset: 0,
            cursor: String::new(),
        };
        if !cursor.is_empty() {
            let position = key.open(&page.scope(), cursor, cursor_field)?;
            let SortKey::Integer(offset) = position.key else {
                return Err(FieldViolation::new(
                    cursor_field,
                    "is not a cursor this API issued for this search",
                ));
            };
            page.offset = u32::try_from(offset).map_err(|_| {
                FieldViolation::new(
                    cursor_field,
                    "is not a cursor this API issued for this search",
                )
            })?;
            page.cursor = cursor.to_owned();
        }
        Ok(page)
    }

    /// What a cursor is bound to: the normalised query, the limit and the filter.
    pub fn scope(&self) -> String {
        format!(
            "search?q={}&limit={}&{}",
            self.query.normalized(),
            self.limit.get(),
            self.filter.canonical()
        )
    }

    /// The cursor of the page after this one, whose last hit is `last_anime_id`.
    pub fn next_cursor(&self, key: &CursorKey, last_anime_id: &str) -> String {
        let position = ListPosition {
            key: SortKey::Integer(i64::from(self.offset) + i64::from(self.limit.get())),
            id: last_anime_id.to_owned(),
        };
        key.seal(&self.scope(), &position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::RawAnimeFilter;

    fn page(query: &str, cursor: &str, key: &CursorKey) -> Result<SearchPage, FieldViolation> {
        SearchPage::parse(
            SearchQuery::parse(query, "query").expect("query"),
            AnimeFilter::parse(RawAnimeFilter::default(), "").expect("filter"),
            SearchLimit::parse(Some(5), "limit").expect("limit"),
            cursor,
            "cursor",
            key,
        )
    }

    #[test]
    fn a_cursor_resumes_its_own_search_only() {
        let key = CursorKey::generate().expect("key");
        let first = page("naruto", "", &key).expect("first page");
        let cursor = first.next_cursor(&key, "some-id");

        let second = page("naruto", &cursor, &key).expect("second page");
        let other_query = page("bleach", &cursor, &key);
        let tampered = page("naruto", &cursor.replace('.', "x."), &key);

        assert_eq!(second.offset, 5);
        assert!(other_query.is_err());
        assert!(tampered.is_err());
    }
}
