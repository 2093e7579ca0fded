//! `tally check` over generated corpora, beside `rg -c '[0-9]'` over the same files.
//!
//!     cargo bench --bench check -- --sizes 1000,10000,100000 [--runs 3] [--tally PATH]
//!
//! For each size: generate the corpus under `/tmp/tally-bench/n<N>` (or `$TALLY_BENCH_DIR`) if it
//! is not there yet, warm the page cache, then time `rg -c '[0-9]' -g '*.md'` (the floor for
//! reading and scanning the bytes) and `tally check` (stdout to /dev/null), each `--runs` times,
//! with `/usr/bin/time` for peak RSS. Prints a Markdown table: the median of the runs. Nothing is
//! asserted about time: this is a benchmark, not a test.

#[path = "common/gen.rs"]
mod gen;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

struct Run {
    secs: f64,
    rss_kb: u64,
    code: i32,
}

/// Run a command with stdout to /dev/null, under `/usr/bin/time` when it is there (for the peak
/// RSS); wall time is measured here.
fn run(program: &str, args: &[&str]) -> Run {
    let time = Path::new("/usr/bin/time").is_file();
    let report = std::env::temp_dir().join(format!("tally-bench-time-{}", std::process::id()));
    let mut cmd = if time {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-f").arg("%M").arg("-o").arg(&report).arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    let t = Instant::now();
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let secs = t.elapsed().as_secs_f64();
    let rss_kb = if time {
        std::fs::read_to_string(&report)
            .ok()
            .and_then(|s| s.lines().last()?.trim().parse().ok())
            .unwrap_or(0)
    } else {
        0
    };
    let _ = std::fs::remove_file(&report);
    // GNU time reports "Command exited with non-zero status" and passes the code through.
    Run {
        secs,
        rss_kb,
        code: status.code().unwrap_or(-1),
    }
}

fn median(mut v: Vec<Run>) -> Run {
    v.sort_by(|a, b| a.secs.total_cmp(&b.secs));
    v.swap_remove(v.len() / 2)
}

fn arg_value(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let sizes = gen::sizes_from_args(&[1000]);
    let runs: usize = arg_value("--runs")
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let tally = arg_value("--tally").unwrap_or_else(|| env!("CARGO_BIN_EXE_tally").to_string());
    let rg_ok = Command::new("rg")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !rg_ok {
        eprintln!(
            "warning: `rg` not found (apt-get install ripgrep): the floor column stays empty"
        );
    }
    println!("tally: {tally}");
    println!();
    println!("| articles | MB | rg -c '[0-9]' (s) | rg RSS (MB) | tally check (s) | MB/s | peak RSS (MB) | tally / rg | exit |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for n in sizes {
        let root = gen::corpus_dir(n);
        let bytes = gen::ensure_corpus(&root, n).expect("generate the corpus");
        let mb = bytes as f64 / 1e6;
        let r = root.to_string_lossy().to_string();
        // Warm the page cache (and the directory entries) once for both tools.
        let _ = run("rg", &["-c", "[0-9]", "-g", "*.md", &r]);
        let runs_here = if n >= 100_000 { runs.min(2) } else { runs };
        let rg = rg_ok.then(|| {
            median(
                (0..runs_here)
                    .map(|_| run("rg", &["-c", "[0-9]", "-g", "*.md", &r]))
                    .collect(),
            )
        });
        let tl = median(
            (0..runs_here)
                .map(|_| run(&tally, &["check", &r]))
                .collect(),
        );
        let (rg_s, rg_rss, ratio) = match &rg {
            Some(g) => (
                format!("{:.3}", g.secs),
                format!("{:.0}", g.rss_kb as f64 / 1024.0),
                format!("{:.1}×", tl.secs / g.secs),
            ),
            None => ("–".into(), "–".into(), "–".into()),
        };
        println!(
            "| {n} | {mb:.1} | {rg_s} | {rg_rss} | {:.3} | {:.0} | {:.0} | {ratio} | {} |",
            tl.secs,
            mb / tl.secs,
            tl.rss_kb as f64 / 1024.0,
            tl.code
        );
        if !(0..=1).contains(&tl.code) {
            eprintln!(
                "error: tally check exited {} on {}",
                tl.code,
                root.display()
            );
            std::process::exit(1);
        }
    }
}
