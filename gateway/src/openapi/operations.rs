//! What every operation shares, added once over the whole document rather than repeated on
//! each route: the `fields` parameter of every GET (see `extract`), the problem responses the
//! middleware can answer with, the rate-limit headers of `/api/` routes, the HTTP caching of
//! catalog reads (see `conditional`) and the bearer scheme.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::schema::{Components, ObjectBuilder, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as Document, Ref, RefOr, Required, ResponseBuilder};
use utoipa::{PartialSchema, ToSchema};

use super::PROBLEM_CONTENT_TYPE;
use crate::conditional::HttpCacheSettings;
use crate::extract::FIELD_SELECTION;
use crate::problem::ProblemSchema;

/// The name operations use in `security` for a bearer access token.
pub const BEARER_SCHEME: &str = "bearer";

/// Rate-limit headers every `/api/` response carries when limits are configured.
const RATE_LIMIT_HEADERS: [(&str, &str); 5] = [
    (
        "RateLimit-Policy",
        "The client's quota for this route class (IETF httpapi draft): \
         `\"<tier>:<class>:<client>\";q=<requests>;w=<window seconds>`.",
    ),
    (
        "RateLimit",
        "What is left of that quota: `\"<name>\";r=<remaining>;t=<seconds until reset>`.",
    ),
    ("X-RateLimit-Limit", "Requests per window."),
    ("X-RateLimit-Remaining", "Requests left in this window."),
    (
        "X-RateLimit-Reset",
        "Seconds until the quota is full again.",
    ),
];
const RETRY_AFTER: &str = "Retry-After";

/// Headers of a cacheable catalog read.
const CACHING_HEADERS: [(&str, &str); 3] = [
    (
        "ETag",
        "A strong validator of the body; send it back in `If-None-Match`.",
    ),
    (
        "Cache-Control",
        "How long clients and shared caches may keep the answer.",
    ),
    (
        "Cache-Status",
        "Which cache layer answered and whether it was stale (RFC 9211).",
    ),
];

/// The problem responses operations share: (status, component name, description, whether it
/// carries `Retry-After`).
const SHARED_PROBLEMS: [(&str, &str, &str, bool); 7] = [
    (
        "400",
        "InvalidRequest",
        "A parameter or body field is unknown, repeated or malformed; `errors` names each.",
        false,
    ),
    (
        "401",
        "Unauthenticated",
        "No valid bearer token (`WWW-Authenticate` says why).",
        false,
    ),
    (
        "413",
        "BodyTooLarge",
        "The body exceeds the configured limit.",
        false,
    ),
    (
        "429",
        "RateLimited",
        "The client spent its rate-limit budget (problem type `rate-limited`), or Crunchyroll's (`upstream-rate-limited`).",
        true,
    ),
    (
        "500",
        "InternalError",
        "An unexpected failure; the body says only its kind.",
        false,
    ),
    (
        "503",
        "Unavailable",
        "The gateway is at capacity or a backend is unavailable (`upstream-unavailable` for Crunchyroll).",
        true,
    ),
    (
        "504",
        "Timeout",
        "The request took longer than the configured timeout.",
        false,
    ),
];

/// Adds the shared components and, to each operation, what it shares with the others.
pub fn complete(document: &mut Document) {
    let components = document.components.get_or_insert_with(Components::default);
    add_shared_components(components);
    for (path, item) in document.paths.paths.iter_mut() {
        let is_api_route = path.starts_with("/api/");
        for (method, operation) in operations_mut(item) {
            require_path_parameters(operation);
            if method == "get" {
                add_field_selection(operation);
                if HttpCacheSettings::default().max_age(path).is_some() {
                    add_conditional_get(operation);
                }
            }
            let is_secured = operation
                .security
                .as_ref()
                .is_some_and(|requirements| !requirements.is_empty());
            let shared = SHARED_PROBLEMS.iter().filter(|(status, ..)| match *status {
                "400" => true,
                "401" => is_secured,
                "413" => method == "post",
                _ => is_api_route,
            });
            for (status, name, ..) in shared {
                operation
                    .responses
                    .responses
                    .entry((*status).to_owned())
                    .or_insert_with(|| RefOr::Ref(Ref::from_response_name(*name)));
            }
            if is_api_route {
                add_rate_limit_headers(operation);
            }
        }
    }
}

/// Every operation of a path item, with its lowercase method.
pub fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = (&'static str, &mut Operation)> {
    [
        ("get", item.get.as_mut()),
        ("put", item.put.as_mut()),
        ("post", item.post.as_mut()),
        ("delete", item.delete.as_mut()),
        ("options", item.options.as_mut()),
        ("head", item.head.as_mut()),
        ("patch", item.patch.as_mut()),
        ("trace", item.trace.as_mut()),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.map(|operation| (method, operation)))
}

