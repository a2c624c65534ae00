//! `Debug` for the messages that carry passwords, tokens or per-user URLs (the list is in
//! `build.rs`): the message's name and nothing else, so formatting one never leaks a secret.

use std::fmt;

use crate::auth::v1 as auth;
use crate::stream::v1 as stream;

macro_rules! redacted_debug {
    ($($module:ident :: $message:ident),* $(,)?) => {
        $(
            impl fmt::Debug for $module::$message {
                fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                    formatter.debug_struct(stringify!($message)).finish_non_exhaustive()
                }
            }
        )*
    };
}

redacted_debug!(
    auth::LoginRequest,
    auth::RefreshRequest,
    auth::LogoutRequest,
    auth::TokenResponse,
    auth::IntrospectRequest,
    auth::GetUpstreamTokenRequest,
    auth::GetUpstreamTokenResponse,
    stream::GetStreamRequest,
    stream::GetStreamResponse,
    stream::ReleaseStreamRequest,
);

#[cfg(test)]
mod tests {
    use crate::auth::v1::{LoginRequest, TokenResponse};
    use crate::stream::v1::GetStreamResponse;

    #[test]
    fn credential_messages_show_no_field_in_debug() {
        let login = LoginRequest {
            username: "someone@example.org".to_owned(),
            password: "hunter2".to_owned(),
            client_address: String::new(),
        };
        let tokens = TokenResponse {
            access_token: "eyJ.access".to_owned(),
            refresh_token: "refresh-secret".to_owned(),
            ..TokenResponse::default()
        };
        let stream = GetStreamResponse {
            manifest_url: "https://cdn.example/manifest?token=abc".to_owned(),
            stream_token: "stream-secret".to_owned(),
            ..GetStreamResponse::default()
        };

        let printed = format!("{login:?} {tokens:?} {stream:?}");

        assert_eq!(
            printed,
            "LoginRequest { .. } TokenResponse { .. } GetStreamResponse { .. }"
        );
    }
}
