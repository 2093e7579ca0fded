//! Writing annotations: completion in attribute blocks, code actions, code lenses, inlay hints
//! and semantic tokens.

use super::transport::object;
use std::ops::Range;

use serde_json::{json, Value};

use super::features::{
    attribution_text, compare, event_claims, open_document, suggest_events, unit_class,
};
use super::position::rope_offset;
use super::server::{Reply, Server};
use crate::analysis::Claim;
use crate::attribution::AttributionKind;
use crate::checks::DocId;
use crate::figures::{format_number, FigureClass, Qualifier, Value as FigValue};

/// The text of an open document and its analysis, current.
fn open_text(s: &mut Server, doc: DocId) -> Option<String> {
    s.analyse_open(doc);
    Some(s.docs[doc].open.as_ref()?.rope.to_string())
}

/// The claim of an open document whose annotation's attribute block holds `off`.
fn claim_of_block(s: &Server, doc: DocId, off: usize) -> Option<&Claim> {
    let a = s.analysis(doc)?;
    let (ai, _) = a
        .article
        .annotations
        .iter()
        .enumerate()
        .find(|(_, x)| x.block_span.start < off && off <= x.block_span.end)?;
    a.claims.iter().find(|c| c.annotation == Some(ai))
}

/// At most this many event ids in one completion list (a corpus can define thousands).
const MAX_COMPLETIONS: usize = 100;

fn item(
    label: &str,
    kind: u8,
    detail: &str,
    doc: Option<String>,
    range: &Value,
    new_text: &str,
    sort: String,
) -> Value {
    let mut v = json!({"label": label, "kind": kind, "detail": detail, "sortText": sort, "filterText": new_text,
        "textEdit": {"range": range, "newText": new_text}});
    if let Some(d) = doc {
        v["documentation"] = json!({"kind": "markdown", "value": d});
    }
    v
}

