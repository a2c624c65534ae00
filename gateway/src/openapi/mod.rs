//! The API contract: the OpenAPI 3.1 document, generated from the route table (each route's
//! `#[utoipa::path]` operation and the `ToSchema`/`IntoParams` types it reads and writes), served
//! at `/api/openapi.json` and `/api/openapi.yaml`, with an offline Swagger UI at `/api/docs`.

pub(crate) mod enums;
mod operations;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Router, middleware};
use utoipa::OpenApi;
use utoipa::openapi::OpenApi as Document;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::state::AppState;

pub(crate) use crate::problem::PROBLEM_CONTENT_TYPE;

/// Where the document is served, as JSON and as YAML.
pub const DOCUMENT_JSON_PATH: &str = "/api/openapi.json";
/// The YAML rendering of the same document.
pub const DOCUMENT_YAML_PATH: &str = "/api/openapi.yaml";
/// The interactive docs page.
pub const DOCS_PAGE_PATH: &str = "/api/docs";

/// What the route table does not say: the API's name, description and tag descriptions.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kensho API",
        description = "Anime catalog, search, sessions and streams. Every error is an RFC 9457 \
            `application/problem+json` document; lists use opaque cursors; every GET accepts \
            `fields` to select fields.",
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    tags(
        (name = "anime", description = "Anime details, episodes, batch lookup and lookup by source."),
        (name = "search", description = "Title and synonym search."),
        (name = "browse", description = "Seasons and tags."),
        (name = "auth", description = "Sessions (OAuth 2.0 token shapes) and the keys that verify tokens."),
        (name = "stream", description = "Playable streams for an authenticated user."),
        (name = "health", description = "Probes for orchestrators."),
    )
)]
struct ApiIntroduction;

/// The whole document: the introduction, the operations of the route table, then what every
/// operation shares (problem responses, rate-limit headers, `fields`, the bearer scheme).
pub fn document(route_table: Document) -> Document {
    let mut document = ApiIntroduction::openapi();
    document.merge(route_table);
    document.info.version = env!("CARGO_PKG_VERSION").to_owned();
    operations::complete(&mut document);
    document
}

/// Serves the document (JSON and YAML) and the docs page.
pub fn router(document: Document) -> Router<AppState> {
    let yaml = document.to_yaml().unwrap_or_default();
    // No online validator: the page must not call out of the gateway.
    let swagger_ui = SwaggerUi::new(DOCS_PAGE_PATH)
        .url(DOCUMENT_JSON_PATH, document)
        .config(Config::default().validator_url("none"));
    Router::<AppState>::from(swagger_ui)
        .layer(middleware::map_response(allow_docs_page_assets))
        .route(
            DOCUMENT_YAML_PATH,
            get(move || std::future::ready(yaml_response(yaml.clone()))),
        )
}

fn yaml_response(yaml: String) -> Response {
    ([(header::CONTENT_TYPE, "application/yaml")], yaml).into_response()
}

/// The docs page runs its own (vendored) scripts and styles: it gets a policy allowing those,
/// from this origin only, instead of the API's `default-src 'none'`.
async fn allow_docs_page_assets(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
             script-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
        ),
    );
    response
}
