//! The claim index: every linked claim of the corpus, by event, kept without article text.
//!
//! The index holds a compact [`ClaimRef`] per claim, enough to compare readings, render a
//! hover table and jump to the claim, so that a language server can drop the text of
//! articles that are not open.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use crate::analysis::ArticleAnalysis;
use crate::attribution::AttributionKind;
use crate::checks::DocId;
use crate::figures::Reading;
use crate::text::normalize_name;

/// A string many claims share (an event id, a source, an outlet, a date): the index keeps one
/// copy of each (see [`EventIndex::insert_refs`]), so that a corpus of 100,000 articles does
/// not hold a million copies of a few thousand event ids.
pub type Shared = Arc<str>;

/// Who a reading comes from, for deciding whether two readings are "different sources".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKey {
    /// A `tally.toml` source id.
    Id(Shared),
    /// A named source without an id, by normalised name.
    Name(Shared),
    /// The article itself (attribution none, vague, or `source=author`).
    Article(DocId),
}

/// One linked claim, as the index keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRef {
    pub doc: DocId,
    /// Index into the article's [`ArticleAnalysis::claims`].
    pub claim: usize,
    pub span: Range<usize>,
    pub event: Shared,
    /// The claim as written.
    pub text: Box<str>,
    pub reading: Reading,
    pub source_key: SourceKey,
    /// Who said it, for people: "United Nations", "Some reports (vague)", "the article".
    pub source_label: Shared,
    pub attribution: AttributionKind,
    pub outlet: Option<Shared>,
    pub date: Option<Shared>,
    pub asof: Option<Shared>,
}

impl ClaimRef {
    /// The index entries of every linked claim of an article.
    pub fn all(doc: DocId, a: &ArticleAnalysis) -> Vec<ClaimRef> {
        (0..a.claims.len())
            .filter_map(|i| ClaimRef::new(doc, a, i))
            .collect()
    }

    /// The index entry for a claim of an article, if the claim is linked to an event.
    pub fn new(doc: DocId, a: &ArticleAnalysis, i: usize) -> Option<ClaimRef> {
        let c = &a.claims[i];
        let (event, _) = c.event.as_ref()?;
        let at = &c.attribution;
        let author = matches!(&c.source_attr, Some((v, _)) if v == "author");
        let (source_key, source_label): (SourceKey, String) =
            match (at.kind, &at.source_id, &at.source) {
                _ if author => (
                    SourceKey::Article(doc),
                    format!("{} (author)", at.source.clone().unwrap_or_default()),
                ),
                (AttributionKind::Named, Some(id), s) => (
                    SourceKey::Id(id.as_str().into()),
                    c.source_name
                        .clone()
                        .or_else(|| s.clone())
                        .unwrap_or_else(|| id.clone()),
                ),
                (AttributionKind::Named, None, Some(s)) => {
                    (SourceKey::Name(normalize_name(s).into()), s.clone())
                }
                (AttributionKind::Vague, _, s) => (
                    SourceKey::Article(doc),
                    format!("{} (vague)", s.clone().unwrap_or_else(|| "unnamed".into())),
                ),
                _ => (SourceKey::Article(doc), "unsourced".into()),
            };
        Some(ClaimRef {
            doc,
            claim: i,
            span: c.span.clone(),
            event: event.as_str().into(),
            text: c.text.as_str().into(),
            reading: c.reading.clone(),
            source_key,
            source_label: source_label.into(),
            attribution: at.kind,
            outlet: a.article.meta.outlet.as_deref().map(Shared::from),
            date: a.article.meta.valid_date().map(Shared::from),
            asof: c.asof.as_deref().map(Shared::from),
        })
    }
}

/// Linked claims by event id, each list in corpus order (document, then offset).
#[derive(Debug, Clone, Default)]
pub struct EventIndex {
    pub events: BTreeMap<Shared, Vec<ClaimRef>>,
    /// The events each document has claims in, so that replacing a document's claims touches
    /// only those events' lists, not the whole corpus.
    by_doc: HashMap<DocId, Vec<Shared>>,
    /// One copy of every shared string of the claims.
    strings: HashSet<Shared>,
}

impl EventIndex {
    pub fn new() -> EventIndex {
        EventIndex::default()
    }

    /// Add (or replace) the claims of one document.
    pub fn insert(&mut self, doc: DocId, a: &ArticleAnalysis) {
        self.insert_refs(doc, ClaimRef::all(doc, a));
    }

