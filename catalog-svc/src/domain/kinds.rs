//! The catalog's enumerations, with their storage names (the anime-offline-database spelling).

/// Declares an enum whose variants have a fixed storage name.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$variant_meta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$variant_meta])* $variant),+
        }

        // Generated for every enum; not every enum lists its names in messages.
        #[allow(dead_code)]
        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The storage (and import) name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The variant with this storage name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The storage names of every variant, for error messages.
            pub fn names() -> String {
                Self::ALL.iter().map(|variant| variant.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

named_enum! {
    /// The kind of release.
    AnimeType {
        /// A television series.
        Tv => "TV",
        /// A film.
        Movie => "MOVIE",
        /// An original video animation.
        Ova => "OVA",
        /// An original net animation.
        Ona => "ONA",
        /// A special.
        Special => "SPECIAL",
        /// Not known.
        Unknown => "UNKNOWN",
    }
}

named_enum! {
    /// Whether an anime is still airing.
    AnimeStatus {
        /// Finished airing.
        Finished => "FINISHED",
        /// Currently airing.
        Ongoing => "ONGOING",
        /// Announced, not yet airing.
        Upcoming => "UPCOMING",
        /// Not known.
        Unknown => "UNKNOWN",
    }
}

named_enum! {
    /// The season an anime started airing in.
    Season {
        /// January to March.
        Winter => "WINTER",
        /// April to June.
        Spring => "SPRING",
        /// July to September.
        Summer => "SUMMER",
        /// October to December.
        Fall => "FALL",
    }
}

named_enum! {
    /// What a tag describes.
    TagCategory {
        /// A genre such as action or romance.
        Genre => "GENRE",
        /// A theme or setting such as school or isekai.
        Theme => "THEME",
        /// The intended audience, such as shounen or seinen.
        Demographic => "DEMOGRAPHIC",
        /// A content advisory such as gore or nudity.
        Content => "CONTENT",
    }
}

named_enum! {
    /// How two anime relate.
    RelationKind {
        /// The other anime continues this one.
        Sequel => "SEQUEL",
        /// This anime continues the other one.
        Prequel => "PREQUEL",
        /// Any other relation: side story, spin-off, recap, alternative version.
        Related => "RELATED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for season in Season::ALL {
            assert_eq!(Season::from_name(season.as_str()), Some(*season));
        }
        assert_eq!(AnimeType::from_name("tv"), None);
    }
}
