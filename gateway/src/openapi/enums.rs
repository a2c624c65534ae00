//! Schemas of the enum-valued fields, built from the proto enums through the same naming
//! function the JSON conversion uses (`ANIME_TYPE_TV` → `tv`), so the allowed values in the
//! document are the values the gateway writes. Each enum is one named component; nullable
//! fields refer to it or `null`.

use serde_json::Value;
use utoipa::openapi::schema::{
    ArrayBuilder, Components, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};

use crate::enum_names;

/// Proto enums here are small; every value of each lies below this.
const PROTO_ENUM_VALUE_BOUND: i32 = 64;

/// Each named enum: component name, the JSON name of each proto value, and what it means.
type NamedEnum = (&'static str, fn(i32) -> Option<String>, &'static str);

const NAMED_ENUMS: [NamedEnum; 6] = [
    ("AnimeType", enum_names::anime_type, "The kind of anime."),
    ("AnimeStatus", enum_names::status, "Whether the anime airs."),
    (
        "Season",
        enum_names::season,
        "A season of the year (parameters take any case).",
    ),
    (
        "TagCategory",
        enum_names::tag_category,
        "The kind of tag (parameters take any case).",
    ),
    (
        "RelationKind",
        enum_names::relation_kind,
        "How an anime relates to another.",
    ),
    (
        "MatchKind",
        enum_names::match_kind,
        "What matched a search query.",
    ),
];

/// Adds every named enum to the components.
pub fn add_components(components: &mut Components) {
    for (name, name_of, description) in NAMED_ENUMS {
        let allowed: Vec<Value> = (0..PROTO_ENUM_VALUE_BOUND)
            .filter_map(name_of)
            .map(Value::String)
            .collect();
        let schema = ObjectBuilder::new()
            .schema_type(SchemaType::from(Type::String))
            .enum_values(Some(allowed))
            .description(Some(description))
            .build();
        components
            .schemas
            .insert(name.to_owned(), RefOr::T(Schema::Object(schema)));
    }
}

/// The named enum, or `null` when the proto value is unspecified.
fn nullable(name: &str) -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(Ref::from_schema_name(name))
        .item(ObjectBuilder::new().schema_type(SchemaType::from(Type::Null)))
        .into()
}

/// `type` of an anime.
pub fn anime_type() -> RefOr<Schema> {
    nullable("AnimeType")
}

/// `status` of an anime.
pub fn anime_status() -> RefOr<Schema> {
    nullable("AnimeStatus")
}

/// `season` the anime started in.
pub fn season() -> RefOr<Schema> {
    nullable("Season")
}

/// `category` of a tag.
pub fn tag_category() -> RefOr<Schema> {
    nullable("TagCategory")
}

/// `kind` of a relation.
pub fn relation_kind() -> RefOr<Schema> {
    nullable("RelationKind")
}

/// `match_kind` of a search hit.
pub fn match_kind() -> RefOr<Schema> {
    nullable("MatchKind")
}

/// The `season` path parameter.
pub fn season_parameter() -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name("Season"))
}

/// The `category` query parameter of the tag list.
pub fn tag_category_parameter() -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name("TagCategory"))
}

/// The repeatable `type` filter.
pub fn anime_types_parameter() -> RefOr<Schema> {
    ArrayBuilder::new()
        .items(Ref::from_schema_name("AnimeType"))
        .into()
}

/// The repeatable `status` filter.
pub fn anime_statuses_parameter() -> RefOr<Schema> {
    ArrayBuilder::new()
        .items(Ref::from_schema_name("AnimeStatus"))
        .into()
}