pub fn completion(s: &mut Server, params: &Value) -> Reply {
    let Some((doc, off)) = s.at(params) else {
        return Ok(Value::Null);
    };
    let Some(open) = &s.docs[doc].open else {
        return Ok(Value::Null);
    };
    let rope = &open.rope;
    let line = rope.byte_to_line(off.min(rope.len_bytes()));
    let line_start = rope.line_to_byte(line);
    let prefix = rope.byte_slice(line_start..off).to_string();
    // Inside an attribute block: after `]{`, before its `}`.
    let Some(brace) = prefix.rfind('{') else {
        return Ok(Value::Null);
    };
    if prefix[brace..].contains('}') || !prefix[..brace].ends_with(']') {
        return Ok(Value::Null);
    }
    let inside = &prefix[brace + 1..];
    let tok_rel = inside.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let token = &inside[tok_rel..];
    let tok_start = line_start + brace + 1 + tok_rel;
    let present: Vec<&str> = inside[..tok_rel]
        .split_whitespace()
        .filter_map(|t| t.split('=').next())
        .collect();
    let ci = s.docs[doc].corpus;
    let cfg = s.corpora[ci].config.clone();
    let lines = &s.docs[doc].lines;
    let claim = claim_of_block(s, doc, off).cloned();
    let mut items = Vec::new();
    let Some(eq) = token.find('=') else {
        let range = json!(lines.range(&(tok_start..off), s.enc));
        let keys = [
            ("event=", "the event this figure is a reading of"),
            (
                "source=",
                "who the figure is attributed to: a source id, \"Free text\" or author",
            ),
            (
                "value=",
                "override the reading: 1217, 1000..1300, >1000, >=1000, <300, <=300, ~500",
            ),
            ("asof=", "the date the figure refers to (YYYY-MM-DD)"),
            ("note=", "a free-text note"),
            (".ignore", "this is not a claim"),
        ];
        for (i, (k, d)) in keys.iter().enumerate() {
            if !present.contains(&k.trim_end_matches('=')) {
                items.push(item(k, 10, d, None, &range, k, format!("{i}")));
            }
        }
        return Ok(object([
            ("isIncomplete", false.into()),
            ("items", Value::Array(items)),
        ]));
    };
    let key = &token[..eq];
    let range = json!(lines.range(&(tok_start + eq + 1..off), s.enc));
    match key {
        "event" => {
            // What is typed after `event=` narrows the list (id or title, any case); the list
            // is capped, and marked incomplete so that the editor asks again as typing goes on.
            let typed = token[eq + 1..].trim_start_matches('"').to_lowercase();
            let matches = |id: &str, title: Option<&str>| {
                typed.is_empty()
                    || id.to_lowercase().contains(&typed)
                    || title.is_some_and(|t| t.to_lowercase().contains(&typed))
            };
            let index = &s.corpora[ci].index;
            let ranked = match (claim.as_ref(), s.analysis(doc)) {
                (Some(c), Some(a)) => suggest_events(&cfg, a, c),
                _ => Vec::new(),
            };
            // (rank, id, title if defined): the likeliest events first, then by id; reading
            // counts are looked up only for the events listed.
            let mut found: Vec<(u8, &str, Option<&str>)> = Vec::new();
            for e in &cfg.events {
                if matches(&e.id, e.title.as_deref()) {
                    let rank = ranked.iter().position(|r| r == &e.id).unwrap_or(9) as u8;
                    found.push((rank, &e.id, Some(e.title.as_deref().unwrap_or(""))));
                }
            }
            for id in index.events.keys() {
                if cfg.event(id).is_none() && matches(id, None) {
                    found.push((9, id, None));
                }
            }
            let order = |a: &(u8, &str, Option<&str>), b: &(u8, &str, Option<&str>)| {
                a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1))
            };
            let incomplete = found.len() > MAX_COMPLETIONS;
            if incomplete {
                found.select_nth_unstable_by(MAX_COMPLETIONS - 1, order);
                found.truncate(MAX_COMPLETIONS);
            }
            found.sort_by(order);
            let found = found.into_iter().map(|(rank, id, title)| {
                (format!("{rank}{id}"), id, title, index.claims(id).len())
            });
            for (sort, id, title, n) in found {
                let plural = if n == 1 { "" } else { "s" };
                match title {
                    Some(title) => items.push(item(
                        id,
                        20,
                        &format!("{title} · {n} readings"),
                        Some(format!("{title}\n\n{n} reading{plural} in the corpus")),
                        &range,
                        id,
                        sort,
                    )),
                    None => items.push(item(
                        id,
                        20,
                        &format!("not in tally.toml · {n} readings"),
                        None,
                        &range,
                        id,
                        sort,
                    )),
                }
            }
            return Ok(object([
                ("isIncomplete", incomplete.into()),
                ("items", Value::Array(items)),
            ]));
        }
        "source" => {
            let detected = claim.as_ref().and_then(|c| c.attribution.source_id.clone());
            for x in &cfg.sources {
                let first = if detected.as_deref() == Some(x.id.as_str()) {
                    "0"
                } else {
                    "1"
                };
                let detail = format!("{} ({})", x.name, x.affiliation);
                items.push(item(
                    &x.id,
                    18,
                    &detail,
                    None,
                    &range,
                    &x.id,
                    format!("{first}{}", x.id),
                ));
            }
            items.push(item(
                "author",
                14,
                "the article's author or outlet asserts it",
                None,
                &range,
                "author",
                "2".into(),
            ));
        }
        "value" => {
            let forms: Vec<(String, &str)> =
                match claim.as_ref().map(|c| (c.reading.value, c.reading.kind)) {
                    Some((FigValue::Number(v), k)) => {
                        let n = format_number(v, k).replace([',', '%'], "");
                        vec![
                            (n.clone(), "exactly"),
                            (format!(">={n}"), "at least"),
                            (format!(">{n}"), "more than"),
                            (format!("<={n}"), "at most"),
                            (format!("<{n}"), "fewer than"),
                            (format!("~{n}"), "about"),
                        ]
                    }
                    Some((FigValue::Range(a, b), k)) => {
                        let (a, b) = (
                            format_number(a, k).replace([',', '%'], ""),
                            format_number(b, k).replace([',', '%'], ""),
                        );
                        vec![(format!("{a}..{b}"), "a range")]
                    }
                    _ => [
                        "1217",
                        "1000..1300",
                        ">1000",
                        ">=1000",
                        "<300",
                        "<=300",
                        "~500",
                    ]
                    .iter()
                    .zip([
                        "exactly",
                        "a range",
                        "more than",
                        "at least",
                        "fewer than",
                        "at most",
                        "about",
                    ])
                    .map(|(f, d)| (f.to_string(), d))
                    .collect(),
                };
            for (i, (f, d)) in forms.iter().enumerate() {
                items.push(item(f, 12, d, None, &range, f, format!("{i}")));
            }
        }
        "asof" => {
            if let Some(d) = s
                .analysis(doc)
                .and_then(|a| a.article.meta.valid_date().map(str::to_string))
            {
                items.push(item(
                    &d,
                    12,
                    "the article's date",
                    None,
                    &range,
                    &d,
                    "0".into(),
                ));
            }
        }
        _ => {}
    }
    Ok(object([
        ("isIncomplete", false.into()),
        ("items", Value::Array(items)),
    ]))
}

