//! Crunchyroll's top-level categories and how sample-catalog tags map onto them.

/// A top-level Crunchyroll category (`/content/v2/discover/categories`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// `action`
    Action,
    /// `adventure`
    Adventure,
    /// `comedy`
    Comedy,
    /// `drama`
    Drama,
    /// `fantasy`
    Fantasy,
    /// `music`
    Music,
    /// `romance`
    Romance,
    /// `sci-fi`
    SciFi,
    /// `seinen`
    Seinen,
    /// `shojo`
    Shojo,
    /// `shonen`
    Shonen,
    /// `slice-of-life`
    SliceOfLife,
    /// `sports`
    Sports,
    /// `supernatural`
    Supernatural,
    /// `thriller`
    Thriller,
}

impl Category {
    /// Every category, in Crunchyroll's alphabetical order.
    pub const ALL: [Category; 15] = [
        Category::Action,
        Category::Adventure,
        Category::Comedy,
        Category::Drama,
        Category::Fantasy,
        Category::Music,
        Category::Romance,
        Category::SciFi,
        Category::Seinen,
        Category::Shojo,
        Category::Shonen,
        Category::SliceOfLife,
        Category::Sports,
        Category::Supernatural,
        Category::Thriller,
    ];

    /// The category id used in URLs and filters, e.g. `slice-of-life`.
    pub fn id(self) -> &'static str {
        match self {
            Category::Action => "action",
            Category::Adventure => "adventure",
            Category::Comedy => "comedy",
            Category::Drama => "drama",
            Category::Fantasy => "fantasy",
            Category::Music => "music",
            Category::Romance => "romance",
            Category::SciFi => "sci-fi",
            Category::Seinen => "seinen",
            Category::Shojo => "shojo",
            Category::Shonen => "shonen",
            Category::SliceOfLife => "slice-of-life",
            Category::Sports => "sports",
            Category::Supernatural => "supernatural",
            Category::Thriller => "thriller",
        }
    }

    /// The display title, e.g. `Slice of life`.
    pub fn title(self) -> &'static str {
        match self {
            Category::Action => "Action",
            Category::Adventure => "Adventure",
            Category::Comedy => "Comedy",
            Category::Drama => "Drama",
            Category::Fantasy => "Fantasy",
            Category::Music => "Music",
            Category::Romance => "Romance",
            Category::SciFi => "Sci-Fi",
            Category::Seinen => "Seinen",
            Category::Shojo => "Shojo",
            Category::Shonen => "Shonen",
            Category::SliceOfLife => "Slice of life",
            Category::Sports => "Sports",
            Category::Supernatural => "Supernatural",
            Category::Thriller => "Thriller",
        }
    }

    /// The category with this id.
    pub fn from_id(id: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|category| category.id() == id)
    }

    /// The category a sample-catalog tag belongs to, if any.
    pub(crate) fn from_tag(tag: &str) -> Option<Category> {
        let category = match tag.to_lowercase().as_str() {
            "action" | "martial arts" | "super power" => Category::Action,
            "adventure" | "exploration" => Category::Adventure,
            "comedy" | "parody" | "gag humor" => Category::Comedy,
            "drama" => Category::Drama,
            "fantasy" | "magic" | "isekai" => Category::Fantasy,
            "music" | "idols" => Category::Music,
            "romance" => Category::Romance,
            "sci-fi" | "mecha" | "space" | "cyberpunk" => Category::SciFi,
            "seinen" => Category::Seinen,
            "shoujo" | "shojo" => Category::Shojo,
            "shounen" | "shonen" => Category::Shonen,
            "slice of life" | "iyashikei" | "cgdct" => Category::SliceOfLife,
            "sports" | "team sports" => Category::Sports,
            "supernatural" | "demons" => Category::Supernatural,
            "thriller" | "psychological" | "horror" => Category::Thriller,
            _ => return None,
        };
        Some(category)
    }

    /// The categories of a tag list, deduplicated, in catalog order.
    pub(crate) fn from_tags<'a>(tags: impl IntoIterator<Item = &'a str>) -> Vec<Category> {
        let mut categories: Vec<Category> =
            tags.into_iter().filter_map(Category::from_tag).collect();
        categories.sort_by_key(|category| category.id());
        categories.dedup();
        categories
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_id_round_trips() {
        for category in Category::ALL {
            assert_eq!(Category::from_id(category.id()), Some(category));
        }
    }

    #[test]
    fn tags_map_to_sorted_unique_categories() {
        let categories = Category::from_tags(["shounen", "Action", "super power", "school"]);
        assert_eq!(categories, vec![Category::Action, Category::Shonen]);
    }
}
