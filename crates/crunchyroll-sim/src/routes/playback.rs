//! The play service (§5), mounted both under `/playback` (www) and at the bare paths of the
//! cr-play-service host: play, release, keepAlive and the account's active streams.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::auth::AccountCaller;
use crate::errors::{SimError, not_found};
use crate::playback::playable::playable;
use crate::playback::response::{
    HardSub, PlayResponse, PlaySession, STREAM_LOCALES, Subtitle, active_stream, asset_id,
};
use crate::playback::streams::StreamRequest;
use crate::state::SimState;

/// The play-service routes, under both prefixes.
pub(super) fn router() -> Router<SimState> {
    let mut router = Router::new();
    for prefix in ["/playback", ""] {
        router = router
            .route(
                &format!("{prefix}/v3/{{episode_id}}/{{device}}/{{platform}}/play"),
                get(play),
            )
            .route(
                &format!("{prefix}/v1/token/{{content_id}}/{{token}}"),
                delete(release),
            )
            .route(
                &format!("{prefix}/v1/token/{{content_id}}/{{token}}/keepAlive"),
                patch(keep_alive),
            )
            .route(
                &format!("{prefix}/v1/sessions/streaming"),
                get(streaming_sessions),
            );
    }
    router
}

async fn play(
    caller: AccountCaller,
    State(state): State<SimState>,
    Path((episode_id, device, platform)): Path<(String, String, String)>,
) -> Result<Json<PlayResponse>, SimError> {
    let content = playable(&state.catalog, &episode_id).ok_or(SimError::NotFound)?;
    if content.is_premium_only && !caller.account.premium {
        return Err(SimError::PremiumOnly);
    }
    let ttl_seconds = state.streams.ttl_seconds();
    let request = StreamRequest {
        account: caller.account_index,
        content_id: episode_id.clone(),
        client_id: caller.grant.client_id.clone(),
        device_id: caller.grant.device.device_id.clone(),
        device_type: device,
        device_subtype: platform,
    };
    let session = state
        .streams
        .start(request, caller.account.concurrent_streams)
        .map_err(|held| {
            SimError::TooManyActiveStreams(
                held.iter()
                    .map(|session| active_stream(session, &caller.account, ttl_seconds))
                    .collect(),
            )
        })?;
    tracing::debug!(content_id = %episode_id, "stream token issued");
    let media_base = format!(
        "{}/_sim/media/{episode_id}/{}",
        state.public_base_url, session.token
    );
    let hard_subs: BTreeMap<_, _> = STREAM_LOCALES
        .into_iter()
        .map(|locale| {
            let url = format!("{media_base}/master.m3u8?hardsub={locale}");
            (
                locale,
                HardSub {
                    hlang: locale,
                    url,
                    quality: "adaptive",
                },
            )
        })
        .collect();
    let subtitles: BTreeMap<_, _> = STREAM_LOCALES
        .into_iter()
        .map(|locale| {
            let url = format!("{media_base}/subtitles/{locale}.ass");
            (
                locale,
                Subtitle {
                    format: "ass",
                    language: locale,
                    url,
                },
            )
        })
        .collect();
    Ok(Json(PlayResponse {
        asset_id: asset_id(&episode_id),
        audio_locale: "ja-JP",
        audio_role: "main",
        bifs: "",
        burned_in_locale: "",
        captions: serde_json::Map::new(),
        hard_subs,
        subtitles,
        playback_type: "on_demand",
        session: PlaySession::new(ttl_seconds),
        url: format!("{media_base}/master.m3u8"),
        token: session.token,
        versions: content.versions,
    }))
}

async fn release(
    caller: AccountCaller,
    State(state): State<SimState>,
    Path((content_id, token)): Path<(String, String)>,
) -> Response {
    if state
        .streams
        .release(caller.account_index, &content_id, &token)
    {
        StatusCode::NO_CONTENT.into_response()
    } else {
        not_found()
    }
}

async fn keep_alive(
    caller: AccountCaller,
    State(state): State<SimState>,
    Path((content_id, token)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let playhead = query
        .get("playhead")
        .and_then(|value| value.parse::<f64>().ok())
        .map(|seconds| seconds.max(0.0) as u64);
    if state
        .streams
        .keep_alive(caller.account_index, &content_id, &token, playhead)
    {
        Json(json!({})).into_response()
    } else {
        not_found()
    }
}

async fn streaming_sessions(caller: AccountCaller, State(state): State<SimState>) -> Json<Value> {
    let ttl_seconds = state.streams.ttl_seconds();
    let items: Vec<Value> = state
        .streams
        .active_for(caller.account_index)
        .iter()
        .map(|session| active_stream(session, &caller.account, ttl_seconds))
        .collect();
    Json(json!({ "items": items }))
}
