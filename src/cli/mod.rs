//! The command line: `check`, `extract` and `events` over a corpus, and `lsp`.
//!
//! This layer reads files and prints; everything it reports comes from the core.

pub mod output;
pub mod workspace;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::analysis::{analyze, linked_claims};
use crate::article::FileKind;
use crate::checks::{article_checks, event_checks, Diagnostic, EventChecker, Severity};
use crate::corpus::{ClaimRef, EventIndex};
use workspace::Workspace;

/// tally: read, attribute and cross-check the figures in a corpus of news articles.
#[derive(Parser, Debug)]
#[command(name = "tally", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Diagnostics for a corpus, as a linter: exits 1 when anything at warning or above is found.
    Check {
        /// Corpus folders or article files (default: the current folder).
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Every figure, read: qualifier, value, interval, unit, attribution and event.
    Extract {
        /// Corpus folders or article files (default: the current folder).
        paths: Vec<PathBuf>,
        /// Print one JSON document (the only format so far).
        #[arg(long)]
        json: bool,
        /// Report incidental figures too (they are always in the JSON).
        #[arg(long)]
        all: bool,
    },
    /// Each event: every source's reading, low / median / high, and conflicts.
    Events {
        /// The corpus folder (default: the current folder).
        path: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The language server, on stdin/stdout.
    Lsp,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

/// Run a parsed command line; the exit code follows SPEC 5 (0 clean, 1 findings, 2 errors).
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check { paths, format } => with_workspace(&paths, |ws| check(ws, format)),
        Command::Extract { paths, json, all } => {
            with_workspace(&paths, |ws| extract(ws, json, all))
        }
        Command::Events { path, json } => {
            let paths: Vec<PathBuf> = path.into_iter().collect();
            with_workspace(&paths, |ws| events(ws, json))
        }
        Command::Lsp => lsp(),
    }
}

#[cfg(feature = "lsp")]
fn lsp() -> ExitCode {
    crate::lsp::run()
}

#[cfg(not(feature = "lsp"))]
fn lsp() -> ExitCode {
    eprintln!("tally: this build has no language server (build with `--features lsp`)");
    ExitCode::from(2)
}

fn with_workspace(
    paths: &[PathBuf],
    f: impl FnOnce(&Workspace) -> std::io::Result<u8>,
) -> ExitCode {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let ws = match Workspace::load(&paths) {
        Ok(ws) => ws,
        Err(e) => {
            eprintln!("tally: {e}");
            return ExitCode::from(2);
        }
    };
    for w in &ws.warnings {
        eprintln!("tally: warning: {w}");
    }
    match f(&ws) {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tally: {e}");
            ExitCode::from(2)
        }
    }
}

/// Make something for every document on every core and hand the results to `write` in
/// document order as they are made: the output for a large corpus is never held whole.
fn in_order<R: Send>(
    docs: usize,
    make: impl Fn(usize) -> R + Sync,
    mut write: impl FnMut(R) -> std::io::Result<()>,
) -> std::io::Result<()> {
    workspace::par_ordered(docs, make, |_, r| write(r))
}

