//! Finding a corpus on disk: its root, its `tally.toml`, and every article under it; reading
//! the articles, and reading one again.

use std::path::{Path, PathBuf};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;

use crate::checks::{Code, Diagnostic, DocId};
use crate::corpus::{Config, ConfigError};
use crate::lines::LineIndex;

/// An article of the corpus as a command keeps it: where it is and where its lines start, not
/// its text (see [`Workspace::read`]).
pub struct SourceFile {
    pub path: PathBuf,
    /// The path as printed: relative to the current folder when possible.
    pub display: String,
    pub lines: LineIndex,
    /// The text as it was read, to tell whether the file has changed when it is read again.
    pub stamp: Stamp,
}

/// A text's length and hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    hash: u64,
}

impl Stamp {
    /// The stamp of some bytes: their length and their hash with the fast fixed hash the
    /// corpus tables use. Not for adversaries; for files that change while they are being
    /// checked.
    pub fn of(bytes: &[u8]) -> Stamp {
        use std::hash::BuildHasher;
        Stamp {
            len: bytes.len() as u64,
            hash: foldhash::fast::FixedState::default().hash_one(bytes),
        }
    }
}

/// A `tally.toml` that does not parse: its file, its text (for the diagnostic's source line)
/// and the error.
pub struct BrokenConfig {
    pub file: SourceFile,
    pub text: String,
    pub error: ConfigError,
}

/// What the walk found, in order: a file to read, or a warning in its place.
enum Found {
    File { path: PathBuf, display: String },
    Warning(String),
}

/// A corpus loaded for one command: settings, and the articles as they are read.
///
/// [`Workspace::load`] finds the articles; [`Workspace::read`] reads them, a few at a time on
/// every core, and keeps what a command needs across the corpus ([`SourceFile`]) but not their
/// texts: a corpus of 100,000 articles is half a gigabyte of text.
pub struct Workspace {
    pub root: Option<PathBuf>,
    pub config: Config,
    pub config_error: Option<BrokenConfig>,
    /// The articles read, by document number.
    pub files: Vec<SourceFile>,
    /// The articles found and not yet read, and warnings (for the walk's errors).
    found: Vec<Found>,
}

/// The largest article read.
const MAX_FILE: u64 = 256 * 1024 * 1024;

/// Say something on stderr.
pub fn warn(w: &str) {
    eprintln!("tally: warning: {w}");
}

