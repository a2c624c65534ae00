//! Resolving an episode to a playable stream for one user: catalog-svc names the Crunchyroll
//! episode, auth-svc verifies the caller's access token and lends the user's Crunchyroll access
//! token, the play service opens the stream; the answer is cached per verified user, and its
//! stream token is bound to that user.

use std::time::{Duration, Instant};

use kensho_crunchyroll::CrunchyrollClient;
use kensho_crunchyroll::playback::Stream;
use kensho_kit::Secret;
use kensho_kit::grpc::GrpcChannel;
use kensho_kit::time::{later_by, to_timestamp};
use kensho_proto::auth::v1::auth_service_client::AuthServiceClient;
use kensho_proto::catalog::v1 as catalog_pb;
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use kensho_proto::stream::v1 as pb;
use time::OffsetDateTime;

use crate::cache::{StreamCache, StreamKey};
use crate::caller::Caller;
use crate::error::StreamError;
use crate::flight::KeyLocks;
use crate::metrics::STREAMS_STARTED_TOTAL;
use crate::settings::StreamSettings;
use crate::stream_token::StreamTokenKey;

/// Episodes asked of catalog-svc per page while looking for an episode number.
const EPISODE_PAGE_SIZE: u32 = 100;

/// Which episode a caller wants.
#[derive(Clone, Debug)]
pub enum EpisodeRef {
    /// An episode number of a Kensho anime, looked up in catalog-svc.
    ByNumber {
        /// The Kensho anime id.
        anime_id: String,
        /// The episode number.
        episode_number: u32,
    },
    /// A Crunchyroll episode id.
    Crunchyroll(String),
}

/// The stream resolver shared by every request.
pub struct Streams {
    catalog: CatalogServiceClient<GrpcChannel>,
    auth: AuthServiceClient<GrpcChannel>,
    crunchyroll: CrunchyrollClient,
    cache: StreamCache<pb::GetStreamResponse>,
    loading: KeyLocks,
    stream_tokens: StreamTokenKey,
    settings: StreamSettings,
}

impl Streams {
    /// A resolver over the given backends.
    pub fn new(
        catalog: CatalogServiceClient<GrpcChannel>,
        auth: AuthServiceClient<GrpcChannel>,
        crunchyroll: CrunchyrollClient,
        stream_tokens: StreamTokenKey,
        settings: StreamSettings,
    ) -> Self {
        Streams {
            catalog,
            auth,
            crunchyroll,
            cache: StreamCache::new(
                settings.cache_ttl(),
                settings.cache_safety_margin(),
                settings.cache_max_entries,
            ),
            loading: KeyLocks::default(),
            stream_tokens,
            settings,
        }
    }

    /// A playable stream of `episode` for the owner of `access_token`, from the cache when this
    /// user has a live one.
    pub async fn get(
        &self,
        access_token: &Secret<String>,
        episode: EpisodeRef,
    ) -> Result<pb::GetStreamResponse, StreamError> {
        // The token is verified by auth-svc on every call (a logged-out user gets nothing,
        // cached or not); the episode is looked up meanwhile, and an auth failure is reported
        // first.
        let (caller, episode_id) = tokio::join!(
            Caller::verify(&self.auth, &self.crunchyroll, access_token),
            self.episode_id(episode)
        );
        let caller = caller?;
        let episode_id = episode_id?;
        let key = StreamKey {
            subject: caller.subject.clone(),
            episode_id: episode_id.clone(),
        };
        if let Some(cached) = self.cache.get(&key, Instant::now()) {
            tracing::debug!(episode_id = %episode_id, "stream served from cache");
            return Ok(cached);
        }
        let _loading = self.loading.lock(&key).await;
        // Whoever loaded the key while this request waited left the stream in the cache.
        if let Some(cached) = self.cache.get(&key, Instant::now()) {
            return Ok(cached);
        }
        let stream = self
            .crunchyroll
            .play(&caller.upstream, &episode_id)
            .await
            .map_err(|error| self.upstream_error(error))?;
        metrics::counter!(STREAMS_STARTED_TOTAL).increment(1);
        let lifetime = match stream.session.session_expiration_seconds {
            0 => self.settings.cache_ttl(),
            seconds => Duration::from_secs(seconds),
        };
        let expires_at = later_by(OffsetDateTime::now_utc(), lifetime);
        let stream_token = self
            .stream_tokens
            .issue(&caller.subject, &episode_id, &stream.token);
        let response = stream_response(stream, stream_token, expires_at);
        let now = Instant::now();
        self.cache
            .insert(key, response.clone(), now + lifetime, now);
        Ok(response)
    }

