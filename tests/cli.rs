//! The command line end to end: `check`, `extract` and `events` against the real binary,
//! on the repository's example corpus, on temporary corpora, and on the shared Aleppo
//! corpus and gold seeds when `../shared` is beside the repository.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod cli_support;
use cli_support::tally;

use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shared() -> Option<PathBuf> {
    let p = repo().join("../shared");
    if p.join("corpus/aleppo-2016/tally.toml").is_file() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/corpus/aleppo-2016 is not beside the repository");
        None
    }
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn aleppo_conflicts_are_exactly_the_three_besieged_readings() {
    let Some(shared) = shared() else { return };
    let corpus = shared.join("corpus/aleppo-2016");
    let out = tally(
        &["check", corpus.to_str().unwrap(), "--format", "json"],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(1), "warnings found: exit 1");
    let doc = json(&out);
    let diags = doc["diagnostics"].as_array().unwrap();
    let text_of = |d: &Value| {
        let path = repo().join(d["path"].as_str().unwrap());
        let t = std::fs::read_to_string(&path).unwrap();
        t[d["start"].as_u64().unwrap() as usize..d["end"].as_u64().unwrap() as usize].to_string()
    };
    let conflicts: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "conflicting-figure")
        .collect();
    let mut texts: Vec<String> = conflicts.iter().map(|d| text_of(d)).collect();
    texts.sort();
    assert_eq!(
        texts,
        [
            "as low as 20,000",
            "hundred-thousands civilians",
            "some\u{a0}270,000 civilians"
        ]
    );
    for d in &conflicts {
        assert!(d["path"]
            .as_str()
            .unwrap()
            .ends_with("moa-2016-12-04-siege-nears-end.md"));
        assert!(
            !d["related"].as_array().unwrap().is_empty(),
            "related locations: {d}"
        );
        assert!(d["message"]
            .as_str()
            .unwrap()
            .contains("east-aleppo-besieged"));
    }
    // The author's 20,000 is related to both UN readings.
    let low = conflicts
        .iter()
        .find(|d| text_of(d) == "as low as 20,000")
        .unwrap();
    assert_eq!(low["related"].as_array().unwrap().len(), 2);
    assert!(diags.iter().all(|d| d["code"] != "malformed-annotation"));

    let unsourced: Vec<String> = diags
        .iter()
        .filter(|d| d["code"] == "unsourced-figure")
        .map(text_of)
        .collect();
    for want in ["some 21,000+\u{a0}civilians", "25,000 Syrian army fighters"] {
        assert!(
            unsourced.iter().any(|u| u == want),
            "unsourced-figure on {want:?}: {unsourced:?}"
        );
    }
    // Never on a claim with source= or with a detected source.
    let ex = json(&tally(
        &["extract", "--json", corpus.to_str().unwrap()],
        &repo(),
    ));
    for f in ex["files"].as_array().unwrap() {
        for fig in f["figures"].as_array().unwrap() {
            let attributed = fig["attribution"]["kind"] != "none";
            let flagged = diags.iter().any(|d| {
                d["code"] == "unsourced-figure"
                    && d["path"] == f["path"]
                    && d["start"] == fig["start"]
            });
            if attributed {
                assert!(!flagged, "unsourced-figure on an attributed figure {fig}");
            }
        }
    }
}

#[test]
fn seeds_score_above_the_bar() {
    let Some(shared) = shared() else { return };
    let tool = shared.join("tools/eval-extract");
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("skipped: no python3 to run eval-extract");
        return;
    }
    let out = Command::new("python3")
        .arg(&tool)
        .args(["--tally", env!("CARGO_BIN_EXE_tally"), "--json"])
        .arg(shared.join("gold/seeds"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .unwrap_or_else(|| panic!("no JSON scores: {text}"));
    let s: Value = serde_json::from_str(last).unwrap();
    let get = |k: &str| s[k].as_f64().unwrap();
    assert!(get("f1") >= 0.90, "F1 {s}");
    assert!(get("values") >= 0.90, "values {s}");
    assert!(get("attribution") >= 0.80, "attribution {s}");
    assert!(get("sources") >= 0.80, "sources {s}");
}

#[test]
fn example_corpus_checks_as_its_readme_says() {
    let out = tally(
        &["check", "examples/aleppo-evacuation", "--format", "json"],
        &repo(),
    );
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "conflicting-figure").count(),
        2,
        "{codes:?}"
    );
    for c in ["unsourced-figure", "vague-source", "unlinked-figure"] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
    assert!(!codes.contains(&"malformed-annotation"));
}

