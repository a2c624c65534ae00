//! The play response (§5.2, camelCase) and the `activeStreams` entries of the 420 answer and of
//! `sessions/streaming` (CRD's `ActiveStream` keys).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::streams::StreamSession;
use crate::auth::AccountRecord;
use crate::wire::episode::EpisodeVersion;

/// Subtitle and hard-sub locales every stream offers.
pub(crate) const STREAM_LOCALES: [&str; 2] = ["en-US", "de-DE"];
/// Keep-alive cadence clients are told to use.
const RENEW_SECONDS: u64 = 270;

/// A successful play answer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PlayResponse {
    pub(crate) asset_id: String,
    pub(crate) audio_locale: &'static str,
    pub(crate) audio_role: &'static str,
    pub(crate) bifs: &'static str,
    pub(crate) burned_in_locale: &'static str,
    pub(crate) captions: Map<String, Value>,
    pub(crate) hard_subs: BTreeMap<&'static str, HardSub>,
    pub(crate) subtitles: BTreeMap<&'static str, Subtitle>,
    pub(crate) playback_type: &'static str,
    pub(crate) session: PlaySession,
    pub(crate) token: String,
    pub(crate) url: String,
    pub(crate) versions: Vec<EpisodeVersion>,
}

/// A manifest with subtitles burned in.
#[derive(Debug, Serialize)]
pub(crate) struct HardSub {
    pub(crate) hlang: &'static str,
    pub(crate) url: String,
    pub(crate) quality: &'static str,
}

/// A soft subtitle file.
#[derive(Debug, Serialize)]
pub(crate) struct Subtitle {
    pub(crate) format: &'static str,
    pub(crate) language: &'static str,
    pub(crate) url: String,
}

/// Timing rules of the stream session.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PlaySession {
    renew_seconds: u64,
    no_network_retry_interval_seconds: u64,
    no_network_timeout_seconds: u64,
    maximum_pause_seconds: u64,
    end_of_video_unload_seconds: u64,
    session_expiration_seconds: u64,
    uses_stream_limits: bool,
}

impl PlaySession {
    /// The session block for tokens living `ttl_seconds`.
    pub(crate) fn new(ttl_seconds: u64) -> Self {
        PlaySession {
            renew_seconds: RENEW_SECONDS,
            no_network_retry_interval_seconds: 30,
            no_network_timeout_seconds: 370,
            maximum_pause_seconds: 900,
            end_of_video_unload_seconds: 300,
            session_expiration_seconds: ttl_seconds,
            uses_stream_limits: true,
        }
    }
}

/// One `activeStreams` / `items` entry.
pub(crate) fn active_stream(session: &StreamSession, account: &AccountRecord, ttl: u64) -> Value {
    json!({
        "accountId": account.account_id,
        "deviceId": session.device_id,
        "deviceType": session.device_type,
        "deviceSubtype": session.device_subtype,
        "clientId": session.client_id,
        "contentId": session.content_id,
        "episodeIdentity": session.content_id,
        "assetId": asset_id(&session.content_id),
        "token": session.token,
        "sessionType": "video",
        "playbackType": "on_demand",
        "usesStreamLimits": true,
        "subscription": account.subscription(),
        "country": "US",
        "active": true,
        "ttl": session.remaining_seconds(),
        "maxKeepAliveSeconds": ttl,
        "createdTimestamp": session.created_ms,
        "lastKeepAliveTimestamp": session.last_keep_alive_ms,
        "playhead": session.playhead_seconds,
        "id": session.token,
    })
}

/// The asset id of a content id: stable, hex like the captured ones.
pub(crate) fn asset_id(content_id: &str) -> String {
    format!("{:016x}", crate::ids::hash_str(content_id))
}
