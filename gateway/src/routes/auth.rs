//! `POST /api/v1/auth/login`, `/refresh` and `/logout`: Kensho sessions, in OAuth 2.0 shapes.
//! Login takes Crunchyroll credentials; refresh rotates the token pair; logout ends the session.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Extension, Json, Router};
use kensho_proto::auth::v1 as pb;
use serde::{Deserialize, Serialize};

use crate::extract::{Accepted, NoParams, SensitiveJson, StrictQuery};
use crate::problem::{ApiError, FieldError};
use crate::state::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(login))
        .route("/api/v1/auth/refresh", post(refresh))
        .route("/api/v1/auth/logout", post(logout))
}

/// Fields are optional so a missing one is reported by name rather than as a bad body.
#[derive(Deserialize)]
struct LoginBody {
    username: Option<String>,
    password: Option<String>,
}

impl Accepted for LoginBody {
    const ACCEPTED: &'static [&'static str] = &["username", "password"];
}

#[derive(Deserialize)]
struct RefreshTokenBody {
    refresh_token: Option<String>,
}

impl Accepted for RefreshTokenBody {
    const ACCEPTED: &'static [&'static str] = &["refresh_token"];
}

/// A login or refresh result.
#[derive(Serialize)]
struct TokenJson {
    access_token: String,
    token_type: String,
    expires_in: u32,
    refresh_token: String,
}

impl From<pb::TokenResponse> for TokenJson {
    fn from(response: pb::TokenResponse) -> Self {
        TokenJson {
            access_token: response.access_token,
            token_type: response.token_type,
            expires_in: response.expires_in,
            refresh_token: response.refresh_token,
        }
    }
}

async fn login(
    State(state): State<AppState>,
    connect_info: Option<Extension<ConnectInfo<SocketAddr>>>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
    SensitiveJson(body): SensitiveJson<LoginBody>,
) -> Result<Json<TokenJson>, ApiError> {
    let mut errors = Vec::new();
    let username = required("username", body.username, &mut errors);
    let password = required("password", body.password, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::InvalidFields(errors));
    }
    // The per-address login limit counts the end user, not the gateway; the port changes with
    // every connection, so only the IP identifies them.
    let client_address = connect_info
        .map(|Extension(ConnectInfo(address))| address.ip().to_string())
        .unwrap_or_default();
    let response = state
        .auth
        .clone()
        .login(pb::LoginRequest {
            username,
            password,
            client_address,
        })
        .await?;
    Ok(Json(response.into_inner().into()))
}

async fn refresh(
    State(state): State<AppState>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
    SensitiveJson(body): SensitiveJson<RefreshTokenBody>,
) -> Result<Json<TokenJson>, ApiError> {
    let refresh_token = refresh_token(body)?;
    let response = state
        .auth
        .clone()
        .refresh(pb::RefreshRequest { refresh_token })
        .await
        .map_err(ApiError::token_refused)?;
    Ok(Json(response.into_inner().into()))
}

async fn logout(
    State(state): State<AppState>,
    StrictQuery(NoParams {}): StrictQuery<NoParams>,
    SensitiveJson(body): SensitiveJson<RefreshTokenBody>,
) -> Result<StatusCode, ApiError> {
    let refresh_token = refresh_token(body)?;
    state
        .auth
        .clone()
        .logout(pb::LogoutRequest { refresh_token })
        .await
        .map_err(ApiError::token_refused)?;
    Ok(StatusCode::NO_CONTENT)
}

fn refresh_token(body: RefreshTokenBody) -> Result<String, ApiError> {
    let mut errors = Vec::new();
    let refresh_token = required("refresh_token", body.refresh_token, &mut errors);
    if errors.is_empty() {
        Ok(refresh_token)
    } else {
        Err(ApiError::InvalidFields(errors))
    }
}

/// The value of a required, non-empty field; records an error naming it otherwise.
fn required(field: &str, value: Option<String>, errors: &mut Vec<FieldError>) -> String {
    match value {
        Some(text) if !text.is_empty() => text,
        _ => {
            errors.push(FieldError {
                field: field.to_owned(),
                message: "is required".to_owned(),
            });
            String::new()
        }
    }
}
