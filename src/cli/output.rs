//! Output formats: compiler-style text, JSON (SPEC 5) and SARIF 2.1.0.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::{json, Value as Json};

use super::held::HeldList;
use super::workspace::{SourceFile, Workspace};
use crate::analysis::ArticleAnalysis;
use crate::checks::{Code, Diagnostic, MAX_RELATED};
use crate::corpus::EventIndex;
use crate::figures::{format_number, Value};

fn num(v: f64) -> Json {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        json!(v as i64)
    } else {
        json!((v * 10_000.0).round() / 10_000.0)
    }
}

fn opt(v: Option<f64>) -> Json {
    v.map_or(Json::Null, num)
}

/// A JSON document `{"<key>": [...], "version": 1}`, or another with a list in it, written one
/// element of the list at a time, so that it is never held whole: the bytes are those
/// `serde_json::to_writer_pretty` gives for the whole document, and a newline. Elements are
/// made with [`JsonList::element`], on any thread, and written in order with
/// [`JsonList::push`].
pub struct JsonList<W: Write> {
    out: W,
    empty: bool,
    /// The indentation of the list's closing bracket.
    indent: usize,
    /// The rest of the document, from the list's closing bracket.
    rest: Vec<u8>,
}

impl<W: Write> JsonList<W> {
    /// `{"<key>": [...], "version": 1}`, with elements made by [`JsonList::element`].
    pub fn begin(out: W, key: &str) -> io::Result<JsonList<W>> {
        JsonList::around(out, &json!({ (key): [], "version": 1 }), key)
    }

    /// The document `doc`, with its only list at `key` (empty in `doc`) written one element
    /// at a time; elements are made by [`JsonList::element_at`] with the indentation
    /// [`JsonList::element_indent`] gives.
    pub fn around(mut out: W, doc: &Json, key: &str) -> io::Result<JsonList<W>> {
        let text = serde_json::to_vec_pretty(doc).expect("a JSON value always serialises");
        let needle = format!("{}: []", Json::from(key));
        let Some(at) = text
            .windows(needle.len())
            .position(|w| w == needle.as_bytes())
        else {
            return Err(io::Error::other(format!("no list `{key}` in the document")));
        };
        let open = at + needle.len() - 1;
        let line = text[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |n| n + 1);
        out.write_all(&text[..open])?;
        let mut rest = text[open..].to_vec();
        rest.push(b'\n');
        Ok(JsonList {
            out,
            empty: true,
            indent: at - line,
            rest,
        })
    }

    /// The indentation of the list's elements.
    pub fn element_indent(&self) -> usize {
        self.indent + 2
    }

    /// An element of a [`JsonList::begin`] list, pretty-printed and indented to its place.
    pub fn element(value: &impl Serialize) -> Vec<u8> {
        Self::element_at(value, 4)
    }

    /// An element pretty-printed and indented by `indent` spaces.
    pub fn element_at(value: &impl Serialize, indent: usize) -> Vec<u8> {
        Self::element_into(value, indent, Vec::with_capacity(1024))
    }

    /// [`JsonList::element_at`] into `out` (empty, with room reserved for the element).
    pub fn element_into(value: &impl Serialize, indent: usize, mut out: Vec<u8>) -> Vec<u8> {
        out.resize(indent, b' ');
        let format = PrettyAt {
            base: indent,
            level: 0,
            has_value: false,
        };
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, format);
        value
            .serialize(&mut serializer)
            .expect("writing JSON to memory");
        out
    }

    /// Write an element made by [`JsonList::element`] or [`JsonList::element_at`].
    pub fn push(&mut self, element: &[u8]) -> io::Result<()> {
        self.out
            .write_all(if self.empty { b"\n" } else { b",\n" })?;
        self.empty = false;
        self.out.write_all(element)
    }

    /// Close the list and write the rest of the document.
    pub fn end(mut self) -> io::Result<W> {
        if !self.empty {
            self.out.write_all(b"\n")?;
            self.out.write_all(&vec![b' '; self.indent])?;
        }
        self.out.write_all(&self.rest)?;
        Ok(self.out)
    }
}

