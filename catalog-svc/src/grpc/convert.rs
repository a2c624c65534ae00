//! Conversions between the catalog's results and the gRPC contract's messages.

use kensho_proto::catalog::v1 as pb;

use crate::catalog::{BatchEntry, SearchResult, SimilarResult};
use crate::domain::{AnimeStatus, AnimeType, MatchKind, RelationKind, Season, TagCategory};
use crate::store::{AnimeDetail, AnimeSummary, Episode, Score, Tag, TagCount};

pub(super) fn anime_type(value: AnimeType) -> pb::AnimeType {
    match value {
        AnimeType::Tv => pb::AnimeType::Tv,
        AnimeType::Movie => pb::AnimeType::Movie,
        AnimeType::Ova => pb::AnimeType::Ova,
        AnimeType::Ona => pb::AnimeType::Ona,
        AnimeType::Special => pb::AnimeType::Special,
        AnimeType::Unknown => pb::AnimeType::Unknown,
    }
}

pub(super) fn status(value: AnimeStatus) -> pb::AnimeStatus {
    match value {
        AnimeStatus::Finished => pb::AnimeStatus::Finished,
        AnimeStatus::Ongoing => pb::AnimeStatus::Ongoing,
        AnimeStatus::Upcoming => pb::AnimeStatus::Upcoming,
        AnimeStatus::Unknown => pb::AnimeStatus::Unknown,
    }
}

pub(super) fn season(value: Option<Season>) -> pb::Season {
    match value {
        None => pb::Season::Unspecified,
        Some(Season::Winter) => pb::Season::Winter,
        Some(Season::Spring) => pb::Season::Spring,
        Some(Season::Summer) => pb::Season::Summer,
        Some(Season::Fall) => pb::Season::Fall,
    }
}

/// The domain season of a request; `None` for unspecified or unknown values.
pub(super) fn season_from_proto(value: i32) -> Option<Season> {
    match pb::Season::try_from(value).ok()? {
        pb::Season::Unspecified => None,
        pb::Season::Winter => Some(Season::Winter),
        pb::Season::Spring => Some(Season::Spring),
        pb::Season::Summer => Some(Season::Summer),
        pb::Season::Fall => Some(Season::Fall),
    }
}

pub(super) fn tag_category(value: TagCategory) -> pb::TagCategory {
    match value {
        TagCategory::Genre => pb::TagCategory::Genre,
        TagCategory::Theme => pb::TagCategory::Theme,
        TagCategory::Demographic => pb::TagCategory::Demographic,
        TagCategory::Content => pb::TagCategory::Content,
    }
}

/// The domain category filter of a request: `Ok(None)` for unspecified, `Err` for unknown values.
pub(super) fn tag_category_from_proto(value: i32) -> Result<Option<TagCategory>, ()> {
    match pb::TagCategory::try_from(value).map_err(|_| ())? {
        pb::TagCategory::Unspecified => Ok(None),
        pb::TagCategory::Genre => Ok(Some(TagCategory::Genre)),
        pb::TagCategory::Theme => Ok(Some(TagCategory::Theme)),
        pb::TagCategory::Demographic => Ok(Some(TagCategory::Demographic)),
        pb::TagCategory::Content => Ok(Some(TagCategory::Content)),
    }
}

pub(super) fn relation_kind(value: RelationKind) -> pb::RelationKind {
    match value {
        RelationKind::Sequel => pb::RelationKind::Sequel,
        RelationKind::Prequel => pb::RelationKind::Prequel,
        RelationKind::Related => pb::RelationKind::Related,
    }
}

fn match_kind(value: MatchKind) -> pb::MatchKind {
    match value {
        MatchKind::Exact => pb::MatchKind::Exact,
        MatchKind::Prefix => pb::MatchKind::Prefix,
        MatchKind::Synonym => pb::MatchKind::Synonym,
        MatchKind::Fuzzy => pb::MatchKind::Fuzzy,
    }
}

pub(super) fn summary(anime: AnimeSummary) -> pb::AnimeSummary {
    pb::AnimeSummary {
        id: anime.id.to_string(),
        title: anime.title,
        r#type: anime_type(anime.anime_type).into(),
        status: status(anime.status).into(),
        episode_count: anime.episode_count,
        season: season(anime.season).into(),
        year: anime.year,
        picture: anime.picture,
        thumbnail: anime.thumbnail,
        score: anime.score.map(score),
        popularity: anime.popularity,
    }
}

fn score(value: Score) -> pb::Score {
    pb::Score {
        arithmetic_geometric_mean: value.arithmetic_geometric_mean,
        arithmetic_mean: value.arithmetic_mean,
        median: value.median,
        value: value.ranking_value().unwrap_or_default(),
    }
}

fn tag(tag: Tag) -> pb::Tag {
    pb::Tag {
        name: tag.name,
        category: tag_category(tag.category).into(),
    }
}

pub(super) fn tag_count(count: TagCount) -> pb::TagWithCount {
    pb::TagWithCount {
        tag: Some(tag(count.tag)),
        anime_count: u32::try_from(count.anime_count).unwrap_or(u32::MAX),
    }
}

pub(super) fn anime(detail: AnimeDetail) -> pb::Anime {
    let AnimeDetail {
        summary: head,
        synonyms,
        synopsis,
        sources,
        studios,
        producers,
        episode_duration_seconds,
        tags,
        relations,
        crunchyroll_series_id,
        crunchyroll_season_id,
    } = detail;
    pb::Anime {
        id: head.id.to_string(),
        title: head.title,
        synonyms,
        r#type: anime_type(head.anime_type).into(),
        status: status(head.status).into(),
        episode_count: head.episode_count,
        season: season(head.season).into(),
        year: head.year,
        synopsis,
        picture: head.picture,
        thumbnail: head.thumbnail,
        sources,
        studios,
        producers,
        episode_duration_seconds,
        tags: tags.into_iter().map(tag).collect(),
        relations: relations
            .into_iter()
            .map(|relation| pb::Relation {
                kind: relation_kind(relation.kind).into(),
                anime: Some(summary(relation.anime)),
            })
            .collect(),
        crunchyroll_series_id: crunchyroll_series_id.unwrap_or_default(),
        crunchyroll_season_id: crunchyroll_season_id.unwrap_or_default(),
        score: head.score.map(score),
        popularity: head.popularity,
    }
}

pub(super) fn batch_entry(entry: BatchEntry) -> pb::BatchGetAnimeResult {
    pb::BatchGetAnimeResult {
        id: entry.requested,
        anime: entry.anime.map(anime),
    }
}

pub(super) fn search_hit(result: SearchResult) -> pb::SearchHit {
    pb::SearchHit {
        anime: Some(summary(result.anime)),
        match_kind: match_kind(result.kind).into(),
        matched: result.matched,
        score: result.score,
    }
}

pub(super) fn episode(episode: Episode) -> pb::Episode {
    pb::Episode {
        number: episode.number,
        title: episode.title,
        duration_seconds: episode.duration_seconds,
        air_date: episode.air_date.unwrap_or_default(),
        synopsis: episode.synopsis,
        thumbnail: episode.thumbnail,
        crunchyroll_episode_id: episode.crunchyroll_episode_id.unwrap_or_default(),
    }
}

pub(super) fn similar(result: SimilarResult) -> pb::SimilarAnime {
    pb::SimilarAnime {
        anime: Some(summary(result.anime)),
        score: result.score,
        shared_tags: result.shared_tags,
        relation: result
            .relation
            .map_or(pb::RelationKind::Unspecified, relation_kind)
            .into(),
    }
}
