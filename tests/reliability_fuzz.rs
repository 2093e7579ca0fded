//! The fuzz targets' invariants on the stable toolchain (issue 6): every seed and every saved
//! crash in `fuzz/regressions/<target>/` replayed, then a quick random loop over the same
//! checks. The coverage-guided runs are `cargo fuzz` (see `fuzz/README.md` and RELIABILITY.md);
//! this test is what keeps their findings fixed.
//!
//! `TALLY_FUZZ_ITERS=N` sets the random inputs per target (default 1500);
//! `TALLY_FUZZ_SEED=S` changes the random seed.

#[path = "../fuzz/src/lib.rs"]
mod invariants;

use std::path::{Path, PathBuf};

type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 4] = [
    ("article", invariants::article),
    ("annotate", invariants::annotate),
    ("figures", invariants::figures),
    ("config", invariants::config),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Run one input, turning a panic into a message naming the input.
fn run(target: &str, f: Target, data: &[u8], name: &str) -> Result<(), String> {
    let data = data.to_vec();
    std::panic::catch_unwind(move || f(&data)).map_err(|e| {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        format!("{target}: {name}: {msg}")
    })
}

#[test]
fn saved_crashes_and_seeds_pass_every_invariant() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (name, f) in TARGETS {
        let mut inputs = files_in(&root().join("fuzz/regressions").join(name));
        inputs.extend(files_in(&root().join("fuzz/seeds").join(name)));
        match name {
            "config" => inputs.push(root().join("examples/aleppo-evacuation/tally.toml")),
            _ => inputs.extend(files_in(&root().join("examples/aleppo-evacuation"))),
        }
        for p in inputs {
            let Ok(data) = std::fs::read(&p) else {
                continue;
            };
            count += 1;
            if let Err(e) = run(name, f, &data, &p.display().to_string()) {
                failures.push(e);
            }
        }
    }
    assert!(count > 20, "too few inputs found ({count})");
    assert!(
        failures.is_empty(),
        "{} inputs fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Pieces the random inputs are made of: the syntax and vocabulary of the format, line ends,
/// and characters that stress offsets (Arabic, astral, no-break and thin spaces).
const PIECES: &[&str] = &[
    "---\n",
    "title: ",
    "date: 2016-12-07\n",
    "outlet: Wire\n",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    " ",
    "[",
    "]",
    "{",
    "}",
    "\\[",
    "\\",
    "\"",
    "{event=e1}",
    "{.ignore}",
    "{value=1000..1300}",
    "{value=>=5}",
    " source=",
    "=",
    " asof=2016-02-30",
    "note=\"a \\\" b\"",
    "1,217",
    "4-5,000",
    "93%",
    "one-third",
    "half",
    "a dozen",
    "20 thousand",
    "1.5 million",
    "tens of thousands of",
    "hundreds",
    "more than ",
    "at least ",
    "up to ",
    "fewer than ",
    "about ",
    "nearly ",
    "between ",
    " and ",
    " to ",
    "-",
    "people",
    "fighters",
    "civilians",
    "according to SANA",
    " said",
    "reportedly",
    "activists said",
    "“",
    "”",
    ". ",
    ": ",
    "\u{a0}",
    "\u{202f}",
    "\u{2009}",
    "😀",
    "محمد",
    "٣",
    "٬",
    "é",
    "e\u{301}",
    "--Reuters",
    "1e309",
    "99999999999999999999999999",
    "0.",
    "0",
    "7",
    "2016",
    "he said",
    "the ministry",
    "Su-24",
];

const CONFIG_PIECES: &[&str] = &[
    "[corpus]\n",
    "[diagnostics]\n",
    "[sources.x]\n",
    "[sources.\"é x\"]\n",
    "[events.a]\n",
    "[events.b]\n",
    "include = [\"**/*.md\"]\n",
    "exclude = [\"[\"]\n",
    "tolerance = ",
    "0.05",
    "0.9999",
    "-1",
    "nan",
    "inf",
    "\n",
    "name = \"X\"\n",
    "aliases = [\"the X\", \"\"]\n",
    "affiliation = \"un\"\n",
    "part_of = \"a\"\n",
    "part_of = \"b\"\n",
    "parts = [\"a\", \"b\"]\n",
    "cumulative = true\n",
    "unit = \"people\"\n",
    "unsourced-figure = \"off\"\n",
    "conflicting-figure = \"hint\"\n",
    "\"",
    "'''",
    "=",
    "😀",
    "\r\n",
    "[[events]]\n",
    "x = 1\n",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn random_input(rng: &mut Rng, pieces: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    let n = rng.below(60);
    for _ in 0..n {
        match rng.below(10) {
            0 => out.push(rng.next() as u8), // any byte, UTF-8 or not
            1 => out.extend(rng.next().to_le_bytes().iter().take(rng.below(8))),
            _ => out.extend_from_slice(pieces[rng.below(pieces.len())].as_bytes()),
        }
    }
    out
}

#[test]
fn random_inputs_pass_every_invariant() {
    let iters: usize = std::env::var("TALLY_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1500);
    let seed: u64 = std::env::var("TALLY_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x7a11_7a11);
    let mut rng = Rng(seed | 1);
    let mut failures = Vec::new();
    let start = std::time::Instant::now();
    for (name, f) in TARGETS {
        let pieces = if name == "config" {
            CONFIG_PIECES
        } else {
            PIECES
        };
        for i in 0..iters {
            let mut data = random_input(&mut rng, pieces);
            if name == "annotate" || name == "figures" {
                let head: Vec<u8> = (0..8).map(|_| rng.next() as u8).collect();
                data.splice(0..0, head);
            }
            if let Err(e) = run(
                name,
                f,
                &data,
                &format!("random input {i} {:?}", String::from_utf8_lossy(&data)),
            ) {
                failures.push(e);
                if failures.len() >= 5 {
                    break;
                }
            }
        }
    }
    eprintln!(
        "{} random inputs per target in {:?}",
        iters,
        start.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} random inputs fail:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
