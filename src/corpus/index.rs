//! The claim index: every linked claim of the corpus, by event, kept without article text.
//!
//! The index holds a compact [`ClaimRef`] per claim (about 70 bytes, no allocation of its
//! own), enough to compare readings, render a hover table and jump to the claim, so that a
//! language server can drop the text of articles that are not open: the strings claims share
//! (event ids, sources, dates) are kept once and named by number ([`Sym`]), a reading by its
//! bounds, and a document's claim texts in one string.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::ops::Range;
use std::sync::Arc;

use super::FastMap;

use crate::analysis::{ArticleAnalysis, Claim};
use crate::article::Article;
use crate::attribution::AttributionKind;
use crate::checks::DocId;
use crate::figures::{Qualifier, Reading, UnitKind, Value};
use crate::text::normalize_name;

/// A string many claims share (an event id, a source, an outlet, a date): the index keeps one
/// copy of each (see [`EventIndex::insert_refs`]), so that a corpus of 100,000 articles does
/// not hold a million copies of a few thousand event ids.
pub type Shared = Arc<str>;

/// A string of the index (or of one document's [`DocClaims`]), by number: see
/// [`EventIndex::str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(NonZeroU32);

impl Sym {
    /// The number of the string at `i` in a list.
    fn at(i: usize) -> Sym {
        Sym(NonZeroU32::new(small(i).saturating_add(1)).unwrap_or(NonZeroU32::MIN))
    }

    /// Where the string is in its list.
    fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

/// A number as the index keeps it: offsets, lengths and document numbers fit in 32 bits (an
/// article is at most 256 MB); larger ones are kept as the largest.
fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Who a reading comes from, for deciding whether two readings are "different sources".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKey {
    /// A `tally.toml` source id.
    Id(Sym),
    /// A named source without an id, by normalised name.
    Name(Sym),
    /// The article itself (attribution none, vague, or `source=author`), by document number.
    Article(u32),
}

/// Flags of a [`ClaimRef`]'s reading.
const HAS_LOW: u8 = 1;
const HAS_HIGH: u8 = 2;
const LOW_OPEN: u8 = 4;
const HIGH_OPEN: u8 = 8;
const HAS_POINT: u8 = 16;

/// One linked claim, as the index keeps it: its place, its strings by number (read them
/// through the [`EventIndex`]) and its reading's bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClaimRef {
    doc: u32,
    start: u32,
    end: u32,
    /// Where the claim as written is among its document's claim texts ([`EventIndex::text`]).
    text: u32,
    text_len: u32,
    pub event: Sym,
    pub source_key: SourceKey,
    /// Who said it, for people: "United Nations", "Some reports (vague)", "the article".
    pub source_label: Sym,
    pub asof: Option<Sym>,
    pub attribution: AttributionKind,
    pub qualifier: Qualifier,
    pub kind: UnitKind,
    /// `HAS_LOW`, `HAS_HIGH`, `LOW_OPEN`, `HIGH_OPEN`, `HAS_POINT`.
    flags: u8,
    low: f64,
    high: f64,
    /// [`Reading::point`].
    point: f64,
}

impl ClaimRef {
    /// The index entries of every linked claim of an article. (Their document number is
    /// given when they enter an index: `_doc` is only for the caller's reading.)
    pub fn all(_doc: DocId, a: &ArticleAnalysis) -> DocClaims {
        let mut b = DocClaims::new(&a.article, &a.claims);
        for c in &a.claims {
            b.push(c);
        }
        b
    }

    /// The index entries of an article's linked claims from [`crate::analysis::linked_claims`]:
    /// the same as [`ClaimRef::all`] of the whole analysis.
    pub fn linked(_doc: DocId, article: &Article, claims: &[(usize, Claim)]) -> DocClaims {
        let mut b = DocClaims::new(article, claims.iter().map(|(_, c)| c));
        for (_, c) in claims {
            b.push(c);
        }
        b
    }

    /// The document the claim is in.
    pub fn doc(&self) -> DocId {
        self.doc as DocId
    }

