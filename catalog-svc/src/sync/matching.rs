//! Matching a Crunchyroll season to a catalog anime: same title or synonym (normalised), and the
//! same start year when the season's tags tell it.

use kensho_crunchyroll::content::model::Season;

use crate::domain::AnimeId;

/// The start year a season's tags name (`spring-2022` → 2022).
pub(super) fn season_year(season: &Season) -> Option<u32> {
    season
        .season_tags
        .iter()
        .find_map(|tag| tag.rsplit('-').next().and_then(|year| year.parse().ok()))
}

/// The one candidate that fits; `None` when none or several do (an ambiguous title is better
/// left unmatched than matched wrongly).
pub(super) fn pick(candidates: &[(AnimeId, Option<u32>)], year: Option<u32>) -> Option<AnimeId> {
    let fitting: Vec<&AnimeId> = candidates
        .iter()
        .filter(|(_, anime_year)| match (year, anime_year) {
            (Some(season_year), Some(anime_year)) => season_year.abs_diff(*anime_year) <= 1,
            _ => true,
        })
        .map(|(id, _)| id)
        .collect();
    if let [only] = fitting.as_slice() {
        return Some((*only).clone());
    }
    let exact: Vec<&AnimeId> = candidates
        .iter()
        .filter(|(_, anime_year)| year.is_some() && *anime_year == year)
        .map(|(id, _)| id)
        .collect();
    match exact.as_slice() {
        [only] => Some((*only).clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> AnimeId {
        AnimeId::parse(text, "id").expect("well-formed")
    }

    #[test]
    fn the_year_decides_between_namesakes_and_ambiguity_matches_nothing() {
        let candidates = vec![
            (id("000000000000000a"), Some(2009)),
            (id("000000000000000b"), Some(2022)),
        ];
        assert_eq!(pick(&candidates, Some(2022)), Some(id("000000000000000b")));
        assert_eq!(pick(&candidates, None), None);
        assert_eq!(pick(&candidates[..1], None), Some(id("000000000000000a")));
        assert_eq!(pick(&candidates[..1], Some(2015)), None);
    }
}