/// `serde_json`'s pretty printer (two spaces a level) for a value whose first line is
/// indented by `base` spaces and whose other lines by `base` more than the printer's own.
struct PrettyAt {
    base: usize,
    level: usize,
    has_value: bool,
}

impl PrettyAt {
    /// A new line, indented to the current level.
    fn line<W: ?Sized + Write>(&self, w: &mut W, comma: bool) -> io::Result<()> {
        const SPACES: &[u8; 64] = &[b' '; 64];
        w.write_all(if comma { b",\n" } else { b"\n" })?;
        let mut n = self.base + 2 * self.level;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.line(w, false)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for PrettyAt {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, !first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, !first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// One diagnostic in the text format: `path:line:col: severity[code]: message`, the source
/// line with a caret underline, then related notes. `text` is the document's text, read
/// again; without it (the file changed since it was read), the source line is left out.
/// Written piece by piece into `out` (a large corpus prints millions of these lines), with the
/// format machinery only for the rare count of notes left out.
pub fn text_diagnostic(out: &mut Vec<u8>, ws: &Workspace, d: &Diagnostic, text: Option<&str>) {
    let Some(f) = ws.file(d.doc) else {
        return;
    };
    let shown = text.map(|text| f.lines.show(text, d.span.clone()));
    let (line, col) = match &shown {
        Some(s) => (s.line, s.col),
        None => f.lines.line_col(d.span.start),
    };
    out.reserve(f.display.len() + d.message.len() + 64);
    out.extend_from_slice(f.display.as_bytes());
    position(out, line, col);
    out.extend_from_slice(d.severity.name().as_bytes());
    out.push(b'[');
    out.extend_from_slice(d.code.name().as_bytes());
    out.extend_from_slice(b"]: ");
    out.extend_from_slice(d.message.as_bytes());
    out.push(b'\n');
    let gutter = decimal_width(line);
    if let Some(s) = shown {
        let width = s.end_col.saturating_sub(col).max(1);
        let byte_of = |n: usize| f.lines.offset_after(s.line_start, n) - s.line_start;
        let (window, caret_col) = window(s.src, s.count, col - 1, width, byte_of);
        out.reserve(3 * gutter + window.shown.len() + caret_col + width.min(WINDOW) + 24);
        repeat(out, b' ', gutter);
        out.extend_from_slice(b" |\n");
        decimal(out, line);
        out.extend_from_slice(b" | ");
        window.write(out);
        out.push(b'\n');
        repeat(out, b' ', gutter);
        out.extend_from_slice(b" | ");
        repeat(out, b' ', caret_col);
        repeat(out, b'^', width.min(WINDOW));
        out.push(b'\n');
    }
    for r in d.related.iter().take(MAX_RELATED) {
        if let Some(rf) = ws.file(r.doc) {
            let (rl, rc) = rf.lines.line_col(r.span.start);
            repeat(out, b' ', gutter);
            out.extend_from_slice(b" = note: ");
            out.extend_from_slice(rf.display.as_bytes());
            position(out, rl, rc);
            out.extend_from_slice(r.message.as_bytes());
            out.push(b'\n');
        }
    }
    let more = d.related.len().saturating_sub(MAX_RELATED) + d.more_related;
    if more > 0 {
        repeat(out, b' ', gutter);
        out.extend_from_slice(b" = note: and ");
        decimal(out, more);
        out.extend_from_slice(
            b" more (all in `--format json`; every reading of the event in `tally events`)\n",
        );
    }
    out.push(b'\n');
}

/// `:line:col: `.
fn position(out: &mut Vec<u8>, line: usize, col: usize) {
    out.push(b':');
    decimal(out, line);
    out.push(b':');
    decimal(out, col);
    out.extend_from_slice(b": ");
}

/// `n` in decimal, without the formatting machinery.
fn decimal(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// The number of decimal digits of `n`.
fn decimal_width(mut n: usize) -> usize {
    let mut w = 1;
    while n >= 10 {
        n /= 10;
        w += 1;
    }
    w
}

/// `byte`, `n` times.
fn repeat(out: &mut Vec<u8>, byte: u8, n: usize) {
    out.resize(out.len() + n, byte);
}

/// The last line of the text format; `counts` by severity (error, warning, info, hint).
pub fn text_summary(out: &mut impl Write, ws: &Workspace, counts: [usize; 4]) -> io::Result<()> {
    writeln!(
        out,
        "{} files: {} errors, {} warnings, {} infos, {} hints",
        ws.files.len(),
        counts[0],
        counts[1],
        counts[2],
        counts[3]
    )
}

/// How many characters of a source line are shown around a diagnostic.
const WINDOW: usize = 120;

/// What a source line shows of a long line: a piece of it, with `…` where it was cut.
#[derive(Debug, PartialEq)]
struct Window<'a> {
    cut_before: bool,
    shown: &'a str,
    cut_after: bool,
}

impl Window<'_> {
    fn write(&self, out: &mut Vec<u8>) {
        if self.cut_before {
            out.extend_from_slice("…".as_bytes());
        }
        out.extend_from_slice(self.shown.as_bytes());
        if self.cut_after {
            out.extend_from_slice("…".as_bytes());
        }
    }
}

/// A long line of `count` characters cut to a window around the span (in characters), with
/// `…` where it was cut; and the span's column inside the window. `byte_of` gives the byte
/// offset of a character of the line.
fn window(
    line: &str,
    count: usize,
    col: usize,
    width: usize,
    byte_of: impl Fn(usize) -> usize,
) -> (Window<'_>, usize) {
    if count <= WINDOW {
        let whole = Window {
            cut_before: false,
            shown: line,
            cut_after: false,
        };
        return (whole, col);
    }
    let context = WINDOW.saturating_sub(width.min(WINDOW)) / 2;
    let start = col.saturating_sub(context);
    let end = (start + WINDOW).min(count);
    let start = end.saturating_sub(WINDOW).min(start);
    // A line of as many bytes as characters is ASCII: characters are bytes.
    let (from, to) = if count == line.len() {
        (start, end)
    } else {
        (byte_of(start), byte_of(end))
    };
    let shown = Window {
        cut_before: start > 0,
        shown: line.get(from..to).unwrap_or_default(),
        cut_after: end < count,
    };
    (shown, col - start + usize::from(start > 0))
}

fn location(ws: &Workspace, doc: usize, span: &std::ops::Range<usize>) -> Json {
    let Some(f) = ws.file(doc) else {
        return json!({});
    };
    let (l, c) = f.lines.line_col(span.start);
    let (el, ec) = f.lines.line_col(span.end);
    json!({"path": f.display, "start": span.start, "end": span.end, "line": l, "column": c, "end_line": el, "end_column": ec})
}

/// One diagnostic of `tally check --format json` (SPEC 5), as a [`JsonList`] element (a
/// conflict relates every other reading of its event).
pub fn json_diagnostic(ws: &Workspace, d: &Diagnostic) -> Vec<u8> {
    let place = JsonPlace::new(location_of(ws, d.doc, &d.span), &d.message);
    let related = d
        .related
        .iter()
        .map(|r| JsonPlace::new(location_of(ws, r.doc, &r.span), &r.message))
        .collect();
    let diagnostic = JsonDiagnostic {
        code: d.code.name(),
        column: place.column,
        end: place.end,
        end_column: place.end_column,
        end_line: place.end_line,
        line: place.line,
        message: place.message,
        path: place.path,
        related,
        severity: d.severity.name(),
        start: place.start,
    };
    let room = 512 + d.related.len() * 384;
    JsonList::<Vec<u8>>::element_into(&diagnostic, 4, Vec::with_capacity(room))
}

/// A diagnostic of `tally check --format json`: its members in the order `serde_json` sorts
/// a map's keys; those of its place are left out when its document is not the workspace's.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    related: Vec<JsonPlace<'a>>,
    severity: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<usize>,
}

/// A place with its message, as `tally check --format json` gives it; a place in a document
/// that is not the workspace's has its message only.
#[derive(Serialize)]
struct JsonPlace<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<usize>,
}

