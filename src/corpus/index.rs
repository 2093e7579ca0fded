//! The claim index: every linked claim of the corpus, by event, kept without article text.
//!
//! The index holds a compact [`ClaimRef`] per claim, enough to compare readings, render a
//! hover table and jump to the claim, so that a language server can drop the text of
//! articles that are not open.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use crate::analysis::{ArticleAnalysis, Claim};
use crate::article::Article;
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

    /// The index entries of an article's linked claims from [`crate::analysis::linked_claims`]:
    /// the same as [`ClaimRef::all`] of the whole analysis.
    pub fn linked(doc: DocId, article: &Article, claims: &[(usize, Claim)]) -> Vec<ClaimRef> {
        claims
            .iter()
            .filter_map(|(i, c)| ClaimRef::of(doc, article, *i, c))
            .collect()
    }

    /// The index entry for a claim of an article, if the claim is linked to an event.
    pub fn new(doc: DocId, a: &ArticleAnalysis, i: usize) -> Option<ClaimRef> {
        ClaimRef::of(doc, &a.article, i, &a.claims[i])
    }

    /// The index entry for claim `i` of an article, if it is linked to an event.
    fn of(doc: DocId, article: &Article, i: usize, c: &Claim) -> Option<ClaimRef> {
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
            outlet: article.meta.outlet.as_deref().map(Shared::from),
            date: article.meta.valid_date().map(Shared::from),
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
    ///
    /// A document's claims are one run in each of its events' lists, so each event's run is
    /// replaced in one splice: an edit that changes no claim's event moves no other claims.
    pub fn insert_refs(&mut self, doc: DocId, refs: Vec<ClaimRef>) {
        // The new runs by event, in the order events are first seen (claims in text order).
        let mut runs: Vec<(Shared, Vec<ClaimRef>)> = Vec::new();
        // Run by event (the index's copy of the id, by address).
        let mut run_at: HashMap<*const u8, usize> = HashMap::new();
        for mut r in refs {
            r.doc = doc;
            self.share(&mut r);
            match run_at.entry(r.event.as_ptr()) {
                Entry::Occupied(o) => runs[*o.get()].1.push(r),
                Entry::Vacant(v) => {
                    v.insert(runs.len());
                    runs.push((r.event.clone(), vec![r]));
                }
            }
        }
        // Events the document leaves: their runs go.
        let old = self.by_doc.remove(&doc).unwrap_or_default();
        for e in old {
            if !run_at.contains_key(&e.as_ptr()) {
                if let Some(list) = self.events.get_mut(&e) {
                    let run = doc_run(list, doc);
                    list.drain(run);
                    if list.is_empty() {
                        self.events.remove(&e);
                    }
                }
            }
        }
        let events: Vec<Shared> = runs.iter().map(|(e, _)| e.clone()).collect();
        for (e, mut run) in runs {
            run.sort_by_key(|r| r.span.start);
            let list = self.events.entry(e).or_default();
            let at = doc_run(list, doc);
            if at.start == list.len() {
                list.append(&mut run); // a corpus is indexed in document order
            } else {
                list.splice(at, run);
            }
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
                let run = doc_run(list, doc);
                list.drain(run);
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

/// Where a document's claims are in an event's list (in (document, offset) order, they are one
/// run), or where they would go.
pub fn doc_run(list: &[ClaimRef], doc: DocId) -> Range<usize> {
    let from = list.partition_point(|r| r.doc < doc);
    from..from + list[from..].partition_point(|r| r.doc == doc)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{Qualifier, UnitKind, Value};
    use proptest::prelude::*;

    fn claim(event: &str, start: usize) -> ClaimRef {
        ClaimRef {
            doc: 0,
            claim: 0,
            span: start..start + 1,
            event: event.into(),
            text: "1".into(),
            reading: Reading::new(Qualifier::Exact, Value::Number(1.0), UnitKind::Count, None),
            source_key: SourceKey::Article(0),
            source_label: "unsourced".into(),
            attribution: AttributionKind::None,
            outlet: None,
            date: None,
            asof: None,
        }
    }

    /// A document's claims: (event, offset) pairs, offsets distinct.
    fn doc_claims() -> impl Strategy<Value = Vec<(u8, usize)>> {
        proptest::collection::btree_map(0usize..200, 0u8..5, 0..12)
            .prop_map(|m| m.into_iter().map(|(at, e)| (e, at)).collect())
    }

    proptest! {
        /// Adding, replacing and removing documents in any order leaves each event's list
        /// exactly the (document, offset)-sorted claims of the documents' latest versions.
        #[test]
        fn lists_follow_the_latest_version_of_each_document(
            steps in proptest::collection::vec((0usize..6, proptest::option::of(doc_claims())), 1..40)
        ) {
            let mut index = EventIndex::new();
            let mut model: BTreeMap<DocId, Vec<(u8, usize)>> = BTreeMap::new();
            for (doc, claims) in steps {
                match claims {
                    Some(cs) => {
                        let refs = cs.iter().map(|&(e, at)| claim(&format!("e{e}"), at)).collect();
                        index.insert_refs(doc, refs);
                        model.insert(doc, cs);
                    }
                    None => {
                        index.remove(doc);
                        model.remove(&doc);
                    }
                }
                let mut want: BTreeMap<String, Vec<(DocId, usize)>> = BTreeMap::new();
                for (&d, cs) in &model {
                    for &(e, at) in cs {
                        want.entry(format!("e{e}")).or_default().push((d, at));
                    }
                }
                for v in want.values_mut() {
                    v.sort();
                }
                let got: BTreeMap<String, Vec<(DocId, usize)>> = index
                    .events
                    .iter()
                    .map(|(e, l)| (e.to_string(), l.iter().map(|r| (r.doc, r.span.start)).collect()))
                    .collect();
                prop_assert_eq!(&got, &want);
                for (&d, cs) in &model {
                    let mut events: Vec<String> = index.events_of(d).iter().map(|e| e.to_string()).collect();
                    events.sort();
                    let mut expect: Vec<String> = cs.iter().map(|&(e, _)| format!("e{e}")).collect();
                    expect.sort();
                    expect.dedup();
                    prop_assert_eq!(events, expect);
                }
            }
        }
    }
}
