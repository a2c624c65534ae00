//! `kensho.stream.v1.StreamService`: request messages become an [`EpisodeRef`] and the caller's
//! access token at the edge; [`Streams`] does the work; [`StreamError`] becomes the status.

use std::sync::Arc;

use kensho_kit::{FieldViolation, Secret};
use kensho_proto::stream::v1 as pb;
use kensho_proto::stream::v1::get_stream_request::Episode;
use kensho_proto::stream::v1::stream_service_server::StreamService;
use tonic::{Request, Response, Status};
use tracing::instrument;

use crate::error::StreamError;
use crate::streams::{EpisodeRef, Streams};

/// The stream gRPC service.
#[derive(Clone)]
pub struct StreamGrpc {
    streams: Arc<Streams>,
}

impl StreamGrpc {
    /// The service over a resolver.
    pub fn new(streams: Arc<Streams>) -> Self {
        StreamGrpc { streams }
    }
}

fn parse_episode(episode: Option<Episode>) -> Result<EpisodeRef, StreamError> {
    let violation = |field: &str, description: &str| {
        StreamError::InvalidArgument(vec![FieldViolation::new(field, description)])
    };
    match episode {
        Some(Episode::ByNumber(by_number)) if by_number.anime_id.is_empty() => {
            Err(violation("by_number.anime_id", "must not be empty"))
        }
        Some(Episode::ByNumber(by_number)) => Ok(EpisodeRef::ByNumber {
            anime_id: by_number.anime_id,
            episode_number: by_number.episode_number,
        }),
        Some(Episode::EpisodeId(episode_id)) if episode_id.is_empty() => {
            Err(violation("episode_id", "must not be empty"))
        }
        Some(Episode::EpisodeId(episode_id)) => Ok(EpisodeRef::Crunchyroll(episode_id)),
        None => Err(violation(
            "episode",
            "an anime id and episode number, or an episode id, is required",
        )),
    }
}

#[tonic::async_trait]
impl StreamService for StreamGrpc {
    #[instrument(skip_all)]
    async fn get_stream(
        &self,
        request: Request<pb::GetStreamRequest>,
    ) -> Result<Response<pb::GetStreamResponse>, Status> {
        let request = request.into_inner();
        let access_token = Secret::new(request.access_token);
        let episode = parse_episode(request.episode)?;
        let stream = self.streams.get(&access_token, episode).await?;
        Ok(Response::new(stream))
    }

    #[instrument(skip_all)]
    async fn release_stream(
        &self,
        request: Request<pb::ReleaseStreamRequest>,
    ) -> Result<Response<pb::ReleaseStreamResponse>, Status> {
        let request = request.into_inner();
        let access_token = Secret::new(request.access_token);
        self.streams
            .release(&access_token, &request.stream_token)
            .await?;
        Ok(Response::new(pb::ReleaseStreamResponse {}))
    }
}
