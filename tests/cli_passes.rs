//! `tally check` reads a corpus in two passes and keeps no text between them: these tests
//! change and delete files between the passes (through the library's [`Checked`]), check
//! the line and column of every location, in this document and in others, against the texts,
//! and check that files that cannot be read are said in their place and numbered out.

use std::path::Path;
use std::process::Output;

mod cli_support;
use cli_support::tally;

use serde_json::Value;
use tally::cli::workspace::Workspace;
use tally::cli::{Checked, Format};

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// Two files that cannot be read, named to sort before and between the corpus's others: a
/// binary one and one that is not UTF-8.
fn unreadable(dir: &Path) {
    write(dir, "a0.md", b"binary\x00\x01 [5 people]{event=fled}");
    write(dir, "aa.md", b"caf\xe9 [5 people]{event=fled}");
}

const CONFIG: &str = "[sources.un]\nname = \"United Nations\"\n\n[sources.icrc]\nname = \"Red Cross\"\n\n[events.fled]\ntitle = \"People who fled\"\n";

/// Two articles that disagree (so that each one's diagnostic has a note on the other), with
/// characters of two, three and four bytes before the figures, and a figure with no source.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "tally.toml", CONFIG);
    write(
        d,
        "a.md",
        "---\ntitle: A\ndate: 2016-12-01\n---\nÇa — محمد 😀 said the UN counted [about 500 people]{event=fled source=un} who fled.\n\nSome 1,217 people fled.\n",
    );
    write(
        d,
        "b.md",
        "---\ntitle: B\ndate: 2016-12-02\n---\n«Témoins» — the Red Cross said [9,000 people]{event=fled source=icrc} fled.\n",
    );
    dir
}

/// Both passes in this process, with `between` run between them: the output and warnings.
fn check_in_passes(dir: &Path, format: Format, between: impl FnOnce()) -> (String, Vec<String>) {
    let mut ws = Workspace::load(&[dir.to_path_buf()]).unwrap();
    let checked = Checked::read(&mut ws).unwrap();
    between();
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    checked
        .write(&ws, format, &mut out, &mut |w| warnings.push(w))
        .unwrap();
    (String::from_utf8(out).unwrap(), warnings)
}

/// The diagnostics of the text output, each as its lines.
fn blocks(text: &str) -> Vec<Vec<&str>> {
    text.split("\n\n")
        .filter(|b| b.contains(": "))
        .map(|b| b.lines().collect())
        .collect()
}

#[test]
fn a_file_changed_between_the_passes_is_said_and_shown_without_its_source_lines() {
    let dir = corpus();
    let (before, quiet) = check_in_passes(dir.path(), Format::Text, || {});
    assert!(quiet.is_empty(), "{quiet:?}");
    let a = dir.path().join("a.md");
    let text = std::fs::read_to_string(&a).unwrap();
    // The same length, one digit changed: only the hash can tell.
    let same_length = text.replace("1,217", "1,218");
    let (after, warnings) = check_in_passes(dir.path(), Format::Text, || {
        write(dir.path(), "a.md", &same_length)
    });
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("a.md") && warnings[0].contains("changed since it was read"),
        "{warnings:?}"
    );
    // Every diagnostic is still there, at the place it had in the text read first: a.md's
    // without their source lines, b.md's (and their notes on a.md) as they were.
    let (was, now) = (blocks(&before), blocks(&after));
    assert_eq!(was.len(), now.len());
    assert!(was.iter().any(|b| b[0].contains("a.md:")));
    for (w, n) in was.iter().zip(&now) {
        assert_eq!(w[0], n[0]);
        if w[0].contains("a.md:") {
            let source = |l: &&&str| l.trim_start().starts_with('|') || l.contains(" | ");
            let without: Vec<&str> = w.iter().filter(|l| !source(l)).copied().collect();
            assert_eq!(&without, n, "{before}\n---\n{after}");
            assert!(!n.iter().any(|l| l.contains("1,218")), "{after}");
        } else {
            assert_eq!(w, n);
        }
    }
    assert_eq!(before.lines().last(), after.lines().last());
}

#[test]
fn a_file_deleted_between_the_passes_is_said_and_nothing_else_is_lost() {
    let dir = corpus();
    let (before, _) = check_in_passes(dir.path(), Format::Text, || {});
    let (after, warnings) = check_in_passes(dir.path(), Format::Text, || {
        std::fs::remove_file(dir.path().join("b.md")).unwrap()
    });
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("b.md"), "{warnings:?}");
    assert_eq!(blocks(&before).len(), blocks(&after).len());
    assert!(after.contains("b.md:"), "{after}");
    assert!(
        after.ends_with("2 files: 0 errors, 3 warnings, 0 infos, 1 hints\n"),
        "{after}"
    );
}

#[test]
fn json_and_sarif_need_no_second_read() {
    for format in [Format::Json, Format::Sarif] {
        let dir = corpus();
        let (before, _) = check_in_passes(dir.path(), format, || {});
        let (after, warnings) = check_in_passes(dir.path(), format, || {
            write(dir.path(), "a.md", "Nothing left.\n");
            std::fs::remove_file(dir.path().join("b.md")).unwrap();
        });
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(before, after);
    }
}

/// 1-based line and column (in characters) of a byte offset of a text.
fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line as u64, text[start..offset].chars().count() as u64 + 1)
}

