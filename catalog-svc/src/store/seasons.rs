//! Which years and seasons the catalog holds, with how many anime started in each.

use super::StoreError;
use super::database::{Query, params};
use super::sql::SqlCatalogStore;
use crate::domain::Season;

/// How many anime started in one season of one year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeasonCount {
    /// The year.
    pub year: u32,
    /// The season.
    pub season: Season,
    /// Anime that started then.
    pub anime_count: u64,
}

impl SqlCatalogStore {
    /// Every year and season with at least one anime, newest first, seasons in calendar order
    /// within a year reversed (fall before winter).
    pub(super) async fn count_by_season(&self) -> Result<Vec<SeasonCount>, StoreError> {
        let sql = "SELECT season_year, season, COUNT(*) FROM anime \
             WHERE season_year IS NOT NULL AND season IS NOT NULL \
             GROUP BY season_year, season";
        let rows = self
            .database
            .fetch_all(Query::new("SELECT anime", sql, params![]))
            .await?;
        let mut counts = Vec::with_capacity(rows.len());
        for row in &rows {
            let year: i64 = row.try_get(0)?;
            let season_name: String = row.try_get(1)?;
            let anime_count: i64 = row.try_get(2)?;
            // Rows with a year or season the domain cannot hold are not browsable either.
            let (Ok(year), Some(season)) = (u32::try_from(year), Season::from_name(&season_name))
            else {
                continue;
            };
            counts.push(SeasonCount {
                year,
                season,
                anime_count: anime_count.max(0) as u64,
            });
        }
        counts.sort_by_key(|count| {
            let calendar_position = Season::ALL
                .iter()
                .position(|season| *season == count.season);
            std::cmp::Reverse((count.year, calendar_position))
        });
        Ok(counts)
    }
}
