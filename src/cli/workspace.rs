//! Finding a corpus on disk: its root, its `tally.toml`, and every article under it.

use std::path::{Path, PathBuf};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;

use crate::checks::{Code, Diagnostic};
use crate::corpus::{Config, ConfigError};
use crate::lines::LineIndex;

/// An article read from disk.
pub struct SourceFile {
    pub path: PathBuf,
    /// The path as printed: relative to the current folder when possible.
    pub display: String,
    pub text: String,
    pub lines: LineIndex,
}

/// A corpus loaded for one command: settings and articles.
pub struct Workspace {
    pub root: Option<PathBuf>,
    pub config: Config,
    /// `tally.toml`'s path, text and error, when it is broken.
    pub config_error: Option<(SourceFile, ConfigError)>,
    pub files: Vec<SourceFile>,
    /// Files skipped (binary, not UTF-8, unreadable), said on stderr.
    pub warnings: Vec<String>,
}

const MAX_FILE: u64 = 256 * 1024 * 1024;

impl Workspace {
    /// Load the corpus for the given paths: folders are walked (`.gitignore` respected,
    /// `include`/`exclude` applied), files are taken as they are.
    pub fn load(paths: &[PathBuf]) -> Result<Workspace, String> {
        for p in paths {
            if !p.exists() {
                return Err(format!("{}: no such file or folder", p.display()));
            }
        }
        let root = paths.first().and_then(|p| find_root(p));
        let mut ws = Workspace {
            root: root.clone(),
            config: Config::default(),
            config_error: None,
            files: Vec::new(),
            warnings: Vec::new(),
        };
        if let Some(root) = &root {
            let path = root.join("tally.toml");
            match std::fs::read_to_string(&path) {
                Ok(text) => match Config::parse(&text) {
                    Ok(c) => ws.config = c,
                    Err(e) => {
                        let display = display_path(&path);
                        ws.config_error = Some((
                            SourceFile {
                                lines: LineIndex::new(&text),
                                path,
                                display,
                                text,
                            },
                            e,
                        ));
                    }
                },
                Err(e) => return Err(format!("{}: {e}", path.display())),
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for p in paths {
            if p.is_file() {
                ws.add_file(p, &mut seen);
                continue;
            }
            let base = root.clone().unwrap_or_else(|| p.clone());
            let mut ob = OverrideBuilder::new(&base);
            for g in &ws.config.include {
                ob.add(g)
                    .map_err(|e| format!("tally.toml: include `{g}`: {e}"))?;
            }
            for g in &ws.config.exclude {
                ob.add(&format!("!{g}"))
                    .map_err(|e| format!("tally.toml: exclude `{g}`: {e}"))?;
            }
            let ov = ob.build().map_err(|e| format!("tally.toml: {e}"))?;
            let mut files: Vec<PathBuf> = Vec::new();
            for entry in WalkBuilder::new(p)
                .overrides(ov)
                .require_git(false)
                .follow_links(false)
                .build()
            {
                match entry {
                    Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                        let path = e.into_path();
                        let ext = path
                            .extension()
                            .and_then(|x| x.to_str())
                            .unwrap_or("")
                            .to_ascii_lowercase();
                        if ext == "md" || ext == "txt" || ext == "markdown" {
                            files.push(path);
                        }
                    }
                    Ok(_) => {}
                    Err(e) => ws.warnings.push(format!("skipped: {e}")),
                }
            }
            files.sort();
            // Read the files on every core; keep their order and the first of duplicates.
            // The walk follows no links, so a file's real path and its display are the
            // folder's (resolved once) joined with the rest of its path: no system call each.
            let cwd = std::env::current_dir().ok();
            let folder_key = p.canonicalize().unwrap_or_else(|_| p.clone());
            let folder_display = display_path_in(p, cwd.as_deref());
            let read = |i: usize| {
                let f = &files[i];
                match f.strip_prefix(p) {
                    Ok(rel) => {
                        let display = if folder_display.is_empty() {
                            rel.display().to_string()
                        } else {
                            Path::new(&folder_display).join(rel).display().to_string()
                        };
                        (folder_key.join(rel), read_file(f, display))
                    }
                    Err(_) => (
                        f.canonicalize().unwrap_or_else(|_| f.clone()),
                        read_file(f, display_path_in(f, cwd.as_deref())),
                    ),
                }
            };
            let keep = |_, (key, r)| {
                if seen.insert(key) {
                    ws.push(r);
                }
                Ok(())
            };
            par_ordered(files.len(), read, keep).map_err(|e| e.to_string())?;
        }
        Ok(ws)
    }

    fn add_file(&mut self, path: &Path, seen: &mut std::collections::BTreeSet<PathBuf>) {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        if !seen.insert(key) {
            return;
        }
        let cwd = std::env::current_dir().ok();
        self.push(read_file(path, display_path_in(path, cwd.as_deref())));
    }

    fn push(&mut self, r: Result<SourceFile, String>) {
        match r {
            Ok(f) => self.files.push(f),
            Err(w) => self.warnings.push(w),
        }
    }

    /// The `config-error` diagnostic for a broken `tally.toml`, as document `files.len()`.
    pub fn config_diagnostic(&self) -> Option<Diagnostic> {
        let (_, e) = self.config_error.as_ref()?;
        Some(Diagnostic {
            doc: self.files.len(),
            span: e.span.clone(),
            code: Code::ConfigError,
            severity: crate::checks::Severity::Error,
            message: format!("{}; using default settings", e.message),
            related: Vec::new(),
            more_related: 0,
        })
    }

    /// The file of a document number (the config file is `files.len()`).
    pub fn file(&self, doc: usize) -> Option<&SourceFile> {
        self.files.get(doc).or_else(|| {
            self.config_error
                .as_ref()
                .filter(|_| doc == self.files.len())
                .map(|(f, _)| f)
        })
    }
}

/// The corpus root for a path: the nearest folder at or above it with a `tally.toml`.
pub fn find_root(path: &Path) -> Option<PathBuf> {
    let abs = path.canonicalize().ok()?;
    let start = if abs.is_file() {
        abs.parent()?.to_path_buf()
    } else {
        abs
    };
    start
        .ancestors()
        .find(|d| d.join("tally.toml").is_file())
        .map(Path::to_path_buf)
}

/// Read an article: the file, or the warning that says why it is skipped.
fn read_file(path: &Path, display: String) -> Result<SourceFile, String> {
    use std::io::Read;
    let skipped = |e: std::io::Error| format!("{display}: skipped, {e}");
    let mut file = std::fs::File::open(path).map_err(skipped)?;
    let len = file.metadata().map_err(skipped)?.len();
    if len > MAX_FILE {
        return Err(format!(
            "{display}: skipped, larger than {} MiB",
            MAX_FILE >> 20
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    // At most one byte past the limit: a file that grew since is still refused, not read whole.
    file.by_ref()
        .take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(skipped)?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(format!(
            "{display}: skipped, larger than {} MiB",
            MAX_FILE >> 20
        ));
    }
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(format!("{display}: skipped, a binary file"));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile {
            path: path.to_path_buf(),
            display,
            lines: LineIndex::new(&text),
            text,
        }),
        Err(e) => Err(format!(
            "{display}: skipped, not UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )),
    }
}

/// Make `make(i)` for every `i` in `0..n` on every core and hand each result to `consume` on
/// the calling thread in order of `i`, as soon as it and those before it are made: consuming
/// (indexing, writing) overlaps with making, and only the results waiting for an earlier
/// one are held. An error from `consume` stops the workers and is returned; a panic in `make`
/// is resumed on the calling thread.
pub fn par_ordered<R: Send>(
    n: usize,
    make: impl Fn(usize) -> R + Sync,
    mut consume: impl FnMut(usize, R) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    const BATCH: usize = 8;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(n.div_ceil(BATCH));
    if threads <= 1 {
        return (0..n).try_for_each(|i| consume(i, make(i)));
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // Bounded, so that workers far ahead of a slow consumer (a pipe) wait for it.
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<R>)>(threads * 8);
    std::thread::scope(|s| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, make) = (&next, &stop, &make);
            s.spawn(move || loop {
                let start = next.fetch_add(BATCH, Ordering::Relaxed);
                if start >= n || stop.load(Ordering::Relaxed) {
                    return;
                }
                let batch = (start..(start + BATCH).min(n)).map(make).collect();
                if tx.send((start, batch)).is_err() {
                    return;
                }
            });
        }
        drop(tx);
        // Batches made but waiting for an earlier one, by first index.
        let mut waiting: std::collections::BTreeMap<usize, Vec<R>> = Default::default();
        let mut want = 0;
        let result = (|| {
            while want < n {
                let Ok((start, batch)) = rx.recv() else {
                    break; // a worker panicked: the scope resumes it
                };
                waiting.insert(start, batch);
                while let Some(batch) = waiting.remove(&want) {
                    for r in batch {
                        consume(want, r)?;
                        want += 1;
                    }
                }
            }
            Ok(())
        })();
        if result.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        drop(rx);
        result
    })
}

fn display_path(path: &Path) -> String {
    display_path_in(path, std::env::current_dir().ok().as_deref())
}

fn display_path_in(path: &Path, cwd: Option<&Path>) -> String {
    let rel = cwd
        .and_then(|c| {
            path.canonicalize()
                .ok()
                .and_then(|p| p.strip_prefix(c).ok().map(Path::to_path_buf))
        })
        .unwrap_or_else(|| path.to_path_buf());
    let s = rel.display().to_string();
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}
