//! Output formats: compiler-style text, JSON (SPEC 5) and SARIF 2.1.0.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

use serde_json::{json, Value as Json};

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

/// A JSON document `{"<key>": [...], "version": 1}` written one element at a time, so that it
/// is never held whole: the bytes are those `serde_json::to_writer_pretty` gives for the whole
/// document (keys in its sorted order). Elements are made with [`JsonList::element`], on any
/// thread, and written in order with [`JsonList::push`].
pub struct JsonList<W: Write> {
    out: W,
    empty: bool,
}

impl<W: Write> JsonList<W> {
    pub fn begin(mut out: W, key: &str) -> io::Result<JsonList<W>> {
        write!(out, "{{\n  {}: [", Json::from(key))?;
        Ok(JsonList { out, empty: true })
    }

    /// One element, pretty-printed and indented to its place in the list.
    pub fn element(value: &Json) -> Vec<u8> {
        let pretty = serde_json::to_vec_pretty(value).expect("a JSON value always serialises");
        let mut out = Vec::with_capacity(pretty.len() + pretty.len() / 8);
        // JSON strings never hold a raw newline, so every newline is the printer's.
        for (i, line) in pretty.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                out.push(b'\n');
            }
            out.extend_from_slice(b"    ");
            out.extend_from_slice(line);
        }
        out
    }

    /// Write an element made by [`JsonList::element`].
    pub fn push(&mut self, element: &[u8]) -> io::Result<()> {
        self.out
            .write_all(if self.empty { b"\n" } else { b",\n" })?;
        self.empty = false;
        self.out.write_all(element)
    }

    /// Close the list and the document.
    pub fn end(mut self) -> io::Result<W> {
        if !self.empty {
            self.out.write_all(b"\n  ")?;
        }
        self.out.write_all(b"],\n  \"version\": 1\n}\n")?;
        Ok(self.out)
    }
}

/// `path:line:col: severity[code]: message`, the source line, a caret underline, related notes.
pub fn text_diagnostics(
    out: &mut impl Write,
    ws: &Workspace,
    diags: &[Diagnostic],
) -> io::Result<()> {
    let mut counts = [0; 4];
    for d in diags {
        text_diagnostic(out, ws, d)?;
        counts[d.severity as usize] += 1;
    }
    text_summary(out, ws, counts)
}

