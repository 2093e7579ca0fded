//! File-system faults and "nothing lost" (issue 6), against the real `tally` binary: the
//! command line and the language server on corpora with binary files, invalid UTF-8, empty
//! files, unreadable entries, symlink loops, a FIFO, big articles, files deleted or renamed
//! while indexing, paths with spaces and non-ASCII characters, and a `tally.toml` broken then
//! fixed. Every test works in its own temp dir, and checks that no file was written or changed.
//!
//! The 50 MB article is `#[ignore]`d (minutes of analysis); run it with
//! `cargo test --release --test reliability_files -- --ignored`.
#![cfg(feature = "lsp")]

mod lsp_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use lsp_support::{uri, Client};
use serde_json::{json, Value};

const GOOD: &str = "---\ntitle: Good\ndate: 2016-12-10\n---\nThe UN said [about 500 fighters]{event=e1} left.\n\nSome 1,217 people fled.\n";
const CONFIG: &str = "[events.e1]\ntitle = \"Fighters\"\n";

/// Every entry under `root` (not following links): path → (kind, bytes, mtime).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (String, Vec<u8>, Option<SystemTime>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            let Ok(m) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            let ft = m.file_type();
            let (kind, bytes) = if ft.is_symlink() {
                (
                    "link".to_string(),
                    std::fs::read_link(&p)
                        .map(|t| t.to_string_lossy().into_owned().into_bytes())
                        .unwrap_or_default(),
                )
            } else if ft.is_dir() {
                stack.push(p.clone());
                ("dir".to_string(), Vec::new())
            } else if ft.is_file() {
                ("file".to_string(), std::fs::read(&p).unwrap_or_default())
            } else {
                ("other".to_string(), Vec::new())
            };
            out.insert(p, (kind, bytes, m.modified().ok()));
        }
    }
    out
}

fn tally(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tally");
    let pid = child.id();
    // Never hang a test run: a FIFO or a loop must not block the command line.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = rx
        .recv_timeout(Duration::from_secs(300))
        .unwrap_or_else(|_| {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("tally {args:?} hangs")
        });
    let out = out.unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A corpus with every kind of bad entry beside one good article.
fn hostile_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("tally.toml"), CONFIG).unwrap();
    std::fs::write(d.join("good.md"), GOOD).unwrap();
    let mut binary: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
    binary.extend_from_slice(b"\x00\x00 [5 people]{event=e1}");
    std::fs::write(d.join("binary.md"), &binary).unwrap();
    std::fs::write(d.join("nul.txt"), b"1,217 people\x00fled").unwrap();
    std::fs::write(
        d.join("latin1.md"),
        b"Caf\xe9: 1\xa0217 people fled \xff\xfe.\n",
    )
    .unwrap();
    std::fs::write(
        d.join("bom.md"),
        "\u{feff}---\ntitle: BOM\n---\n12 people fled.\n",
    )
    .unwrap();
    std::fs::write(d.join("empty.md"), b"").unwrap();
    std::fs::write(d.join("empty.txt"), b"").unwrap();
    std::fs::write(d.join("only-front-matter.md"), "---\ntitle: x\n---").unwrap();
    std::fs::write(
        d.join("unclosed-front-matter.md"),
        "---\ntitle: \"1,217 people\n",
    )
    .unwrap();
    std::fs::create_dir(d.join("folder.md")).unwrap();
    let unreadable = d.join("unreadable.md");
    std::fs::write(&unreadable, GOOD).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::{symlink, PermissionsExt};
        std::fs::set_permissions(&unreadable, std::fs::Permissions::from_mode(0o000)).unwrap();
        symlink("nowhere.md", d.join("dangling.md")).unwrap();
        symlink("self-loop.md", d.join("self-loop.md")).unwrap();
        std::fs::create_dir(d.join("sub")).unwrap();
        symlink("..", d.join("sub/up")).unwrap(); // a directory loop
        symlink("good.md", d.join("alias.md")).unwrap();
        let fifo = d.join("fifo.md");
        let ok = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("mkfifo unavailable: the FIFO case is skipped");
        }
    }
    dir
}

#[cfg(unix)]
fn restore_permissions(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(
        dir.join("unreadable.md"),
        std::fs::Permissions::from_mode(0o644),
    );
}

