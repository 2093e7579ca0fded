//! A small LSP client for the end-to-end tests: it starts `tally lsp`, speaks JSON-RPC over its
//! stdio, answers the server's own requests as an editor would, and keeps every notification.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long any single wait lasts before a test fails (longer for unoptimised builds, whose
/// analysis of the large-file cases is some ten times slower).
pub const TIMEOUT: Duration = Duration::from_secs(if cfg!(debug_assertions) { 240 } else { 30 });

pub struct Client {
    child: Child,
    /// `None` once closed with [`Client::close_stdin`].
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    /// The server's stderr, when started with [`Client::start_with`] and `capture_stderr`.
    stderr: Option<std::sync::Arc<std::sync::Mutex<String>>>,
    next_id: i64,
    /// Every notification received, in order.
    pub notifications: Vec<Value>,
    /// Every request the server sent us, in order.
    pub server_requests: Vec<Value>,
    /// Whether positions are UTF-8 (negotiated) rather than UTF-16.
    pub utf8: bool,
}

/// The reference corpus, if the shared folder is there (tests skip without it).
pub fn shared_corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/aleppo-2016");
    if p.join("tally.toml").is_file() {
        Some(p)
    } else {
        eprintln!(
            "SKIPPED: {} is absent (the shared reference corpus)",
            p.display()
        );
        None
    }
}

/// The repository's example corpus, if present.
pub fn example_corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/aleppo-evacuation");
    if p.join("tally.toml").is_file() {
        Some(p)
    } else {
        eprintln!("SKIPPED: {} is absent (the example corpus)", p.display());
        None
    }
}

/// A temporary copy of a corpus folder (files only, one level).
pub fn temp_copy(src: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for e in std::fs::read_dir(src).expect("read corpus") {
        let e = e.expect("entry");
        if e.file_type().is_ok_and(|t| t.is_file()) {
            std::fs::copy(e.path(), dir.path().join(e.file_name())).expect("copy");
        }
    }
    dir
}

/// The `file:` URI of a path (canonicalised, as the server sees it).
pub fn uri(path: &Path) -> String {
    let p = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mut s = String::from("file://");
    for b in p.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                s.push(b as char)
            }
            _ => s.push_str(&format!("%{b:02X}")),
        }
    }
    s
}

/// The LSP position of byte offset `at` in `text`, in UTF-16 or UTF-8 units.
pub fn pos_at(text: &str, at: usize, utf8: bool) -> Value {
    let before = &text[..at];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let col: usize = if utf8 {
        at - start
    } else {
        before[start..].encode_utf16().count()
    };
    json!({"line": line, "character": col})
}

/// The position of the `nth` occurrence of `needle` in `text`, plus `plus` bytes.
pub fn pos_of(text: &str, needle: &str, plus: usize, utf8: bool) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the text"));
    pos_at(text, at + plus, utf8)
}

/// The byte offset of an LSP position in `text`.
pub fn offset_of(text: &str, pos: &Value, utf8: bool) -> usize {
    let line = pos["line"].as_u64().unwrap() as usize;
    let ch = pos["character"].as_u64().unwrap() as usize;
    let start = text
        .split_inclusive('\n')
        .take(line)
        .map(str::len)
        .sum::<usize>();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= ch || c == '\n' {
            return start + i;
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() };
    }
    text.len()
}

/// The text a range covers.
pub fn text_in<'t>(text: &'t str, range: &Value, utf8: bool) -> &'t str {
    &text[offset_of(text, &range["start"], utf8)..offset_of(text, &range["end"], utf8)]
}

/// Apply LSP text edits to a text (any order; they must not overlap).
pub fn apply_edits(text: &str, edits: &[Value], utf8: bool) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset_of(text, &e["range"]["start"], utf8),
                offset_of(text, &e["range"]["end"], utf8),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, t) in spans {
        out.replace_range(a..b, &t);
    }
    out
}

impl Client {
    /// Start `tally lsp`.
    pub fn start() -> Client {
        Client::start_with(&[], false)
    }

