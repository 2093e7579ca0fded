//! Protocol abuse (issue 6): everything an editor, a broken plugin or a dying editor can send
//! `tally lsp`, each against the real binary. The server answers what it can, ignores what it
//! must, and keeps serving; it exits only on `exit` or the end of its input.
#![cfg(feature = "lsp")]

mod lsp_support;

use std::time::Duration;

use lsp_support::{uri, Client, TIMEOUT};
use serde_json::{json, Value};

const ARTICLE: &str = "---\ntitle: Test\ndate: 2016-12-10\n---\nThe UN said [about 500 fighters]{event=e1} left. محمد 😀 saw 1,217 people.\n";

fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tally.toml"),
        "[events.e1]\ntitle = \"Fighters\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.md"), ARTICLE).unwrap();
    dir
}

fn started(dir: &tempfile::TempDir) -> (Client, String) {
    let mut c = Client::start();
    c.initialize(&[dir.path()], false);
    let u = uri(&dir.path().join("a.md"));
    c.open_text(&u, ARTICLE, 1);
    (c, u)
}

fn error_code(r: &Value) -> Option<i64> {
    r["error"]["code"].as_i64()
}

/// The next answer to a frame that could not be read (a response with a null id).
fn parse_error(c: &mut Client) -> Value {
    loop {
        let m = c.next_message(TIMEOUT).expect("an answer to a bad frame");
        if m.get("method").is_none() && m["id"].is_null() {
            return m;
        }
    }
}

/// The server still answers: a hover on the figure has its reading.
fn still_serving(c: &mut Client, u: &str) {
    let h = c.hover(u, json!({"line": 4, "character": 20}));
    assert!(h.to_string().contains("500"), "no hover after abuse: {h}");
}

