//! A narrated editor session with `tally lsp` on a copy of the reference corpus
//! (`../shared/corpus/aleppo-2016`): this file documents what the server does, step by step.
//! Skipped, with a message, when the shared corpus is absent.
#![cfg(feature = "lsp")]

mod lsp_support;

use lsp_support::{apply_edits, pos_of, shared_corpus, temp_copy, text_in, uri, Client};
use serde_json::{json, Value};

const MOA: &str = "moa-2016-12-04-siege-nears-end.md";
const DURAN_93: &str = "duran-2016-12-08-army-controls-93.md";

fn method_is(n: &Value, m: &str) -> bool {
    n["method"] == m
}

#[test]
fn an_analyst_session_on_the_aleppo_corpus() {
    let Some(src) = shared_corpus() else { return };
    let dir = temp_copy(&src);
    let root = dir.path();
    let mut c = Client::start();

    // 1. The editor starts the server with the corpus folder as its workspace, offering
    //    work-done progress and dynamic file watching. Positions stay UTF-16 (the default).
    let init = c.initialize(&[root], false);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(
        init["capabilities"]["textDocumentSync"]["change"], 2,
        "incremental sync"
    );

    // 2. Right away the editor opens an article. Its diagnostics come at once, without waiting
    //    for the rest of the corpus to be indexed.
    let (moa, moa_text) = c.open(&root.join(MOA));
    let first = c.diagnostics(0, &moa, |_| true);
    eprintln!("first diagnostics for {MOA}: {}", first.len());

    // 3. Meanwhile the server indexes the other articles in the background: it asks for a
    //    progress token, then reports begin, "n of total" and end.
    let (_, create) = (0, c.server_requests.clone());
    c.wait_indexed();
    let create = c
        .server_requests
        .iter()
        .chain(create.iter())
        .find(|r| r["method"] == "window/workDoneProgress/create")
        .cloned();
    let token = create.expect("a progress token was requested")["params"]["token"].clone();
    let progress: Vec<Value> = c
        .notifications
        .iter()
        .filter(|n| method_is(n, "$/progress") && n["params"]["token"] == token)
        .map(|n| n["params"]["value"].clone())
        .collect();
    assert_eq!(
        progress.first().map(|v| v["kind"].clone()),
        Some(json!("begin"))
    );
    assert!(
        progress
            .iter()
            .any(|v| v["kind"] == "report" && v["message"] == "5 of 5"),
        "{progress:?}"
    );
    assert_eq!(
        progress.last().map(|v| v["kind"].clone()),
        Some(json!("end"))
    );
    // The server also registered a file watcher, since the editor allows dynamic registration.
    assert!(c
        .server_requests
        .iter()
        .any(|r| r["method"] == "client/registerCapability"));

    // 4. Once the index is complete, the article's diagnostics include the conflicts between
    //    the three readings of `east-aleppo-besieged`, each pointing at the other claims.
    let diags = c.diagnostics(0, &moa, |d| {
        d.iter()
            .filter(|x| x["code"] == "conflicting-figure")
            .count()
            >= 3
    });
    let besieged: Vec<&Value> = diags
        .iter()
        .filter(|x| x["code"] == "conflicting-figure")
        .filter(|x| {
            let t = text_in(&moa_text, &x["range"], false);
            t.contains("20,000") || t.contains("270,000") || t.contains("hundred-thousands")
        })
        .collect();
    assert_eq!(besieged.len(), 3, "{diags:#?}");
    for d in &besieged {
        let related = d["relatedInformation"]
            .as_array()
            .expect("related locations");
        assert!(!related.is_empty());
        for r in related {
            assert_eq!(r["location"]["uri"], moa);
            let t = text_in(&moa_text, &r["location"]["range"], false);
            assert!(
                t.contains("20,000") || t.contains("270,000") || t.contains("hundred-thousands"),
                "{t}"
            );
        }
    }

    // 5. Hovering "some 270,000 civilians" (a no-break space after "some") shows the event and every reading of it in the
    //    corpus, the other UN reading and the 20,000 estimate included, and a summary.
    let h = c.hover(&moa, pos_of(&moa_text, "270,000 civilians", 1, false));
    let md = h["contents"]["value"].as_str().expect("markdown hover");
    eprintln!("{md}");
    assert!(md.contains("Civilians besieged in eastern Aleppo"));
    assert!(md.contains("| Source | Outlet, date | As written | Reading |"));
    assert!(md.contains("as low as 20,000"));
    assert!(md.contains("hundred-thousands civilians"));
    assert!(md.contains("◆ this"));
    assert!(md.contains("✗ conflicts"));
    assert!(md.contains("Moon of Alabama, 2016-12-04"));
    assert!(md.contains("Low **") && md.contains("median **") && md.contains("source"));
    assert_eq!(
        text_in(&moa_text, &h["range"], false),
        "some\u{a0}270,000 civilians"
    );

    // 6. Go to definition on an `event=` id jumps to its `[events.<id>]` table in tally.toml;
    //    on a `source=` id to `[sources.<id>]`.
    let toml_text = std::fs::read_to_string(root.join("tally.toml")).unwrap();
    let toml_uri = uri(&root.join("tally.toml"));
    let at_event = pos_of(
        &moa_text,
        "event=east-aleppo-besieged source=author",
        8,
        false,
    );
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": moa}, "position": at_event}),
    );
    assert_eq!(def["uri"], toml_uri);
    assert_eq!(
        text_in(&toml_text, &def["range"], false),
        "east-aleppo-besieged"
    );
    let at_source = pos_of(&moa_text, "source=un}", 8, false);
    let def = c.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": moa}, "position": at_source}),
    );
    assert_eq!(text_in(&toml_text, &def["range"], false), "un");

    // 7. References of a figure's event list every claim of it across the corpus, unopened
    //    files included: the share of eastern Aleppo held by the army is read once here and
    //    three times in The Duran of 8 December.
    let share_at = moa_text
        .find("{event=east-aleppo-government-held-share")
        .expect("share claim");
    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": moa}, "position": lsp_support::pos_at(&moa_text, share_at - 2, false),
            "context": {"includeDeclaration": false}}),
    );
    let refs = refs.as_array().unwrap();
    let duran = uri(&root.join(DURAN_93));
    assert_eq!(
        refs.iter().filter(|r| r["uri"] == moa).count(),
        1,
        "{refs:?}"
    );
    assert_eq!(
        refs.iter().filter(|r| r["uri"] == duran).count(),
        3,
        "{refs:?}"
    );
    let duran_text = std::fs::read_to_string(root.join(DURAN_93)).unwrap();
    for r in refs.iter().filter(|r| r["uri"] == duran) {
        let t = text_in(&duran_text, &r["range"], false);
        assert!(
            t.chars().any(|ch| ch.is_ascii_digit()) || !t.is_empty(),
            "{t}"
        );
    }

    // 8. The commands tally.nextClaim / tally.previousClaim walk an event's claims in corpus
    //    order (by path, then position), wrapping around.
    let here = lsp_support::pos_at(&moa_text, share_at - 2, false);
    let next = c.request(
        "workspace/executeCommand",
        json!({"command": "tally.nextClaim", "arguments": [moa, here]}),
    );
    let prev = c.request(
        "workspace/executeCommand",
        json!({"command": "tally.previousClaim", "arguments": [moa, here]}),
    );
    // duran-… sorts before moa-…: after the moa claim comes the first Duran claim (wrapping),
    // before it the last Duran claim.
    assert_eq!(next["uri"], duran);
    assert_eq!(prev["uri"], duran);
    assert_eq!(
        next,
        refs.iter().find(|r| r["uri"] == duran).cloned().unwrap()
    );
    assert_eq!(
        prev,
        refs.iter().rfind(|r| r["uri"] == duran).cloned().unwrap()
    );

    // 9. Completion inside an attribute block offers keys, then event ids with their titles
    //    and reading counts, and source ids with their names.
    let block = moa_text
        .find("]{event=east-aleppo-besieged source=author}")
        .unwrap()
        + 2;
    let keys = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": moa}, "position": lsp_support::pos_at(&moa_text, block, false)}),
    );
    let labels: Vec<&str> = keys["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(
        labels.contains(&"note=") && labels.contains(&"asof="),
        "{labels:?}"
    );
    let events = c.request("textDocument/completion", json!({"textDocument": {"uri": moa}, "position": lsp_support::pos_at(&moa_text, block + "event=east".len(), false)}));
    let item = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "east-aleppo-besieged")
        .cloned()
        .expect("event item");
    assert!(
        item["detail"]
            .as_str()
            .unwrap()
            .contains("Civilians besieged in eastern Aleppo · 3 readings"),
        "{item}"
    );
    // What is typed after `event=` narrows the list: only ids or titles containing "east",
    // where nothing typed lists events without it too.
    let all = c.request("textDocument/completion", json!({"textDocument": {"uri": moa}, "position": lsp_support::pos_at(&moa_text, block + "event=".len(), false)}));
    let count = |v: &serde_json::Value| v["items"].as_array().unwrap().len();
    assert!(
        count(&all) > count(&events),
        "{} vs {}",
        count(&all),
        count(&events)
    );
    assert_eq!(events["isIncomplete"], false);
    for i in events["items"].as_array().unwrap() {
        let (label, detail) = (i["label"].as_str().unwrap(), i["detail"].as_str().unwrap());
        assert!(
            label.contains("east") || detail.to_lowercase().contains("east"),
            "{label}: {detail}"
        );
    }
    let src_at = block + "event=east-aleppo-besieged source=".len();
    let sources = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": moa}, "position": lsp_support::pos_at(&moa_text, src_at, false)}),
    );
    let item = sources["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "ru-mod")
        .cloned()
        .expect("source item");
    assert!(item["detail"]
        .as_str()
        .unwrap()
        .contains("Russian Defence Ministry"));

    // 10. Rename an event id: every `event=` in every article (opened or not) and the
    //     definition in tally.toml, including `part_of` references, change together.
    let at = moa_text.find("event=east-aleppo-surrenders-total").unwrap() + "event=".len() + 3;
    let pr = c.request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": moa}, "position": lsp_support::pos_at(&moa_text, at, false)}),
    );
    assert_eq!(pr["placeholder"], "east-aleppo-surrenders-total");
    assert_eq!(
        text_in(&moa_text, &pr["range"], false),
        "east-aleppo-surrenders-total"
    );
    // Anything else is refused.
    let id = c.send_request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": moa}, "position": pos_of(&moa_text, "This is the situation", 3, false)}),
    );
    assert!(c.response(id).get("error").is_some());
    let edit = c.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": moa}, "position": lsp_support::pos_at(&moa_text, at, false), "newName": "surrendered-total"}),
    );
    let changes = edit["changes"].as_object().expect("changes");
    assert_eq!(
        changes.len(),
        3,
        "moa, the Duran of 8 December and tally.toml: {edit}"
    );
    let renamed_toml = apply_edits(&toml_text, changes[&toml_uri].as_array().unwrap(), false);
    assert!(renamed_toml.contains("[events.surrendered-total]"));
    assert!(renamed_toml.contains("part_of = \"surrendered-total\""));
    assert!(!renamed_toml.contains("east-aleppo-surrenders-total"));
    for (u, text) in [(&moa, &moa_text), (&duran, &duran_text)] {
        let after = apply_edits(text, changes[u.as_str()].as_array().unwrap(), false);
        assert!(
            after.contains("event=surrendered-total")
                && !after.contains("east-aleppo-surrenders-total")
        );
    }

    // 11. The analyst types a sentence with a new figure. Diagnostics follow the edit (and
    //     carry the document version they were computed for).
    let at = moa_text.find("This is the situation").unwrap();
    let typed = "The UN said 30,000 civilians were besieged there. ";
    let p0 = lsp_support::pos_at(&moa_text, at, false);
    let mark = c.notifications.len();
    let text2 = c.change(
        &moa,
        2,
        &moa_text,
        &[json!({"range": {"start": p0, "end": p0}, "newText": typed})],
    );
    c.diagnostics_at(mark, &moa, 2);
    // A code action annotates the unannotated figure with the likeliest event (and the
    // source tally detected). Applying it re-checks the article: the new reading conflicts
    // with the Moon of Alabama's own estimate.
    let fig = pos_of(&text2, "30,000 civilians", 2, false);
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": moa}, "range": {"start": fig, "end": fig}, "context": {"diagnostics": []}}),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    let annotate = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Annotate as `east-aleppo-besieged`"))
        })
        .unwrap_or_else(|| panic!("no annotate action: {titles:?}"))
        .clone();
    assert!(titles.iter().any(|t| t.contains(".ignore")), "{titles:?}");
    let edits = annotate["edit"]["changes"][&moa]
        .as_array()
        .unwrap()
        .clone();
    let mark = c.notifications.len();
    let text3 = c.change(&moa, 3, &text2, &edits);
    assert!(
        text3.contains("[30,000 civilians]{event=east-aleppo-besieged"),
        "{}",
        &text3[at..at + 120]
    );
    let diags = c.diagnostics_at(mark, &moa, 3);
    assert!(
        diags.iter().any(|d| d["code"] == "conflicting-figure"
            && text_in(&text3, &d["range"], false) == "30,000 civilians"),
        "{diags:#?}"
    );

    // 12. Closing the article clears its diagnostics.
    let mark = c.notifications.len();
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": moa}}),
    );
    c.diagnostics(mark, &moa, |d| d.is_empty());

    assert_eq!(c.shutdown(), 0);
}
