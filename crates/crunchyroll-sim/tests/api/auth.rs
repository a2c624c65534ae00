//! `POST /auth/v1/token` and the bearer check (§2 of the reference).

use kensho_crunchyroll_sim::{FREE_DEMO_EMAIL, PREMIUM_DEMO_EMAIL, PREMIUM_DEMO_PASSWORD};
use serde_json::{Value, json};

use crate::helpers::{TEST_DEVICE, assert_error, jwt_payload, spawn_sim, spawn_sim_with, text};

fn invalid_grant_refresh() -> Value {
    json!({"code": "auth.obtain_access_token.oauth2_error", "context": [], "error": "invalid_grant"})
}

fn invalid_auth_token() -> Value {
    json!({"code": "accounts.get_account_info.invalid_auth_token", "context": []})
}

#[tokio::test]
async fn anonymous_grant_returns_a_token_without_refresh_token_or_account() {
    let sim = spawn_sim().await;
    let response = sim.token_request(&[("grant_type", "client_id")]).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 300);
    for absent in ["refresh_token", "account_id", "profile_id"] {
        assert!(body.get(absent).is_none(), "{absent} present: {body}");
    }
    let claims = jwt_payload(&text(&body["access_token"]));
    assert_eq!(claims["benefits"], json!([]));
}

#[tokio::test]
async fn password_grant_returns_the_full_token_response_with_a_decodable_jwt() {
    let sim = spawn_sim().await;
    let response = sim
        .token_request(&[
            ("grant_type", "password"),
            ("username", PREMIUM_DEMO_EMAIL),
            ("password", PREMIUM_DEMO_PASSWORD),
            ("device_id", TEST_DEVICE),
        ])
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        body["scope"],
        "account content offline_access reviews talkbox"
    );
    assert_eq!(body["country"], "US");
    assert_eq!(body["expires_in"], 300);
    assert_eq!(text(&body["refresh_token"]).len(), 36, "uuid-like");
    let claims = jwt_payload(&text(&body["access_token"]));
    assert_eq!(claims["account_id"], body["account_id"]);
    assert_eq!(claims["profile_id"], body["profile_id"]);
    assert_eq!(claims["device_id"], TEST_DEVICE);
    let benefits = claims["benefits"].as_array().expect("benefits");
    assert!(benefits.contains(&json!("cr_premium")));
    assert!(benefits.contains(&json!("concurrent_streams.4")));
    assert_eq!(
        claims["exp"].as_u64(),
        claims["iat"].as_u64().map(|iat| iat + 300)
    );
}

#[tokio::test]
async fn the_free_account_token_has_no_premium_benefit() {
    let sim = spawn_sim().await;
    let claims = jwt_payload(&sim.free_token().await);
    let benefits = claims["benefits"].as_array().expect("benefits");
    assert!(!benefits.contains(&json!("cr_premium")));
    assert!(benefits.contains(&json!("concurrent_streams.1")));
}

#[tokio::test]
async fn client_credentials_in_form_fields_are_accepted_like_basic_auth() {
    let sim = spawn_sim().await;
    let fields = [
        ("grant_type", "client_id"),
        ("client_id", "mdnx-style-client"),
        ("client_secret", "public-secret"),
    ];
    let response = sim.token_request_as(None, &fields).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        jwt_payload(&text(&body["access_token"]))["client_id"],
        "mdnx-style-client"
    );
}

#[tokio::test]
async fn a_wrong_password_returns_401_invalid_credentials() {
    let sim = spawn_sim().await;
    let response = sim
        .token_request(&[
            ("grant_type", "password"),
            ("username", FREE_DEMO_EMAIL),
            ("password", "not-the-password"),
        ])
        .await;
    let expected = json!({"code": "auth.obtain_access_token.invalid_credentials", "context": [], "error": "invalid_grant"});
    assert_error(response, 401, expected).await;
}

#[tokio::test]
async fn clients_missing_from_the_allow_list_get_401_client_inactive() {
    let sim = spawn_sim_with(|settings| settings.client_ids = vec!["android-tv".to_owned()]).await;
    let allowed = sim
        .token_request_as(Some("android-tv:secret"), &[("grant_type", "client_id")])
        .await;
    assert_eq!(allowed.status(), 200);
    let refused = sim
        .token_request_as(
            Some("rotated-client:secret"),
            &[("grant_type", "client_id")],
        )
        .await;
    let expected = json!({"code": "auth.obtain_access_token.client_inactive", "context": [], "error": "invalid_client"});
    assert_error(refused, 401, expected).await;
}

#[tokio::test]
async fn requests_without_client_credentials_get_401_invalid_client() {
    let sim = spawn_sim().await;
    let response = sim
        .token_request_as(None, &[("grant_type", "client_id")])
        .await;
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], "invalid_client");
}

