//! The Go SDK (`sdk/go`) against a live cluster: `go test` runs `sdk/tests/go`, a module that
//! uses the SDK through a local `replace`, so nothing is downloaded.

use std::path::{Path, PathBuf};
use std::process::Command;

use kensho_test_support::python_tools::text_of;

use crate::helpers::spawn_app;

fn go_tests_directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../sdk/tests/go")
}

#[tokio::test]
async fn the_go_sdk_searches_reads_pages_batches_streams_and_types_a_404() {
    let app = spawn_app().await;
    app.sync_catalog().await;
    let address = app.address.clone();
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("go-cache");

    let output = tokio::task::spawn_blocking(move || {
        Command::new("go")
            .args(["test", "-count=1", "-v", "./..."])
            .current_dir(go_tests_directory())
            .env("KENSHO_URL", address)
            .env("GOFLAGS", "-mod=mod")
            .env("GOPROXY", "off")
            .env("GOCACHE", &cache)
            .output()
            .unwrap_or_else(|error| {
                panic!(
                    "go could not be started ({error}): install Go 1.19 or later \
                     (apt-get install -y golang-go; CI installs it in .ci/run)"
                )
            })
    })
    .await
    .expect("the Go SDK tests run");

    let report = text_of(&output);
    assert!(
        output.status.success(),
        "the Go SDK tests failed:\n{report}"
    );
    assert_eq!(report.matches("--- PASS").count(), 5, "{report}");
}
