//! The invariants the fuzz targets check, one function per target.
//!
//! Each function takes the fuzzer's bytes, runs part of tally on them and panics (an
//! `assert!`) when an invariant breaks. The same functions are used three ways:
//!
//! - by the `cargo fuzz` targets in `fuzz_targets/` (libFuzzer, coverage guided);
//! - by `tests/reliability_fuzz.rs` in the main package (it includes this file with
//!   `#[path]`), which replays the seeds and every saved crash in `fuzz/regressions/`, and
//!   runs a quick stable-toolchain random loop over the same functions;
//! - by anyone debugging a crash: `cargo test --release --test reliability_fuzz`.
//!
//! Invariants, for any input: no panic; every span inside the text, on char boundaries, with
//! start ≤ end; every reading finite with low ≤ high; the raw text (annotations removed) read
//! again gives the same figures.

use std::ops::Range;

use tally::article::{Article, FileKind};
use tally::corpus::{Config, EventIndex};
use tally::figures::{self, Figure, Reading, Value};

/// The text of a fuzz input: UTF-8 as is, anything else decoded lossily (as an editor would
/// show it), so that every input exercises the parser.
pub fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

fn span_ok(text: &str, span: &Range<usize>, what: &str) {
    assert!(
        span.start <= span.end,
        "{what}: start {} > end {}",
        span.start,
        span.end
    );
    assert!(
        span.end <= text.len(),
        "{what}: end {} past the text ({} bytes)",
        span.end,
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start),
        "{what}: start {} inside a character",
        span.start
    );
    assert!(
        text.is_char_boundary(span.end),
        "{what}: end {} inside a character",
        span.end
    );
}

fn reading_ok(r: &Reading, what: &str) {
    for v in [r.low, r.high].into_iter().flatten() {
        assert!(v.is_finite(), "{what}: bound {v} is not finite ({r:?})");
    }
    if let (Some(l), Some(h)) = (r.low, r.high) {
        assert!(l <= h, "{what}: low {l} > high {h} ({r:?})");
    }
    match r.value {
        Value::Number(v) => assert!(v.is_finite(), "{what}: value {v} is not finite"),
        Value::Range(a, b) => {
            assert!(
                a.is_finite() && b.is_finite(),
                "{what}: range {a}..{b} is not finite"
            );
            assert!(a <= b, "{what}: range {a}..{b} runs backwards");
        }
        Value::None => {}
    }
}

fn figures_ok(text: &str, figs: &[Figure], what: &str) {
    let mut last_end = 0;
    for (i, f) in figs.iter().enumerate() {
        let w = format!("{what} figure {i} {:?}", text.get(f.span.clone()));
        span_ok(text, &f.span, &w);
        span_ok(text, &f.number_span, &w);
        assert!(
            f.span.start <= f.number_span.start && f.number_span.end <= f.span.end,
            "{w}: the numeral {:?} is outside the figure {:?}",
            f.number_span,
            f.span
        );
        assert!(
            f.span.start >= last_end,
            "{w}: overlaps the figure before it"
        );
        last_end = f.span.end;
        reading_ok(&f.reading, &w);
    }
}

/// Check an article parse: every span in the file, every analysis offset mapping back into it.
pub fn article_ok(text: &str, a: &Article) {
    span_ok(text, &(a.body_start..text.len()), "body");
    span_ok(text, &a.meta.span, "front matter");
    if let Some(t) = &a.meta.title_span {
        span_ok(text, t, "title");
    }
    for (i, an) in a.annotations.iter().enumerate() {
        let w = format!("annotation {i}");
        span_ok(text, &an.span, &w);
        span_ok(text, &an.text_span, &w);
        span_ok(text, &an.block_span, &w);
        assert!(
            an.span.start < an.text_span.start && an.text_span.end < an.block_span.start,
            "{w}: parts out of order"
        );
        assert!(
            an.block_span.end == an.span.end,
            "{w}: the block does not end the annotation"
        );
        for at in &an.attrs {
            span_ok(text, &at.key_span, &w);
            span_ok(text, &at.value_span, &w);
            assert!(
                an.block_span.start < at.key_span.start && at.value_span.end < an.block_span.end,
                "{w}: attr outside"
            );
        }
    }
    for (i, e) in a.errors.iter().enumerate() {
        span_ok(text, &e.span, &format!("error {i} ({})", e.message));
    }
    let at = &a.analysis_text;
    span_ok(at, &(a.analysis_body_start..at.len()), "analysis body");
    // Every analysis offset that starts a character maps to a character start in the file.
    for (off, _) in at
        .char_indices()
        .chain(std::iter::once((at.len(), ' ')))
        .step_by(7)
    {
        let f = a.to_file(off);
        assert!(
            f <= text.len() && text.is_char_boundary(f),
            "to_file({off}) = {f} is not a character start"
        );
    }
}

