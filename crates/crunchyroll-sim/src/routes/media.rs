//! The media URLs the play answer hands out, under `/_sim/media/{content_id}/{token}/`: they
//! work while the stream token is live and answer 404 once it is released or expired.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::errors::not_found;
use crate::playback::media::{ass_subtitles, master_playlist, segment, variant_playlist};
use crate::playback::playable::{Playable, playable};
use crate::state::SimState;

/// HLS playlist media type.
const HLS_CONTENT_TYPE: &str = "application/vnd.apple.mpegurl";
/// ASS subtitle media type.
const ASS_CONTENT_TYPE: &str = "text/x-ssa; charset=utf-8";
/// MPEG-TS media type.
const TS_CONTENT_TYPE: &str = "video/mp2t";

/// The media routes.
pub(super) fn router() -> Router<SimState> {
    Router::new()
        .route("/_sim/media/{content_id}/{token}/master.m3u8", get(master))
        .route(
            "/_sim/media/{content_id}/{token}/variant/{file}",
            get(variant),
        )
        .route(
            "/_sim/media/{content_id}/{token}/segment/{rendition}/{file}",
            get(segment_file),
        )
        .route(
            "/_sim/media/{content_id}/{token}/subtitles/{file}",
            get(subtitles),
        )
}

/// The content behind a live token, or `None`.
fn live_content(state: &SimState, content_id: &str, token: &str) -> Option<Playable> {
    state.streams.playable(content_id, token)?;
    playable(&state.catalog, content_id)
}

fn with_type(body: impl IntoResponse, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

async fn master(
    State(state): State<SimState>,
    Path((content_id, token)): Path<(String, String)>,
) -> Response {
    match live_content(&state, &content_id, &token) {
        Some(_) => with_type(master_playlist(), HLS_CONTENT_TYPE),
        None => not_found(),
    }
}

async fn variant(
    State(state): State<SimState>,
    Path((content_id, token, file)): Path<(String, String, String)>,
) -> Response {
    live_content(&state, &content_id, &token)
        .and_then(|content| variant_playlist(&file, content.duration_ms))
        .map_or_else(not_found, |playlist| with_type(playlist, HLS_CONTENT_TYPE))
}

async fn segment_file(
    State(state): State<SimState>,
    Path((content_id, token, _rendition, file)): Path<(String, String, String, String)>,
) -> Response {
    match live_content(&state, &content_id, &token) {
        Some(_) if file.ends_with(".ts") => with_type(segment(), TS_CONTENT_TYPE),
        _ => not_found(),
    }
}

async fn subtitles(
    State(state): State<SimState>,
    Path((content_id, token, file)): Path<(String, String, String)>,
) -> Response {
    live_content(&state, &content_id, &token)
        .and_then(|content| ass_subtitles(&file, &content.title, content.duration_ms))
        .map_or_else(not_found, |subtitles| {
            with_type(subtitles, ASS_CONTENT_TYPE)
        })
}
