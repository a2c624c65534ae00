//! Sessions through the gateway: login, refresh and logout against auth-svc and the Crunchyroll
//! simulator, the JWKS, and the bearer checks of protected routes (`/api/v1/me`).

use kensho_gateway::GatewaySettings;
use kensho_test_support::tokens::{
    Claims, TokenSettings, TokenSigner, read_claims, unsigned, with_claims,
};
use serde_json::{Value, json};

use crate::helpers::{
    FREE, PREMIUM, Storage, TEST_SIGNING_KID, TEST_SIGNING_SEED, assert_problem, error_fields,
    spawn_app_with_auth, spawn_app_with_auth_and, spawn_cluster, spawn_gateway_with,
};

const CREDENTIALS_CHALLENGE: &str = r#"Bearer realm="kensho""#;
const INVALID_TOKEN_CHALLENGE: &str = r#"Bearer realm="kensho", error="invalid_token""#;

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

fn text(value: &Value) -> &str {
    value.as_str().expect("a string")
}

/// The key auth-svc signs with in `spawn_app_with_auth()`.
fn auth_svc_signer() -> TokenSigner {
    TokenSigner::new(TEST_SIGNING_KID, TEST_SIGNING_SEED)
}

/// Asserts a 401 problem with the given challenge.
async fn assert_unauthorized(response: reqwest::Response, challenge: &str) -> Value {
    assert_eq!(header(&response, "www-authenticate"), challenge);
    assert_problem(response, 401).await
}

#[tokio::test]
async fn login_with_the_premium_account_returns_a_bearer_token_pair_that_is_not_cached() {
    let app = spawn_app_with_auth().await;
    let response = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"username": PREMIUM.0, "password": PREMIUM.1}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), "no-store");
    let raw = response.text().await.expect("a body");
    assert!(!raw.contains(PREMIUM.1), "the password is echoed: {raw}");
    let body: Value = serde_json::from_str(&raw).expect("JSON");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(text(&body["refresh_token"]).len(), 43);
    assert_eq!(text(&body["access_token"]).split('.').count(), 3);
}

#[tokio::test]
async fn me_answers_the_subject_and_session_of_a_valid_token() {
    let app = spawn_app_with_auth().await;
    let tokens = app.login_premium().await;
    let access_token = text(&tokens["access_token"]);
    let response = app.get_with_token("/api/v1/me", access_token).await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), "no-store");
    let body: Value = response.json().await.expect("JSON");
    let claims = read_claims(access_token);
    assert_eq!(body["subject"], claims.sub);
    assert_eq!(body["session_id"], claims.sid);
}

#[tokio::test]
async fn refresh_returns_a_rotated_pair_for_the_same_session() {
    let app = spawn_app_with_auth().await;
    let tokens = app.login_premium().await;
    let response = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": tokens["refresh_token"]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), "no-store");
    let rotated: Value = response.json().await.expect("JSON");
    assert_eq!(rotated["token_type"], "Bearer");
    assert_ne!(rotated["refresh_token"], tokens["refresh_token"]);
    let session = read_claims(text(&tokens["access_token"])).sid;
    assert_eq!(read_claims(text(&rotated["access_token"])).sid, session);
    let me = app
        .get_with_token("/api/v1/me", text(&rotated["access_token"]))
        .await;
    assert_eq!(me.status(), 200);
}

#[tokio::test]
async fn logout_is_204_and_the_access_token_stops_working_at_once() {
    let app = spawn_app_with_auth().await;
    let tokens = app.login_premium().await;
    let access_token = text(&tokens["access_token"]);
    assert_eq!(
        app.get_with_token("/api/v1/me", access_token)
            .await
            .status(),
        200
    );
    let logout = app
        .post_json(
            "/api/v1/auth/logout",
            &json!({"refresh_token": tokens["refresh_token"]}),
        )
        .await;
    assert_eq!(logout.status(), 204);
    assert_eq!(header(&logout, "cache-control"), "no-store");
    let me = app.get_with_token("/api/v1/me", access_token).await;
    assert_unauthorized(me, INVALID_TOKEN_CHALLENGE).await;
    let refresh = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": tokens["refresh_token"]}),
        )
        .await;
    assert_unauthorized(refresh, INVALID_TOKEN_CHALLENGE).await;
}

