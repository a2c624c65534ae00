//! The TypeScript SDK (`sdk/typescript`) against a live cluster: installed from its lock file
//! (`npm ci`), compiled (`tsc`), then `node --test` runs `sdk/typescript/test`.

use std::path::{Path, PathBuf};
use std::process::Command;

use kensho_test_support::python_tools::text_of;

use crate::helpers::spawn_app;

fn sdk_directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../sdk/typescript")
}

/// Runs `npm` in the SDK and fails the test with its output when it fails.
fn npm(arguments: &[&str], kensho_url: &str) -> String {
    let output = Command::new("npm")
        .args(arguments)
        .current_dir(sdk_directory())
        .env("KENSHO_URL", kensho_url)
        .output()
        .unwrap_or_else(|error| {
            panic!("npm could not be started ({error}): install Node.js 20 or later with npm")
        });
    let report = text_of(&output);
    assert!(
        output.status.success(),
        "npm {arguments:?} failed:\n{report}"
    );
    report
}

#[tokio::test]
async fn the_typescript_sdk_searches_reads_pages_batches_streams_and_types_a_404() {
    let app = spawn_app().await;
    app.sync_catalog().await;
    let address = app.address.clone();

    let report = tokio::task::spawn_blocking(move || {
        npm(&["ci", "--no-audit", "--no-fund"], &address);
        npm(&["run", "build"], &address);
        npm(&["test"], &address)
    })
    .await
    .expect("the SDK tests run");

    assert!(report.contains("# pass 5"), "{report}");
    assert!(report.contains("# fail 0"), "{report}");
}
