//! Content calls (`/content/v2/...`, bearer only): search, series, seasons, episodes, objects,
//! browse, seasonal tags and categories.

pub mod model;
mod tolerant;

use kensho_kit::resilience::Idempotency;
use reqwest::header::AUTHORIZATION;
use serde::de::DeserializeOwned;

use self::model::{Category, Episode, Page, Panel, SearchGroup, Season, SeasonalTag, Series};
use crate::auth::TokenManager;
use crate::error::CrunchyrollError;
use crate::transport::{CrunchyrollClient, Endpoint, Host};

/// Order of browse results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BrowseSort {
    /// Most popular first.
    Popularity,
    /// Most recently added first.
    #[default]
    NewlyAdded,
    /// By title.
    Alphabetical,
}

/// Filters and paging of a browse call.
#[derive(Clone, Debug, Default)]
pub struct BrowseQuery {
    /// Order.
    pub sort: BrowseSort,
    /// Category ids, all of which must match.
    pub categories: Vec<String>,
    /// A seasonal tag such as `spring-2023`.
    pub seasonal_tag: Option<String>,
    /// `series`, `movie_listing` or `episode`; `None` for any.
    pub kind: Option<String>,
    /// Offset.
    pub start: u32,
    /// Page size.
    pub page_size: u32,
}

impl CrunchyrollClient {
    /// GETs an API path with the identity's bearer token; a refused token is refreshed once.
    async fn get_content<T: DeserializeOwned>(
        &self,
        auth: &TokenManager,
        name: &'static str,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, CrunchyrollError> {
        let url = self.api_url(path);
        let settings = self.settings();
        let mut parameters = vec![("locale", settings.locale.clone())];
        parameters.extend(query.iter().map(|(key, value)| (*key, value.clone())));
        for attempt in 0..2 {
            let token = auth.access_token().await?;
            let result = self
                .send_json(
                    Host::Api,
                    name,
                    Endpoint::Other,
                    Idempotency::Idempotent,
                    |http| {
                        http.get(&url)
                            .header(AUTHORIZATION, format!("Bearer {}", token.expose()))
                            .query(&parameters)
                    },
                )
                .await;
            match result {
                Err(CrunchyrollError::InvalidAuthToken) if attempt == 0 => auth.invalidate().await,
                other => return other,
            }
        }
        Err(CrunchyrollError::InvalidAuthToken)
    }

    /// Searches titles; one group per requested type (`series`, `movie_listing`, `episode`,
    /// `top_results`), `page_size` hits each from `start`.
    pub async fn search(
        &self,
        auth: &TokenManager,
        query: &str,
        kinds: &[&str],
        start: u32,
        page_size: u32,
    ) -> Result<Vec<SearchGroup>, CrunchyrollError> {
        let page: Page<SearchGroup> = self
            .get_content(
                auth,
                "search",
                "/content/v2/discover/search",
                &[
                    ("q", query.to_owned()),
                    ("type", kinds.join(",")),
                    ("start", start.to_string()),
                    ("n", page_size.to_string()),
                ],
            )
            .await?;
        Ok(page.data)
    }

    /// One series.
    pub async fn series(
        &self,
        auth: &TokenManager,
        series_id: &str,
    ) -> Result<Series, CrunchyrollError> {
        let path = format!("/content/v2/cms/series/{}", path_segment(series_id)?);
        self.single(auth, "series", &path).await
    }

    /// Every season of a series (not paginated).
    pub async fn seasons(
        &self,
        auth: &TokenManager,
        series_id: &str,
    ) -> Result<Vec<Season>, CrunchyrollError> {
        let path = format!(
            "/content/v2/cms/series/{}/seasons",
            path_segment(series_id)?
        );
        self.children_in_preferred_audio(auth, "seasons", &path)
            .await
    }

    /// Every episode of a season (not paginated).
    pub async fn episodes(
        &self,
        auth: &TokenManager,
        season_id: &str,
    ) -> Result<Vec<Episode>, CrunchyrollError> {
        let path = format!(
            "/content/v2/cms/seasons/{}/episodes",
            path_segment(season_id)?
        );
        self.children_in_preferred_audio(auth, "episodes", &path)
            .await
    }

