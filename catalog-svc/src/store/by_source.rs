//! Finding an anime by one of its source URLs, for lookups by MyAnimeList, AniList, Kitsu or
//! AniDB id.

use sqlx::AssertSqlSafe;
use tracing::Instrument;

use super::StoreError;
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
        let span = self.database.statement_span("SELECT anime_source", &sql);
        let mut query = sqlx::query_scalar::<_, String>(AssertSqlSafe(sql));
        for url in urls {
            query = query.bind(url.as_str());
        }
        Ok(query
            .fetch_optional(&self.pool)
            .instrument(span)
            .await?
            .map(AnimeId::from_storage))
    }
}
