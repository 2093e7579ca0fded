//! The claim index: every linked claim of the corpus, by event, kept without article text.
//!
//! The index holds a compact [`ClaimRef`] per claim, enough to compare readings, render a
//! hover table and jump to the claim, so that a language server can drop the text of
//! articles that are not open.

use std::collections::hash_map::Entry;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use super::{FastMap, FastSet};

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
        let mut article = ArticleStrings::new(&a.article);
        (0..a.claims.len())
            .filter_map(|i| ClaimRef::of(doc, &mut article, i, &a.claims[i]))
            .collect()
    }

    /// The index entries of an article's linked claims from [`crate::analysis::linked_claims`]:
    /// the same as [`ClaimRef::all`] of the whole analysis.
    pub fn linked(doc: DocId, article: &Article, claims: &[(usize, Claim)]) -> Vec<ClaimRef> {
        let mut article = ArticleStrings::new(article);
        claims
            .iter()
            .filter_map(|(i, c)| ClaimRef::of(doc, &mut article, *i, c))
            .collect()
    }

    /// The index entry for a claim of an article, if the claim is linked to an event.
    pub fn new(doc: DocId, a: &ArticleAnalysis, i: usize) -> Option<ClaimRef> {
        ClaimRef::of(doc, &mut ArticleStrings::new(&a.article), i, &a.claims[i])
    }

    /// The index entry for claim `i` of an article, if it is linked to an event.
    fn of(doc: DocId, article: &mut ArticleStrings, i: usize, c: &Claim) -> Option<ClaimRef> {
        let (event, _) = c.event.as_ref()?;
        let at = &c.attribution;
        let author = matches!(&c.source_attr, Some((v, _)) if v == "author");
        let strings = &mut article.strings;
        let (source_key, source_label) = match (at.kind, &at.source_id, &at.source) {
            _ if author => (
                SourceKey::Article(doc),
                strings.suffixed(at.source.as_deref().unwrap_or_default(), " (author)"),
            ),
            (AttributionKind::Named, Some(id), s) => (
                SourceKey::Id(strings.get(id)),
                strings.get(c.source_name.as_deref().or(s.as_deref()).unwrap_or(id)),
            ),
            (AttributionKind::Named, None, Some(s)) => (
                SourceKey::Name(strings.get(&normalize_name(s))),
                strings.get(s),
            ),
            (AttributionKind::Vague, _, s) => (
                SourceKey::Article(doc),
                strings.suffixed(s.as_deref().unwrap_or("unnamed"), " (vague)"),
            ),
            _ => (SourceKey::Article(doc), strings.get("unsourced")),
        };
        Some(ClaimRef {
            doc,
            claim: i,
            span: c.span.clone(),
            event: strings.get(event),
            text: c.text.as_str().into(),
            reading: c.reading.clone(),
            source_key,
            source_label,
            attribution: at.kind,
            outlet: article.outlet.clone(),
            date: article.date.clone(),
            asof: c.asof.as_deref().map(|d| strings.get(d)),
        })
    }
}

/// The strings the index entries of one article's claims share: its outlet and date, and one
/// copy of each event id, source and date they name, so that the index looks each copy up
/// once (see [`EventIndex::insert_refs`]), not once per claim.
struct ArticleStrings {
    outlet: Option<Shared>,
    date: Option<Shared>,
    strings: Strings,
}

impl ArticleStrings {
    fn new(article: &Article) -> ArticleStrings {
        ArticleStrings {
            outlet: article.meta.outlet.as_deref().map(Shared::from),
            date: article.meta.valid_date().map(Shared::from),
            // Room for an article's events, sources and dates, without growing.
            strings: Strings(FastSet::with_capacity_and_hasher(32, Default::default())),
        }
    }
}

/// One copy of each string.
#[derive(Debug, Clone, Default)]
struct Strings(FastSet<Shared>);

impl Strings {
    /// The copy of `s`, made if new.
    fn get(&mut self, s: &str) -> Shared {
        if let Some(x) = self.0.get(s) {
            return x.clone();
        }
        let x: Shared = s.into();
        self.0.insert(x.clone());
        x
    }

    /// The copy of `s` followed by `suffix`.
    fn suffixed(&mut self, s: &str, suffix: &str) -> Shared {
        self.get(&[s, suffix].concat())
    }
}

/// The index's copies of the strings of one document's claims, by the address of the claims'
/// copies (kept here, so that no address is reused while it is a key): the claims of an article
/// share their copies ([`ClaimRef::all`]), so each is looked up in the index once.
#[derive(Debug, Clone, Default)]
struct Seen(FastMap<usize, (Shared, Shared)>);

/// Linked claims by event id, each list in corpus order (document, then offset).
#[derive(Debug, Clone, Default)]
pub struct EventIndex {
    pub events: BTreeMap<Shared, Vec<ClaimRef>>,
    /// The events each document has claims in, so that replacing a document's claims touches
    /// only those events' lists, not the whole corpus.
    by_doc: FastMap<DocId, Vec<Shared>>,
    /// One copy of every shared string of the claims.
    strings: Strings,
    /// Scratch for [`EventIndex::insert_refs`], empty between calls.
    seen: Seen,
}