    /// Where the claim is in its document.
    pub fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Where the claim starts.
    pub fn start(&self) -> usize {
        self.start as usize
    }

    /// The reading's low bound (`None`: unbounded).
    pub fn low(&self) -> Option<f64> {
        (self.flags & HAS_LOW != 0).then_some(self.low)
    }

    /// The reading's high bound (`None`: unbounded).
    pub fn high(&self) -> Option<f64> {
        (self.flags & HAS_HIGH != 0).then_some(self.high)
    }

    /// Whether the reading has a bound.
    pub fn bounded(&self) -> bool {
        self.flags & (HAS_LOW | HAS_HIGH) != 0
    }

    /// The point the reading is summarised by ([`Reading::point`]).
    pub fn point(&self) -> Option<f64> {
        (self.flags & HAS_POINT != 0).then_some(self.point)
    }

    /// The reading's interval, qualifier and kind as a [`Reading`] (its value and unit are not
    /// kept: the value is [`Value::None`]).
    pub fn reading(&self) -> Reading {
        Reading {
            low: self.low(),
            high: self.high(),
            low_open: self.flags & LOW_OPEN != 0,
            high_open: self.flags & HIGH_OPEN != 0,
            ..Reading::new(self.qualifier, Value::None, self.kind, None)
        }
    }

    /// [`Reading::widened`].
    pub fn widened(&self, tolerance: f64) -> (f64, f64) {
        self.reading().widened(tolerance)
    }

    /// [`Reading::interval`].
    pub fn interval(&self) -> String {
        self.reading().interval()
    }
}

/// The index entries of one document's claims, made on any thread with strings of their own
/// (numbered within the document): what [`EventIndex::insert_refs`] takes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocClaims {
    claims: Vec<ClaimRef>,
    /// The strings the claims name, by their numbers.
    strings: LocalStrings,
    /// The claims' texts, one after the other.
    texts: String,
    outlet: Option<Sym>,
    date: Option<Sym>,
}

