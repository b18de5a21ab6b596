//! What every benchmark shares: the machine it ran on, percentiles, where
//! results go, and the summary rows that `make bench` gathers into
//! docs/BENCHMARKS.md. Standard library only: the app benchmark in `tests/`
//! includes this file too.
#![allow(dead_code)] // each benchmark uses its own part of this

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The CPU's model name (Linux), else the architecture.
pub fn cpu() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_owned())
}

/// "2 cores of <cpu>".
pub fn machine() -> String {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    format!("{cores} cores of {}", cpu())
}

/// The repository's root: `cargo bench` runs in the package's directory,
/// and the workspace's is the one holding Cargo.lock.
pub fn root() -> PathBuf {
    let mut dir = std::env::current_dir().unwrap_or_default();
    while !dir.join("Cargo.lock").exists() && dir.pop() {}
    dir
}

/// Where generated data and summary rows live between the benchmarks.
pub fn bench_dir() -> PathBuf {
    root().join("target/bench")
}

/// The sizes to run, from `var` ("10000,100000"), else `default`.
pub fn sizes(var: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(var)
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

/// The `p` quantile (0–1) of sorted durations, in milliseconds.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// p50 and p95 in milliseconds of `f` over `inputs`, after a warm-up on the
/// first few (the page cache and the statement cache filled).
pub fn measure<T>(inputs: &[T], mut f: impl FnMut(&T)) -> (f64, f64) {
    for input in inputs.iter().take(10) {
        f(input);
    }
    let mut times: Vec<Duration> = inputs
        .iter()
        .map(|input| {
            let start = Instant::now();
            f(input);
            start.elapsed()
        })
        .collect();
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95))
}

/// One benchmark's lines of the summary table in docs/BENCHMARKS.md: each
/// figure beside its limit and whether it is met.
pub struct Summary {
    name: &'static str,
    rows: String,
}

impl Summary {
    pub fn new(name: &'static str) -> Self {
        Self {
            name,
            rows: String::new(),
        }
    }

    /// A figure and its limit, as shown; `met` decides the verdict.
    pub fn row(&mut self, what: &str, figure: String, limit: String, met: bool) {
        let verdict = if met { "met" } else { "**missed**" };
        println!("{what}: {figure} (limit {limit}) {verdict}");
        let _ = writeln!(self.rows, "| {what} | {figure} | {limit} | {verdict} |");
    }

    /// Written to target/bench/summary-<name>.md for the summary step.
    pub fn write(&self) {
        let dir = bench_dir();
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("summary-{}.md", self.name));
        if let Err(e) = std::fs::write(&path, &self.rows) {
            eprintln!("could not write {}: {e}", path.display());
        }
    }
}

/// Writes a detail page to docs/benchmarks/<name>.md.
pub fn write_doc(name: &str, text: &str) {
    let path = root().join("docs/benchmarks").join(format!("{name}.md"));
    match std::fs::write(&path, text) {
        Ok(()) => eprintln!("written to {}", path.display()),
        Err(e) => eprintln!("could not write {}: {e}", path.display()),
    }
}

/// 1000000 → "1,000,000".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Drops a file from the page cache (GNU dd: nothing copied, the cache
/// advised away), as after a reboot, without root; false if it could not.
pub fn evict(path: &std::path::Path) -> bool {
    std::process::Command::new("dd")
        .arg(format!("if={}", path.display()))
        .args(["iflag=nocache", "count=0", "status=none"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
