//! Paging parameters: a bounded page size and an opaque page token.
//!
//! The token encodes a position in the result order. It is opaque to clients (base64url), so a
//! keyset cursor can replace it later without changing the API.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::FieldViolation;

/// Default number of items per page.
pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: u32 = 100;
const TOKEN_PREFIX: &str = "o:";

/// A page size between 1 and [`MAX_PAGE_SIZE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageSize(u32);

impl PageSize {
    /// Parses a requested page size; `None` means the default.
    pub fn parse(requested: Option<u32>, field: &str) -> Result<Self, FieldViolation> {
        match requested {
            None => Ok(PageSize(DEFAULT_PAGE_SIZE)),
            Some(size @ 1..=MAX_PAGE_SIZE) => Ok(PageSize(size)),
            Some(_) => Err(FieldViolation::new(
                field,
                format!("must be between 1 and {MAX_PAGE_SIZE}"),
            )),
        }
    }

    /// The size.
    pub fn get(self) -> u32 {
        self.0
    }
}

/// Where a page starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageToken {
    offset: u64,
}

impl PageToken {
    /// Parses a token returned by an earlier page; empty means the first page.
    pub fn parse(raw: &str, field: &str) -> Result<Self, FieldViolation> {
        if raw.is_empty() {
            return Ok(PageToken::default());
        }
        let invalid = || FieldViolation::new(field, "is not a token returned by this API");
        let decoded = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
        let text = String::from_utf8(decoded).map_err(|_| invalid())?;
        let offset = text
            .strip_prefix(TOKEN_PREFIX)
            .and_then(|digits| digits.parse::<u64>().ok())
            .ok_or_else(invalid)?;
        Ok(PageToken { offset })
    }

    /// Number of items before this page.
    pub fn offset(self) -> u64 {
        self.offset
    }

    fn encode(self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{TOKEN_PREFIX}{}", self.offset))
    }
}

/// One page of results and the token of the next page (empty on the last page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paged<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// Where the next page starts; empty when this is the last one.
    pub next_page_token: String,
}

/// One page request: where it starts and how long it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// Where the page starts.
    pub token: PageToken,
    /// How many items it holds at most.
    pub size: PageSize,
}

impl Page {
    /// Parses both paging fields, collecting every violation.
    pub fn parse(
        page_size: Option<u32>,
        page_token: &str,
        violations: &mut Vec<FieldViolation>,
    ) -> Option<Self> {
        let size =
            PageSize::parse(page_size, "page_size").map_err(|violation| violations.push(violation));
        let token = PageToken::parse(page_token, "page_token")
            .map_err(|violation| violations.push(violation));
        Some(Page {
            token: token.ok()?,
            size: size.ok()?,
        })
    }

    /// Rows to fetch: one more than the page, to learn whether another page follows.
    pub fn fetch_limit(self) -> u64 {
        u64::from(self.size.get()) + 1
    }

    /// The page of `rows` fetched with [`Page::fetch_limit`]: the extra row trimmed, and the
    /// next page's token.
    pub fn paged<T>(self, mut rows: Vec<T>) -> Paged<T> {
        let next_page_token = self.finish(&mut rows);
        Paged {
            items: rows,
            next_page_token,
        }
    }

    /// Trims the extra row fetched by [`Page::fetch_limit`] and returns the next page's token, or
    /// an empty string on the last page.
    pub fn finish<T>(self, rows: &mut Vec<T>) -> String {
        let page_size = self.size.get() as usize;
        if rows.len() <= page_size {
            return String::new();
        }
        rows.truncate(page_size);
        PageToken {
            offset: self.token.offset + page_size as u64,
        }
        .encode()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_page_yields_a_token_to_the_next_one() {
        let first = Page {
            token: PageToken::default(),
            size: PageSize::parse(Some(2), "page_size").expect("valid"),
        };
        let mut rows = vec![1, 2, 3];
        let next = first.finish(&mut rows);
        assert_eq!(rows, vec![1, 2]);
        assert_eq!(
            PageToken::parse(&next, "page_token")
                .expect("valid")
                .offset(),
            2
        );
        let mut last_rows = vec![1];
        assert_eq!(first.finish(&mut last_rows), "");
    }

    #[test]
    fn sizes_outside_the_range_and_foreign_tokens_are_rejected() {
        assert!(PageSize::parse(Some(101), "page_size").is_err());
        assert!(PageSize::parse(Some(0), "page_size").is_err());
        assert_eq!(
            PageSize::parse(None, "page_size").expect("default").get(),
            DEFAULT_PAGE_SIZE
        );
        assert!(PageToken::parse("not base64!", "page_token").is_err());
        assert!(PageToken::parse(&URL_SAFE_NO_PAD.encode("x:1"), "page_token").is_err());
    }
}
