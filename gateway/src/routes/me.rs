//! `GET /api/v1/me`: who the bearer token belongs to; the smallest protected route.

use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::auth::Authenticated;
use crate::extract::{NoParams, StrictQuery};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new().route("/api/v1/me", get(me))
}

#[derive(Serialize)]
struct MeJson {
    subject: String,
    session_id: String,
}

async fn me(
    caller: Authenticated,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
) -> Json<MeJson> {
    Json(MeJson {
        subject: caller.subject,
        session_id: caller.session_id,
    })
}
