//! `GET /api/v1/stream/{anime_id}/{episode}`: a playable stream of an episode for the caller;
//! `DELETE /api/v1/stream/{token}`: releases it, freeing one of the account's stream slots.
//! Both need a bearer token, verified here first; stream-svc receives the token itself and has
//! auth-svc verify it again, so it never trusts an identity the gateway names.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kensho_kit::time::{from_timestamp, rfc3339_utc};
use kensho_proto::stream::v1 as pb;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Authenticated;
use crate::extract::{NoParams, StrictQuery};
use crate::openapi::PROBLEM_CONTENT_TYPE;
use crate::problem::{ApiError, ProblemSchema};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_stream))
        .routes(routes!(release_stream))
}

/// A subtitle track.
#[derive(Serialize, ToSchema)]
#[schema(as = Subtitle)]
struct SubtitleJson {
    /// Its language (BCP 47).
    #[schema(example = "en-US")]
    language: String,
    /// Its file format.
    #[schema(example = "vtt")]
    format: String,
    /// Where to fetch it.
    url: String,
}

/// A variant with subtitles burnt in.
#[derive(Serialize, ToSchema)]
#[schema(as = HardSub)]
struct HardSubJson {
    /// The subtitles' language.
    locale: String,
    /// The variant's HLS manifest.
    manifest_url: String,
}

/// A playable stream.
#[derive(Serialize, ToSchema)]
#[schema(as = Stream)]
struct StreamJson {
    /// The HLS manifest.
    manifest_url: String,
    /// RFC 3339, UTC.
    #[schema(format = DateTime, example = "2024-02-29T23:59:59Z")]
    expires_at: String,
    /// The audio language.
    #[schema(example = "ja-JP")]
    audio_locale: String,
    /// Subtitle tracks.
    subtitles: Vec<SubtitleJson>,
    /// Variants with subtitles burnt in.
    hard_subs: Vec<HardSubJson>,
    /// Headers the player must send with its requests.
    request_headers: BTreeMap<String, String>,
    /// Pass to `DELETE /api/v1/stream/{token}` to release the stream.
    stream_token: String,
}

impl TryFrom<pb::GetStreamResponse> for StreamJson {
    type Error = ApiError;

    fn try_from(stream: pb::GetStreamResponse) -> Result<Self, ApiError> {
        // stream-svc always sets a representable expiry; anything else breaks its contract.
        let expires_at = stream
            .expires_at
            .as_ref()
            .and_then(|expires_at| from_timestamp(expires_at).ok())
            .and_then(|expires_at| rfc3339_utc(expires_at).ok())
            .ok_or_else(|| {
                ApiError::Backend(tonic::Status::internal(
                    "stream-svc answered without a valid expiry",
                ))
            })?;
        Ok(StreamJson {
            manifest_url: stream.manifest_url,
            expires_at,
            audio_locale: stream.audio_locale,
            subtitles: stream
                .subtitles
                .into_iter()
                .map(|track| SubtitleJson {
                    language: track.language,
                    format: track.format,
                    url: track.url,
                })
                .collect(),
            hard_subs: stream
                .hard_subs
                .into_iter()
                .map(|variant| HardSubJson {
                    locale: variant.locale,
                    manifest_url: variant.manifest_url,
                })
                .collect(),
            request_headers: stream.request_headers.into_iter().collect(),
            stream_token: stream.stream_token,
        })
    }
}

/// A playable stream of one episode for the caller.
#[utoipa::path(
    get,
    path = "/api/v1/stream/{anime_id}/{episode}",
    tag = "stream",
    security(("bearer" = [])),
    params(
        ("anime_id" = String, Path, description = "The anime id.", example = "54346a98c23760eb"),
        ("episode" = u32, Path, description = "The episode number.", example = 1),
    ),
    responses(
        (status = 200, description = "The stream.", body = StreamJson),
        (status = 403, description = "The account may not play it (premium-only, region-locked).", body = ProblemSchema, content_type = PROBLEM_CONTENT_TYPE),
        (status = 404, description = "No such anime or episode, or not matched on Crunchyroll.", body = ProblemSchema, content_type = PROBLEM_CONTENT_TYPE),
    )
)]
async fn get_stream(
    State(state): State<AppState>,
    caller: Authenticated,
    Path((anime_id, episode)): Path<(String, String)>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
) -> Result<Json<StreamJson>, ApiError> {
    let episode_number = episode
        .parse::<u32>()
        .map_err(|_| ApiError::invalid_field("episode", "must be an episode number"))?;
    let request = pb::GetStreamRequest {
        episode: Some(pb::get_stream_request::Episode::ByNumber(
            pb::EpisodeByNumber {
                anime_id,
                episode_number,
            },
        )),
        access_token: caller.access_token.expose().clone(),
    };
    let response = state.stream.clone().get_stream(request).await?;
    Ok(Json(response.into_inner().try_into()?))
}

/// Releases a stream, freeing one of the account's stream slots.
#[utoipa::path(
    delete,
    path = "/api/v1/stream/{token}",
    tag = "stream",
    security(("bearer" = [])),
    params(("token" = String, Path, description = "The `stream_token` of the stream.")),
    responses(
        (status = 204, description = "Released."),
        (status = 404, description = "No such stream of the caller's.", body = ProblemSchema, content_type = PROBLEM_CONTENT_TYPE),
    )
)]
async fn release_stream(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(stream_token): Path<String>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
) -> Result<StatusCode, ApiError> {
    let request = pb::ReleaseStreamRequest {
        stream_token,
        access_token: caller.access_token.expose().clone(),
    };
    state.stream.clone().release_stream(request).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream_expiring_at(expires_at: Option<prost_types::Timestamp>) -> pb::GetStreamResponse {
        pb::GetStreamResponse {
            manifest_url: "https://play.example/manifest.m3u8".to_owned(),
            expires_at,
            ..pb::GetStreamResponse::default()
        }
    }

    #[test]
    fn the_expiry_is_rfc3339_utc_to_the_second() {
        let last_second_of_leap_day = prost_types::Timestamp {
            seconds: 1_709_251_199,
            nanos: 500_000_000,
        };
        let json = StreamJson::try_from(stream_expiring_at(Some(last_second_of_leap_day)))
            .unwrap_or_else(|_| panic!("a valid expiry converts"));
        assert_eq!(json.expires_at, "2024-02-29T23:59:59Z");
    }

    #[test]
    fn a_stream_without_an_expiry_is_a_backend_failure() {
        let converted = StreamJson::try_from(stream_expiring_at(None));
        assert!(matches!(converted, Err(ApiError::Backend(_))));
    }
}