/// The file with every annotation's brackets and attribute block removed.
pub fn strip_annotations(text: &str, a: &Article) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for an in &a.annotations {
        out.push_str(&text[at..an.span.start]);
        out.push_str(&text[an.text_span.clone()]);
        at = an.span.end;
    }
    out.push_str(&text[at..]);
    out
}

fn analysis_ok(text: &str, kind: FileKind, config: &Config) -> tally::ArticleAnalysis {
    let an = tally::analyze(text, kind, config);
    article_ok(text, &an.article);
    let at = &an.article.analysis_text;
    for (i, c) in an.claims.iter().enumerate() {
        let w = format!("claim {i} {:?}", c.text);
        span_ok(text, &c.span, &w);
        span_ok(at, &c.analysis_span, &w);
        reading_ok(&c.reading, &w);
        if let Some(cue) = &c.attribution.cue_span {
            span_ok(at, cue, &format!("{w} attribution cue"));
        }
        if let Some((_, s)) = &c.event {
            span_ok(text, s, &w);
        }
        if let Some((_, s)) = &c.source_attr {
            span_ok(text, s, &w);
        }
    }
    for &(ai, _) in &an.bad_spans {
        assert!(ai < an.article.annotations.len());
    }
    // Article diagnostics point into the file.
    for d in tally::checks::article_checks(0, &an, config) {
        span_ok(text, &d.span, &format!("diagnostic {}", d.message));
    }
    an
}

/// Target `article`: any bytes as a Markdown and as a text article (front matter,
/// annotations, figures, attribution, article checks).
pub fn article(data: &[u8]) {
    let text = text_of(data);
    let config = Config::default();
    for kind in [FileKind::Markdown, FileKind::Text] {
        let an = analysis_ok(&text, kind, &config);
        let a = &an.article;
        // Re-parsing the raw text finds the same figures.
        let raw = a.analysis_text.clone();
        let figs = figures::extract(&raw);
        figures_ok(&raw, &figs, "raw");
        assert_eq!(figs, figures::extract(&raw), "extract is not deterministic");
        // Unannotated claims are exactly the raw text's figures.
        for c in an.claims.iter().filter(|c| c.annotation.is_none()) {
            assert!(
                figs.iter()
                    .any(|f| f.span == c.analysis_span && f.reading == c.reading),
                "claim {:?} is not a figure of the raw text",
                c.text
            );
        }
        // Removing the annotations from the file gives the same raw text, unless doing so
        // makes new annotations (nested brackets), drops escapes (`\[`), brings a U+FEFF
        // from inside the text to the start of the file, where it is a byte-order mark, or
        // changes where the front matter ends (a `.txt` header is read from the lines as
        // they stand, annotation syntax and all).
        if !a.annotations.is_empty() && !text[a.body_start..].contains('\\') {
            let stripped = strip_annotations(&text, a);
            if stripped.starts_with('\u{feff}') && !text.starts_with('\u{feff}') {
                continue;
            }
            let b = Article::parse(&stripped, kind);
            if b.annotations.is_empty() && b.body_start == a.body_start {
                assert_eq!(
                    b.analysis_text, raw,
                    "removing the annotations changed the raw text"
                );
                assert_eq!(figures::extract(&b.analysis_text), figs);
            }
        }
    }
}

/// A small deterministic byte reader for structured targets.
pub struct Bytes<'d> {
    data: &'d [u8],
    at: usize,
}

impl<'d> Bytes<'d> {
    pub fn new(data: &'d [u8]) -> Bytes<'d> {
        Bytes { data, at: 0 }
    }
    pub fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }
    pub fn rest(&self) -> &'d [u8] {
        &self.data[self.at.min(self.data.len())..]
    }
}

