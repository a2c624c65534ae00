//! `GET /api/v1/stream/{anime_id}/{episode}`: a playable stream of an episode for the caller;
//! `DELETE /api/v1/stream/{token}`: releases it, freeing one of the account's stream slots.
//! Both need a bearer token; stream-svc receives the caller's subject and session from it.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use kensho_proto::stream::v1 as pb;
use serde::Serialize;

use crate::auth::Authenticated;
use crate::problem::ApiError;
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/stream/{anime_id}/{episode}", get(get_stream))
        .route("/api/v1/stream/{token}", delete(release_stream))
}

#[derive(Serialize)]
struct SubtitleJson {
    language: String,
    format: String,
    url: String,
}

#[derive(Serialize)]
struct HardSubJson {
    locale: String,
    manifest_url: String,
}

#[derive(Serialize)]
struct StreamJson {
    manifest_url: String,
    /// RFC 3339, UTC.
    expires_at: String,
    audio_locale: String,
    subtitles: Vec<SubtitleJson>,
    hard_subs: Vec<HardSubJson>,
    request_headers: BTreeMap<String, String>,
    stream_token: String,
}

impl From<pb::GetStreamResponse> for StreamJson {
    fn from(stream: pb::GetStreamResponse) -> Self {
        StreamJson {
            manifest_url: stream.manifest_url,
            expires_at: rfc3339_utc(stream.expires_at_unix),
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
        }
    }
}

async fn get_stream(
    State(state): State<AppState>,
    caller: Authenticated,
    Path((anime_id, episode)): Path<(String, String)>,
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
        session_id: caller.session_id,
        subject: caller.subject,
    };
    let response = state.stream.clone().get_stream(request).await?;
    Ok(Json(response.into_inner().into()))
}

async fn release_stream(
    State(state): State<AppState>,
    caller: Authenticated,
    Path(stream_token): Path<String>,
) -> Result<StatusCode, ApiError> {
    let request = pb::ReleaseStreamRequest {
        stream_token,
        session_id: caller.session_id,
        subject: caller.subject,
    };
    state.stream.clone().release_stream(request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `YYYY-MM-DDTHH:MM:SSZ` of a Unix time.
fn rfc3339_utc(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let seconds_of_day = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        seconds_of_day / 3600,
        seconds_of_day % 3600 / 60,
        seconds_of_day % 60
    )
}

/// The civil date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::rfc3339_utc;

    #[test]
    fn unix_times_format_as_rfc3339_utc() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_709_251_199), "2024-02-29T23:59:59Z");
        assert_eq!(rfc3339_utc(1_798_761_600), "2027-01-01T00:00:00Z");
    }
}