#[tokio::test]
async fn logging_out_one_user_leaves_another_users_session_alive() {
    let app = spawn_app_with_auth().await;
    let leaving = app.login(PREMIUM).await;
    let staying = app.login(FREE).await;

    let logout = app
        .post_json(
            "/api/v1/auth/logout",
            &json!({"refresh_token": leaving["refresh_token"]}),
        )
        .await;

    assert_eq!(logout.status(), 204);
    let leaving_me = app
        .get_with_token("/api/v1/me", text(&leaving["access_token"]))
        .await;
    assert_unauthorized(leaving_me, INVALID_TOKEN_CHALLENGE).await;
    let staying_me = app
        .get_with_token("/api/v1/me", text(&staying["access_token"]))
        .await;
    assert_eq!(staying_me.status(), 200);
    let staying_refresh = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": staying["refresh_token"]}),
        )
        .await;
    assert_eq!(staying_refresh.status(), 200);
}

#[tokio::test]
async fn a_wrong_password_is_401_with_a_bearer_challenge_and_no_echo() {
    let app = spawn_app_with_auth().await;
    let response = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"username": PREMIUM.0, "password": "hunter2-wrong"}),
        )
        .await;
    assert_eq!(header(&response, "cache-control"), "no-store");
    let problem = assert_unauthorized(response, CREDENTIALS_CHALLENGE).await;
    assert_eq!(problem["detail"], "invalid username or password");
    assert!(!problem.to_string().contains("hunter2-wrong"));
}

#[tokio::test]
async fn reusing_a_refresh_token_is_401_and_ends_the_session() {
    let app = spawn_app_with_auth().await;
    let tokens = app.login_premium().await;
    let first_refresh = json!({"refresh_token": tokens["refresh_token"]});
    let rotated: Value = app
        .post_json("/api/v1/auth/refresh", &first_refresh)
        .await
        .json()
        .await
        .expect("JSON");
    let reuse = app.post_json("/api/v1/auth/refresh", &first_refresh).await;
    assert_unauthorized(reuse, INVALID_TOKEN_CHALLENGE).await;
    let me = app
        .get_with_token("/api/v1/me", text(&rotated["access_token"]))
        .await;
    assert_unauthorized(me, INVALID_TOKEN_CHALLENGE).await;
}

#[tokio::test]
async fn a_forged_token_is_401_invalid_token() {
    let app = spawn_app_with_auth().await;
    let tokens = app.login_premium().await;
    let genuine = text(&tokens["access_token"]);
    let mut claims = read_claims(genuine);
    claims.sub = "someone-else".to_owned();
    let changed_claims = with_claims(genuine, &claims);
    let impostor_signature =
        TokenSigner::new(TEST_SIGNING_KID, [99; 32]).sign(&read_claims(genuine));
    for forged in [changed_claims, impostor_signature] {
        let me = app.get_with_token("/api/v1/me", &forged).await;
        let problem = assert_unauthorized(me, INVALID_TOKEN_CHALLENGE).await;
        assert_eq!(
            problem["detail"],
            "the access token signature does not verify"
        );
    }
}

#[tokio::test]
async fn an_expired_token_is_401_invalid_token() {
    let app = spawn_app_with_auth().await;
    let tokens = app.login_premium().await;
    let expired = auth_svc_signer().sign(&Claims {
        iat: 1_000,
        nbf: 1_000,
        exp: 1_900,
        ..read_claims(text(&tokens["access_token"]))
    });
    let me = app.get_with_token("/api/v1/me", &expired).await;
    let problem = assert_unauthorized(me, INVALID_TOKEN_CHALLENGE).await;
    assert_eq!(problem["detail"], "the access token has expired");
}