/// One diagnostic in the text format (see [`text_diagnostics`]).
pub fn text_diagnostic(out: &mut impl Write, ws: &Workspace, d: &Diagnostic) -> io::Result<()> {
    // Written piece by piece (a large corpus prints millions of these lines): the format
    // machinery only for numbers.
    let Some(f) = ws.file(d.doc) else {
        return Ok(());
    };
    let (line, col) = f.lines.line_col(&f.text, d.span.start);
    out.write_all(f.display.as_bytes())?;
    write!(out, ":{line}:{col}: ")?;
    out.write_all(d.severity.name().as_bytes())?;
    out.write_all(b"[")?;
    out.write_all(d.code.name().as_bytes())?;
    out.write_all(b"]: ")?;
    out.write_all(d.message.as_bytes())?;
    out.write_all(b"\n")?;
    let src = f.lines.line_text(&f.text, d.span.start);
    let gutter = decimal_width(line);
    repeat(out, b' ', gutter)?;
    out.write_all(b" |\n")?;
    let (_, end_col) = if f.lines.line_of(d.span.end) == line - 1 {
        f.lines.line_col(&f.text, d.span.end)
    } else {
        (line, src.chars().count() + 1)
    };
    let width = end_col.saturating_sub(col).max(1);
    let (shown, caret_col) = window(src, col - 1, width);
    write!(out, "{line} | ")?;
    out.write_all(shown.as_bytes())?;
    out.write_all(b"\n")?;
    repeat(out, b' ', gutter)?;
    out.write_all(b" | ")?;
    repeat(out, b' ', caret_col)?;
    repeat(out, b'^', width.min(WINDOW))?;
    out.write_all(b"\n")?;
    for r in d.related.iter().take(MAX_RELATED) {
        if let Some(rf) = ws.file(r.doc) {
            let (rl, rc) = rf.lines.line_col(&rf.text, r.span.start);
            repeat(out, b' ', gutter)?;
            out.write_all(b" = note: ")?;
            out.write_all(rf.display.as_bytes())?;
            write!(out, ":{rl}:{rc}: ")?;
            out.write_all(r.message.as_bytes())?;
            out.write_all(b"\n")?;
        }
    }
    let more = d.related.len().saturating_sub(MAX_RELATED) + d.more_related;
    if more > 0 {
        repeat(out, b' ', gutter)?;
        writeln!(
            out,
            " = note: and {more} more (all in `--format json`; every reading of the event in `tally events`)"
        )?;
    }
    out.write_all(b"\n")
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
fn repeat(out: &mut impl Write, byte: u8, mut n: usize) -> io::Result<()> {
    let chunk = [byte; 64];
    while n > 0 {
        let k = n.min(chunk.len());
        out.write_all(&chunk[..k])?;
        n -= k;
    }
    Ok(())
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

/// A long line cut to a window around the span (in characters), with `…` where it was cut;
/// and the span's column inside the window.
fn window(line: &str, col: usize, width: usize) -> (Cow<'_, str>, usize) {
    // A line of at most WINDOW bytes has at most WINDOW characters.
    let count = if line.len() <= WINDOW {
        0
    } else {
        line.chars().count()
    };
    if count <= WINDOW {
        return (Cow::Borrowed(line), col);
    }
    let context = WINDOW.saturating_sub(width.min(WINDOW)) / 2;
    let start = col.saturating_sub(context);
    let end = (start + WINDOW).min(count);
    let start = end.saturating_sub(WINDOW).min(start);
    // Character positions to byte offsets, in one pass over the bytes up to `end` (a
    // character starts at every byte that is not a continuation byte).
    let (mut from, mut to) = (line.len(), line.len());
    let mut n = 0;
    for (b, &byte) in line.as_bytes().iter().enumerate() {
        if byte & 0xC0 != 0x80 {
            if n == start {
                from = b;
            }
            if n == end {
                to = b;
                break;
            }
            n += 1;
        }
    }
    let mut s = String::with_capacity(to - from + 6);
    if start > 0 {
        s.push('…');
    }
    s.push_str(&line[from..to]);
    if end < count {
        s.push('…');
    }
    (Cow::Owned(s), col - start + usize::from(start > 0))
}

fn location(ws: &Workspace, doc: usize, span: &std::ops::Range<usize>) -> Json {
    let Some(f) = ws.file(doc) else {
        return json!({});
    };
    let (l, c) = f.lines.line_col(&f.text, span.start);
    let (el, ec) = f.lines.line_col(&f.text, span.end);
    json!({"path": f.display, "start": span.start, "end": span.end, "line": l, "column": c, "end_line": el, "end_column": ec})
}

/// One diagnostic of `tally check --format json` (SPEC 5), as a [`JsonList`] element.
pub fn json_diagnostic(ws: &Workspace, d: &Diagnostic) -> Vec<u8> {
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

/// `tally check --format sarif`: SARIF 2.1.0 with one rule per code.
pub fn sarif_diagnostics(
    out: &mut impl Write,
    ws: &Workspace,
    diags: &[Diagnostic],
) -> io::Result<()> {
    let rules: Vec<Json> = Code::ALL
        .iter()
        .map(|c| json!({"id": c.name(), "defaultConfiguration": {"level": sarif_level(c.default_severity())}}))
        .collect();
    let results: Vec<Json> = diags
        .iter()
        .filter_map(|d| {
            let f = ws.file(d.doc)?;
            let region = |doc: usize, span: &std::ops::Range<usize>| {
                let f = ws.file(doc)?;
                let (l, c) = f.lines.line_col(&f.text, span.start);
                let (el, ec) = f.lines.line_col(&f.text, span.end);
                Some(json!({"physicalLocation": {"artifactLocation": {"uri": f.display.replace('\\', "/")},
                    "region": {"startLine": l, "startColumn": c, "endLine": el, "endColumn": ec,
                               "byteOffset": span.start, "byteLength": span.len()}}}))
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
            let _ = f;
            Some(json!({
                "ruleId": d.code.name(),
                "level": sarif_level(d.severity),
                "message": {"text": d.message},
                "locations": [region(d.doc, &d.span)?],
                "relatedLocations": related,
            }))
        })
        .collect();
    let doc = json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "tally", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
                  "results": results}]
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
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
            let (line, column) = f.lines.line_col(&f.text, c.span.start);
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
        let (line, col) = f.lines.line_col(&f.text, c.span.start);
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

/// The event diagnostics by the claim they are on, so that an event's readings find theirs
/// without scanning every diagnostic of the corpus.
/// Values are indices into `diags`.
fn diagnostics_by_claim(diags: &[Diagnostic]) -> HashMap<(usize, usize, usize), Vec<usize>> {
    let mut map: HashMap<(usize, usize, usize), Vec<usize>> = HashMap::new();
    for (i, d) in diags.iter().enumerate() {
        map.entry((d.doc, d.span.start, d.span.end))
            .or_default()
            .push(i);
    }
    map
}

/// `tally events`: per event, every reading, low / median / high, and conflicts.
pub fn text_events(
    out: &mut impl Write,
    ws: &Workspace,
    index: &EventIndex,
    diags: &[Diagnostic],
) -> io::Result<()> {
    let on = diagnostics_by_claim(diags);
    let of = |c: &crate::corpus::ClaimRef| on.get(&(c.doc, c.span.start, c.span.end));
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
            let f = &ws.files[c.doc];
            let (l, col) = f.lines.line_col(&f.text, c.span.start);
            let conflict = of(c).is_some();
            writeln!(
                out,
                "  {} {:<28} {:<34} {:<22} {}:{}:{}",
                if conflict { "✗" } else { "✓" },
                truncate(&c.source_label, 28),
                truncate(&crate::checks::quoted(&c.text), 34),
                c.reading.interval(),
                f.display,
                l,
                col
            )?;
        }
        if let Some(s) = index.stats(id) {
            let kind = claims[0].reading.kind;
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
        let mut mine: Vec<usize> = claims.iter().filter_map(of).flatten().copied().collect();
        mine.sort_unstable();
        mine.dedup();
        for d in mine.into_iter().map(|i| &diags[i]) {
            writeln!(out, "  {}: {}", d.code.name(), d.message)?;
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
    diags: &[Diagnostic],
) -> io::Result<()> {
    let on = diagnostics_by_claim(diags);
    let mut list = JsonList::begin(out, "events")?;
    for id in event_ids(ws, index) {
        let def = ws.config.event(id);
        let readings: Vec<Json> = index
            .claims(id)
            .iter()
            .map(|c| {
                let mut o = location(ws, c.doc, &c.span);
                o["text"] = json!(c.text);
                o["source"] = json!(c.source_label);
                o["attribution"] = json!(c.attribution.name());
                o["outlet"] = json!(c.outlet);
                o["date"] = json!(c.date);
                o["asof"] = json!(c.asof);
                o["qualifier"] = json!(c.reading.qualifier.name());
                o["low"] = opt(c.reading.low);
                o["high"] = opt(c.reading.high);
                o["conflicts"] =
                    json!(on
                        .get(&(c.doc, c.span.start, c.span.end))
                        .is_some_and(|ds| ds
                            .iter()
                            .any(|&d| diags[d].code == Code::ConflictingFigure)));
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
        let pieces = ["a", " ", "é", "ق", "😀", "\u{a0}", "1,217", "fighters"];
        let mut x: u32 = 7;
        for len in [0, 5, 60, 119, 120, 121, 200, 400] {
            let mut line = String::new();
            while line.chars().count() < len {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                line.push_str(pieces[(x >> 16) as usize % pieces.len()]);
            }
            let n = line.chars().count();
            for col in [0, 1, n / 3, n / 2, n.saturating_sub(1)] {
                for width in [1, 5, 40, 200] {
                    let (shown, at) = window(&line, col, width);
                    assert_eq!(
                        (shown.into_owned(), at),
                        window_by_chars(&line, col, width),
                        "{line:?} at {col}, width {width}"
                    );
                }
            }
        }
    }
}
