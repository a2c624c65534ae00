//! `cargo xtask openapi`: rewrites `docs/openapi/kensho-v1.json`, the committed OpenAPI
//! document, from the gateway's route table (the `openapi` example of the gateway prints it).
//! The gateway's versioning test compares the generated document with this file.

use std::process::{Command, ExitCode};

use anyhow::{Context, bail};

use crate::workspace_root;
use crate::test_task::cargo_program;

/// The committed document, relative to the workspace root.
pub const SNAPSHOT: &str = "docs/openapi/kensho-v1.json";

/// Generates the document and writes it to [`SNAPSHOT`].
pub fn run() -> anyhow::Result<ExitCode> {
    let output = Command::new(cargo_program())
        .args([
            "run",
            "--quiet",
            "-p",
            "kensho-gateway",
            "--example",
            "openapi",
        ])
        .current_dir(workspace_root())
        .output()
        .context("run the gateway's openapi example")?;
    if !output.status.success() {
        bail!(
            "the openapi example failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let snapshot = workspace_root().join(SNAPSHOT);
    if let Some(directory) = snapshot.parent() {
        std::fs::create_dir_all(directory)
            .with_context(|| format!("create {}", directory.display()))?;
    }
    std::fs::write(&snapshot, &output.stdout)
        .with_context(|| format!("write {}", snapshot.display()))?;
    println!("wrote {SNAPSHOT}");
    Ok(ExitCode::SUCCESS)
}
