//! `POST /api/v1/auth/login`, `/refresh` and `/logout`: Kensho sessions, in OAuth 2.0 shapes.
//! Login takes Crunchyroll credentials; refresh rotates the token pair; logout ends the session.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use kensho_proto::auth::v1 as pb;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Accepted, NoParams, SensitiveJson, StrictQuery};
use crate::openapi::PROBLEM_CONTENT_TYPE;
use crate::problem::{ApiError, FieldError, ProblemSchema};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
}

/// A Crunchyroll account. Fields are optional so a missing one is reported by name rather than
/// as a bad body.
#[derive(Deserialize, ToSchema)]
#[schema(as = LoginRequest)]
struct LoginBody {
    /// The Crunchyroll account's email address.
    #[schema(value_type = String, example = "premium@kensho.test")]
    username: Option<String>,
    /// Its password.
    #[schema(value_type = String, format = Password, example = "premium-demo")]
    password: Option<String>,
}

impl Accepted for LoginBody {
    const ACCEPTED: &'static [&'static str] = &["username", "password"];
}

/// The refresh token of a session.
#[derive(Deserialize, ToSchema)]
#[schema(as = RefreshTokenRequest)]
struct RefreshTokenBody {
    /// As login or the last refresh returned it.
    #[schema(value_type = String)]
    refresh_token: Option<String>,
}

impl Accepted for RefreshTokenBody {
    const ACCEPTED: &'static [&'static str] = &["refresh_token"];
}

/// A login or refresh result (OAuth 2.0 token response).
#[derive(Serialize, ToSchema)]
#[schema(as = TokenResponse)]
struct TokenJson {
    /// Send as `Authorization: Bearer <access_token>`.
    access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    token_type: String,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    expires_in: u32,
    /// Exchange at `/api/v1/auth/refresh` for a new pair; usable once.
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

/// Logs in with a Crunchyroll account and opens a Kensho session.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = LoginBody,
    responses(
        (status = 200, description = "The session's token pair.", body = TokenJson),
        (status = 401, description = "Wrong username or password.", body = ProblemSchema, content_type = PROBLEM_CONTENT_TYPE),
    )
)]
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

/// Exchanges a refresh token for a new token pair; the old refresh token is used up.
#[utoipa::path(
    post,
    path = "/api/v1/auth/refresh",
    tag = "auth",
    request_body = RefreshTokenBody,
    responses(
        (status = 200, description = "A new token pair.", body = TokenJson),
        (status = 401, description = "The refresh token is unknown, used up or its session ended.", body = ProblemSchema, content_type = PROBLEM_CONTENT_TYPE),
    )
)]
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

/// Ends the session of a refresh token, everywhere at once.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    request_body = RefreshTokenBody,
    responses(
        (status = 204, description = "The session ended."),
        (status = 401, description = "The refresh token is unknown or its session already ended.", body = ProblemSchema, content_type = PROBLEM_CONTENT_TYPE),
    )
)]
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
