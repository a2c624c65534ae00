//! The REST representations of catalog messages: snake_case fields, lowercase enum names, and
//! the list envelope `{"data": [...], "next_cursor": ...}`.

use kensho_proto::catalog::v1 as pb;
use serde::Serialize;
use utoipa::ToSchema;

use crate::enum_names::{anime_type, match_kind, relation_kind, season, status, tag_category};
use crate::openapi::enums;

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListResponse<T> {
    /// The items.
    pub data: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> ListResponse<T> {
    /// A page from items and a gRPC `next_page_token` (empty on the last page).
    pub fn new(data: Vec<T>, next_page_token: String) -> Self {
        ListResponse {
            data,
            next_cursor: (!next_page_token.is_empty()).then_some(next_page_token),
        }
    }
}

/// The list fields of an anime.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AnimeSummary)]
pub struct AnimeSummaryJson {
    #[schema(example = "54346a98c23760eb")]
    id: String,
    #[schema(example = "Cowboy Bebop")]
    title: String,
    #[serde(rename = "type")]
    #[schema(schema_with = enums::anime_type)]
    anime_type: Option<String>,
    #[schema(schema_with = enums::anime_status)]
    status: Option<String>,
    #[schema(example = 26)]
    episode_count: u32,
    #[schema(schema_with = enums::season)]
    season: Option<String>,
    #[schema(example = 1998)]
    year: Option<u32>,
    picture: String,
    thumbnail: String,
    /// The score lists sort by (1..10), `null` when the source data has none.
    score: Option<f64>,
    /// How many sources list the title.
    popularity: u32,
}

/// The score's aggregates as the source data records them, each `null` when absent.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreAggregatesJson {
    arithmetic_geometric_mean: Option<f64>,
    arithmetic_mean: Option<f64>,
    median: Option<f64>,
}

impl From<pb::Score> for ScoreAggregatesJson {
    fn from(score: pb::Score) -> Self {
        ScoreAggregatesJson {
            arithmetic_geometric_mean: score.arithmetic_geometric_mean,
            arithmetic_mean: score.arithmetic_mean,
            median: score.median,
        }
    }
}

