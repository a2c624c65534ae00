//! `cargo xtask`: Kensho's developer and CI tasks, written in Rust so they run the same
//! everywhere cargo does.
//!
//! - `cargo xtask test [--private-services] [-- ARGS]`: runs every test of the workspace
//!   (cargo-nextest when installed, else `cargo test`) against the PostgreSQL and Redis named by
//!   `KENSHO_TEST_DATABASE_URL` / `KENSHO_TEST_REDIS_URL`, else the local defaults when they
//!   answer, else private servers it starts from the installed programs and removes afterwards.
//!   `--private-services` (or `KENSHO_TEST_PRIVATE_SERVICES=1`) always uses private servers. CI
//!   runs exactly this.
//! - `cargo xtask services [--check]`: those private servers on their own, until Ctrl-C; with
//!   `--check`, started, used, stopped and removed at once.
//! - `cargo xtask gen-catalog`: writes a large, seeded, synthetic catalog in the
//!   anime-offline-database JSON-lines layout, for import and search benchmarks.
//! - `cargo xtask openapi`: rewrites `docs/openapi/kensho-v1.json` from the gateway's routes.
//! - `cargo xtask sdk [--check]`: regenerates the Python SDK in `sdk/python` from that document,
//!   or checks that it is current.
//! - `cargo xtask load <scenario> [--url URL] [--release] [-e KEY=VALUE]`: a k6 scenario of
//!   `load-tests/k6/` against a local all-in-one it starts, or against `URL`.
//! - `cargo xtask chaos <experiment>|all|smoke`: faults injected into a local all-in-one under a
//!   k6 load (Crunchyroll latency, errors, outage, 429s; Redis down; PostgreSQL connections
//!   dropped), with error rates, latencies, stale answers, upstream calls and recovery times in
//!   `target/chaos/report.json` and `report.md`.
//! - `cargo xtask bench [all|<name>] [--release] [--reuse-chaos]`: the machine, the load at rising
//!   concurrency with memory and start-up time, the chaos experiments and the cost of tracing,
//!   written into their sections of `docs/benchmarks.md` with SVG plots in `docs/benchmarks/`.
#![forbid(unsafe_code)]

mod all_in_one;
mod bench;
mod chaos;
mod gen_catalog;
mod load_task;
mod openapi_task;
mod postgres_programs;
mod private_postgres;
mod private_redis;
mod private_server;
mod sdk_task;
mod server_account;
mod services;
mod services_task;
mod signals;
mod test_servers;
mod test_task;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Kensho's developer and CI tasks.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Find or start PostgreSQL and Redis, then run every test of the workspace.
    Test(test_task::TestArgs),
    /// Start private PostgreSQL and Redis servers and keep them until Ctrl-C, or check them.
    Services(services_task::ServicesArgs),
    /// Write a synthetic catalog in the anime-offline-database JSON-lines layout.
    GenCatalog(gen_catalog::GenCatalogArgs),
    /// Rewrite the committed OpenAPI document from the gateway's route table.
    Openapi,
    /// Regenerate the SDKs in `sdk/` from the committed OpenAPI document, or check them.
    Sdk(sdk_task::SdkArgs),
    /// Run a k6 load scenario against a local all-in-one or a given gateway.
    Load(load_task::LoadArgs),
    /// Inject faults into a local all-in-one under load and report how it copes and recovers.
    Chaos(chaos::ChaosArgs),
    /// Run the benchmarks and rewrite their sections of `docs/benchmarks.md`.
    Bench(bench::BenchArgs),
}

/// The workspace root, which holds this crate.
pub(crate) fn workspace_root() -> PathBuf {
    let manifest_directory = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_directory
        .parent()
        .unwrap_or(manifest_directory)
        .to_path_buf()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match &cli.task {
        Task::Test(args) => test_task::run(args),
        Task::Services(args) => services_task::run(args),
        Task::GenCatalog(args) => gen_catalog::run(args).map(|()| ExitCode::SUCCESS),
        Task::Openapi => openapi_task::run(),
        Task::Sdk(args) => sdk_task::run(args),
        Task::Load(args) => load_task::run(args),
        Task::Chaos(args) => chaos::run(args),
        Task::Bench(args) => bench::run(args),
    };
    outcome.unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::FAILURE
    })
}