#[test]
fn the_command_line_survives_a_hostile_corpus_and_changes_nothing() {
    let dir = hostile_corpus();
    let before = snapshot(dir.path());
    for args in [
        vec!["check", "."],
        vec!["check", ".", "--format", "json"],
        vec!["check", ".", "--format", "sarif"],
        vec!["extract", ".", "--json"],
        vec!["events", "."],
        vec![
            "check",
            "binary.md",
            "latin1.md",
            "empty.md",
            "folder.md",
            "good.md",
        ],
        vec!["check", "fifo.md"],
        vec!["check", "self-loop.md"],
        vec!["check", "dangling.md"],
    ] {
        let (code, out, err) = tally(&args, dir.path());
        assert!(
            code == 0 || code == 1 || code == 2,
            "{args:?}: exit {code}\n{err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        if args.contains(&"--json") || args.contains(&"json") {
            serde_json::from_str::<Value>(&out)
                .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"));
        }
        if args[..2] == ["check", "."] && args.len() == 2 {
            assert_eq!(code, 1, "the good article's warnings: {out}\n{err}");
            assert!(out.contains("good.md"), "{out}");
            assert!(
                err.contains("binary.md") && err.contains("binary"),
                "binary file not reported: {err}"
            );
            assert!(
                err.contains("latin1.md") && err.contains("UTF-8"),
                "invalid UTF-8 not reported: {err}"
            );
        }
    }
    #[cfg(unix)]
    restore_permissions(dir.path());
    // (Only the permission bits restored above differ: the snapshot compares bytes and times.)
    let after = snapshot(dir.path());
    assert_eq!(before.len(), after.len());
    for (p, (k, b, t)) in &before {
        let (k2, b2, t2) = &after[p];
        assert!(
            k == k2 && b == b2 && t == t2,
            "{} was changed by the command line",
            p.display()
        );
    }
}

#[test]
fn the_server_indexes_a_hostile_corpus_and_keeps_serving() {
    let dir = hostile_corpus();
    let before = snapshot(dir.path());
    let mut c = Client::start();
    c.initialize(&[dir.path()], false);
    c.wait_indexed();
    let u = uri(&dir.path().join("good.md"));
    c.open_text(&u, GOOD, 1);
    let diags = c.diagnostics_at(0, &u, 1);
    assert!(
        diags.iter().any(|d| d["code"] == "unsourced-figure"),
        "{diags:?}"
    );
    // The bad files opened in the editor (as it shows them) are served too.
    for name in [
        "binary.md",
        "latin1.md",
        "empty.md",
        "nul.txt",
        "self-loop.md",
        "dangling.md",
        "folder.md",
        "fifo.md",
    ] {
        let p = dir.path().join(name);
        // (Never read a FIFO here: that would block the test, not the server.)
        let regular = std::fs::metadata(&p).is_ok_and(|m| m.is_file());
        let bytes = if regular {
            std::fs::read(&p).unwrap_or_default()
        } else {
            b"12 people fled.".to_vec()
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let pu = uri(&p);
        c.open_text(&pu, &text, 1);
        let h = c.send_request(
            "textDocument/hover",
            json!({"textDocument": {"uri": pu}, "position": {"line": 0, "character": 3}}),
        );
        let r = c.response(h);
        assert_ne!(r["error"]["code"], json!(-32603), "{name}: {r}");
        c.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": pu}}),
        );
    }
    let h = c.hover(&u, json!({"line": 4, "character": 20}));
    assert!(h.to_string().contains("500"), "{h}");
    assert_eq!(c.shutdown(), 0);
    #[cfg(unix)]
    restore_permissions(dir.path());
    assert_eq!(
        before,
        snapshot(dir.path()),
        "the server changed the corpus on disk"
    );
}

fn big_article(target_bytes: usize) -> String {
    let paras = [
        "The UN said about {n} fighters left on Tuesday. According to SANA, at least {m},000 people fled محمد 😀, and reportedly {p}% of the east.\n\n",
        "Activists said {n} civilians were killed in the shelling of the old city; the ministry said more than {m} buses left.\n\n",
        "On 17 December at 10:30, a 36-year-old man said the second convoy of {n} trucks\u{a0}arrived after 17 days.\n\n",
        "“Here is what the Russian Defence Ministry has said: {n} militants laid down their arms,” he said. Between {p} and {m} thousand remain.\r\n\r\n",
    ];
    let mut out = String::from("---\ntitle: Big\ndate: 2016-12-10\n---\nThe UN said [about 500 fighters]{event=e1} left.\n\n");
    let mut i = 0usize;
    while out.len() < target_bytes {
        i += 1;
        out.push_str(
            &paras[i % 4]
                .replace("{n}", &(i * 7 % 5000 + 2).to_string())
                .replace("{m}", &(i % 89 + 2).to_string())
                .replace("{p}", &(i % 99 + 1).to_string()),
        );
    }
    out
}

