//! The server loop and its state: documents, corpora, indexing, diagnostics.
//!
//! # Why edits can never be reordered
//!
//! One thread owns all state. The transport's reader thread sends every client message, in the
//! order it was read, into one channel (the inbox); this loop takes them out one at a time and
//! handles each to completion (a `didChange` is applied to its rope before the next message is
//! even looked at). There is no handler concurrency to reorder anything: unlike tower-lsp's
//! `buffer_unordered` dispatch (tower-lsp issue #284), a later message cannot overtake an
//! earlier one, by construction rather than by an executor's scheduling order.
//!
//! Work that could take long never runs here. Indexing a corpus (walking, reading and
//! analysing every unopened article) and the corpus-wide event checks run on worker threads
//! against snapshots (`Arc<Config>`, `Arc<EventIndex>`); they post their results into the same
//! inbox, tagged with a generation number so that a result computed from outdated data is
//! dropped. The loop itself does only quick things: rope edits, analysing the one article the
//! analyst is editing (after a 50 ms pause in typing, or at once when a request needs it), and
//! answering requests from the index. So `shutdown`, `exit` and `$/cancelRequest` are always
//! read promptly. Requests are answered in order as they arrive, so a `$/cancelRequest`
//! always finds its request already answered, and is ignored.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ropey::Rope;
use serde_json::{json, Value};
use tower_lsp_server::ls_types::{Position, Uri};

use super::position::{rope_offset, Encoding, LineMap};
use super::transport::{self, Answer, Message};
use super::workspace::{self, IdRef, IndexData, CONFIG_FILE};
use crate::analysis::ArticleAnalysis;
use crate::checks::{self, Code, Diagnostic, DocId, Severity};
use crate::corpus::{Config, ConfigError, EventIndex};

/// The pause after the last edit before diagnostics are recomputed, when recomputing them is
/// slow (see [`QUICK`]).
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// Diagnostics that took less than this to recompute last time are recomputed at once after
/// an edit, with no pause: an analyst sees them as they type, and the work costs less than
/// the pause would. Slower ones (a very large article, a corpus-wide change) wait for a pause
/// of [`DEBOUNCE`] in typing. Either way, edits that have already arrived are applied
/// together before any work.
pub const QUICK: Duration = DEBOUNCE;

/// Everything that arrives in the inbox.
pub enum Event {
    /// A client message, or `None` when the input ended.
    Client(Option<Message>),
    /// A worker found the articles of a corpus (sorted, with their URIs): they get document
    /// numbers in this order, whatever order the workers analyse them in.
    IndexTotal {
        corpus: usize,
        generation: u64,
        paths: Vec<(PathBuf, String)>,
    },
    /// A worker analysed one article (`None`: unreadable).
    Indexed {
        corpus: usize,
        generation: u64,
        path: PathBuf,
        data: Option<Box<IndexData>>,
    },
    IndexDone {
        corpus: usize,
        generation: u64,
    },
}

/// An article the editor has open.
pub struct Open {
    pub rope: Rope,
    pub version: i32,
    /// The analysis of the rope's text, unless `dirty`.
    pub analysis: Option<ArticleAnalysis>,
    /// The version the analysis was made from.
    pub analysed_version: i32,
    pub dirty: bool,
    pub article_diags: Vec<Diagnostic>,
    /// Suggestions for unlinked figures kept between analyses, and the configuration they
    /// were made with (held, so that a new configuration is never mistaken for it).
    pub suggestions: (checks::SuggestCache, Option<Arc<Config>>),
}

/// An article of some corpus, open or not. Unopened articles keep no text: their claims live in
/// the corpus index, and their line map and id references here.
pub struct Doc {
    pub path: PathBuf,
    pub uri: String,
    pub corpus: usize,
    pub lines: LineMap,
    pub refs: Vec<IdRef>,
    pub open: Option<Open>,
    /// Whether the doc's claims are in its corpus index.
    pub indexed: bool,
}

/// Work-done progress of an indexing job.
pub struct Progress {
    pub token: String,
    pub created: bool,
    pub began: bool,
    pub done: usize,
    pub total: usize,
    pub finished: bool,
    pub last_percent: Option<u32>,
}

/// One corpus: its settings, its `tally.toml` (on disk or open), its claim index.
pub struct Corpus {
    pub root: PathBuf,
    pub config: Arc<Config>,
    pub config_path: PathBuf,
    pub config_uri: String,
    /// The current `tally.toml` text (the editor's when open), if any.
    pub config_text: Option<String>,
    pub config_lines: LineMap,
    pub config_open: Option<(Rope, i32)>,
    /// The open `tally.toml` changed since it was last parsed (parsed after the debounce).
    pub config_dirty: bool,
    pub config_error: Option<ConfigError>,
    pub index: Arc<EventIndex>,
    /// Bumped on every change of the index or the configuration.
    pub generation: u64,
    /// The current indexing job, and the docs it has seen.
    pub index_generation: u64,
    /// The current indexing generation, shared with the worker so that an outdated job stops.
    pub current_job: Arc<AtomicU64>,
    pub seen: HashSet<DocId>,
    /// Docs the loop re-read itself during the current job (watched files, close): newer than
    /// what the job read, so its results for them are ignored.
    pub reloaded: HashSet<DocId>,
    pub progress: Option<Progress>,
    pub indexing: bool,
}

/// What a pending server-to-client request was for.
enum Pending {
    ProgressCreate(usize),
    Other,
}

/// Client capabilities the server acts on.
#[derive(Default)]
pub struct ClientCaps {
    pub progress: bool,
    pub watch_registration: bool,
}

pub struct Server {
    out: Sender<transport::Outgoing>,
    inbox: Sender<Event>,
    pub enc: Encoding,
    pub caps: ClientCaps,
    pub docs: Vec<Doc>,
    by_path: HashMap<PathBuf, DocId>,
    pub corpora: Vec<Corpus>,
    /// Client severity overrides (`workspace/didChangeConfiguration`): `None` = off.
    pub overrides: BTreeMap<Code, Option<Severity>>,
    initialized: bool,
    shutdown: bool,
    next_request: i64,
    pending: HashMap<i64, Pending>,
    deadline: Option<Instant>,
    /// A hash of the last diagnostics published for each URI (not the diagnostics: comparing
    /// and keeping copies of large publishes cost more than the analysis).
    published: HashMap<String, u64>,
    /// How long the last recomputation of diagnostics took.
    last_flush: Duration,
}

