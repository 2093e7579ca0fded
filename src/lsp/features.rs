//! Reading the corpus from the editor: hover, definition, references, highlights, rename,
//! symbols and the next/previous-claim commands.

use super::transport::object;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use serde_json::{json, Value};

use super::position::rope_offset;
use super::server::{Reply, Server, INTERNAL_ERROR, REQUEST_FAILED};
use super::transport::Answer;
use super::workspace::{config_event_mentions, IdKind};
use crate::analysis::{ArticleAnalysis, Claim};
use crate::article::valid_event_id;
use crate::attribution::AttributionKind;
use crate::checks::DocId;
use crate::corpus::{ClaimRef, Config, Sym};
use crate::figures::{format_number, Reading, UnitKind};

/// Where an id was found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Place {
    Doc(DocId),
    Config(usize),
}

/// What the cursor is on.
#[derive(Debug, Clone)]
pub enum Hit {
    /// A figure: claim `claim` of an open document.
    Claim { doc: DocId, claim: usize },
    /// An event or source id: an `event=` / `source=` value, or a `tally.toml` key or mention.
    Id {
        kind: IdKind,
        id: String,
        span: Range<usize>,
        place: Place,
    },
}

/// The corpus and the thing at a request's `textDocument` / `position`.
pub fn hit_at(s: &mut Server, params: &Value) -> Option<(usize, Hit)> {
    let uri = params
        .pointer("/textDocument/uri")
        .and_then(Value::as_str)?;
    if let Some(ci) = s.config_of(uri) {
        let pos = serde_json::from_value(params.get("position")?.clone()).ok()?;
        let c = &s.corpora[ci];
        let off = match &c.config_open {
            Some((rope, _)) => rope_offset(rope, pos, s.enc),
            None => c.config_lines.offset(pos, s.enc),
        };
        let inside = |r: &Range<usize>| r.start <= off && off <= r.end;
        let cfg = &c.config;
        if let Some(e) = cfg.events.iter().find(|e| inside(&e.id_span)) {
            return Some((
                ci,
                Hit::Id {
                    kind: IdKind::Event,
                    id: e.id.clone(),
                    span: e.id_span.clone(),
                    place: Place::Config(ci),
                },
            ));
        }
        if let Some(x) = cfg.sources.iter().find(|x| inside(&x.id_span)) {
            return Some((
                ci,
                Hit::Id {
                    kind: IdKind::Source,
                    id: x.id.clone(),
                    span: x.id_span.clone(),
                    place: Place::Config(ci),
                },
            ));
        }
        let (id, span) = config_event_mentions(c.config_text.as_deref().unwrap_or(""))
            .into_iter()
            .find(|(_, r)| inside(r))?;
        return Some((
            ci,
            Hit::Id {
                kind: IdKind::Event,
                id,
                span,
                place: Place::Config(ci),
            },
        ));
    }
    let (doc, off) = s.at(params)?;
    let a = s.analysis(doc)?;
    let ci = s.docs[doc].corpus;
    for ann in &a.article.annotations {
        for attr in &ann.attrs {
            let kind = match attr.key.as_str() {
                "event" => IdKind::Event,
                "source" if attr.value != "author" => IdKind::Source,
                _ => continue,
            };
            if attr.value_span.start <= off && off <= attr.value_span.end {
                return Some((
                    ci,
                    Hit::Id {
                        kind,
                        id: attr.value.clone(),
                        span: attr.value_span.clone(),
                        place: Place::Doc(doc),
                    },
                ));
            }
        }
    }
    let claim = a
        .claims
        .iter()
        .position(|c| c.span.start <= off && off < c.span.end)
        .or_else(|| {
            a.claims
                .iter()
                .position(|c| c.span.start <= off && off <= c.span.end)
        })?;
    Some((ci, Hit::Claim { doc, claim }))
}

/// The claim of an open document.
pub fn claim(s: &Server, doc: DocId, i: usize) -> Option<&Claim> {
    s.analysis(doc)?.claims.get(i)
}

/// The event a hit is about.
pub fn event_of(s: &Server, hit: &Hit) -> Option<String> {
    match hit {
        Hit::Claim { doc, claim: i } => Some(claim(s, *doc, *i)?.event_id()?.to_string()),
        Hit::Id {
            kind: IdKind::Event,
            id,
            ..
        } => Some(id.clone()),
        Hit::Id { .. } => None,
    }
}