fn edit(s: &Server, doc: DocId, span: Range<usize>, text: &str) -> Value {
    json!({"range": s.docs[doc].lines.range(&span, s.enc), "newText": text})
}

fn source_value(c: &Claim) -> Option<String> {
    let a = &c.attribution;
    if a.kind != AttributionKind::Named {
        return None;
    }
    match (&a.source_id, &a.source) {
        (Some(id), _) => Some(id.clone()),
        (None, Some(name)) => Some(format!(
            "\"{}\"",
            name.replace('\\', "\\\\").replace('"', "\\\"")
        )),
        _ => None,
    }
}

pub fn code_actions(s: &mut Server, params: &Value) -> Reply {
    let Some(uri) = params.pointer("/textDocument/uri").and_then(Value::as_str) else {
        return Ok(Value::Null);
    };
    let Some(doc) = s.doc_of(uri) else {
        return Ok(Value::Null);
    };
    if open_text(s, doc).is_none() {
        return Ok(Value::Null);
    }
    let (a, b) = {
        let Some(open) = &s.docs[doc].open else {
            return Ok(Value::Null);
        };
        let get = |p: &str| {
            params
                .pointer(p)
                .and_then(|v| serde_json::from_value(v.clone()).ok())
                .unwrap_or_default()
        };
        (
            rope_offset(&open.rope, get("/range/start"), s.enc),
            rope_offset(&open.rope, get("/range/end"), s.enc),
        )
    };
    let diags: Vec<Value> = params
        .pointer("/context/diagnostics")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let ci = s.docs[doc].corpus;
    let cfg = s.corpora[ci].config.clone();
    let Some(an) = s.analysis(doc) else {
        return Ok(Value::Null);
    };
    let claims: Vec<Claim> = an
        .claims
        .iter()
        .filter(|c| c.span.start <= b && a <= c.span.end)
        .cloned()
        .collect();
    let annotations = an.article.annotations.clone();
    let mut out = Vec::new();
    for c in &claims {
        let range = s.docs[doc].lines.range(&c.span, s.enc);
        let related: Vec<Value> = diags
            .iter()
            .filter(|d| d.get("range") == Some(&json!(range)))
            .cloned()
            .collect();
        let action = |title: String, kind: &str, changes: Value, preferred: bool| json!({"title": title, "kind": kind, "diagnostics": related, "isPreferred": preferred, "edit": changes});
        match c.annotation.and_then(|i| annotations.get(i)) {
            None => {
                if c.class == FigureClass::Claim {
                    let src = source_value(c)
                        .map(|v| format!(" source={v}"))
                        .unwrap_or_default();
                    let suggested = s
                        .analysis(doc)
                        .map(|a| suggest_events(&cfg, a, c))
                        .unwrap_or_default();
                    for (i, e) in suggested.into_iter().enumerate() {
                        let title = cfg
                            .event(&e)
                            .and_then(|d| d.title.clone())
                            .unwrap_or_default();
                        let edits = vec![
                            edit(s, doc, c.span.start..c.span.start, "["),
                            edit(
                                s,
                                doc,
                                c.span.end..c.span.end,
                                &format!("]{{event={e}{src}}}"),
                            ),
                        ];
                        out.push(action(
                            format!("Annotate as `{e}`: {title}"),
                            "quickfix",
                            json!({"changes": {uri: edits}}),
                            i == 0,
                        ));
                    }
                }
                let edits = vec![
                    edit(s, doc, c.span.start..c.span.start, "["),
                    edit(s, doc, c.span.end..c.span.end, "]{.ignore}"),
                ];
                out.push(action(
                    format!("Mark “{}” as not a claim (.ignore)", c.text),
                    "quickfix",
                    json!({"changes": {uri: edits}}),
                    false,
                ));
            }
            Some(ann) => {
                let close = ann.block_span.end.saturating_sub(1);
                if c.source_attr.is_none() {
                    if let Some(v) = source_value(c) {
                        let who = c.attribution.source.clone().unwrap_or_default();
                        let edits = vec![edit(s, doc, close..close, &format!(" source={v}"))];
                        out.push(action(
                            format!("Add source={v} (detected: {who})"),
                            "quickfix",
                            json!({"changes": {uri: edits}}),
                            true,
                        ));
                    }
                }
                if let Some(e) = c.event_id().filter(|e| cfg.event(e).is_none()) {
                    let c2 = &s.corpora[ci];
                    let unit = match unit_class(&c.reading) {
                        "" => String::new(),
                        u => format!("unit = \"{u}\"\n"),
                    };
                    let title = c.text.replace(['"', '\\', '\n'], " ");
                    let block = format!(
                        "[events.{}]\ntitle = \"{title}\"\n{unit}",
                        if e.contains('.') {
                            format!("\"{e}\"")
                        } else {
                            e.to_string()
                        }
                    );
                    let change = match &c2.config_text {
                        Some(t) => {
                            let sep = if t.is_empty() || t.ends_with("\n\n") {
                                ""
                            } else if t.ends_with('\n') {
                                "\n"
                            } else {
                                "\n\n"
                            };
                            let end = c2.config_lines.range(&(t.len()..t.len()), s.enc);
                            json!({"changes": {c2.config_uri.clone(): [{"range": end, "newText": format!("{sep}{block}")}]}})
                        }
                        None => json!({"documentChanges": [
                            {"kind": "create", "uri": c2.config_uri, "options": {"ignoreIfExists": true}},
                            {"textDocument": {"uri": c2.config_uri, "version": null},
                             "edits": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "newText": block}]}
                        ]}),
                    };
                    out.push(action(
                        format!("Define event `{e}` in tally.toml"),
                        "quickfix",
                        change,
                        false,
                    ));
                }
            }
        }
    }
    Ok(Value::Array(out))
}