/// A request's outcome: a result, or a JSON-RPC error code and message.
pub type Reply = Result<Value, (i64, String)>;

pub const INVALID_PARAMS: i64 = -32602;
pub const INTERNAL_ERROR: i64 = -32603;
pub const REQUEST_FAILED: i64 = -32803;

/// The path of a `file:` URI.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    if !uri.starts_with("file:") {
        return None;
    }
    let u = Uri::from_str(uri).ok()?;
    Some(u.to_file_path()?.into_owned())
}

/// The `file:` URI of a path.
pub fn path_to_uri(path: &Path) -> String {
    Uri::from_file_path(path).map_or_else(
        || format!("file://{}", path.display()),
        |u| u.as_str().to_string(),
    )
}

impl Server {
    pub fn new(out: Sender<transport::Outgoing>, inbox: Sender<Event>) -> Server {
        Server {
            out,
            inbox,
            enc: Encoding::Utf16,
            caps: ClientCaps::default(),
            docs: Vec::new(),
            by_path: HashMap::new(),
            corpora: Vec::new(),
            overrides: BTreeMap::new(),
            initialized: false,
            shutdown: false,
            next_request: 0,
            pending: HashMap::new(),
            deadline: None,
            published: HashMap::new(),
            last_flush: Duration::ZERO,
        }
    }

    /// The pause after an edit before diagnostics are recomputed (see [`QUICK`]).
    fn edit_delay(&self) -> Duration {
        if self.last_flush < QUICK {
            Duration::ZERO
        } else {
            DEBOUNCE
        }
    }

    /// Handle events until `exit` or the end of the input. Returns whether `shutdown` came first.
    pub fn run(&mut self, rx: Receiver<Event>) -> bool {
        loop {
            let ev = match self.deadline {
                Some(d) => match rx.recv_timeout(d.saturating_duration_since(Instant::now())) {
                    Ok(ev) => Some(ev),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return self.shutdown,
                },
                None => match rx.recv() {
                    Ok(ev) => Some(ev),
                    Err(_) => return self.shutdown,
                },
            };
            if let Some(ev) = ev {
                if self.step(ev) {
                    return self.shutdown;
                }
            }
            if self.deadline.is_some_and(|d| Instant::now() >= d) {
                // Apply what has already arrived (a burst of edits) before the work; a few
                // events only, so that a flood of indexing results never holds diagnostics back.
                for _ in 0..32 {
                    let Ok(ev) = rx.try_recv() else { break };
                    if self.step(ev) {
                        return self.shutdown;
                    }
                }
                self.deadline = None;
                let started = Instant::now();
                self.guard("updating diagnostics", Server::flush);
                self.last_flush = started.elapsed();
            }
        }
    }

    /// Handle one event; true when it ends the server (`exit`, or the end of the input).
    fn step(&mut self, ev: Event) -> bool {
        match ev {
            Event::Client(None) => true,
            Event::Client(Some(Message::Notification { method, .. })) if method == "exit" => true,
            ev => {
                self.guard("handling a message", |s| s.handle(ev));
                false
            }
        }
    }