/// A big article through the command line and the server: analysed, answered, not changed.
fn big_article_case(text: &str, name: &str) -> (Duration, Duration) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tally.toml"), CONFIG).unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let t = Instant::now();
    let (code, out, err) = tally(&["check", name, "--format", "json"], dir.path());
    let cli = t.elapsed();
    assert!(code == 0 || code == 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["diagnostics"].is_array());
    let mut c = Client::start();
    c.initialize(&[dir.path()], false);
    c.wait_indexed();
    let u = uri(&path);
    let t = Instant::now();
    c.open_text(&u, text, 1);
    c.diagnostics_at(0, &u, 1);
    // An edit at the very end, then a hover there.
    let last_line = text.lines().count();
    let from = c.notifications.len();
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [
        {"range": {"start": {"line": last_line, "character": 0}, "end": {"line": last_line, "character": 0}}, "text": "Some 77 people fled.\n"}]}));
    c.diagnostics_at(from, &u, 2);
    let lsp = t.elapsed();
    let h = c.hover(&u, json!({"line": last_line, "character": 6}));
    assert!(h.to_string().contains("77"), "{h}");
    assert_eq!(c.shutdown(), 0);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        text,
        "the article was changed"
    );
    (cli, lsp)
}

#[test]
fn a_100000_line_article() {
    let text: String = std::iter::once("---\ntitle: Lines\ndate: 2016-12-10\n---\n".to_string())
        .chain((0..100_000).map(|i| match i % 10 {
            0 => format!("Line {i}: {} people fled, the UN said.\n", i % 97),
            1 => "\n".to_string(),
            _ => format!("Line {i} of the article, with words and no figure at all.\n"),
        }))
        .collect();
    let (cli, lsp) = big_article_case(&text, "lines.md");
    eprintln!(
        "100,000 lines ({} bytes): check {cli:?}, server open + edit {lsp:?}",
        text.len()
    );
}

#[test]
fn a_2_mb_article() {
    let text = big_article(2_000_000);
    let (cli, lsp) = big_article_case(&text, "two-mb.md");
    eprintln!("2 MB: check {cli:?}, server open + edit {lsp:?}");
}

#[test]
#[ignore = "minutes: cargo test --release --test reliability_files -- --ignored"]
fn a_50_mb_article() {
    let text = big_article(50_000_000);
    let (cli, lsp) = big_article_case(&text, "fifty-mb.md");
    eprintln!("50 MB: check {cli:?}, server open + edit {lsp:?}");
}

#[test]
fn files_deleted_or_renamed_during_indexing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tally.toml"), CONFIG).unwrap();
    let n = 1500;
    for i in 0..n {
        std::fs::write(dir.path().join(format!("a{i:04}.md")), GOOD.repeat(3)).unwrap();
    }
    let mut c = Client::start();
    c.initialize(&[dir.path()], false);
    // While the worker walks and reads: delete a third, rename a third, truncate some.
    let mut changes = Vec::new();
    for i in (0..n).rev() {
        let p = dir.path().join(format!("a{i:04}.md"));
        match i % 3 {
            0 => {
                std::fs::remove_file(&p).unwrap();
                changes.push(json!({"uri": uri_of_missing(&p), "type": 3}));
            }
            1 => {
                let q = dir.path().join(format!("renamed-{i:04}.md"));
                std::fs::rename(&p, &q).unwrap();
                changes.push(json!({"uri": uri_of_missing(&p), "type": 3}));
                changes.push(json!({"uri": uri(&q), "type": 1}));
            }
            _ if i % 10 == 2 => {
                std::fs::write(&p, "").unwrap();
                changes.push(json!({"uri": uri(&p), "type": 2}));
            }
            _ => {}
        }
    }
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": changes}),
    );
    c.wait_indexed();
    // The index holds exactly the claims of the files on disk: e1's readings, one per article
    // with text (renamed or untouched), plus the open one.
    let live = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| std::fs::metadata(e.path()).is_ok_and(|m| m.len() > 0))
        .count();
    let u = uri(&dir.path().join("open.md"));
    c.open_text(&u, GOOD, 1);
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": u}, "position": {"line": 4, "character": 40}, "context": {"includeDeclaration": false}}),
    );
    let refs = refs.as_array().cloned().unwrap_or_default();
    let claims = refs
        .iter()
        .filter(|r| r["uri"].as_str().is_some_and(|s| s.ends_with(".md")))
        .count();
    assert_eq!(
        claims,
        live * 3 + 1,
        "references to e1 do not match the files on disk"
    );
    assert_eq!(c.shutdown(), 0);
}