#[tokio::test]
async fn a_refresh_rotates_the_refresh_token_and_the_old_one_is_refused() {
    let sim = spawn_sim().await;
    let tokens = sim.login(PREMIUM_DEMO_EMAIL, PREMIUM_DEMO_PASSWORD).await;
    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens.refresh_token.as_str()),
        ("device_id", TEST_DEVICE),
    ];
    let response = sim.token_request(&refresh).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    let rotated = text(&body["refresh_token"]);
    assert_ne!(rotated, tokens.refresh_token);
    assert!(body["account_id"].is_string());
    let reused = sim.token_request(&refresh).await;
    assert_error(reused, 400, invalid_grant_refresh()).await;
    let with_rotated = sim
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", rotated.as_str()),
            ("device_id", TEST_DEVICE),
        ])
        .await;
    assert_eq!(with_rotated.status(), 200);
}

#[tokio::test]
async fn a_refresh_from_another_device_is_refused_and_the_token_stays_valid_for_its_own() {
    let sim = spawn_sim().await;
    let tokens = sim.login(PREMIUM_DEMO_EMAIL, PREMIUM_DEMO_PASSWORD).await;
    let foreign = sim
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens.refresh_token.as_str()),
            ("device_id", "another-device"),
        ])
        .await;
    assert_error(foreign, 400, invalid_grant_refresh()).await;
    let own = sim
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens.refresh_token.as_str()),
            ("device_id", TEST_DEVICE),
        ])
        .await;
    assert_eq!(own.status(), 200);
}

#[tokio::test]
async fn an_unknown_refresh_token_is_refused_with_invalid_grant() {
    let sim = spawn_sim().await;
    let response = sim
        .token_request(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "00000000-0000-4000-8000-000000000000"),
            ("device_id", TEST_DEVICE),
        ])
        .await;
    assert_error(response, 400, invalid_grant_refresh()).await;
}

#[tokio::test]
async fn the_profile_switch_grant_rotates_like_a_refresh() {
    let sim = spawn_sim().await;
    let tokens = sim.login(PREMIUM_DEMO_EMAIL, PREMIUM_DEMO_PASSWORD).await;
    let switch = [
        ("grant_type", "refresh_token_profile_id"),
        ("refresh_token", tokens.refresh_token.as_str()),
        ("profile_id", "any-profile"),
        ("device_id", TEST_DEVICE),
    ];
    let response = sim.token_request(&switch).await;
    assert_eq!(response.status(), 200);
    assert_error(
        sim.token_request(&switch).await,
        400,
        invalid_grant_refresh(),
    )
    .await;
}

#[tokio::test]
async fn the_etp_rt_cookie_grant_redeems_a_refresh_token_from_the_cookie() {
    let sim = spawn_sim().await;
    let tokens = sim.login(PREMIUM_DEMO_EMAIL, PREMIUM_DEMO_PASSWORD).await;
    let response = sim
        .client
        .post(sim.url("/auth/v1/token"))
        .header("authorization", "Basic d2ViLWNsaWVudDo=")
        .header(
            "cookie",
            format!("etp_rt={}; device_id={TEST_DEVICE}", tokens.refresh_token),
        )
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=etp_rt_cookie")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_missing_or_unknown_grant_type_returns_400_unsupported_grant_type() {
    let sim = spawn_sim().await;
    for fields in [vec![], vec![("grant_type", "telepathy")]] {
        let response = sim.token_request(&fields).await;
        assert_eq!(response.status(), 400);
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["error"], "unsupported_grant_type");
    }
}

#[tokio::test]
async fn content_routes_refuse_missing_or_unknown_bearer_tokens() {
    let sim = spawn_sim().await;
    let without = sim
        .client
        .get(sim.url("/content/v2/discover/categories"))
        .send()
        .await
        .expect("sent");
    assert_error(without, 401, invalid_auth_token()).await;
    let unknown = sim.get("/content/v2/discover/categories", "a.b.c").await;
    assert_error(unknown, 401, invalid_auth_token()).await;
}

#[tokio::test]
async fn tokens_born_expired_are_refused() {
    let sim = spawn_sim_with(|settings| settings.access_token_ttl_seconds = 0).await;
    let token = sim.premium_token().await;
    let response = sim.get("/content/v2/discover/categories", &token).await;
    assert_error(response, 401, invalid_auth_token()).await;
}

#[tokio::test]
async fn anonymous_tokens_may_read_content_but_not_play() {
    let sim = spawn_sim().await;
    let token = sim.anonymous_token().await;
    sim.get_json("/content/v2/discover/categories", &token)
        .await;
    let episode = sim.episode_id("Cowboy Bebop", 1);
    assert_error(sim.play(&episode, &token).await, 401, invalid_auth_token()).await;
}
