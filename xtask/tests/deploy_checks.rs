//! The chart checks (`helm/tests`) and the Dockerfile and compose parse checks (`deploy/tests`),
//! run as part of `cargo xtask test`. They are Python `unittest` suites on `helm-python-sdk` and
//! `kubernetes-validate`; their pinned tools (`helm/tests/requirements.txt`) are installed once
//! into a virtual environment at `target/tools/python` and reused while the pins are unchanged.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Interpreters tried in order: the tools are known to work on 3.11.
const PYTHON_CANDIDATES: &[&str] = &["python3.11", "python3"];

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_path_buf()
}

fn requirements() -> PathBuf {
    repository().join("helm/tests/requirements.txt")
}

/// `target/tools/python`, beside the directory cargo gives integration tests.
fn environment_directory() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the temporary directory is inside the target directory")
        .join("tools/python")
}

/// The copy of the requirements the environment was built from.
fn stamp(environment: &Path) -> PathBuf {
    environment.join("kensho-requirements.txt")
}

fn is_current(environment: &Path) -> bool {
    let wanted = std::fs::read(requirements()).expect("read helm/tests/requirements.txt");
    environment.join("bin/python").exists()
        && std::fs::read(stamp(environment)).is_ok_and(|installed| installed == wanted)
}

fn succeeded(command: &mut Command, what: &str) {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{what}: {error}"));
    assert!(
        output.status.success(),
        "{what} failed:\n{}",
        text_of(&output)
    );
}

fn text_of(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn system_python() -> &'static str {
    PYTHON_CANDIDATES
        .iter()
        .copied()
        .find(|candidate| {
            Command::new(candidate)
                .arg("--version")
                .output()
                .is_ok_and(|output| output.status.success())
        })
        .expect("Python 3.11 or later is needed for the chart checks (python3.11 or python3)")
}

/// The environment's interpreter, building the environment first when it is missing or stale.
/// It is built in a directory of its own and renamed into place, so tests that race to build it
/// never see a half-installed one.
fn ensure_environment() -> PathBuf {
    let environment = environment_directory();
    if !is_current(&environment) {
        let partial = environment.with_file_name(format!("python.partial-{}", std::process::id()));
        succeeded(
            Command::new(system_python())
                .args(["-m", "venv", "--clear"])
                .arg(&partial),
            "creating the virtual environment",
        );
        succeeded(
            Command::new(partial.join("bin/python"))
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                ])
                .arg("--requirement")
                .arg(requirements()),
            "installing helm/tests/requirements.txt",
        );
        std::fs::copy(requirements(), stamp(&partial)).expect("write the requirements stamp");
        if !is_current(&environment) {
            // A stale environment makes way; a current one another test built meanwhile stays,
            // and the rename below then fails harmlessly.
            let _ = std::fs::remove_dir_all(&environment);
            let _ = std::fs::rename(&partial, &environment);
        }
        let _ = std::fs::remove_dir_all(&partial);
        assert!(
            is_current(&environment),
            "no usable {}",
            environment.display()
        );
    }
    environment.join("bin/python")
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