impl<'a> JsonPlace<'a> {
    fn new(place: Option<Place<'a>>, message: &'a str) -> JsonPlace<'a> {
        JsonPlace {
            column: place.as_ref().map(|p| p.column),
            end: place.as_ref().map(|p| p.end),
            end_column: place.as_ref().map(|p| p.end_column),
            end_line: place.as_ref().map(|p| p.end_line),
            line: place.as_ref().map(|p| p.line),
            message,
            path: place.as_ref().map(|p| p.path),
            start: place.as_ref().map(|p| p.start),
        }
    }
}

/// A location in a document of the workspace, with its lines and columns.
struct Place<'a> {
    path: &'a str,
    start: usize,
    end: usize,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

/// The location of a span of a document, if it is one of the workspace's.
fn location_of<'a>(
    ws: &'a Workspace,
    doc: usize,
    span: &std::ops::Range<usize>,
) -> Option<Place<'a>> {
    let f = ws.file(doc)?;
    let ((line, column), (end_line, end_column)) = f.lines.line_cols(span.clone());
    Some(Place {
        path: &f.display,
        start: span.start,
        end: span.end,
        line,
        column,
        end_line,
        end_column,
    })
}

/// `tally check --format sarif`: SARIF 2.1.0 with one rule per code, as a [`JsonList`] of
/// results (made by [`sarif_result`]).
pub fn sarif_begin<W: Write>(out: W) -> io::Result<JsonList<W>> {
    let rules: Vec<Json> = Code::ALL
        .iter()
        .map(|c| json!({"id": c.name(), "defaultConfiguration": {"level": sarif_level(c.default_severity())}}))
        .collect();
    let doc = json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "tally", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
                  "results": []}]
    });
    JsonList::around(out, &doc, "results")
}