/// An event's list while a document's claims go in: the claims before the document's, then
/// its new claims as they come; the claims after it are put back after them.
struct Run {
    event: Shared,
    list: Vec<ClaimRef>,
    rest: Vec<ClaimRef>,
}

impl Run {
    /// Take an event's list out of the index, without the document's old claims.
    fn take(event: Shared, list: &mut Vec<ClaimRef>, doc: DocId) -> Run {
        let mut list = std::mem::take(list);
        let at = doc_run(&list, doc);
        let rest = list.split_off(at.end); // empty when the document is the last
        list.truncate(at.start);
        Run { event, list, rest }
    }
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
    /// replaced where it is: an edit that changes no claim's event moves no other claims, and
    /// a new document's claims are moved once, from `refs` to the ends of their lists.
    pub fn insert_refs(&mut self, doc: DocId, mut refs: Vec<ClaimRef>) {
        // Each run in text order (a stable sort keeps claims at one offset in their order).
        if !refs.is_sorted_by_key(|r| r.span.start) {
            refs.sort_by_key(|r| r.span.start);
        }
        // The new runs, in the order events are first seen, each in its list, taken out of
        // the map meanwhile.
        let mut runs: Vec<Run> = Vec::new();
        let mut seen = std::mem::take(&mut self.seen);
        let mut last = 0;
        for mut r in refs {
            r.doc = doc;
            // A reading the article itself stands for (unsourced, vague, the author's) is its
            // own source: the document's, whatever number the claim was made with.
            if let SourceKey::Article(d) = &mut r.source_key {
                *d = doc;
            }
            self.share(&mut r, &mut seen);
            // Claims of one event often follow each other.
            let k = if runs
                .get(last)
                .is_some_and(|run| Arc::ptr_eq(&run.event, &r.event))
            {
                last
            } else {
                match runs
                    .iter()
                    .position(|run| Arc::ptr_eq(&run.event, &r.event))
                {
                    Some(k) => k,
                    None => {
                        let list = self.events.entry(r.event.clone()).or_default();
                        runs.push(Run::take(r.event.clone(), list, doc));
                        runs.len() - 1
                    }
                }
            };
            last = k;
            runs[k].list.push(r);
        }
        // The claims' own copies go (they were kept only while their addresses were keys).
        seen.0.clear();
        self.seen = seen;
        // Events the document leaves: their runs go.
        let old = self.by_doc.remove(&doc).unwrap_or_default();
        for e in old {
            if !runs.iter().any(|run| Arc::ptr_eq(&run.event, &e)) {
                if let Some(list) = self.events.get_mut(&e) {
                    let run = doc_run(list, doc);
                    list.drain(run);
                    if list.is_empty() {
                        self.events.remove(&e);
                    }
                }
            }
        }
        let events: Vec<Shared> = runs.iter().map(|run| run.event.clone()).collect();
        for mut run in runs {
            run.list.append(&mut run.rest);
            self.events.insert(run.event, run.list);
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
        self.strings.get(s)
    }

    /// Point a claim's strings at the index's copies; `seen` holds the copies already found
    /// for the claim's document's strings.
    fn share(&mut self, r: &mut ClaimRef, seen: &mut Seen) {
        let strings = &mut self.strings;
        let mut one = |s: &mut Shared| {
            let x = match seen.0.entry(Arc::as_ptr(s) as *const u8 as usize) {
                Entry::Occupied(o) => o.get().1.clone(),
                Entry::Vacant(v) => v.insert((s.clone(), strings.get(s))).1.clone(),
            };
            *s = x;
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

    #[test]
    fn the_article_a_reading_rests_on_is_the_document_it_is_filed_under() {
        // Claims are made before their document has a number (the server's index makes them
        // as document 0): an unsourced reading in each of three documents is three sources.
        let mut index = EventIndex::new();
        for doc in [3, 7, 9] {
            index.insert_refs(doc, vec![claim("e", 10)]);
        }
        let keys: Vec<&SourceKey> = index.claims("e").iter().map(|c| &c.source_key).collect();
        assert_eq!(
            keys,
            [
                &SourceKey::Article(3),
                &SourceKey::Article(7),
                &SourceKey::Article(9)
            ]
        );
        let stats = index.stats("e").expect("the event has readings");
        assert_eq!((stats.readings, stats.sources), (3, 3));
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
            steps in proptest::collection::vec(
                (0usize..6, proptest::option::of((doc_claims(), any::<bool>(), any::<bool>()))),
                1..40,
            )
        ) {
            let mut index = EventIndex::new();
            let mut model: BTreeMap<DocId, Vec<(u8, usize)>> = BTreeMap::new();
            for (doc, claims) in steps {
                match claims {
                    Some((cs, reversed, shared)) => {
                        // Claims in text order or not; one copy of each event id per document
                        // (as `ClaimRef::all` makes them) or one per claim.
                        let ids: Vec<Shared> = (0..5).map(|e| format!("e{e}").into()).collect();
                        let mut refs: Vec<ClaimRef> = cs
                            .iter()
                            .map(|&(e, at)| {
                                let mut c = claim(&ids[e as usize], at);
                                if shared {
                                    c.event = ids[e as usize].clone();
                                }
                                c
                            })
                            .collect();
                        if reversed {
                            refs.reverse();
                        }
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