impl DocClaims {
    /// No claims yet, for an article, with room for its linked claims among `claims` (which
    /// then go in without growing the lists).
    fn new<'c>(article: &Article, claims: impl IntoIterator<Item = &'c Claim>) -> DocClaims {
        let (count, text) = (claims.into_iter())
            .filter(|c| c.event.is_some())
            .fold((0, 0), |(n, len), c| (n + 1, len + c.text.len()));
        // Room for an article's events, sources and dates, without growing.
        let mut strings = LocalStrings {
            by_hash: FastMap::with_capacity_and_hasher(32, Default::default()),
            ..LocalStrings::default()
        };
        let outlet = article.meta.outlet.as_deref().map(|s| strings.number(s));
        let date = article.meta.valid_date().map(|s| strings.number(s));
        DocClaims {
            claims: Vec::with_capacity(count),
            strings,
            texts: String::with_capacity(text),
            outlet,
            date,
        }
    }

    /// How many claims.
    pub fn len(&self) -> usize {
        self.claims.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.claims.is_empty()
    }

    /// Add a claim from its parts, for tests of what reads the index: from the article itself
    /// when `source` is empty, else from the source of that id.
    #[cfg(test)]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push_parts(
        &mut self,
        event: &str,
        span: Range<usize>,
        text: &str,
        reading: &Reading,
        source: &str,
        label: &str,
        asof: Option<&str>,
    ) {
        let event = self.strings.number(event);
        let key = match source {
            "" => SourceKey::Article(0),
            s => SourceKey::Id(self.strings.number(s)),
        };
        let label = self.strings.number(label);
        let asof = asof.map(|d| self.strings.number(d));
        let attribution = AttributionKind::Named;
        self.record(
            event,
            (span, text),
            reading,
            (key, label),
            asof,
            attribution,
        );
    }

    /// The claims as made, the `i`th in document `doc(i)`: for tests that need no index (their
    /// strings are numbered within these claims).
    #[cfg(test)]
    pub(crate) fn refs(&self, doc: impl Fn(usize) -> DocId) -> Vec<ClaimRef> {
        let mut v = self.claims.clone();
        for (i, c) in v.iter_mut().enumerate() {
            c.doc = small(doc(i));
        }
        v
    }

    /// Add claim `c`, if it is linked to an event.
    fn push(&mut self, c: &Claim) {
        let Some((event, _)) = c.event.as_ref() else {
            return;
        };
        let at = &c.attribution;
        let author = matches!(&c.source_attr, Some((v, _)) if v == "author");
        let strings = &mut self.strings;
        let source = match (at.kind, &at.source_id, &at.source) {
            _ if author => (
                SourceKey::Article(0),
                strings.suffixed(at.source.as_deref().unwrap_or_default(), " (author)"),
            ),
            (AttributionKind::Named, Some(id), s) => (
                SourceKey::Id(strings.number(id)),
                strings.number(c.source_name.as_deref().or(s.as_deref()).unwrap_or(id)),
            ),
            (AttributionKind::Named, None, Some(s)) => (
                SourceKey::Name(strings.number(&normalize_name(s))),
                strings.number(s),
            ),
            (AttributionKind::Vague, _, s) => (
                SourceKey::Article(0),
                strings.suffixed(s.as_deref().unwrap_or("unnamed"), " (vague)"),
            ),
            _ => (SourceKey::Article(0), strings.number("unsourced")),
        };
        let event = strings.number(event);
        let asof = c.asof.as_deref().map(|d| strings.number(d));
        let span = c.span.clone();
        self.record(event, (span, &c.text), &c.reading, source, asof, at.kind);
    }

    /// Add a claim's record, its strings numbered.
    fn record(
        &mut self,
        event: Sym,
        (span, text): (Range<usize>, &str),
        r: &Reading,
        (source_key, source_label): (SourceKey, Sym),
        asof: Option<Sym>,
        attribution: AttributionKind,
    ) {
        let point = r.point();
        let flags = [
            (r.low.is_some(), HAS_LOW),
            (r.high.is_some(), HAS_HIGH),
            (r.low_open, LOW_OPEN),
            (r.high_open, HIGH_OPEN),
            (point.is_some(), HAS_POINT),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .fold(0, |f, (_, bit)| f | bit);
        let at = small(self.texts.len());
        self.texts.push_str(text);
        self.claims.push(ClaimRef {
            doc: 0,
            start: small(span.start),
            end: small(span.end),
            text: at,
            text_len: small(text.len()),
            event,
            source_key,
            source_label,
            asof,
            attribution,
            qualifier: r.qualifier,
            kind: r.kind,
            flags,
            low: r.low.unwrap_or_default(),
            high: r.high.unwrap_or_default(),
            point: point.unwrap_or_default(),
        });
    }
}

/// The strings of one document's claims, numbered in the order first seen, end to end in one
/// string (no allocation each), found by their hashes.
#[derive(Debug, Clone, Default, PartialEq)]
struct LocalStrings {
    text: String,
    /// Where each string ends in `text`.
    ends: Vec<u32>,
    /// The last string of each hash.
    by_hash: FastMap<u64, u32>,
    /// For each string, the one before it of the same hash (`NO_STRING`: none).
    same_hash: Vec<u32>,
}

const NO_STRING: u32 = u32::MAX;

impl LocalStrings {
    /// String `i`.
    fn get(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        self.text
            .get(start..self.ends[i] as usize)
            .unwrap_or_default()
    }

    /// The number of `s`, which is added if new.
    fn number(&mut self, s: &str) -> Sym {
        use std::hash::BuildHasher;
        let hash = foldhash::fast::FixedState::default().hash_one(s);
        let mut at = self.by_hash.get(&hash).copied().unwrap_or(NO_STRING);
        while at != NO_STRING {
            if self.get(at as usize) == s {
                return Sym::at(at as usize);
            }
            at = self.same_hash[at as usize];
        }
        let i = self.ends.len();
        self.text.push_str(s);
        self.ends.push(small(self.text.len()));
        let before = self.by_hash.insert(hash, small(i));
        self.same_hash.push(before.unwrap_or(NO_STRING));
        Sym::at(i)
    }