/// The URI of a path that may no longer exist (its folder does).
fn uri_of_missing(p: &Path) -> String {
    let dir = p.parent().unwrap().canonicalize().unwrap();
    uri(&dir).trim_end_matches('/').to_string() + "/" + p.file_name().unwrap().to_str().unwrap()
}

#[test]
fn a_corpus_on_a_path_with_spaces_and_non_ascii_characters() {
    let base = tempfile::tempdir().unwrap();
    let root = base.path().join("My Corpus — Алеппо حلب 😀 #1 %20");
    std::fs::create_dir_all(root.join("sub folder")).unwrap();
    std::fs::write(root.join("tally.toml"), CONFIG).unwrap();
    let a = root.join("sub folder/статья 1 (copy).md");
    std::fs::write(&a, GOOD).unwrap();
    std::fs::write(root.join("b é.md"), GOOD.replace("500", "5,000")).unwrap();
    let before = snapshot(base.path());
    // The command line, by absolute path and from inside the folder.
    let (code, out, err) = tally(
        &["check", root.to_str().unwrap(), "--format", "json"],
        base.path(),
    );
    assert_eq!(code, 1, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["path"].as_str())
        .collect();
    assert!(
        paths.iter().any(|p| p.contains("статья 1 (copy).md")),
        "{paths:?}"
    );
    assert!(
        out.contains("conflicting-figure"),
        "the two articles were not linked: {out}"
    );
    let (code, out, _) = tally(&["check"], &root);
    assert_eq!(code, 1);
    assert!(out.contains("b é.md"), "{out}");
    // The server: URIs percent-encoded both ways.
    let mut c = Client::start();
    c.initialize(&[&root], false);
    c.wait_indexed();
    let u = uri(&a);
    c.open_text(&u, GOOD, 1);
    let diags = c.diagnostics(0, &u, |d| {
        d.iter().any(|x| x["code"] == "conflicting-figure")
    });
    let related = diags
        .iter()
        .flat_map(|d| {
            d["relatedInformation"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|r| r["location"]["uri"].as_str().map(str::to_string))
        .collect::<Vec<_>>();
    assert!(related.contains(&uri(&root.join("b é.md"))), "{related:?}");
    assert_eq!(c.shutdown(), 0);
    assert_eq!(before, snapshot(base.path()));
}

#[test]
fn tally_toml_broken_then_fixed_on_disk_and_in_the_editor() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("tally.toml");
    std::fs::write(&cfg, CONFIG).unwrap();
    std::fs::write(
        dir.path().join("a.md"),
        GOOD.replace("event=e1", "event=e2"),
    )
    .unwrap();
    let mut c = Client::start();
    c.initialize(&[dir.path()], false);
    c.wait_indexed();
    let au = uri(&dir.path().join("a.md"));
    c.open_text(&au, &GOOD.replace("event=e1", "event=e2"), 1);
    c.diagnostics(0, &au, |d| d.iter().any(|x| x["code"] == "unknown-event"));
    let cu = uri(&cfg);
    // Broken on disk: a config-error, and the last good configuration stays.
    for broken in [
        "[events.e2\ntitle = 1",
        "\u{0}\u{ff}garbage",
        "[corpus]\ntolerance = 7\n",
    ] {
        std::fs::write(&cfg, broken).unwrap();
        let from = c.notifications.len();
        c.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": cu, "type": 2}]}),
        );
        c.diagnostics(from, &cu, |d| d.iter().any(|x| x["code"] == "config-error"));
    }
    // Not UTF-8 at all, and deleted.
    std::fs::write(&cfg, b"\xff\xfe\xfd").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": cu, "type": 2}]}),
    );
    std::fs::remove_file(&cfg).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": cu, "type": 3}]}),
    );
    // Fixed on disk: the error clears and the new configuration applies (e2 now known).
    std::fs::write(&cfg, "[events.e2]\ntitle = \"Fighters\"\n").unwrap();
    let from = c.notifications.len();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": cu, "type": 1}]}),
    );
    c.diagnostics(from, &cu, |d| d.is_empty());
    c.diagnostics(from, &au, |d| {
        !d.iter().any(|x| x["code"] == "unknown-event")
    });
    // Broken and fixed in the editor, keystroke by keystroke.
    let good = std::fs::read_to_string(&cfg).unwrap();
    c.open_text(&cu, &good, 1);
    let from = c.notifications.len();
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": cu, "version": 2}, "contentChanges": [{"text": "[events.e2\n"}]}));
    c.diagnostics(from, &cu, |d| d.iter().any(|x| x["code"] == "config-error"));
    let from = c.notifications.len();
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": cu, "version": 3}, "contentChanges": [{"text": good.clone()}]}));
    c.diagnostics(from, &cu, |d| d.is_empty());
    assert_eq!(c.shutdown(), 0);
    assert_eq!(
        std::fs::read_to_string(&cfg).unwrap(),
        good,
        "the server wrote tally.toml"
    );
}

