use std::time::Duration;

use kensho_crunchyroll::{CrunchyrollError, Grant, TokenManager};
use kensho_kit::Secret;

use crate::helpers::{FREE, PREMIUM, spawn_sim, spawn_sim_with, user};

#[tokio::test]
async fn an_anonymous_grant_has_no_refresh_token_or_account() {
    let sim = spawn_sim().await;
    let tokens = sim
        .client()
        .request_token(&Grant::Anonymous, "device-1")
        .await
        .expect("anonymous token");
    assert!(tokens.refresh_token.is_none());
    assert!(tokens.account_id.is_none());
    assert_eq!(tokens.expires_in, Duration::from_secs(300));
}

#[tokio::test]
async fn a_password_grant_tells_premium_from_free() {
    let sim = spawn_sim().await;
    let client = sim.client();
    for ((username, password), premium) in [(PREMIUM, true), (FREE, false)] {
        let grant = Grant::Password {
            username: username.to_owned(),
            password: Secret::new(password.to_owned()),
        };
        let tokens = client
            .request_token(&grant, "device-1")
            .await
            .expect("login");
        assert!(tokens.refresh_token.is_some());
        assert!(tokens.account_id.is_some());
        assert_eq!(tokens.is_premium(), premium, "{username}");
    }
}

#[tokio::test]
async fn a_wrong_password_is_invalid_credentials() {
    let sim = spawn_sim().await;
    let grant = Grant::Password {
        username: PREMIUM.0.to_owned(),
        password: Secret::new("wrong".to_owned()),
    };
    let error = sim
        .client()
        .request_token(&grant, "device-1")
        .await
        .expect_err("refused");
    assert!(
        matches!(error, CrunchyrollError::InvalidCredentials),
        "{error:?}"
    );
    assert!(!error.to_string().contains("wrong"));
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_used_one_is_an_invalid_grant() {
    let sim = spawn_sim().await;
    let client = sim.client();
    let login = Grant::Password {
        username: PREMIUM.0.to_owned(),
        password: Secret::new(PREMIUM.1.to_owned()),
    };
    let first = client
        .request_token(&login, "device-1")
        .await
        .expect("login");
    let first_refresh = first.refresh_token.expect("a refresh token");
    let second = client
        .request_token(&Grant::RefreshToken(first_refresh.clone()), "device-1")
        .await
        .expect("refresh");
    assert_ne!(
        second.refresh_token.as_ref().map(Secret::expose),
        Some(first_refresh.expose())
    );
    let reused = client
        .request_token(&Grant::RefreshToken(first_refresh), "device-1")
        .await;
    assert!(
        matches!(reused, Err(CrunchyrollError::InvalidGrant)),
        "{reused:?}"
    );
}

#[tokio::test]
async fn a_refresh_from_another_device_is_an_invalid_grant() {
    let sim = spawn_sim().await;
    let client = sim.client();
    let login = Grant::Password {
        username: FREE.0.to_owned(),
        password: Secret::new(FREE.1.to_owned()),
    };
    let tokens = client
        .request_token(&login, "device-1")
        .await
        .expect("login");
    let refresh = Grant::RefreshToken(tokens.refresh_token.expect("a refresh token"));
    let error = client
        .request_token(&refresh, "device-2")
        .await
        .expect_err("refused");
    assert!(matches!(error, CrunchyrollError::InvalidGrant), "{error:?}");
}

#[tokio::test]
async fn an_unknown_app_client_is_invalid_client() {
    let sim =
        spawn_sim_with(|settings| settings.client_ids = vec!["kensho-allowed".to_owned()]).await;
    let error = sim
        .client()
        .request_token(&Grant::Anonymous, "device-1")
        .await
        .expect_err("refused");
    assert!(
        matches!(error, CrunchyrollError::InvalidClient),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_expired_access_token_is_refused_even_after_one_refresh() {
    let sim = spawn_sim_with(|settings| settings.access_token_ttl_seconds = 0).await;
    let client = sim.client();
    let auth = TokenManager::anonymous(client.clone());
    let error = client
        .seasonal_tags(&auth)
        .await
        .expect_err("tokens are born expired");
    assert!(
        matches!(error, CrunchyrollError::InvalidAuthToken),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_hundred_concurrent_callers_with_an_expiring_token_cause_one_refresh() {
    let sim = spawn_sim().await;
    let client = sim.client();
    let auth = std::sync::Arc::new(user(&client, PREMIUM));
    auth.access_token().await.expect("first token");
    assert_eq!(sim.calls_to("/auth/v1/token").await, 1);
    auth.invalidate().await;
    let callers: Vec<_> = (0..100)
        .map(|_| {
            let auth = std::sync::Arc::clone(&auth);
            tokio::spawn(async move {
                auth.access_token()
                    .await
                    .map(|token| token.expose().clone())
            })
        })
        .collect();
    let mut tokens = Vec::new();
    for caller in callers {
        tokens.push(caller.await.expect("caller finishes").expect("a token"));
    }
    assert_eq!(
        sim.calls_to("/auth/v1/token").await,
        2,
        "one login and one refresh"
    );
    tokens.dedup();
    assert_eq!(tokens.len(), 1, "every caller got the refreshed token");
}