impl From<pb::AnimeSummary> for AnimeSummaryJson {
    fn from(summary: pb::AnimeSummary) -> Self {
        AnimeSummaryJson {
            id: summary.id,
            title: summary.title,
            anime_type: anime_type(summary.r#type),
            status: status(summary.status),
            episode_count: summary.episode_count,
            season: season(summary.season),
            year: summary.year,
            picture: summary.picture,
            thumbnail: summary.thumbnail,
            score: summary.score.map(|score| score.value),
            popularity: summary.popularity,
        }
    }
}

/// A tag.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Tag)]
pub struct TagJson {
    #[schema(example = "action")]
    name: String,
    #[schema(schema_with = enums::tag_category)]
    category: Option<String>,
}

impl From<pb::Tag> for TagJson {
    fn from(tag: pb::Tag) -> Self {
        TagJson {
            name: tag.name,
            category: tag_category(tag.category),
        }
    }
}

/// A related anime.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Relation)]
pub struct RelationJson {
    #[schema(schema_with = enums::relation_kind)]
    kind: Option<String>,
    anime: Option<AnimeSummaryJson>,
}

/// Everything about one anime.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Anime)]
pub struct AnimeJson {
    #[schema(example = "54346a98c23760eb")]
    id: String,
    #[schema(example = "Cowboy Bebop")]
    title: String,
    #[schema(example = json!(["Cowboy Bebop TV", "Bebop"]))]
    synonyms: Vec<String>,
    #[serde(rename = "type")]
    #[schema(schema_with = enums::anime_type)]
    anime_type: Option<String>,
    #[schema(schema_with = enums::anime_status)]
    status: Option<String>,
    #[schema(example = 26)]
    episode_count: u32,
    #[schema(schema_with = enums::season)]
    season: Option<String>,
    #[schema(example = 1998)]
    year: Option<u32>,
    synopsis: String,
    picture: String,
    thumbnail: String,
    #[schema(example = json!(["https://myanimelist.net/anime/1", "https://anilist.co/anime/1"]))]
    sources: Vec<String>,
    #[schema(example = json!(["Sunrise"]))]
    studios: Vec<String>,
    #[schema(example = json!(["Bandai Visual"]))]
    producers: Vec<String>,
    #[schema(example = 1440)]
    episode_duration_seconds: Option<u32>,
    tags: Vec<TagJson>,
    relations: Vec<RelationJson>,
    /// The Crunchyroll series and season, once a sync matched them.
    crunchyroll: Option<CrunchyrollMappingJson>,
    /// The score lists sort by (1..10), `null` when the source data has none.
    score: Option<f64>,
    /// The aggregates `score` comes from.
    score_aggregates: Option<ScoreAggregatesJson>,
    /// How many sources list the title.
    popularity: u32,
}

/// Where an anime is on Crunchyroll.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CrunchyrollMapping)]
pub struct CrunchyrollMappingJson {
    series_id: String,
    season_id: String,
}

/// Empty proto strings mean "absent".
fn present(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

impl From<pb::Anime> for AnimeJson {
    fn from(anime: pb::Anime) -> Self {
        AnimeJson {
            id: anime.id,
            title: anime.title,
            synonyms: anime.synonyms,
            anime_type: anime_type(anime.r#type),
            status: status(anime.status),
            episode_count: anime.episode_count,
            season: season(anime.season),
            year: anime.year,
            synopsis: anime.synopsis,
            picture: anime.picture,
            thumbnail: anime.thumbnail,
            sources: anime.sources,
            studios: anime.studios,
            producers: anime.producers,
            episode_duration_seconds: anime.episode_duration_seconds,
            tags: anime.tags.into_iter().map(TagJson::from).collect(),
            relations: anime
                .relations
                .into_iter()
                .map(|relation| RelationJson {
                    kind: relation_kind(relation.kind),
                    anime: relation.anime.map(AnimeSummaryJson::from),
                })
                .collect(),
            crunchyroll: present(anime.crunchyroll_season_id).map(|season_id| {
                CrunchyrollMappingJson {
                    series_id: anime.crunchyroll_series_id,
                    season_id,
                }
            }),
            score: anime.score.map(|score| score.value),
            score_aggregates: anime.score.map(ScoreAggregatesJson::from),
            popularity: anime.popularity,
        }
    }
}

/// One episode.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Episode)]
pub struct EpisodeJson {
    number: u32,
    title: String,
    duration_seconds: Option<u32>,
    air_date: Option<String>,
    synopsis: String,
    thumbnail: String,
    crunchyroll_episode_id: Option<String>,
}

impl From<pb::Episode> for EpisodeJson {
    fn from(episode: pb::Episode) -> Self {
        EpisodeJson {
            number: episode.number,
            title: episode.title,
            duration_seconds: episode.duration_seconds,
            air_date: present(episode.air_date),
            synopsis: episode.synopsis,
            thumbnail: episode.thumbnail,
            crunchyroll_episode_id: present(episode.crunchyroll_episode_id),
        }
    }
}

/// One search result.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SearchHit)]
pub struct SearchHitJson {
    anime: Option<AnimeSummaryJson>,
    #[schema(schema_with = enums::match_kind)]
    match_kind: Option<String>,
    matched: String,
    score: f32,
}

impl From<pb::SearchHit> for SearchHitJson {
    fn from(hit: pb::SearchHit) -> Self {
        SearchHitJson {
            anime: hit.anime.map(AnimeSummaryJson::from),
            match_kind: match_kind(hit.match_kind),
            matched: hit.matched,
            score: hit.score,
        }
    }
}

/// A tag with its anime count.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = TagCount)]
pub struct TagCountJson {
    #[schema(example = "action")]
    name: String,
    #[schema(schema_with = enums::tag_category)]
    category: Option<String>,
    anime_count: u32,
}

impl From<pb::TagWithCount> for TagCountJson {
    fn from(count: pb::TagWithCount) -> Self {
        let tag = count.tag.unwrap_or_default();
        TagCountJson {
            name: tag.name,
            category: tag_category(tag.category),
            anime_count: count.anime_count,
        }
    }
}

/// How many anime started in one season of one year.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SeasonCount)]
pub struct SeasonCountJson {
    #[schema(example = 1998)]
    year: u32,
    #[schema(schema_with = enums::season)]
    season: Option<String>,
    anime_count: u32,
}

impl From<pb::SeasonCount> for SeasonCountJson {
    fn from(count: pb::SeasonCount) -> Self {
        SeasonCountJson {
            year: count.year,
            season: season(count.season),
            anime_count: count.anime_count,
        }
    }
}

/// Whether a batch entry names a stored anime.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    /// `anime` holds it.
    Found,
    /// No stored anime has that id or source.
    NotFound,
}

/// One entry of a batch lookup.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = BatchEntry)]
pub struct BatchEntryJson {
    id: String,
    status: BatchStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    anime: Option<AnimeJson>,
}

impl From<pb::BatchGetAnimeResult> for BatchEntryJson {
    fn from(result: pb::BatchGetAnimeResult) -> Self {
        BatchEntryJson {
            id: result.id,
            status: if result.anime.is_some() {
                BatchStatus::Found
            } else {
                BatchStatus::NotFound
            },
            anime: result.anime.map(AnimeJson::from),
        }
    }
}

/// An anime like another, and why.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SimilarAnime)]
pub struct SimilarAnimeJson {
    anime: Option<AnimeSummaryJson>,
    /// How alike, 0..1: the rarity-weighted overlap of the tags, plus a share for a relation.
    score: f64,
    /// The tags both carry, rarest first.
    shared_tags: Vec<String>,
    /// How it relates to the anime asked about; `null` when it does not directly.
    #[schema(schema_with = enums::relation_kind)]
    relation: Option<String>,
}

impl From<pb::SimilarAnime> for SimilarAnimeJson {
    fn from(similar: pb::SimilarAnime) -> Self {
        SimilarAnimeJson {
            anime: similar.anime.map(AnimeSummaryJson::from),
            score: similar.score,
            shared_tags: similar.shared_tags,
            relation: relation_kind(similar.relation),
        }
    }
}
