//! `cargo xtask bench [all|<name>]`: runs benchmarks and writes their sections of
//! `docs/benchmarks.md`, with plots as SVG files in `docs/benchmarks/`. Each benchmark owns the
//! part of the document between `<!-- bench:<name> -->` and `<!-- /bench:<name> -->` and
//! rewrites only that, so sections written by hand or by other benchmarks survive a run. A new
//! benchmark is one module with a `run(&BenchContext) -> anyhow::Result<Section>` function and one
//! line in [`BENCHES`].

mod chaos_plots;
mod document;
mod load;
mod machine;
mod svg;
mod tracing_cost;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::bail;

use crate::workspace_root;

pub use document::Section;

/// What every benchmark gets.
#[derive(Debug)]
pub struct BenchContext {
    /// Build and measure the release profile.
    pub release: bool,
    /// Reuse `target/chaos/report.json` when it exists instead of running the experiments again.
    pub reuse_chaos: bool,
    /// Where plots go (`docs/benchmarks/`); sections link them relative to `docs/`.
    pub plot_directory: PathBuf,
}

/// A benchmark of the dispatcher.
struct Bench {
    name: &'static str,
    about: &'static str,
    run: fn(&BenchContext) -> anyhow::Result<Section>,
}

/// Every benchmark, in the order `all` runs them and their sections first appear.
const BENCHES: &[Bench] = &[
    Bench {
        name: "machine",
        about: "the machine the figures were measured on",
        run: machine::run,
    },
    Bench {
        name: "load",
        about: "k6 normal scenario at rising concurrency, latency over time, memory, start-up time",
        run: load::run,
    },
    Bench {
        name: "chaos",
        about: "the chaos experiments' error rate and latency over time, fault window shaded",
        run: chaos_plots::run,
    },
    Bench {
        name: "tracing",
        about: "the gateway detail route with OTLP export on against off",
        run: tracing_cost::run,
    },
];

/// Options of `cargo xtask bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// `all` (the default) or one benchmark: machine, load, chaos, tracing.
    #[arg(default_value = "all")]
    name: String,
    /// Build and measure the release profile, as the targets are stated.
    #[arg(long)]
    release: bool,
    /// Reuse the last chaos report (`target/chaos/report.json`) instead of running the
    /// experiments again.
    #[arg(long)]
    reuse_chaos: bool,
}

/// Runs the selected benchmarks and rewrites their sections of `docs/benchmarks.md`.
pub fn run(args: &BenchArgs) -> anyhow::Result<ExitCode> {
    let selected: Vec<&Bench> = if args.name == "all" {
        BENCHES.iter().collect()
    } else {
        BENCHES
            .iter()
            .filter(|bench| bench.name == args.name)
            .collect()
    };
    if selected.is_empty() {
        let names: Vec<String> = BENCHES
            .iter()
            .map(|bench| format!("{} ({})", bench.name, bench.about))
            .collect();
        bail!(
            "no benchmark `{}`; known: all, {}",
            args.name,
            names.join(", ")
        );
    }
    let docs = workspace_root().join("docs");
    let context = BenchContext {
        release: args.release,
        reuse_chaos: args.reuse_chaos,
        plot_directory: docs.join("benchmarks"),
    };
    std::fs::create_dir_all(&context.plot_directory)?;
    let path = docs.join("benchmarks.md");
    for bench in selected {
        println!("--- bench {}", bench.name);
        let section = (bench.run)(&context)?;
        // Written after each benchmark, so a later failure keeps the earlier sections.
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        std::fs::write(
            &path,
            document::replace_section(&text, bench.name, &section.markdown),
        )?;
        for (file, svg) in &section.plots {
            std::fs::write(context.plot_directory.join(file), svg)?;
        }
    }
    println!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}
