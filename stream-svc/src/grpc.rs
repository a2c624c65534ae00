//! `kensho.stream.v1.StreamService`. Every method answers UNIMPLEMENTED for now, so callers get
//! a clear status (HTTP 501 through the gateway) instead of a connection error.

use kensho_proto::stream::v1 as pb;
use kensho_proto::stream::v1::stream_service_server::StreamService;
use tonic::{Request, Response, Status};

/// The stream gRPC service.
#[derive(Clone, Copy, Debug, Default)]
pub struct StreamGrpc;

fn not_yet(method: &str) -> Status {
    Status::unimplemented(format!("StreamService.{method} is not available yet"))
}

#[tonic::async_trait]
impl StreamService for StreamGrpc {
    async fn get_stream(
        &self,
        _request: Request<pb::GetStreamRequest>,
    ) -> Result<Response<pb::GetStreamResponse>, Status> {
        Err(not_yet("GetStream"))
    }

    async fn release_stream(
        &self,
        _request: Request<pb::ReleaseStreamRequest>,
    ) -> Result<Response<pb::ReleaseStreamResponse>, Status> {
        Err(not_yet("ReleaseStream"))
    }
}
