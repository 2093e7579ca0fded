//! Checks across the corpus: conflicting readings, cumulative decreases, parts and wholes.

use std::collections::BTreeMap;

use crate::corpus::{ClaimRef, Config, EventIndex};
use crate::figures::Reading;

use super::{Code, Diagnostic, DocId, Related, Severity};

/// Diagnostics from comparing the readings of every event: `conflicting-figure`,
/// `cumulative-decrease`, `parts-sum-mismatch` and `part-exceeds-whole`.
pub fn event_checks(index: &EventIndex, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let all = |_: &ClaimRef| true;
    for (id, claims) in &index.events {
        conflicts(id, claims, config, &all, &mut out);
        decreases(id, claims, config, &all, &mut out);
    }
    parts(index, config, None, &all, &mut out);
    out
}

/// The diagnostics of [`event_checks`] that are on one document, in the same order, computed
/// from that document's events only: what a language server needs for an open article, at a
/// cost that grows with the article's events, not with the corpus.
pub fn event_checks_for_doc(index: &EventIndex, config: &Config, doc: DocId) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mine = |c: &ClaimRef| c.doc == doc;
    let mut events: Vec<&str> = index.events_of(doc).iter().map(String::as_str).collect();
    events.sort_unstable();
    for id in &events {
        let claims = index.claims(id);
        conflicts(id, claims, config, &mine, &mut out);
        decreases(id, claims, config, &mine, &mut out);
    }
    parts(index, config, Some(&events), &mine, &mut out);
    out
}

/// How a reading reads in a message: `UN: "some 270,000 civilians" (≈243,000–297,000)`.
pub fn describe(c: &ClaimRef) -> String {
    format!(
        "{}: {} ({})",
        c.source_label,
        super::quoted(&c.text),
        c.reading.interval()
    )
}

fn related(c: &ClaimRef) -> Related {
    Related {
        doc: c.doc,
        span: c.span.clone(),
        message: describe(c),
    }
}

/// A diagnostic on one claim, related to every other claim involved.
fn claim_diagnostic(
    c: &ClaimRef,
    code: Code,
    severity: Severity,
    message: String,
    others: &[&ClaimRef],
) -> Diagnostic {
    Diagnostic {
        doc: c.doc,
        span: c.span.clone(),
        code,
        severity,
        message,
        related: others.iter().map(|o| related(o)).collect(),
    }
}

fn bounded(r: &Reading) -> bool {
    r.low.is_some() || r.high.is_some()
}

/// Whether two readings' intervals, each widened by the tolerance, overlap.
pub fn agree(a: &Reading, b: &Reading, tolerance: f64) -> bool {
    let (al, ah) = a.widened(tolerance);
    let (bl, bh) = b.widened(tolerance);
    al <= bh && bl <= ah
}

/// Whether two readings of one event are compared at all: different sources or articles,
/// and for a cumulative event the same date.
pub fn comparable(a: &ClaimRef, b: &ClaimRef, cumulative: bool) -> bool {
    (a.doc != b.doc || a.source_key != b.source_key)
        && (!cumulative || a.asof == b.asof)
        && bounded(&a.reading)
        && bounded(&b.reading)
}

fn event_name(id: &str, config: &Config) -> String {
    match config.event(id).and_then(|e| e.title.as_deref()) {
        Some(t) => format!("`{id}` ({t})"),
        None => format!("`{id}`"),
    }
}

/// Which claims diagnostics are wanted on (every claim, or one document's).
type Want<'a> = &'a dyn Fn(&ClaimRef) -> bool;

fn conflicts(
    id: &str,
    claims: &[ClaimRef],
    config: &Config,
    want: Want,
    out: &mut Vec<Diagnostic>,
) {
    let Some(severity) = config.severity(Code::ConflictingFigure) else {
        return;
    };
    let t = config.tolerance_for(id);
    let cumulative = config.event(id).is_some_and(|e| e.cumulative);
    for (i, a) in claims.iter().enumerate().filter(|(_, a)| want(a)) {
        let others: Vec<&ClaimRef> = claims
            .iter()
            .enumerate()
            .filter(|&(j, b)| {
                j != i && comparable(a, b, cumulative) && !agree(&a.reading, &b.reading, t)
            })
            .map(|(_, b)| b)
            .collect();
        if others.is_empty() {
            continue;
        }
        let list: Vec<String> = others.iter().take(4).map(|b| describe(b)).collect();
        let more = if others.len() > 4 {
            format!(" and {} more", others.len() - 4)
        } else {
            String::new()
        };
        out.push(claim_diagnostic(a, Code::ConflictingFigure, severity, format!(
                "{} ({}, {}) conflicts with {} other reading{} of {}: {}{more}; check the sources or split the event",
                super::quoted(&a.text),
                a.reading.interval(),
                a.source_label,
                others.len(),
                if others.len() == 1 { "" } else { "s" },
                event_name(id, config),
                list.join("; ")
            ), &others));
    }
}

