//! GetUpstreamToken: a valid Crunchyroll access token for the session of a verified Kensho access
//! token, and nothing for a session id, a forged, expired or garbage token, or an ended session.

use futures_util::future::join_all;
use kensho_kit::time::from_timestamp;
use kensho_test_support::tokens::{Claims, TokenSigner, read_claims, with_claims};
use time::OffsetDateTime;

use crate::helpers::{FREE, spawn_app, spawn_app_with};

/// Signs as the test auth-svc does (see `test_auth_settings`).
fn service_signer() -> TokenSigner {
    TokenSigner::new("test-1", [11; 32])
}

/// `claims` moved `seconds` into the past, so they expired.
fn expired(claims: &Claims, seconds: i64) -> Claims {
    Claims {
        iat: claims.iat - seconds,
        nbf: claims.iat - seconds,
        exp: claims.iat - seconds + 60,
        ..claims.clone()
    }
}

#[tokio::test]
async fn get_upstream_token_returns_a_crunchyroll_token_and_whose_it_is() {
    let app = spawn_app().await;
    let tokens = app.login_premium().await;
    let identity = app.introspect(&tokens.access_token).await;

    let upstream = app
        .upstream_token(&tokens.access_token)
        .await
        .expect("a token");

    assert!(!upstream.access_token.is_empty());
    assert_ne!(upstream.access_token, tokens.access_token);
    assert_eq!(upstream.subject, identity.subject);
    assert_eq!(upstream.session_id, identity.session_id);
    let expires_at =
        from_timestamp(&upstream.expires_at.expect("an expiry")).expect("a valid time");
    assert!(expires_at > OffsetDateTime::now_utc(), "{expires_at}");
    let again = app
        .upstream_token(&tokens.access_token)
        .await
        .expect("a token");
    assert_eq!(again.access_token, upstream.access_token);
}

#[tokio::test]
async fn get_upstream_token_refreshes_an_expiring_crunchyroll_token_once_per_caller_in_turn() {
    let app = spawn_app_with(|settings| settings.sim.access_token_ttl_seconds = 1).await;
    let tokens = app.login_premium().await;
    app.sim.reset_stats();

    // Crunchyroll rotates refresh tokens: concurrent refreshes with one token would fail.
    let answers = join_all((0..4).map(|_| app.upstream_token(&tokens.access_token))).await;

    let mut access_tokens: Vec<String> = answers
        .into_iter()
        .map(|answer| answer.expect("every caller gets a token").access_token)
        .collect();
    access_tokens.sort();
    access_tokens.dedup();
    assert_eq!(
        access_tokens.len(),
        4,
        "each call refreshed the short-lived token"
    );
    assert_eq!(app.sim.stats().count("POST /auth/v1/token"), 4);
}

#[tokio::test]
async fn get_upstream_token_for_an_ended_session_is_unauthenticated() {
    let app = spawn_app().await;
    let tokens = app.login_premium().await;
    app.logout(&tokens.refresh_token).await;

    let status = app
        .upstream_token(&tokens.access_token)
        .await
        .expect_err("must fail");

    assert_eq!(status.code(), tonic::Code::Unauthenticated);
}

#[tokio::test]
async fn get_upstream_token_with_a_bare_session_id_or_a_forged_token_is_unauthenticated() {
    let app = spawn_app().await;
    let victim = app.login_premium().await;
    let other = app.login(FREE.0, FREE.1).await.expect("login succeeds");
    let victims_claims = read_claims(&victim.access_token);
    let others_claims = read_claims(&other.access_token);
    let forgeries = [
        ("the session id", victims_claims.sid.clone()),
        ("garbage", "not-a-token".to_owned()),
        (
            "signed by another deployment's key",
            TokenSigner::new("test-1", [99; 32]).sign(&victims_claims),
        ),
        (
            "expired",
            service_signer().sign(&expired(&victims_claims, 3600)),
        ),
        (
            "issued for another deployment with this deployment's key",
            service_signer().sign(&Claims {
                iss: "https://other.example".to_owned(),
                ..victims_claims.clone()
            }),
        ),
        (
            "not valid yet",
            service_signer().sign(&Claims {
                nbf: victims_claims.exp - 1,
                ..victims_claims.clone()
            }),
        ),
        (
            "a JWT that is not an access token",
            service_signer().sign_with_type(&victims_claims, "JWT"),
        ),
        (
            "the victim's claims under another user's signature",
            with_claims(&other.access_token, &victims_claims),
        ),
        (
            "the victim's account on another user's session",
            service_signer().sign(&Claims {
                sid: others_claims.sid.clone(),
                ..victims_claims.clone()
            }),
        ),
    ];

    for (kind, presented) in forgeries {
        let status = app.upstream_token(&presented).await.expect_err(kind);

        assert_eq!(status.code(), tonic::Code::Unauthenticated, "{kind}");
    }
    app.upstream_token(&victim.access_token)
        .await
        .expect("the victim's own token still works");
}

#[tokio::test]
async fn get_upstream_token_without_a_token_is_invalid_argument() {
    let app = spawn_app().await;

    let status = app.upstream_token("").await.expect_err("must fail");

    assert_eq!(status.code(), tonic::Code::InvalidArgument);
}
