//! Field selection: every GET accepts `?fields=a,b.c` and answers only those fields.
//!
//! Paths name fields of the resource; in a list (`{"data": [...], "next_cursor"}`) they name
//! fields of each item, and the envelope stays whole. A path through an array applies to each of
//! its elements (`fields=title,tags.name`). Paths naming no field select nothing.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::problem::ApiError;

/// Largest response body the selection rewrites; larger bodies pass through whole.
const MAX_SELECTABLE_BODY_BYTES: usize = 16 * 1024 * 1024;
/// Most paths one request may name.
const MAX_PATHS: usize = 50;

/// A parsed `fields` parameter: a tree of field names.
#[derive(Debug, Default, PartialEq, Eq)]
struct Selection(Vec<(String, Selection)>);

impl Selection {
    fn parse(raw: &str) -> Result<Self, ApiError> {
        let mut selection = Selection::default();
        let paths: Vec<&str> = raw
            .split(',')
            .map(str::trim)
            .filter(|path| !path.is_empty())
            .collect();
        if paths.is_empty() || paths.len() > MAX_PATHS {
            return Err(ApiError::invalid_field(
                "fields",
                format!("must name 1 to {MAX_PATHS} comma-separated fields"),
            ));
        }
        for path in paths {
            let segments: Vec<&str> = path.split('.').collect();
            let is_valid = segments.iter().all(|segment| {
                !segment.is_empty()
                    && segment.bytes().all(|byte| {
                        byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_'
                    })
            });
            if !is_valid {
                return Err(ApiError::invalid_field(
                    "fields",
                    format!("`{path}` is not a field path such as `title` or `tags.name`"),
                ));
            }
            selection.insert(&segments);
        }
        Ok(selection)
    }

    fn insert(&mut self, segments: &[&str]) {
        let Some((first, rest)) = segments.split_first() else {
            return;
        };
        let position = match self.0.iter().position(|(name, _)| name == first) {
            Some(position) => position,
            None => {
                self.0.push(((*first).to_owned(), Selection::default()));
                self.0.len() - 1
            }
        };
        self.0[position].1.insert(rest);
    }

    fn apply(&self, value: Value) -> Value {
        if self.0.is_empty() {
            return value;
        }
        match value {
            Value::Array(items) => {
                Value::Array(items.into_iter().map(|item| self.apply(item)).collect())
            }
            Value::Object(mut object) => {
                let mut selected = Map::new();
                for (name, child) in &self.0 {
                    if let Some(field) = object.remove(name) {
                        selected.insert(name.clone(), child.apply(field));
                    }
                }
                Value::Object(selected)
            }
            scalar => scalar,
        }
    }
}

fn fields_parameter(request: &Request) -> Option<String> {
    let query = request.uri().query()?;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == "fields").then(|| percent_decode(value))
    })
}

/// Decodes one query component; invalid escapes stay as written.
fn percent_decode(text: &str) -> String {
    // Query strings write a space as `+` and a literal plus as `%2B`, so `+` becomes a space
    // before the escapes are decoded.
    let with_spaces = text.replace('+', " ");
    percent_encoding::percent_decode_str(&with_spaces)
        .decode_utf8_lossy()
        .into_owned()
}

