//! `tally lsp`: edits are applied in the order sent, and positions are UTF-16 (or UTF-8 when
//! negotiated) on lines with Arabic text and emoji.
#![cfg(feature = "lsp")]

mod lsp_support;

use lsp_support::{pos_of, text_in, uri, Client};
use serde_json::{json, Value};

const CONFIG: &str = "[sources.un]\nname = \"United Nations\"\naliases = [\"UN\"]\n\n[events.fighters-left]\ntitle = \"Fighters who left\"\nunit = \"people\"\n";

/// A corpus of one config in a temp dir.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tally.toml"), CONFIG).unwrap();
    dir
}

/// A tiny deterministic generator.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn char_boundary_at(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[test]
fn a_thousand_rapid_edits_interleaved_with_hovers_arrive_in_order() {
    let dir = corpus();
    let mut c = Client::start();
    c.initialize(&[dir.path()], false);
    let path = dir.path().join("live.md");
    let u = uri(&path);
    let mut text = String::from(
        "---\ntitle: Live\ndate: 2016-12-10\n---\nمحمد 😀 said [about 500 fighters]{event=fighters-left} left.\n",
    );
    c.open_text(&u, &text, 1);
    let mut rng = Lcg(7);
    let inserts = ["x", "٣", "😀", "\n", "", "1,217 militants ", "عرب", "é"];
    let mut hovers = Vec::new();
    for i in 0..1000 {
        let a = char_boundary_at(&text, rng.next(text.len() + 1));
        let b = char_boundary_at(&text, (a + rng.next(4)).min(text.len()));
        let b = if b < a { a } else { b };
        let new = inserts[rng.next(inserts.len())];
        let range = json!({"start": lsp_support::pos_at(&text, a, false), "end": lsp_support::pos_at(&text, b, false)});
        text.replace_range(a..b, new);
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": i + 2}, "contentChanges": [{"range": range, "text": new}]}),
        );
        if i % 10 == 0 {
            // Requests between edits must see the edits before them, and not stall them.
            let p =
                lsp_support::pos_at(&text, char_boundary_at(&text, rng.next(text.len())), false);
            hovers.push(c.send_request(
                "textDocument/hover",
                json!({"textDocument": {"uri": u}, "position": p}),
            ));
        }
    }
    for id in hovers {
        let r = c.response(id);
        assert!(r.get("error").is_none(), "hover failed: {r}");
    }
    let state = c.request("tally/documentText", json!({"uri": u}));
    assert_eq!(state["version"], 1001);
    assert_eq!(
        state["text"].as_str().unwrap(),
        text,
        "the server's text differs from the editor's"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn positions_on_a_line_with_arabic_and_emoji_are_utf16_unless_utf8_is_negotiated() {
    let text = "---\ntitle: Line\ndate: 2016-12-10\n---\nقال محمد 😀😀 إن [about 500 fighters]{event=fighters-left source=un} left, the UN said.\n";
    for utf8 in [false, true] {
        let dir = corpus();
        let path = dir.path().join("arabic.md");
        std::fs::write(&path, text).unwrap();
        let mut c = Client::start();
        let init = c.initialize(&[dir.path()], utf8);
        assert_eq!(
            init["capabilities"]["positionEncoding"],
            if utf8 { "utf-8" } else { "utf-16" }
        );
        let (u, _) = c.open(&path);
        let at = pos_of(text, "500", 1, utf8);
        // UTF-16 counts the emoji as 2 units each and each Arabic letter as 1; UTF-8 counts bytes.
        let expected_col = if utf8 {
            text.lines().nth(4).unwrap().find("500").unwrap() + 1
        } else {
            25
        };
        assert_eq!(at["character"], expected_col as u64);
        let h = c.hover(&u, at);
        assert!(
            h.is_object(),
            "no hover on the figure ({}): {h}",
            if utf8 { "utf-8" } else { "utf-16" }
        );
        assert_eq!(text_in(text, &h["range"], utf8), "about 500 fighters");
        // Out-of-range positions are clamped, never an error.
        let far = c.hover(&u, json!({"line": 4, "character": 10_000}));
        assert!(far.is_null() || far.is_object());
        let past = c.hover(&u, json!({"line": 99, "character": 0}));
        assert!(past.is_null() || past.is_object());
        // Inlay hints land right after the figure.
        let hints = c.request(
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": u}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}}),
        );
        let hint = hints
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["label"] == "≈450–550")
            .cloned();
        let hint = hint.unwrap_or_else(|| panic!("no ≈450–550 hint: {hints}"));
        let end = pos_of(text, "]{event", 0, utf8);
        assert_eq!(hint["position"], end);
        assert_eq!(c.shutdown(), 0);
    }
}

#[test]
fn incremental_edits_in_utf16_split_no_surrogate_pair() {
    let dir = corpus();
    let mut c = Client::start();
    c.initialize(&[dir.path()], false);
    let u = uri(&dir.path().join("emoji.md"));
    c.open_text(&u, "a😀b\n", 1);
    // Replace the emoji (2 UTF-16 units) by "٣"; then insert at a position inside a pair,
    // which snaps to the start of the character.
    let edit = |v: i64, s: u32, e: u32, t: &str| {
        json!({"textDocument": {"uri": u, "version": v},
            "contentChanges": [{"range": {"start": {"line": 0, "character": s}, "end": {"line": 0, "character": e}}, "text": t}]})
    };
    c.notify("textDocument/didChange", edit(2, 1, 3, "٣"));
    c.notify("textDocument/didChange", edit(3, 3, 3, "😀"));
    c.notify("textDocument/didChange", edit(4, 4, 4, "!"));
    let state: Value = c.request("tally/documentText", json!({"textDocument": {"uri": u}}));
    assert_eq!(state["text"], "a٣b!😀\n");
    assert_eq!(c.shutdown(), 0);
}