/// One result of `tally check --format sarif`, indented by `indent` (see
/// [`JsonList::element_indent`]). A diagnostic whose document is not the workspace's has none.
pub fn sarif_result(ws: &Workspace, d: &Diagnostic, indent: usize) -> Option<Vec<u8>> {
    let place = location_of(ws, d.doc, &d.span)?;
    let related = d
        .related
        .iter()
        .enumerate()
        .filter_map(|(id, r)| {
            Some(SarifRelated {
                id,
                message: SarifText { text: &r.message },
                physical_location: SarifPhysical::new(&location_of(ws, r.doc, &r.span)?),
            })
        })
        .collect();
    let result = SarifResult {
        level: sarif_level(d.severity),
        locations: [SarifLocation {
            physical_location: SarifPhysical::new(&place),
        }],
        message: SarifText { text: &d.message },
        related_locations: related,
        rule_id: d.code.name(),
    };
    let room = 768 + d.related.len() * 640;
    Some(JsonList::<Vec<u8>>::element_into(
        &result,
        indent,
        Vec::with_capacity(room),
    ))
}

/// A SARIF result; its members in sorted order, as `serde_json` writes a map's.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    level: &'a str,
    locations: [SarifLocation<'a>; 1],
    message: SarifText<'a>,
    related_locations: Vec<SarifRelated<'a>>,
    rule_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    physical_location: SarifPhysical<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRelated<'a> {
    id: usize,
    message: SarifText<'a>,
    physical_location: SarifPhysical<'a>,
}

#[derive(Serialize)]
struct SarifText<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifPhysical<'a> {
    artifact_location: SarifArtifact<'a>,
    region: SarifRegion,
}

#[derive(Serialize)]
struct SarifArtifact<'a> {
    /// The path with forward slashes.
    uri: Cow<'a, str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    byte_length: usize,
    byte_offset: usize,
    end_column: usize,
    end_line: usize,
    start_column: usize,
    start_line: usize,
}

impl<'a> SarifPhysical<'a> {
    fn new(p: &Place<'a>) -> SarifPhysical<'a> {
        SarifPhysical {
            artifact_location: SarifArtifact {
                uri: match p.path.contains('\\') {
                    true => Cow::Owned(p.path.replace('\\', "/")),
                    false => Cow::Borrowed(p.path),
                },
            },
            region: SarifRegion {
                byte_length: p.end.saturating_sub(p.start),
                byte_offset: p.start,
                end_column: p.end_column,
                end_line: p.end_line,
                start_column: p.column,
                start_line: p.line,
            },
        }
    }
}

fn sarif_level(s: crate::checks::Severity) -> &'static str {
    match s {
        crate::checks::Severity::Error => "error",
        crate::checks::Severity::Warning => "warning",
        _ => "note",
    }
}

