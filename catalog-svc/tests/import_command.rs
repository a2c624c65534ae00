//! `catalog-svc import FILE`, run as a real process against a real database file.

use std::path::Path;
use std::process::{Command, Output};

use kensho_test_support::TempDir;
use serde_json::json;

fn import(data_dir: &Path, file: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_catalog-svc"))
        .arg("import")
        .arg(file)
        .env("KENSHO_DATA_DIR", data_dir)
        .env("KENSHO_TELEMETRY__LOG_LEVEL", "error")
        .output()
        .expect("catalog-svc runs")
}

fn valid_record(id: u32, title: &str) -> serde_json::Value {
    json!({
        "sources": [format!("https://myanimelist.net/anime/{id}")],
        "title": title,
        "type": "TV",
        "episodes": 3,
        "status": "FINISHED",
        "animeSeason": {"season": "FALL", "year": 2020}
    })
}

#[test]
fn importing_reports_bad_records_with_their_line_and_imports_the_rest_once() {
    let directory = TempDir::new();
    let file = directory.path().join("catalog.jsonl");
    let lines = [
        json!({"repository": "test"}).to_string(),
        valid_record(1, "First").to_string(),
        json!({"sources": ["https://myanimelist.net/anime/2"], "title": "No Type"}).to_string(),
        valid_record(3, "Third").to_string(),
    ];
    std::fs::write(&file, lines.join("\n")).expect("write the file");

    let first = import(directory.path(), &file);
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(stdout.contains("2 inserted"), "{stdout}");
    assert!(stdout.contains("1 rejected"), "{stdout}");
    assert!(
        stdout.contains("rejected line 3: missing field `type`"),
        "{stdout}"
    );

    let second = import(directory.path(), &file);
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(
        stdout.contains("0 inserted, 0 updated, 2 unchanged"),
        "{stdout}"
    );
}

#[test]
fn importing_a_truncated_document_fails_with_a_clear_message() {
    let directory = TempDir::new();
    let file = directory.path().join("catalog.json");
    std::fs::write(&file, r#"{"data": [{"title": "#).expect("write the file");
    let output = import(directory.path(), &file);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("not an anime-offline-database file"),
        "{stderr}"
    );
}

#[test]
fn importing_a_missing_file_names_it() {
    let directory = TempDir::new();
    let missing = directory.path().join("nowhere.json");
    let output = import(directory.path(), &missing);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("nowhere.json"), "{stderr}");
}
