//! The order of a catalog list: [`AnimeSort`], one field ascending or descending, ties broken by
//! id so every position in the list is unique (which keyset cursors need).

/// What a list can be ordered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortField {
    /// Main title, case- and accent-insensitively.
    Title,
    /// Start year; anime without one come last.
    Year,
    /// Score; anime without one come last.
    Score,
    /// How many sources list the title.
    Popularity,
    /// Number of episodes.
    Episodes,
}

impl SortField {
    /// Every field, with its name in requests.
    pub const NAMES: &'static [(&'static str, SortField)] = &[
        ("title", SortField::Title),
        ("year", SortField::Year),
        ("score", SortField::Score),
        ("popularity", SortField::Popularity),
        ("episodes", SortField::Episodes),
    ];

    /// The name in requests.
    pub fn as_str(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, field)| *field == self)
            .map_or("title", |(name, _)| name)
    }
}

/// A list order: one field, ascending or descending, ties broken by ascending id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnimeSort {
    /// The field.
    pub field: SortField,
    /// Largest first.
    pub descending: bool,
}

impl Default for AnimeSort {
    fn default() -> Self {
        AnimeSort {
            field: SortField::Title,
            descending: false,
        }
    }
}

impl AnimeSort {
    /// `title`, `-score`, ...: a field name, `-` in front for descending.
    pub fn canonical(self) -> String {
        let sign = if self.descending { "-" } else { "" };
        format!("{sign}{}", self.field.as_str())
    }
}