impl Workspace {
    /// Load the corpus for the given paths: folders are walked (`.gitignore` respected,
    /// `include`/`exclude` applied), files are taken as they are. Articles are read later, by
    /// [`Workspace::read`].
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
            found: Vec::new(),
        };
        if let Some(root) = &root {
            let path = root.join("tally.toml");
            match std::fs::read_to_string(&path) {
                Ok(text) => match Config::parse(&text) {
                    Ok(c) => ws.config = c,
                    Err(error) => {
                        let display = display_path(&path);
                        ws.config_error = Some(BrokenConfig {
                            file: SourceFile {
                                lines: LineIndex::new(&text),
                                stamp: Stamp::of(text.as_bytes()),
                                path,
                                display,
                            },
                            text,
                            error,
                        });
                    }
                },
                Err(e) => return Err(format!("{}: {e}", path.display())),
            }
        }
        // Each file once: the first time its real path is found.
        let mut seen = crate::corpus::FastSet::default();
        let cwd = std::env::current_dir().ok();
        for p in paths {
            if p.is_file() {
                let key = p.canonicalize().unwrap_or_else(|_| p.clone());
                if seen.insert(key) {
                    ws.found.push(Found::File {
                        path: p.clone(),
                        display: display_path_in(p, cwd.as_deref()),
                    });
                }
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
                    Err(e) => ws.found.push(Found::Warning(format!("skipped: {e}"))),
                }
            }
            // The corpus order: by path, component by component. (Sorting each folder's
            // entries in the walk instead took 85% of loading: its comparisons find each
            // entry's name in its whole path again.)
            files.sort_by_cached_key(|p| path_key(p));
            debug_assert!(files.is_sorted(), "path_order is the order of paths");
            // The walk follows no links, so a file's real path and its display are the
            // folder's (resolved once) joined with the rest of its path: no system call each.
            let folder_key = p.canonicalize().unwrap_or_else(|_| p.clone());
            let folder_display = display_path_in(p, cwd.as_deref());
            // With one path, the walk finds each file once (it follows no links): there is
            // nothing to tell apart, and no real path to make.
            let alone = paths.len() == 1;
            for f in files {
                let rel = f.strip_prefix(p).ok();
                let display = match rel {
                    Some(rel) if folder_display.is_empty() => path_string(rel),
                    Some(rel) => path_string(&joined(Path::new(&folder_display), rel)),
                    None => display_path_in(&f, cwd.as_deref()),
                };
                let first = alone
                    || seen.insert(match rel {
                        Some(rel) => folder_key.join(rel),
                        None => f.canonicalize().unwrap_or_else(|_| f.clone()),
                    });
                if first {
                    ws.found.push(Found::File { path: f, display });
                }
            }
        }
        Ok(ws)
    }

    /// Read the articles found, on every core: give each text to `make` on the thread that
    /// read it, with the article (its `lines` made there) and the settings, and hand the
    /// results to `consume` on this thread in corpus order, each with the article's document
    /// number. An article that cannot be read gets no number: it is said on stderr in its
    /// place (as are the walk's warnings), and not given to `make`. With `keep`, the articles
    /// read are kept in `files` (for diagnostics, which name other documents' lines); their
    /// texts never are. An error from `consume` stops the reading and is returned.
    pub fn read<R: Send>(
        &mut self,
        keep: bool,
        make: impl Fn(&Config, &SourceFile, &str) -> R + Sync,
        mut consume: impl FnMut(DocId, &SourceFile, R) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let found = std::mem::take(&mut self.found);
        let (config, files) = (&self.config, &mut self.files);
        let mut docs = files.len();
        let read = |i: usize| match &found[i] {
            Found::File { path, display } => match read_text(path, MAX_FILE, &mut Vec::new()) {
                Ok(text) => {
                    let f = SourceFile {
                        path: path.clone(),
                        display: display.clone(),
                        lines: LineIndex::new(text),
                        stamp: Stamp::of(text.as_bytes()),
                    };
                    let r = make(config, &f, text);
                    Ok((f, r))
                }
                Err(e) => Err(format!("{display}: skipped, {e}")),
            },
            Found::Warning(w) => Err(w.clone()),
        };
        par_ordered(found.len(), read, |_, r| match r {
            Ok((f, r)) => {
                consume(docs, &f, r)?;
                docs += 1;
                if keep {
                    files.push(f);
                }
                Ok(())
            }
            Err(w) => {
                warn(&w);
                Ok(())
            }
        })?;
        files.shrink_to_fit();
        Ok(())
    }

    /// The text of an article read again into `bytes` (for its source lines), when it is still
    /// the text that was read; otherwise the warning that says why it is not there.
    pub fn reread<'b>(&self, doc: DocId, bytes: &'b mut Vec<u8>) -> Result<&'b str, String> {
        let Some(f) = self.files.get(doc) else {
            return Err(format!("no document {doc}"));
        };
        let changed = || {
            format!(
                "{}: changed since it was read; its diagnostics are for the text read first, \
                 without its source lines",
                f.display
            )
        };
        // Never a FIFO or a device put in the file's place, whose read would block.
        if !std::fs::metadata(&f.path).is_ok_and(|m| m.is_file()) {
            return Err(changed());
        }
        match read_text(&f.path, f.stamp.len, bytes) {
            Ok(text) if Stamp::of(text.as_bytes()) == f.stamp => Ok(text),
            Ok(_) | Err(Unread::TooBig(_) | Unread::Binary | Unread::NotUtf8(_)) => Err(changed()),
            Err(Unread::Io(e)) => Err(format!(
                "{}: could not be read again ({e}); its diagnostics are without its source lines",
                f.display
            )),
        }
    }

    /// The `config-error` diagnostic for a broken `tally.toml`, as document `files.len()`.
    pub fn config_diagnostic(&self) -> Option<Diagnostic> {
        let e = &self.config_error.as_ref()?.error;
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
    pub fn file(&self, doc: DocId) -> Option<&SourceFile> {
        self.files.get(doc).or_else(|| {
            self.config_error
                .as_ref()
                .filter(|_| doc == self.files.len())
                .map(|c| &c.file)
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

/// Why a file was not read as an article.
enum Unread {
    Io(std::io::Error),
    /// Larger than the limit it was read with.
    TooBig(u64),
    Binary,
    /// Not UTF-8: the offset of the first invalid byte.
    NotUtf8(usize),
}

impl std::fmt::Display for Unread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unread::Io(e) => write!(f, "{e}"),
            Unread::TooBig(limit) => write!(f, "larger than {} MiB", limit >> 20),
            Unread::Binary => f.write_str("a binary file"),
            Unread::NotUtf8(at) => write!(f, "not UTF-8 (invalid byte at offset {at})"),
        }
    }
}

/// Read a file of at most `limit` bytes into `bytes` (cleared first) as the text of an
/// article.
fn read_text<'b>(path: &Path, limit: u64, bytes: &'b mut Vec<u8>) -> Result<&'b str, Unread> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(Unread::Io)?;
    let len = file.metadata().map_err(Unread::Io)?.len();
    if len > limit {
        return Err(Unread::TooBig(limit));
    }
    bytes.clear();
    bytes.reserve_exact(len as usize + 1);
    // At most one byte past the limit: a file that grew since is still refused, not read whole.
    file.by_ref()
        .take(limit + 1)
        .read_to_end(bytes)
        .map_err(Unread::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Unread::TooBig(limit));
    }
    // (The vectorised `memchr` rather than `contains`: a tenth of the instructions.)
    if memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return Err(Unread::Binary);
    }
    // `simdutf8` checks the bytes about five times as fast as `str::from_utf8`.
    simdutf8::compat::from_utf8(bytes).map_err(|e| Unread::NotUtf8(e.valid_up_to()))
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
    // Each batch sent wakes the calling thread: batches of 8 made some 6,000 context
    // switches for 10,000 articles, batches of 32 about 2,300.
    const BATCH: usize = 32;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(n.div_ceil(BATCH));
    if threads <= 1 {
        return (0..n).try_for_each(|i| consume(i, make(i)));
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // Bounded, so that workers far ahead of a slow consumer (a pipe) wait for it: two
    // batches a worker.
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<R>)>(threads * 2);
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

