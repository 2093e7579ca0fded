//! Multi-file fixtures: `tally check` on each corpus under `tests/fixtures/check/` reports
//! exactly the diagnostics its `expected.txt` lists.

use std::path::Path;
use std::process::Command;

fn run_case(dir: &Path) -> Result<(), String> {
    let mut articles: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    articles.sort();
    let out = Command::new(env!("CARGO_BIN_EXE_tally"))
        .arg("check")
        .args(&articles)
        .args(["--format", "json"])
        .current_dir(dir)
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    if !(code == 0 || code == 1) {
        return Err(format!(
            "exit {code}: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let doc: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("bad JSON: {e}"))?;
    let mut got: Vec<String> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["code"].as_str().unwrap()
            )
        })
        .collect();
    got.sort();
    let expected_text = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
    let mut want: Vec<String> = expected_text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    want.sort();
    // Exit code: 1 exactly when something at warning or above is reported.
    let failing = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| matches!(d["severity"].as_str(), Some("error" | "warning")));
    if failing != (code == 1) {
        return Err(format!("exit code {code} does not match the diagnostics"));
    }
    if got != want {
        let missing: Vec<&String> = want.iter().filter(|w| !got.contains(w)).collect();
        let extra: Vec<&String> = got.iter().filter(|g| !want.contains(g)).collect();
        let messages: Vec<String> = doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "  {}:{}:{} {}: {}",
                    d["path"].as_str().unwrap(),
                    d["line"],
                    d["column"],
                    d["code"].as_str().unwrap(),
                    d["message"].as_str().unwrap()
                )
            })
            .collect();
        return Err(format!(
            "missing {missing:?}\n  unexpected {extra:?}\n{}",
            messages.join("\n")
        ));
    }
    Ok(())
}

#[test]
fn every_fixture_reports_exactly_its_expected_diagnostics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 6, "expected at least 6 fixtures");
    let failures: Vec<String> = dirs
        .iter()
        .filter_map(|d| {
            run_case(d)
                .err()
                .map(|e| format!("{}: {e}", d.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixtures wrong:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}