#[test]
fn text_output_looks_like_a_compiler() {
    let out = tally(&["check", "examples/aleppo-evacuation"], &repo());
    let text = String::from_utf8(out.stdout).unwrap();
    let first = text.lines().next().unwrap();
    // path:line:col: severity[code]: message
    let re =
        regex::Regex::new(r"^[^:]+\.md:\d+:\d+: (error|warning|info|hint)\[[a-z-]+\]: .+").unwrap();
    assert!(re.is_match(first), "{first}");
    assert!(text.contains(" | "), "the source line is shown");
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with('|') && l.contains('^')),
        "a caret underline"
    );
    assert!(text.contains("= note: "), "related locations");
}

#[test]
fn exit_codes_follow_the_spec() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "tally.toml", "[events.e]\ntitle = \"E\"\n");
    write(
        dir.path(),
        "a.md",
        "---\ndate: 2020-01-01\n---\nAccording to the UN, [40 people]{event=e} died.\n",
    );
    let clean = tally(&["check", "."], dir.path());
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    write(
        dir.path(),
        "b.md",
        "---\ndate: 2020-01-02\n---\nThe army killed [400 people]{event=e}.\n",
    );
    assert_eq!(tally(&["check", "."], dir.path()).status.code(), Some(1));
    assert_eq!(
        tally(&["check", "no-such-folder"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        tally(&["check", "--format", "yaml"], dir.path())
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn json_and_sarif_carry_the_same_findings() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "tally.toml",
        "[sources.un]\nname = \"United Nations\"\naliases = [\"UN\"]\n[events.e]\ntitle = \"E\"\n",
    );
    write(
        dir.path(),
        "a.md",
        "---\ndate: 2020-01-01\n---\nThe UN said [40 people]{event=e} died.\n",
    );
    write(
        dir.path(),
        "b.md",
        "---\ndate: 2020-01-02\n---\nFars said [400 people]{event=e} died.\n",
    );
    let j = json(&tally(&["check", ".", "--format", "json"], dir.path()));
    let s = json(&tally(&["check", ".", "--format", "sarif"], dir.path()));
    assert_eq!(s["version"], "2.1.0");
    let results = s["runs"][0]["results"].as_array().unwrap();
    let diags = j["diagnostics"].as_array().unwrap();
    assert_eq!(results.len(), diags.len());
    assert_eq!(diags.len(), 2);
    for (d, r) in diags.iter().zip(results) {
        assert_eq!(d["code"], r["ruleId"]);
        assert_eq!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            d["line"]
        );
        assert_eq!(
            r["relatedLocations"].as_array().unwrap().len(),
            d["related"].as_array().unwrap().len()
        );
    }
    let a = diags.iter().find(|d| d["path"] == "a.md").unwrap();
    assert_eq!(a["related"][0]["path"], "b.md");
    assert!(a["message"].as_str().unwrap().contains("\"40 people\""));
    assert!(a["related"][0]["message"]
        .as_str()
        .unwrap()
        .contains("400 people"));
}

#[test]
fn extract_reports_readings_attribution_and_events() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "tally.toml",
        "[sources.un]\nname = \"United Nations\"\naliases = [\"UN\"]\n[events.e]\ntitle = \"E\"\n",
    );
    write(
        dir.path(),
        "a.md",
        "---\ntitle: Ten left\ndate: 2020-01-01\n---\nThe UN said [at least 90,000 people]{event=e} fled, and some 4-5,000 fighters stayed.\n",
    );
    let ex = json(&tally(&["extract", "--json", "."], dir.path()));
    let figs = ex["files"][0]["figures"].as_array().unwrap();
    let f = figs
        .iter()
        .find(|f| f["text"] == "at least 90,000 people")
        .unwrap();
    assert_eq!(f["qualifier"], "lower");
    assert_eq!(f["value"], 90000);
    assert_eq!(f["low"], 90000);
    assert_eq!(f["high"], Value::Null);
    assert_eq!(f["unit"], "people");
    assert_eq!(f["attribution"]["kind"], "named");
    assert_eq!(f["attribution"]["source_id"], "un");
    assert_eq!(f["event"], "e");
    assert_eq!(f["annotated"], true);
    let text = std::fs::read_to_string(dir.path().join("a.md")).unwrap();
    assert_eq!(
        &text[f["start"].as_u64().unwrap() as usize..f["end"].as_u64().unwrap() as usize],
        "at least 90,000 people"
    );
    let r = figs.iter().find(|f| f["qualifier"] == "range").unwrap();
    assert_eq!(r["value"], serde_json::json!([4000, 5000]));
    assert_eq!(r["annotated"], false);
    // The title's figure is read too, and maps into the front matter.
    let t = figs
        .iter()
        .find(|f| f["text"] == "Ten")
        .map(|f| f["line"].clone());
    assert_eq!(t, Some(Value::from(2)));
}

