//! Finding an anime by one of its source URLs, for lookups by MyAnimeList, AniList, Kitsu or
//! AniDB id.

use super::StoreError;
use super::database::{Param, Query};
use super::sql::{SqlCatalogStore, placeholders};
use crate::domain::AnimeId;

impl SqlCatalogStore {
    /// The anime listing any of `urls` as a source; the first URL that matches wins.
    pub(super) async fn find_anime_id_by_source(
        &self,
        urls: &[String],
    ) -> Result<Option<AnimeId>, StoreError> {
        if urls.is_empty() {
            return Ok(None);
        }
        // A source URL belongs to one anime (the import keys ids on it), so any match is the one.
        let sql = format!(
            "SELECT anime_id FROM anime_source WHERE url IN ({}) LIMIT 1",
            placeholders(1, urls.len())
        );
        let params = urls.iter().map(|url| Param::from(url.as_str())).collect();
        let row = self
            .database
            .fetch_optional(Query::new("SELECT anime_source", sql, params))
            .await?;
        match row {
            Some(row) => Ok(Some(AnimeId::from_storage(row.try_get("anime_id")?))),
            None => Ok(None),
        }
    }
}