fn add_shared_components(components: &mut Components) {
    let mut problem_schemas = vec![(ProblemSchema::name().into_owned(), ProblemSchema::schema())];
    ProblemSchema::schemas(&mut problem_schemas);
    components.schemas.extend(problem_schemas);
    super::enums::add_components(components);
    components.security_schemes.insert(
        BEARER_SCHEME.to_owned(),
        RefOr::T(SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some(
                    "An access token from `POST /api/v1/auth/login` or `/refresh`.",
                ))
                .build(),
        )),
    );
    let header_schema =
        |schema_type: Type| ObjectBuilder::new().schema_type(SchemaType::from(schema_type));
    for (name, description) in RATE_LIMIT_HEADERS {
        let schema_type = if name.starts_with("X-") {
            Type::Integer
        } else {
            Type::String
        };
        let header = HeaderBuilder::new()
            .schema(Some(header_schema(schema_type)))
            .description(Some(description))
            .build();
        components.headers.insert(name.to_owned(), RefOr::T(header));
    }
    for (name, description) in CACHING_HEADERS {
        let header = HeaderBuilder::new()
            .schema(Some(header_schema(Type::String)))
            .description(Some(description))
            .build();
        components.headers.insert(name.to_owned(), RefOr::T(header));
    }
    let retry_after = HeaderBuilder::new()
        .schema(Some(header_schema(Type::Integer)))
        .description(Some("Seconds to wait before retrying."))
        .build();
    components
        .headers
        .insert(RETRY_AFTER.to_owned(), RefOr::T(retry_after));
    for (_, name, description, carries_retry_after) in SHARED_PROBLEMS {
        let mut response = ResponseBuilder::new().description(description).content(
            PROBLEM_CONTENT_TYPE,
            Content::new(Some(Ref::from_schema_name(ProblemSchema::name()))),
        );
        if carries_retry_after {
            response = response.header_ref(RETRY_AFTER, header_ref(RETRY_AFTER));
        }
        components
            .responses
            .insert(name.to_owned(), RefOr::T(response.build()));
    }
}

fn header_ref(name: &str) -> Ref {
    Ref::new(format!("#/components/headers/{name}"))
}

/// A path parameter is always required; `schema_with` parameters come out optional.
fn require_path_parameters(operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        if let RefOr::T(parameter) = parameter
            && parameter.parameter_in == ParameterIn::Path
        {
            parameter.required = Required::True;
        }
    }
}

fn add_field_selection(operation: &mut Operation) {
    let parameter = ParameterBuilder::new()
        .name(FIELD_SELECTION)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(
            "Comma-separated field paths to answer with (`title,tags.name`); in a list they name \
             fields of each item. 1 to 50 paths of lowercase letters, digits and `_`. The answer \
             then holds only those fields, so fields the schema requires may be missing.",
        ))
        .schema(Some(
            ObjectBuilder::new().schema_type(SchemaType::from(Type::String)),
        ))
        .example(Some(serde_json::json!("id,title")))
        .build();
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .push(RefOr::T(parameter));
}

/// `If-None-Match`, the caching headers on 200 and the 304 answer of a catalog read.
fn add_conditional_get(operation: &mut Operation) {
    let if_none_match = ParameterBuilder::new()
        .name("If-None-Match")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "An `ETag` of an earlier answer: 304 when it still matches.",
        ))
        .schema(Some(
            ObjectBuilder::new().schema_type(SchemaType::from(Type::String)),
        ))
        .build();
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .push(RefOr::T(if_none_match));
    if let Some(RefOr::T(found)) = operation.responses.responses.get_mut("200") {
        for (name, _) in CACHING_HEADERS {
            found
                .headers
                .insert(name.to_owned(), RefOr::Ref(header_ref(name)));
        }
    }
    let not_modified = ResponseBuilder::new()
        .description("The answer matching `If-None-Match` is still current; no body.")
        .header_ref("ETag", header_ref("ETag"))
        .build();
    operation
        .responses
        .responses
        .insert("304".to_owned(), RefOr::T(not_modified));
}

fn add_rate_limit_headers(operation: &mut Operation) {
    for response in operation.responses.responses.values_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        for (name, _) in RATE_LIMIT_HEADERS {
            response
                .headers
                .insert(name.to_owned(), RefOr::Ref(header_ref(name)));
        }
    }
}