#[test]
fn requests_before_initialize_are_refused_and_notifications_ignored() {
    let dir = corpus();
    let mut c = Client::start();
    let u = uri(&dir.path().join("a.md"));
    c.notify("textDocument/didOpen", json!({"textDocument": {"uri": u, "languageId": "markdown", "version": 1, "text": ARTICLE}}));
    let id = c.send_request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 4, "character": 20}}),
    );
    assert_eq!(
        error_code(&c.response(id)),
        Some(-32002),
        "ServerNotInitialized"
    );
    let id = c.send_request("shutdown", Value::Null);
    assert_eq!(error_code(&c.response(id)), Some(-32002));
    // Now initialize properly: the document opened too early is not open.
    c.initialize(&[dir.path()], false);
    let t = c.request("tally/documentText", json!({"uri": u}));
    assert_eq!(t, Value::Null, "a didOpen before initialize was acted on");
    // A second initialize is an error, not a reset.
    let id = c.send_request("initialize", json!({"capabilities": {}}));
    assert_eq!(error_code(&c.response(id)), Some(-32600));
    c.open_text(&u, ARTICLE, 1);
    still_serving(&mut c, &u);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn unknown_methods_get_method_not_found_and_unknown_notifications_are_ignored() {
    let dir = corpus();
    let (mut c, u) = started(&dir);
    for m in [
        "textDocument/formatting",
        "$/unknownRequest",
        "tally/nope",
        "",
        "workspace/willRenameFiles",
    ] {
        let id = c.send_request(m, json!({}));
        assert_eq!(error_code(&c.response(id)), Some(-32601), "{m}");
    }
    for m in [
        "$/setTrace",
        "$/unknown",
        "textDocument/didSave",
        "workspace/didDeleteFiles",
        "window/workDoneProgress/cancel",
    ] {
        c.notify(m, json!({"garbage": [1, 2, 3]}));
    }
    // Requests with params of the wrong shape: answered, not crashed.
    for (m, p) in [
        ("textDocument/hover", json!(null)),
        ("textDocument/hover", json!([1, 2])),
        (
            "textDocument/hover",
            json!({"textDocument": {"uri": 7}, "position": "here"}),
        ),
        (
            "textDocument/hover",
            json!({"textDocument": {"uri": u}, "position": {"line": -1, "character": 1.5}}),
        ),
        (
            "textDocument/rename",
            json!({"textDocument": {"uri": u}, "position": {"line": 4, "character": 30}}),
        ),
        (
            "textDocument/completion",
            json!({"textDocument": {"uri": u}}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": "all"}),
        ),
        (
            "workspace/executeCommand",
            json!({"command": "tally.nextClaim", "arguments": [null, 5]}),
        ),
        (
            "workspace/executeCommand",
            json!({"command": "rm -rf /", "arguments": []}),
        ),
        ("workspace/symbol", json!({"query": 5})),
        ("tally/documentText", json!({})),
    ] {
        let id = c.send_request(m, p.clone());
        let r = c.response(id);
        assert_ne!(error_code(&r), Some(-32603), "{m} {p}: internal error {r}");
    }
    // Notifications with params of the wrong shape.
    for (m, p) in [
        ("textDocument/didOpen", json!({"textDocument": {"uri": u}})),
        (
            "textDocument/didChange",
            json!({"textDocument": {"uri": u}, "contentChanges": "all"}),
        ),
        (
            "textDocument/didChange",
            json!({"textDocument": {"uri": u, "version": "x"}, "contentChanges": [{"range": 5, "text": "x"}]}),
        ),
        ("textDocument/didClose", json!(null)),
        (
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": 5}, {"uri": "file:///nonexistent/x.md", "type": 9}]}),
        ),
        (
            "workspace/didChangeConfiguration",
            json!({"settings": {"tally": {"diagnostics": {"unsourced-figure": 5}}}}),
        ),
        (
            "workspace/didChangeWorkspaceFolders",
            json!({"event": {"added": [{"uri": "file:///nonexistent-folder"}], "removed": []}}),
        ),
    ] {
        c.notify(m, p);
    }
    // A change with a bad range was skipped: the text is as opened.
    let t = c.request("tally/documentText", json!({"uri": u}));
    assert_eq!(t["text"], json!(ARTICLE));
    still_serving(&mut c, &u);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn malformed_json_and_bad_headers_are_answered_and_reading_goes_on() {
    let dir = corpus();
    let (mut c, u) = started(&dir);
    // Not JSON, truncated JSON, JSON that is not JSON-RPC, invalid UTF-8.
    for body in [
        &b"{not json"[..],
        b"{\"jsonrpc\":\"2.0\",\"id\":1,",
        b"[1,2,3]",
        b"42",
        b"{\"jsonrpc\":\"2.0\"}",
        b"\xff\xfe{}",
    ] {
        c.send_raw(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        c.send_raw(body);
        let m = parse_error(&mut c);
        assert_eq!(
            error_code(&m),
            Some(-32700),
            "{}: {m}",
            String::from_utf8_lossy(body)
        );
        assert_eq!(m["id"], Value::Null);
    }
    // Extra headers, odd case and spacing, stray blank lines between frames.
    let hover = json!({"jsonrpc": "2.0", "id": 9001, "method": "textDocument/hover",
        "params": {"textDocument": {"uri": u}, "position": {"line": 4, "character": 20}}})
    .to_string();
    c.send_raw(
        format!("\r\n\r\ncontent-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:{}  \r\n\r\n{hover}", hover.len())
            .as_bytes(),
    );
    let r = c.response(9001);
    assert!(r["result"].to_string().contains("500"), "{r}");
    // A header that is not a number, a frame with no length, a length too short: the frame is
    // lost (or answered as a parse error), and the next well-formed frame is read.
    for bad in [
        "Content-Length: twelve\r\n\r\n{\"a\":1}".to_string(),
        "Content-Type: text/plain\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"x\"}".to_string(),
        "Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\"}".to_string(),
        "garbage line without a colon\r\n".to_string(),
    ] {
        c.send_raw(bad.as_bytes());
        let id = c.send_request("tally/documentText", json!({"uri": u}));
        let r = c.response(id);
        assert_eq!(r["result"]["text"], json!(ARTICLE), "after {bad:?}: {r}");
    }
    still_serving(&mut c, &u);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn positions_past_the_end_of_a_line_or_the_document_are_clamped() {
    let dir = corpus();
    let (mut c, u) = started(&dir);
    let far = [
        json!({"line": 4, "character": 10_000}),
        json!({"line": 1_000, "character": 0}),
        json!({"line": 4_294_967_295u64, "character": 4_294_967_295u64}),
        json!({"line": 4, "character": 63}), // inside the emoji's surrogate pair, in UTF-16
    ];
    for p in &far {
        for m in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/documentHighlight",
            "textDocument/prepareRename",
            "textDocument/completion",
            "textDocument/references",
        ] {
            let id = c.send_request(m, json!({"textDocument": {"uri": u}, "position": p, "context": {"includeDeclaration": true}}));
            let r = c.response(id);
            assert_ne!(error_code(&r), Some(-32603), "{m} at {p}: {r}");
        }
        let id = c.send_request("textDocument/codeAction",
            json!({"textDocument": {"uri": u}, "range": {"start": p, "end": p}, "context": {"diagnostics": []}}));
        assert!(c.response(id).get("error").is_none());
        let id = c.send_request("textDocument/inlayHint", json!({"textDocument": {"uri": u}, "range": {"start": {"line": 0, "character": 0}, "end": p}}));
        assert!(c.response(id).get("error").is_none());
    }
    // Edits with out-of-range positions clamp like the positions: past the end of a line is
    // its end, past the last line is the end of the text.
    let mut expected = ARTICLE.to_string();
    let line0_end = ARTICLE.find('\n').unwrap();
    expected.insert(line0_end, 'A');
    expected.push('Z');
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 999}, "end": {"line": 0, "character": 999}}, "text": "A"},
            {"range": {"start": {"line": 99, "character": 5}, "end": {"line": 120, "character": 0}}, "text": "Z"}
        ]}),
    );
    // A reversed range (end before start) is read as the range between the two.
    let t = c.request("tally/documentText", json!({"uri": u}));
    assert_eq!(t["text"], json!(expected));
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 1}}, "text": ""}
        ]}),
    );
    expected.replace_range(1..3, "");
    let t = c.request("tally/documentText", json!({"uri": u}));
    assert_eq!(t["text"], json!(expected));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn did_change_for_a_document_never_opened_is_ignored_and_a_second_did_open_replaces_the_text() {
    let dir = corpus();
    let mut c = Client::start();
    c.initialize(&[dir.path()], false);
    c.wait_indexed();
    let u = uri(&dir.path().join("a.md"));
    let never = uri(&dir.path().join("never.md"));
    for target in [&u, &never] {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": target, "version": 2}, "contentChanges": [
                {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "X"}]}),
        );
    }
    assert_eq!(
        c.request("tally/documentText", json!({"uri": u})),
        Value::Null
    );
    assert_eq!(
        c.request("tally/documentText", json!({"uri": never})),
        Value::Null
    );
    c.open_text(&u, ARTICLE, 1);
    assert_eq!(
        c.request("tally/documentText", json!({"uri": u}))["text"],
        json!(ARTICLE)
    );
    // A second didOpen (an editor that lost track) replaces text and version.
    let second = ARTICLE.replace("500", "700");
    c.open_text(&u, &second, 7);
    let t = c.request("tally/documentText", json!({"uri": u}));
    assert_eq!(
        (t["text"].clone(), t["version"].clone()),
        (json!(second), json!(7))
    );
    let h = c.hover(&u, json!({"line": 4, "character": 20}));
    assert!(h.to_string().contains("700"), "{h}");
    // A close, a second close, a change after close: ignored.
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    assert_eq!(
        c.request("tally/documentText", json!({"uri": u})),
        Value::Null
    );
    assert_eq!(c.shutdown(), 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        ARTICLE
    );
    assert!(!dir.path().join("never.md").exists());
}

