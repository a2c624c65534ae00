//! `kensho.auth.v1.AuthService`. Every method answers UNIMPLEMENTED for now, so callers get a
//! clear status (HTTP 501 through the gateway) instead of a connection error.

use kensho_proto::auth::v1 as pb;
use kensho_proto::auth::v1::auth_service_server::AuthService;
use tonic::{Request, Response, Status};

/// The auth gRPC service.
#[derive(Clone, Copy, Debug, Default)]
pub struct AuthGrpc;

fn not_yet(method: &str) -> Status {
    Status::unimplemented(format!("AuthService.{method} is not available yet"))
}

#[tonic::async_trait]
impl AuthService for AuthGrpc {
    async fn login(
        &self,
        _request: Request<pb::LoginRequest>,
    ) -> Result<Response<pb::TokenResponse>, Status> {
        Err(not_yet("Login"))
    }

    async fn refresh(
        &self,
        _request: Request<pb::RefreshRequest>,
    ) -> Result<Response<pb::TokenResponse>, Status> {
        Err(not_yet("Refresh"))
    }

    async fn logout(
        &self,
        _request: Request<pb::LogoutRequest>,
    ) -> Result<Response<pb::LogoutResponse>, Status> {
        Err(not_yet("Logout"))
    }

    async fn introspect(
        &self,
        _request: Request<pb::IntrospectRequest>,
    ) -> Result<Response<pb::IntrospectResponse>, Status> {
        Err(not_yet("Introspect"))
    }

    async fn get_upstream_token(
        &self,
        _request: Request<pb::GetUpstreamTokenRequest>,
    ) -> Result<Response<pb::GetUpstreamTokenResponse>, Status> {
        Err(not_yet("GetUpstreamToken"))
    }
}