    /// The unpaginated children of a series or season, in the preferred audio version.
    async fn children_in_preferred_audio<T: DeserializeOwned>(
        &self,
        auth: &TokenManager,
        name: &'static str,
        path: &str,
    ) -> Result<Vec<T>, CrunchyrollError> {
        let preferred = self.settings().preferred_audio_language.clone();
        let page: Page<T> = self
            .get_content(auth, name, path, &[("preferred_audio_language", preferred)])
            .await?;
        Ok(page.data)
    }

    /// One episode.
    pub async fn episode(
        &self,
        auth: &TokenManager,
        episode_id: &str,
    ) -> Result<Episode, CrunchyrollError> {
        let path = format!("/content/v2/cms/episodes/{}", path_segment(episode_id)?);
        self.single(auth, "episode", &path).await
    }

    /// A single-resource route: the envelope's one item, `NotFound` when it is empty.
    async fn single<T: DeserializeOwned>(
        &self,
        auth: &TokenManager,
        name: &'static str,
        path: &str,
    ) -> Result<T, CrunchyrollError> {
        let page: Page<T> = self.get_content(auth, name, path, &[]).await?;
        page.data
            .into_iter()
            .next()
            .ok_or(CrunchyrollError::NotFound)
    }

    /// Objects of any kind by id; unknown ids are left out.
    pub async fn objects(
        &self,
        auth: &TokenManager,
        ids: &[&str],
    ) -> Result<Vec<Panel>, CrunchyrollError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids = ids
            .iter()
            .map(|id| path_segment(id))
            .collect::<Result<Vec<_>, _>>()?;
        let page: Page<Panel> = self
            .get_content(
                auth,
                "objects",
                &format!("/content/v2/cms/objects/{}", ids.join(",")),
                &[],
            )
            .await?;
        Ok(page.data)
    }

    /// One page of browse results.
    pub async fn browse(
        &self,
        auth: &TokenManager,
        query: &BrowseQuery,
    ) -> Result<Page<Panel>, CrunchyrollError> {
        let sort = match query.sort {
            BrowseSort::Popularity => "popularity",
            BrowseSort::NewlyAdded => "newly_added",
            BrowseSort::Alphabetical => "alphabetical",
        };
        let mut parameters = vec![
            ("sort_by", sort.to_owned()),
            ("start", query.start.to_string()),
            ("n", query.page_size.to_string()),
        ];
        if !query.categories.is_empty() {
            parameters.push(("categories", query.categories.join(",")));
        }
        if let Some(tag) = &query.seasonal_tag {
            parameters.push(("seasonal_tag", tag.clone()));
        }
        if let Some(kind) = &query.kind {
            parameters.push(("type", kind.clone()));
        }
        self.get_content(auth, "browse", "/content/v2/discover/browse", &parameters)
            .await
    }

    /// The seasonal tags.
    pub async fn seasonal_tags(
        &self,
        auth: &TokenManager,
    ) -> Result<Vec<SeasonalTag>, CrunchyrollError> {
        let page: Page<SeasonalTag> = self
            .get_content(
                auth,
                "seasonal_tags",
                "/content/v2/discover/seasonal_tags",
                &[],
            )
            .await?;
        Ok(page.data)
    }

    /// The categories.
    pub async fn categories(&self, auth: &TokenManager) -> Result<Vec<Category>, CrunchyrollError> {
        let page: Page<Category> = self
            .get_content(auth, "categories", "/content/v2/discover/categories", &[])
            .await?;
        Ok(page.data)
    }
}

/// Crunchyroll ids are uppercase alphanumerics; anything else would change the path.
pub(crate) fn path_segment(id: &str) -> Result<&str, CrunchyrollError> {
    let is_id = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
    if is_id {
        Ok(id)
    } else {
        Err(CrunchyrollError::NotFound)
    }
}
