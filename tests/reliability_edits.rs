//! Edit fidelity (issue 6): thousands of random incremental edits sent through the real
//! `tally lsp`, in UTF-16 and in UTF-8 positions; after every batch the server's text
//! (`tally/documentText`) must equal the editor's, byte for byte.
//!
//! The edits are what editors send: inserts, deletes, replacements, batches of several changes
//! (each against the text the previous one left, as LSP says), whole-document replacements,
//! CRLF / CR / LF line ends (including edits that join a `\r` and a `\n` into one line break),
//! Arabic, emoji and other astral characters, combining marks and no-break spaces. Between
//! batches, random requests at random (and out-of-range) positions make the server analyse the
//! half-edited text; none may fail with an internal error.
//!
//! `TALLY_EDIT_BATCHES=N` sets the batches per encoding (default 2000); `TALLY_EDIT_SEED=S` the seed.
#![cfg(feature = "lsp")]

mod lsp_support;

use lsp_support::{uri, Client};
use serde_json::{json, Value};

const CONFIG: &str = "[sources.un]\nname = \"United Nations\"\naliases = [\"UN\"]\n\n[events.e1]\ntitle = \"People who fled\"\nunit = \"people\"\n";

/// What random text is made of.
const PIECES: &[&str] = &[
    "a",
    "b ",
    "word ",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "1,217 people",
    "about 500 fighters",
    "93%",
    "said",
    "according to the UN, ",
    "محمد",
    "٣٬٢٠٠",
    "😀",
    "🇸🇾",
    "𝔘",
    "\u{a0}",
    "\u{202f}",
    "é",
    "e\u{301}",
    "—",
    "“",
    "”",
    "[5 people]{event=e1}",
    "[",
    "]",
    "{",
    "}",
    "{source=un}",
    "\"",
    "\\[",
    "---\n",
    "title: X\n",
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
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The LSP position of a byte offset: lines end at `\n`, `\r\n` or `\r`; the character counts
/// UTF-16 code units or UTF-8 bytes.
fn position(text: &str, at: usize, utf8: bool) -> Value {
    let b = text.as_bytes();
    let (mut line, mut start, mut i) = (0, 0, 0);
    while i < at {
        match b[i] {
            b'\n' => {
                line += 1;
                start = i + 1;
            }
            b'\r' if b.get(i + 1) == Some(&b'\n') => {
                if i + 1 == at {
                    break; // between \r and \n: not a position an editor has (never generated)
                }
                line += 1;
                i += 1;
                start = i + 1;
            }
            b'\r' => {
                line += 1;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let col = if utf8 {
        at - start
    } else {
        text[start..at].encode_utf16().count()
    };
    json!({"line": line, "character": col})
}

/// Whether an offset falls between the `\r` and the `\n` of a CRLF.
fn in_crlf(text: &str, at: usize) -> bool {
    let b = text.as_bytes();
    at > 0 && at < b.len() && b[at - 1] == b'\r' && b[at] == b'\n'
}

/// A random offset where an editor's cursor can be: a character start, not inside `\r\n`.
fn cursor(text: &str, rng: &mut Rng) -> usize {
    let mut at = rng.below(text.len() + 1);
    loop {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        if in_crlf(text, at) {
            at -= 1;
            continue;
        }
        return at;
    }
}

fn random_text(rng: &mut Rng, pieces: usize) -> String {
    (0..pieces)
        .map(|_| PIECES[rng.below(PIECES.len())])
        .collect()
}

/// A random request at a random position (sometimes past the end of its line or the text).
fn random_request(
    c: &mut Client,
    rng: &mut Rng,
    u: &str,
    text: &str,
    utf8: bool,
) -> (String, Value) {
    let mut pos = position(text, cursor(text, rng), utf8);
    if rng.below(5) == 0 {
        pos["character"] = json!(pos["character"].as_u64().unwrap() + rng.below(50) as u64);
    }
    if rng.below(10) == 0 {
        pos["line"] = json!(pos["line"].as_u64().unwrap() + rng.below(5) as u64);
    }
    let end = position(text, text.len(), utf8);
    let td = json!({"uri": u});
    let (method, params) = match rng.below(13) {
        0 => (
            "textDocument/hover",
            json!({"textDocument": td, "position": pos}),
        ),
        1 => (
            "textDocument/definition",
            json!({"textDocument": td, "position": pos}),
        ),
        2 => (
            "textDocument/references",
            json!({"textDocument": td, "position": pos, "context": {"includeDeclaration": true}}),
        ),
        3 => (
            "textDocument/documentHighlight",
            json!({"textDocument": td, "position": pos}),
        ),
        4 => (
            "textDocument/prepareRename",
            json!({"textDocument": td, "position": pos}),
        ),
        5 => (
            "textDocument/rename",
            json!({"textDocument": td, "position": pos, "newName": "e2"}),
        ),
        6 => (
            "textDocument/completion",
            json!({"textDocument": td, "position": pos}),
        ),
        7 => (
            "textDocument/codeAction",
            json!({"textDocument": td, "range": {"start": pos, "end": end}, "context": {"diagnostics": []}}),
        ),
        8 => (
            "textDocument/inlayHint",
            json!({"textDocument": td, "range": {"start": {"line": 0, "character": 0}, "end": end}}),
        ),
        9 => (
            "textDocument/semanticTokens/full",
            json!({"textDocument": td}),
        ),
        10 => ("textDocument/documentSymbol", json!({"textDocument": td})),
        11 => ("textDocument/codeLens", json!({"textDocument": td})),
        _ => (
            "workspace/executeCommand",
            json!({"command": "tally.nextClaim", "arguments": [u, pos]}),
        ),
    };
    let id = c.send_request(method, params);
    (method.to_string(), c.response(id))
}

/// Run `batches` random edit batches on one document; returns the number of single edits.
fn edit_session(utf8: bool, batches: usize, seed: u64) -> usize {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tally.toml"), CONFIG).unwrap();
    let path = dir.path().join("live.md");
    let mut rng = Rng(seed | 1);
    let mut text = format!(
        "---\r\ntitle: Live\r\ndate: 2016-12-10\r\n---\r\n{}",
        random_text(&mut rng, 40)
    );
    std::fs::write(&path, &text).unwrap();
    let mut c = Client::start();
    c.initialize(&[dir.path()], utf8);
    let u = uri(&path);
    c.open_text(&u, &text, 1);
    let mut edits = 0;
    for batch in 0..batches {
        let version = batch as i64 + 2;
        let mut changes = Vec::new();
        for _ in 0..1 + rng.below(4) {
            edits += 1;
            if rng.below(200) == 0 {
                text = random_text(&mut rng, 30);
                changes.push(json!({"text": text}));
                continue;
            }
            let a = cursor(&text, &mut rng);
            let kind = rng.below(3);
            let b = if kind == 0 {
                a // insert
            } else {
                // delete or replace: up to a few characters, sometimes a large stretch
                let span = if text.len() > 3000 || rng.below(30) == 0 {
                    rng.below(text.len() - a + 1)
                } else {
                    rng.below(12)
                };
                let mut b = (a + span).min(text.len());
                loop {
                    while !text.is_char_boundary(b) {
                        b += 1;
                    }
                    if in_crlf(&text, b) {
                        b += 1;
                        continue;
                    }
                    break;
                }
                b
            };
            let pieces = 1 + rng.below(3);
            let new = if kind == 1 {
                String::new()
            } else {
                random_text(&mut rng, pieces)
            };
            let range = json!({"start": position(&text, a, utf8), "end": position(&text, b, utf8)});
            text.replace_range(a..b, &new);
            changes.push(json!({"range": range, "text": new}));
        }
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": version}, "contentChanges": changes}),
        );
        let got = c.request("tally/documentText", json!({"textDocument": {"uri": u}}));
        assert_eq!(got["version"], json!(version), "batch {batch}: version");
        if got["text"].as_str() != Some(text.as_str()) {
            panic!(
                "batch {batch} ({} encoding): the server's text differs from the editor's\nchanges: {}\neditor: {:?}\nserver: {:?}",
                if utf8 { "UTF-8" } else { "UTF-16" },
                Value::Array(changes),
                text,
                got["text"]
            );
        }
        if rng.below(8) == 0 {
            let (method, r) = random_request(&mut c, &mut rng, &u, &text, utf8);
            assert!(
                r["error"]["code"] != json!(-32603),
                "batch {batch}: {method} failed inside the server: {r}\ntext: {text:?}"
            );
        }
    }
    // Still serving, and the final text's diagnostics arrive for the last version.
    let last = batches as i64 + 1;
    let from = 0;
    c.diagnostics_at(from, &u, last);
    assert_eq!(c.shutdown(), 0);
    // The server never wrote the editor's text to disk.
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .starts_with("---\r\ntitle: Live"));
    edits
}

fn batches() -> usize {
    std::env::var("TALLY_EDIT_BATCHES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000)
}

fn seed() -> u64 {
    std::env::var("TALLY_EDIT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed)
}

#[test]
fn random_edit_batches_keep_the_server_text_equal_to_the_editor_text_utf16() {
    let n = edit_session(false, batches(), seed());
    eprintln!("UTF-16: {n} edits in {} batches", batches());
}

#[test]
fn random_edit_batches_keep_the_server_text_equal_to_the_editor_text_utf8() {
    let n = edit_session(true, batches(), seed() ^ 0xabcdef);
    eprintln!("UTF-8: {n} edits in {} batches", batches());
}

/// The open `tally.toml` is edited the same way (the server keeps its rope too).
#[test]
fn random_edits_to_an_open_tally_toml_keep_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tally.toml");
    std::fs::write(&path, CONFIG).unwrap();
    let mut c = Client::start();
    c.initialize(&[dir.path()], false);
    let u = uri(&path);
    let mut text = CONFIG.replace('\n', "\r\n");
    c.open_text(&u, &text, 1);
    let mut rng = Rng(seed() ^ 0x70_6d6c);
    for batch in 0..300 {
        let a = cursor(&text, &mut rng);
        let mut b = (a + rng.below(6)).min(text.len());
        while !text.is_char_boundary(b) || in_crlf(&text, b) {
            b += 1;
        }
        let new = [
            "x",
            "\"",
            "[",
            "]",
            "=",
            "\r\n",
            "😀",
            "محمد",
            "events.e2",
            "0.5",
            "",
        ][rng.below(11)];
        let range = json!({"start": position(&text, a, false), "end": position(&text, b, false)});
        text.replace_range(a..b, new);
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": batch + 2}, "contentChanges": [{"range": range, "text": new}]}),
        );
        let got = c.request("tally/documentText", json!({"uri": u}));
        assert_eq!(got["text"].as_str(), Some(text.as_str()), "batch {batch}");
        if batch % 25 == 0 {
            c.drain(std::time::Duration::from_millis(60)); // let the debounced re-parse run
        }
    }
    assert_eq!(c.shutdown(), 0);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        CONFIG,
        "the server wrote tally.toml"
    );
}