#[tokio::test]
async fn issued_access_tokens_are_typed_and_name_the_configured_deployment() {
    let deployment = TokenSettings {
        issuer: "https://kensho.example".to_owned(),
        audience: "kensho-example-api".to_owned(),
    };
    let configured = deployment.clone();
    let app = spawn_cluster(Storage::Sqlite, |config| config.tokens = configured).await;

    let tokens = app.login_premium().await;

    let access_token = text(&tokens["access_token"]);
    let header = read_header(access_token);
    assert_eq!(header["typ"], "at+jwt");
    let claims = read_claims(access_token);
    assert_eq!(claims.iss, deployment.issuer);
    assert_eq!(claims.aud, deployment.audience);
    assert_eq!(claims.nbf, claims.iat);
    let me = app.get_with_token("/api/v1/me", access_token).await;
    assert_eq!(me.status(), 200);
}

#[tokio::test]
async fn a_token_of_another_deployment_is_401_invalid_token() {
    let app = spawn_app_with_auth().await;
    let tokens = app.login_premium().await;
    let genuine = read_claims(text(&tokens["access_token"]));
    let other_issuer = Claims {
        iss: "https://other.example".to_owned(),
        ..genuine.clone()
    };
    let other_audience = Claims {
        aud: "other-api".to_owned(),
        ..genuine
    };
    for claims in [other_issuer, other_audience] {
        let foreign = auth_svc_signer().sign(&claims);
        let me = app.get_with_token("/api/v1/me", &foreign).await;
        let problem = assert_unauthorized(me, INVALID_TOKEN_CHALLENGE).await;
        assert_eq!(
            problem["detail"],
            "the access token was issued for another deployment"
        );
    }
}

#[tokio::test]
async fn a_token_before_its_not_before_time_is_401_invalid_token() {
    let app = spawn_app_with_auth().await;
    let tokens = app.login_premium().await;
    let genuine = read_claims(text(&tokens["access_token"]));
    let early = auth_svc_signer().sign(&Claims {
        nbf: genuine.exp - 1,
        ..genuine
    });
    let me = app.get_with_token("/api/v1/me", &early).await;
    let problem = assert_unauthorized(me, INVALID_TOKEN_CHALLENGE).await;
    assert_eq!(problem["detail"], "the access token is not valid yet");
}

#[tokio::test]
async fn a_signed_jwt_that_is_not_an_access_token_is_401_invalid_token() {
    let app = spawn_app_with_auth().await;
    let tokens = app.login_premium().await;
    let claims = read_claims(text(&tokens["access_token"]));
    for typ in ["JWT", "id_token+jwt"] {
        let other_kind = auth_svc_signer().sign_with_type(&claims, typ);
        let me = app.get_with_token("/api/v1/me", &other_kind).await;
        let problem = assert_unauthorized(me, INVALID_TOKEN_CHALLENGE).await;
        assert_eq!(problem["detail"], "the access token is malformed", "{typ}");
    }
}

/// The JOSE header of `token`, read without verifying it.
fn read_header(token: &str) -> Value {
    use base64::Engine;
    let header = token.split('.').next().expect("a token has a header");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .expect("base64url header");
    serde_json::from_slice(&bytes).expect("a JSON header")
}

#[tokio::test]
async fn a_token_signed_by_an_unknown_key_is_401_invalid_token() {
    let app = spawn_app_with_auth().await;
    let tokens = app.login_premium().await;
    let stranger =
        TokenSigner::new("stranger", [42; 32]).sign(&read_claims(text(&tokens["access_token"])));
    let me = app.get_with_token("/api/v1/me", &stranger).await;
    let problem = assert_unauthorized(me, INVALID_TOKEN_CHALLENGE).await;
    assert_eq!(
        problem["detail"],
        "the access token is signed by an unknown key"
    );
}

#[tokio::test]
async fn a_token_of_another_algorithm_is_401_invalid_token() {
    let app = spawn_app_with_auth().await;
    let tokens = app.login_premium().await;
    let claims = read_claims(text(&tokens["access_token"]));
    let hs256_keyed_with_the_public_key = auth_svc_signer().sign_hs256_with_public_key(&claims);
    let unsigned = unsigned(TEST_SIGNING_KID, &claims);
    for token in [hs256_keyed_with_the_public_key, unsigned] {
        let me = app.get_with_token("/api/v1/me", &token).await;
        let problem = assert_unauthorized(me, INVALID_TOKEN_CHALLENGE).await;
        assert_eq!(problem["detail"], "the access token is malformed");
    }
}