pub fn code_lens(s: &mut Server, params: &Value) -> Reply {
    let Some((uri, doc)) = open_document(s, params) else {
        return Ok(Value::Null);
    };
    let Some(a) = s.analysis(doc) else {
        return Ok(Value::Null);
    };
    let ci = s.docs[doc].corpus;
    let cfg = &s.corpora[ci].config;
    let mut out = Vec::new();
    for c in &a.claims {
        let Some(e) = c.event_id() else { continue };
        let claims = event_claims(s, ci, e);
        let Some(me) = claims
            .iter()
            .find(|r| r.doc() == doc && r.start() == c.span.start)
        else {
            continue;
        };
        let conflicts = claims
            .iter()
            .filter(|o| compare(cfg, e, me, o) == Some(false))
            .count();
        let n = claims.len();
        let title = format!(
            "{n} reading{} · {conflicts} conflict{}",
            if n == 1 { "" } else { "s" },
            if conflicts == 1 { "" } else { "s" }
        );
        let range = s.docs[doc].lines.range(&c.span, s.enc);
        out.push(
            json!({"range": range, "command": {"title": title, "command": "tally.nextClaim",
            "arguments": [uri, range.start]}}),
        );
    }
    Ok(Value::Array(out))
}

pub fn inlay_hints(s: &mut Server, params: &Value) -> Reply {
    let Some((_, doc)) = open_document(s, params) else {
        return Ok(Value::Null);
    };
    let Some(a) = s.analysis(doc) else {
        return Ok(Value::Null);
    };
    let lines = &s.docs[doc].lines;
    let get = |p: &str| {
        params
            .pointer(p)
            .and_then(|v| serde_json::from_value(v.clone()).ok())
    };
    let (from, to) = match (get("/range/start"), get("/range/end")) {
        (Some(x), Some(y)) => (lines.offset(x, s.enc), lines.offset(y, s.enc)),
        _ => (0, usize::MAX),
    };
    let out: Vec<Value> = a
        .claims
        .iter()
        .filter(|c| {
            (c.class == FigureClass::Claim || c.is_annotated())
                && c.span.end >= from
                && c.span.end <= to
        })
        .map(|c| {
            let tip = format!(
                "{} · {} · attribution {}",
                c.reading.qualifier.name(),
                c.reading.interval(),
                attribution_text(c)
            );
            json!({"position": lines.position(c.span.end, s.enc), "label": c.reading.short(),
                "paddingLeft": true, "tooltip": tip})
        })
        .collect();
    Ok(Value::Array(out))
}

