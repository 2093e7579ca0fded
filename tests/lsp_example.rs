//! `tally lsp` on the repository's example corpus (`examples/aleppo-evacuation`), in UTF-8
//! positions: conflicts across open articles, live `tally.toml` edits, settings overrides,
//! watched files, and the smaller features (symbols, lenses, tokens, highlights).
#![cfg(feature = "lsp")]

mod lsp_support;

use lsp_support::{example_corpus, pos_of, temp_copy, text_in, uri, Client};
use serde_json::{json, Value};

const UN: &str = "humanitarian-dispatch-2016-12-09-shelters.md";
const BLOG: &str = "aleppo-notebook-2016-12-14-how-many.md";
const WIRE: &str = "levant-wire-2016-12-08-ministry.md";

fn conflicts(d: &[Value]) -> usize {
    d.iter()
        .filter(|x| x["code"] == "conflicting-figure")
        .count()
}

#[test]
fn the_example_corpus_in_an_editor() {
    let Some(src) = example_corpus() else { return };
    let dir = temp_copy(&src);
    let root = dir.path();
    let mut c = Client::start();
    let init = c.initialize(&[root], true);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    c.wait_indexed();

    // Two articles that disagree on the besieged population are open: each shows the
    // conflict, with related information pointing into the other file.
    let (un, un_text) = c.open(&root.join(UN));
    let (blog, blog_text) = c.open(&root.join(BLOG));
    let d_un = c.diagnostics(0, &un, |d| conflicts(d) > 0);
    let d_blog = c.diagnostics(0, &blog, |d| conflicts(d) > 0);
    let x = d_un
        .iter()
        .find(|x| x["code"] == "conflicting-figure")
        .unwrap();
    assert_eq!(text_in(&un_text, &x["range"], true), "some 250,000 people");
    assert!(x["relatedInformation"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["location"]["uri"] == blog));
    let x = d_blog
        .iter()
        .find(|x| x["code"] == "conflicting-figure")
        .unwrap();
    assert!(x["relatedInformation"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["location"]["uri"] == un));

    // An edit in one article that removes the conflict refreshes the other open article too.
    let at = pos_of(&blog_text, "about 30,000", 6, true);
    let end = pos_of(&blog_text, "about 30,000", 12, true);
    let mark = c.notifications.len();
    let blog2 = c.change(
        &blog,
        2,
        &blog_text,
        &[json!({"range": {"start": at, "end": end}, "newText": "250,000"})],
    );
    c.diagnostics(mark, &un, |d| conflicts(d) == 0);
    c.diagnostics(mark, &blog, |d| conflicts(d) == 0);
    // And putting it back brings the conflict back in both.
    let mark = c.notifications.len();
    let at = pos_of(&blog2, "about 250,000", 6, true);
    let end = pos_of(&blog2, "about 250,000", 13, true);
    c.change(
        &blog,
        3,
        &blog2,
        &[json!({"range": {"start": at, "end": end}, "newText": "30,000"})],
    );
    c.diagnostics(mark, &un, |d| conflicts(d) > 0);
    c.diagnostics(mark, &blog, |d| conflicts(d) > 0);

    // `tally.toml` edits reconfigure live. A broken file keeps the last good configuration
    // and shows a config-error in tally.toml; turning a code off removes its diagnostics.
    let toml_path = root.join("tally.toml");
    let toml_uri = uri(&toml_path);
    let toml_text = std::fs::read_to_string(&toml_path).unwrap();
    c.open_text(&toml_uri, &toml_text, 1);
    let mark = c.notifications.len();
    let broken = format!("{toml_text}\n[events.oops\n");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": toml_uri, "version": 2}, "contentChanges": [{"text": broken}]}),
    );
    let errs = c.diagnostics(mark, &toml_uri, |d| !d.is_empty());
    assert_eq!(errs[0]["code"], "config-error");
    assert_eq!(errs[0]["severity"], 1);
    let h = c.hover(&un, pos_of(&un_text, "250,000 people", 1, true));
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Civilians living under siege"),
        "the last good config stays"
    );
    let mark = c.notifications.len();
    let off = toml_text.replace(
        "unsourced-figure = \"warning\"",
        "unsourced-figure = \"warning\"\nconflicting-figure = \"off\"",
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": toml_uri, "version": 3}, "contentChanges": [{"text": off}]}),
    );
    c.diagnostics(mark, &toml_uri, |d| d.is_empty());
    c.diagnostics(mark, &un, |d| conflicts(d) == 0);
    let mark = c.notifications.len();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": toml_uri, "version": 4}, "contentChanges": [{"text": toml_text}]}),
    );
    c.diagnostics(mark, &un, |d| conflicts(d) > 0);

    // Client settings override severities (workspace/didChangeConfiguration).
    let mark = c.notifications.len();
    c.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"tally": {"diagnostics": {"conflicting-figure": "error"}}}}),
    );
    let d = c.diagnostics(mark, &un, |d| {
        d.iter()
            .any(|x| x["code"] == "conflicting-figure" && x["severity"] == 1)
    });
    assert!(conflicts(&d) > 0);

    // An article written on disk by another tool is picked up through watched files.
    let extra = root.join("zz-later-2016-12-20-recount.md");
    std::fs::write(&extra, "---\ntitle: Recount\noutlet: Later\ndate: 2016-12-20\n---\nThe UN now says [about 240,000 people]{event=east-aleppo-besieged source=un} had lived in the east.\n").unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&extra), "type": 1}]}),
    );
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": un}, "position": pos_of(&un_text, "250,000 people", 1, true), "context": {"includeDeclaration": true}}),
    );
    let refs = refs.as_array().unwrap();
    assert!(refs.iter().any(|r| r["uri"] == uri(&extra)), "{refs:?}");
    assert!(
        refs.iter().any(|r| r["uri"] == toml_uri),
        "the declaration is included"
    );
    assert!(refs.iter().any(|r| r["uri"] == blog));

    // Symbols: the article's claims grouped by event; the corpus's events and sources.
    let syms = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": un}}),
    );
    assert!(syms
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == "east-aleppo-besieged"
            && s["children"].as_array().is_some_and(|c| !c.is_empty())));
    let ws = c.request("workspace/symbol", json!({"query": "besieged"}));
    assert!(ws
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == "east-aleppo-besieged" && s["location"]["uri"] == toml_uri));
    let ws = c.request("workspace/symbol", json!({"query": "observatory"}));
    assert!(ws.as_array().unwrap().iter().any(|s| s["name"] == "sohr"));

    // Code lenses count readings and conflicts; highlights mark this article's claims of the
    // event under the cursor; semantic tokens come in fives.
    let lenses = c.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": un}}),
    );
    let titles: Vec<&str> = lenses
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["command"]["title"].as_str())
        .collect();
    assert!(titles.contains(&"3 readings · 1 conflict"), "{titles:?}");
    let hl = c.request(
        "textDocument/documentHighlight",
        json!({"textDocument": {"uri": un}, "position": pos_of(&un_text, "250,000 people", 1, true)}),
    );
    assert_eq!(hl.as_array().unwrap().len(), 1);
    let toks = c.request(
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": un}}),
    );
    let data = toks["data"].as_array().unwrap();
    assert!(!data.is_empty() && data.len() % 5 == 0);

    // Completion of `value=` offers the forms, prefilled with the figure's value.
    let wire_path = root.join(WIRE);
    let (wire, wire_text) = c.open(&wire_path);
    let p = pos_of(
        &wire_text,
        "{event=east-aleppo-surrenders-dec7}",
        "{event=east-aleppo-surrenders-dec7".len(),
        true,
    );
    let mark = c.notifications.len();
    let p_end = p.clone();
    let wire2 = c.change(
        &wire,
        2,
        &wire_text,
        &[json!({"range": {"start": p, "end": p_end}, "newText": " value="})],
    );
    let at = pos_of(&wire2, " value=}", 7, true);
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": wire}, "position": at}),
    );
    let labels: Vec<&str> = items["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(
        labels.contains(&"1200") && labels.contains(&">=1200") && labels.contains(&"~1200"),
        "{labels:?}"
    );
    let _ = mark;

    // An unknown event id can be defined in tally.toml by a code action.
    let at = pos_of(&wire2, "east-aleppo-commanders-surrendered-dec7", 0, true);
    let end = pos_of(
        &wire2,
        "east-aleppo-commanders-surrendered-dec7",
        "east-aleppo-commanders-surrendered-dec7".len(),
        true,
    );
    let mark = c.notifications.len();
    let wire3 = c.change(
        &wire,
        3,
        &wire2,
        &[json!({"range": {"start": at, "end": end}, "newText": "commanders-questioned"})],
    );
    let d = c.diagnostics_at(mark, &wire, 3);
    assert!(d.iter().any(|x| x["code"] == "unknown-event"), "{d:#?}");
    let fig = pos_of(&wire3, "four commanders", 2, true);
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": wire}, "range": {"start": fig, "end": fig}, "context": {"diagnostics": []}}),
    );
    let define = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Define event `commanders-questioned` in tally.toml")
        .unwrap_or_else(|| panic!("{actions:#}"))
        .clone();
    let edits = define["edit"]["changes"][&toml_uri]
        .as_array()
        .unwrap()
        .clone();
    let mark = c.notifications.len();
    let toml2 = c.change(&toml_uri, 5, &toml_text, &edits);
    assert!(toml2.contains("[events.commanders-questioned]"));
    c.diagnostics(mark, &wire, |d| {
        !d.iter().any(|x| x["code"] == "unknown-event")
    });

    // README.md is excluded by `exclude = ["README.md"]`: not an article, so no hover.
    let (readme, readme_text) = c.open(&root.join("README.md"));
    let h = c.hover(&readme, pos_of(&readme_text, "250,000", 1, true));
    assert!(h.is_null(), "{h}");

    assert_eq!(c.shutdown(), 0);
}

#[test]
fn shutdown_exit_and_requests_out_of_order_of_lifecycle() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Client::start();
    // Before initialize, requests are refused with ServerNotInitialized.
    let id = c.send_request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///x.md"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(c.response(id)["error"]["code"], -32002);
    c.initialize(&[dir.path()], false);
    // Unknown methods get MethodNotFound; malformed params never crash the server.
    let id = c.send_request("tally/nothing", json!({}));
    assert_eq!(c.response(id)["error"]["code"], -32601);
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": 42}, "position": "nowhere"}),
    );
    assert!(r.is_null());
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": "file:///not/open.md"}, "contentChanges": [{"range": {"start": {"line": 5, "character": 2}}, "text": "x"}]}));
    c.notify("$/cancelRequest", json!({"id": 1}));
    assert_eq!(c.shutdown(), 0);
}
