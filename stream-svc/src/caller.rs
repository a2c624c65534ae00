//! Who is calling, as auth-svc verified it: the caller's Kensho access token goes to auth-svc's
//! `GetUpstreamToken`, which checks it fully and answers with the account and the account's
//! Crunchyroll token. Nothing the caller could fill in names the account.

use std::time::{Duration, Instant};

use kensho_crunchyroll::{CrunchyrollClient, TokenManager, Tokens};
use kensho_kit::Secret;
use kensho_kit::grpc::GrpcChannel;
use kensho_kit::time::{from_timestamp, remaining_until};
use kensho_proto::auth::v1 as auth_pb;
use kensho_proto::auth::v1::auth_service_client::AuthServiceClient;
use time::OffsetDateTime;

use crate::error::StreamError;

/// Identifies this service to Crunchyroll; the tokens are never refreshed here (auth-svc does).
const DEVICE_ID: &str = "kensho-stream-svc";

/// A caller whose access token auth-svc verified.
pub struct Caller {
    /// The account id auth-svc found behind the access token.
    pub subject: String,
    /// The account's Crunchyroll token, lent for this call.
    pub upstream: TokenManager,
}

impl Caller {
    /// Has auth-svc verify `access_token`; a missing, invalid, expired or logged-out token is
    /// [`StreamError::Unauthenticated`].
    pub async fn verify(
        auth: &AuthServiceClient<GrpcChannel>,
        crunchyroll: &CrunchyrollClient,
        access_token: &Secret<String>,
    ) -> Result<Self, StreamError> {
        if access_token.expose().is_empty() {
            return Err(StreamError::Unauthenticated);
        }
        let answer = auth
            .clone()
            .get_upstream_token(auth_pb::GetUpstreamTokenRequest {
                access_token: access_token.expose().clone(),
            })
            .await
            .map_err(|status| match status.code() {
                tonic::Code::Unauthenticated
                | tonic::Code::InvalidArgument
                | tonic::Code::NotFound => StreamError::Unauthenticated,
                _ => StreamError::from_backend("auth-svc", &status),
            })?
            .into_inner();
        // auth-svc never answers without the account; an empty one would key every user alike.
        if answer.subject.is_empty() {
            return Err(StreamError::Internal(
                "auth-svc lent a token without its account".to_owned(),
            ));
        }
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
            crunchyroll.settings().token_refresh_margin_seconds + 60,
        ));
        let tokens = Tokens {
            access_token: Secret::new(answer.access_token),
            refresh_token: None,
            expires_in: usable,
            received_at: Instant::now(),
            account_id: Some(answer.subject.clone()),
            profile_id: None,
            country: None,
        };
        Ok(Caller {
            subject: answer.subject,
            upstream: TokenManager::with_tokens(crunchyroll.clone(), tokens, DEVICE_ID.to_owned()),
        })
    }
}