fn check(ws: &Workspace, format: Format) -> std::io::Result<u8> {
    // Each worker keeps only the article's diagnostics and index entries, not its analysis;
    // the index is filled on this thread while the workers analyse the next articles.
    let mut own = Vec::with_capacity(ws.files.len());
    let mut index = EventIndex::new();
    in_order(
        ws.files.len(),
        |doc| {
            let f = &ws.files[doc];
            let a = analyze(&f.text, FileKind::from_path(&f.display), &ws.config);
            (
                doc,
                article_checks(doc, &a, &ws.config),
                ClaimRef::all(doc, &a),
            )
        },
        |(doc, d, refs)| {
            own.push(d);
            index.insert_refs(doc, refs);
            Ok(())
        },
    )?;
    // A document's diagnostics, in the order of the whole sorted list: its own, then its share
    // of the event checks (which is exactly what `event_checks` reports on it), sorted stably.
    let checker = EventChecker::new(&index, &ws.config);
    // The text shows a conflict's nearest readings only; JSON and SARIF relate them all.
    let checker = match format {
        Format::Text => checker.shown_only(),
        Format::Json | Format::Sarif => checker,
    };
    // Each document's own diagnostics are taken (not copied) when its output is made.
    let own: Vec<std::sync::Mutex<Vec<Diagnostic>>> =
        own.into_iter().map(std::sync::Mutex::new).collect();
    let doc_diags = |doc: usize| {
        let mut v: Vec<Diagnostic> =
            std::mem::take(&mut *own[doc].lock().unwrap_or_else(|e| e.into_inner()));
        v.extend(checker.for_doc(doc));
        v.sort_by_key(|a| (a.span.start, a.code));
        v
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    // Diagnostics by severity: error, warning, info, hint.
    let mut counts = [0usize; 4];
    let count = |counts: &mut [usize; 4], c: [usize; 4]| {
        for (n, k) in counts.iter_mut().zip(c) {
            *n += k;
        }
    };
    let severities = |ds: &[Diagnostic]| {
        let mut c = [0usize; 4];
        for d in ds {
            c[d.severity as usize] += 1;
        }
        c
    };
    match format {
        Format::Text => {
            in_order(
                ws.files.len(),
                |doc| {
                    let ds = doc_diags(doc);
                    let mut buf = Vec::with_capacity(ds.len() * 512);
                    for d in &ds {
                        output::text_diagnostic(&mut buf, ws, d).expect("writing to memory");
                    }
                    (buf, severities(&ds))
                },
                |(buf, c)| {
                    count(&mut counts, c);
                    out.write_all(&buf)
                },
            )?;
            if let Some(d) = ws.config_diagnostic() {
                output::text_diagnostic(&mut out, ws, &d)?;
                counts[d.severity as usize] += 1;
            }
            output::text_summary(&mut out, ws, counts)?;
        }
        Format::Json => {
            let mut list = output::JsonList::begin(&mut out, "diagnostics")?;
            in_order(
                ws.files.len(),
                |doc| {
                    let ds = doc_diags(doc);
                    let json: Vec<Vec<u8>> =
                        ds.iter().map(|d| output::json_diagnostic(ws, d)).collect();
                    (json, severities(&ds))
                },
                |(json, c)| {
                    count(&mut counts, c);
                    json.iter().try_for_each(|j| list.push(j))
                },
            )?;
            if let Some(d) = ws.config_diagnostic() {
                list.push(&output::json_diagnostic(ws, &d))?;
                counts[d.severity as usize] += 1;
            }
            list.end()?;
        }
        Format::Sarif => {
            let mut diags: Vec<Diagnostic> = Vec::new();
            in_order(ws.files.len(), doc_diags, |ds| {
                diags.extend(ds);
                Ok(())
            })?;
            diags.extend(ws.config_diagnostic());
            count(&mut counts, severities(&diags));
            output::sarif_diagnostics(&mut out, ws, &diags)?;
        }
    }
    out.flush()?;
    let failing = counts[Severity::Error as usize] + counts[Severity::Warning as usize] > 0;
    Ok(if failing { 1 } else { 0 })
}

fn extract(ws: &Workspace, json: bool, all: bool) -> std::io::Result<u8> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    // Each file is analysed and rendered on a worker; only its bytes come back.
    let render = |doc: usize| {
        let f = &ws.files[doc];
        let a = analyze(&f.text, FileKind::from_path(&f.display), &ws.config);
        if json {
            output::json_figures(f, &a)
        } else {
            let mut buf = Vec::new();
            output::text_figures(&mut buf, f, &a, all).expect("writing to memory");
            buf
        }
    };
    if json {
        let mut list = output::JsonList::begin(&mut out, "files")?;
        in_order(ws.files.len(), render, |j| list.push(&j))?;
        list.end()?;
    } else {
        in_order(ws.files.len(), render, |b| out.write_all(&b))?;
    }
    out.flush()?;
    Ok(0)
}

fn events(ws: &Workspace, json: bool) -> std::io::Result<u8> {
    let mut index = EventIndex::new();
    in_order(
        ws.files.len(),
        |doc| {
            let f = &ws.files[doc];
            let kind = FileKind::from_path(&f.display);
            let (article, claims) = linked_claims(&f.text, kind, &ws.config);
            (doc, ClaimRef::linked(doc, &article, &claims))
        },
        |(doc, refs)| {
            index.insert_refs(doc, refs);
            Ok(())
        },
    )?;
    let diags = event_checks(&index, &ws.config);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    if json {
        output::json_events(&mut out, ws, &index, &diags)?;
    } else {
        output::text_events(&mut out, ws, &index, &diags)?;
    }
    out.flush()?;
    Ok(0)
}