fn decreases(
    id: &str,
    claims: &[ClaimRef],
    config: &Config,
    want: Want,
    out: &mut Vec<Diagnostic>,
) {
    if !config.event(id).is_some_and(|e| e.cumulative) {
        return;
    }
    let Some(severity) = config.severity(Code::CumulativeDecrease) else {
        return;
    };
    let t = config.tolerance_for(id);
    for a in claims.iter().filter(|a| want(a)) {
        let Some(date) = &a.asof else { continue };
        let a_high = a.reading.widened(t).1;
        let earlier: Vec<&ClaimRef> = claims
            .iter()
            .filter(|b| b.asof.as_ref().is_some_and(|d| d < date))
            .filter(|b| a_high < b.reading.widened(t).0)
            .collect();
        if earlier.is_empty() {
            continue;
        }
        out.push(claim_diagnostic(a, Code::CumulativeDecrease, severity, format!(
                "{} ({}, as of {date}) is below an earlier reading of the running total {}: {}; a cumulative count can only grow",
                super::quoted(&a.text),
                a.reading.interval(),
                event_name(id, config),
                earlier.iter().map(|b| format!("{} as of {}", describe(b), b.asof.as_deref().unwrap_or("?"))).collect::<Vec<_>>().join("; ")
            ), &earlier));
    }
}

/// The hull of an event's readings: the lowest low and the highest high (None: unbounded).
fn hull(claims: &[ClaimRef]) -> Option<(f64, Option<f64>)> {
    let bounded: Vec<&ClaimRef> = claims.iter().filter(|c| bounded(&c.reading)).collect();
    if bounded.is_empty() {
        return None;
    }
    let low = bounded
        .iter()
        .map(|c| c.reading.low.unwrap_or(0.0))
        .fold(f64::INFINITY, f64::min);
    let high = bounded
        .iter()
        .map(|c| c.reading.high)
        .try_fold(f64::NEG_INFINITY, |m, h| h.map(|h| m.max(h)));
    Some((low, high))
}

/// `only`: the events (sorted) whose claims diagnostics are wanted on; wholes that neither are
/// nor have a part among them are skipped.
fn parts(
    index: &EventIndex,
    config: &Config,
    only: Option<&[&str]>,
    want: Want,
    out: &mut Vec<Diagnostic>,
) {
    // whole → its parts, from `parts = [...]` and `part_of = "..."`; only a `parts` list
    // says the parts are complete, so only it is summed.
    let mut wholes: BTreeMap<&str, (Vec<&str>, bool)> = BTreeMap::new();
    for e in &config.events {
        if !e.parts.is_empty() {
            let entry = wholes.entry(e.id.as_str()).or_default();
            entry.1 = true;
            for p in &e.parts {
                if !entry.0.contains(&p.as_str()) {
                    entry.0.push(p.as_str());
                }
            }
        }
        if let Some(w) = &e.part_of {
            let list = &mut wholes.entry(w.as_str()).or_default().0;
            if !list.contains(&e.id.as_str()) {
                list.push(e.id.as_str());
            }
        }
    }
    for (whole, (parts, complete)) in &wholes {
        if let Some(only) = only {
            let mentioned = |e: &str| only.binary_search(&e).is_ok();
            if !mentioned(whole) && !parts.iter().any(|p| mentioned(p)) {
                continue;
            }
        }
        let t = config.tolerance_for(whole);
        let whole_claims = index.claims(whole);
        // part-exceeds-whole: a part's low bound above the whole's high bound.
        if let Some(severity) = config.severity(Code::PartExceedsWhole) {
            for p in parts.iter() {
                for pc in index.claims(p).iter().filter(|c| want(c)) {
                    let part_low = pc.reading.widened(t).0;
                    let over: Vec<&ClaimRef> = whole_claims
                        .iter()
                        .filter(|w| bounded(&w.reading) && bounded(&pc.reading))
                        .filter(|w| part_low > w.reading.widened(t).1)
                        .collect();
                    if over.is_empty() {
                        continue;
                    }
                    out.push(claim_diagnostic(pc, Code::PartExceedsWhole, severity, format!(
                            "{} ({}) is a part of {} but exceeds the whole: {}; check the figures or the events' `part_of`",
                            super::quoted(&pc.text),
                            pc.reading.interval(),
                            event_name(whole, config),
                            over.iter().map(|w| describe(w)).collect::<Vec<_>>().join("; ")
                        ), &over));
                }
            }
        }
        // parts-sum-mismatch: the parts' sum cannot equal a reading of the whole.
        let Some(severity) = config
            .severity(Code::PartsSumMismatch)
            .filter(|_| *complete)
        else {
            continue;
        };
        let parts: Vec<&str> = config
            .event(whole)
            .map(|e| e.parts.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let mut low = 0.0;
        let mut high = Some(0.0);
        let mut part_claims: Vec<&ClaimRef> = Vec::new();
        for p in &parts {
            let cs = index.claims(p);
            part_claims.extend(cs.iter());
            match hull(cs) {
                Some((l, h)) => {
                    low += l;
                    high = high.zip(h).map(|(a, b)| a + b);
                }
                None => high = None,
            }
        }
        if part_claims.is_empty() {
            continue;
        }
        let sum = Reading {
            low: Some(low),
            high,
            ..Reading::new(
                crate::figures::Qualifier::Range,
                crate::figures::Value::None,
                whole_claims
                    .first()
                    .map_or(crate::figures::UnitKind::Count, |w| w.reading.kind),
                None,
            )
        };
        for w in whole_claims
            .iter()
            .filter(|w| bounded(&w.reading) && want(w))
        {
            if agree(&w.reading, &sum, t) {
                continue;
            }
            out.push(claim_diagnostic(w, Code::PartsSumMismatch, severity, format!(
                    "{} ({}) cannot be the sum of its parts ({}), which add up to {}; check the figures or the events' `parts`",
                    super::quoted(&w.text),
                    w.reading.interval(),
                    parts.join(", "),
                    sum.interval()
                ), &part_claims));
        }
    }
}
