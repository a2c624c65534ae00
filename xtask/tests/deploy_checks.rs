//! The chart checks (`helm/tests`) and the Dockerfile and compose parse checks (`deploy/tests`),
//! run as part of `cargo xtask test`. They are Python `unittest` suites on `helm-python-sdk` and
//! `kubernetes-validate`; their pinned tools (`helm/tests/requirements.txt`) are installed once
//! into a virtual environment at `target/tools/python` and reused while the pins are unchanged.

use std::path::{Path, PathBuf};
use std::process::Command;

use kensho_test_support::python_tools::{python_with, text_of};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_path_buf()
}

/// `target/tools/python`, beside the directory cargo gives integration tests.
fn environment_directory() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the temporary directory is inside the target directory")
        .join("tools/python")
}

fn ensure_environment() -> PathBuf {
    python_with(
        &repository().join("helm/tests/requirements.txt"),
        &environment_directory(),
    )
}

/// Runs one `unittest` suite directory and fails with its report when any check fails.
fn run_suite(directory: &str) {
    let python = ensure_environment();
    let output = Command::new(python)
        .args(["-m", "unittest", "discover", "--verbose", "-s", directory])
        .current_dir(repository())
        .output()
        .expect("run the Python checks");
    let report = text_of(&output);
    assert!(output.status.success(), "{directory} failed:\n{report}");
    assert!(
        report.contains("\nOK"),
        "{directory} ran no checks:\n{report}"
    );
}

#[test]
fn the_helm_chart_lints_renders_validates_and_refuses_bad_values() {
    run_suite("helm/tests");
}

#[test]
fn the_dockerfile_and_compose_file_pass_their_parse_checks() {
    run_suite("deploy/tests");
}