/// One file of `tally extract --json` (SPEC 5), as a [`JsonList`] element.
pub fn json_figures(f: &SourceFile, a: &ArticleAnalysis) -> Vec<u8> {
    let figures: Vec<Json> = a
        .claims
        .iter()
        .map(|c| {
            let (line, column) = f.lines.line_col(c.span.start);
            let value = match c.reading.value {
                Value::Number(v) => num(v),
                Value::Range(x, y) => json!([num(x), num(y)]),
                Value::None => Json::Null,
            };
            let at = &c.attribution;
            json!({
                "start": c.span.start, "end": c.span.end, "line": line, "column": column,
                "text": c.text,
                "class": c.class.name(),
                "qualifier": c.reading.qualifier.name(),
                "value": value,
                "low": opt(c.reading.low), "high": opt(c.reading.high),
                "low_open": c.reading.low_open, "high_open": c.reading.high_open,
                "unit": c.reading.unit,
                "attribution": {"kind": at.kind.name(), "source": at.source, "source_id": at.source_id},
                "event": c.event_id(),
                "asof": c.asof,
                "annotated": c.is_annotated(),
            })
        })
        .collect();
    JsonList::<Vec<u8>>::element(&json!({"path": f.display, "figures": figures}))
}

/// `tally extract` without `--json`: one line a figure, for one file.
pub fn text_figures(
    out: &mut impl Write,
    f: &SourceFile,
    a: &ArticleAnalysis,
    all: bool,
) -> io::Result<()> {
    for c in a
        .claims
        .iter()
        .filter(|c| all || c.class == crate::figures::FigureClass::Claim)
    {
        let (line, col) = f.lines.line_col(c.span.start);
        let who = match (&c.attribution.source, c.attribution.kind) {
            (Some(s), k) => format!("{} ({})", s, k.name()),
            (None, k) => k.name().to_string(),
        };
        writeln!(
            out,
            "{}:{}:{}: {} {} {} [{}] {} {}{}",
            f.display,
            line,
            col,
            crate::checks::quoted(&c.text),
            c.class.name(),
            c.reading.qualifier.name(),
            c.reading.interval(),
            c.reading.unit.as_deref().unwrap_or("-"),
            who,
            c.event_id()
                .map(|e| format!(" event={e}"))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

/// Every event: those `tally.toml` defines, in its order, then those only claims name.
fn event_ids<'a>(ws: &'a Workspace, index: &'a EventIndex) -> Vec<&'a str> {
    let mut ids: Vec<&str> = ws.config.events.iter().map(|e| e.id.as_str()).collect();
    for id in index.events.keys() {
        if ws.config.event(id).is_none() {
            ids.push(id);
        }
    }
    ids
}

/// What `tally events` shows of the event checks, kept as they are made
/// ([`crate::checks::EventChecker::each`]) without the rest of the diagnostics: the claims
/// they are on, their codes and (for the text) their messages, held compactly a batch at a
/// time ([`HeldList`]).
pub struct Findings {
    /// Diagnostics by the claim they are on (document, start, end), so that an event's
    /// readings find theirs without scanning every diagnostic of the corpus; by their number,
    /// in the checks' order.
    on: HashMap<(usize, usize, usize), Vec<u32>>,
    codes: Vec<Code>,
    /// The diagnostics without their related places, a batch at a time, when messages are
    /// wanted; and the number of each batch's first diagnostic.
    batches: Option<HeldList>,
    firsts: Vec<u32>,
}

impl Findings {
    /// Findings that keep their messages or not.
    pub fn new(messages: bool) -> Findings {
        Findings {
            on: HashMap::new(),
            codes: Vec::new(),
            batches: messages.then(HeldList::default),
            firsts: Vec::new(),
        }
    }

    /// Add the next batch of diagnostics.
    pub fn add(&mut self, mut batch: Vec<Diagnostic>) {
        self.firsts.push(self.codes.len() as u32);
        for d in &mut batch {
            let i = self.codes.len() as u32;
            self.on
                .entry((d.doc, d.span.start, d.span.end))
                .or_default()
                .push(i);
            self.codes.push(d.code);
            d.related = Vec::new();
            d.more_related = 0;
        }
        if let Some(list) = &mut self.batches {
            let held = list.holder().hold(batch);
            list.push(held);
        }
    }

    /// The codes and messages of some diagnostics, by number in ascending order (messages are
    /// empty when not kept); `config` is the settings they were added with.
    fn messages(&self, numbers: &[u32], config: &crate::corpus::Config) -> Vec<(Code, String)> {
        let mut out = Vec::with_capacity(numbers.len());
        let mut batch: Option<(usize, Vec<Diagnostic>)> = None;
        for &i in numbers {
            let message = self.batches.as_ref().and_then(|list| {
                let b = self.firsts.partition_point(|&f| f <= i).checked_sub(1)?;
                if batch.as_ref().is_none_or(|(at, _)| *at != b) {
                    batch = Some((b, list.diagnostics(b, config)));
                }
                let (_, ds) = batch.as_mut()?;
                let d = ds.get_mut((i - self.firsts[b]) as usize)?;
                Some(std::mem::take(&mut d.message))
            });
            out.push((self.codes[i as usize], message.unwrap_or_default()));
        }
        out
    }
}

/// `tally events`: per event, every reading, low / median / high, and conflicts.
pub fn text_events(
    out: &mut impl Write,
    ws: &Workspace,
    index: &EventIndex,
    findings: &Findings,
) -> io::Result<()> {
    let of = |c: &crate::corpus::ClaimRef| {
        let span = c.span();
        findings.on.get(&(c.doc(), span.start, span.end))
    };
    for id in event_ids(ws, index) {
        let def = ws.config.event(id);
        let title = def
            .and_then(|d| d.title.clone())
            .unwrap_or_else(|| "(not defined in tally.toml)".into());
        writeln!(out, "{id}: {title}")?;
        if let Some(d) = def {
            let mut facts = Vec::new();
            if let Some(w) = &d.when {
                facts.push(format!("when {w}"));
            }
            if let Some(w) = &d.where_ {
                facts.push(format!("where {w}"));
            }
            if let Some(u) = &d.unit {
                facts.push(format!("unit {u}"));
            }
            if d.cumulative {
                facts.push("cumulative".into());
            }
            if !facts.is_empty() {
                writeln!(out, "  {}", facts.join(" · "))?;
            }
        }
        let claims = index.claims(id);
        if claims.is_empty() {
            writeln!(out, "  no readings\n")?;
            continue;
        }
        for c in claims {
            let f = &ws.files[c.doc()];
            let (l, col) = f.lines.line_col(c.start());
            let conflict = of(c).is_some();
            writeln!(
                out,
                "  {} {:<28} {:<34} {:<22} {}:{}:{}",
                if conflict { "✗" } else { "✓" },
                truncate(index.label(c), 28),
                truncate(&crate::checks::quoted(index.text(c)), 34),
                c.interval(),
                f.display,
                l,
                col
            )?;
        }
        if let Some(s) = index.stats(id) {
            let kind = claims[0].kind;
            let f = |v: Option<f64>| v.map_or("–".to_string(), |v| format_number(v, kind));
            let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
            writeln!(
                out,
                "  low {} · median {} · high {} · {} from {}",
                f(s.low),
                f(s.median),
                f(s.high),
                plural(s.readings, "reading"),
                plural(s.sources, "source")
            )?;
        }
        // In the order the checks made them, as before: by the diagnostics' order.
        let mut mine: Vec<u32> = claims.iter().filter_map(of).flatten().copied().collect();
        mine.sort_unstable();
        mine.dedup();
        for (code, message) in findings.messages(&mine, &ws.config) {
            writeln!(out, "  {}: {}", code.name(), message)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// `tally events --json`.
pub fn json_events(
    out: &mut impl Write,
    ws: &Workspace,
    index: &EventIndex,
    findings: &Findings,
) -> io::Result<()> {
    let mut list = JsonList::begin(out, "events")?;
    for id in event_ids(ws, index) {
        let def = ws.config.event(id);
        let readings: Vec<Json> = index
            .claims(id)
            .iter()
            .map(|c| {
                let span = c.span();
                let mut o = location(ws, c.doc(), &span);
                o["text"] = json!(index.text(c));
                o["source"] = json!(index.label(c));
                o["attribution"] = json!(c.attribution.name());
                o["outlet"] = json!(index.outlet(c));
                o["date"] = json!(index.date(c));
                o["asof"] = json!(index.asof(c));
                o["qualifier"] = json!(c.qualifier.name());
                o["low"] = opt(c.low());
                o["high"] = opt(c.high());
                o["conflicts"] = json!(findings
                    .on
                    .get(&(c.doc(), span.start, span.end))
                    .is_some_and(|ds| ds
                        .iter()
                        .any(|&d| findings.codes[d as usize] == Code::ConflictingFigure)));
                o
            })
            .collect();
        let stats = index.stats(id);
        list.push(&JsonList::<Vec<u8>>::element(&json!({
            "id": id,
            "title": def.and_then(|d| d.title.clone()),
            "when": def.and_then(|d| d.when.clone()),
            "where": def.and_then(|d| d.where_.clone()),
            "unit": def.and_then(|d| d.unit.clone()),
            "defined": def.is_some(),
            "readings": readings,
            "low": stats.and_then(|s| s.low).map_or(Json::Null, num),
            "median": stats.and_then(|s| s.median).map_or(Json::Null, num),
            "high": stats.and_then(|s| s.high).map_or(Json::Null, num),
            "sources": stats.map_or(0, |s| s.sources),
        })))?;
    }
    list.end()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window as first written, on a vector of characters: the reference.
    fn window_by_chars(line: &str, col: usize, width: usize) -> (String, usize) {
        let chars: Vec<char> = line.chars().collect();
        if chars.len() <= WINDOW {
            return (line.to_string(), col);
        }
        let context = WINDOW.saturating_sub(width.min(WINDOW)) / 2;
        let start = col.saturating_sub(context);
        let end = (start + WINDOW).min(chars.len());
        let start = end.saturating_sub(WINDOW).min(start);
        let mut s = String::new();
        if start > 0 {
            s.push('…');
        }
        s.extend(&chars[start..end]);
        if end < chars.len() {
            s.push('…');
        }
        (s, col - start + usize::from(start > 0))
    }

    #[test]
    fn long_lines_are_cut_around_the_span_on_character_boundaries() {
        let wide = ["a", " ", "é", "ق", "😀", "\u{a0}", "1,217", "fighters"];
        let ascii = ["a", " ", "1,217", "fighters"];
        let mut x: u32 = 7;
        for (pieces, len) in [&wide[..], &ascii[..]]
            .iter()
            .flat_map(|p| [0, 5, 60, 119, 120, 121, 200, 400].map(|n| (p, n)))
        {
            let mut line = String::new();
            while line.chars().count() < len {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                line.push_str(pieces[(x >> 16) as usize % pieces.len()]);
            }
            let n = line.chars().count();
            for col in [0, 1, n / 3, n / 2, n.saturating_sub(1)] {
                for width in [1, 5, 40, 200] {
                    let li = crate::lines::LineIndex::new(&line);
                    let (shown, at) = window(&line, n, col, width, |k| li.offset_after(0, k));
                    let mut written = Vec::new();
                    shown.write(&mut written);
                    assert_eq!(
                        (String::from_utf8(written).unwrap(), at),
                        window_by_chars(&line, col, width),
                        "{line:?} at {col}, width {width}"
                    );
                }
            }
        }
    }

    // The JSON and SARIF elements as first written, through `serde_json` values: the
    // reference.
    /// One diagnostic of `tally check --format json` (SPEC 5), as a [`JsonList`] element.
    fn json_diagnostic_by_value(ws: &Workspace, d: &Diagnostic) -> Vec<u8> {
        let mut o = location(ws, d.doc, &d.span);
        o["severity"] = json!(d.severity.name());
        o["code"] = json!(d.code.name());
        o["message"] = json!(d.message);
        o["related"] = Json::Array(
            d.related
                .iter()
                .map(|r| {
                    let mut l = location(ws, r.doc, &r.span);
                    l["message"] = json!(r.message);
                    l
                })
                .collect(),
        );
        JsonList::<Vec<u8>>::element(&o)
    }

    /// One result of `tally check --format sarif`, indented by `indent` (see
    /// [`JsonList::element_indent`]).
    fn sarif_result_by_value(ws: &Workspace, d: &Diagnostic, indent: usize) -> Option<Vec<u8>> {
        let region = |doc: usize, span: &std::ops::Range<usize>| {
            let f = ws.file(doc)?;
            let (l, c) = f.lines.line_col(span.start);
            let (el, ec) = f.lines.line_col(span.end);
            Some(
                json!({"physicalLocation": {"artifactLocation": {"uri": f.display.replace('\\', "/")},
                "region": {"startLine": l, "startColumn": c, "endLine": el, "endColumn": ec,
                           "byteOffset": span.start, "byteLength": span.len()}}}),
            )
        };
        let related: Vec<Json> = d
            .related
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let mut l = region(r.doc, &r.span)?;
                l["id"] = json!(i);
                l["message"] = json!({"text": r.message});
                Some(l)
            })
            .collect();
        let result = json!({
            "ruleId": d.code.name(),
            "level": sarif_level(d.severity),
            "message": {"text": d.message},
            "locations": [region(d.doc, &d.span)?],
            "relatedLocations": related,
        });
        let room = 768 + d.related.len() * 640;
        Some(JsonList::<Vec<u8>>::element_into(
            &result,
            indent,
            Vec::with_capacity(room),
        ))
    }

    /// Diagnostics written straight to JSON and SARIF give the bytes `serde_json` gives for
    /// them as values: the example corpus's articles, random spans (past the end, across
    /// lines, ends before starts), documents that are not the workspace's, messages to
    /// escape, and from none to many related places.
    #[test]
    fn elements_are_what_serde_json_prints() {
        use crate::checks::{Related, Severity};
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/aleppo-evacuation");
        let mut ws = Workspace::load(&[dir]).unwrap();
        ws.read(true, |_, _, _| (), |_, _, ()| Ok(())).unwrap();
        let docs = ws.files.len();
        assert!(docs > 2);
        let messages = [
            "",
            "plain",
            "\"quoted\" \\ back\\slash",
            "tab\tnew\nline\u{1}",
            "ق «é» 😀",
            "\u{7f}\u{1f} x",
            "a\\",
            "\u{0}",
        ];
        let mut rng = crate::test_rng::XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..500 {
            let span = |rng: &mut crate::test_rng::XorShift| {
                let a = rng.below(6000);
                a..a + rng.below(300)
            };
            let n = [0, 1, 3, 40][rng.below(4)];
            let related = (0..n)
                .map(|_| Related {
                    doc: rng.below(docs + 2),
                    span: span(&mut rng),
                    message: messages[rng.below(messages.len())].into(),
                })
                .collect();
            let d = Diagnostic {
                doc: rng.below(docs + 1),
                span: span(&mut rng),
                code: Code::ALL[rng.below(Code::ALL.len())],
                severity: [
                    Severity::Error,
                    Severity::Warning,
                    Severity::Info,
                    Severity::Hint,
                ][rng.below(4)],
                message: messages[rng.below(messages.len())].into(),
                related,
                more_related: rng.below(3),
            };
            assert_eq!(
                String::from_utf8(json_diagnostic(&ws, &d)).unwrap(),
                String::from_utf8(json_diagnostic_by_value(&ws, &d)).unwrap()
            );
            for indent in [0, 6] {
                let want = sarif_result_by_value(&ws, &d, indent);
                assert_eq!(
                    sarif_result(&ws, &d, indent).map(|v| String::from_utf8(v).unwrap()),
                    want.map(|v| String::from_utf8(v).unwrap())
                );
            }
        }
    }
}
