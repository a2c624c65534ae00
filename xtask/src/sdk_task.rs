//! `cargo xtask sdk [--check]`: generates the SDKs from the committed OpenAPI document: Python
//! `sdk/python` with openapi-python-client, formatted by ruff (both pinned in
//! `sdk/requirements.txt`, installed into `target/tools/python-sdk`), and the TypeScript types
//! `sdk/typescript/src/schema.ts` with openapi-typescript (pinned in `sdk/typescript/package.json`
//! and its lock file, installed by `npm ci`), and the Go client `sdk/go` with openapi-generator
//! (PyPI `openapi-generator-cli`, on Java 17). With `--check` it generates into a temporary
//! directory and fails when that differs from what is committed, the CI check that the SDKs are
//! current.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, bail};
use kensho_test_support::python_tools::{python_with, text_of};

use crate::openapi_task::SNAPSHOT;
use crate::workspace_root;

/// Options of `cargo xtask sdk`.
#[derive(Debug, clap::Args)]
pub struct SdkArgs {
    /// Fail when regenerating would change `sdk/python`, instead of rewriting it.
    #[arg(long)]
    check: bool,
}

const PYTHON_SDK: &str = "sdk/python";
const TYPESCRIPT_SDK: &str = "sdk/typescript";
const GO_SDK: &str = "sdk/go";
/// Hand-written files copied over the generated Python SDK (its pagination helpers).
const PYTHON_EXTRAS: &str = "sdk/extras/python";
/// Hand-written files copied over the generated Go SDK (its pagination helper).
const GO_EXTRAS: &str = "sdk/extras/go";
/// The generated part of the TypeScript SDK, inside it.
const TYPESCRIPT_SCHEMA: &str = "src/schema.ts";

/// Generates the SDK, then writes or checks it.
pub fn run(args: &SdkArgs) -> anyhow::Result<ExitCode> {
    let root = workspace_root();
    let scratch = tempfile::tempdir().context("create a temporary directory")?;
    let generated = scratch.path().join("python");
    generate_python(&root, &generated)?;
    copy_tree(&root.join(PYTHON_EXTRAS), &generated)?;
    let typescript_schema = scratch.path().join("schema.ts");
    generate_typescript(&root, &typescript_schema)?;
    let generated_go = scratch.path().join("go");
    generate_go(&root, &generated_go)?;
    copy_tree(&root.join(GO_EXTRAS), &generated_go)?;
    let committed = root.join(PYTHON_SDK);
    let committed_schema = root.join(TYPESCRIPT_SDK).join(TYPESCRIPT_SCHEMA);
    let committed_go = root.join(GO_SDK);
    if args.check {
        let mut differences = differing_files(&generated, &committed)?;
        differences.extend(differing_files(&generated_go, &committed_go)?);
        if std::fs::read(&typescript_schema)?
            != std::fs::read(&committed_schema).unwrap_or_default()
        {
            differences.push(format!("{TYPESCRIPT_SDK}/{TYPESCRIPT_SCHEMA}"));
        }
        if !differences.is_empty() {
            bail!(
                "the SDKs are not what `cargo xtask sdk` generates from {SNAPSHOT}; run it and \
                 commit the result. Differing files: {}",
                differences.join(", ")
            );
        }
        println!("{PYTHON_SDK}, {TYPESCRIPT_SDK} and {GO_SDK} are current");
        return Ok(ExitCode::SUCCESS);
    }
    if committed.exists() {
        std::fs::remove_dir_all(&committed)
            .with_context(|| format!("remove {}", committed.display()))?;
    }
    copy_tree(&generated, &committed)?;
    if committed_go.exists() {
        std::fs::remove_dir_all(&committed_go)
            .with_context(|| format!("remove {}", committed_go.display()))?;
    }
    copy_tree(&generated_go, &committed_go)?;
    std::fs::copy(&typescript_schema, &committed_schema)
        .with_context(|| format!("write {}", committed_schema.display()))?;
    println!("wrote {PYTHON_SDK}, {TYPESCRIPT_SDK}/{TYPESCRIPT_SCHEMA} and {GO_SDK}");
    Ok(ExitCode::SUCCESS)
}

