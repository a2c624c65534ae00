//! The OpenAPI document: served as generated, every documented operation reaches a handler,
//! the document is valid OpenAPI 3.1 (`openapi-spec-validator`), and live responses match the
//! schemas it gives for them (`jsonschema`). The Python tools are pinned in
//! `gateway/tests/openapi/requirements.txt`.

use std::path::{Path, PathBuf};
use std::process::Command;

use kensho_test_support::python_tools::{python_with, text_of};
use serde_json::{Value, json};

use crate::helpers::{PREMIUM, spawn_app, spawn_gateway_with};

/// Cowboy Bebop in the sample catalog: the id derived from its MyAnimeList page.
const SAMPLE_ANIME_ID: &str = "54346a98c23760eb";

fn tools_directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/openapi")
}

/// `target/tools/python-openapi`, beside the directory cargo gives integration tests.
fn python() -> PathBuf {
    let environment = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the temporary directory is inside the target directory")
        .join("tools/python-openapi");
    python_with(&tools_directory().join("requirements.txt"), &environment)
}

/// A concrete path for a path template: each parameter replaced by a sample value.
fn concrete_path(template: &str) -> String {
    template
        .replace("{id}", SAMPLE_ANIME_ID)
        .replace("{anime_id}", SAMPLE_ANIME_ID)
        .replace("{year}", "1998")
        .replace("{season}", "spring")
        .replace("{episode}", "1")
        .replace("{token}", "unknown-stream-token")
}