    /// Run a step of the loop; a panic in it is logged (stderr, and a message to the analyst)
    /// and the server goes on with the next message.
    fn guard(&mut self, what: &str, f: impl FnOnce(&mut Server)) {
        if let Err(e) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self))) {
            let msg = panic_message(&*e);
            eprintln!("tally: internal error while {what}: {msg} (tally keeps running)");
            self.notify(
                "window/showMessage",
                json!({"type": 1, "message": format!("tally: internal error while {what}: {msg}. tally keeps running; please report this.")}),
            );
        }
    }

    // ----- sending -------------------------------------------------------------------------

    pub fn notify(&self, method: &str, params: Value) {
        let _ = self
            .out
            .send(transport::notification(method, params).into());
    }

    fn request(&mut self, method: &str, params: Value, why: Pending) {
        self.next_request += 1;
        self.pending.insert(self.next_request, why);
        let _ = self
            .out
            .send(transport::request(self.next_request, method, params).into());
    }

    /// Recompute diagnostics after `delay`; `extend` pushes an already planned time back
    /// (typing), otherwise the earlier time stays (indexing results, at most every `delay`).
    pub fn schedule(&mut self, delay: Duration, extend: bool) {
        let at = Instant::now() + delay;
        self.deadline = match self.deadline {
            Some(d) if !extend => Some(d.min(at)),
            _ => Some(at),
        };
    }

    // ----- dispatch ------------------------------------------------------------------------

    fn handle(&mut self, ev: Event) {
        match ev {
            Event::Client(Some(m)) => self.handle_message(m),
            Event::Client(None) => {}
            Event::IndexTotal {
                corpus,
                generation,
                paths,
            } => {
                if self.corpora[corpus].index_generation == generation {
                    if let Some(p) = &mut self.corpora[corpus].progress {
                        p.total = paths.len();
                    }
                    for (path, uri) in &paths {
                        if !self.by_path.contains_key(path) {
                            self.intern(path, Some(uri));
                        }
                    }
                    self.report_progress(corpus);
                }
            }
            Event::Indexed {
                corpus,
                generation,
                path,
                data,
            } => self.indexed(corpus, generation, path, data),
            Event::IndexDone { corpus, generation } => self.index_done(corpus, generation),
        }
    }

    fn handle_message(&mut self, m: Message) {
        match m {
            Message::Request { id, method, params } => {
                let reply = if method == "initialize" {
                    self.initialize(&params).map(Answer::Json)
                } else if !self.initialized {
                    Err((-32002, "the server is not initialized".into()))
                } else if self.shutdown {
                    Err((-32600, "the server is shutting down".into()))
                } else if method == "shutdown" {
                    self.shutdown = true;
                    Ok(Answer::Json(Value::Null))
                } else {
                    // A panic in a handler answers this request with an error; the loop goes on.
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        self.dispatch(&method, &params)
                    }))
                    .unwrap_or_else(|e| {
                        let msg = panic_message(&*e);
                        eprintln!("tally: internal error in {method}: {msg} (tally keeps running)");
                        Err((
                            INTERNAL_ERROR,
                            format!("tally: internal error in {method}: {msg}"),
                        ))
                    })
                };
                let _ = self.out.send(transport::answer(id, reply));
            }
            Message::Notification { method, params } => {
                if self.initialized {
                    self.notification(&method, &params);
                }
            }
            Message::Response { id, result, error } => {
                let why = id.as_i64().and_then(|i| self.pending.remove(&i));
                if let Some(Pending::ProgressCreate(c)) = why {
                    if let Some(p) = &mut self.corpora[c].progress {
                        p.created = error.is_none() && result.is_some();
                    }
                    self.report_progress(c);
                }
            }
            Message::Invalid(e) => {
                let _ = self
                    .out
                    .send(transport::response(Value::Null, Err((-32700, e))).into());
            }
        }
    }

    fn notification(&mut self, method: &str, params: &Value) {
        match method {
            "initialized" => self.on_initialized(),
            "textDocument/didOpen" => self.did_open(params),
            "textDocument/didChange" => self.did_change(params),
            "textDocument/didClose" => self.did_close(params),
            "textDocument/didSave" => {}
            "workspace/didChangeWatchedFiles" => self.watched_files(params),
            "workspace/didChangeConfiguration" => {
                self.set_overrides(params.get("settings").unwrap_or(&Value::Null));
                self.republish_all();
            }
            "workspace/didChangeWorkspaceFolders" => {
                let added = params
                    .pointer("/event/added")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                for f in added {
                    if let Some(p) = f.get("uri").and_then(Value::as_str).and_then(uri_to_path) {
                        for root in workspace::discover_roots(&p) {
                            let c = self.add_corpus(root);
                            self.start_indexing(c, true);
                        }
                    }
                }
            }
            "tally/debugPanic" if debug_panic() => panic!("debug panic ({method})"),
            _ => {} // `$/cancelRequest`, `$/setTrace`, …: nothing to do.
        }
    }

    fn dispatch(&mut self, method: &str, params: &Value) -> Result<Answer, (i64, String)> {
        use super::{assist, features};
        let json = |r: Reply| r.map(Answer::Json);
        match method {
            "textDocument/hover" => features::hover(self, params),
            "textDocument/definition" => json(features::definition(self, params)),
            "textDocument/references" => features::references(self, params),
            "textDocument/documentHighlight" => json(features::highlight(self, params)),
            "textDocument/prepareRename" => json(features::prepare_rename(self, params)),
            "textDocument/rename" => json(features::rename(self, params)),
            "textDocument/documentSymbol" => json(features::document_symbols(self, params)),
            "workspace/symbol" => json(features::workspace_symbols(self, params)),
            "workspace/executeCommand" => json(features::execute_command(self, params)),
            "textDocument/completion" => json(assist::completion(self, params)),
            "textDocument/codeAction" => json(assist::code_actions(self, params)),
            "textDocument/codeLens" => json(assist::code_lens(self, params)),
            "textDocument/inlayHint" => json(assist::inlay_hints(self, params)),
            "textDocument/semanticTokens/full" => json(assist::semantic_tokens(self, params)),
            "tally/debugPanic" if debug_panic() => panic!("debug panic ({method})"),
            "tally/documentText" => {
                let uri = params
                    .pointer("/textDocument/uri")
                    .or(params.get("uri"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                json(Ok(self.document_text(uri).map_or(
                    Value::Null,
                    |(t, v)| json!({"text": t, "version": v}),
                )))
            }
            _ => Err((-32601, format!("unknown method `{method}`"))),
        }
    }

    // ----- lifecycle -----------------------------------------------------------------------

    fn initialize(&mut self, params: &Value) -> Reply {
        if self.initialized {
            return Err((-32600, "initialize was already received".into()));
        }
        let offered: Vec<&str> = params
            .pointer("/capabilities/general/positionEncodings")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        self.enc = if offered.contains(&"utf-8") {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        self.caps.progress = params
            .pointer("/capabilities/window/workDoneProgress")
            .and_then(Value::as_bool)
            == Some(true);
        self.caps.watch_registration = params
            .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
            .and_then(Value::as_bool)
            == Some(true);
        if let Some(o) = params.get("initializationOptions") {
            self.set_overrides(o);
        }
        // Workspace folders, else the root URI, else the root path.
        let mut folders: Vec<PathBuf> = params
            .get("workspaceFolders")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|f| f.get("uri")?.as_str())
                    .filter_map(uri_to_path)
                    .collect()
            })
            .unwrap_or_default();
        if folders.is_empty() {
            if let Some(p) = params
                .get("rootUri")
                .and_then(Value::as_str)
                .and_then(uri_to_path)
            {
                folders.push(p);
            } else if let Some(p) = params.get("rootPath").and_then(Value::as_str) {
                folders.push(PathBuf::from(p));
            }
        }
        for f in folders {
            for root in workspace::discover_roots(&f) {
                self.add_corpus(root);
            }
        }
        self.initialized = true;
        Ok(super::capabilities(self.enc))
    }

    fn on_initialized(&mut self) {
        if self.caps.watch_registration {
            let watchers =
                json!([{"globPattern": "**/*.{md,txt}"}, {"globPattern": "**/tally.toml"}]);
            self.request(
                "client/registerCapability",
                json!({"registrations": [{"id": "tally-watch", "method": "workspace/didChangeWatchedFiles",
                    "registerOptions": {"watchers": watchers}}]}),
                Pending::Other,
            );
        }
        for c in 0..self.corpora.len() {
            self.start_indexing(c, true);
        }
    }

    fn set_overrides(&mut self, settings: &Value) {
        let map = settings
            .pointer("/tally/diagnostics")
            .or(settings.get("diagnostics"))
            .and_then(Value::as_object);
        let Some(map) = map else { return };
        self.overrides.clear();
        for (k, v) in map {
            let (Some(code), Some(v)) = (Code::from_name(k), v.as_str()) else {
                continue;
            };
            match v {
                "off" | "none" => {
                    self.overrides.insert(code, None);
                }
                s => {
                    if let Some(s) = Severity::from_name(s) {
                        self.overrides.insert(code, Some(s));
                    }
                }
            }
        }
    }

    // ----- corpora and indexing ------------------------------------------------------------

    /// Add a corpus at `root` (or find the existing one) and read its `tally.toml`.
    pub fn add_corpus(&mut self, root: PathBuf) -> usize {
        if let Some(i) = self.corpora.iter().position(|c| c.root == root) {
            return i;
        }
        let config_path = root.join(CONFIG_FILE);
        let mut c = Corpus {
            config_uri: path_to_uri(&config_path),
            config_path,
            root,
            config: Arc::new(Config::default()),
            config_text: None,
            config_lines: LineMap::default(),
            config_open: None,
            config_dirty: false,
            config_error: None,
            index: Arc::new(EventIndex::new()),
            generation: 1,
            index_generation: 0,
            current_job: Arc::new(AtomicU64::new(0)),
            seen: HashSet::new(),
            reloaded: HashSet::new(),
            progress: None,
            indexing: false,
        };
        // A document that is not a file (`untitled:`) gets a corpus of its own with no folder.
        if c.root.is_absolute() {
            if let Some(text) = super::workspace::read_regular(&c.config_path) {
                apply_config_text(&mut c, text);
            }
        }
        self.corpora.push(c);
        let i = self.corpora.len() - 1;
        self.publish_config(i);
        i
    }

    /// The corpus a file belongs to: the one with the deepest root above it.
    pub fn corpus_of(&self, path: &Path) -> Option<usize> {
        self.corpora
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.root.is_absolute() == path.is_absolute() && path.starts_with(&c.root)
            })
            .max_by_key(|(_, c)| c.root.components().count())
            .map(|(i, _)| i)
    }

    /// (Re)index every unopened article of a corpus on worker threads (one per core).
    pub fn start_indexing(&mut self, ci: usize, with_progress: bool) {
        let roots: Vec<PathBuf> = self.corpora.iter().map(|c| c.root.clone()).collect();
        let progress = self.caps.progress && with_progress;
        if !self.corpora[ci].root.is_absolute() {
            return; // the corpus of documents that are not files: nothing on disk
        }
        let token = format!(
            "tally-index-{}-{}",
            ci,
            self.corpora[ci].index_generation + 1
        );
        let c = &mut self.corpora[ci];
        c.index_generation += 1;
        c.seen.clear();
        c.reloaded.clear();
        c.indexing = true;
        let generation = c.index_generation;
        c.current_job.store(generation, Ordering::SeqCst);
        let job = c.current_job.clone();
        let (root, config, inbox) = (c.root.clone(), c.config.clone(), self.inbox.clone());
        if let Some(old) = c.progress.take().filter(|p| p.began) {
            let _ = self.out.send(
                transport::notification(
                    "$/progress",
                    json!({"token": old.token, "value": {"kind": "end", "message": "restarted"}}),
                )
                .into(),
            );
        }
        if progress {
            c.progress = Some(Progress {
                token: token.clone(),
                created: false,
                began: false,
                done: 0,
                total: 0,
                finished: false,
                last_percent: None,
            });
            self.request(
                "window/workDoneProgress/create",
                json!({"token": token}),
                Pending::ProgressCreate(ci),
            );
        }
        std::thread::spawn(move || {
            let paths = workspace::walk(&root, &config, &roots);
            let listed = paths.iter().map(|p| (p.clone(), path_to_uri(p))).collect();
            if inbox
                .send(Event::IndexTotal {
                    corpus: ci,
                    generation,
                    paths: listed,
                })
                .is_err()
            {
                return;
            }
            // Workers take the next article in turn; the loop merges their results as they come.
            let next = std::sync::atomic::AtomicUsize::new(0);
            let threads = std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .clamp(1, 8);
            let stopped = std::thread::scope(|s| {
                let workers: Vec<_> = (0..threads)
                    .map(|_| {
                        s.spawn(|| loop {
                            if job.load(Ordering::SeqCst) != generation {
                                return true; // a newer job replaced this one
                            }
                            let Some(path) = paths.get(next.fetch_add(1, Ordering::Relaxed)) else {
                                return false;
                            };
                            // A panic on one file costs that file, not the rest of the index.
                            let read =
                                std::panic::catch_unwind(|| workspace::index_file(path, &config));
                            let data = read.unwrap_or_else(|e| {
                                eprintln!(
                                    "tally: internal error analysing {}: {}",
                                    path.display(),
                                    panic_message(&*e)
                                );
                                None
                            });
                            let data = data.map(Box::new);
                            let path = path.clone();
                            if inbox
                                .send(Event::Indexed {
                                    corpus: ci,
                                    generation,
                                    path,
                                    data,
                                })
                                .is_err()
                            {
                                return true;
                            }
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .map(|w| w.join().unwrap_or(true))
                    .fold(false, |a, b| a | b)
            });
            if !stopped {
                let _ = inbox.send(Event::IndexDone {
                    corpus: ci,
                    generation,
                });
            }
        });
    }

    fn indexed(&mut self, ci: usize, generation: u64, path: PathBuf, data: Option<Box<IndexData>>) {
        if self.corpora[ci].index_generation != generation {
            return;
        }
        if let Some(p) = &mut self.corpora[ci].progress {
            p.done += 1;
        }
        let doc = self.intern(&path, None);
        self.corpora[ci].seen.insert(doc);
        // An open article's text is the editor's, not the disk's; one re-read since is newer.
        if self.docs[doc].open.is_none() && !self.corpora[ci].reloaded.contains(&doc) {
            match data {
                Some(d) => self.set_unopened(doc, *d),
                None => self.unindex(doc),
            }
        }
        self.report_progress(ci);
    }

    fn index_done(&mut self, ci: usize, generation: u64) {
        if self.corpora[ci].index_generation != generation {
            return;
        }
        // Articles that are gone or no longer included leave the index.
        let stale: Vec<DocId> = (0..self.docs.len())
            .filter(|&d| {
                self.docs[d].corpus == ci && self.docs[d].indexed && self.docs[d].open.is_none()
            })
            .filter(|d| !self.corpora[ci].seen.contains(d))
            .collect();
        for d in stale {
            self.unindex(d);
        }
        let c = &mut self.corpora[ci];
        c.indexing = false;
        Arc::make_mut(&mut c.index).shrink();
        if let Some(p) = &mut c.progress {
            p.finished = true;
        }
        self.report_progress(ci);
        self.schedule(Duration::ZERO, false);
    }

    fn report_progress(&mut self, ci: usize) {
        let Some(p) = &mut self.corpora[ci].progress else {
            return;
        };
        if !p.created {
            return;
        }
        let mut msgs = Vec::new();
        if !p.began {
            p.began = true;
            msgs.push(
                json!({"kind": "begin", "title": "Indexing corpus", "cancellable": false,
                "message": format!("{} of {}", p.done, p.total), "percentage": 0}),
            );
        }
        let percent = (p.done * 100)
            .checked_div(p.total)
            .map_or(100, |v| v as u32);
        if !p.finished && (p.total < 200 || p.last_percent != Some(percent)) {
            p.last_percent = Some(percent);
            msgs.push(
                json!({"kind": "report", "message": format!("{} of {}", p.done, p.total), "percentage": percent}),
            );
        }
        let token = p.token.clone();
        if p.finished {
            // The bar always shows "n of n" before it closes, even when indexing finished
            // before the client accepted the progress token.
            if p.last_percent != Some(100) {
                msgs.push(json!({"kind": "report", "message": format!("{} of {}", p.done, p.total), "percentage": 100}));
            }
            msgs.push(json!({"kind": "end", "message": format!("{} articles indexed", p.done)}));
            self.corpora[ci].progress = None;
        }
        for m in msgs {
            self.notify("$/progress", json!({"token": token, "value": m}));
        }
    }

    /// The document id of a path, created on first sight.
    pub fn intern(&mut self, path: &Path, uri: Option<&str>) -> DocId {
        if let Some(&d) = self.by_path.get(path) {
            if let Some(u) = uri {
                self.docs[d].uri = u.to_string();
            }
            return d;
        }
        let corpus = match self.corpus_of(path) {
            Some(c) => c,
            None if !path.is_absolute() => self.add_corpus(PathBuf::new()),
            None => {
                let c = self.add_corpus(workspace::root_for_file(path));
                if self.initialized {
                    self.start_indexing(c, true);
                }
                c
            }
        };
        self.docs.push(Doc {
            path: path.to_path_buf(),
            uri: uri.map_or_else(|| path_to_uri(path), str::to_string),
            corpus,
            lines: LineMap::default(),
            refs: Vec::new(),
            open: None,
            indexed: false,
        });
        self.by_path.insert(path.to_path_buf(), self.docs.len() - 1);
        self.docs.len() - 1
    }

    /// Store an article analysed from disk (not open).
    fn set_unopened(&mut self, doc: DocId, d: IndexData) {
        let c = &mut self.corpora[self.docs[doc].corpus];
        let index = Arc::make_mut(&mut c.index);
        index.insert_refs(doc, d.claims);
        let refs = share_refs(index, d.refs);
        c.generation += 1;
        let entry = &mut self.docs[doc];
        entry.lines = d.lines;
        entry.refs = refs;
        entry.indexed = true;
        self.schedule(DEBOUNCE, false);
    }

    fn unindex(&mut self, doc: DocId) {
        let entry = &mut self.docs[doc];
        if entry.indexed {
            entry.indexed = false;
            entry.refs.clear();
            let c = &mut self.corpora[entry.corpus];
            Arc::make_mut(&mut c.index).remove(doc);
            c.generation += 1;
            self.schedule(DEBOUNCE, false);
        }
    }

    // ----- documents -----------------------------------------------------------------------

    /// The document of a URI, if it is an article the server knows.
    pub fn doc_of(&self, uri: &str) -> Option<DocId> {
        let path = uri_to_path(uri).unwrap_or_else(|| PathBuf::from(uri));
        self.by_path.get(&path).copied()
    }

    /// The corpus whose `tally.toml` this URI is.
    pub fn config_of(&self, uri: &str) -> Option<usize> {
        let path = uri_to_path(uri)?;
        self.corpora.iter().position(|c| c.config_path == path)
    }

    fn did_open(&mut self, params: &Value) {
        let td = params.get("textDocument").unwrap_or(&Value::Null);
        let (Some(uri), Some(text)) = (
            td.get("uri").and_then(Value::as_str),
            td.get("text").and_then(Value::as_str),
        ) else {
            return;
        };
        let version = td.get("version").and_then(Value::as_i64).unwrap_or(0) as i32;
        let path = uri_to_path(uri).unwrap_or_else(|| PathBuf::from(uri));
        if path.file_name().is_some_and(|n| n == CONFIG_FILE) {
            let ci = self
                .corpus_of(&path)
                .filter(|&c| self.corpora[c].config_path == path);
            let ci = ci.unwrap_or_else(|| {
                self.add_corpus(path.parent().unwrap_or(Path::new("/")).to_path_buf())
            });
            self.corpora[ci].config_open = Some((Rope::from_str(text), version));
            self.reconfigure(ci, text.to_string());
            return;
        }
        // Files a corpus excludes (a README, drafts, …) are not articles: no analysis.
        if let Some(ci) = self.corpus_of(&path).filter(|_| path.is_absolute()) {
            let c = &self.corpora[ci];
            if !workspace::is_article(&c.root, &c.config, &path) {
                return;
            }
        }
        let doc = self.intern(&path, Some(uri));
        self.docs[doc].open = Some(Open {
            rope: Rope::from_str(text),
            version,
            analysis: None,
            analysed_version: version,
            dirty: true,
            article_diags: Vec::new(),
            suggestions: Default::default(),
        });
        // The opened article gets its diagnostics at once, index complete or not.
        self.analyse_open(doc);
        self.schedule(Duration::ZERO, false);
    }

    fn did_change(&mut self, params: &Value) {
        let Some(uri) = params.pointer("/textDocument/uri").and_then(Value::as_str) else {
            return;
        };
        let version = params
            .pointer("/textDocument/version")
            .and_then(Value::as_i64)
            .map(|v| v as i32);
        let changes = params
            .get("contentChanges")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let enc = self.enc;
        if let Some(ci) = self
            .config_of(uri)
            .filter(|&c| self.corpora[c].config_open.is_some())
        {
            let c = &mut self.corpora[ci];
            if let Some((rope, v)) = &mut c.config_open {
                apply_changes(rope, &changes, enc);
                if let Some(nv) = version {
                    *v = nv;
                }
                c.config_dirty = true;
            }
            self.schedule(DEBOUNCE, true);
            return;
        }
        let Some(doc) = self.doc_of(uri) else { return };
        let Some(open) = &mut self.docs[doc].open else {
            return;
        };
        apply_changes(&mut open.rope, &changes, enc);
        if let Some(v) = version {
            open.version = v;
        }
        open.dirty = true;
        self.schedule(self.edit_delay(), true);
    }

    fn did_close(&mut self, params: &Value) {
        let Some(uri) = params.pointer("/textDocument/uri").and_then(Value::as_str) else {
            return;
        };
        if let Some(ci) = self
            .config_of(uri)
            .filter(|&c| self.corpora[c].config_open.is_some())
        {
            self.corpora[ci].config_open = None;
            let text =
                super::workspace::read_regular(&self.corpora[ci].config_path).unwrap_or_default();
            self.reconfigure(ci, text);
            return;
        }
        let Some(doc) = self.doc_of(uri) else { return };
        if self.docs[doc].open.take().is_none() {
            return;
        }
        // No stale diagnostics after close; the article goes back to its contents on disk.
        let uri = self.docs[doc].uri.clone();
        self.published.remove(&uri);
        self.notify(
            "textDocument/publishDiagnostics",
            json!({"uri": uri, "diagnostics": []}),
        );
        self.reload_from_disk(doc);
    }

    /// Re-read an unopened article from disk (or drop it when gone or not an article).
    fn reload_from_disk(&mut self, doc: DocId) {
        let ci = self.docs[doc].corpus;
        let path = self.docs[doc].path.clone();
        if self.corpora[ci].indexing {
            // Keep the running job from dropping or overwriting what is read here.
            self.corpora[ci].seen.insert(doc);
            self.corpora[ci].reloaded.insert(doc);
        }
        let c = &self.corpora[ci];
        let data = workspace::is_article(&c.root, &c.config, &path)
            .then(|| workspace::index_file(&path, &c.config))
            .flatten();
        match data {
            Some(d) => self.set_unopened(doc, d),
            None => self.unindex(doc),
        }
    }

    fn watched_files(&mut self, params: &Value) {
        let changes = params
            .get("changes")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for ch in changes {
            let Some(path) = ch.get("uri").and_then(Value::as_str).and_then(uri_to_path) else {
                continue;
            };
            if path.file_name().is_some_and(|n| n == CONFIG_FILE) {
                match self.corpora.iter().position(|c| c.config_path == path) {
                    Some(ci) if self.corpora[ci].config_open.is_none() => {
                        let text = super::workspace::read_regular(&path).unwrap_or_default();
                        self.reconfigure(ci, text);
                    }
                    Some(_) => {}
                    None => {
                        if let Some(dir) = path.parent() {
                            let ci = self.add_corpus(dir.to_path_buf());
                            self.start_indexing(ci, true);
                        }
                    }
                }
                continue;
            }
            let Some(ci) = self.corpus_of(&path) else {
                continue;
            };
            if !workspace::is_article(&self.corpora[ci].root, &self.corpora[ci].config, &path) {
                continue;
            }
            let doc = self.intern(&path, None);
            if self.docs[doc].open.is_none() {
                self.reload_from_disk(doc);
            }
        }
    }

    /// A new `tally.toml` text: use it when it parses, else keep the last good configuration
    /// and show the error in the file.
    fn reconfigure(&mut self, ci: usize, text: String) {
        let c = &mut self.corpora[ci];
        if c.config_text.as_deref() == Some(text.as_str()) {
            return;
        }
        let old = c.config.clone();
        apply_config_text(c, text);
        self.publish_config(ci);
        if *self.corpora[ci].config != *old {
            self.corpora[ci].generation += 1;
            for d in 0..self.docs.len() {
                if self.docs[d].corpus == ci {
                    if let Some(o) = &mut self.docs[d].open {
                        o.dirty = true;
                    }
                }
            }
            // Re-read every unopened article with the new settings (no progress: quick, and
            // repeated as the analyst edits).
            self.start_indexing(ci, false);
            self.schedule(DEBOUNCE, false);
        }
    }

    /// Analyse an open article now if its text changed since the last analysis.
    pub fn analyse_open(&mut self, doc: DocId) {
        let ci = self.docs[doc].corpus;
        let config = self.corpora[ci].config.clone();
        let entry = &mut self.docs[doc];
        let Some(open) = &mut entry.open else { return };
        if !open.dirty && open.analysis.is_some() {
            return;
        }
        let text = open.rope.to_string();
        let d = workspace::analyse_text(&entry.path, &text, &config);
        let (cache, made_with) = &mut open.suggestions;
        if !made_with.as_ref().is_some_and(|c| Arc::ptr_eq(c, &config)) {
            cache.clear();
            *made_with = Some(config.clone());
        }
        open.article_diags = checks::article_checks_cached(doc, &d.analysis, &config, cache);
        open.analysed_version = open.version;
        open.dirty = false;
        let c = &mut self.corpora[ci];
        let index = Arc::make_mut(&mut c.index);
        index.insert(doc, &d.analysis);
        let refs = share_refs(index, d.refs);
        c.generation += 1;
        open.analysis = Some(d.analysis);
        entry.lines = d.lines;
        entry.refs = refs;
        entry.indexed = true;
    }

    /// Make every open article of a corpus current (before answering corpus-wide requests).
    pub fn analyse_corpus_open(&mut self, ci: usize) {
        for d in 0..self.docs.len() {
            if self.docs[d].corpus == ci && self.docs[d].open.is_some() {
                self.analyse_open(d);
            }
        }
    }

    /// The editor's text of a document (for tests and debugging).
    pub fn document_text(&self, uri: &str) -> Option<(String, i32)> {
        if let Some(ci) = self.config_of(uri) {
            if let Some((rope, v)) = &self.corpora[ci].config_open {
                return Some((rope.to_string(), *v));
            }
        }
        let open = self.docs[self.doc_of(uri)?].open.as_ref()?;
        Some((open.rope.to_string(), open.version))
    }

    // ----- diagnostics ---------------------------------------------------------------------

    /// The debounce timer fired: analyse what changed and publish. The event checks of an open
    /// article are computed from its own events (see [`checks::event_checks_for_doc`]), so they
    /// cost as much as the article's events, whatever the size of the corpus, and need no
    /// worker thread nor snapshot of the index.
    fn flush(&mut self) {
        for ci in 0..self.corpora.len() {
            if std::mem::take(&mut self.corpora[ci].config_dirty) {
                if let Some((rope, _)) = &self.corpora[ci].config_open {
                    let text = rope.to_string();
                    self.reconfigure(ci, text);
                }
            }
        }
        for d in 0..self.docs.len() {
            if self.docs[d].open.as_ref().is_some_and(|o| o.dirty) {
                self.analyse_open(d);
            }
        }
        for ci in 0..self.corpora.len() {
            self.publish_corpus(ci);
        }
    }

    fn republish_all(&mut self) {
        self.published.clear();
        for ci in 0..self.corpora.len() {
            self.publish_corpus(ci);
            self.publish_config(ci);
        }
    }

    /// Publish the diagnostics of every open article of a corpus that is analysed.
    fn publish_corpus(&mut self, ci: usize) {
        for d in 0..self.docs.len() {
            if self.docs[d].corpus != ci {
                continue;
            }
            let Some(open) = &self.docs[d].open else {
                continue;
            };
            if open.dirty {
                continue; // a newer analysis, and a newer check, will follow
            }
            let c = &self.corpora[ci];
            let event_diags = checks::event_checks_for_doc(&c.index, &c.config, d);
            let mut diags: Vec<&Diagnostic> = open.article_diags.iter().collect();
            diags.extend(event_diags.iter());
            // Serialised once, straight from the diagnostics (no JSON tree: an article with
            // hundreds of diagnostics makes a publish of several hundred KB on every edit).
            let wire = wire::Publish {
                jsonrpc: "2.0",
                method: "textDocument/publishDiagnostics",
                params: wire::PublishParams {
                    uri: &self.docs[d].uri,
                    version: open.analysed_version,
                    diagnostics: diags.into_iter().filter_map(|x| self.to_wire(x)).collect(),
                },
            };
            let Ok(body) = serde_json::to_string(&wire) else {
                continue;
            };
            let hash = hash_bytes(body.as_bytes());
            if self.published.get(&self.docs[d].uri) != Some(&hash) {
                self.published.insert(self.docs[d].uri.clone(), hash);
                let _ = self.out.send(transport::Outgoing::Raw(body));
            }
        }
    }

    /// Publish the `config-error` of a corpus's `tally.toml` (or clear it).
    fn publish_config(&mut self, ci: usize) {
        let c = &self.corpora[ci];
        let mut diags = Vec::new();
        if let Some(e) = &c.config_error {
            let severity = self
                .overrides
                .get(&Code::ConfigError)
                .copied()
                .unwrap_or(Some(Severity::Error));
            if let Some(s) = severity {
                diags.push(json!({
                    "range": c.config_lines.range(&e.span, self.enc),
                    "severity": severity_number(s),
                    "code": Code::ConfigError.name(),
                    "source": "tally",
                    "message": format!("{} (the last good configuration stays in force)", e.message),
                }));
            }
        }
        let mut params = json!({"uri": c.config_uri, "diagnostics": diags});
        if let Some((_, v)) = &c.config_open {
            params["version"] = json!(v);
        }
        let uri = c.config_uri.clone();
        let hash = hash_json(&params);
        let known = self.published.get(&uri);
        if known != Some(&hash) && (known.is_some() || !diags_empty(&params)) {
            self.published.insert(uri, hash);
            self.notify("textDocument/publishDiagnostics", params);
        }
    }

    /// A core diagnostic as it goes on the wire, borrowed from it, with the client's severity
    /// override applied.
    fn to_wire<'a>(&'a self, d: &'a Diagnostic) -> Option<wire::Diagnostic<'a>> {
        let severity = match self.overrides.get(&d.code) {
            Some(s) => (*s)?,
            None => d.severity,
        };
        let doc = self.docs.get(d.doc)?;
        Some(wire::Diagnostic {
            range: doc.lines.range(&d.span, self.enc),
            severity: severity_number(severity),
            code: d.code.name(),
            source: "tally",
            message: &d.message,
            // The most telling few (see `checks::MAX_RELATED`); the hover lists every reading.
            related: d
                .related
                .iter()
                .take(checks::MAX_RELATED)
                .filter_map(|r| {
                    let other = self.docs.get(r.doc)?;
                    Some(wire::Related {
                        location: wire::Location {
                            uri: &other.uri,
                            range: other.lines.range(&r.span, self.enc),
                        },
                        message: &r.message,
                    })
                })
                .collect(),
        })
    }

    // ----- helpers for features --------------------------------------------------------------

    /// The open document of a request (`textDocument.uri`), analysed and current, and the byte
    /// offset of its `position`.
    pub fn at(&mut self, params: &Value) -> Option<(DocId, usize)> {
        let uri = params
            .pointer("/textDocument/uri")
            .and_then(Value::as_str)?;
        let pos: Position = params
            .get("position")
            .and_then(|p| serde_json::from_value(p.clone()).ok())
            .unwrap_or_default();
        let doc = self.doc_of(uri)?;
        self.analyse_open(doc);
        let open = self.docs[doc].open.as_ref()?;
        Some((doc, rope_offset(&open.rope, pos, self.enc)))
    }

    /// The analysis of an open document.
    pub fn analysis(&self, doc: DocId) -> Option<&ArticleAnalysis> {
        self.docs.get(doc)?.open.as_ref()?.analysis.as_ref()
    }

    /// A wire location of a span in a document.
    /// A wire location in a document, borrowed, for serialising directly.
    pub fn wire_location(&self, doc: DocId, span: &std::ops::Range<usize>) -> wire::Location<'_> {
        let d = &self.docs[doc];
        wire::Location {
            uri: &d.uri,
            range: d.lines.range(span, self.enc),
        }
    }

    /// A wire location in a corpus's `tally.toml`, borrowed.
    pub fn wire_config_location(
        &self,
        ci: usize,
        span: &std::ops::Range<usize>,
    ) -> wire::Location<'_> {
        let c = &self.corpora[ci];
        wire::Location {
            uri: &c.config_uri,
            range: c.config_lines.range(span, self.enc),
        }
    }

    pub fn location(&self, doc: DocId, span: &std::ops::Range<usize>) -> Value {
        serde_json::to_value(self.wire_location(doc, span)).unwrap_or(Value::Null)
    }

    /// A wire location in a corpus's `tally.toml`.
    pub fn config_location(&self, ci: usize, span: &std::ops::Range<usize>) -> Value {
        serde_json::to_value(self.wire_config_location(ci, span)).unwrap_or(Value::Null)
    }
}

/// The message of a caught panic.
fn panic_message(e: &(dyn std::any::Any + Send)) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// Whether the test hook `tally/debugPanic` (a request or notification that panics) is on:
/// only with `TALLY_DEBUG_PANIC` set in the environment.
fn debug_panic() -> bool {
    std::env::var_os("TALLY_DEBUG_PANIC").is_some()
}

/// The wire forms of a publish and of locations, borrowed from the server's data and
/// serialised directly.
pub(super) mod wire {
    use serde::Serialize;
    use tower_lsp_server::ls_types::Range;

    #[derive(Serialize)]
    pub struct Publish<'a> {
        pub jsonrpc: &'static str,
        pub method: &'static str,
        pub params: PublishParams<'a>,
    }

    #[derive(Serialize)]
    pub struct PublishParams<'a> {
        pub uri: &'a str,
        pub version: i32,
        pub diagnostics: Vec<Diagnostic<'a>>,
    }

    #[derive(Serialize)]
    pub struct Diagnostic<'a> {
        pub range: Range,
        pub severity: u8,
        pub code: &'static str,
        pub source: &'static str,
        pub message: &'a str,
        #[serde(rename = "relatedInformation", skip_serializing_if = "Vec::is_empty")]
        pub related: Vec<Related<'a>>,
    }

    #[derive(Serialize)]
    pub struct Related<'a> {
        pub location: Location<'a>,
        pub message: &'a str,
    }

    #[derive(Serialize)]
    pub struct Location<'a> {
        pub uri: &'a str,
        pub range: Range,
    }
}

