//! `POST /auth/v1/token`: the grants `client_id` (anonymous), `password`, `refresh_token`,
//! `refresh_token_profile_id` and `etp_rt_cookie` (§2.3).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::routing::post;
use axum::{Json, Router};

use crate::auth::{AuthError, DeviceInfo, TokenResponse, client_id};
use crate::form::parse_form;
use crate::state::SimState;

/// The token route.
pub(super) fn router() -> Router<SimState> {
    Router::new().route("/auth/v1/token", post(obtain_token))
}

async fn obtain_token(
    State(state): State<SimState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<TokenResponse>, AuthError> {
    let form = parse_form(&String::from_utf8_lossy(&body));
    let client_id = client_id(&headers, &form, &state.client_ids)?;
    let device = DeviceInfo {
        device_id: form.get("device_id").cloned().unwrap_or_default(),
        device_type: form.get("device_type").cloned().unwrap_or_default(),
    };
    let response = match form.get("grant_type").map(String::as_str) {
        Some("client_id") => state.tokens.issue(None, &client_id, device),
        Some("password") => {
            let username = required(&form, "username")?;
            let password = required(&form, "password")?;
            let index = state
                .accounts
                .login(username, password)
                .ok_or(AuthError::InvalidCredentials)?;
            issue_for_account(&state, index, &client_id, device)?
        }
        Some("refresh_token" | "refresh_token_profile_id") => {
            let refresh_token = required(&form, "refresh_token")?;
            refresh(&state, refresh_token, &device.device_id, &client_id)?
        }
        Some("etp_rt_cookie") => {
            let refresh_token = cookie(&headers, "etp_rt").ok_or(AuthError::InvalidRefreshToken)?;
            let device_id = cookie(&headers, "device_id").unwrap_or(device.device_id);
            refresh(&state, &refresh_token, &device_id, &client_id)?
        }
        _ => return Err(AuthError::UnsupportedGrantType),
    };
    Ok(Json(response))
}

fn required<'a>(
    form: &'a HashMap<String, String>,
    field: &'static str,
) -> Result<&'a str, AuthError> {
    form.get(field)
        .map(String::as_str)
        .filter(|value| !value.is_empty())
        .ok_or(AuthError::MissingField(field))
}

/// Redeems a refresh token and issues a new pair, keeping the original device.
fn refresh(
    state: &SimState,
    refresh_token: &str,
    device_id: &str,
    client_id: &str,
) -> Result<TokenResponse, AuthError> {
    let (index, device) = state
        .tokens
        .redeem_refresh(refresh_token, device_id)
        .ok_or(AuthError::InvalidRefreshToken)?;
    issue_for_account(state, index, client_id, device)
}

fn issue_for_account(
    state: &SimState,
    index: usize,
    client_id: &str,
    device: DeviceInfo,
) -> Result<TokenResponse, AuthError> {
    let account = state
        .accounts
        .get(index)
        .ok_or(AuthError::InvalidCredentials)?;
    Ok(state
        .tokens
        .issue(Some((index, account)), client_id, device))
}

/// The value of cookie `name` in the `Cookie` header.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(cookie_name, _)| *cookie_name == name)
        .map(|(_, value)| value.to_owned())
}