/// Check a JSON location (`path`, `start`, `end`, `line`, ...) against the file's text.
fn check_location(dir: &Path, l: &Value) {
    let text = std::fs::read_to_string(dir.join(l["path"].as_str().unwrap())).unwrap();
    let at = |k: &str| l[k].as_u64().unwrap() as usize;
    assert_eq!(
        (l["line"].as_u64().unwrap(), l["column"].as_u64().unwrap()),
        line_col(&text, at("start")),
        "{l}"
    );
    assert_eq!(
        (
            l["end_line"].as_u64().unwrap(),
            l["end_column"].as_u64().unwrap()
        ),
        line_col(&text, at("end")),
        "{l}"
    );
}

#[test]
fn every_location_and_note_gives_the_line_and_column_of_its_own_document() {
    let dir = corpus();
    // Files that cannot be read, between and before the others: no number of theirs may
    // shift the others' places.
    unreadable(dir.path());
    let out = tally(&["check", ".", "--format", "json"], dir.path());
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = j["diagnostics"].as_array().unwrap();
    let mut notes = 0;
    for d in diags {
        check_location(dir.path(), d);
        for r in d["related"].as_array().unwrap() {
            check_location(dir.path(), r);
            notes += 1;
        }
    }
    assert!(notes >= 2, "{j}");
    // The text gives the same places, notes included.
    let out = tally(&["check", "."], dir.path());
    let text = String::from_utf8(out.stdout).unwrap();
    for d in diags {
        let at = format!(
            "{}:{}:{}: ",
            d["path"].as_str().unwrap(),
            d["line"],
            d["column"]
        );
        let block = text
            .split("\n\n")
            .find(|b| b.starts_with(&at))
            .unwrap_or_else(|| panic!("{at} not in\n{text}"));
        for r in d["related"].as_array().unwrap() {
            let note = format!(
                "= note: {}:{}:{}: ",
                r["path"].as_str().unwrap(),
                r["line"],
                r["column"]
            );
            assert!(block.contains(&note), "{note} not in\n{block}");
        }
    }
    // SARIF too.
    let out = tally(&["check", ".", "--format", "sarif"], dir.path());
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = s["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), diags.len());
    for (r, d) in results.iter().zip(diags) {
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], d["line"]);
        assert_eq!(region["startColumn"], d["column"]);
        for (rl, dl) in r["relatedLocations"]
            .as_array()
            .unwrap()
            .iter()
            .zip(d["related"].as_array().unwrap())
        {
            let region = &rl["physicalLocation"]["region"];
            assert_eq!(region["startLine"], dl["line"]);
            assert_eq!(region["startColumn"], dl["column"]);
        }
    }
}

#[test]
fn files_that_cannot_be_read_are_said_in_their_place_by_every_command() {
    let dir = corpus();
    unreadable(dir.path());
    write(dir.path(), "c.md", b"\xff\xfe");
    let paths = |out: &Output| -> Vec<String> {
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter_map(|l| l.strip_prefix("tally: warning: "))
            .map(|l| l.split(':').next().unwrap().to_string())
            .collect()
    };
    for args in [
        &["check", "."][..],
        &["check", ".", "--format", "json"],
        &["check", ".", "--format", "sarif"],
        &["events", "."],
        &["events", ".", "--json"],
        &["extract", "."],
        &["extract", "--json", "."],
    ] {
        let out = tally(args, dir.path());
        assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}");
        assert_eq!(paths(&out), ["a0.md", "aa.md", "c.md"], "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("a0.md: skipped, a binary file"), "{stderr}");
        assert!(
            stderr.contains("aa.md: skipped, not UTF-8 (invalid byte at offset 3)"),
            "{stderr}"
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            !stdout.contains("a0.md") && !stdout.contains("aa.md"),
            "{args:?}"
        );
    }
    let out = tally(&["check", "."], dir.path());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.ends_with("2 files: 0 errors, 3 warnings, 0 infos, 1 hints\n"),
        "{text}"
    );
    // Files named on the command line: each once, in the order given.
    let out = tally(&["extract", "b.md", "a0.md", "a.md", "./b.md"], dir.path());
    assert_eq!(paths(&out), ["a0.md"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let files: Vec<&str> = stdout
        .lines()
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(files.first(), Some(&"b.md"), "{stdout}");
    assert_eq!(files.last(), Some(&"a.md"), "{stdout}");
}

/// The documents are numbered in the order of their paths, component by component (a folder's
/// files before a sibling whose name extends the folder's), whatever order the file system
/// lists them in, and the same path given twice is read once.
#[test]
fn articles_are_numbered_in_path_order_and_each_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "tally.toml", CONFIG);
    let names = [
        "b.md",
        "a-b/x.md",
        "a/z.md",
        "a/y/q.md",
        "a.md",
        "A.md",
        "a b.md",
        "ä.md",
        "a/Z.md",
        "a.txt",
        "notes.json",
        "a0/1.md",
        "a/y.md",
    ];
    for n in names {
        let p = d.join(n);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        write(d, n, "Some 5 people fled.\n");
    }
    let mut ws = Workspace::load(&[d.to_path_buf(), d.join("a.md")]).unwrap();
    Checked::read(&mut ws).unwrap();
    let got: Vec<&Path> = ws
        .files
        .iter()
        .map(|f| f.path.strip_prefix(d).unwrap())
        .collect();
    let mut want: Vec<&Path> = names
        .iter()
        .map(Path::new)
        .filter(|p| p.extension().is_some_and(|e| e != "json"))
        .collect();
    want.sort();
    assert_eq!(got, want);
}