/// An article's id references, their ids pointed at the index's copies: a corpus of 100,000
/// articles names the same few thousand ids millions of times.
fn share_refs(index: &mut EventIndex, mut refs: Vec<IdRef>) -> Vec<IdRef> {
    for r in &mut refs {
        r.id = index.share_str(&r.id);
    }
    refs.shrink_to_fit();
    refs
}

/// A hash of bytes, to tell whether a publish repeats the last one.
fn hash_bytes(b: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write(b);
    h.finish()
}

/// A hash of a JSON value's serialisation, to tell whether a publish repeats the last one.
fn hash_json(v: &Value) -> u64 {
    use std::hash::Hasher;
    struct H(std::collections::hash_map::DefaultHasher);
    impl std::io::Write for H {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.write(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = H(Default::default());
    let _ = serde_json::to_writer(&mut h, v);
    h.0.finish()
}

fn diags_empty(params: &Value) -> bool {
    params["diagnostics"].as_array().is_none_or(Vec::is_empty)
}

/// Parse a `tally.toml` text into a corpus: the new configuration, or an error and the old one.
fn apply_config_text(c: &mut Corpus, text: String) {
    match Config::parse(&text) {
        Ok(cfg) => {
            c.config = Arc::new(cfg);
            c.config_error = None;
        }
        Err(e) => c.config_error = Some(e),
    }
    c.config_lines = LineMap::new(&text);
    c.config_text = Some(text);
}

/// Apply `contentChanges` to a rope, in order. A change without a range replaces everything.
fn apply_changes(rope: &mut Rope, changes: &[Value], enc: Encoding) {
    for ch in changes {
        let Some(text) = ch.get("text").and_then(Value::as_str) else {
            continue;
        };
        // A change with a range that is not a range is skipped: read as "no range" it would
        // replace the whole document with a fragment.
        let range = match ch.get("range") {
            None | Some(Value::Null) => None,
            Some(r) => match serde_json::from_value::<tower_lsp_server::ls_types::Range>(r.clone())
            {
                Ok(r) => Some(r),
                Err(e) => {
                    eprintln!("tally: a change with an invalid range was skipped ({e}): {r}");
                    continue;
                }
            },
        };
        match range {
            None => *rope = Rope::from_str(text),
            Some(r) => {
                let a = rope_offset(rope, r.start, enc);
                let b = rope_offset(rope, r.end, enc);
                let (a, b) = (rope.byte_to_char(a.min(b)), rope.byte_to_char(a.max(b)));
                rope.remove(a..b);
                rope.insert(a, text);
            }
        }
    }
}

/// The LSP number of a severity.
pub fn severity_number(s: Severity) -> u8 {
    match s {
        Severity::Error => 1,
        Severity::Warning => 2,
        Severity::Info => 3,
        Severity::Hint => 4,
    }
}
