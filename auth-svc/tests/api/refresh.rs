//! Refresh and logout: rotation, reuse detection, immediate revocation, restarts.

use crate::helpers::{FREE, spawn_app, spawn_app_with};

#[tokio::test]
async fn refresh_rotates_the_refresh_token_and_issues_a_new_access_token() {
    let app = spawn_app().await;
    let first = app.login_premium().await;

    let second = app
        .refresh(&first.refresh_token)
        .await
        .expect("refresh succeeds");

    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(second.token_type, "Bearer");
    let third = app
        .refresh(&second.refresh_token)
        .await
        .expect("the new token works");
    assert!(app.introspect(&third.access_token).await.active);
}

#[tokio::test]
async fn presenting_a_used_refresh_token_revokes_the_whole_session() {
    let app = spawn_app().await;
    let first = app.login_premium().await;
    let second = app
        .refresh(&first.refresh_token)
        .await
        .expect("refresh succeeds");

    let reuse = app
        .refresh(&first.refresh_token)
        .await
        .expect_err("reuse fails");

    assert_eq!(reuse.code(), tonic::Code::Unauthenticated);
    let after_reuse = app
        .refresh(&second.refresh_token)
        .await
        .expect_err("the session is gone");
    assert_eq!(after_reuse.code(), tonic::Code::Unauthenticated);
    assert!(!app.introspect(&second.access_token).await.active);
}

#[tokio::test]
async fn refresh_with_an_unknown_or_malformed_token_is_unauthenticated() {
    let app = spawn_app().await;

    let unknown = app
        .refresh("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .await
        .expect_err("must fail");
    let malformed = app.refresh("garbage").await.expect_err("must fail");
    let empty = app.refresh("").await.expect_err("must fail");

    assert_eq!(unknown.code(), tonic::Code::Unauthenticated);
    assert_eq!(malformed.code(), tonic::Code::Unauthenticated);
    assert_eq!(empty.code(), tonic::Code::InvalidArgument);
}

#[tokio::test]
async fn logout_ends_the_session_at_once() {
    let app = spawn_app().await;
    let tokens = app.login_premium().await;
    assert!(app.introspect(&tokens.access_token).await.active);

    app.logout(&tokens.refresh_token).await;

    assert!(!app.introspect(&tokens.access_token).await.active);
    let refresh = app
        .refresh(&tokens.refresh_token)
        .await
        .expect_err("must fail");
    assert_eq!(refresh.code(), tonic::Code::Unauthenticated);
}

#[tokio::test]
async fn logging_out_with_one_users_refresh_token_leaves_another_users_session_alive() {
    let app = spawn_app().await;
    let leaving = app.login_premium().await;
    let staying = app.login(FREE.0, FREE.1).await.expect("login succeeds");

    app.logout(&leaving.refresh_token).await;

    assert!(!app.introspect(&leaving.access_token).await.active);
    assert!(app.introspect(&staying.access_token).await.active);
    app.upstream_token(&staying.access_token)
        .await
        .expect("the other session still holds its crunchyroll token");
    app.refresh(&staying.refresh_token)
        .await
        .expect("the other session still refreshes");
}

#[tokio::test]
async fn sessions_survive_a_restart() {
    let mut app = spawn_app().await;
    let tokens = app.login_premium().await;

    app.restart().await;

    assert!(app.introspect(&tokens.access_token).await.active);
    app.refresh(&tokens.refresh_token)
        .await
        .expect("the refresh token still works");
}

/// Rounds of the race below: each is a fresh session whose refresh token two tasks present at once.
const REFRESH_RACE_ROUNDS: usize = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_concurrent_refreshes_with_one_token_never_both_succeed() {
    let app = std::sync::Arc::new(
        spawn_app_with(|settings| {
            // One login per round: more than the default burst allows.
            settings.auth.login_limits.per_username_burst = 100;
            settings.auth.login_limits.per_address_burst = 100;
        })
        .await,
    );
    for round in 0..REFRESH_RACE_ROUNDS {
        let tokens = app.login_premium().await;
        // Both refreshes leave the barrier together, on two worker threads, so a rotation that
        // is not atomic lets both through.
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
        let racers: Vec<_> = (0..2)
            .map(|_| {
                let app = std::sync::Arc::clone(&app);
                let barrier = std::sync::Arc::clone(&barrier);
                let refresh_token = tokens.refresh_token.clone();
                tokio::spawn(async move {
                    barrier.wait().await;
                    app.refresh(&refresh_token).await
                })
            })
            .collect();
        let mut successes = 0;
        for racer in racers {
            if racer.await.expect("the racer finishes").is_ok() {
                successes += 1;
            }
        }

        assert!(successes <= 1, "round {round}: one token, one rotation");
    }
}

#[tokio::test]
async fn without_configured_keys_an_embedded_install_keeps_sessions_across_a_restart() {
    let mut app = spawn_app_with(|settings| {
        settings.auth.signing_keys.clear();
        settings.auth.encryption_keys.clear();
    })
    .await;
    let tokens = app.login_premium().await;

    app.restart().await;

    assert!(
        app.introspect(&tokens.access_token).await.active,
        "the signing key was kept"
    );
    app.upstream_token(&tokens.access_token)
        .await
        .expect("the stored crunchyroll tokens still decrypt");
}
