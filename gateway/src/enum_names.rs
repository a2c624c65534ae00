//! The REST names of proto enum values: the proto name without its prefix, lowercased
//! (`ANIME_TYPE_TV` → `tv`); `None` for the unspecified value. The JSON conversion writes them
//! and the OpenAPI document lists them.

use kensho_proto::catalog::v1 as pb;

/// `ANIME_TYPE_TV` → `tv`: the enum's proto name without its prefix, lowercased.
fn enum_name(proto_name: &str, prefix: &str) -> Option<String> {
    let name = proto_name.strip_prefix(prefix).unwrap_or(proto_name);
    (name != "UNSPECIFIED").then(|| name.to_ascii_lowercase())
}

/// The REST name of an `AnimeType` value.
pub fn anime_type(value: i32) -> Option<String> {
    pb::AnimeType::try_from(value)
        .ok()
        .and_then(|kind| enum_name(kind.as_str_name(), "ANIME_TYPE_"))
}

/// The REST name of an `AnimeStatus` value.
pub fn status(value: i32) -> Option<String> {
    pb::AnimeStatus::try_from(value)
        .ok()
        .and_then(|status| enum_name(status.as_str_name(), "ANIME_STATUS_"))
}

/// The REST name of a `Season` value.
pub fn season(value: i32) -> Option<String> {
    pb::Season::try_from(value)
        .ok()
        .and_then(|season| enum_name(season.as_str_name(), "SEASON_"))
}

/// The REST name of a `TagCategory` value.
pub fn tag_category(value: i32) -> Option<String> {
    pb::TagCategory::try_from(value)
        .ok()
        .and_then(|category| enum_name(category.as_str_name(), "TAG_CATEGORY_"))
}

/// The REST name of a `RelationKind` value.
pub fn relation_kind(value: i32) -> Option<String> {
    pb::RelationKind::try_from(value)
        .ok()
        .and_then(|kind| enum_name(kind.as_str_name(), "RELATION_KIND_"))
}

/// The REST name of a `MatchKind` value.
pub fn match_kind(value: i32) -> Option<String> {
    pb::MatchKind::try_from(value)
        .ok()
        .and_then(|kind| enum_name(kind.as_str_name(), "MATCH_KIND_"))
}