fn documented_operations(document: &Value) -> Vec<(String, String)> {
    let paths = document["paths"]
        .as_object()
        .expect("the document has paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flat_map(|operations| operations.keys())
                .filter(|key| ["get", "post", "put", "patch", "delete"].contains(&key.as_str()))
                .map(|method| (method.clone(), path.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[tokio::test]
async fn the_served_document_is_the_generated_one_and_names_the_crate_version() {
    let app = spawn_gateway_with(|_| {}).await;

    let served: Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("JSON");
    let yaml = app.get("/api/openapi.yaml").await;

    let generated = serde_json::to_value(kensho_gateway::openapi_document()).expect("JSON");
    assert_eq!(served, generated);
    assert_eq!(served["openapi"], "3.1.0");
    assert_eq!(served["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        crate::helpers::header(&yaml, "content-type").as_deref(),
        Some("application/yaml")
    );
    assert!(
        yaml.text()
            .await
            .expect("text")
            .starts_with("openapi: 3.1.0")
    );
}

#[tokio::test]
async fn every_documented_operation_reaches_a_route_of_the_gateway() {
    let app = spawn_gateway_with(|_| {}).await;
    let document: Value = app
        .get("/api/openapi.json")
        .await
        .json()
        .await
        .expect("JSON");

    let operations = documented_operations(&document);

    assert!(operations.len() > 10, "too few operations: {operations:?}");
    for (method, template) in operations {
        let url = format!("{}{}", app.address, concrete_path(&template));
        let method =
            reqwest::Method::from_bytes(method.to_ascii_uppercase().as_bytes()).expect("a method");
        let response = app
            .client
            .request(method.clone(), url)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .expect("request is sent");
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_ne!(
            status, 405,
            "{method} {template} is documented but not served"
        );
        assert_ne!(
            body["detail"], "no such route",
            "{method} {template} is documented but not served"
        );
    }
}

/// One recorded response, as the check script takes it.
async fn record(method: &str, template: &str, request: reqwest::RequestBuilder) -> Value {
    let response = request.send().await.expect("request is sent");
    let status = response.status().as_u16();
    let content_type = crate::helpers::header(&response, "content-type").unwrap_or_default();
    let body: Value = response.json().await.expect("a JSON body");
    json!({
        "method": method,
        "path": template,
        "status": status,
        "content_type": content_type,
        "body": body,
    })
}

#[tokio::test]
async fn the_document_is_valid_openapi_and_live_responses_match_its_schemas() {
    let app = spawn_app().await;
    app.sync_catalog().await;
    let get = |path_and_query: &str| app.client.get(format!("{}{path_and_query}", app.address));
    let mut responses = Vec::new();
    for (template, path_and_query) in [
        (
            "/api/v1/anime/{id}",
            format!("/api/v1/anime/{SAMPLE_ANIME_ID}"),
        ),
        (
            "/api/v1/anime/{id}",
            "/api/v1/anime/0000000000000000".to_owned(),
        ),
        (
            "/api/v1/anime/{id}/episodes",
            format!("/api/v1/anime/{SAMPLE_ANIME_ID}/episodes?limit=2"),
        ),
        (
            "/api/v1/anime/by-source",
            "/api/v1/anime/by-source?mal=1".to_owned(),
        ),
        ("/api/v1/search", "/api/v1/search?q=bebop".to_owned()),
        (
            "/api/v1/search",
            "/api/v1/search?q=bebop&limit=abc&page=2".to_owned(),
        ),
        ("/api/v1/tags", "/api/v1/tags?limit=3".to_owned()),
        ("/api/v1/seasons", "/api/v1/seasons".to_owned()),
        (
            "/api/v1/browse/season/{year}/{season}",
            "/api/v1/browse/season/1998/spring".to_owned(),
        ),
        ("/health/live", "/health/live".to_owned()),
        ("/health/ready", "/health/ready".to_owned()),
    ] {
        responses.push(record("get", template, get(&path_and_query)).await);
    }
    let batch = app
        .client
        .post(format!("{}/api/v1/anime/batch", app.address))
        .json(&json!({"ids": [SAMPLE_ANIME_ID, "0000000000000000"]}));
    responses.push(record("post", "/api/v1/anime/batch", batch).await);
    let login = app
        .client
        .post(format!("{}/api/v1/auth/login", app.address))
        .json(&json!({"username": PREMIUM.0, "password": PREMIUM.1}));
    let tokens = record("post", "/api/v1/auth/login", login).await;
    let access_token = tokens["body"]["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    responses.push(tokens);
    let stream = app
        .client
        .get(format!("{}/api/v1/stream/{SAMPLE_ANIME_ID}/5", app.address))
        .bearer_auth(&access_token);
    responses.push(record("get", "/api/v1/stream/{anime_id}/{episode}", stream).await);
    let statuses: Vec<u64> = responses
        .iter()
        .filter_map(|response| response["status"].as_u64())
        .collect();
    assert_eq!(
        statuses[0], 200,
        "the sample anime exists: {}",
        responses[0]
    );
    assert!(
        statuses.contains(&400) && statuses.contains(&404),
        "{statuses:?}"
    );
    let workspace = tempfile_directory();
    let document_file = workspace.join("openapi.json");
    let responses_file = workspace.join("responses.json");
    let document = serde_json::to_vec(&kensho_gateway::openapi_document()).expect("JSON");
    std::fs::write(&document_file, document).expect("write the document");
    std::fs::write(
        &responses_file,
        serde_json::to_vec(&responses).expect("JSON"),
    )
    .expect("write the responses");

    let output = Command::new(python())
        .arg(tools_directory().join("check_document.py"))
        .arg(&document_file)
        .arg(&responses_file)
        .output()
        .expect("run the check script");

    let report = text_of(&output);
    assert!(
        output.status.success(),
        "the document check failed:\n{report}"
    );
    assert!(report.contains("valid OpenAPI 3.1"), "{report}");
    assert_eq!(
        report.matches("matches its schema").count(),
        responses.len(),
        "{report}"
    );
}

/// A directory of this test run's own under cargo's temporary directory.
fn tempfile_directory() -> PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "openapi-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4()
    ));
    std::fs::create_dir_all(&directory).expect("create the test directory");
    directory
}