#[test]
fn documents_outside_the_workspace_or_not_files_are_served_without_touching_them() {
    let dir = corpus();
    let elsewhere = tempfile::tempdir().unwrap();
    let (mut c, u) = started(&dir);
    let outside = uri(&elsewhere.path().join("outside.md"));
    let uris = [
        outside.as_str(),
        "untitled:Untitled-1",
        "http://example.invalid/a.md",
        "file:///%zz/bad%encoding.md",
        "file://remote-host/share/a.md",
        "file:relative/a.md",
        "not a uri at all",
        "",
    ];
    for (i, other) in uris.iter().enumerate() {
        c.open_text(other, ARTICLE, 1);
        let t = c.request("tally/documentText", json!({"uri": other}));
        assert!(t.is_null() || t["text"] == json!(ARTICLE), "{other}: {t}");
        for m in [
            "textDocument/hover",
            "textDocument/definition",
            "textDocument/completion",
            "textDocument/references",
        ] {
            let id = c.send_request(
                m,
                json!({"textDocument": {"uri": other}, "position": {"line": 4, "character": 20},
                "context": {"includeDeclaration": true}}),
            );
            let r = c.response(id);
            assert_ne!(error_code(&r), Some(-32603), "{m} on {other}: {r}");
        }
        for m in [
            "textDocument/documentSymbol",
            "textDocument/semanticTokens/full",
            "textDocument/codeLens",
        ] {
            let id = c.send_request(m, json!({"textDocument": {"uri": other}}));
            let r = c.response(id);
            assert_ne!(error_code(&r), Some(-32603), "{m} on {other}: {r}");
        }
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": other, "version": 2}, "contentChanges": [{"text": format!("edit {i}")}]}),
        );
        c.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": other}}),
        );
    }
    still_serving(&mut c, &u);
    assert_eq!(c.shutdown(), 0);
    assert_eq!(
        std::fs::read_dir(elsewhere.path()).unwrap().count(),
        0,
        "the server created a file outside the workspace"
    );
}