/// An event's claims in corpus order: by path, then position.
///
/// The index keeps them by (document number, position), and documents are mostly numbered in
/// path order (the corpus is walked sorted), so the list is checked first and sorted only
/// when it is out of order: comparing paths is the dear part.
pub fn event_claims<'s>(s: &'s Server, ci: usize, event: &str) -> Vec<&'s ClaimRef> {
    let mut v: Vec<&ClaimRef> = s.corpora[ci].index.claims(event).iter().collect();
    let order = |a: &&ClaimRef, b: &&ClaimRef| {
        if a.doc() == b.doc() {
            a.start().cmp(&b.start())
        } else {
            s.docs[a.doc()].path.cmp(&s.docs[b.doc()].path)
        }
    };
    if !v.is_sorted_by(|a, b| order(a, b).is_le()) {
        v.sort_by(order);
    }
    v
}

/// Whether two readings of an event agree: `Some(true)`, conflict: `Some(false)`, or are not
/// compared (`None`): same source in the same article, other dates of a cumulative event,
/// other kinds of quantity.
pub fn compare(cfg: &Config, event: &str, a: &ClaimRef, b: &ClaimRef) -> Option<bool> {
    if a.kind != b.kind {
        return None;
    }
    let cumulative = cfg.event(event).is_some_and(|e| e.cumulative);
    if cumulative && a.asof != b.asof {
        return None;
    }
    let t = cfg.tolerance_for(event);
    let (al, ah) = a.widened(t);
    let (bl, bh) = b.widened(t);
    if al <= bh && bl <= ah {
        return Some(true);
    }
    if a.doc() == b.doc() && a.source_key == b.source_key {
        return None;
    }
    Some(false)
}

fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_cell(&mut out, s);
    out
}