#[test]
fn events_lists_every_reading_with_low_median_high() {
    let out = tally(&["events", "examples/aleppo-evacuation"], &repo());
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("east-aleppo-besieged"));
    assert!(text.contains("low ") && text.contains("median ") && text.contains("high "));
    assert!(text.contains('✗'), "conflicting readings are marked");
    let j = json(&tally(
        &["events", "examples/aleppo-evacuation", "--json"],
        &repo(),
    ));
    let ev = j["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "east-aleppo-besieged")
        .unwrap();
    assert!(ev["readings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["conflicts"] == true));
    assert!(ev["sources"].as_u64().unwrap() >= 2);
}

#[test]
fn walking_respects_gitignore_and_skips_binary_and_non_utf8_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "tally.toml", "");
    write(dir.path(), ".gitignore", "drafts/\n");
    write(dir.path(), "a.md", "Officials said 40 people died.\n");
    write(dir.path(), "drafts/b.md", "Nobody said 99 people died.\n");
    std::fs::write(dir.path().join("c.md"), b"\x00\x01binary").unwrap();
    std::fs::write(dir.path().join("d.txt"), b"caf\xe9 12 people\n").unwrap();
    let out = tally(&["extract", "--json", "."], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let ex = json(&out);
    let paths: Vec<&str> = ex["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["a.md"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("c.md") && err.contains("binary"), "{err}");
    assert!(err.contains("d.txt") && err.contains("UTF-8"), "{err}");
}

#[test]
fn a_broken_tally_toml_is_a_config_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "tally.toml",
        "[corpus]\ntolerance = 0.1\n[events.e\n",
    );
    write(dir.path(), "a.md", "The UN said 40 people died.\n");
    let out = tally(&["check", ".", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let doc = json(&out);
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "config-error")
        .expect("config-error");
    assert_eq!(d["path"], "tally.toml");
    assert_eq!(d["line"], 3);
    assert_eq!(d["severity"], "error");
}

#[test]
fn the_command_line_never_modifies_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let text = "---\ndate: 2020-01-01\n---\nThe UN said [40 people]{event=e source=un} died.\n";
    write(dir.path(), "tally.toml", "[events.e]\ntitle = \"E\"\n");
    write(dir.path(), "a.md", text);
    let before = std::fs::metadata(dir.path().join("a.md"))
        .unwrap()
        .modified()
        .unwrap();
    for args in [
        &["check", "."][..],
        &["extract", "--json", "."],
        &["events", "."],
        &["check", ".", "--format", "sarif"],
    ] {
        tally(args, dir.path());
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        text
    );
    assert_eq!(
        std::fs::metadata(dir.path().join("a.md"))
            .unwrap()
            .modified()
            .unwrap(),
        before
    );
}

/// A contested event: one outlier against twelve other readings. Every other claim involved is
/// related in the JSON (SPEC 4); the text output shows the nearest few and counts the rest.
#[test]
fn a_contested_event_relates_every_reading_in_json_and_the_nearest_in_text() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "tally.toml",
        "[sources.un]\nname = \"United Nations\"\n\n[events.fled]\ntitle = \"People who fled the district\"\n",
    );
    write(
        dir.path(),
        "a00.md",
        "---\ntitle: Outlier\ndate: 2016-12-01\n---\nThe UN said [about 500 people]{event=fled} fled.\n",
    );
    for k in 1..=12 {
        write(
            dir.path(),
            &format!("a{k:02}.md"),
            &format!(
                "---\ntitle: Report {k}\ndate: 2016-12-02\n---\nAgency {k} said [{} people]{{event=fled source=\"Agency {k}\"}} fled.\n",
                9000 + k * 10
            ),
        );
    }
    let j = json(&tally(&["check", ".", "--format", "json"], dir.path()));
    let outlier = j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "conflicting-figure" && d["path"] == "a00.md")
        .expect("the outlier conflicts");
    assert_eq!(outlier["related"].as_array().unwrap().len(), 12);
    assert!(
        outlier["message"]
            .as_str()
            .unwrap()
            .contains("conflicts with 12 other readings"),
        "{outlier}"
    );
    let out = tally(&["check", "."], dir.path());
    let text = String::from_utf8(out.stdout).unwrap();
    let block: &str = text
        .split("\n\n")
        .find(|b| b.starts_with("a00.md") && b.contains("conflicting-figure"))
        .expect("the outlier's diagnostic");
    let notes = block
        .lines()
        .filter(|l| l.contains("= note: a") && l.contains(".md:"))
        .count();
    assert_eq!(notes, tally::checks::MAX_RELATED, "{block}");
    assert!(block.contains("= note: and 4 more"), "{block}");
}
