//! `cargo xtask`: Kensho's developer and CI tasks, written in Rust so they run the same
//! everywhere cargo does.
//!
//! - `cargo xtask test [-- ARGS]`: checks that PostgreSQL and Redis answer, then runs every test
//!   of the workspace (cargo-nextest when installed, else `cargo test`). CI runs exactly this.
//! - `cargo xtask gen-catalog`: writes a large, seeded, synthetic catalog in the
//!   anime-offline-database JSON-lines layout, for import and search benchmarks.
#![forbid(unsafe_code)]

mod gen_catalog;
mod services;
mod test_task;

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
    /// Check PostgreSQL and Redis, then run every test of the workspace.
    Test(test_task::TestArgs),
    /// Write a synthetic catalog in the anime-offline-database JSON-lines layout.
    GenCatalog(gen_catalog::GenCatalogArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match &cli.task {
        Task::Test(args) => test_task::run(args),
        Task::GenCatalog(args) => gen_catalog::run(args).map(|()| ExitCode::SUCCESS),
    };
    outcome.unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::FAILURE
    })
}