/// Text for a Markdown table cell: `|` escaped, line breaks as spaces.
fn push_cell(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = memchr::memchr3(b'|', b'\n', b'\r', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        out.push_str(if rest.as_bytes()[i] == b'|' {
            "\\|"
        } else {
            " "
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// For each reading of an event, whether some other reading conflicts with it (what
/// [`compare`] says, for every pair), in `n log n`: within a group of comparable readings
/// (one kind of quantity; one date when the event is cumulative), the readings that end below
/// a reading's low, or start above its high, are found from two sorted lists, skipping those
/// from the same source in the same article (which are not compared).
fn in_conflict(cfg: &Config, event: &str, claims: &[&ClaimRef]) -> Vec<bool> {
    let mut out = vec![false; claims.len()];
    if claims.is_empty() {
        return out;
    }
    let cumulative = cfg.event(event).is_some_and(|e| e.cumulative);
    let t = cfg.tolerance_for(event);
    let bounds: Vec<(f64, f64)> = claims.iter().map(|c| c.widened(t)).collect();
    let mut groups: HashMap<(UnitKind, Option<Sym>), Vec<usize>> = HashMap::new();
    for (i, c) in claims.iter().enumerate() {
        let asof = if cumulative { c.asof } else { None };
        groups.entry((c.kind, asof)).or_default().push(i);
    }
    let exempt = |a: usize, b: usize| {
        claims[a].doc() == claims[b].doc() && claims[a].source_key == claims[b].source_key
    };
    for members in groups.values() {
        let mut by_high = members.clone();
        by_high.sort_by(|&a, &b| bounds[a].1.total_cmp(&bounds[b].1));
        let mut by_low = members.clone();
        by_low.sort_by(|&a, &b| bounds[b].0.total_cmp(&bounds[a].0));
        for &i in members {
            let (lo, hi) = bounds[i];
            out[i] = by_high
                .iter()
                .take_while(|&&o| bounds[o].1 < lo)
                .any(|&o| !exempt(i, o))
                || by_low
                    .iter()
                    .take_while(|&&o| bounds[o].0 > hi)
                    .any(|&o| !exempt(i, o));
        }
    }
    out
}

fn fmt(v: Option<f64>, kind: UnitKind) -> String {
    v.map_or_else(|| "–".into(), |v| format_number(v, kind))
}

/// The Markdown of an event: title, when, where, a table of every reading, the summary.
/// `this` marks the reading under the cursor; the others say whether they agree with it.
pub fn event_markdown(s: &Server, ci: usize, event: &str, this: Option<(DocId, usize)>) -> String {
    let cfg = &s.corpora[ci].config;
    let def = cfg.event(event);
    let mut md = String::new();
    match def.and_then(|e| e.title.as_deref()) {
        Some(t) => md.push_str(&format!("**{}** · `{event}`\n\n", cell(t))),
        None => md.push_str(&format!(
            "**`{event}`**{}\n\n",
            if def.is_none() {
                " (not defined in tally.toml)"
            } else {
                ""
            }
        )),
    }
    if let Some(e) = def {
        let mut facts = Vec::new();
        if let Some(w) = &e.when {
            facts.push(format!("When: {w}"));
        }
        if let Some(w) = &e.where_ {
            facts.push(format!("Where: {w}"));
        }
        if let Some(u) = &e.unit {
            facts.push(format!(
                "Unit: {u}{}",
                if e.cumulative { " (cumulative)" } else { "" }
            ));
        }
        if !facts.is_empty() {
            md.push_str(&facts.join(" · "));
            md.push_str("\n\n");
        }
    }
    let claims = event_claims(s, ci, event);
    if claims.is_empty() {
        md.push_str("No readings in the corpus yet.\n");
        return md;
    }
    let here = this.and_then(|(d, start)| {
        claims
            .iter()
            .find(|c| c.doc() == d && c.start() == start)
            .copied()
    });
    md.push_str("| Source | Outlet, date | As written | Reading | |\n|---|---|---|---|---|\n");
    let conflicting = match here {
        Some(_) => Vec::new(),
        None => in_conflict(cfg, event, &claims),
    };
    let shown = hover_rows(&claims, here, HOVER_ROWS);
    for &i in &shown {
        let c = claims[i];
        let mark = match here {
            Some(h) if std::ptr::eq(h, c) => "◆ this",
            Some(h) => match compare(cfg, event, h, c) {
                Some(true) => "✓ agrees",
                Some(false) => "✗ conflicts",
                None => "–",
            },
            None if conflicting[i] => "✗ conflicts",
            None => "✓ agrees",
        };
        md.push_str("| ");
        let index = &s.corpora[ci].index;
        push_cell(&mut md, index.label(c));
        md.push_str(" | ");
        match (index.outlet(c), index.date(c)) {
            (Some(o), Some(d)) => {
                push_cell(&mut md, o);
                md.push_str(", ");
                push_cell(&mut md, d);
            }
            (Some(o), None) => push_cell(&mut md, o),
            (None, Some(d)) => push_cell(&mut md, d),
            (None, None) => {
                if let Some(n) = s.docs[c.doc()].path.file_name() {
                    push_cell(&mut md, &n.to_string_lossy());
                }
            }
        }
        md.push_str(" | ");
        push_cell(&mut md, index.text(c));
        md.push_str(" | ");
        push_cell(&mut md, &c.interval());
        md.push_str(" | ");
        md.push_str(mark);
        md.push_str(" |\n");
    }
    if shown.len() < claims.len() {
        md.push_str(&format!(
            "\nShowing {} of {} readings: every source's first, then in corpus order (`tally events` lists them all).\n",
            shown.len(),
            claims.len()
        ));
    }
    if let Some(st) = s.corpora[ci].index.stats(event) {
        let kind = claims[0].kind;
        md.push_str(&format!(
            "\nLow **{}** · median **{}** · high **{}** · {} reading{} from {} source{}\n",
            fmt(st.low, kind),
            fmt(st.median, kind),
            fmt(st.high, kind),
            st.readings,
            if st.readings == 1 { "" } else { "s" },
            st.sources,
            if st.sources == 1 { "" } else { "s" },
        ));
    }
    md
}

/// The most readings an event's hover lists (an event can have hundreds; the summary line
/// below the table covers them all).
pub const HOVER_ROWS: usize = 100;

/// Which of an event's readings (in corpus order) a hover lists, in corpus order: all of them
/// when they are at most `cap`; else the hovered one, the first reading of every source, then
/// the others in corpus order, up to `cap` (the hovered one and every source's first even
/// beyond it: what every source said comes first).
fn hover_rows(claims: &[&ClaimRef], here: Option<&ClaimRef>, cap: usize) -> Vec<usize> {
    if claims.len() <= cap {
        return (0..claims.len()).collect();
    }
    let mut take = vec![false; claims.len()];
    let mut taken = 0;
    if let Some(h) = here {
        if let Some(i) = claims.iter().position(|c| std::ptr::eq(*c, h)) {
            take[i] = true;
            taken += 1;
        }
    }
    let mut sources = std::collections::HashSet::new();
    for (i, c) in claims.iter().enumerate() {
        if sources.insert(&c.source_key) && !take[i] {
            take[i] = true;
            taken += 1;
        }
    }
    for t in take.iter_mut() {
        if taken >= cap {
            break;
        }
        if !*t {
            *t = true;
            taken += 1;
        }
    }
    (0..claims.len()).filter(|&i| take[i]).collect()
}

/// Nouns that count people, for matching figures to `unit = "people"` events.
fn is_people(noun: &str) -> bool {
    let n = noun.to_lowercase();
    const PEOPLE: &[&str] = &[
        "people",
        "person",
        "civilian",
        "resident",
        "inhabitant",
        "refugee",
        "evacuee",
        "displaced",
        "children",
        "child",
        "women",
        "men",
        "fighter",
        "militant",
        "jihadi",
        "jihadist",
        "rebel",
        "terrorist",
        "gunmen",
        "insurgent",
        "combatant",
        "soldier",
        "troop",
        "commander",
        "chief",
        "leader",
        "member",
        "prisoner",
        "hostage",
        "casualt",
        "dead",
        "death",
        "killed",
        "wounded",
        "injured",
        "victim",
        "famil",
        "militiamen",
    ];
    PEOPLE.iter().any(|p| n.contains(p))
}

/// The unit class of a reading, in `tally.toml` terms.
pub fn unit_class(r: &Reading) -> &'static str {
    match r.kind {
        UnitKind::Percent => "percent",
        UnitKind::Fraction => "fraction",
        UnitKind::Money => "money",
        UnitKind::Count => match &r.unit {
            Some(u) if is_people(u) => "people",
            Some(_) => "count",
            None => "",
        },
    }
}

/// The events a figure may belong to, likeliest first: the ones the `unlinked-figure`
/// diagnostic names (a repeat of a linked figure in the article, words shared with the
/// event's title, the same kind of unit), so that hover, completion and code actions agree
/// with it. Scored from the title-word index, not from every event of the corpus.
pub fn suggest_events(cfg: &Config, a: &ArticleAnalysis, c: &Claim) -> Vec<String> {
    crate::checks::suggest::suggest_events(a, c, cfg)
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// How an attribution reads for people.
pub fn attribution_text(c: &Claim) -> String {
    let a = &c.attribution;
    let who = a.source.clone().unwrap_or_default();
    match (a.kind, &a.source_id) {
        (AttributionKind::Named, Some(id)) => format!("named: {who} (`{id}`)"),
        (AttributionKind::Named, None) => format!("named: {who}"),
        (AttributionKind::Vague, _) if !who.is_empty() => format!("vague: {who}"),
        (AttributionKind::Vague, _) => "vague".into(),
        (AttributionKind::None, _) => "none (the article asserts it)".into(),
    }
}

pub fn hover(s: &mut Server, params: &Value) -> Result<Answer, (i64, String)> {
    let Some((ci, hit)) = hit_at(s, params) else {
        return Ok(Answer::Json(Value::Null));
    };
    let (md, range) = match &hit {
        Hit::Claim { doc, claim: i } => {
            let Some(c) = claim(s, *doc, *i) else {
                return Ok(Answer::Json(Value::Null));
            };
            let range = json!(s.docs[*doc].lines.range(&c.span, s.enc));
            let md = match c.event_id() {
                Some(e) => event_markdown(s, ci, e, Some((*doc, c.span.start))),
                None => {
                    let mut md = format!(
                        "**{}** — {} figure, not linked to an event\n\n",
                        cell(&c.text),
                        c.class.name()
                    );
                    md.push_str(&format!(
                        "Reading: **{}** ({})",
                        c.reading.interval(),
                        c.reading.qualifier.name()
                    ));
                    if let Some(u) = &c.reading.unit {
                        md.push_str(&format!(" · unit: {u}"));
                    }
                    md.push_str(&format!("\n\nAttribution: {}\n", attribution_text(c)));
                    let cfg = &s.corpora[ci].config;
                    let sugg = s
                        .analysis(*doc)
                        .map(|a| suggest_events(cfg, a, c))
                        .unwrap_or_default();
                    if !sugg.is_empty() {
                        md.push_str("\nMay belong to:\n");
                        for e in sugg {
                            let title = cfg
                                .event(&e)
                                .and_then(|d| d.title.clone())
                                .unwrap_or_default();
                            md.push_str(&format!("- `{e}` {}\n", cell(&title)));
                        }
                    }
                    md
                }
            };
            (md, range)
        }
        Hit::Id {
            kind: IdKind::Event,
            id,
            span,
            place,
        } => (
            event_markdown(s, ci, id, None),
            place_range(s, *place, span),
        ),
        Hit::Id {
            kind: IdKind::Source,
            id,
            span,
            place,
        } => {
            let cfg = &s.corpora[ci].config;
            let md = match cfg.source(id) {
                Some(x) => {
                    let mut md = format!("**{}** · `{id}` · {}\n", cell(&x.name), x.affiliation);
                    if !x.aliases.is_empty() {
                        md.push_str(&format!("\nAlso: {}\n", x.aliases.join(", ")));
                    }
                    md
                }
                None => format!("`{id}`: not a source defined in tally.toml\n"),
            };
            (md, place_range(s, *place, span))
        }
    };
    // Serialised straight from the Markdown (a contested event's table is tens of KB).
    #[derive(serde::Serialize)]
    struct Hover<'a> {
        contents: Markup<'a>,
        range: Value,
    }
    #[derive(serde::Serialize)]
    struct Markup<'a> {
        kind: &'static str,
        value: &'a str,
    }
    let hover = Hover {
        contents: Markup {
            kind: "markdown",
            value: &md,
        },
        range,
    };
    serde_json::to_string(&hover)
        .map(Answer::Raw)
        .map_err(|e| (INTERNAL_ERROR, e.to_string()))
}

fn place_range(s: &Server, place: Place, span: &Range<usize>) -> Value {
    match place {
        Place::Doc(d) => json!(s.docs[d].lines.range(span, s.enc)),
        Place::Config(ci) => json!(s.corpora[ci].config_lines.range(span, s.enc)),
    }
}

pub fn definition(s: &mut Server, params: &Value) -> Reply {
    let Some((ci, hit)) = hit_at(s, params) else {
        return Ok(Value::Null);
    };
    let cfg = s.corpora[ci].config.clone();
    let span = match &hit {
        Hit::Id {
            kind: IdKind::Source,
            id,
            ..
        } => cfg.source(id).map(|x| x.id_span.clone()),
        _ => event_of(s, &hit).and_then(|e| cfg.event(&e).map(|e| e.id_span.clone())),
    };
    Ok(span.map_or(Value::Null, |sp| s.config_location(ci, &sp)))
}

/// Every use of a source or an event: its definition (if asked for) and every claim or
/// reference, serialised straight from the index (an event can have thousands of readings).
pub fn references(s: &mut Server, params: &Value) -> Result<Answer, (i64, String)> {
    let Some((ci, hit)) = hit_at(s, params) else {
        return Ok(Answer::Json(Value::Null));
    };
    s.analyse_corpus_open(ci);
    let decl = params
        .pointer("/context/includeDeclaration")
        .and_then(Value::as_bool)
        == Some(true);
    let cfg = s.corpora[ci].config.clone();
    let s: &Server = s;
    let mut out = Vec::new();
    if let Hit::Id {
        kind: IdKind::Source,
        id,
        ..
    } = &hit
    {
        if decl {
            if let Some(x) = cfg.source(id) {
                out.push(s.wire_config_location(ci, &x.id_span));
            }
        }
        for (d, doc) in s.docs.iter().enumerate().filter(|(_, d)| d.corpus == ci) {
            for r in doc
                .refs
                .iter()
                .filter(|r| r.kind == IdKind::Source && *r.id == **id)
            {
                out.push(s.wire_location(d, &r.span));
            }
        }
    } else {
        let Some(event) = event_of(s, &hit) else {
            return Ok(Answer::Json(Value::Null));
        };
        if decl {
            if let Some(e) = cfg.event(&event) {
                out.push(s.wire_config_location(ci, &e.id_span));
            }
        }
        for c in event_claims(s, ci, &event) {
            out.push(s.wire_location(c.doc(), &c.span()));
        }
    }
    serde_json::to_string(&out)
        .map(Answer::Raw)
        .map_err(|e| (INTERNAL_ERROR, e.to_string()))
}

pub fn highlight(s: &mut Server, params: &Value) -> Reply {
    let Some((_, hit)) = hit_at(s, params) else {
        return Ok(Value::Null);
    };
    let Some(event) = event_of(s, &hit) else {
        return Ok(Value::Null);
    };
    let doc = match hit {
        Hit::Claim { doc, .. }
        | Hit::Id {
            place: super::features::Place::Doc(doc),
            ..
        } => doc,
        _ => return Ok(Value::Null),
    };
    let Some(a) = s.analysis(doc) else {
        return Ok(Value::Null);
    };
    let lines = &s.docs[doc].lines;
    let out: Vec<Value> = a
        .claims
        .iter()
        .filter(|c| c.event_id() == Some(event.as_str()))
        .map(|c| json!({"range": lines.range(&c.span, s.enc), "kind": 2}))
        .collect();
    Ok(Value::Array(out))
}

const RENAME_REFUSED: &str =
    "only event and source ids can be renamed: put the cursor on an `event=` or `source=` value, or on a `[events.…]` or `[sources.…]` key";

pub fn prepare_rename(s: &mut Server, params: &Value) -> Reply {
    match hit_at(s, params) {
        Some((
            _,
            Hit::Id {
                id, span, place, ..
            },
        )) => {
            let text_span = id_span(s, place, &span);
            Ok(json!({"range": place_range(s, place, &text_span), "placeholder": id}))
        }
        _ => Err((REQUEST_FAILED, RENAME_REFUSED.into())),
    }
}

/// The span of the id itself inside a value or key as written (without quotes).
fn id_span(s: &Server, place: Place, span: &Range<usize>) -> Range<usize> {
    match place {
        Place::Config(ci) => {
            super::workspace::unquoted(s.corpora[ci].config_text.as_deref().unwrap_or(""), span)
        }
        Place::Doc(d) => match s.docs[d]
            .open
            .as_ref()
            .map(|o| o.rope.byte_slice(..).to_string())
        {
            Some(t) => super::workspace::unquoted(&t, span),
            None => span.clone(),
        },
    }
}

pub fn rename(s: &mut Server, params: &Value) -> Reply {
    let new = params
        .get("newName")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_string();
    let Some((ci, Hit::Id { kind, id, .. })) = hit_at(s, params) else {
        return Err((REQUEST_FAILED, RENAME_REFUSED.into()));
    };
    if !valid_event_id(&new) {
        return Err((
            REQUEST_FAILED,
            format!("`{new}` is not a valid id: use lowercase letters, digits, `.`, `_` and `-`"),
        ));
    }
    s.analyse_corpus_open(ci);
    let mut changes: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (d, doc) in s.docs.iter().enumerate().filter(|(_, d)| d.corpus == ci) {
        for r in doc.refs.iter().filter(|r| r.kind == kind && *r.id == *id) {
            changes
                .entry(doc.uri.clone())
                .or_default()
                .push(json!({"range": s.docs[d].lines.range(&r.span, s.enc), "newText": new}));
        }
    }
    let c = &s.corpora[ci];
    let text = c.config_text.clone().unwrap_or_default();
    let def = match kind {
        IdKind::Event => c.config.event(&id).map(|e| e.id_span.clone()),
        IdKind::Source => c.config.source(&id).map(|x| x.id_span.clone()),
    };
    let mut edits = Vec::new();
    if let Some(span) = def {
        let key = if new.contains('.') {
            format!("\"{new}\"")
        } else {
            new.clone()
        };
        edits.push(json!({"range": c.config_lines.range(&span, s.enc), "newText": key}));
    }
    if kind == IdKind::Event {
        for (m, span) in config_event_mentions(&text) {
            if m == id {
                edits.push(json!({"range": c.config_lines.range(&span, s.enc), "newText": format!("\"{new}\"")}));
            }
        }
    }
    if !edits.is_empty() {
        changes
            .entry(c.config_uri.clone())
            .or_default()
            .extend(edits);
    }
    Ok(object([(
        "changes",
        Value::Object(
            changes
                .into_iter()
                .map(|(uri, edits)| (uri, Value::Array(edits)))
                .collect(),
        ),
    )]))
}

/// The open document a request's `textDocument.uri` names, analysed up to date.
pub(super) fn open_document<'p>(s: &mut Server, params: &'p Value) -> Option<(&'p str, DocId)> {
    let uri = params
        .pointer("/textDocument/uri")
        .and_then(Value::as_str)?;
    let doc = s.doc_of(uri)?;
    s.analyse_open(doc);
    Some((uri, doc))
}

pub fn document_symbols(s: &mut Server, params: &Value) -> Reply {
    let Some((_, doc)) = open_document(s, params) else {
        return Ok(Value::Null);
    };
    let Some(a) = s.analysis(doc) else {
        return Ok(Value::Null);
    };
    let cfg = &s.corpora[s.docs[doc].corpus].config;
    let lines = &s.docs[doc].lines;
    let mut groups: BTreeMap<String, Vec<&Claim>> = BTreeMap::new();
    for c in a
        .claims
        .iter()
        .filter(|c| c.is_annotated() || c.class == crate::figures::FigureClass::Claim)
    {
        groups
            .entry(c.event_id().unwrap_or("").to_string())
            .or_default()
            .push(c);
    }
    let mut out = Vec::new();
    for (event, claims) in groups {
        let children: Vec<Value> = claims
            .iter()
            .map(|c| {
                let r = lines.range(&c.span, s.enc);
                let name = if c.text.trim().is_empty() { "figure".to_string() } else { c.text.replace('\n', " ") };
                json!({"name": name, "detail": format!("{} · {}", c.reading.short(), attribution_text(c)),
                    "kind": 16, "range": r, "selectionRange": r})
            })
            .collect();
        let span = claims.first().map_or(0, |c| c.span.start)
            ..claims.iter().map(|c| c.span.end).max().unwrap_or(0);
        let (name, detail) = if event.is_empty() {
            ("unlinked figures".to_string(), String::new())
        } else {
            let detail = cfg
                .event(&event)
                .and_then(|e| e.title.clone())
                .unwrap_or_default();
            (event, detail)
        };
        let first = claims.first().map(|c| lines.range(&c.span, s.enc));
        out.push(
            json!({"name": name, "detail": detail, "kind": 24, "range": lines.range(&span, s.enc),
            "selectionRange": first, "children": children}),
        );
    }
    Ok(Value::Array(out))
}

pub fn workspace_symbols(s: &mut Server, params: &Value) -> Reply {
    let q = params
        .get("query")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_lowercase();
    let mut out = Vec::new();
    for (ci, c) in s.corpora.iter().enumerate() {
        for e in &c.config.events {
            let title = e.title.clone().unwrap_or_default();
            if e.id.contains(&q) || title.to_lowercase().contains(&q) {
                out.push(json!({"name": e.id, "kind": 24, "containerName": title,
                    "location": s.config_location(ci, &e.id_span)}));
            }
        }
        for x in &c.config.sources {
            if x.id.contains(&q) || x.name.to_lowercase().contains(&q) {
                out.push(json!({"name": x.id, "kind": 5, "containerName": x.name,
                    "location": s.config_location(ci, &x.id_span)}));
            }
        }
    }
    Ok(Value::Array(out))
}

pub fn execute_command(s: &mut Server, params: &Value) -> Reply {
    let cmd = params.get("command").and_then(Value::as_str).unwrap_or("");
    let args = params
        .get("arguments")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let step: i64 = match cmd {
        "tally.nextClaim" => 1,
        "tally.previousClaim" => -1,
        _ => {
            return Err((
                super::server::INVALID_PARAMS,
                format!("unknown command `{cmd}`"),
            ))
        }
    };
    // Arguments: (uri, position), or one object {uri | textDocument, position}.
    let (uri, pos) = match args.as_slice() {
        [Value::String(u), p, ..] => (u.clone(), p.clone()),
        [o @ Value::Object(_), ..] => (
            o.get("uri")
                .or(o.pointer("/textDocument/uri"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            o.get("position").cloned().unwrap_or(Value::Null),
        ),
        _ => {
            return Err((
                super::server::INVALID_PARAMS,
                "expected the arguments (uri, position)".into(),
            ))
        }
    };
    let p = json!({"textDocument": {"uri": uri}, "position": pos});
    let Some((ci, hit)) = hit_at(s, &p) else {
        return Ok(Value::Null);
    };
    let Some(event) = event_of(s, &hit) else {
        return Ok(Value::Null);
    };
    // The claim under the cursor, as (doc, start).
    let here = match &hit {
        Hit::Claim { doc, claim: i } => claim(s, *doc, *i).map(|c| (*doc, c.span.start)),
        Hit::Id {
            place: Place::Doc(d),
            span,
            ..
        } => s
            .analysis(*d)
            .and_then(|a| {
                a.claims
                    .iter()
                    .find(|c| c.event.as_ref().is_some_and(|(_, sp)| sp == span))
            })
            .map(|c| (*d, c.span.start)),
        _ => None,
    };
    let claims = event_claims(s, ci, &event);
    if claims.is_empty() {
        return Ok(Value::Null);
    }
    let n = claims.len() as i64;
    let at = here.and_then(|(d, st)| claims.iter().position(|c| c.doc() == d && c.start() == st));
    let next = match at {
        Some(i) => (i as i64 + step).rem_euclid(n),
        None if step > 0 => 0,
        None => n - 1,
    };
    let c = claims[next as usize];
    Ok(s.location(c.doc(), &c.span()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::DocClaims;
    use crate::figures::{Qualifier, Value};
    use proptest::prelude::*;

    fn reading(q: u8, v: u32) -> Reading {
        let q = [
            Qualifier::Exact,
            Qualifier::Approx,
            Qualifier::Lower,
            Qualifier::Upper,
        ][q as usize % 4];
        Reading::new(q, Value::Number(v as f64), UnitKind::Count, None)
    }

    #[test]
    fn a_long_hover_lists_the_hovered_reading_and_every_source_first() {
        let mut made = DocClaims::default();
        for i in 0..250 {
            // Sources 0..5 repeat; source 7 appears once, late.
            let source = format!("s{}", if i == 240 { 7 } else { i % 5 });
            made.push_parts("e", 0..1, "x", &reading(0, 10), &source, "s", None);
        }
        let claims = made.refs(|i| i);
        let refs: Vec<&ClaimRef> = claims.iter().collect();
        // Few enough: all of them.
        assert_eq!(
            hover_rows(&refs[..80], None, 100),
            (0..80).collect::<Vec<_>>()
        );
        let rows = hover_rows(&refs, Some(refs[200]), 100);
        assert_eq!(rows.len(), 100);
        assert!(rows.windows(2).all(|w| w[0] < w[1]), "corpus order");
        assert!(rows.contains(&200), "the hovered reading");
        assert!(rows.contains(&240), "the source seen once");
        assert!((0..5).all(|i| rows.contains(&i)), "every source's first");
    }

    proptest! {
        /// The sorted conflict scan agrees with comparing every pair.
        #[test]
        fn in_conflict_is_the_pairwise_definition(
            cumulative in any::<bool>(),
            rows in proptest::collection::vec((0u8..4, 1u32..60, 0usize..4, 0u8..3, 0u8..2, any::<bool>()), 0..40)
        ) {
            let cfg = Config::parse(&format!(
                "[events.e]\ntitle = \"E\"\ncumulative = {cumulative}\ntolerance = 0.05\n"
            )).unwrap();
            let mut made = DocClaims::default();
            for (i, &(q, v, _, src, date, pct)) in rows.iter().enumerate() {
                let mut reading = reading(q, v * 10);
                if pct {
                    reading.kind = UnitKind::Percent;
                }
                let asof = format!("2016-12-0{}", date + 1);
                made.push_parts("e", i..i + 1, "x", &reading, &format!("s{src}"), "s", Some(&asof));
            }
            let claims = made.refs(|i| rows[i].2);
            let refs: Vec<&ClaimRef> = claims.iter().collect();
            let want: Vec<bool> = refs.iter().enumerate().map(|(i, c)| {
                refs.iter().enumerate().any(|(j, o)| i != j && compare(&cfg, "e", c, o) == Some(false))
            }).collect();
            prop_assert_eq!(in_conflict(&cfg, "e", &refs), want);
        }
    }
}