/// Target `annotate`: a raw text (no annotation syntax), its figures wrapped in annotations
/// as an analyst would; the annotated file must give back the same raw text, and every
/// wrapped figure the same reading.
pub fn annotate(data: &[u8]) {
    let mut b = Bytes::new(data);
    let choices: Vec<u8> = (0..8).map(|_| b.byte()).collect();
    let text: String = text_of(b.rest())
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | '{' | '}' | '\\'))
        .collect();
    let kind = if choices[0] & 1 == 0 {
        FileKind::Markdown
    } else {
        FileKind::Text
    };
    let config = Config::default();
    let a0 = Article::parse(&text, kind);
    let raw = a0.analysis_text.clone();
    let figs = figures::extract(&raw);
    // Wrap some body figures: the whole figure or just its numeral.
    let mut wraps: Vec<(Range<usize>, &str, usize)> = Vec::new();
    for (i, f) in figs.iter().enumerate() {
        let c = choices[1 + i % 7].rotate_left(i as u32);
        if c & 3 == 0 || f.span.start < a0.analysis_body_start {
            continue;
        }
        let span = if c & 4 == 0 {
            f.span.clone()
        } else {
            f.number_span.clone()
        };
        let file = a0.span_to_file(span.clone());
        if text[file.clone()].contains("\n\n") || text[file.clone()].trim().is_empty() {
            continue; // a span stays inside one paragraph
        }
        let block = match (c >> 3) & 3 {
            0 => "{event=e1}",
            1 => "{event=e-2 source=\"Some Agency\" note=\"a \\\"quoted\\\" note\"}",
            2 => "{.ignore}",
            _ => "{source=author asof=2016-12-07 #id .x}",
        };
        wraps.push((file, block, i));
    }
    let mut annotated = String::with_capacity(text.len() + wraps.len() * 40);
    let mut at = 0;
    for (file, block, _) in &wraps {
        annotated.push_str(&text[at..file.start]);
        annotated.push('[');
        annotated.push_str(&text[file.clone()]);
        annotated.push(']');
        annotated.push_str(block);
        at = file.end;
    }
    annotated.push_str(&text[at..]);
    let an = analysis_ok(&annotated, kind, &config);
    let a1 = &an.article;
    assert_eq!(
        a1.annotations.len(),
        wraps.len(),
        "not every wrapped figure became an annotation"
    );
    assert!(
        a1.errors
            .iter()
            .all(|e| e.kind != tally::article::ParseErrorKind::Annotation),
        "{:?}",
        a1.errors
    );
    assert_eq!(a1.analysis_text, raw, "annotations changed the raw text");
    for (ai, (_, block, fi)) in wraps.iter().enumerate() {
        let f = &figs[*fi];
        if block.contains(".ignore") {
            assert!(
                an.claims.iter().all(|c| c.annotation != Some(ai)),
                "an ignored span became a claim"
            );
            continue;
        }
        let c = an
            .claims
            .iter()
            .find(|c| c.annotation == Some(ai))
            .expect("a wrapped figure is a claim");
        assert_eq!(
            c.reading, f.reading,
            "annotating changed the reading of {:?}",
            c.text
        );
    }
}

/// Target `figures`: the figure reader and attribution on any text, and the reader on any
/// sub-span (as an annotation forces it).
pub fn figures(data: &[u8]) {
    let mut b = Bytes::new(data);
    let (s1, s2) = (b.byte() as usize, b.byte() as usize);
    let text = text_of(b.rest());
    let figs = figures::extract(&text);
    figures_ok(&text, &figs, "extract");
    let article = Article::parse(&text, FileKind::Markdown);
    let at = &article.analysis_text;
    let figs = figures::extract(at);
    let attrs = tally::attribution::attribute(&article, &figs, &Config::default());
    assert_eq!(attrs.len(), figs.len(), "one attribution per figure");
    for a in &attrs {
        if let Some(c) = &a.cue_span {
            span_ok(at, c, "attribution cue");
        }
    }
    // A sub-span, snapped to character starts.
    if !text.is_empty() {
        let mut lo = (s1 * text.len() / 256).min(text.len());
        let mut hi = (lo + s2 * 4).min(text.len());
        while !text.is_char_boundary(lo) {
            lo -= 1;
        }
        while !text.is_char_boundary(hi) {
            hi += 1;
        }
        if let Some(f) = figures::read_span(&text, lo..hi) {
            figures_ok(&text, std::slice::from_ref(&f), "read_span");
            assert!(
                lo <= f.span.start && f.span.end <= hi,
                "read_span left its span"
            );
        }
    }
}

/// Target `config`: any `tally.toml`; a usable one then drives the event checks over claims
/// of every event it defines.
pub fn config(data: &[u8]) {
    let text = text_of(data);
    let config = match Config::parse(&text) {
        Ok(c) => c,
        Err(e) => {
            span_ok(&text, &e.span, &format!("config error {}", e.message));
            assert!(!e.message.is_empty());
            return;
        }
    };
    assert!(config.tolerance.is_finite() && (0.0..1.0).contains(&config.tolerance));
    for s in &config.sources {
        span_ok(&text, &s.id_span, "source id");
    }
    for e in &config.events {
        span_ok(&text, &e.id_span, "event id");
    }
    // Articles that report every event (and source) the configuration defines.
    let mut index = EventIndex::new();
    let readings = [
        "5 people",
        "about 700 people",
        "more than 1,000 people",
        "up to 30 people",
        "3-5 thousand people",
    ];
    for (doc, r) in readings.iter().enumerate() {
        let mut body = String::from("---\ndate: 2016-12-0");
        body.push_str(&(doc + 1).to_string());
        body.push_str("\n---\n");
        for (i, e) in config.events.iter().enumerate() {
            let source = config
                .sources
                .get(i % config.sources.len().max(1))
                .map_or("author", |s| s.id.as_str());
            if tally::article::valid_event_id(&e.id) && !source.contains(['"', '}', ' ']) {
                body.push_str(&format!(
                    "Officials said [{r}]{{event={} source={source}}} fled.\n",
                    e.id
                ));
            }
        }
        let an = analysis_ok(&body, FileKind::Markdown, &config);
        index.insert(doc, &an);
    }
    for d in tally::checks::event_checks(&index, &config) {
        assert!(
            d.doc < readings.len(),
            "a diagnostic for an unknown document"
        );
    }
}
