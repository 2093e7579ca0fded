//! The language server on generated corpora, through a real stdio client.
//!
//!     cargo bench --bench lsp -- --sizes 1000,10000,100000 [--keys 200] [--reqs 200] [--tally PATH]
//!
//! For each size (corpus generated under `/tmp/tally-bench/n<N>` if absent): start `tally lsp`,
//! `initialize` with the corpus as the workspace folder (work-done progress on), open the 50 KB
//! article right after `initialized`, and time
//!
//! - `didOpen` → first `publishDiagnostics` of that article (the index is still being built),
//! - `initialize` → the `$/progress` `end` of the indexing job,
//! - `didOpen` → first diagnostics of three 5 KB articles once the index is complete,
//! - a typing session in the 50 KB article: each keystroke is one `didChange`, and the client
//!   waits for the `publishDiagnostics` of that version before the next (closed loop). The
//!   server analyses at once when its last analysis was quick (`QUICK`, under 50 ms) and otherwise
//!   waits `DEBOUNCE` (50 ms) after the last edit, so the latency is what the analyst sees,
//!   pause included when there is one,
//! - hover, references, completion and rename requests (p50, p99),
//! - the server's peak RSS (`VmHWM`).
//!
//! Nothing is asserted about time: this is a benchmark, not a test.

#[path = "common/gen.rs"]
mod gen;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Lsp {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<(Instant, Value)>,
    next_id: i64,
    progress_end: Option<Instant>,
    progress_begin: Option<Instant>,
}

fn uri(path: &Path) -> String {
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

/// The UTF-16 LSP position of a byte offset.
fn pos_at(text: &str, at: usize) -> Value {
    let before = &text[..at];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": before[start..].encode_utf16().count()})
}

impl Lsp {
    fn start(tally: &str) -> Lsp {
        let mut child = Command::new(tally)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tally lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::with_capacity(1 << 20, stdout);
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
                let at = Instant::now();
                let v: Value = serde_json::from_slice(&body).expect("server sent JSON");
                if tx.send((at, v)).is_err() {
                    return;
                }
            }
        });
        Lsp {
            child,
            stdin,
            rx,
            next_id: 0,
            progress_end: None,
            progress_begin: None,
        }
    }

    fn send(&mut self, v: &Value) -> Instant {
        let body = serde_json::to_vec(v).unwrap();
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(&body);
        let t = Instant::now();
        self.stdin.write_all(&frame).expect("write to server");
        self.stdin.flush().unwrap();
        t
    }

    fn notify(&mut self, method: &str, params: Value) -> Instant {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    /// The next message that is not a server request (those are answered here) nor progress.
    fn next(&mut self, timeout: Duration) -> Option<(Instant, Value)> {
        let deadline = Instant::now() + timeout;
        loop {
            let (at, v) = match self
                .rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => panic!("the server exited"),
            };
            if v.get("method").is_some() && v.get("id").is_some() {
                let id = v["id"].clone();
                self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
                continue;
            }
            if v["method"] == "$/progress" {
                match v.pointer("/params/value/kind").and_then(Value::as_str) {
                    Some("begin") => self.progress_begin = Some(at),
                    Some("end") => self.progress_end = Some(at),
                    _ => {}
                }
                continue;
            }
            return Some((at, v));
        }
    }

    fn wait(
        &mut self,
        what: &str,
        timeout: Duration,
        mut pred: impl FnMut(&Value) -> bool,
    ) -> (Instant, Value) {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next(left) {
                Some((at, v)) if pred(&v) => return (at, v),
                Some(_) => {}
                None => panic!("timed out after {timeout:?} waiting for {what}"),
            }
        }
    }

    /// Send a request; returns its result and the time to the response.
    fn request(&mut self, method: &str, params: Value) -> (Value, Duration) {
        self.next_id += 1;
        let id = self.next_id;
        let t = self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let (at, mut v) = self.wait(method, Duration::from_secs(120), |v| {
            v["id"] == id && v.get("method").is_none()
        });
        if let Some(e) = v.get("error") {
            panic!("{method} failed: {e}");
        }
        // Taken, not cloned: the client shares the two cores with the server, and copying a
        // rename's thousand edits would slow the server's next answer.
        (v["result"].take(), at - t)
    }

    /// Wait for the `publishDiagnostics` of `uri` (at `version`, if given).
    fn diagnostics(
        &mut self,
        uri: &str,
        version: Option<i64>,
        timeout: Duration,
    ) -> (Instant, Value) {
        self.wait("publishDiagnostics", timeout, |v| {
            v["method"] == "textDocument/publishDiagnostics"
                && v["params"]["uri"] == uri
                && version.is_none_or(|n| v["params"]["version"].as_i64() == Some(n))
        })
    }

    fn wait_index(&mut self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while self.progress_end.is_none() {
            if Instant::now() > deadline {
                panic!("timed out waiting for the end of indexing");
            }
            let _ = self.next(Duration::from_millis(100));
        }
    }

    /// Read messages until none has come for `quiet`.
    fn drain(&mut self, quiet: Duration) {
        while self.next(quiet).is_some() {}
    }

    fn status_kb(&self, key: &str) -> u64 {
        let s = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        s.lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0)
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pct(v: &[f64], p: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i]
}