    /// The number of `s` followed by `suffix`.
    fn suffixed(&mut self, s: &str, suffix: &str) -> Sym {
        self.number(&[s, suffix].concat())
    }
}

/// One copy of each string, numbered in the order first seen.
#[derive(Debug, Clone, Default)]
struct Strings {
    list: Vec<Shared>,
    numbers: FastMap<Shared, Sym>,
}

impl Strings {
    /// The number of `s`, which is added if new.
    fn number(&mut self, s: &str) -> Sym {
        if let Some(&n) = self.numbers.get(s) {
            return n;
        }
        let x: Shared = s.into();
        let n = Sym::at(self.list.len());
        self.list.push(x.clone());
        self.numbers.insert(x, n);
        n
    }

    /// The string numbered `n` (empty if there is none).
    fn get(&self, n: Sym) -> &Shared {
        static EMPTY: std::sync::OnceLock<Shared> = std::sync::OnceLock::new();
        self.list
            .get(n.index())
            .unwrap_or_else(|| EMPTY.get_or_init(|| "".into()))
    }
}

/// What the index keeps of one document: the events it has claims in (in the order first
/// seen), so that replacing its claims touches only those events' lists, and what its claims
/// share.
#[derive(Debug, Clone, Default)]
struct DocEntry {
    events: Vec<Sym>,
    /// The claims' texts, one after the other.
    texts: Box<str>,
    outlet: Option<Sym>,
    date: Option<Sym>,
}

/// Linked claims by event id, each list in corpus order (document, then offset).
#[derive(Debug, Clone, Default)]
pub struct EventIndex {
    pub events: BTreeMap<Shared, Vec<ClaimRef>>,
    /// By document number: every document that has had claims in the index is below its
    /// length (see [`EventIndex::insert_refs`]).
    docs: Vec<DocEntry>,
    /// One copy of every shared string of the claims, numbered.
    strings: Strings,
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
    /// a new document's claims go straight to the ends of their lists (when documents come in
    /// order, as a corpus is read, with no search).
    pub fn insert_refs(&mut self, doc: DocId, refs: DocClaims) {
        let DocClaims {
            mut claims,
            strings,
            texts,
            outlet,
            date,
        } = refs;
        // The index's number of each of the document's strings, looked up once.
        let numbers: Vec<Sym> = (0..strings.ends.len())
            .map(|i| self.strings.number(strings.get(i)))
            .collect();
        let global = |s: Sym| numbers.get(s.index()).copied().unwrap_or(s);
        let events = group_by_event(&mut claims);
        let number = small(doc);
        for r in &mut claims {
            r.doc = number;
            r.event = global(r.event);
            r.source_label = global(r.source_label);
            r.asof = r.asof.map(global);
            r.source_key = match r.source_key {
                SourceKey::Id(s) => SourceKey::Id(global(s)),
                SourceKey::Name(s) => SourceKey::Name(global(s)),
                // A reading the article itself stands for (unsourced, vague, the author's) is
                // its own source: the document's, whatever number the claim was made with.
                SourceKey::Article(_) => SourceKey::Article(number),
            };
        }
        let events: Vec<Sym> = events.into_iter().map(global).collect();
        // A document numbered past every one the index has had (as each is when a corpus is
        // read in order) comes after every claim of every list.
        let past_all = doc >= self.docs.len();
        for run in claims.chunk_by(|a, b| a.event == b.event) {
            self.put_run(doc, run, past_all);
        }
        // Events the document leaves: their runs go.
        let old = std::mem::take(&mut self.entry(doc).events);
        for e in old {
            if !events.contains(&e) {
                self.drop_run(e, doc);
            }
        }
        let entry = if events.is_empty() {
            DocEntry::default()
        } else {
            // The texts copied where the index lives: made on a worker thread, they would pin
            // that thread's scratch memory (its analyses) for as long as the index.
            DocEntry {
                events,
                texts: texts.as_str().into(),
                outlet: outlet.map(global),
                date: date.map(global),
            }
        };
        *self.entry(doc) = entry;
    }

