//! Resolving an episode to a playable stream for one user: catalog-svc names the Crunchyroll
//! episode, auth-svc lends the user's Crunchyroll access token, the play service opens the
//! stream; the answer is cached per user.

use std::time::{Duration, Instant};

use kensho_crunchyroll::playback::Stream;
use kensho_crunchyroll::{CrunchyrollClient, TokenManager, Tokens};
use kensho_kit::Secret;
use kensho_kit::grpc::GrpcChannel;
use kensho_kit::time::{from_timestamp, later_by, remaining_until, to_timestamp};
use kensho_proto::auth::v1 as auth_pb;
use kensho_proto::auth::v1::auth_service_client::AuthServiceClient;
use kensho_proto::catalog::v1 as catalog_pb;
use kensho_proto::catalog::v1::catalog_service_client::CatalogServiceClient;
use kensho_proto::stream::v1 as pb;
use time::OffsetDateTime;

use crate::cache::{StreamCache, StreamKey};
use crate::error::StreamError;
use crate::flight::KeyLocks;
use crate::metrics::STREAMS_STARTED_TOTAL;
use crate::settings::StreamSettings;

/// Episodes asked of catalog-svc per page while looking for an episode number.
const EPISODE_PAGE_SIZE: u32 = 100;

/// Identifies this service to Crunchyroll; the tokens are never refreshed here (auth-svc does).
const DEVICE_ID: &str = "kensho-stream-svc";

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

/// The caller, as the gateway verified them.
#[derive(Clone, Debug)]
pub struct Caller {
    /// The account id (the access token's `sub`).
    pub subject: String,
    /// The Kensho session (the access token's `sid`).
    pub session_id: String,
}

/// The stream resolver shared by every request.
pub struct Streams {
    catalog: CatalogServiceClient<GrpcChannel>,
    auth: AuthServiceClient<GrpcChannel>,
    crunchyroll: CrunchyrollClient,
    cache: StreamCache<pb::GetStreamResponse>,
    loading: KeyLocks,
    settings: StreamSettings,
}

impl Streams {
    /// A resolver over the given backends.
    pub fn new(
        catalog: CatalogServiceClient<GrpcChannel>,
        auth: AuthServiceClient<GrpcChannel>,
        crunchyroll: CrunchyrollClient,
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
            settings,
        }
    }

    /// A playable stream of `episode` for `caller`, from the cache when this user has a live one.
    pub async fn get(
        &self,
        caller: &Caller,
        episode: EpisodeRef,
    ) -> Result<pb::GetStreamResponse, StreamError> {
        // The session is checked on every call (a logged-out user gets nothing, cached or not);
        // the episode is looked up meanwhile, and an auth failure is reported first.
        let (upstream, episode_id) =
            tokio::join!(self.upstream_auth(caller), self.episode_id(episode));
        let upstream = upstream?;
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
            .play(&upstream, &episode_id)
            .await
            .map_err(|error| self.upstream_error(error))?;
        metrics::counter!(STREAMS_STARTED_TOTAL).increment(1);
        let lifetime = match stream.session.session_expiration_seconds {
            0 => self.settings.cache_ttl(),
            seconds => Duration::from_secs(seconds),
        };
        let expires_at = later_by(OffsetDateTime::now_utc(), lifetime);
        let response = stream_response(&episode_id, stream, expires_at);
        let now = Instant::now();
        self.cache
            .insert(key, response.clone(), now + lifetime, now);
        Ok(response)
    }

    /// Releases a stream token returned by [`Streams::get`], freeing the account's slot.
    pub async fn release(&self, caller: &Caller, stream_token: &str) -> Result<(), StreamError> {
        let Some((episode_id, upstream_token)) = stream_token.split_once('.') else {
            return Err(StreamError::NotFound("unknown stream token".to_owned()));
        };
        let upstream = self.upstream_auth(caller).await?;
        self.cache.remove(&StreamKey {
            subject: caller.subject.clone(),
            episode_id: episode_id.to_owned(),
        });
        self.crunchyroll
            .release_stream(&upstream, episode_id, upstream_token)
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

    /// The user's Crunchyroll token, lent by auth-svc for this call.
    async fn upstream_auth(&self, caller: &Caller) -> Result<TokenManager, StreamError> {
        if caller.session_id.is_empty() || caller.subject.is_empty() {
            return Err(StreamError::Unauthenticated);
        }
        let answer = self
            .auth
            .clone()
            .get_upstream_token(auth_pb::GetUpstreamTokenRequest {
                session_id: caller.session_id.clone(),
            })
            .await
            .map_err(|status| match status.code() {
                tonic::Code::Unauthenticated
                | tonic::Code::InvalidArgument
                | tonic::Code::NotFound => StreamError::Unauthenticated,
                _ => StreamError::from_backend("auth-svc", &status),
            })?
            .into_inner();
        // auth-svc refreshes the token when it nears expiry; this side only ever uses it, so it
        // is given a lifetime past the refresh margin and never refreshed here. An absent or
        // unreadable expiry counts as none left.
        let remaining = answer
            .expires_at
            .as_ref()
            .and_then(|expires_at| from_timestamp(expires_at).ok())
            .map_or(Duration::ZERO, |expires_at| {
                remaining_until(expires_at, OffsetDateTime::now_utc())
            });
        let usable = remaining.max(Duration::from_secs(
            self.crunchyroll.settings().token_refresh_margin_seconds + 60,
        ));
        let tokens = Tokens {
            access_token: Secret::new(answer.access_token),
            refresh_token: None,
            expires_in: usable,
            received_at: Instant::now(),
            account_id: Some(caller.subject.clone()),
            profile_id: None,
            country: None,
        };
        Ok(TokenManager::with_tokens(
            self.crunchyroll.clone(),
            tokens,
            DEVICE_ID.to_owned(),
        ))
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
    episode_id: &str,
    stream: Stream,
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
        stream_token: format!("{episode_id}.{}", stream.token),
    }
}
