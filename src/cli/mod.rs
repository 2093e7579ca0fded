//! The command line: `check`, `extract` and `events` over a corpus, and `lsp`.
//!
//! This layer reads files and prints; everything it reports comes from the core.

pub mod held;
pub mod output;
pub mod workspace;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::analysis::{analyze, linked_claims};
use crate::article::FileKind;
use crate::checks::{Diagnostic, EventChecker, Severity};
use crate::corpus::{ClaimRef, EventIndex};
use held::HeldList;
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
    f: impl FnOnce(&mut Workspace) -> std::io::Result<u8>,
) -> ExitCode {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut ws = match Workspace::load(&paths) {
        Ok(ws) => ws,
        Err(e) => {
            eprintln!("tally: {e}");
            return ExitCode::from(2);
        }
    };
    match f(&mut ws) {
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

/// `tally check`: two passes over the corpus, neither holding its text ([`Checked`]), the
/// output on stdout and warnings on stderr.
fn check(ws: &mut Workspace, format: Format) -> std::io::Result<u8> {
    let checked = Checked::read(ws)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let code = checked.write(ws, format, &mut out, &mut |w| workspace::warn(&w))?;
    out.flush()?;
    Ok(code)
}

/// What the first pass of `tally check` keeps for the second: each document's own diagnostics
/// (held compactly) and the claim index, not the texts. The line index of every document is
/// kept in the [`Workspace`].
pub struct Checked {
    own: HeldList,
    index: EventIndex,
}

impl Checked {
    /// The first pass: read and analyse every article on every core. Each worker keeps only
    /// the article's diagnostics and index entries, not its analysis; the index is filled on
    /// this thread while the workers analyse the next articles.
    pub fn read(ws: &mut Workspace) -> std::io::Result<Checked> {
        let mut own = HeldList::default();
        let holder = own.holder().clone();
        let mut index = EventIndex::new();
        ws.read(
            true,
            |config, f, text| {
                let a = analyze(text, FileKind::from_path(&f.display), config);
                (holder.hold_article_checks(&a, config), ClaimRef::all(0, &a))
            },
            |doc, _, (held, refs)| {
                own.push(held);
                index.insert_refs(doc, refs);
                Ok(())
            },
        )?;
        index.shrink();
        own.shrink();
        Ok(Checked { own, index })
    }

    /// The second pass: add each document's share of the event checks to its own diagnostics
    /// and write them in `format`, on every core, in document order. The text format shows
    /// source lines: each article is read again for them, and `warn` is told of those that
    /// have changed since the first pass (they are shown without). Gives the exit code
    /// (SPEC 5).
    pub fn write<W: Write>(
        &self,
        ws: &Workspace,
        format: Format,
        out: &mut W,
        warn: &mut dyn FnMut(String),
    ) -> std::io::Result<u8> {
        // A document's diagnostics, in the order of the whole sorted list: its own, then its
        // share of the event checks (which is exactly what `event_checks` reports on it),
        // sorted stably.
        let checker = EventChecker::new(&self.index, &ws.config);
        // The text shows a conflict's nearest readings only; JSON and SARIF relate them all.
        let checker = match format {
            Format::Text => checker.shown_only(),
            Format::Json | Format::Sarif => checker,
        };
        let doc_diags = |doc: usize| {
            let mut v = self.own.diagnostics(doc, &ws.config);
            v.extend(checker.for_doc(doc));
            v.sort_by_key(|a| (a.span.start, a.code));
            v
        };
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
                        // The source lines come from the file read again: if it has changed
                        // since, they are left out (and that is said), never shown from another
                        // text.
                        let mut bytes = Vec::new();
                        let text = if ds.is_empty() {
                            Ok("")
                        } else {
                            ws.reread(doc, &mut bytes)
                        };
                        let mut buf = Vec::with_capacity(ds.len() * 512);
                        for d in &ds {
                            output::text_diagnostic(&mut buf, ws, d, text.as_ref().ok().copied());
                        }
                        (buf, severities(&ds), text.err())
                    },
                    |(buf, c, warning)| {
                        if let Some(w) = warning {
                            warn(w);
                        }
                        count(&mut counts, c);
                        out.write_all(&buf)
                    },
                )?;
                if let Some(d) = ws.config_diagnostic() {
                    let text = ws.config_error.as_ref().map(|c| c.text.as_str());
                    let mut buf = Vec::new();
                    output::text_diagnostic(&mut buf, ws, &d, text);
                    out.write_all(&buf)?;
                    counts[d.severity as usize] += 1;
                }
                output::text_summary(out, ws, counts)?;
            }
            Format::Json | Format::Sarif => {
                let mut list = if format == Format::Json {
                    output::JsonList::begin(&mut *out, "diagnostics")?
                } else {
                    output::sarif_begin(&mut *out)?
                };
                let indent = list.element_indent();
                let element = |d: &Diagnostic| match format {
                    Format::Json => Some(output::json_diagnostic(ws, d)),
                    _ => output::sarif_result(ws, d, indent),
                };
                in_order(
                    ws.files.len(),
                    |doc| {
                        let ds = doc_diags(doc);
                        let elements: Vec<Vec<u8>> = ds.iter().filter_map(element).collect();
                        (elements, severities(&ds))
                    },
                    |(elements, c)| {
                        count(&mut counts, c);
                        elements.iter().try_for_each(|j| list.push(j))
                    },
                )?;
                if let Some(d) = ws.config_diagnostic() {
                    if let Some(j) = element(&d) {
                        list.push(&j)?;
                    }
                    counts[d.severity as usize] += 1;
                }
                list.end()?;
            }
        }
        let failing = counts[Severity::Error as usize] + counts[Severity::Warning as usize] > 0;
        Ok(if failing { 1 } else { 0 })
    }
}

/// One pass: each article is read, analysed and rendered on a worker; only its bytes come back.
fn extract(ws: &mut Workspace, json: bool, all: bool) -> std::io::Result<u8> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let render = |config: &crate::corpus::Config, f: &workspace::SourceFile, text: &str| {
        let a = analyze(text, FileKind::from_path(&f.display), config);
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
        ws.read(false, render, |_, _, j| list.push(&j))?;
        list.end()?;
    } else {
        ws.read(false, render, |_, _, b| out.write_all(&b))?;
    }
    out.flush()?;
    Ok(0)
}

/// One pass to index the corpus (no text kept), then the event checks and every event.
fn events(ws: &mut Workspace, json: bool) -> std::io::Result<u8> {
    let mut index = EventIndex::new();
    ws.read(
        true,
        |config, f, text| {
            let kind = FileKind::from_path(&f.display);
            let (article, claims) = linked_claims(text, kind, config);
            ClaimRef::linked(0, &article, &claims)
        },
        |doc, _, refs| {
            index.insert_refs(doc, refs);
            Ok(())
        },
    )?;
    index.shrink();
    let ws = &*ws;
    // Only the diagnostics' claims, codes and (in the text) messages are shown: they are kept
    // as the checks make them, event by event, not the diagnostics whole.
    let mut findings = output::Findings::new(!json);
    EventChecker::new(&index, &ws.config)
        .shown_only()
        .each(|batch| findings.add(batch));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    if json {
        output::json_events(&mut out, ws, &index, &findings)?;
    } else {
        output::text_events(&mut out, ws, &index, &findings)?;
    }
    out.flush()?;
    Ok(0)
}
