//! `kensho.auth.v1.AuthService`: parses requests at the edge, calls [`Sessions`], maps errors.

use std::sync::Arc;

use kensho_kit::grpc::authenticate::InternalCaller;
use kensho_kit::time::timestamp_from_unix_seconds;
use kensho_kit::{FieldViolation, Secret};
use kensho_proto::auth::v1 as pb;
use kensho_proto::auth::v1::auth_service_server::AuthService;
use tonic::{Request, Response, Status};
use tracing::instrument;

use crate::error::AuthError;
use crate::refresh::RefreshToken;
use crate::sessions::{IssuedTokens, Sessions};

/// Longest accepted username (an email address).
const MAX_USERNAME_LENGTH: usize = 320;
/// Longest accepted password.
const MAX_PASSWORD_LENGTH: usize = 1024;

/// The auth gRPC service.
#[derive(Clone, Debug)]
pub struct AuthGrpc {
    sessions: Arc<Sessions>,
}

impl AuthGrpc {
    /// The service over `sessions`.
    pub fn new(sessions: Arc<Sessions>) -> Self {
        AuthGrpc { sessions }
    }
}

fn violation(field: &str, description: &str) -> FieldViolation {
    FieldViolation::new(field, description)
}

fn parse_refresh_token(presented: &str) -> Result<RefreshToken, AuthError> {
    if presented.is_empty() {
        return Err(AuthError::InvalidArgument(vec![violation(
            "refresh_token",
            "must not be empty",
        )]));
    }
    // A token of the wrong shape was never ours: the same answer as an unknown one.
    RefreshToken::parse(presented).ok_or(AuthError::InvalidToken)
}

fn token_response(tokens: IssuedTokens) -> pb::TokenResponse {
    pb::TokenResponse {
        access_token: tokens.access_token.expose().clone(),
        token_type: "Bearer".to_owned(),
        expires_in: u32::try_from(tokens.expires_in.as_secs()).unwrap_or(u32::MAX),
        refresh_token: tokens.refresh_token.expose().to_owned(),
    }
}

#[tonic::async_trait]
impl AuthService for AuthGrpc {
    #[instrument(skip_all)]
    async fn login(
        &self,
        request: Request<pb::LoginRequest>,
    ) -> Result<Response<pb::TokenResponse>, Status> {
        let peer_address = request
            .remote_addr()
            .map(|address| address.ip().to_string())
            .unwrap_or_default();
        // Only the gateway knows the client's address; anyone else naming one would pick the
        // per-address bucket its attempts count against.
        let from_gateway = request
            .extensions()
            .get::<InternalCaller>()
            .is_some_and(|caller| caller.is_gateway);
        let pb::LoginRequest {
            username,
            password,
            client_address,
        } = request.into_inner();
        let password = Secret::new(password);
        let username = username.trim();
        let mut violations = Vec::new();
        if username.is_empty() {
            violations.push(violation("username", "must not be empty"));
        } else if username.len() > MAX_USERNAME_LENGTH {
            violations.push(violation("username", "must be at most 320 bytes"));
        }
        if password.expose().is_empty() {
            violations.push(violation("password", "must not be empty"));
        } else if password.expose().len() > MAX_PASSWORD_LENGTH {
            violations.push(violation("password", "must be at most 1024 bytes"));
        }
        if !violations.is_empty() {
            return Err(AuthError::InvalidArgument(violations).into());
        }
        let client_address = if from_gateway && !client_address.is_empty() {
            client_address
        } else {
            peer_address
        };
        let tokens = self
            .sessions
            .login(username, password, &client_address)
            .await?;
        Ok(Response::new(token_response(tokens)))
    }

    #[instrument(skip_all)]
    async fn refresh(
        &self,
        request: Request<pb::RefreshRequest>,
    ) -> Result<Response<pb::TokenResponse>, Status> {
        let presented = parse_refresh_token(&request.into_inner().refresh_token)?;
        let tokens = self.sessions.refresh(&presented).await?;
        Ok(Response::new(token_response(tokens)))
    }

    #[instrument(skip_all)]
    async fn logout(
        &self,
        request: Request<pb::LogoutRequest>,
    ) -> Result<Response<pb::LogoutResponse>, Status> {
        let presented = request.into_inner().refresh_token;
        if presented.is_empty() {
            return Err(AuthError::InvalidArgument(vec![violation(
                "refresh_token",
                "must not be empty",
            )])
            .into());
        }
        // A malformed token names no session: logging it out is a no-op.
        if let Some(token) = RefreshToken::parse(&presented) {
            self.sessions.logout(&token).await?;
        }
        Ok(Response::new(pb::LogoutResponse {}))
    }

    #[instrument(skip_all)]
    async fn introspect(
        &self,
        request: Request<pb::IntrospectRequest>,
    ) -> Result<Response<pb::IntrospectResponse>, Status> {
        let access_token = request.into_inner().access_token;
        let answer = match self.sessions.introspect(&access_token).await? {
            Some(active) => pb::IntrospectResponse {
                active: true,
                subject: active.subject,
                session_id: active.session_id,
                expires_at: Some(timestamp_from_unix_seconds(active.expires_at_unix)),
            },
            None => pb::IntrospectResponse::default(),
        };
        Ok(Response::new(answer))
    }

    #[instrument(skip_all)]
    async fn get_upstream_token(
        &self,
        request: Request<pb::GetUpstreamTokenRequest>,
    ) -> Result<Response<pb::GetUpstreamTokenResponse>, Status> {
        let access_token = Secret::new(request.into_inner().access_token);
        if access_token.expose().is_empty() {
            return Err(AuthError::InvalidArgument(vec![violation(
                "access_token",
                "must not be empty",
            )])
            .into());
        }
        let token = self.sessions.upstream_token(access_token.expose()).await?;
        Ok(Response::new(pb::GetUpstreamTokenResponse {
            access_token: token.access_token.expose().clone(),
            expires_at: Some(timestamp_from_unix_seconds(token.expires_at_unix)),
            subject: token.subject,
            session_id: token.session_id,
        }))
    }

    #[instrument(skip_all)]
    async fn get_jwks(
        &self,
        _request: Request<pb::GetJwksRequest>,
    ) -> Result<Response<pb::GetJwksResponse>, Status> {
        Ok(Response::new(pb::GetJwksResponse {
            jwks_json: self.sessions.jwks().to_string(),
        }))
    }
}