    /// Put a document's claims of one event (`run`, not empty, in text order) in the event's
    /// list in place of its old ones there: at the end, with no search, when every claim of
    /// the list is of an earlier document, as it is when `past_all` says the document comes
    /// after every claim of the index (then the list's last claim, most likely out of the
    /// cache, is not even read).
    fn put_run(&mut self, doc: DocId, run: &[ClaimRef], past_all: bool) {
        let Some(first) = run.first() else {
            return;
        };
        let id = self.strings.get(first.event);
        let Some(list) = self.events.get_mut(&**id) else {
            self.events.insert(id.clone(), run.to_vec());
            return;
        };
        match list.last() {
            Some(last) if !past_all && last.doc() >= doc => {
                let at = doc_run(list, doc);
                list.splice(at, run.iter().copied());
            }
            _ => list.extend_from_slice(run),
        }
    }

    /// What the index keeps of a document (made if new).
    fn entry(&mut self, doc: DocId) -> &mut DocEntry {
        if self.docs.len() <= doc {
            self.docs.resize_with(doc + 1, DocEntry::default);
        }
        &mut self.docs[doc]
    }

    /// Remove a document's claims from an event's list.
    fn drop_run(&mut self, event: Sym, doc: DocId) {
        let id = self.strings.get(event).clone();
        if let Some(list) = self.events.get_mut(&id) {
            let run = doc_run(list, doc);
            list.drain(run);
            if list.is_empty() {
                self.events.remove(&id);
            }
        }
    }

    /// Give back the room the lists grew into while claims were added one document at a time
    /// (up to half of each list): for after a corpus is indexed.
    pub fn shrink(&mut self) {
        for list in self.events.values_mut() {
            list.shrink_to_fit();
        }
        for d in &mut self.docs {
            d.events.shrink_to_fit();
        }
        self.docs.shrink_to_fit();
    }

    /// The index's copy of a string (made if new): for a caller's own records of event and
    /// source ids, so that they share the claims' copies.
    pub fn share_str(&mut self, s: &str) -> Shared {
        let n = self.strings.number(s);
        self.strings.get(n).clone()
    }

    /// A string of the index by its number.
    pub fn str(&self, s: Sym) -> &str {
        self.strings.get(s)
    }

    /// A claim's text as written.
    pub fn text(&self, c: &ClaimRef) -> &str {
        let at = c.text as usize;
        self.docs
            .get(c.doc())
            .and_then(|d| d.texts.get(at..at + c.text_len as usize))
            .unwrap_or_default()
    }

    /// Who said a claim, for people ([`ClaimRef::source_label`]).
    pub fn label(&self, c: &ClaimRef) -> &str {
        self.str(c.source_label)
    }

    /// The as-of date of a claim.
    pub fn asof(&self, c: &ClaimRef) -> Option<&str> {
        c.asof.map(|s| self.str(s))
    }

    /// The outlet of a claim's article.
    pub fn outlet(&self, c: &ClaimRef) -> Option<&str> {
        let d = self.docs.get(c.doc())?;
        d.outlet.map(|s| self.str(s))
    }

    /// The date of a claim's article.
    pub fn date(&self, c: &ClaimRef) -> Option<&str> {
        let d = self.docs.get(c.doc())?;
        d.date.map(|s| self.str(s))
    }

    /// Remove every claim of one document.
    pub fn remove(&mut self, doc: DocId) {
        let Some(d) = self.docs.get_mut(doc) else {
            return;
        };
        for e in std::mem::take(d).events {
            self.drop_run(e, doc);
        }
    }

