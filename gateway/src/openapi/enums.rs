//! Schemas of the enum-valued fields, built from the proto enums through the same naming
//! function the JSON conversion uses (`ANIME_TYPE_TV` → `tv`), so the allowed values in the
//! document are the values the gateway writes.

use serde_json::Value;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};

use crate::json;

/// Proto enums here are small; every value of each lies below this.
const PROTO_ENUM_VALUE_BOUND: i32 = 64;

/// A nullable string field holding one of the lowercased names of a proto enum (`null` for the
/// unspecified value).
fn proto_enum(name_of: fn(i32) -> Option<String>, description: &str) -> Schema {
    let mut allowed: Vec<Value> = (0..PROTO_ENUM_VALUE_BOUND)
        .filter_map(name_of)
        .map(Value::String)
        .collect();
    allowed.push(Value::Null);
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(allowed))
        .description(Some(description))
        .into()
}

/// `type` of an anime.
pub fn anime_type() -> Schema {
    proto_enum(json::anime_type, "The kind of anime; null when unknown.")
}

/// `status` of an anime.
pub fn anime_status() -> Schema {
    proto_enum(json::status, "Whether the anime airs; null when unknown.")
}

/// `season` the anime started in.
pub fn season() -> Schema {
    proto_enum(json::season, "The season it started in; null when unknown.")
}

/// `category` of a tag.
pub fn tag_category() -> Schema {
    proto_enum(
        json::tag_category,
        "The kind of tag; null when uncategorised.",
    )
}

/// `kind` of a relation.
pub fn relation_kind() -> Schema {
    proto_enum(json::relation_kind, "How the anime relates to this one.")
}

/// `match_kind` of a search hit.
pub fn match_kind() -> Schema {
    proto_enum(json::match_kind, "What matched the query.")
}

/// The names a parameter accepts for a proto enum (no `null`: an absent parameter is the
/// unspecified value).
fn accepted_names(name_of: fn(i32) -> Option<String>) -> Vec<String> {
    (0..PROTO_ENUM_VALUE_BOUND).filter_map(name_of).collect()
}

/// A string parameter taking one of the names of a proto enum (in any case).
fn parameter_enum(name_of: fn(i32) -> Option<String>, description: &str) -> Schema {
    let allowed: Vec<Value> = accepted_names(name_of)
        .into_iter()
        .map(Value::String)
        .collect();
    ObjectBuilder::new()
        .schema_type(SchemaType::from(Type::String))
        .enum_values(Some(allowed))
        .description(Some(description))
        .into()
}

/// The `season` path parameter.
pub fn season_parameter() -> Schema {
    parameter_enum(json::season, "The season, in any case.")
}

/// The `category` query parameter of the tag list.
pub fn tag_category_parameter() -> Schema {
    parameter_enum(json::tag_category, "Only tags of this category, in any case.")
}
