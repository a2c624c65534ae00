//! The generated Python SDK (`sdk/python`) against a live cluster: `sdk/tests` runs with the
//! SDK's tools environment (`sdk/requirements.txt`, which holds the SDK's runtime dependencies).

use std::path::{Path, PathBuf};
use std::process::Command;

use kensho_test_support::python_tools::{python_with, text_of};

use crate::helpers::spawn_app;

fn sdk_directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../sdk")
}

#[tokio::test]
async fn the_python_sdk_searches_reads_pages_batches_streams_and_types_a_404() {
    let app = spawn_app().await;
    app.sync_catalog().await;
    let environment = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the temporary directory is inside the target directory")
        .join("tools/python-sdk");
    let address = app.address.clone();

    let output = tokio::task::spawn_blocking(move || {
        let python = python_with(&sdk_directory().join("requirements.txt"), &environment);
        Command::new(python)
            .args(["-m", "unittest", "discover", "--verbose", "-s"])
            .arg(sdk_directory().join("tests"))
            .env("PYTHONPATH", sdk_directory().join("python"))
            .env("KENSHO_URL", address)
            .output()
            .expect("run the SDK tests")
    })
    .await
    .expect("the SDK tests run");

    let report = text_of(&output);
    assert!(
        output.status.success(),
        "the Python SDK tests failed:\n{report}"
    );
    assert!(report.contains("Ran 5 tests"), "{report}");
}