    /// The events a document has claims in, in the order first seen.
    pub fn events_of(&self, doc: DocId) -> impl Iterator<Item = &str> + '_ {
        let events = self.docs.get(doc).map_or(&[][..], |d| &d.events);
        events.iter().map(|&e| self.str(e))
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
        let mut points: Vec<f64> = claims.iter().filter_map(|c| c.point()).collect();
        points.sort_by(f64::total_cmp);
        let lows = claims.iter().filter_map(|c| c.low().or(c.point()));
        let highs = claims.iter().filter_map(|c| c.high().or(c.point()));
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

/// Put a document's claims (numbered within the document) in order of their events, each
/// event's in text order (a stable sort keeps claims at one offset in their order), events in
/// the order first seen in the text; gives the events in that order.
fn group_by_event(claims: &mut [ClaimRef]) -> Vec<Sym> {
    if !claims.is_sorted_by_key(|r| r.start) {
        claims.sort_by_key(|r| r.start);
    }
    let mut events: Vec<Sym> = Vec::new();
    for r in claims.iter() {
        // Claims of one event often follow each other.
        if events.last() != Some(&r.event) && !events.contains(&r.event) {
            events.push(r.event);
        }
    }
    let rank = |r: &ClaimRef| events.iter().position(|&e| e == r.event);
    if !claims.is_sorted_by_key(rank) {
        claims.sort_by_key(rank);
    }
    events
}

/// Where a document's claims are in an event's list (in (document, offset) order, they are one
/// run), or where they would go.
pub fn doc_run(list: &[ClaimRef], doc: DocId) -> Range<usize> {
    let from = list.partition_point(|r| r.doc() < doc);
    from..from + list[from..].partition_point(|r| r.doc() == doc)
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
    use proptest::prelude::*;

    /// A document's claims: unsourced readings of 1 of the given events at the given offsets.
    fn doc_of(events: &[(&str, usize)]) -> DocClaims {
        let mut d = DocClaims::default();
        let one = Reading::new(Qualifier::Exact, Value::Number(1.0), UnitKind::Count, None);
        for &(e, at) in events {
            d.push_parts(e, at..at + 1, "1", &one, "", "unsourced", None);
        }
        d
    }

    #[test]
    fn the_article_a_reading_rests_on_is_the_document_it_is_filed_under() {
        // Claims are made before their document has a number (the server's index makes them
        // as document 0): an unsourced reading in each of three documents is three sources.
        let mut index = EventIndex::new();
        for doc in [3, 7, 9] {
            index.insert_refs(doc, doc_of(&[("e", 10)]));
        }
        let keys: Vec<&SourceKey> = index.claims("e").iter().map(|c| &c.source_key).collect();
        assert_eq!(
            keys,
            [
                &SourceKey::Article(3),
                &SourceKey::Article(7),
                &SourceKey::Article(9),
            ]
        );
        let stats = index.stats("e").expect("the event has readings");
        assert_eq!((stats.readings, stats.sources), (3, 3));
    }

    #[test]
    fn a_documents_strings_are_numbered_in_the_order_first_seen() {
        let mut local = LocalStrings::default();
        let mut seen: Vec<String> = Vec::new();
        let mut x: u32 = 5;
        for _ in 0..400 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let s = "ab".repeat((x >> 16) as usize % 3) + &((x >> 8) % 30).to_string();
            let want = match seen.iter().position(|m| *m == s) {
                Some(i) => i,
                None => {
                    seen.push(s.clone());
                    seen.len() - 1
                }
            };
            assert_eq!(local.number(&s), Sym::at(want), "{s}");
        }
        assert!(seen.len() > 60);
        for (i, s) in seen.iter().enumerate() {
            assert_eq!(local.get(i), s);
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
            steps in proptest::collection::vec(
                (0usize..6, proptest::option::of((doc_claims(), any::<bool>()))),
                1..40,
            )
        ) {
            let mut index = EventIndex::new();
            let mut model: BTreeMap<DocId, Vec<(u8, usize)>> = BTreeMap::new();
            for (doc, claims) in steps {
                match claims {
                    Some((cs, reversed)) => {
                        // Claims in text order or not.
                        let ids: Vec<String> = (0..5).map(|e| format!("e{e}")).collect();
                        let mut refs: Vec<(&str, usize)> =
                            cs.iter().map(|&(e, at)| (ids[e as usize].as_str(), at)).collect();
                        if reversed {
                            refs.reverse();
                        }
                        index.insert_refs(doc, doc_of(&refs));
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
                    .map(|(e, l)| (e.to_string(), l.iter().map(|r| (r.doc(), r.start())).collect()))
                    .collect();
                prop_assert_eq!(&got, &want);
                for (&d, cs) in &model {
                    let mut events: Vec<String> = index.events_of(d).map(str::to_string).collect();
                    events.sort();
                    let mut expect: Vec<String> = cs.iter().map(|&(e, _)| format!("e{e}")).collect();
                    expect.sort();
                    expect.dedup();
                    prop_assert_eq!(events, expect);
                }
            }
        }
    }

    /// A claim to make: (offset, (event, source, as-of)).
    type Item = (usize, (u8, u8, Option<u8>));

    /// A document's claims from items: source 0 is the article itself.
    fn doc_with_sources(items: &[Item]) -> DocClaims {
        let mut d = DocClaims::default();
        for &(at, (e, source, asof)) in items {
            let low = at as f64;
            let reading = Reading {
                low: Some(low),
                high: Some(low + f64::from(e)),
                ..Reading::new(Qualifier::Range, Value::None, UnitKind::Count, None)
            };
            let source = ["", "un", "who"][source as usize % 3];
            let asof = asof.map(|d| format!("2016-12-0{}", 1 + d % 9));
            d.push_parts(
                &format!("e{e}"),
                at..at + 2,
                &format!("t{at}"),
                &reading,
                source,
                &format!("label {source}"),
                asof.as_deref(),
            );
        }
        d
    }

    /// Everything an index tells of its claims and of documents `0..docs`, its strings in
    /// place of their numbers (which depend on the order documents came in).
    fn view(index: &EventIndex, docs: DocId) -> (Vec<String>, Vec<Vec<&str>>) {
        let mut lists = Vec::new();
        for (e, list) in &index.events {
            for c in list {
                let key = match c.source_key {
                    SourceKey::Id(s) => format!("id {}", index.str(s)),
                    SourceKey::Name(s) => format!("name {}", index.str(s)),
                    SourceKey::Article(d) => format!("article {d}"),
                };
                lists.push(format!(
                    "{e} {} {:?} {} {} {key} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                    c.doc(),
                    c.span(),
                    index.text(c),
                    index.label(c),
                    index.asof(c),
                    index.str(c.event),
                    c.attribution,
                    c.qualifier,
                    c.kind,
                    c.low(),
                    c.high(),
                    c.point(),
                    (index.outlet(c), index.date(c)),
                ));
            }
        }
        let events = (0..docs).map(|d| index.events_of(d).collect()).collect();
        (lists, events)
    }

    proptest! {
        /// Whatever order documents are added, replaced and removed in (claims appended at
        /// the ends of lists, or put in place of a document's run in their middle or at their
        /// end), the index is the one made from the latest versions of the documents added in
        /// order.
        #[test]
        fn an_index_is_the_same_however_its_documents_came(
            steps in proptest::collection::vec(
                (
                    0usize..6,
                    proptest::option::of(proptest::collection::vec(
                        (0usize..60, (0u8..4, 0u8..3, proptest::option::of(0u8..3))),
                        0..10,
                    )),
                ),
                1..30,
            )
        ) {
            let mut index = EventIndex::new();
            let mut latest: BTreeMap<DocId, Vec<Item>> = BTreeMap::new();
            for (doc, claims) in steps {
                match claims {
                    Some(cs) => {
                        index.insert_refs(doc, doc_with_sources(&cs));
                        latest.insert(doc, cs);
                    }
                    None => {
                        index.remove(doc);
                        latest.remove(&doc);
                    }
                }
                let mut fresh = EventIndex::new();
                for (&d, cs) in &latest {
                    fresh.insert_refs(d, doc_with_sources(cs));
                }
                prop_assert_eq!(view(&index, 6), view(&fresh, 6));
            }
        }
    }
}
