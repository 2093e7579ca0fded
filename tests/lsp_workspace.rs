//! `tally lsp` with several workspace folders: one corpus per root, each with its own
//! `tally.toml` (or the defaults), indexed in the background with progress.
#![cfg(feature = "lsp")]

mod lsp_support;

use lsp_support::{pos_of, uri, Client};
use serde_json::json;

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn each_workspace_folder_is_its_own_corpus() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    write(
        a.path(),
        "tally.toml",
        "[events.shared-id]\ntitle = \"Alpha event\"\nunit = \"people\"\n",
    );
    write(
        b.path(),
        "tally.toml",
        "[events.shared-id]\ntitle = \"Beta event\"\nunit = \"people\"\n",
    );
    let article = "---\ntitle: T\ndate: 2016-12-01\n---\nThe UN said [about 500 fighters]{event=shared-id} left.\n";
    write(a.path(), "one.md", article);
    write(a.path(), "two.md", article);
    write(b.path(), "three.md", article);
    // A folder without tally.toml still works, with default settings.
    let plain = tempfile::tempdir().unwrap();
    write(
        plain.path(),
        "loose.md",
        "Officials said [1,200 people]{event=loose-event} fled.\n",
    );

    let mut c = Client::start();
    c.initialize(&[a.path(), b.path(), plain.path()], false);
    // Three progress sequences, one per corpus, each ending.
    let mut from = 0;
    for _ in 0..3 {
        let (i, _) = c.wait_from(from, "a progress end", |n| {
            n["method"] == "$/progress" && n["params"]["value"]["kind"] == "end"
        });
        from = i + 1;
    }
    let (ua, ta) = c.open(&a.path().join("one.md"));
    let (ub, tb) = c.open(&b.path().join("three.md"));
    let ha = c.hover(&ua, pos_of(&ta, "500", 0, false));
    let hb = c.hover(&ub, pos_of(&tb, "500", 0, false));
    let (ma, mb) = (
        ha["contents"]["value"].as_str().unwrap(),
        hb["contents"]["value"].as_str().unwrap(),
    );
    assert!(ma.contains("Alpha event") && !ma.contains("Beta"), "{ma}");
    assert!(mb.contains("Beta event") && !mb.contains("Alpha"), "{mb}");
    // References stay inside the corpus: two claims in A, one in B.
    let refs = |c: &mut Client, u: &str, t: &str| {
        let r = c.request(
            "textDocument/references",
            json!({"textDocument": {"uri": u}, "position": pos_of(t, "500", 0, false), "context": {"includeDeclaration": false}}),
        );
        r.as_array().unwrap().len()
    };
    assert_eq!(refs(&mut c, &ua, &ta), 2);
    assert_eq!(refs(&mut c, &ub, &tb), 1);
    // The loose folder's article is analysed with the defaults.
    let (ul, tl) = c.open(&plain.path().join("loose.md"));
    let hl = c.hover(&ul, pos_of(&tl, "1,200", 0, false));
    assert!(hl["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("loose-event"));
    let ws = c.request("workspace/symbol", json!({"query": ""}));
    assert_eq!(
        ws.as_array()
            .unwrap()
            .iter()
            .filter(|s| s["name"] == "shared-id")
            .count(),
        2
    );
    assert_eq!(uri(&a.path().join("one.md")), ua);
    // A document that is no file (an unsaved buffer) is analysed on its own.
    let scratch = "The UN said [about 500 fighters]{event=shared-id} left.\n";
    c.open_text("untitled:Untitled-1", scratch, 1);
    let h = c.hover("untitled:Untitled-1", pos_of(scratch, "500", 0, false));
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("shared-id"),
        "{h}"
    );
    c.diagnostics(0, "untitled:Untitled-1", |_| true);

    assert_eq!(c.shutdown(), 0);
}
