//! The bearer check of every content and playback route, as extractors: [`Caller`] accepts any
//! valid token, [`AccountCaller`] only one obtained by logging into an account.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use super::accounts::AccountRecord;
use super::tokens::AccessGrant;
use crate::errors::SimError;
use crate::state::SimState;

/// A request with a valid access token.
#[derive(Debug)]
pub(crate) struct Caller {
    /// Whether the token's account has premium (false for anonymous tokens).
    pub(crate) premium: bool,
}

/// A request with a valid access token of an account (not anonymous).
#[derive(Debug)]
pub(crate) struct AccountCaller {
    pub(crate) grant: AccessGrant,
    pub(crate) account_index: usize,
    pub(crate) account: AccountRecord,
}

fn bearer_grant(parts: &Parts, state: &SimState) -> Result<AccessGrant, SimError> {
    let authorization = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .ok_or(SimError::InvalidAuthToken)?;
    let (scheme, token) = authorization
        .split_once(' ')
        .ok_or(SimError::InvalidAuthToken)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(SimError::InvalidAuthToken);
    }
    state
        .tokens
        .authenticate(token.trim())
        .ok_or(SimError::InvalidAuthToken)
}

impl FromRequestParts<SimState> for Caller {
    type Rejection = SimError;

    async fn from_request_parts(parts: &mut Parts, state: &SimState) -> Result<Self, SimError> {
        let grant = bearer_grant(parts, state)?;
        let premium = grant
            .account
            .and_then(|index| state.accounts.get(index))
            .is_some_and(|account| account.premium);
        Ok(Caller { premium })
    }
}

impl FromRequestParts<SimState> for AccountCaller {
    type Rejection = SimError;

    async fn from_request_parts(parts: &mut Parts, state: &SimState) -> Result<Self, SimError> {
        let grant = bearer_grant(parts, state)?;
        let account_index = grant.account.ok_or(SimError::InvalidAuthToken)?;
        let account = state
            .accounts
            .get(account_index)
            .cloned()
            .ok_or(SimError::InvalidAuthToken)?;
        Ok(AccountCaller {
            grant,
            account_index,
            account,
        })
    }
}