#[test]
fn cancel_request_for_slow_requests_is_harmless() {
    // A corpus big enough that workspace-wide requests take a moment.
    let dir = corpus();
    for i in 0..300 {
        std::fs::write(dir.path().join(format!("n{i:03}.md")), ARTICLE.repeat(5)).unwrap();
    }
    let (mut c, u) = started(&dir);
    let mut ids = Vec::new();
    for _ in 0..20 {
        let id = c.send_request("textDocument/references",
            json!({"textDocument": {"uri": u}, "position": {"line": 4, "character": 20}, "context": {"includeDeclaration": true}}));
        c.notify("$/cancelRequest", json!({"id": id}));
        ids.push(id);
        let id = c.send_request("workspace/symbol", json!({"query": ""}));
        c.notify("$/cancelRequest", json!({"id": id}));
        ids.push(id);
    }
    // Cancelling requests that were answered long ago, or never existed.
    for id in [1, 999_999, -5] {
        c.notify("$/cancelRequest", json!({"id": id}));
    }
    c.notify("$/cancelRequest", json!({"id": "a string id"}));
    for id in ids {
        let r = c.response(id);
        // Either answered or answered as cancelled (-32800); never lost.
        assert!(
            r.get("result").is_some() || error_code(&r) == Some(-32800),
            "{r}"
        );
    }
    still_serving(&mut c, &u);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn after_shutdown_requests_are_refused_and_exit_ends_with_0() {
    let dir = corpus();
    let (mut c, u) = started(&dir);
    c.request("shutdown", Value::Null);
    let id = c.send_request(
        "textDocument/hover",
        json!({"textDocument": {"uri": u}, "position": {"line": 4, "character": 20}}),
    );
    assert_eq!(
        error_code(&c.response(id)),
        Some(-32600),
        "InvalidRequest after shutdown"
    );
    let id = c.send_request("shutdown", Value::Null);
    assert_eq!(error_code(&c.response(id)), Some(-32600));
    // Notifications after shutdown do not crash it either.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit(TIMEOUT), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        ARTICLE
    );
}

#[test]
fn exit_without_shutdown_ends_with_1() {
    let dir = corpus();
    let (mut c, u) = started(&dir);
    still_serving(&mut c, &u);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit(TIMEOUT), Some(1));
}

#[test]
fn stdin_closed_abruptly_ends_the_server_promptly() {
    let dir = corpus();
    // Mid-session, while indexing, and in the middle of a frame.
    for cut in 0..3 {
        let mut c = Client::start();
        c.initialize(&[dir.path()], false);
        let u = uri(&dir.path().join("a.md"));
        c.open_text(&u, ARTICLE, 1);
        match cut {
            0 => still_serving(&mut c, &u),
            1 => {}
            _ => c.send_raw(b"Content-Length: 500\r\n\r\n{\"jsonrpc\":"),
        }
        c.close_stdin();
        assert_eq!(
            c.wait_exit(Duration::from_secs(10)),
            Some(1),
            "case {cut}: the server did not exit"
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        ARTICLE
    );
}

#[test]
fn a_panic_in_a_handler_is_caught_logged_and_answered_with_an_error() {
    let dir = corpus();
    let mut c = Client::start_with(&[("TALLY_DEBUG_PANIC", "1")], true);
    c.initialize(&[dir.path()], false);
    let u = uri(&dir.path().join("a.md"));
    c.open_text(&u, ARTICLE, 1);
    still_serving(&mut c, &u);
    // A request that panics: an InternalError answer, and the server goes on.
    let id = c.send_request("tally/debugPanic", json!({}));
    let r = c.response(id);
    assert_eq!(error_code(&r), Some(-32603), "{r}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("tally/debugPanic"),
        "{r}"
    );
    // A notification that panics: shown to the analyst, and the server goes on.
    let before = c.notifications.len();
    c.notify("tally/debugPanic", json!({}));
    c.wait_from(before, "a message about the internal error", |n| {
        n["method"] == "window/showMessage"
            && n["params"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("internal error"))
    });
    still_serving(&mut c, &u);
    // Edits still apply.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [{"text": "new"}]}),
    );
    assert_eq!(
        c.request("tally/documentText", json!({"uri": u}))["text"],
        json!("new")
    );
    c.request("shutdown", Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit(TIMEOUT), Some(0));
    std::thread::sleep(Duration::from_millis(100)); // the stderr reader catches up
    let log = c.stderr_text();
    assert!(
        log.contains("debug panic") && log.contains("tally/debugPanic"),
        "not logged on stderr: {log}"
    );
}

#[test]
fn without_the_debug_switch_the_panic_request_is_unknown() {
    let dir = corpus();
    let (mut c, _) = started(&dir);
    let id = c.send_request("tally/debugPanic", json!({}));
    assert_eq!(error_code(&c.response(id)), Some(-32601));
    assert_eq!(c.shutdown(), 0);
}