fn generate_python(root: &Path, output: &Path) -> anyhow::Result<()> {
    let environment = root.join("target/tools/python-sdk");
    let python = python_with(&root.join("sdk/requirements.txt"), &environment);
    let tools = python
        .parent()
        .context("the interpreter is in the environment's bin")?;
    // The post hooks call `ruff`: the environment's own comes first.
    let path = std::env::join_paths(
        std::iter::once(tools.to_path_buf()).chain(
            std::env::var_os("PATH")
                .iter()
                .flat_map(std::env::split_paths),
        ),
    )?;
    // As a module: the environment is built elsewhere and moved, so its scripts' `#!` lines
    // name a directory that is gone.
    let result = Command::new(&python)
        .args(["-m", "openapi_python_client", "generate"])
        .arg("--path")
        .arg(root.join(SNAPSHOT))
        .arg("--config")
        .arg(root.join("sdk/python-config.yaml"))
        .arg("--output-path")
        .arg(output)
        .env("PATH", path)
        .output()
        .context("run openapi-python-client")?;
    if !result.status.success() || !output.join("pyproject.toml").exists() {
        bail!("openapi-python-client failed:\n{}", text_of(&result));
    }
    Ok(())
}

fn generate_go(root: &Path, output: &Path) -> anyhow::Result<()> {
    let python = python_with(
        &root.join("sdk/requirements.txt"),
        &root.join("target/tools/python-sdk"),
    );
    // The console script is a Python one: run it through the environment's interpreter, whose
    // own `#!` line named the directory the environment was built in.
    let launcher = python
        .parent()
        .context("the interpreter is in the environment's bin")?
        .join("openapi-generator-cli");
    let result = Command::new(&python)
        .arg(launcher)
        .args(["generate", "--generator-name", "go", "--input-spec"])
        .arg(root.join(SNAPSHOT))
        .arg("--output")
        .arg(output)
        .args([
            "--package-name",
            "kensho",
            "--git-user-id",
            "kensho",
            "--git-repo-id",
            "kensho-go",
            // Enum values are prefixed by their type: several enums have `unknown`.
            "--additional-properties",
            "enumClassPrefix=true",
            // Generated tests need modules from the network; the SDK is tested live instead.
            "--global-property",
            "apiTests=false,modelTests=false",
        ])
        .output()
        .context("run openapi-generator (Java 17 is needed for the Go SDK)")?;
    if !result.status.success() || !output.join("go.mod").exists() {
        bail!("openapi-generator failed:\n{}", text_of(&result));
    }
    Ok(())
}

/// Runs `npm` in the TypeScript SDK, failing with its output.
fn npm(root: &Path, arguments: &[&std::ffi::OsStr]) -> anyhow::Result<()> {
    let result = Command::new("npm")
        .args(arguments)
        .current_dir(root.join(TYPESCRIPT_SDK))
        .output()
        .context("run npm (Node.js and npm are needed for the TypeScript SDK)")?;
    if !result.status.success() {
        bail!("npm {arguments:?} failed:\n{}", text_of(&result));
    }
    Ok(())
}

fn generate_typescript(root: &Path, output: &Path) -> anyhow::Result<()> {
    npm(
        root,
        &["ci".as_ref(), "--no-audit".as_ref(), "--no-fund".as_ref()],
    )?;
    npm(
        root,
        &[
            "exec".as_ref(),
            "--".as_ref(),
            "openapi-typescript".as_ref(),
            root.join(SNAPSHOT).as_os_str(),
            "--output".as_ref(),
            output.as_os_str(),
        ],
    )
}

/// Every file under `directory`, by path relative to it, with its contents.
fn files(directory: &Path) -> anyhow::Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut found = BTreeMap::new();
    let mut pending = vec![directory.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                // Caches of the tools that ran over it are not part of the SDK.
                if !path.ends_with("__pycache__") && !path.ends_with(".ruff_cache") {
                    pending.push(path);
                }
            } else {
                let relative = path.strip_prefix(directory)?.to_path_buf();
                found.insert(relative, std::fs::read(&path)?);
            }
        }
    }
    Ok(found)
}

fn differing_files(generated: &Path, committed: &Path) -> anyhow::Result<Vec<String>> {
    let generated = files(generated)?;
    let committed = files(committed)?;
    let mut names: Vec<&PathBuf> = generated.keys().chain(committed.keys()).collect();
    names.sort();
    names.dedup();
    Ok(names
        .into_iter()
        .filter(|name| generated.get(*name) != committed.get(*name))
        .map(|name| name.display().to_string())
        .collect())
}

fn copy_tree(from: &Path, to: &Path) -> anyhow::Result<()> {
    for (relative, contents) in files(from)? {
        let target = to.join(relative);
        if let Some(directory) = target.parent() {
            std::fs::create_dir_all(directory)?;
        }
        std::fs::write(&target, contents).with_context(|| format!("write {}", target.display()))?;
    }
    Ok(())
}
