//! Strict extractors: every route names the query parameters and body fields it accepts, and an
//! unknown, repeated or malformed one is a 400 problem naming it and listing the accepted ones,
//! instead of being ignored (a silently ignored `?type=movie` answers unfiltered results).

use std::fmt;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::problem::{ApiError, FieldError};

/// Every GET accepts `fields`; the field-selection middleware reads it.
pub(crate) const FIELD_SELECTION: &str = "fields";

/// The query parameters or JSON body fields one route accepts.
pub trait Accepted {
    /// Every name the route accepts.
    const ACCEPTED: &'static [&'static str];
    /// The query parameters that may be given more than once (lists); the others may not.
    const REPEATABLE: &'static [&'static str] = &[];
}

/// The names of several parameter groups in one list, for a route that takes them all
/// (`accepted_names::<N>(&[FilterParams::ACCEPTED, ListParams::ACCEPTED])`), so each group's names
/// are written once; `N` is checked when the constant is evaluated, at compile time.
pub const fn accepted_names<const N: usize>(groups: &[&[&'static str]]) -> [&'static str; N] {
    let mut names = [""; N];
    let mut filled = 0;
    let mut group = 0;
    while group < groups.len() {
        let mut index = 0;
        while index < groups[group].len() {
            assert!(filled < N, "more names than N");
            names[filled] = groups[group][index];
            filled += 1;
            index += 1;
        }
        group += 1;
    }
    assert!(filled == N, "fewer names than N");
    names
}

/// For routes that take no query parameters (`fields` stays accepted on GET).
#[derive(Debug, Default, Deserialize)]
pub struct NoParams {}

impl Accepted for NoParams {
    const ACCEPTED: &'static [&'static str] = &[];
}

/// Query parameters checked against `T::ACCEPTED`. Lists arrive as JSON arrays of strings and
/// every other parameter as a string, so `T` holds `Option<String>` and `Vec<String>` fields
/// and the handler parses values, naming the parameter when one is malformed.
pub struct StrictQuery<T>(pub T);

impl<T: DeserializeOwned + Accepted, S: Send + Sync> FromRequestParts<S> for StrictQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let accepts_field_selection = parts.method == Method::GET;
        let mut accepted: Vec<&str> = T::ACCEPTED.to_vec();
        if accepts_field_selection {
            accepted.push(FIELD_SELECTION);
        }
        let pairs: Vec<(String, String)> = parts
            .uri
            .query()
            .map(|query| {
                form_urlencoded::parse(query.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        let mut errors = Vec::new();
        let mut values = Map::new();
        for (name, value) in pairs {
            if !accepted.contains(&name.as_str()) {
                errors.push(unknown(&name, "query parameter", &accepted));
            } else if T::REPEATABLE.contains(&name.as_str()) {
                let list = values
                    .entry(name)
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = list {
                    items.push(Value::String(value));
                }
            } else if values.contains_key(&name) {
                errors.push(repeated(&name));
            } else {
                values.insert(name, Value::String(value));
            }
        }
        values.remove(FIELD_SELECTION);
        if !errors.is_empty() {
            errors.dedup();
            return Err(ApiError::InvalidFields(errors));
        }
        deserialize_fields(values, false).map(StrictQuery)
    }
}

/// A JSON object body checked against `T::ACCEPTED`: an unknown or repeated field, or one of
/// the wrong type, is a 400 naming it.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + Accepted, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        strict_body::<T, S>(request, state, false)
            .await
            .map(ApiJson)
    }
}

/// A JSON body that may hold secrets (passwords, tokens): like [`ApiJson`], but no error quotes
/// a value, since the deserializer's messages can echo the values it saw.
pub struct SensitiveJson<T>(pub T);

impl<T: DeserializeOwned + Accepted, S: Send + Sync> FromRequest<S> for SensitiveJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        strict_body::<T, S>(request, state, true)
            .await
            .map(SensitiveJson)
    }
}

async fn strict_body<T: DeserializeOwned + Accepted, S: Send + Sync>(
    request: Request,
    state: &S,
    is_sensitive: bool,
) -> Result<T, ApiError> {
    let axum::Json(BodyEntries(entries)) = axum::Json::<BodyEntries>::from_request(request, state)
        .await
        .map_err(|rejection| body_rejection(rejection, is_sensitive))?;
    let mut errors = Vec::new();
    let mut fields = Map::new();
    for (name, value) in entries {
        if !T::ACCEPTED.contains(&name.as_str()) {
            errors.push(unknown(&name, "body field", T::ACCEPTED));
        } else if fields.contains_key(&name) {
            errors.push(repeated(&name));
        } else {
            fields.insert(name, value);
        }
    }
    if !errors.is_empty() {
        errors.dedup();
        return Err(ApiError::InvalidFields(errors));
    }
    deserialize_fields(fields, is_sensitive)
}

fn body_rejection(rejection: JsonRejection, is_sensitive: bool) -> ApiError {
    match rejection {
        JsonRejection::JsonSyntaxError(_) => ApiError::invalid_field("body", "is not valid JSON"),
        JsonRejection::JsonDataError(_) => ApiError::invalid_field("body", "must be a JSON object"),
        other if other.status() == StatusCode::BAD_REQUEST && !is_sensitive => {
            ApiError::invalid_field("body", other.body_text())
        }
        other => ApiError::Rejected {
            status: other.status(),
            message: other.body_text(),
        },
    }
}

/// Deserializes checked fields, naming the field whose value has the wrong shape.
fn deserialize_fields<T: DeserializeOwned>(
    fields: Map<String, Value>,
    is_sensitive: bool,
) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(Value::Object(fields)).map_err(|error| {
        let field = error.path().to_string();
        let message = if is_sensitive {
            "has the wrong type".to_owned()
        } else {
            error.into_inner().to_string()
        };
        ApiError::invalid_field(&field, message)
    })
}

fn unknown(name: &str, kind: &str, accepted: &[&str]) -> FieldError {
    let listed = if accepted.is_empty() {
        "none".to_owned()
    } else {
        accepted.join(", ")
    };
    FieldError {
        field: name.to_owned(),
        message: format!("is not a {kind} of this route; accepted: {listed}"),
    }
}

fn repeated(name: &str) -> FieldError {
    FieldError {
        field: name.to_owned(),
        message: "may be given only once".to_owned(),
    }
}

/// A JSON object's members in order, duplicates kept (a `serde_json::Map` would keep only the
/// last), so a repeated field can be refused rather than one of its values silently dropped.
struct BodyEntries(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for BodyEntries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EntriesVisitor)
    }
}

struct EntriesVisitor;

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = BodyEntries;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BodyEntries, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, Value>()? {
            entries.push(entry);
        }
        Ok(BodyEntries(entries))
    }
}

/// Parses an optional numeric query parameter, naming it in the error.
pub fn optional_u32(value: Option<&str>, field: &str) -> Result<Option<u32>, ApiError> {
    match value {
        None | Some("") => Ok(None),
        Some(text) => text
            .parse::<u32>()
            .map(Some)
            .map_err(|_| ApiError::invalid_field(field, "must be a non-negative whole number")),
    }
}
