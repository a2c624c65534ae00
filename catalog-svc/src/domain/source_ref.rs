//! A reference to an anime on one of the sites the catalog's data lists: a page URL
//! (`https://myanimelist.net/anime/5114/...`) or a short form (`mal:5114`), parsed into the
//! stored source URLs it can match.

use std::fmt;

use super::FieldViolation;

/// A site whose anime pages are `https://<host>/anime/<number>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceSite {
    /// MyAnimeList.
    MyAnimeList,
    /// AniList.
    AniList,
    /// Kitsu.
    Kitsu,
    /// AniDB.
    AniDb,
}

impl SourceSite {
    /// Every site, in the order documented for the short forms.
    pub const ALL: [SourceSite; 4] = [
        SourceSite::MyAnimeList,
        SourceSite::AniList,
        SourceSite::Kitsu,
        SourceSite::AniDb,
    ];

    /// The short-form name (`mal`, `anilist`, `kitsu`, `anidb`).
    pub fn short_name(self) -> &'static str {
        match self {
            SourceSite::MyAnimeList => "mal",
            SourceSite::AniList => "anilist",
            SourceSite::Kitsu => "kitsu",
            SourceSite::AniDb => "anidb",
        }
    }

    /// The hosts the site's pages have lived on; the first is current. Kitsu moved from
    /// kitsu.io to kitsu.app, and data releases carry either.
    fn hosts(self) -> &'static [&'static str] {
        match self {
            SourceSite::MyAnimeList => &["myanimelist.net"],
            SourceSite::AniList => &["anilist.co"],
            SourceSite::Kitsu => &["kitsu.app", "kitsu.io"],
            SourceSite::AniDb => &["anidb.net"],
        }
    }

    fn from_host(host: &str) -> Option<SourceSite> {
        let host = host.strip_prefix("www.").unwrap_or(host);
        SourceSite::ALL
            .into_iter()
            .find(|site| site.hosts().contains(&host))
    }

    fn from_short_name(name: &str) -> Option<SourceSite> {
        SourceSite::ALL
            .into_iter()
            .find(|site| site.short_name() == name)
    }
}

/// One anime on one site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceRef {
    site: SourceSite,
    number: u64,
}

impl SourceRef {
    /// Parses `https://<host>/anime/<number>[/<slug>][?...]` or `<short name>:<number>`;
    /// `field` names the request field in the error.
    pub fn parse(raw: &str, field: &str) -> Result<Self, FieldViolation> {
        let trimmed = raw.trim();
        let parsed = match trimmed.split_once("://") {
            Some((scheme, rest))
                if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") =>
            {
                parse_page_url(rest)
            }
            Some(_) => None,
            None => trimmed.split_once(':').and_then(|(name, number)| {
                Some(SourceRef {
                    site: SourceSite::from_short_name(&name.to_ascii_lowercase())?,
                    number: parse_number(number)?,
                })
            }),
        };
        parsed.ok_or_else(|| {
            let short_names: Vec<&str> = SourceSite::ALL
                .into_iter()
                .map(SourceSite::short_name)
                .collect();
            FieldViolation::new(
                field,
                format!(
                    "must be an anime page URL of MyAnimeList, AniList, Kitsu or AniDB, or \
                     <site>:<number> with site one of {}",
                    short_names.join(", ")
                ),
            )
        })
    }

    /// The stored source URLs this reference matches, current host first.
    pub fn candidate_urls(&self) -> Vec<String> {
        self.site
            .hosts()
            .iter()
            .map(|host| format!("https://{host}/anime/{}", self.number))
            .collect()
    }
}

impl fmt::Display for SourceRef {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}:{}", self.site.short_name(), self.number)
    }
}

/// `host/anime/<number>[/<slug>][?query][#fragment]`, the part after the scheme.
fn parse_page_url(after_scheme: &str) -> Option<SourceRef> {
    let without_query = after_scheme.split(['?', '#']).next()?;
    let (host, path) = without_query.split_once('/')?;
    let site = SourceSite::from_host(&host.to_ascii_lowercase())?;
    let mut segments = path.split('/');
    if segments.next()? != "anime" {
        return None;
    }
    let number = parse_number(segments.next()?)?;
    Some(SourceRef { site, number })
}

/// A positive decimal number without sign or leading zeros, as the sites write ids.
fn parse_number(text: &str) -> Option<u64> {
    let is_canonical = !text.is_empty()
        && !text.starts_with('0')
        && text.bytes().all(|byte| byte.is_ascii_digit());
    is_canonical.then(|| text.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls_of(raw: &str) -> Vec<String> {
        SourceRef::parse(raw, "source")
            .map(|reference| reference.candidate_urls())
            .unwrap_or_else(|violation| panic!("{raw} parses: {violation:?}"))
    }

    #[test]
    fn page_urls_with_slugs_queries_and_www_parse() {
        for raw in [
            "https://myanimelist.net/anime/5114",
            "https://myanimelist.net/anime/5114/Fullmetal_Alchemist__Brotherhood",
            "http://www.myanimelist.net/anime/5114?tab=reviews",
            "mal:5114",
            "MAL:5114",
        ] {
            assert_eq!(
                urls_of(raw),
                ["https://myanimelist.net/anime/5114"],
                "{raw}"
            );
        }
    }

    #[test]
    fn kitsu_matches_both_of_its_hosts() {
        let expected = [
            "https://kitsu.app/anime/3936",
            "https://kitsu.io/anime/3936",
        ];
        assert_eq!(urls_of("https://kitsu.io/anime/3936"), expected);
        assert_eq!(urls_of("kitsu:3936"), expected);
    }

    #[test]
    fn each_short_form_names_its_site() {
        for site in SourceSite::ALL {
            let urls = urls_of(&format!("{}:42", site.short_name()));
            assert_eq!(urls[0], format!("https://{}/anime/42", site.hosts()[0]));
        }
    }

    #[test]
    fn other_sites_paths_and_numbers_are_refused() {
        for raw in [
            "",
            "5114",
            "mal:",
            "mal:05114",
            "mal:-1",
            "imdb:5114",
            "ftp://myanimelist.net/anime/5114",
            "https://myanimelist.net/manga/5114",
            "https://example.com/anime/5114",
            "https://myanimelist.net/anime/abc",
        ] {
            let refused = SourceRef::parse(raw, "source");
            assert!(refused.is_err(), "{raw} is refused");
        }
    }
}