fn arg_value(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

struct Row {
    n: usize,
    first_diag_during_index: f64,
    index_s: f64,
    first_diag_after_index: Vec<f64>,
    keys: Vec<f64>,
    edits: Vec<f64>,
    hover: Vec<f64>,
    hover_hot: Vec<f64>,
    refs: Vec<f64>,
    refs_hot: usize,
    completion: Vec<f64>,
    rename: Vec<f64>,
    rename_edits: usize,
    rss_index_mb: f64,
    peak_mb: f64,
}

fn bench(tally: &str, n: usize, keys: usize, reqs: usize) -> Row {
    let root = gen::corpus_dir(n);
    gen::ensure_corpus(&root, n).expect("generate the corpus");
    let root = root.canonicalize().unwrap();
    // Warm the page cache so that every size starts equal.
    for p in gen::article_files(&root) {
        let _ = std::fs::read(p);
    }
    let long_path = root.join(gen::LONG_ARTICLE);
    let long_uri = uri(&long_path);
    let mut text = std::fs::read_to_string(&long_path).unwrap();

    let mut s = Lsp::start(tally);
    let t0 = Instant::now();
    let caps = json!({"window": {"workDoneProgress": true}, "general": {"positionEncodings": ["utf-16"]},
        "textDocument": {"publishDiagnostics": {"relatedInformation": true}}});
    s.request(
        "initialize",
        json!({"processId": std::process::id(), "rootUri": uri(&root), "capabilities": caps,
            "workspaceFolders": [{"uri": uri(&root), "name": "bench"}]}),
    );
    s.notify("initialized", json!({}));
    let t_open = s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": long_uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    let (at, _) = s.diagnostics(&long_uri, None, Duration::from_secs(60));
    let first_diag_during_index = ms(at - t_open);
    s.wait_index(Duration::from_secs(1800));
    let index_s = (s.progress_end.unwrap() - t0).as_secs_f64();
    s.drain(Duration::from_millis(300));
    let rss_index_mb = s.status_kb("VmRSS:") as f64 / 1024.0;

    // Opening other articles once the index is complete.
    let mut first_diag_after_index = Vec::new();
    for i in [1, n / 2, n - 1] {
        let p = gen::article_path(&root, i.max(1));
        let t = std::fs::read_to_string(&p).unwrap();
        let u = uri(&p);
        let t_open = s.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": "markdown", "version": 1, "text": t}}),
        );
        let (at, _) = s.diagnostics(&u, None, Duration::from_secs(60));
        first_diag_after_index.push(ms(at - t_open));
        s.notify("textDocument/didClose", json!({"textDocument": {"uri": u}}));
    }
    s.drain(Duration::from_millis(200));

    // Requests on the 50 KB article, before typing (positions from the text as opened).
    let claims: Vec<usize> = text.match_indices("]{event=").map(|(i, _)| i - 1).collect();
    let event_values: Vec<usize> = text.match_indices("{event=").map(|(i, _)| i + 8).collect();
    let hot_value = text
        .find(&format!("event={}", gen::HOT_EVENT))
        .expect("the long article has the hot event")
        + 7;
    let hot_claim = text[..hot_value].rfind(']').unwrap() - 1;
    let mut hover = Vec::new();
    let mut hover_hot = Vec::new();
    let mut refs = Vec::new();
    let mut completion = Vec::new();
    let mut rename = Vec::new();
    let td = json!({"uri": long_uri});
    for k in 0..reqs {
        let at = claims[k % claims.len()];
        let (r, d) = s.request(
            "textDocument/hover",
            json!({"textDocument": td, "position": pos_at(&text, at)}),
        );
        assert!(!r.is_null(), "no hover on a claim");
        hover.push(ms(d));
        let at = event_values[k % event_values.len()];
        let (_, d) = s.request(
            "textDocument/references",
            json!({"textDocument": td, "position": pos_at(&text, at), "context": {"includeDeclaration": true}}),
        );
        refs.push(ms(d));
        let (_, d) = s.request(
            "textDocument/completion",
            json!({"textDocument": td, "position": pos_at(&text, at - 1)}),
        );
        completion.push(ms(d));
    }
    let mut refs_hot = 0;
    let mut rename_edits = 0;
    for _ in 0..reqs.div_ceil(10).max(3) {
        let (r, d) = s.request(
            "textDocument/hover",
            json!({"textDocument": td, "position": pos_at(&text, hot_claim)}),
        );
        assert!(!r.is_null());
        hover_hot.push(ms(d));
        let (r, _) = s.request(
            "textDocument/references",
            json!({"textDocument": td, "position": pos_at(&text, hot_value), "context": {"includeDeclaration": false}}),
        );
        refs_hot = r.as_array().map_or(0, Vec::len);
        let (r, d) = s.request(
            "textDocument/rename",
            json!({"textDocument": td, "position": pos_at(&text, hot_value), "newName": "hot-displaced-renamed"}),
        );
        rename_edits = r["changes"].as_object().map_or(0, |m| {
            m.values().map(|v| v.as_array().map_or(0, Vec::len)).sum()
        });
        rename.push(ms(d));
    }

    // Typing: a sentence typed into the middle of the article, one character per didChange.
    let mut version = 1;
    let para = text[text.len() / 2..]
        .find("\n\n")
        .map(|i| i + text.len() / 2)
        .unwrap();
    let mut at = para;
    let sentence =
        " Later that day the Red Crescent said 2,400 people had reached the camps near Jibreen.";
    let mut keys_ms = Vec::new();
    for k in 0..keys {
        let c = sentence.chars().nth(k % sentence.chars().count()).unwrap();
        let p = pos_at(&text, at);
        version += 1;
        let t = s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": long_uri, "version": version},
                "contentChanges": [{"range": {"start": p, "end": p}, "text": c.to_string()}]}),
        );
        text.insert(at, c);
        at += c.len_utf8();
        let (got, _) = s.diagnostics(&long_uri, Some(version), Duration::from_secs(60));
        keys_ms.push(ms(got - t));
    }
    // Edits inside an annotated figure: a digit of a claim changes, and so does its event's agreement.
    let mut edits = Vec::new();
    let claim_at = text.find("]{event=").unwrap();
    let digit_at = text[..claim_at]
        .rfind(|c: char| c.is_ascii_digit())
        .unwrap();
    for k in 0..(keys / 4).max(4) {
        let d = if k % 2 == 0 { "9" } else { "1" };
        let (a, b) = (pos_at(&text, digit_at), pos_at(&text, digit_at + 1));
        version += 1;
        let t = s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": long_uri, "version": version},
                "contentChanges": [{"range": {"start": a, "end": b}, "text": d}]}),
        );
        text.replace_range(digit_at..digit_at + 1, d);
        let (got, _) = s.diagnostics(&long_uri, Some(version), Duration::from_secs(60));
        edits.push(ms(got - t));
    }
    let peak_mb = s.status_kb("VmHWM:") as f64 / 1024.0;
    s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
    let _ = s.child.wait();
    Row {
        n,
        first_diag_during_index,
        index_s,
        first_diag_after_index,
        keys: keys_ms,
        edits,
        hover,
        hover_hot,
        refs,
        refs_hot,
        completion,
        rename,
        rename_edits,
        rss_index_mb,
        peak_mb,
    }
}

