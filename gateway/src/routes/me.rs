//! `GET /api/v1/me`: who the bearer token belongs to; the smallest protected route.

use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Authenticated;
use crate::extract::{NoParams, StrictQuery};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(me))
}

/// Who a bearer token belongs to.
#[derive(Serialize, ToSchema)]
#[schema(as = Me)]
struct MeJson {
    /// The user.
    subject: String,
    /// The session the token belongs to.
    session_id: String,
}

/// The caller's identity, from its bearer token.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "auth",
    security(("bearer" = [])),
    responses((status = 200, description = "The caller.", body = MeJson))
)]
async fn me(
    caller: Authenticated,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
) -> Json<MeJson> {
    Json(MeJson {
        subject: caller.subject,
        session_id: caller.session_id,
    })
}
