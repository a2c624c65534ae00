//! `GET /api/v1/tags?category=`: tags with their category and anime count.

use axum::Json;
use axum::extract::State;
use kensho_proto::catalog::v1 as pb;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Accepted, StrictQuery, optional_u32};
use crate::json::{ListResponse, TagCountJson};
use crate::openapi::enums;
use crate::problem::ApiError;
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_tags))
}

/// Which tags, and which page.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct TagParams {
    /// Only tags of this category (any case).
    #[param(schema_with = enums::tag_category_parameter, required = false)]
    category: Option<String>,
    /// Items per page.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, default = 20)]
    limit: Option<String>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

impl Accepted for TagParams {
    const ACCEPTED: &'static [&'static str] = &["category", "limit", "cursor"];
}

/// Tags by name with their category and anime count.
#[utoipa::path(
    get,
    path = "/api/v1/tags",
    tag = "browse",
    params(TagParams),
    responses((status = 200, description = "A page of tags.", body = ListResponse<TagCountJson>))
)]
async fn list_tags(
    State(state): State<AppState>,
    StrictQuery(params): StrictQuery<TagParams>,
) -> Result<Json<ListResponse<TagCountJson>>, ApiError> {
    let category = match params.category.as_deref() {
        None | Some("") => pb::TagCategory::Unspecified,
        Some(name) => {
            pb::TagCategory::from_str_name(&format!("TAG_CATEGORY_{}", name.to_ascii_uppercase()))
                .filter(|category| *category != pb::TagCategory::Unspecified)
                .ok_or_else(|| {
                    ApiError::invalid_field(
                        "category",
                        "must be one of genre, theme, demographic, content",
                    )
                })?
        }
    };
    let message = pb::ListTagsRequest {
        page_size: optional_u32(params.limit.as_deref(), "limit")?,
        page_token: params.cursor.unwrap_or_default(),
        category: category.into(),
    };
    let request = message;
    let response = state.catalog.clone().list_tags(request).await?.into_inner();
    let tags = response.tags.into_iter().map(TagCountJson::from).collect();
    Ok(Json(ListResponse::new(tags, response.next_page_token)))
}