fn main() {
    let sizes = gen::sizes_from_args(&[1000]);
    let keys: usize = arg_value("--keys")
        .and_then(|r| r.parse().ok())
        .unwrap_or(200);
    let reqs: usize = arg_value("--reqs")
        .and_then(|r| r.parse().ok())
        .unwrap_or(200);
    let tally = arg_value("--tally").unwrap_or_else(|| env!("CARGO_BIN_EXE_tally").to_string());
    println!("tally: {tally}; {keys} keystrokes, {reqs} requests of each kind; times in ms unless marked");
    let rows: Vec<Row> = sizes
        .iter()
        .map(|&n| bench(&tally, n, keys, reqs))
        .collect();
    println!();
    println!("| articles | didOpen → diags, during indexing | index (s) | didOpen → diags, indexed (max of 3) | keystroke → diags p50 / p99 | figure edit → diags p50 / p99 | RSS indexed (MB) | peak RSS (MB) |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {:.1} | {:.2} | {:.1} | {:.1} / {:.1} | {:.1} / {:.1} | {:.0} | {:.0} |",
            r.n,
            r.first_diag_during_index,
            r.index_s,
            r.first_diag_after_index.iter().copied().fold(0.0, f64::max),
            pct(&r.keys, 0.5),
            pct(&r.keys, 0.99),
            pct(&r.edits, 0.5),
            pct(&r.edits, 0.99),
            r.rss_index_mb,
            r.peak_mb,
        );
    }
    println!();
    println!("| articles | hover p50 / p99 | hover on the 1,000-reading event p50 / p99 | references p50 / p99 | completion p50 / p99 | rename of the event ({} refs, {} edits) p50 / p99 |", rows.first().map_or(0, |r| r.refs_hot), rows.first().map_or(0, |r| r.rename_edits));
    println!("|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {:.2} / {:.2} | {:.2} / {:.2} | {:.2} / {:.2} | {:.2} / {:.2} | {:.1} / {:.1} ({} edits) |",
            r.n,
            pct(&r.hover, 0.5),
            pct(&r.hover, 0.99),
            pct(&r.hover_hot, 0.5),
            pct(&r.hover_hot, 0.99),
            pct(&r.refs, 0.5),
            pct(&r.refs, 0.99),
            pct(&r.completion, 0.5),
            pct(&r.completion, 0.99),
            pct(&r.rename, 0.5),
            pct(&r.rename, 0.99),
            r.rename_edits,
        );
    }
}
