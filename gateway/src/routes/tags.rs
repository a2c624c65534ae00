//! `GET /api/v1/tags?category=`: tags with their category and anime count.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use kensho_proto::catalog::v1 as pb;
use serde::Deserialize;

use crate::extract::{Accepted, StrictQuery, optional_u32};
use crate::json::{ListResponse, TagCountJson};
use crate::problem::ApiError;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/tags", get(list_tags))
}

#[derive(Deserialize)]
struct TagParams {
    category: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

impl Accepted for TagParams {
    const ACCEPTED: &'static [&'static str] = &["category", "limit", "cursor"];
}

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