/// Applies `?fields=` to successful JSON answers of GET requests.
pub async fn select_fields(request: Request, next: Next) -> Response {
    let raw_fields = (request.method() == Method::GET)
        .then(|| fields_parameter(&request))
        .flatten();
    let Some(raw_fields) = raw_fields else {
        return next.run(request).await;
    };
    let selection = match Selection::parse(&raw_fields) {
        Ok(selection) => selection,
        Err(error) => return error.into_response(),
    };
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if !response.status().is_success() || !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_SELECTABLE_BODY_BYTES).await else {
        return ApiError::Backend(tonic::Status::internal(
            "response too large to select fields from",
        ))
        .into_response();
    };
    let Ok(document) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let selected = match document {
        Value::Object(mut envelope)
            if envelope.contains_key("data") && envelope.contains_key("next_cursor") =>
        {
            let data = envelope.remove("data").unwrap_or(Value::Null);
            envelope.insert("data".to_owned(), selection.apply(data));
            Value::Object(envelope)
        }
        resource => selection.apply(resource),
    };
    let body = serde_json::to_vec(&selected).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_paths_select_inside_objects_and_arrays() {
        let selection = Selection::parse("title,tags.name,relations.anime.id").expect("valid");
        let resource = json!({
            "id": "x",
            "title": "SPY x FAMILY",
            "tags": [{"name": "action", "category": "genre"}],
            "relations": [{"kind": "sequel", "anime": {"id": "y", "title": "Season 2"}}]
        });
        assert_eq!(
            selection.apply(resource),
            json!({"title": "SPY x FAMILY", "tags": [{"name": "action"}], "relations": [{"anime": {"id": "y"}}]})
        );
    }

    #[test]
    fn malformed_paths_are_rejected() {
        for raw in ["", ",", "Title", "tags..name", "a b"] {
            assert!(Selection::parse(raw).is_err(), "{raw:?}");
        }
    }

    #[test]
    fn percent_encoded_commas_decode() {
        assert_eq!(percent_decode("title%2Ctags.name"), "title,tags.name");
    }

    #[test]
    fn a_plus_is_a_space_an_encoded_plus_is_a_plus_and_broken_escapes_stay() {
        assert_eq!(percent_decode("a+b%2Bc"), "a b+c");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }

    mod properties {
        use proptest::prelude::*;
        use serde_json::{Map, Value};

        use super::super::*;

        /// Field names as the API spells them.
        fn field_name() -> impl Strategy<Value = String> {
            "[a-z_][a-z0-9_]{0,8}"
        }

        /// JSON documents up to three levels deep, with objects keyed by field names.
        fn document() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(Value::from),
                "[ -~]{0,12}".prop_map(Value::String),
            ];
            leaf.prop_recursive(3, 32, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                    prop::collection::btree_map(field_name(), inner, 0..6).prop_map(|fields| {
                        Value::Object(fields.into_iter().collect::<Map<_, _>>())
                    }),
                ]
            })
        }

        /// Valid `fields` parameters: one to five paths of one to three names.
        fn fields_parameter() -> impl Strategy<Value = String> {
            prop::collection::vec(prop::collection::vec(field_name(), 1..4), 1..6).prop_map(
                |paths| {
                    paths
                        .iter()
                        .map(|path| path.join("."))
                        .collect::<Vec<_>>()
                        .join(",")
                },
            )
        }

        /// Whether every object key in `selected` names a field of the selection at that level.
        fn only_selected_keys(selection: &Selection, selected: &Value) -> bool {
            if selection.0.is_empty() {
                return true;
            }
            match selected {
                Value::Array(items) => items.iter().all(|item| only_selected_keys(selection, item)),
                Value::Object(object) => object.iter().all(|(key, value)| {
                    selection
                        .0
                        .iter()
                        .find(|(name, _)| name == key)
                        .is_some_and(|(_, child)| only_selected_keys(child, value))
                }),
                _ => true,
            }
        }

        proptest! {
            #[test]
            fn any_parameter_parses_or_is_refused_without_panicking(raw in any::<String>()) {
                let _ = Selection::parse(&raw);
            }

            #[test]
            fn a_selection_keeps_only_selected_fields_and_applying_it_twice_changes_nothing(
                raw in fields_parameter(),
                value in document(),
            ) {
                let selection = Selection::parse(&raw).expect("generated paths are valid");
                let selected = selection.apply(value);
                prop_assert!(only_selected_keys(&selection, &selected), "{raw}: {selected}");
                prop_assert_eq!(selection.apply(selected.clone()), selected);
            }

            #[test]
            fn a_selected_top_level_field_keeps_its_whole_value(
                name in field_name(),
                value in document(),
            ) {
                let selection = Selection::parse(&name).expect("a valid name");
                let original = value.get(&name).cloned();
                let selected = selection.apply(value);
                prop_assert_eq!(selected.get(&name).cloned(), original);
            }
        }
    }
}