    /// Releases a stream token that [`Streams::get`] handed to the owner of `access_token`,
    /// freeing the account's slot. Another account's stream token is not found, and nothing of
    /// that account's is touched.
    pub async fn release(
        &self,
        access_token: &Secret<String>,
        stream_token: &str,
    ) -> Result<(), StreamError> {
        let caller = Caller::verify(&self.auth, &self.crunchyroll, access_token).await?;
        let Some(owned) = self.stream_tokens.open(&caller.subject, stream_token) else {
            return Err(StreamError::NotFound("unknown stream token".to_owned()));
        };
        self.cache.remove(&StreamKey {
            subject: caller.subject.clone(),
            episode_id: owned.episode_id.to_owned(),
        });
        self.crunchyroll
            .release_stream(&caller.upstream, owned.episode_id, owned.upstream_token)
            .await
            .map_err(|error| match error {
                kensho_crunchyroll::CrunchyrollError::NotFound => {
                    StreamError::NotFound("unknown, expired or released stream token".to_owned())
                }
                other => self.upstream_error(other),
            })
    }

    fn upstream_error(&self, error: kensho_crunchyroll::CrunchyrollError) -> StreamError {
        StreamError::from_upstream(
            error,
            Duration::from_secs(u64::from(self.settings.stream_limit_retry_after_seconds)),
        )
    }

    /// The Crunchyroll episode id of an episode reference.
    async fn episode_id(&self, episode: EpisodeRef) -> Result<String, StreamError> {
        match episode {
            EpisodeRef::Crunchyroll(episode_id) => Ok(episode_id),
            EpisodeRef::ByNumber {
                anime_id,
                episode_number,
            } => self.crunchyroll_episode(&anime_id, episode_number).await,
        }
    }

    /// The Crunchyroll episode id of an episode number, through catalog-svc.
    async fn crunchyroll_episode(
        &self,
        anime_id: &str,
        episode_number: u32,
    ) -> Result<String, StreamError> {
        let mut page_token = String::new();
        loop {
            let page = self
                .catalog
                .clone()
                .list_episodes(catalog_pb::ListEpisodesRequest {
                    anime_id: anime_id.to_owned(),
                    page_size: Some(EPISODE_PAGE_SIZE),
                    page_token: page_token.clone(),
                })
                .await
                .map_err(|status| match status.code() {
                    tonic::Code::NotFound => StreamError::NotFound(format!("no anime {anime_id}")),
                    tonic::Code::InvalidArgument => StreamError::invalid_anime_id(&status),
                    _ => StreamError::from_backend("catalog-svc", &status),
                })?
                .into_inner();
            if let Some(episode) = page
                .episodes
                .iter()
                .find(|episode| episode.number == episode_number)
            {
                if episode.crunchyroll_episode_id.is_empty() {
                    return Err(StreamError::NotFound(format!(
                        "episode {episode_number} of {anime_id} is not available on Crunchyroll"
                    )));
                }
                return Ok(episode.crunchyroll_episode_id.clone());
            }
            let past_it = page
                .episodes
                .last()
                .is_some_and(|last| last.number > episode_number);
            if page.next_page_token.is_empty() || past_it {
                return Err(StreamError::NotFound(format!(
                    "no episode {episode_number} of {anime_id}"
                )));
            }
            page_token = page.next_page_token;
        }
    }
}

/// The answer for a stream that stays playable until `expires_at`.
fn stream_response(
    stream: Stream,
    stream_token: String,
    expires_at: OffsetDateTime,
) -> pb::GetStreamResponse {
    pb::GetStreamResponse {
        manifest_url: stream.url,
        audio_locale: stream.audio_locale,
        hard_subs: stream
            .hard_subs
            .into_iter()
            .map(|(locale, hard_sub)| pb::HardSubVariant {
                locale: if hard_sub.hlang.is_empty() {
                    locale
                } else {
                    hard_sub.hlang
                },
                manifest_url: hard_sub.url,
            })
            .collect(),
        subtitles: stream
            .subtitles
            .into_iter()
            .map(|(locale, track)| pb::Subtitle {
                language: if track.language.is_empty() {
                    locale
                } else {
                    track.language
                },
                format: track.format,
                url: track.url,
            })
            .collect(),
        expires_at: Some(to_timestamp(expires_at)),
        // Clear HLS needs no extra headers; DRM licence headers would go here.
        request_headers: Default::default(),
        stream_token,
    }
}
