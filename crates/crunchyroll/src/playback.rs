//! The play service: a playable stream for an episode, and its stream token's release and
//! keep-alive.

use std::collections::BTreeMap;

use kensho_kit::resilience::Idempotency;
use reqwest::header::AUTHORIZATION;
use serde::Deserialize;

use crate::auth::TokenManager;
use crate::content::path_segment;
use crate::error::CrunchyrollError;
use crate::transport::{CrunchyrollClient, Endpoint, Host};

/// A subtitle track.
#[derive(Clone, Debug, Deserialize)]
pub struct SubtitleTrack {
    /// Format, for example `ass` or `vtt`.
    #[serde(default)]
    pub format: String,
    /// Locale.
    #[serde(default)]
    pub language: String,
    /// Where to fetch it.
    #[serde(default)]
    pub url: String,
}

/// A manifest with subtitles burned in.
#[derive(Clone, Debug, Deserialize)]
pub struct HardSub {
    /// The burned-in locale.
    #[serde(default)]
    pub hlang: String,
    /// The manifest URL.
    #[serde(default)]
    pub url: String,
}

/// Stream token timing.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamSession {
    /// Keep-alive cadence.
    #[serde(default)]
    pub renew_seconds: u64,
    /// Longest life of the stream token.
    #[serde(default)]
    pub session_expiration_seconds: u64,
    /// Whether the token counts against the account's stream limit.
    #[serde(default)]
    pub uses_stream_limits: bool,
}

/// A playable stream.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stream {
    /// The manifest URL.
    pub url: String,
    /// The stream token, to release the stream.
    pub token: String,
    /// The audio locale.
    #[serde(default)]
    pub audio_locale: String,
    /// Subtitles by locale (`none` entries removed).
    #[serde(default)]
    pub subtitles: BTreeMap<String, SubtitleTrack>,
    /// Closed captions by locale.
    #[serde(default)]
    pub captions: BTreeMap<String, SubtitleTrack>,
    /// Hard-subbed manifests by locale (`none` entries removed).
    #[serde(default)]
    pub hard_subs: BTreeMap<String, HardSub>,
    /// Token timing.
    #[serde(default)]
    pub session: StreamSession,
}

impl CrunchyrollClient {
    /// Opens a stream of an episode (the episode id of the wanted audio version). Never retried:
    /// each call takes one of the account's stream slots.
    pub async fn play(
        &self,
        auth: &TokenManager,
        episode_id: &str,
    ) -> Result<Stream, CrunchyrollError> {
        let settings = self.settings();
        let url = self.play_url(&format!(
            "/v3/{}/{}/{}/play",
            path_segment(episode_id)?,
            settings.stream_device,
            settings.stream_platform
        ));
        let token = auth.access_token().await?;
        let mut stream: Stream = self
            .send_json(
                Host::Play,
                "play",
                Endpoint::Other,
                Idempotency::NonIdempotent,
                |http| {
                    http.get(&url)
                        .header(AUTHORIZATION, format!("Bearer {}", token.expose()))
                },
            )
            .await?;
        stream.subtitles.remove("none");
        stream.hard_subs.remove("none");
        Ok(stream)
    }

    /// Releases a stream token, freeing the account's slot.
    pub async fn release_stream(
        &self,
        auth: &TokenManager,
        episode_id: &str,
        stream_token: &str,
    ) -> Result<(), CrunchyrollError> {
        let url = self.play_url(&format!(
            "/v1/token/{}/{}",
            path_segment(episode_id)?,
            path_segment(stream_token)?
        ));
        let token = auth.access_token().await?;
        self.send(
            Host::Play,
            "release_stream",
            Endpoint::Other,
            Idempotency::Idempotent,
            |http| {
                http.delete(&url)
                    .header(AUTHORIZATION, format!("Bearer {}", token.expose()))
            },
        )
        .await?;
        Ok(())
    }

    /// Keeps a stream token alive, reporting the playhead in seconds.
    pub async fn keep_alive(
        &self,
        auth: &TokenManager,
        episode_id: &str,
        stream_token: &str,
        playhead_seconds: u64,
    ) -> Result<(), CrunchyrollError> {
        let url = self.play_url(&format!(
            "/v1/token/{}/{}/keepAlive",
            path_segment(episode_id)?,
            path_segment(stream_token)?
        ));
        let token = auth.access_token().await?;
        self.send(
            Host::Play,
            "keep_alive",
            Endpoint::Other,
            Idempotency::Idempotent,
            |http| {
                http.patch(&url)
                    .header(AUTHORIZATION, format!("Bearer {}", token.expose()))
                    .query(&[("playhead", playhead_seconds.to_string())])
            },
        )
        .await?;
        Ok(())
    }
}
