//! Corpora on disk: finding their roots, walking their articles, analysing files off the loop.
//!
//! A corpus is a folder with a `tally.toml`, or a workspace folder without one. Articles are
//! found with the `ignore` crate (so `.gitignore` is respected) and filtered by the corpus's
//! `include` / `exclude` globs. Everything here is plain functions, safe to run on a worker
//! thread: the server loop only merges their results.

use std::ops::Range;
use std::path::{Path, PathBuf};

use ignore::overrides::{Override, OverrideBuilder};

use super::position::LineMap;
use crate::analysis::{analyze, linked_claims, ArticleAnalysis};
use crate::article::{Article, FileKind};
use crate::corpus::{ClaimRef, Config, DocClaims};

/// The name of the corpus settings file.
pub const CONFIG_FILE: &str = "tally.toml";

/// Whether an id reference is an event's or a source's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Event,
    Source,
}

/// An `event=` or `source=` value in an article, kept for renames in unopened files.
#[derive(Debug, Clone, PartialEq)]
pub struct IdRef {
    pub kind: IdKind,
    /// Shared with the corpus index once stored (see [`crate::corpus::EventIndex::share_str`]).
    pub id: crate::corpus::Shared,
    /// The value as written (with quotes, if quoted).
    pub span: Range<usize>,
}

/// The id references of an article.
pub fn id_refs(article: &Article) -> Vec<IdRef> {
    let mut out = Vec::new();
    for ann in &article.annotations {
        for attr in &ann.attrs {
            let kind = match attr.key.as_str() {
                "event" => IdKind::Event,
                "source" if attr.value != "author" => IdKind::Source,
                _ => continue,
            };
            out.push(IdRef {
                kind,
                id: attr.value.as_str().into(),
                span: attr.value_span.clone(),
            });
        }
    }
    out
}

/// What the server keeps of an article it analysed from disk.
pub struct FileData {
    pub analysis: ArticleAnalysis,
    pub lines: LineMap,
    pub refs: Vec<IdRef>,
}

/// Analyse a text as the article at `path`.
pub fn analyse_text(path: &Path, text: &str, config: &Config) -> FileData {
    let kind = FileKind::from_path(&path.to_string_lossy());
    let analysis = analyze(text, kind, config);
    let refs = id_refs(&analysis.article);
    FileData {
        analysis,
        lines: LineMap::new(text),
        refs,
    }
}

/// Read a regular file (through symlinks) as UTF-8: never a FIFO or a device, whose read
/// would block the thread for good.
pub fn read_regular(path: &Path) -> Option<String> {
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// What the server keeps of an article that is not open: its index entries (claims without
/// text), its line map and its id references. Made on a worker thread.
pub struct IndexData {
    /// The article's linked claims; their `doc` is set when they enter the index.
    pub claims: DocClaims,
    pub lines: LineMap,
    pub refs: Vec<IdRef>,
}

/// Read and analyse the article at `path` for the index; `None` if it cannot be read as UTF-8.
///
/// Only the linked claims are made ([`linked_claims`]): the index keeps nothing else.
pub fn index_file(path: &Path, config: &Config) -> Option<IndexData> {
    let text = read_regular(path)?;
    let kind = FileKind::from_path(&path.to_string_lossy());
    let (article, claims) = linked_claims(&text, kind, config);
    Some(IndexData {
        claims: ClaimRef::linked(0, &article, &claims),
        lines: LineMap::new(&text),
        refs: id_refs(&article),
    })
}

/// The include/exclude matcher of a corpus (globs relative to its root, gitignore syntax).
pub fn matcher(root: &Path, config: &Config) -> Option<Override> {
    let mut b = OverrideBuilder::new(root);
    for g in &config.include {
        b.add(g).ok()?;
    }
    for g in &config.exclude {
        b.add(&format!("!{g}")).ok()?;
    }
    b.build().ok()
}

/// Whether a file is an article of the corpus at `root` (by name and globs; `.gitignore` is
/// only consulted by [`walk`]).
pub fn is_article(root: &Path, config: &Config, path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(ext.as_deref(), Some("md" | "txt")) || !path.starts_with(root) {
        return false;
    }
    match matcher(root, config) {
        Some(m) if !m.is_empty() => !m.matched(path, false).is_ignore(),
        _ => true,
    }
}

/// Every article under `root`, sorted, skipping the folders of other corpora (`skip`).
pub fn walk(root: &Path, config: &Config, skip: &[PathBuf]) -> Vec<PathBuf> {
    let mut b = ignore::WalkBuilder::new(root);
    b.hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false);
    if let Some(m) = matcher(root, config) {
        b.overrides(m);
    }
    let skip: Vec<PathBuf> = skip
        .iter()
        .filter(|s| s.as_path() != root)
        .cloned()
        .collect();
    b.filter_entry(move |e| !skip.iter().any(|s| e.path() == s.as_path()));
    let mut out: Vec<PathBuf> = b
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .filter(|p| is_article(root, config, p))
        .collect();
    out.sort();
    out
}

/// The corpus roots of a workspace folder: the folder itself, and every folder below it that
/// has a `tally.toml` (a nested corpus).
pub fn discover_roots(folder: &Path) -> Vec<PathBuf> {
    let mut roots = vec![folder.to_path_buf()];
    let mut b = ignore::WalkBuilder::new(folder);
    b.hidden(true).require_git(false).max_depth(Some(6));
    for e in b.build().filter_map(Result::ok) {
        if e.file_name() == CONFIG_FILE && e.file_type().is_some_and(|t| t.is_file()) {
            if let Some(dir) = e.path().parent() {
                if dir != folder {
                    roots.push(dir.to_path_buf());
                }
            }
        }
    }
    roots.sort();
    roots.dedup();
    roots
}

/// The corpus root for a file outside every known corpus: the nearest folder above it with a
/// `tally.toml`, else its own folder.
pub fn root_for_file(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("/"));
    dir.ancestors()
        .find(|d| d.join(CONFIG_FILE).is_file())
        .unwrap_or(dir)
        .to_path_buf()
}

/// Spans of event ids that `part_of` / `parts` values mention in a `tally.toml`, for renames.
pub fn config_event_mentions(text: &str) -> Vec<(String, Range<usize>)> {
    use serde::Deserialize;
    use std::collections::BTreeMap;
    use toml::Spanned;
    #[derive(Deserialize)]
    struct Raw {
        #[serde(default)]
        events: BTreeMap<String, RawEvent>,
    }
    #[derive(Deserialize)]
    struct RawEvent {
        part_of: Option<Spanned<String>>,
        #[serde(default)]
        parts: Vec<Spanned<String>>,
    }
    let Ok(raw) = toml::from_str::<Raw>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in raw.events.into_values() {
        for s in e.part_of.into_iter().chain(e.parts) {
            let span = s.span();
            out.push((s.into_inner(), span));
        }
    }
    out
}

/// The span of an id inside a value or key as written: without its quotes, if quoted.
pub fn unquoted(text: &str, span: &Range<usize>) -> Range<usize> {
    match text.get(span.clone()) {
        Some(s)
            if s.len() >= 2
                && (s.starts_with('"') && s.ends_with('"')
                    || s.starts_with('\'') && s.ends_with('\'')) =>
        {
            span.start + 1..span.end - 1
        }
        _ => span.clone(),
    }
}