/// `base` joined with `rel`, made at its length (`Path::join` grows it as it goes).
fn joined(base: &Path, rel: &Path) -> PathBuf {
    let len = base.as_os_str().len() + 1 + rel.as_os_str().len();
    let mut p = PathBuf::with_capacity(len);
    p.push(base);
    p.push(rel);
    p
}

/// A path as printed (as `Path::display` shows it).
fn path_string(p: &Path) -> String {
    match p.to_str() {
        Some(s) => s.to_owned(),
        None => p.display().to_string(),
    }
}

/// A key that orders paths made the same way (a walk's: no `.` or `..` component below the
/// folder walked) as `Path`'s own order, component by component, by their bytes: a separator
/// sorts below every other byte, so a component sorts before any longer one it begins.
fn path_key(p: &Path) -> Vec<u8> {
    let bytes = p.as_os_str().as_encoded_bytes();
    bytes
        .iter()
        .map(|&c| match std::path::is_separator(c as char) {
            true => 0,
            false => c,
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Random relative paths of one to three components over an alphabet with the bytes that
    /// sort near a separator (`-`, `.`, space) and a non-ASCII letter.
    fn random_path(rng: &mut crate::test_rng::XorShift) -> PathBuf {
        const PIECES: [&str; 7] = ["a", "b", "-", ".", " ", "é", "0"];
        let mut p = PathBuf::from("corpus");
        for _ in 0..1 + rng.below(3) {
            let name: String = (0..1 + rng.below(3))
                .map(|_| PIECES[rng.below(PIECES.len())])
                .collect();
            // A walk makes no `.` or `..` component below its folder.
            if name != "." && name != ".." {
                p.push(name);
            }
        }
        p
    }

    #[test]
    fn path_keys_sort_paths_as_paths_sort() {
        let mut rng = crate::test_rng::XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..300 {
            let mut paths: Vec<PathBuf> = (0..20).map(|_| random_path(&mut rng)).collect();
            let mut by_key = paths.clone();
            by_key.sort_by_cached_key(|p| path_key(p));
            paths.sort();
            assert_eq!(by_key, paths);
        }
        // The cases a plain byte order gets wrong: a folder before names it begins.
        let mut v: Vec<PathBuf> = ["a-b/x", "a/x", "a.md", "a b"].map(PathBuf::from).to_vec();
        v.sort_by_cached_key(|p| path_key(p));
        assert_eq!(v, ["a/x", "a b", "a-b/x", "a.md"].map(PathBuf::from));
    }
}