    /// Start `tally lsp` with extra environment variables, keeping its stderr if asked.
    pub fn start_with(envs: &[(&str, &str)], capture_stderr: bool) -> Client {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tally"));
        cmd.arg("lsp").stdin(Stdio::piped()).stdout(Stdio::piped());
        cmd.stderr(if capture_stderr {
            Stdio::piped()
        } else {
            Stdio::inherit()
        });
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start tally lsp");
        let stderr = child.stderr.take().map(|mut e| {
            let buf = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
            let b = buf.clone();
            std::thread::spawn(move || {
                let mut chunk = [0u8; 4096];
                while let Ok(n) = e.read(&mut chunk) {
                    if n == 0 {
                        break;
                    }
                    b.lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&chunk[..n]));
                }
            });
            buf
        });
        let stdin = Some(child.stdin.take().unwrap());
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let l = line.trim_end();
                    if l.is_empty() {
                        break;
                    }
                    if let Some(v) = l.strip_prefix("Content-Length:") {
                        len = v.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("server sent JSON");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            stderr,
            next_id: 0,
            notifications: Vec::new(),
            server_requests: Vec::new(),
            utf8: false,
        }
    }

    pub fn send(&mut self, v: &Value) {
        let body = v.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{}", body.len(), body).as_bytes());
    }

    /// Write bytes to the server's stdin as they are (for malformed frames).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is closed");
        stdin.write_all(bytes).expect("write to server");
        stdin.flush().expect("flush");
    }

    /// Close the server's stdin, as an editor that dies does.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Wait for the server to exit; its exit code, or `None` if it is still running.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let end = Instant::now() + timeout;
        loop {
            if let Some(st) = self.child.try_wait().expect("wait") {
                return Some(st.code().unwrap_or(-1));
            }
            if Instant::now() >= end {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// What the server wrote to stderr so far (started with `capture_stderr`).
    pub fn stderr_text(&self) -> String {
        self.stderr
            .as_ref()
            .map(|b| b.lock().unwrap().clone())
            .unwrap_or_default()
    }

    /// The next message from the server within `timeout` (answering its requests), if any.
    pub fn next_message(&mut self, timeout: Duration) -> Option<Value> {
        match self.rx.recv_timeout(timeout) {
            Ok(v) => {
                if v.get("method").is_some() && v.get("id").is_none() {
                    self.notifications.push(v.clone());
                }
                Some(v)
            }
            Err(_) => None,
        }
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request without waiting; returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Take one message from the server (answering its requests), or `None` on timeout.
    fn pump(&mut self, timeout: Duration) -> Option<Value> {
        let v = match self.rx.recv_timeout(timeout) {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => return None,
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        };
        if v.get("method").is_some() && v.get("id").is_some() {
            // A request from the server: answer as an editor would.
            let result = match v["method"].as_str() {
                Some("workspace/configuration") => json!([null]),
                _ => Value::Null,
            };
            self.send(&json!({"jsonrpc": "2.0", "id": v["id"], "result": result}));
            self.server_requests.push(v.clone());
        } else if v.get("method").is_some() {
            self.notifications.push(v.clone());
        }
        Some(v)
    }

    /// The full response to request `id`.
    pub fn response(&mut self, id: i64) -> Value {
        let end = Instant::now() + TIMEOUT;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            let v = self
                .pump(left)
                .unwrap_or_else(|| panic!("no response to request {id}"));
            if v.get("method").is_none() && v["id"] == json!(id) {
                return v;
            }
        }
    }

    /// Send a request and return its result (panics on an error response).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        let r = self.response(id);
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// Wait for a notification that satisfies `pred` among those not yet seen by a wait
    /// from index `from` on; returns it and its index.
    pub fn wait_from(
        &mut self,
        from: usize,
        what: &str,
        pred: impl Fn(&Value) -> bool,
    ) -> (usize, Value) {
        let end = Instant::now() + TIMEOUT;
        let mut i = from;
        loop {
            while i < self.notifications.len() {
                if pred(&self.notifications[i]) {
                    return (i, self.notifications[i].clone());
                }
                i += 1;
            }
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                panic!(
                    "timed out waiting for {what}; got {:#?}",
                    self.notifications
                        .iter()
                        .map(|n| &n["method"])
                        .collect::<Vec<_>>()
                );
            }
            self.pump(left.min(Duration::from_millis(200)));
        }
    }

    /// Wait for a `publishDiagnostics` for `uri` whose diagnostics satisfy `pred`, received
    /// after notification index `from`; returns the diagnostics.
    pub fn diagnostics(
        &mut self,
        from: usize,
        uri: &str,
        pred: impl Fn(&[Value]) -> bool,
    ) -> Vec<Value> {
        let (_, n) = self.wait_from(from, &format!("diagnostics for {uri}"), |n| {
            n["method"] == "textDocument/publishDiagnostics"
                && n["params"]["uri"] == uri
                && pred(
                    n["params"]["diagnostics"]
                        .as_array()
                        .map_or(&[][..], Vec::as_slice),
                )
        });
        n["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The diagnostics published for `uri` at document `version`, after notification `from`.
    pub fn diagnostics_at(&mut self, from: usize, uri: &str, version: i64) -> Vec<Value> {
        let (_, n) = self.wait_from(
            from,
            &format!("diagnostics for {uri} version {version}"),
            |n| {
                n["method"] == "textDocument/publishDiagnostics"
                    && n["params"]["uri"] == uri
                    && n["params"]["version"] == version
            },
        );
        n["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Send text edits as one incremental `didChange` (last edit first, so that positions
    /// stay valid); returns the new text.
    pub fn change(&mut self, uri: &str, version: i64, text: &str, edits: &[Value]) -> String {
        let mut sorted: Vec<Value> = edits.to_vec();
        sorted.sort_by_key(|e| std::cmp::Reverse(offset_of(text, &e["range"]["start"], self.utf8)));
        let changes: Vec<Value> = sorted
            .iter()
            .map(|e| json!({"range": e["range"], "text": e["newText"]}))
            .collect();
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
        apply_edits(text, edits, self.utf8)
    }

    /// Let messages arrive for a while (answering server requests).
    pub fn drain(&mut self, d: Duration) {
        let end = Instant::now() + d;
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            if self.pump(left).is_none() {
                break;
            }
        }
    }

    /// `initialize` + `initialized` with the given workspace folders, as VS Code would.
    pub fn initialize(&mut self, folders: &[&Path], utf8: bool) -> Value {
        self.utf8 = utf8;
        let encodings = if utf8 {
            json!(["utf-8", "utf-16"])
        } else {
            json!(["utf-16"])
        };
        let folders: Vec<Value> = folders
            .iter()
            .map(|f| json!({"uri": uri(f), "name": "corpus"}))
            .collect();
        let r = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": folders.first().map(|f| f["uri"].clone()),
                "workspaceFolders": folders,
                "capabilities": {
                    "general": {"positionEncodings": encodings},
                    "window": {"workDoneProgress": true},
                    "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}, "workspaceFolders": true},
                    "textDocument": {"publishDiagnostics": {"relatedInformation": true, "versionSupport": true}}
                }
            }),
        );
        self.notify("initialized", json!({}));
        r
    }

    /// Open a file with its text on disk; returns (uri, text).
    pub fn open(&mut self, path: &Path) -> (String, String) {
        let text = std::fs::read_to_string(path).expect("read article");
        let u = uri(path);
        self.open_text(&u, &text, 1);
        (u, text)
    }

    pub fn open_text(&mut self, uri: &str, text: &str, version: i64) {
        let lang = if uri.ends_with("toml") {
            "toml"
        } else {
            "markdown"
        };
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": lang, "version": version, "text": text}}),
        );
    }

    /// Wait until every progress that began has ended.
    pub fn wait_indexed(&mut self) {
        self.wait_from(0, "the end of indexing", |n| {
            n["method"] == "$/progress" && n["params"]["value"]["kind"] == "end"
        });
    }

    pub fn hover(&mut self, uri: &str, pos: Value) -> Value {
        self.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos}),
        )
    }

    /// `shutdown` then `exit`; returns the exit code.
    pub fn shutdown(mut self) -> i32 {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit(TIMEOUT).expect("the server did not exit")
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
