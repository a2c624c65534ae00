//! `cargo xtask gen-catalog`: writes a large synthetic catalog in the anime-offline-database
//! JSON-lines layout (a metadata object on the first line, then one anime per line), for import
//! and search benchmarks. The output depends only on the parameters, so a seed names a catalog.

mod record;
mod words;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;

use record::RecordGenerator;

use crate::workspace_root;

/// Where the catalog goes when `--output` is not given, relative to the workspace root.
const DEFAULT_OUTPUT: &str = "target/synthetic-catalog.jsonl";

/// Options of `cargo xtask gen-catalog`.
#[derive(Debug, clap::Args)]
pub struct GenCatalogArgs {
    /// Number of anime to generate.
    #[arg(long, default_value_t = 100_000)]
    anime: u64,
    /// Episodes of every anime but movies (which have one); the default gives about 2,000,000
    /// episodes for 100,000 anime.
    #[arg(long, default_value_t = 23)]
    episodes_per_anime: u32,
    /// Seed of the generator; the same seed gives the same file.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// File to write [default: target/synthetic-catalog.jsonl in the workspace].
    #[arg(long)]
    output: Option<PathBuf>,
}

/// Writes the catalog and prints how many anime and episodes it holds and how long it took.
pub fn run(args: &GenCatalogArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| workspace_root().join(DEFAULT_OUTPUT));
    if let Some(directory) = output
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(directory)
            .with_context(|| format!("cannot create {}", directory.display()))?;
    }
    let episodes = write_catalog(&output, args)
        .with_context(|| format!("cannot write {}", output.display()))?;
    println!(
        "wrote {} anime ({episodes} episodes) to {} in {:.1} s",
        args.anime,
        output.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Streams the metadata line and every record to `output`; returns the number of episodes.
fn write_catalog(output: &Path, args: &GenCatalogArgs) -> anyhow::Result<u64> {
    let mut writer = BufWriter::with_capacity(1 << 20, File::create(output)?);
    serde_json::to_writer(&mut writer, &metadata())?;
    writer.write_all(b"\n")?;
    let mut generator = RecordGenerator::new(args.seed, args.anime, args.episodes_per_anime);
    let mut episodes = 0_u64;
    for index in 0..args.anime {
        let record = generator.record(index);
        episodes += u64::from(record.episodes);
        serde_json::to_writer(&mut writer, &record)?;
        writer.write_all(b"\n")?;
    }
    // Flushing explicitly surfaces write errors that dropping the writer would swallow.
    writer.flush()?;
    Ok(episodes)
}

/// The first line of an anime-offline-database JSON-lines file, fields in the format's order.
#[derive(serde::Serialize)]
struct Metadata {
    #[serde(rename = "$schema")]
    schema: &'static str,
    license: License,
    repository: &'static str,
    #[serde(rename = "lastUpdate")]
    last_update: &'static str,
}

#[derive(serde::Serialize)]
struct License {
    name: &'static str,
    url: &'static str,
}

fn metadata() -> Metadata {
    Metadata {
        schema: "https://raw.githubusercontent.com/manami-project/anime-offline-database/master/schemas/anime-offline-database-minified.schema.json",
        license: License {
            name: "Apache-2.0",
            url: "https://www.apache.org/licenses/LICENSE-2.0",
        },
        repository: "kensho synthetic",
        last_update: "2026-11-01",
    }
}
