//! The caller is whoever auth-svc finds behind the access token: no other token, forged, expired
//! or logged out, yields a user's cached stream, and no user releases another's stream.

use kensho_test_support::tokens::{TokenSigner, with_claims};
use tonic::Code;

use crate::helpers::{FREE, PREMIUM, TestApp, User, claims_for, cluster_signer, spawn_app};

/// A premium user with a stream of an episode in the cache, and that stream's token.
async fn premium_user_playing(app: &TestApp, episode_id: &str) -> (User, String) {
    let owner = app.login(PREMIUM).await;
    let stream = app.stream_of(&owner, episode_id).await.expect("a stream");
    (owner, stream.stream_token)
}

/// Asserts that `owner`'s stream is still the cached one behind `stream_token`, and plays.
async fn assert_still_playing(app: &TestApp, owner: &User, episode_id: &str, stream_token: &str) {
    let again = app.stream_of(owner, episode_id).await.expect("a stream");
    assert_eq!(
        again.stream_token, stream_token,
        "the owner's stream is still cached"
    );
    let manifest = app
        .http
        .get(&again.manifest_url)
        .send()
        .await
        .expect("the manifest URL answers");
    assert_eq!(manifest.status(), 200, "the owner's stream still plays");
}

#[tokio::test]
async fn another_users_token_yields_only_that_users_stream_of_the_same_episode() {
    let app = spawn_app().await;
    let episode_id = app.episode_id("Cowboy Bebop", 1);
    let (owner, owner_token) = premium_user_playing(&app, &episode_id).await;
    let owner_stream = app.stream_of(&owner, &episode_id).await.expect("a stream");
    let other = app.login(FREE).await;

    let others_stream = app.stream_of(&other, &episode_id).await.expect("a stream");

    assert_ne!(others_stream.manifest_url, owner_stream.manifest_url);
    assert_ne!(others_stream.stream_token, owner_token);
    assert_still_playing(&app, &owner, &episode_id, &owner_token).await;
}

#[tokio::test]
async fn forged_expired_and_logged_out_tokens_get_nothing_of_a_users_stream() {
    let app = spawn_app().await;
    let episode_id = app.episode_id("Cowboy Bebop", 1);
    let (owner, owner_token) = premium_user_playing(&app, &episode_id).await;
    let other = app.login(FREE).await;
    let owners_claims = claims_for(&owner.subject, &owner.session_id, 300);
    let another_deployment = TokenSigner::new("test-1", [99; 32]);
    let logged_out = app.login(PREMIUM).await;
    app.logout(&logged_out).await;
    let forgeries = [
        (
            "signed by another deployment's key",
            another_deployment.sign(&owners_claims),
        ),
        (
            "expired",
            cluster_signer().sign(&claims_for(&owner.subject, &owner.session_id, -60)),
        ),
        (
            "the owner's claims under another user's signature",
            with_claims(&other.access_token, &owners_claims),
        ),
        (
            "the owner's account on another user's session",
            cluster_signer().sign(&claims_for(&owner.subject, &other.session_id, 300)),
        ),
        ("logged out", logged_out.access_token.clone()),
        ("garbage", "not-a-token".to_owned()),
    ];

    for (kind, access_token) in forgeries {
        let forger = User::holding(access_token);
        let stream = app.stream_of(&forger, &episode_id).await;
        let release = app.release(&forger, &owner_token).await;

        let stream_status = stream.expect_err(kind);
        assert_eq!(stream_status.code(), Code::Unauthenticated, "{kind}");
        assert_eq!(
            release.expect_err(kind).code(),
            Code::Unauthenticated,
            "{kind}"
        );
    }
    assert_still_playing(&app, &owner, &episode_id, &owner_token).await;
}

#[tokio::test]
async fn a_user_cannot_release_another_users_stream_and_the_owner_keeps_it() {
    let app = spawn_app().await;
    let episode_id = app.episode_id("Cowboy Bebop", 2);
    let (owner, owner_token) = premium_user_playing(&app, &episode_id).await;
    let other = app.login(FREE).await;

    let refused = app.release(&other, &owner_token).await.unwrap_err();

    assert_eq!(refused.code(), Code::NotFound);
    assert_still_playing(&app, &owner, &episode_id, &owner_token).await;
    app.release(&owner, &owner_token)
        .await
        .expect("the owner releases their own stream");
    let reopened = app.stream_of(&owner, &episode_id).await.expect("a stream");
    assert_ne!(
        reopened.stream_token, owner_token,
        "the owner's release took effect"
    );
}

#[tokio::test]
async fn a_stream_token_with_another_users_account_spliced_in_is_not_found() {
    let app = spawn_app().await;
    let episode_id = app.episode_id("Cowboy Bebop", 1);
    let (owner, owner_token) = premium_user_playing(&app, &episode_id).await;
    let other = app.login(FREE).await;
    let others_token = app
        .stream_of(&other, &episode_id)
        .await
        .expect("a stream")
        .stream_token;
    // The other user's tag on the owner's episode and upstream token.
    let (owner_stream, _) = owner_token.rsplit_once('.').expect("a tagged token");
    let (_, others_tag) = others_token.rsplit_once('.').expect("a tagged token");

    let spliced = app
        .release(&other, &format!("{owner_stream}.{others_tag}"))
        .await
        .unwrap_err();

    assert_eq!(spliced.code(), Code::NotFound);
    assert_still_playing(&app, &owner, &episode_id, &owner_token).await;
}
