//! The machine description: processors, memory and CPU model, from `/proc`.

use super::{BenchContext, Section};

/// The "Machine" section.
pub fn run(_context: &BenchContext) -> anyhow::Result<Section> {
    let processors = std::thread::available_parallelism().map_or(0, usize::from);
    let cpu_model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| field(&text, "model name"))
        .unwrap_or_else(|| "unknown".to_owned());
    let memory_kib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| field(&text, "MemTotal"))
        .and_then(|value| value.trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    Ok(Section {
        markdown: format!(
            "## Machine\n\n| processors | memory | CPU | kernel |\n|---:|---:|---|---|\n| {processors} | \
             {:.1} GiB | {cpu_model} | {} |\n\nThe processors are shared with other builds and \
             benchmarks running at the same time, so the figures below are pessimistic.",
            memory_kib as f64 / 1024.0 / 1024.0,
            kernel.trim()
        ),
        plots: Vec::new(),
    })
}

/// The value of the first `name: value` line of a `/proc` file.
fn field(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == name).then(|| value.trim().to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_fields_are_read_by_name() {
        let text = "processor\t: 0\nmodel name\t: Example CPU @ 2.0GHz\n";

        assert_eq!(
            field(text, "model name").as_deref(),
            Some("Example CPU @ 2.0GHz")
        );
        assert_eq!(field(text, "MemTotal"), None);
    }
}