#[tokio::test]
async fn a_garbled_token_is_401_invalid_token() {
    let app = spawn_app_with_auth().await;
    let me = app.get_with_token("/api/v1/me", "not-a-jwt").await;
    assert_unauthorized(me, INVALID_TOKEN_CHALLENGE).await;
}

#[tokio::test]
async fn the_jwks_is_served_and_matches_the_signing_key() {
    let app = spawn_app_with_auth().await;
    let response = app.get("/.well-known/jwks.json").await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "cache-control"), "public, max-age=300");
    let jwks: Value = response.json().await.expect("JSON");
    assert_eq!(jwks, auth_svc_signer().jwks());
    assert_eq!(jwks["keys"][0]["kid"], TEST_SIGNING_KID);
    assert_eq!(jwks["keys"][0]["alg"], "EdDSA");
}

#[tokio::test]
async fn a_missing_or_non_bearer_authorization_header_is_401_asking_for_credentials() {
    let app = spawn_app_with_auth().await;
    let missing = app.get("/api/v1/me").await;
    assert_unauthorized(missing, CREDENTIALS_CHALLENGE).await;
    let basic = app
        .client
        .get(format!("{}/api/v1/me", app.address))
        .basic_auth(PREMIUM.0, Some(PREMIUM.1))
        .send()
        .await
        .expect("sent");
    assert_unauthorized(basic, CREDENTIALS_CHALLENGE).await;
}

#[tokio::test]
async fn a_login_body_that_is_not_json_is_400_naming_body() {
    let app = spawn_app_with_auth().await;
    let response = app
        .client
        .post(format!("{}/api/v1/auth/login", app.address))
        .header("content-type", "application/json")
        .body(r#"{"username": "premium@kensho.test", "password": "premium-demo""#)
        .send()
        .await
        .expect("sent");
    let problem = assert_problem(response, 400).await;
    assert_eq!(error_fields(&problem), ["body"]);
    assert!(!problem.to_string().contains(PREMIUM.1));
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_400_without_echoing_it() {
    let app = spawn_app_with_auth().await;
    let response = app
        .post_json("/api/v1/auth/login", &json!("premium-demo"))
        .await;
    let problem = assert_problem(response, 400).await;
    assert_eq!(error_fields(&problem), ["body"]);
    assert!(!problem.to_string().contains(PREMIUM.1));
}

#[tokio::test]
async fn missing_fields_are_400_naming_each_of_them() {
    let app = spawn_app_with_auth().await;
    let login = app
        .post_json("/api/v1/auth/login", &json!({"username": ""}))
        .await;
    let problem = assert_problem(login, 400).await;
    assert_eq!(error_fields(&problem), ["username", "password"]);
    let refresh = app.post_json("/api/v1/auth/refresh", &json!({})).await;
    let problem = assert_problem(refresh, 400).await;
    assert_eq!(error_fields(&problem), ["refresh_token"]);
}

#[tokio::test]
async fn too_many_logins_are_429_with_auth_svc_retry_after() {
    let app = spawn_app_with_auth_and(
        |auth| {
            auth.login_limits.per_username_burst = 1;
            auth.login_limits.per_username_per_minute = 1;
        },
        |gateway: &mut GatewaySettings| gateway.retry_after_seconds = 5,
    )
    .await;
    app.login_premium().await;
    let response = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"username": PREMIUM.0, "password": PREMIUM.1}),
        )
        .await;
    let retry_after: u32 = header(&response, "retry-after")
        .parse()
        .expect("whole seconds");
    assert!(
        (50..=60).contains(&retry_after),
        "auth-svc's wait, not the gateway default: {retry_after}"
    );
    assert_problem(response, 429).await;
}

#[tokio::test]
async fn an_unreachable_auth_svc_is_503_with_retry_after() {
    let app = spawn_gateway_with(|settings| {
        settings.retry_after_seconds = 7;
    })
    .await;
    let response = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"username": PREMIUM.0, "password": PREMIUM.1}),
        )
        .await;
    assert_eq!(header(&response, "retry-after"), "7");
    assert_problem(response, 503).await;
    let me = app.get_with_token("/api/v1/me", "a.b.c").await;
    assert_eq!(me.status(), 401, "a malformed token needs no keys");
}
