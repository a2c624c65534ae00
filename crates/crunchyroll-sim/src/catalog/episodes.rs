//! Episodes derived on demand from their season: numbering (with the odd `.5` special), titles,
//! air dates, the premium-only rule and the link to the next episode.

use time::{Date, Duration};

use super::SimCatalog;
use super::model::{SeasonRecord, SeriesRecord};
use super::words;
use crate::ids::format_id;

/// Episodes up to this sequence number play on free accounts; later ones are premium-only.
pub(crate) const FREE_EPISODES: f64 = 3.0;

/// One episode, computed from its season.
#[derive(Debug)]
pub(crate) struct EpisodeView<'a> {
    pub(crate) id: String,
    pub(crate) id_value: u64,
    pub(crate) series: &'a SeriesRecord,
    pub(crate) season: &'a SeasonRecord,
    /// `None` for the special.
    pub(crate) episode_number: Option<u32>,
    pub(crate) sequence_number: f64,
    pub(crate) title: String,
    /// A week after the previous episode.
    pub(crate) air_date: Date,
    pub(crate) is_premium_only: bool,
    /// Id and title of the following episode; `None` for the last.
    pub(crate) next: Option<(String, String)>,
}

/// The episode number and sequence number at a position of a season.
pub(crate) fn numbering(season: &SeasonRecord, position: u32) -> (Option<u32>, f64) {
    match season.special_after {
        Some(after) if position == after => (None, f64::from(after) + 0.5),
        Some(after) if position > after => (Some(position), f64::from(position)),
        _ => (Some(position + 1), f64::from(position + 1)),
    }
}

/// The title of the episode with this id value.
pub(crate) fn title_of(id_value: u64) -> String {
    words::episode_title(crate::ids::mix(id_value))
}

impl SimCatalog {
    /// The episode at `position` of `seasons[season_index]`; `None` past the last one.
    pub(crate) fn episode_view(&self, season_index: u32, position: u32) -> Option<EpisodeView<'_>> {
        let season = self.seasons.get(season_index as usize)?;
        let id_value = *season.episode_ids.get(position as usize)?;
        let series = &self.series[season.series as usize];
        let (episode_number, sequence_number) = numbering(season, position);
        let next = season
            .episode_ids
            .get(position as usize + 1)
            .map(|&next_value| (format_id(next_value), title_of(next_value)));
        Some(EpisodeView {
            id: format_id(id_value),
            id_value,
            series,
            season,
            episode_number,
            sequence_number,
            title: title_of(id_value),
            air_date: season
                .start_date
                .saturating_add(Duration::weeks(i64::from(position))),
            is_premium_only: sequence_number > FREE_EPISODES,
            next,
        })
    }

    /// Every episode of `seasons[season_index]`, in order.
    pub(crate) fn season_episodes(&self, season_index: u32) -> Vec<EpisodeView<'_>> {
        let total = self
            .seasons
            .get(season_index as usize)
            .map_or(0, SeasonRecord::episode_total);
        (0..total)
            .filter_map(|position| self.episode_view(season_index, position))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::dates::AnimeSeason;

    fn season_with_special(after: Option<u32>) -> SeasonRecord {
        SeasonRecord {
            id: String::new(),
            series: 0,
            number: 1,
            title: String::new(),
            search_title: String::new(),
            slug_title: String::new(),
            description: String::new(),
            source: String::new(),
            anime_season: AnimeSeason::Spring,
            year: 2022,
            start_date: time::macros::date!(2022 - 04 - 01),
            episode_duration_ms: 1,
            regular_episodes: 4,
            special_after: after,
            episode_ids: Vec::new(),
            has_versions: true,
            available_forever: true,
            is_complete: true,
        }
    }

    #[test]
    fn a_special_sits_between_two_numbered_episodes() {
        let season = season_with_special(Some(2));
        let numbers: Vec<_> = (0..season.episode_total())
            .map(|position| numbering(&season, position))
            .collect();
        assert_eq!(
            numbers,
            vec![
                (Some(1), 1.0),
                (Some(2), 2.0),
                (None, 2.5),
                (Some(3), 3.0),
                (Some(4), 4.0)
            ]
        );
    }

    #[test]
    fn without_a_special_positions_count_from_one() {
        let season = season_with_special(None);
        assert_eq!(numbering(&season, 0), (Some(1), 1.0));
        assert_eq!(numbering(&season, 3), (Some(4), 4.0));
    }
}
