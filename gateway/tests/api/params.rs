//! Strict parameters: an unknown, repeated or malformed query parameter or body field is a 400
//! naming it, on every route.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, error_fields, spawn_app, spawn_app_with_auth};

/// Sends `method path` with an optional bearer token and JSON body.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    access_token: &str,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut request = app
        .client
        .request(method, format!("{}{path}", app.address))
        .bearer_auth(access_token);
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.expect("request is sent")
}

#[tokio::test]
async fn an_unknown_query_parameter_is_400_naming_it_on_every_route() {
    let app = spawn_app_with_auth().await;
    let tokens = app.login_premium().await;
    let access_token = tokens["access_token"].as_str().expect("an access token");
    let id = app.id_of("Attack on Titan").await;
    let refresh_body = json!({"refresh_token": tokens["refresh_token"]});
    let login_body = json!({"username": "someone", "password": "secret"});
    let batch_body = json!({"ids": [id]});
    let routes: Vec<(Method, String, Option<&Value>)> = vec![
        (Method::GET, format!("/api/v1/anime/{id}"), None),
        (Method::GET, format!("/api/v1/anime/{id}/episodes"), None),
        (
            Method::POST,
            "/api/v1/anime/batch".to_owned(),
            Some(&batch_body),
        ),
        (Method::GET, "/api/v1/search?q=titan".to_owned(), None),
        (Method::GET, "/api/v1/anime?sort=-score".to_owned(), None),
        (
            Method::GET,
            "/api/v1/browse/season/2013/spring".to_owned(),
            None,
        ),
        (
            Method::GET,
            "/api/v1/browse/season/current".to_owned(),
            None,
        ),
        (
            Method::GET,
            "/api/v1/browse/season/upcoming".to_owned(),
            None,
        ),
        (Method::GET, format!("/api/v1/anime/{id}/similar"), None),
        (Method::GET, format!("/api/v1/anime/{id}/franchise"), None),
        (Method::GET, "/api/v1/tags".to_owned(), None),
        (Method::GET, "/api/v1/seasons".to_owned(), None),
        (Method::GET, "/.well-known/jwks.json".to_owned(), None),
        (
            Method::POST,
            "/api/v1/auth/login".to_owned(),
            Some(&login_body),
        ),
        (
            Method::POST,
            "/api/v1/auth/refresh".to_owned(),
            Some(&refresh_body),
        ),
        (
            Method::POST,
            "/api/v1/auth/logout".to_owned(),
            Some(&refresh_body),
        ),
        (Method::GET, "/api/v1/me".to_owned(), None),
        (Method::GET, format!("/api/v1/stream/{id}/1"), None),
        (Method::DELETE, "/api/v1/stream/some-token".to_owned(), None),
        (Method::GET, "/health/live".to_owned(), None),
        (Method::GET, "/health/ready".to_owned(), None),
        (Method::GET, "/health/startup".to_owned(), None),
    ];
    for (method, path, body) in routes {
        let separator = if path.contains('?') { '&' } else { '?' };
        let with_unknown = format!("{path}{separator}bogus=1");
        let response = send(&app, method.clone(), &with_unknown, access_token, body).await;
        let problem = assert_problem(response, 400).await;
        assert_eq!(error_fields(&problem), ["bogus"], "{method} {with_unknown}");
        let message = problem["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("accepted:"), "{method} {path}: {message}");
    }
}

#[tokio::test]
async fn the_refusal_lists_the_accepted_parameters() {
    let app = spawn_app().await;
    let problem = assert_problem(app.get("/api/v1/tags?page=2").await, 400).await;
    assert_eq!(error_fields(&problem), ["page"]);
    let message = problem["errors"][0]["message"].as_str().unwrap_or_default();
    for accepted in ["category", "limit", "cursor", "fields"] {
        assert!(message.contains(accepted), "{message} lists {accepted}");
    }
}

#[tokio::test]
async fn a_repeated_parameter_is_400_naming_it() {
    let app = spawn_app().await;
    let problem = assert_problem(app.get("/api/v1/search?q=titan&q=bebop").await, 400).await;
    assert_eq!(error_fields(&problem), ["q"]);
}

#[tokio::test]
async fn a_malformed_parameter_is_400_naming_it() {
    let app = spawn_app().await;
    let problem = assert_problem(app.get("/api/v1/tags?limit=many").await, 400).await;
    assert_eq!(error_fields(&problem), ["limit"]);
}

#[tokio::test]
async fn fields_is_accepted_on_get_and_refused_on_post() {
    let app = spawn_app().await;
    let body = app.get_json("/api/v1/tags?limit=3&fields=name").await;
    assert_eq!(body["data"][0].as_object().map(|tag| tag.len()), Some(1));
    let response = app
        .post_json("/api/v1/anime/batch?fields=title", &json!({"ids": []}))
        .await;
    let problem = assert_problem(response, 400).await;
    assert_eq!(error_fields(&problem), ["fields"]);
}

#[tokio::test]
async fn an_unknown_body_field_is_400_naming_it_and_the_accepted_ones() {
    let app = spawn_app().await;
    let response = app
        .post_json("/api/v1/anime/batch", &json!({"ids": [], "mal_ids": [1]}))
        .await;
    let problem = assert_problem(response, 400).await;
    assert_eq!(error_fields(&problem), ["mal_ids"]);
    let message = problem["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("ids"), "{message}");
}

#[tokio::test]
async fn a_repeated_body_field_is_400_naming_it() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(format!("{}/api/v1/anime/batch", app.address))
        .header("content-type", "application/json")
        .body(r#"{"ids": ["a"], "ids": ["b"]}"#)
        .send()
        .await
        .expect("request is sent");
    let problem = assert_problem(response, 400).await;
    assert_eq!(error_fields(&problem), ["ids"]);
}

#[tokio::test]
async fn a_body_field_of_the_wrong_type_is_400_naming_it() {
    let app = spawn_app().await;
    let response = app
        .post_json("/api/v1/anime/batch", &json!({"ids": ["a", 7]}))
        .await;
    let problem = assert_problem(response, 400).await;
    assert_eq!(error_fields(&problem), ["ids[1]"]);
}

#[tokio::test]
async fn a_sensitive_body_field_of_the_wrong_type_is_named_without_its_value() {
    let app = spawn_app_with_auth().await;
    let response = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"username": "someone", "password": ["hunter2"]}),
        )
        .await;
    let problem = assert_problem(response, 400).await;
    assert_eq!(error_fields(&problem), ["password"]);
    assert!(!problem.to_string().contains("hunter2"));
}