pub fn semantic_tokens(s: &mut Server, params: &Value) -> Reply {
    let Some(uri) = params.pointer("/textDocument/uri").and_then(Value::as_str) else {
        return Ok(Value::Null);
    };
    let Some(doc) = s.doc_of(uri) else {
        return Ok(Value::Null);
    };
    let Some(text) = open_text(s, doc) else {
        return Ok(Value::Null);
    };
    let Some(a) = s.analysis(doc) else {
        return Ok(Value::Null);
    };
    // (span, token type): 0 figure, 1 qualifier, 2 source mention, 3 annotation syntax.
    let mut spans: Vec<(Range<usize>, u32)> = Vec::new();
    for ann in &a.article.annotations {
        spans.push((ann.span.start..ann.span.start + 1, 3));
        spans.push((ann.text_span.end..ann.block_span.start, 3));
        spans.push((ann.block_span.clone(), 3));
    }
    for c in &a.claims {
        let mut start = c.span.start;
        if matches!(
            c.reading.qualifier,
            Qualifier::Lower | Qualifier::Upper | Qualifier::Approx
        ) {
            if let Some(t) = text.get(c.span.clone()) {
                if let Some(d) = t.find(|ch: char| ch.is_ascii_digit()) {
                    let q = t[..d].trim_end();
                    if !q.is_empty() && q.split_whitespace().count() <= 4 {
                        spans.push((start..start + q.len(), 1));
                        start += d;
                    }
                }
            }
        }
        spans.push((start..c.span.end, 0));
        if let Some(cue) = &c.attribution.cue_span {
            spans.push((a.article.span_to_file(cue.clone()), 2));
        }
    }
    spans.retain(|(r, _)| r.start < r.end && r.end <= text.len());
    spans.sort_by_key(|(r, t)| (r.start, *t));
    spans.dedup();
    let lines = &s.docs[doc].lines;
    let (mut data, mut prev, mut last_end) = (Vec::new(), (0u32, 0u32), 0usize);
    for (r, t) in spans {
        if r.start < last_end {
            continue; // tokens must not overlap
        }
        last_end = r.end;
        // One token per line.
        let (l0, l1) = (lines.line_of(r.start), lines.line_of(r.end));
        for l in l0..=l1 {
            let ls = lines.line_span(l);
            let piece = r.start.max(ls.start)..r.end.min(ls.end);
            if piece.start >= piece.end {
                continue;
            }
            let p = lines.position(piece.start, s.enc);
            let len = lines.width(&piece, s.enc);
            let dl = p.line - prev.0;
            let dc = if dl == 0 {
                p.character - prev.1
            } else {
                p.character
            };
            data.extend([dl, dc, len, t, 0]);
            prev = (p.line, p.character);
        }
    }
    Ok(object([("data", data.into())]))
}
