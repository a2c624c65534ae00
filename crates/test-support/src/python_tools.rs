//! Pinned Python tools for checks that run them (chart checks, OpenAPI validation): a virtual
//! environment per requirements file under `target/tools/`, installed once and reused while the
//! pins are unchanged.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Interpreters tried in order: the tools are known to work on 3.11.
const PYTHON_CANDIDATES: &[&str] = &["python3.11", "python3"];

/// The copy of the requirements an environment was built from.
fn stamp(environment: &Path) -> PathBuf {
    environment.join("kensho-requirements.txt")
}

fn is_current(environment: &Path, requirements: &Path) -> bool {
    let wanted = std::fs::read(requirements)
        .unwrap_or_else(|error| panic!("read {}: {error}", requirements.display()));
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

/// Standard output then standard error, as text.
pub fn text_of(output: &Output) -> String {
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
        .expect("Python 3.11 or later is needed for these checks (python3.11 or python3)")
}

/// The interpreter of the environment at `environment` holding `requirements`, building it
/// first when it is missing or stale. It is built in a directory of its own and renamed into
/// place, so tests that race to build it never see a half-installed one.
pub fn python_with(requirements: &Path, environment: &Path) -> PathBuf {
    if !is_current(environment, requirements) {
        let partial = environment.with_file_name(format!(
            "{}.partial-{}",
            environment
                .file_name()
                .map_or_else(|| "python".into(), |name| name.to_string_lossy()),
            std::process::id()
        ));
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
                .arg(requirements),
            &format!("installing {}", requirements.display()),
        );
        std::fs::copy(requirements, stamp(&partial)).expect("write the requirements stamp");
        if !is_current(environment, requirements) {
            // A stale environment makes way; a current one another test built meanwhile stays,
            // and the rename below then fails harmlessly.
            let _ = std::fs::remove_dir_all(environment);
            let _ = std::fs::rename(&partial, environment);
        }
        let _ = std::fs::remove_dir_all(&partial);
        assert!(
            is_current(environment, requirements),
            "no usable {}",
            environment.display()
        );
    }
    environment.join("bin/python")
}