    /// Add (or replace) the claims of one document, made with [`ClaimRef::all`] (their `doc` is
    /// set to `doc` here, so they can be made before the document has a number).
    pub fn insert_refs(&mut self, doc: DocId, refs: Vec<ClaimRef>) {
        self.remove(doc);
        let mut events: Vec<Shared> = Vec::new();
        for mut r in refs {
            r.doc = doc;
            self.share(&mut r);
            if !events.contains(&r.event) {
                events.push(r.event.clone());
            }
            let list = self.events.entry(r.event.clone()).or_default();
            let at = list.partition_point(|x| (x.doc, x.span.start) < (r.doc, r.span.start));
            list.insert(at, r);
        }
        if !events.is_empty() {
            self.by_doc.insert(doc, events);
        }
    }

    /// Give back the room the lists grew into while claims were added one document at a time
    /// (up to half of each list): for after a corpus is indexed.
    pub fn shrink(&mut self) {
        for list in self.events.values_mut() {
            list.shrink_to_fit();
        }
        for events in self.by_doc.values_mut() {
            events.shrink_to_fit();
        }
        self.by_doc.shrink_to_fit();
    }

    /// The index's copy of a string (made if new): for a caller's own records of event and
    /// source ids, so that they share the claims' copies.
    pub fn share_str(&mut self, s: &str) -> Shared {
        if let Some(x) = self.strings.get(s) {
            return x.clone();
        }
        let x: Shared = s.into();
        self.strings.insert(x.clone());
        x
    }

    /// Point a claim's strings at the index's copies.
    fn share(&mut self, r: &mut ClaimRef) {
        let strings = &mut self.strings;
        let mut one = |s: &mut Shared| match strings.get(&**s) {
            Some(x) => *s = x.clone(),
            None => {
                *s = (**s).into();
                strings.insert(s.clone());
            }
        };
        one(&mut r.event);
        one(&mut r.source_label);
        if let SourceKey::Id(k) | SourceKey::Name(k) = &mut r.source_key {
            one(k);
        }
        for s in [&mut r.outlet, &mut r.date, &mut r.asof]
            .into_iter()
            .flatten()
        {
            one(s);
        }
        // The claim's own strings, copied where the index lives: made on a worker thread, they
        // would pin that thread's scratch memory (its analyses) for as long as the index.
        r.text = (*r.text).into();
        if let Some(u) = &mut r.reading.unit {
            *u = u.as_str().into();
        }
    }

    /// Remove every claim of one document.
    pub fn remove(&mut self, doc: DocId) {
        let Some(events) = self.by_doc.remove(&doc) else {
            return;
        };
        for e in events {
            if let Some(list) = self.events.get_mut(&e) {
                // The list is in (doc, offset) order: the document's claims are one run.
                let from = list.partition_point(|r| r.doc < doc);
                let to = from + list[from..].partition_point(|r| r.doc == doc);
                list.drain(from..to);
                if list.is_empty() {
                    self.events.remove(&e);
                }
            }
        }
    }

    /// The events a document has claims in, in the order first seen.
    pub fn events_of(&self, doc: DocId) -> &[Shared] {
        self.by_doc.get(&doc).map_or(&[], Vec::as_slice)
    }

    /// The claims of an event, in corpus order.
    pub fn claims(&self, event: &str) -> &[ClaimRef] {
        self.events.get(event).map_or(&[], Vec::as_slice)
    }

    /// Low, median and high across sources, and the number of sources, for an event.
    pub fn stats(&self, event: &str) -> Option<EventStats> {
        let claims = self.claims(event);
        if claims.is_empty() {
            return None;
        }
        let mut points: Vec<f64> = claims.iter().filter_map(|c| c.reading.point()).collect();
        points.sort_by(f64::total_cmp);
        let lows = claims
            .iter()
            .filter_map(|c| c.reading.low.or(c.reading.point()));
        let highs = claims
            .iter()
            .filter_map(|c| c.reading.high.or(c.reading.point()));
        let mut sources: Vec<&SourceKey> = claims.iter().map(|c| &c.source_key).collect();
        sources.sort();
        sources.dedup();
        let median = if points.is_empty() {
            None
        } else if points.len() % 2 == 1 {
            Some(points[points.len() / 2])
        } else {
            Some((points[points.len() / 2 - 1] + points[points.len() / 2]) / 2.0)
        };
        Some(EventStats {
            low: lows.fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.min(v)))),
            median,
            high: highs.fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v)))),
            readings: claims.len(),
            sources: sources.len(),
        })
    }
}

/// A summary of an event's readings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventStats {
    pub low: Option<f64>,
    pub median: Option<f64>,
    pub high: Option<f64>,
    pub readings: usize,
    pub sources: usize,
}