#[test]
fn the_server_never_writes_to_disk_whatever_the_analyst_does() {
    let src = lsp_support::example_corpus().expect("example corpus");
    let dir = lsp_support::temp_copy(&src);
    let before = snapshot(dir.path());
    let mut c = Client::start();
    c.initialize(&[dir.path()], true);
    c.wait_indexed();
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    names.sort();
    for p in names
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "md" || x == "toml"))
    {
        let (u, text) = c.open(p);
        let end = lsp_support::pos_at(&text, text.len(), true);
        // Everything that proposes edits: rename, code actions, completion, commands.
        for (line, ch) in [(0, 0), (5, 10), (8, 20), (12, 30), (20, 5)] {
            let pos = json!({"line": line, "character": ch});
            for (m, params) in [
                (
                    "textDocument/rename",
                    json!({"textDocument": {"uri": u}, "position": pos, "newName": "renamed-id"}),
                ),
                (
                    "textDocument/codeAction",
                    json!({"textDocument": {"uri": u}, "range": {"start": pos, "end": end}, "context": {"diagnostics": []}}),
                ),
                (
                    "textDocument/completion",
                    json!({"textDocument": {"uri": u}, "position": pos}),
                ),
                (
                    "workspace/executeCommand",
                    json!({"command": "tally.nextClaim", "arguments": [u, pos]}),
                ),
            ] {
                let id = c.send_request(m, params);
                let r = c.response(id);
                assert_ne!(r["error"]["code"], json!(-32603), "{m}: {r}");
            }
        }
        // Edits, a save notification, and a close without saving.
        c.notify("textDocument/didChange", json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": "overwritten"}]}));
        c.notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": u}, "text": "overwritten"}),
        );
        c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    }
    c.drain(Duration::from_millis(300));
    assert_eq!(c.shutdown(), 0);
    assert_eq!(before, snapshot(dir.path()), "the server changed a file");
}

#[cfg(unix)]
#[test]
fn a_fifo_named_tally_toml_does_not_freeze_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("tally.toml");
    if !Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: mkfifo unavailable");
        return;
    }
    std::fs::write(dir.path().join("good.md"), GOOD).unwrap();
    let mut c = Client::start();
    c.initialize(&[dir.path()], false);
    let (good, _) = c.open(&dir.path().join("good.md"));
    // The article is analysed with default settings; the server keeps answering.
    let diags = c.diagnostics(0, &good, |_| true);
    assert!(
        diags.iter().all(|d| d["code"] != "config-error"),
        "{diags:?}"
    );
    let h = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": good}, "position": {"line": 4, "character": 20}}),
    );
    assert!(h.is_object() || h.is_null());
    assert_eq!(c.shutdown(), 0);
}

/// A file the user may not read: run as `nobody` (the tests run as root, who reads anything).
#[cfg(unix)]
#[test]
fn an_unreadable_article_is_skipped_with_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let setpriv = Path::new("/usr/bin/setpriv");
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    if !root || !setpriv.exists() {
        eprintln!("skipped: needs root and setpriv to run tally as another user");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(dir.path().join("tally.toml"), CONFIG).unwrap();
    std::fs::write(dir.path().join("good.md"), GOOD).unwrap();
    std::fs::write(dir.path().join("secret.md"), GOOD).unwrap();
    for f in ["tally.toml", "good.md"] {
        std::fs::set_permissions(dir.path().join(f), std::fs::Permissions::from_mode(0o644))
            .unwrap();
    }
    std::fs::set_permissions(
        dir.path().join("secret.md"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    // The binary must be reachable by `nobody`: copy it into the world-readable temp dir.
    let bin = dir.path().join("tally-bin");
    std::fs::copy(env!("CARGO_BIN_EXE_tally"), &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new(setpriv)
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .args(["extract", "--json", "."])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("secret.md") && stderr.contains("skipped"),
        "{stderr}"
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let paths: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["good.md"]);
    assert_eq!(
        std::fs::metadata(dir.path().join("secret.md"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0
    );
}
