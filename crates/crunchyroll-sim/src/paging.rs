//! `start`/`n` paging of content/v2 lists (RS sends `limit` instead of `n`; both work).

use std::collections::HashMap;

/// Page size when the request names none.
const DEFAULT_PAGE_SIZE: usize = 20;
/// Largest page served.
pub(crate) const MAX_PAGE_SIZE: usize = 100;

/// A 0-based offset and a page size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Page {
    pub(crate) start: usize,
    pub(crate) size: usize,
}

impl Page {
    /// The page a query asks for; missing or malformed values take their defaults.
    pub(crate) fn from_query(query: &HashMap<String, String>) -> Page {
        let number = |name: &str| query.get(name).and_then(|value| value.trim().parse().ok());
        Page {
            start: number("start").unwrap_or(0),
            size: number("n")
                .or_else(|| number("limit"))
                .unwrap_or(DEFAULT_PAGE_SIZE)
                .min(MAX_PAGE_SIZE),
        }
    }

    /// Whether the item at `index` of the full result is on this page.
    pub(crate) fn contains(&self, index: usize) -> bool {
        index >= self.start && index - self.start < self.size
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn limit_is_an_alias_of_n_and_sizes_are_capped() {
        assert_eq!(Page::from_query(&query(&[("limit", "5")])).size, 5);
        assert_eq!(
            Page::from_query(&query(&[("n", "7"), ("limit", "5")])).size,
            7
        );
        assert_eq!(
            Page::from_query(&query(&[("n", "100000")])).size,
            MAX_PAGE_SIZE
        );
        assert_eq!(
            Page::from_query(&query(&[("start", "x")])),
            Page { start: 0, size: 20 }
        );
    }

    #[test]
    fn contains_covers_exactly_the_page() {
        let page = Page { start: 10, size: 5 };
        assert!(!page.contains(9));
        assert!(page.contains(10) && page.contains(14));
        assert!(!page.contains(15));
    }
}
