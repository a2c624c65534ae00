//! One page request of a filtered, sorted list: the filters, the order, where the page starts
//! (a cursor already opened) and how long it is.

use super::{AnimeFilter, AnimeSort, CursorKey, FieldViolation, ListPosition, PageSize};

/// A page of a catalog list, parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct ListQuery {
    /// Which anime.
    pub filter: AnimeFilter,
    /// In which order.
    pub sort: AnimeSort,
    /// The position the page starts after; `None` for the first page.
    pub after: Option<ListPosition>,
    /// The raw cursor `after` came from (empty for the first page), for cache keys.
    pub cursor: String,
    /// How many anime at most.
    pub size: PageSize,
}

impl ListQuery {
    /// A page request; a non-empty `cursor` must be one `key` sealed for this list, sort and
    /// filter (`cursor_field` names the request field when it is not).
    pub fn parse(
        list: &str,
        filter: AnimeFilter,
        sort: AnimeSort,
        cursor: &str,
        cursor_field: &str,
        size: PageSize,
        key: &CursorKey,
    ) -> Result<Self, FieldViolation> {
        let mut query = ListQuery {
            filter,
            sort,
            after: None,
            cursor: String::new(),
            size,
        };
        if !cursor.is_empty() {
            query.after = Some(key.open(&query.scope(list), cursor, cursor_field)?);
            query.cursor = cursor.to_owned();
        }
        Ok(query)
    }

    /// What a cursor is bound to: the list's name, its order and its filters.
    pub fn scope(&self, list: &str) -> String {
        format!(
            "{list}?sort={}&{}",
            self.sort.canonical(),
            self.filter.canonical()
        )
    }

    /// Rows to fetch: one more than the page, to learn whether another page follows.
    pub fn fetch_limit(&self) -> u64 {
        u64::from(self.size.get()) + 1
    }
}
