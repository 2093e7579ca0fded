//! Checks across the corpus: conflicting readings, cumulative decreases, parts and wholes.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::corpus::{doc_run, ClaimRef, Config, EventIndex, FastMap};
use crate::figures::Reading;

use super::{push_quoted, Code, Diagnostic, DocId, Related, Severity};
use crate::corpus::{SourceKey, Sym};

/// How many related locations a reader is shown. Every diagnostic relates every other claim
/// involved (SPEC 4), most telling first: for a conflict, the [`MAX_RELATED`] nearest
/// different readings (in corpus order), then the rest. The JSON and SARIF output keep them
/// all; the text output and the editor show the first `MAX_RELATED` and say how many more
/// there are, since a contested event's hundreds of readings on every one of its diagnostics
/// would grow the output, and every publish while typing, with the square of the event (the
/// message gives the full count, and the hover and `tally events` list every reading).
pub const MAX_RELATED: usize = 8;

/// How many disagreeing readings are looked at to find [`MAX_RELATED`] different ones.
const SCAN_LIMIT: usize = 256;

/// Diagnostics from comparing the readings of every event: `conflicting-figure`,
/// `cumulative-decrease`, `parts-sum-mismatch` and `part-exceeds-whole`.
pub fn event_checks(index: &EventIndex, config: &Config) -> Vec<Diagnostic> {
    EventChecker::new(index, config).all()
}

/// The diagnostics of [`event_checks`] that are on one document, in the same order, computed
/// from that document's events only: what a language server needs for an open article, at a
/// cost that grows with the article's events, not with the corpus. Conflicts relate the
/// readings an editor shows (see [`EventChecker::shown_only`]).
pub fn event_checks_for_doc(index: &EventIndex, config: &Config, doc: DocId) -> Vec<Diagnostic> {
    let mut ids: Vec<&str> = index.events_of(doc).collect();
    ids.sort_unstable();
    ids.dedup();
    let lists = ids
        .into_iter()
        .filter_map(|id| index.events.get_key_value(id))
        .map(|(id, list)| (&**id, &list[..]))
        .collect();
    EventChecker::prepare(index, config, lists, Some(doc))
        .shown_only()
        .for_doc(doc)
}

/// The event checks of a corpus, prepared once (every document's claims found in every list,
/// the parts of every whole gathered; each event's readings sorted when first checked) and
/// then asked for the diagnostics of any document, from any number of threads. Asking for
/// every document gives exactly [`event_checks`].
pub struct EventChecker<'a> {
    index: &'a EventIndex,
    config: &'a Config,
    /// The prepared events, in id order.
    events: Vec<Prepared<'a>>,
    /// Where each document's claims are in the prepared events' lists.
    runs: DocRuns,
    /// Every whole (an event with `parts = [...]`, or named by a `part_of`), in id order.
    wholes: Vec<Whole<'a>>,
    /// For each prepared event, the wholes it is, or is a part of (by place in `wholes`).
    involved: Vec<Vec<u32>>,
    /// Relate only the [`MAX_RELATED`] most telling readings of a conflict (and count the rest).
    shown_only: bool,
}

/// One event, ready for checking. Only its list is read when the checker is made (for the
/// documents' [`DocRuns`]); what its checks read is made when first needed, by whichever
/// thread first asks ([`Prepared::ready`]), so that sorting thousands of events' readings
/// runs on every core as documents are checked, not on one before.
struct Prepared<'a> {
    index: &'a EventIndex,
    config: &'a Config,
    id: &'a str,
    claims: &'a [ClaimRef],
    /// Whether the event is a running total (`cumulative = true`).
    cumulative: bool,
    ready: OnceLock<Ready<'a>>,
    /// Each claim as messages describe it ([`describe`]), and its reading's interval, made
    /// once when first needed: a reading of a contested event is named in many other
    /// readings' diagnostics.
    texts: OnceLock<Texts>,
}

/// What an event's checks read, made once (see [`Prepared::ready`]).
struct Ready<'a> {
    /// `` `id` (title) ``, for messages.
    name: String,
    readings: Disagreements<'a>,
    /// For a running total: the claims with an as-of date by date, how many of them are dated
    /// before each claim, and the highest widened low of the first `k + 1` of them (see
    /// [`Ready::earlier_above`]).
    by_date: Vec<u32>,
    dated_before: Vec<u32>,
    earlier_max_low: Vec<f64>,
    /// What each claim may have, found once: [`DISAGREED`] (readings of its group wholly
    /// below or above it) and [`BELOW_EARLIER`] (an earlier reading of a running total above
    /// it). Most claims have neither, and are passed over reading one byte of their own.
    marks: Vec<u8>,
}

/// A claim's [`Ready::marks`]: readings of its group are wholly below or above it.
const DISAGREED: u8 = 1;
/// A claim's [`Ready::marks`]: a reading of its running total dated before it is above it.
const BELOW_EARLIER: u8 = 2;

/// Each claim of an event as messages describe it, and its reading's interval, each made
/// when first needed.
struct Texts {
    described: Vec<OnceLock<Arc<str>>>,
    intervals: Vec<OnceLock<Box<str>>>,
}

/// A document's claims in one prepared event's list.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct DocRun {
    /// The event, by place among the prepared events.
    event: u32,
    start: u32,
    end: u32,
}

impl DocRun {
    fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Every document's [`DocRun`]s, each document's in event order, found once for all
/// documents (no search in a list per document and event).
#[derive(Debug, Default)]
struct DocRuns {
    /// The first document with runs here.
    first: DocId,
    /// Where the runs of each document from `first` on start in `runs`, then their end.
    starts: Vec<u32>,
    runs: Vec<DocRun>,
}

impl DocRuns {
    /// The runs of every document in the lists of `events` (each in document order), found
    /// in one pass over each list and placed by document with a counting sort (which keeps
    /// the events' order).
    fn of_corpus(events: &[Prepared]) -> DocRuns {
        let mut found: Vec<(u32, DocRun)> = Vec::new();
        for (k, e) in events.iter().enumerate() {
            let mut start = 0;
            for run in e.claims.chunk_by(|a, b| a.doc() == b.doc()) {
                let end = start + run.len();
                let run_at = DocRun {
                    event: k as u32,
                    start: start as u32,
                    end: end as u32,
                };
                found.push((run[0].doc() as u32, run_at));
                start = end;
            }
        }
        let docs = found
            .iter()
            .map(|&(d, _)| d as usize + 1)
            .max()
            .unwrap_or(0);
        let mut starts = vec![0u32; docs + 1];
        for &(d, _) in &found {
            starts[d as usize + 1] += 1;
        }
        for d in 0..docs {
            starts[d + 1] += starts[d];
        }
        let mut next = starts.clone();
        let mut runs = vec![DocRun::default(); found.len()];
        for (d, run) in found {
            runs[next[d as usize] as usize] = run;
            next[d as usize] += 1;
        }
        DocRuns {
            first: 0,
            starts,
            runs,
        }
    }

    /// The runs of one document in the lists of `events`.
    fn of_doc(events: &[Prepared], doc: DocId) -> DocRuns {
        let runs: Vec<DocRun> = (events.iter().enumerate())
            .map(|(k, e)| (k, doc_run(e.claims, doc)))
            .filter(|(_, at)| !at.is_empty())
            .map(|(k, at)| DocRun {
                event: k as u32,
                start: at.start as u32,
                end: at.end as u32,
            })
            .collect();
        DocRuns {
            first: doc,
            starts: vec![0, runs.len() as u32],
            runs,
        }
    }

    /// A document's runs, in event order.
    fn of(&self, doc: DocId) -> &[DocRun] {
        let Some(i) = doc.checked_sub(self.first) else {
            return &[];
        };
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&from), Some(&to)) => self.runs.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// A whole and its parts, ready for checking.
struct Whole<'a> {
    /// `` `id` (title) ``, for messages.
    name: String,
    tolerance: f64,
    claims: &'a [ClaimRef],
    /// The whole's prepared event (`None`: not prepared).
    event: Option<usize>,
    /// The parts (from `parts = [...]` and `part_of`).
    parts: Vec<Part<'a>>,
    /// The parts summed: its `parts` list (`None`: it has none, the parts are not known to
    /// be complete).
    summed: Option<Vec<Part<'a>>>,
    /// The lowest widened high bound of the whole's bounded readings (infinite when there is
    /// none), made once when first needed: a part's reading whose widened low is not above it
    /// exceeds no reading of the whole, and most do not.
    lowest_high: OnceLock<f64>,
    /// The sum of the parts and their claims, made once when first needed (it is the same
    /// for every document that has a reading of the whole).
    sum: OnceLock<PartsSum>,
}

/// An event as a part of a whole.
#[derive(Clone, Copy)]
struct Part<'a> {
    id: &'a str,
    claims: &'a [ClaimRef],
    /// The part's prepared event (`None`: not prepared).
    event: Option<usize>,
}

impl<'a> Prepared<'a> {
    /// Event `id`'s claims, to be prepared when first checked.
    fn new(
        index: &'a EventIndex,
        config: &'a Config,
        id: &'a str,
        claims: &'a [ClaimRef],
    ) -> Prepared<'a> {
        Prepared {
            index,
            config,
            id,
            claims,
            cumulative: config.event(id).is_some_and(|e| e.cumulative),
            ready: OnceLock::new(),
            texts: OnceLock::new(),
        }
    }

    /// What the event's checks read: made on first use.
    fn ready(&self) -> &Ready<'a> {
        self.ready.get_or_init(|| {
            Ready::new(
                self.index,
                self.config,
                self.id,
                self.claims,
                self.cumulative,
            )
        })
    }

    fn texts(&self) -> &Texts {
        self.texts.get_or_init(|| Texts {
            described: self.claims.iter().map(|_| OnceLock::new()).collect(),
            intervals: self.claims.iter().map(|_| OnceLock::new()).collect(),
        })
    }

    fn described(&self, i: usize) -> &Arc<str> {
        self.texts().described[i]
            .get_or_init(|| describe_with(self.index, &self.claims[i], self.interval(i)).into())
    }

    fn interval(&self, i: usize) -> &str {
        self.texts().intervals[i].get_or_init(|| self.claims[i].interval().into())
    }
}

impl<'a> Ready<'a> {
    /// Event `id`'s claims sorted for its checks.
    fn new(
        index: &'a EventIndex,
        config: &Config,
        id: &str,
        claims: &'a [ClaimRef],
        cumulative: bool,
    ) -> Ready<'a> {
        let tolerance = config.tolerance_for(id);
        let readings = Disagreements::new(claims, tolerance, cumulative);
        let (mut by_date, mut dated_before) = (Vec::new(), Vec::new());
        let mut earlier_max_low = Vec::new();
        if cumulative {
            (by_date, dated_before) = by_date_of(index, claims);
            let mut max = f64::NEG_INFINITY;
            earlier_max_low = by_date
                .iter()
                .map(|&j| {
                    max = max.max(readings.widened[j as usize].0);
                    max
                })
                .collect();
        }
        let marks = (readings.sides.iter())
            .map(|&s| if s == [0, 0] { 0 } else { DISAGREED })
            .collect();
        let mut ready = Ready {
            name: event_name(id, config),
            readings,
            by_date,
            dated_before,
            earlier_max_low,
            marks,
        };
        if cumulative {
            for i in 0..claims.len() {
                if ready.earlier_to_search(i).is_some() {
                    ready.marks[i] |= BELOW_EARLIER;
                }
            }
        }
        ready
    }

    /// How many readings of a running total are dated before claim `i`, if the highest
    /// widened low among them is above the claim's widened high (`None`: no earlier reading
    /// is above it, as for most readings).
    fn earlier_to_search(&self, i: usize) -> Option<usize> {
        let k = self.dated_before.get(i).map_or(0, |&k| k as usize);
        let high = self.readings.widened.get(i)?.1;
        let max = *self.earlier_max_low.get(k.checked_sub(1)?)?;
        (high.partial_cmp(&max) == Some(Ordering::Less)).then_some(k)
    }

    /// The readings of a running total dated before claim `i` whose widened low is above its
    /// widened high (a reading with such an interval and date was higher earlier), in corpus
    /// order.
    fn earlier_above(&self, i: usize) -> Vec<usize> {
        let Some(k) = self.earlier_to_search(i) else {
            return Vec::new();
        };
        let high = self.readings.widened[i].1;
        let mut earlier: Vec<usize> = self.by_date[..k]
            .iter()
            .map(|&j| j as usize)
            .filter(|&j| high < self.readings.widened[j].0)
            .collect();
        earlier.sort_unstable();
        earlier
    }
}

impl<'a> EventChecker<'a> {
    /// Prepare every event of the index.
    pub fn new(index: &'a EventIndex, config: &'a Config) -> EventChecker<'a> {
        let lists = (index.events.iter())
            .map(|(id, list)| (&**id, &list[..]))
            .collect();
        EventChecker::prepare(index, config, lists, None)
    }

    /// Prepare the given events (id and list, in id order) only, for every document or for
    /// one: diagnostics are then wanted on their claims.
    fn prepare(
        index: &'a EventIndex,
        config: &'a Config,
        lists: Vec<(&'a str, &'a [ClaimRef])>,
        doc: Option<DocId>,
    ) -> EventChecker<'a> {
        let mut events: Vec<Prepared> = Vec::with_capacity(lists.len());
        let mut prepared: FastMap<&str, usize> =
            FastMap::with_capacity_and_hasher(lists.len(), Default::default());
        for (id, claims) in lists {
            prepared.insert(id, events.len());
            events.push(Prepared::new(index, config, id, claims));
        }
        let runs = match doc {
            None => DocRuns::of_corpus(&events),
            Some(doc) => DocRuns::of_doc(&events, doc),
        };
        let wholes = wholes(index, config, &prepared);
        let mut involved: Vec<Vec<u32>> = vec![Vec::new(); events.len()];
        for (w, whole) in wholes.iter().enumerate() {
            let members = std::iter::once(whole.event).chain(whole.parts.iter().map(|p| p.event));
            for k in members.flatten() {
                involved[k].push(w as u32);
            }
        }
        EventChecker {
            index,
            config,
            events,
            runs,
            wholes,
            involved,
            shown_only: false,
        }
    }

    /// Relate only the [`MAX_RELATED`] readings a reader is shown on each conflict, and count
    /// the rest in [`Diagnostic::more_related`]: for the text output and the editor, which
    /// show no more, so that a contested event's hundreds of readings are not listed on every
    /// one of its diagnostics only to be dropped.
    pub fn shown_only(mut self) -> EventChecker<'a> {
        self.shown_only = true;
        self
    }

    /// Every event diagnostic of the corpus, event by event.
    pub fn all(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        self.each(|batch| out.extend(batch));
        out
    }

    /// The diagnostics of [`EventChecker::all`], in its order, handed over a batch at a time
    /// (each event's, then those of parts and wholes): for a caller that keeps less of them.
    pub fn each(&self, mut batch: impl FnMut(Vec<Diagnostic>)) {
        for e in &self.events {
            let mut out = Vec::new();
            self.conflicts(e, 0..e.claims.len(), &mut out);
            self.decreases(e, 0..e.claims.len(), &mut out);
            batch(out);
        }
        let mut out = Vec::new();
        parts(self, None, &mut out);
        batch(out);
    }

    /// The event diagnostics on one document, in the order of [`EventChecker::all`].
    pub fn for_doc(&self, doc: DocId) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let runs = self.runs.of(doc);
        for run in runs {
            let e = &self.events[run.event as usize];
            self.conflicts(e, run.range(), &mut out);
            self.decreases(e, run.range(), &mut out);
        }
        parts(self, Some(runs), &mut out);
        out
    }

    /// `conflicting-figure` on the event's claims in `range`.
    fn conflicts(&self, e: &Prepared, range: Range<usize>, out: &mut Vec<Diagnostic>) {
        let Some(severity) = self.config.severity(Code::ConflictingFigure) else {
            return;
        };
        let r = e.ready();
        for i in marked(&r.marks, range, DISAGREED) {
            let (count, others) = r.readings.of(i);
            if count == 0 {
                continue;
            }
            let a = &e.claims[i];
            let mut message = String::with_capacity(512);
            push_quoted(&mut message, self.index.text(a));
            message.push_str(" (");
            message.push_str(e.interval(i));
            message.push_str(", ");
            message.push_str(self.index.label(a));
            message.push_str(") conflicts with ");
            push_number(&mut message, count);
            message.push_str(" other reading");
            if count != 1 {
                message.push('s');
            }
            message.push_str(" of ");
            message.push_str(&r.name);
            message.push_str(": ");
            push_listing(
                &mut message,
                others.iter().map(|&j| &**e.described(j)),
                count,
            );
            message.push_str("; check the sources or split the event");
            let rest = if self.shown_only {
                Vec::new()
            } else {
                r.readings.all(i, &others)
            };
            let related = others
                .iter()
                .chain(&rest)
                .map(|&j| related_with(&e.claims[j], e.described(j).clone()))
                .collect();
            let mut d = diagnostic_with(a, Code::ConflictingFigure, severity, message, related);
            d.more_related = count - d.related.len();
            out.push(d);
        }
    }

    /// `cumulative-decrease` on the event's claims in `range`.
    fn decreases(&self, e: &Prepared, range: Range<usize>, out: &mut Vec<Diagnostic>) {
        if !e.cumulative {
            return;
        }
        let Some(severity) = self.config.severity(Code::CumulativeDecrease) else {
            return;
        };
        let r = e.ready();
        for i in marked(&r.marks, range, BELOW_EARLIER) {
            let a = &e.claims[i];
            let Some(date) = self.index.asof(a) else {
                continue;
            };
            let earlier = r.earlier_above(i);
            if earlier.is_empty() {
                continue;
            }
            let mut message = String::with_capacity(512);
            push_quoted(&mut message, self.index.text(a));
            message.push_str(" (");
            message.push_str(e.interval(i));
            message.push_str(", as of ");
            message.push_str(date);
            message.push_str(") is below an earlier reading of the running total ");
            message.push_str(&r.name);
            message.push_str(": ");
            let shown = earlier.iter().map(|&j| {
                let b = &e.claims[j];
                let asof = self.index.asof(b).unwrap_or("?");
                [&**e.described(j), " as of ", asof]
            });
            push_listing_parts(&mut message, shown, earlier.len());
            message.push_str("; a cumulative count can only grow");
            let related = self.related(&earlier, |j| {
                related_with(&e.claims[j], e.described(j).clone())
            });
            out.push(with_related(
                a,
                Code::CumulativeDecrease,
                severity,
                message,
                related,
            ));
        }
    }

    /// The related locations of a diagnostic from its claims (by `relate`): all of them, or
    /// the first [`MAX_RELATED`] and how many more when only those are shown.
    fn related<T: Copy>(
        &self,
        claims: &[T],
        relate: impl Fn(T) -> Related,
    ) -> (Vec<Related>, usize) {
        let shown = if self.shown_only {
            claims.len().min(MAX_RELATED)
        } else {
            claims.len()
        };
        let related = claims[..shown].iter().map(|&c| relate(c)).collect();
        (related, claims.len() - shown)
    }

    /// Claim `c`, number `i` of an event, as messages describe it: made once if the event is
    /// prepared (`event`: its place among the prepared events).
    fn described(&self, event: Option<usize>, c: &ClaimRef, i: usize) -> Arc<str> {
        match event.and_then(|k| self.events.get(k)) {
            Some(e) => e.described(i).clone(),
            None => describe(self.index, c).into(),
        }
    }
}

/// The claims in `range` whose `marks` have `mark`.
fn marked(marks: &[u8], range: Range<usize>, mark: u8) -> impl Iterator<Item = usize> + '_ {
    let marks = marks.get(range.clone()).unwrap_or_default();
    (range.zip(marks))
        .filter(move |&(_, &m)| m & mark != 0)
        .map(|(i, _)| i)
}

/// How a reading reads in a message: `UN: "some 270,000 civilians" (≈243,000–297,000)`.
pub fn describe(index: &EventIndex, c: &ClaimRef) -> String {
    describe_with(index, c, &c.interval())
}

/// [`describe`] with the reading's interval made.
fn describe_with(index: &EventIndex, c: &ClaimRef, interval: &str) -> String {
    let (label, text) = (index.label(c), index.text(c));
    let mut s = String::with_capacity(label.len() + text.len() + interval.len() + 8);
    s.push_str(label);
    s.push_str(": ");
    push_quoted(&mut s, text);
    s.push_str(" (");
    s.push_str(interval);
    s.push(')');
    s
}

/// Write a count in decimal (without `format!`'s machinery).
fn push_number(out: &mut String, n: usize) {
    out.push_str(itoa::Buffer::new().format(n));
}

fn related_with(c: &ClaimRef, message: Arc<str>) -> Related {
    Related {
        doc: c.doc(),
        span: c.span(),
        message,
    }
}

/// A diagnostic on one claim with its related locations and how many more there are (see
/// [`EventChecker::related`]).
fn with_related(
    c: &ClaimRef,
    code: Code,
    severity: Severity,
    message: String,
    (related, more): (Vec<Related>, usize),
) -> Diagnostic {
    let mut d = diagnostic_with(c, code, severity, message, related);
    d.more_related = more;
    d
}

fn diagnostic_with(
    c: &ClaimRef,
    code: Code,
    severity: Severity,
    message: String,
    related: Vec<Related>,
) -> Diagnostic {
    Diagnostic {
        doc: c.doc(),
        span: c.span(),
        code,
        severity,
        message,
        related,
        more_related: 0,
    }
}

/// The first four of `items` (of `total`) joined with "; ", then " and N more" for the rest.
fn push_listing<'s>(out: &mut String, items: impl Iterator<Item = &'s str>, total: usize) {
    push_listing_parts(out, items.map(|s| [s]), total);
}

/// [`push_listing`] of items written in pieces.
fn push_listing_parts<'s, const N: usize>(
    out: &mut String,
    items: impl Iterator<Item = [&'s str; N]>,
    total: usize,
) {
    let mut shown = 0;
    for item in items.take(4) {
        if shown > 0 {
            out.push_str("; ");
        }
        item.iter().for_each(|s| out.push_str(s));
        shown += 1;
    }
    match total.saturating_sub(shown) {
        0 => {}
        more => {
            out.push_str(" and ");
            push_number(out, more);
            out.push_str(" more");
        }
    }
}

/// Whether two readings' intervals, each widened by the tolerance, overlap.
pub fn agree(a: &Reading, b: &Reading, tolerance: f64) -> bool {
    let (al, ah) = a.widened(tolerance);
    let (bl, bh) = b.widened(tolerance);
    al <= bh && bl <= ah
}

fn event_name(id: &str, config: &Config) -> String {
    match config.event(id).and_then(|e| e.title.as_deref()) {
        Some(t) => format!("`{id}` ({t})"),
        None => format!("`{id}`"),
    }
}

/// The readings of an event that disagree with a given reading, found without comparing
/// every pair: within each comparison group (the whole event, or one date of a running
/// total), readings sorted by widened high and by widened low, so that those wholly below a
/// reading are a prefix of one order and those wholly above a suffix of the other. A contested
/// event with thousands of readings costs `n log n`, not `n²`.
struct Disagreements<'c> {
    claims: &'c [ClaimRef],
    /// Widened (low, high) of every claim.
    widened: Vec<(f64, f64)>,
    /// The comparison group of every claim (`NONE` for unbounded readings, never compared).
    group: Vec<u32>,
    /// Per group, its members by ascending widened high, and by ascending widened low.
    by_high: Vec<Vec<u32>>,
    by_low: Vec<Vec<u32>>,
    /// For every claim, how many readings of its group are wholly below it (a prefix of
    /// its group's `by_high`) and how many wholly above (a suffix of `by_low`): found once
    /// when the event is prepared, so that checking a claim reads two numbers of its own, not
    /// its group's sorted lists and the bounds they point to (most claims have neither).
    sides: Vec<[u32; 2]>,
    /// Where the run of each claim's document starts in the list.
    run_start: Vec<u32>,
}

const NONE: u32 = u32::MAX;

/// A float as an integer of the same order as [`f64::total_cmp`]'s.
fn total_order(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ (((bits >> 63) as u64) >> 1) as i64
}

impl<'c> Disagreements<'c> {
    fn new(claims: &'c [ClaimRef], tolerance: f64, cumulative: bool) -> Disagreements<'c> {
        let widened: Vec<(f64, f64)> = claims.iter().map(|c| c.widened(tolerance)).collect();
        let mut keys: Vec<Option<Sym>> = Vec::new();
        let group: Vec<u32> = claims
            .iter()
            .map(|c| {
                if !c.bounded() {
                    return NONE;
                }
                let key = if cumulative { c.asof } else { None };
                match keys.iter().position(|k| *k == key) {
                    Some(g) => g as u32,
                    None => {
                        keys.push(key);
                        (keys.len() - 1) as u32
                    }
                }
            })
            .collect();
        // Each group's members by (widened high, claim) and by (widened low, claim), sorted
        // with the bound's total order as an integer beside the claim.
        let mut by_high: Vec<Vec<(i64, u32)>> = vec![Vec::new(); keys.len()];
        for (i, &g) in group.iter().enumerate() {
            if g != NONE {
                by_high[g as usize].push((total_order(widened[i].1), i as u32));
            }
        }
        let low_key = |i: u32| (total_order(widened[i as usize].0), i);
        let (by_high, by_low): (Vec<Vec<u32>>, Vec<Vec<u32>>) = (by_high.into_iter())
            .map(|mut m| {
                m.sort_unstable();
                let by_high: Vec<u32> = m.into_iter().map(|(_, i)| i).collect();
                // Most groups' readings are in the same order by low as by high (a tolerance
                // widens a reading's bounds alike): then that order is not sorted again.
                let by_low = if by_high.is_sorted_by_key(|&i| low_key(i)) {
                    by_high.clone()
                } else {
                    let mut m: Vec<(i64, u32)> = by_high.iter().map(|&i| low_key(i)).collect();
                    m.sort_unstable();
                    m.into_iter().map(|(_, i)| i).collect()
                };
                (by_high, by_low)
            })
            .unzip();
        let mut sides = vec![[0u32; 2]; claims.len()];
        for (by_high, by_low) in by_high.iter().zip(&by_low) {
            let highs: Vec<f64> = by_high.iter().map(|&j| widened[j as usize].1).collect();
            let lows: Vec<f64> = by_low.iter().map(|&j| widened[j as usize].0).collect();
            for &i in by_low {
                let (lo, hi) = widened[i as usize];
                sides[i as usize] = [below(&highs, lo), above(&lows, hi)];
            }
        }
        let mut run_start = Vec::with_capacity(claims.len());
        for (i, c) in claims.iter().enumerate() {
            let start = match i.checked_sub(1) {
                Some(p) if claims[p].doc() == c.doc() => run_start[p],
                _ => i as u32,
            };
            run_start.push(start);
        }
        Disagreements {
            claims,
            widened,
            group,
            by_high,
            by_low,
            sides,
            run_start,
        }
    }

    /// The readings of claim `i`'s group wholly below it (by ascending widened high) and
    /// wholly above it (by ascending widened low): none for a reading never compared.
    fn sides(&self, i: usize) -> (&[u32], &[u32]) {
        let [below, above] = self.sides.get(i).copied().unwrap_or_default();
        if below == 0 && above == 0 {
            return (&[], &[]);
        }
        let g = self.group[i] as usize;
        let (Some(by_high), Some(by_low)) = (self.by_high.get(g), self.by_low.get(g)) else {
            return (&[], &[]);
        };
        let above_from = by_low.len().saturating_sub(above as usize);
        (
            by_high.get(..below as usize).unwrap_or_default(),
            &by_low[above_from..],
        )
    }

    fn disagree(&self, i: usize, j: usize) -> bool {
        let (lo, hi) = self.widened[i];
        self.widened[j].1 < lo || self.widened[j].0 > hi
    }

    /// Whether claim `j` is the same source as claim `i` in the same article: such readings
    /// are not compared (an article may give a running figure twice).
    #[inline]
    fn same(&self, i: usize, j: usize) -> bool {
        let (a, b) = (&self.claims[i], &self.claims[j]);
        a.doc() == b.doc() && a.source_key == b.source_key
    }

    /// How many readings disagree with claim `i`, and at most [`MAX_RELATED`] of them to
    /// show: the nearest on each side, different readings of different sources first, in
    /// corpus order.
    fn of(&self, i: usize) -> (usize, Vec<usize>) {
        let (below, above) = self.sides(i);
        if below.is_empty() && above.is_empty() {
            return (0, Vec::new());
        }
        let g = self.group[i];
        // Readings of the same source in the same article are one run of the event's list
        // (it is in document order): count those that disagree directly.
        let doc = self.claims[i].doc();
        let from = self.run_start[i] as usize;
        let to = i + self.claims[i..]
            .iter()
            .take_while(|c| c.doc() == doc)
            .count();
        let excluded = (from..to)
            .filter(|&j| self.disagree(i, j) && self.group[j] == g && self.same(i, j))
            .count();
        let count = below.len() + above.len() - excluded;
        if count == 0 {
            return (0, Vec::new());
        }
        // Nearest first on each side, alternating.
        let mut down = below.iter().rev();
        let mut up = above.iter();
        let mut picked: Vec<usize> = Vec::with_capacity(MAX_RELATED);
        let mut repeats: Vec<usize> = Vec::new();
        let mut seen: Vec<(&SourceKey, u64, u64)> = Vec::with_capacity(MAX_RELATED);
        let mut scanned = 0;
        while picked.len() < MAX_RELATED && scanned < SCAN_LIMIT {
            let (d, u) = (down.next(), up.next());
            if d.is_none() && u.is_none() {
                break;
            }
            for j in d.into_iter().chain(u).map(|&j| j as usize) {
                scanned += 1;
                if self.same(i, j) {
                    continue;
                }
                let b = &self.claims[j];
                let key = (
                    &b.source_key,
                    b.low().unwrap_or(f64::NAN).to_bits(),
                    b.high().unwrap_or(f64::NAN).to_bits(),
                );
                if seen.contains(&key) {
                    repeats.push(j);
                } else if picked.len() < MAX_RELATED {
                    seen.push(key);
                    picked.push(j);
                }
            }
        }
        let room = MAX_RELATED.saturating_sub(picked.len());
        picked.extend(repeats.into_iter().take(room));
        picked.sort_unstable();
        (count, picked)
    }

    /// Every reading that disagrees with claim `i` except those in `shown` (sorted), in
    /// corpus order.
    fn all(&self, i: usize, shown: &[usize]) -> Vec<usize> {
        let (below, above) = self.sides(i);
        let mut rest: Vec<usize> = below
            .iter()
            .chain(above)
            .map(|&j| j as usize)
            .filter(|&j| !self.same(i, j) && shown.binary_search(&j).is_err())
            .collect();
        rest.sort_unstable();
        rest
    }
}

/// How many of `highs` (a group's widened highs, ascending) are below `lo`: most readings
/// are not above the lowest high of their group, and need no search.
fn below(highs: &[f64], lo: f64) -> u32 {
    match highs.first() {
        Some(&h) if h < lo => highs.partition_point(|&h| h < lo) as u32,
        _ => 0,
    }
}

/// How many of `lows` (a group's widened lows, ascending) are above `hi`: most readings are
/// not below the highest low of their group, and need no search.
fn above(lows: &[f64], hi: f64) -> u32 {
    match lows.last() {
        Some(&l) if l > hi => (lows.len() - lows.partition_point(|&l| l <= hi)) as u32,
        _ => 0,
    }
}

/// The hull of an event's readings: the lowest low and the highest high (None: unbounded).
fn hull(claims: &[ClaimRef]) -> Option<(f64, Option<f64>)> {
    let bounded: Vec<&ClaimRef> = claims.iter().filter(|c| c.bounded()).collect();
    if bounded.is_empty() {
        return None;
    }
    let low = bounded
        .iter()
        .map(|c| c.low().unwrap_or(0.0))
        .fold(f64::INFINITY, f64::min);
    let high = bounded
        .iter()
        .map(|c| c.high())
        .try_fold(f64::NEG_INFINITY, |m, h| h.map(|h| m.max(h)));
    Some((low, high))
}

/// The parts of a complete whole added up, made once per whole (see [`parts_sum`]).
struct PartsSum {
    /// The sum (`None` when no part has a claim).
    sum: Option<Reading>,
    /// Every claim of the parts: (part, claim) by place in the whole's `summed` list and in
    /// the part's list, part by part in corpus order.
    claims: Vec<(usize, usize)>,
    /// The end of every `parts-sum-mismatch` message on the whole: the parts and their sum.
    tail: String,
}

/// Every whole of the configuration (an event with `parts = [...]`, or named by a `part_of`)
/// that is, or has a part that is, among the prepared events (`prepared`: their places, by
/// id; the other wholes have no claims on any document asked for), in id order, with its parts
/// and their claims.
fn wholes<'a>(
    index: &'a EventIndex,
    config: &'a Config,
    prepared: &FastMap<&str, usize>,
) -> Vec<Whole<'a>> {
    // Whole → its parts, and whether a `parts` list says they are complete.
    let mut lists: BTreeMap<&str, (Vec<&str>, bool)> = BTreeMap::new();
    for e in &config.events {
        if !e.parts.is_empty() {
            let entry = lists.entry(e.id.as_str()).or_default();
            entry.1 = true;
            for p in &e.parts {
                if !entry.0.contains(&p.as_str()) {
                    entry.0.push(p.as_str());
                }
            }
        }
        if let Some(w) = &e.part_of {
            let list = &mut lists.entry(w.as_str()).or_default().0;
            if !list.contains(&e.id.as_str()) {
                list.push(e.id.as_str());
            }
        }
    }
    let part = |id: &'a str| Part {
        id,
        claims: index.claims(id),
        event: prepared.get(id).copied(),
    };
    let summed = |id: &str| -> Vec<Part<'a>> {
        let parts = config.event(id).map_or(&[][..], |e| &e.parts[..]);
        parts.iter().map(|p| part(p)).collect()
    };
    lists
        .into_iter()
        .filter(|(id, (parts, _))| {
            let mut members = std::iter::once(id).chain(parts.iter());
            members.any(|e| prepared.contains_key(e))
        })
        .map(|(id, (parts, complete))| {
            let this = part(id);
            Whole {
                name: event_name(id, config),
                tolerance: config.tolerance_for(id),
                claims: this.claims,
                event: this.event,
                parts: parts.into_iter().map(part).collect(),
                summed: complete.then(|| summed(id)),
                lowest_high: OnceLock::new(),
                sum: OnceLock::new(),
            }
        })
        .collect()
}

/// The claims of an event on one document (`runs`: the document's), or all of them (`None`):
/// `event` is the event's place among the prepared events, `claims` its list. (An event that
/// is not prepared has no claims on a document asked for: every event of the index is
/// prepared, or every event of that document.)
fn on_doc(runs: Option<&[DocRun]>, event: Option<usize>, claims: &[ClaimRef]) -> Range<usize> {
    match runs {
        None => 0..claims.len(),
        Some(runs) => event
            .and_then(|k| runs.iter().find(|r| r.event as usize == k))
            .map_or(0..0, DocRun::range),
    }
}

/// `part-exceeds-whole` and `parts-sum-mismatch` on the claims of one document (`runs`: its
/// claims in the prepared events' lists), or on every claim (`None`). For one document, only
/// the wholes it has claims of, or of a part of, are checked (found through `involved`, not
/// by walking every whole for every document).
fn parts(checker: &EventChecker, runs: Option<&[DocRun]>, out: &mut Vec<Diagnostic>) {
    let (index, config) = (checker.index, checker.config);
    let wholes: Vec<usize> = match runs {
        None => (0..checker.wholes.len()).collect(),
        Some(runs) => {
            let mut w: Vec<usize> = runs
                .iter()
                .filter_map(|r| checker.involved.get(r.event as usize))
                .flatten()
                .map(|&w| w as usize)
                .collect();
            w.sort_unstable();
            w.dedup();
            w
        }
    };
    for whole in wholes.iter().filter_map(|&w| checker.wholes.get(w)) {
        let t = whole.tolerance;
        let whole_claims = whole.claims;
        // part-exceeds-whole: a part's low bound above the whole's high bound.
        if let Some(severity) = config.severity(Code::PartExceedsWhole) {
            let lowest_high = *whole
                .lowest_high
                .get_or_init(|| lowest_high(whole_claims, t));
            for p in &whole.parts {
                for pc in &p.claims[on_doc(runs, p.event, p.claims)] {
                    if !pc.bounded() {
                        continue;
                    }
                    let part_low = pc.widened(t).0;
                    if part_low.partial_cmp(&lowest_high) != Some(Ordering::Greater) {
                        continue;
                    }
                    let over: Vec<usize> = (0..whole_claims.len())
                        .filter(|&j| {
                            let w = &whole_claims[j];
                            w.bounded() && part_low > w.widened(t).1
                        })
                        .collect();
                    let described = |j: usize| checker.described(whole.event, &whole_claims[j], j);
                    let mut message = String::with_capacity(256);
                    push_quoted(&mut message, index.text(pc));
                    message.push_str(" (");
                    message.push_str(&pc.interval());
                    message.push_str(") is a part of ");
                    message.push_str(&whole.name);
                    message.push_str(" but exceeds the whole: ");
                    let shown: Vec<Arc<str>> = over.iter().take(4).map(|&j| described(j)).collect();
                    push_listing(&mut message, shown.iter().map(|d| &**d), over.len());
                    message.push_str("; check the figures or the events' `part_of`");
                    let related =
                        checker.related(&over, |j| related_with(&whole_claims[j], described(j)));
                    out.push(with_related(
                        pc,
                        Code::PartExceedsWhole,
                        severity,
                        message,
                        related,
                    ));
                }
            }
        }
        // parts-sum-mismatch: the parts' sum cannot equal a reading of the whole.
        let (Some(severity), Some(summed)) =
            (config.severity(Code::PartsSumMismatch), &whole.summed)
        else {
            continue;
        };
        let part_sum = whole.sum.get_or_init(|| parts_sum(summed, whole_claims));
        let Some(sum) = &part_sum.sum else {
            continue;
        };
        for w in &whole_claims[on_doc(runs, whole.event, whole_claims)] {
            if !w.bounded() || agree(&w.reading(), sum, t) {
                continue;
            }
            let mut message = String::with_capacity(128 + part_sum.tail.len());
            push_quoted(&mut message, index.text(w));
            message.push_str(" (");
            message.push_str(&w.interval());
            message.push_str(") cannot be the sum of its parts (");
            message.push_str(&part_sum.tail);
            let related = checker.related(&part_sum.claims, |(p, j)| {
                let part = &summed[p];
                let c = &part.claims[j];
                related_with(c, checker.described(part.event, c, j))
            });
            out.push(with_related(
                w,
                Code::PartsSumMismatch,
                severity,
                message,
                related,
            ));
        }
    }
}

/// A running total's claims with an as-of date, by date (within a date, in corpus order), and
/// for each claim how many of them are dated before it (0 for a claim without a date). The
/// claims are sorted by the rank of their dates (as text) among the event's few, not by
/// comparing the dates' texts claim by claim.
fn by_date_of(index: &EventIndex, claims: &[ClaimRef]) -> (Vec<u32>, Vec<u32>) {
    // The dates by number, and the rank of each (by place in that list) as text.
    let mut dates: Vec<Sym> = claims.iter().filter_map(|c| c.asof).collect();
    dates.sort_unstable();
    dates.dedup();
    let mut as_text: Vec<usize> = (0..dates.len()).collect();
    as_text.sort_unstable_by(|&a, &b| index.str(dates[a]).cmp(index.str(dates[b])));
    let mut rank = vec![0u32; dates.len()];
    for (r, &d) in as_text.iter().enumerate() {
        rank[d] = r as u32;
    }
    let rank_of = |c: &ClaimRef| Some(rank[dates.binary_search(&c.asof?).ok()?]);
    let mut ranked: Vec<(u32, u32)> = (claims.iter().enumerate())
        .filter_map(|(j, c)| Some((rank_of(c)?, j as u32)))
        .collect();
    ranked.sort_unstable();
    let mut before = vec![0u32; claims.len()];
    let mut start = 0;
    for (k, &(r, j)) in ranked.iter().enumerate() {
        if k > 0 && ranked[k - 1].0 != r {
            start = k;
        }
        before[j as usize] = start as u32;
    }
    (ranked.into_iter().map(|(_, j)| j).collect(), before)
}

/// The lowest widened high bound of an event's bounded readings (infinite: none).
fn lowest_high(claims: &[ClaimRef], tolerance: f64) -> f64 {
    claims
        .iter()
        .filter(|c| c.bounded())
        .map(|c| c.widened(tolerance).1)
        .fold(f64::INFINITY, f64::min)
}

/// The sum of a whole's parts (its `parts` list): the hulls of each part's readings added up
/// (no high bound when a part has none), and every claim of the parts; the sum is `None` when
/// no part has a claim.
fn parts_sum(parts: &[Part], whole_claims: &[ClaimRef]) -> PartsSum {
    let mut low = 0.0;
    let mut high = Some(0.0);
    let mut claims: Vec<(usize, usize)> = Vec::new();
    for (k, p) in parts.iter().enumerate() {
        claims.extend((0..p.claims.len()).map(|j| (k, j)));
        match hull(p.claims) {
            Some((l, h)) => {
                low += l;
                high = high.zip(h).map(|(a, b)| a + b);
            }
            None => high = None,
        }
    }
    if claims.is_empty() {
        return PartsSum {
            sum: None,
            claims,
            tail: String::new(),
        };
    }
    let sum = Reading {
        low: Some(low),
        high,
        ..Reading::new(
            crate::figures::Qualifier::Range,
            crate::figures::Value::None,
            whole_claims
                .first()
                .map_or(crate::figures::UnitKind::Count, |w| w.kind),
            None,
        )
    };
    let names: Vec<&str> = parts.iter().map(|p| p.id).collect();
    let tail = format!(
        "{}), which add up to {}; check the figures or the events' `parts`",
        names.join(", "),
        sum.interval()
    );
    PartsSum {
        sum: Some(sum),
        claims,
        tail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::DocClaims;
    use crate::figures::{Qualifier, UnitKind, Value};

    /// A claim to index: document, offset (its span is `at * 10..at * 10 + 5`), source,
    /// interval, event and as-of date.
    struct Made {
        doc: DocId,
        at: usize,
        source: &'static str,
        low: Option<f64>,
        high: Option<f64>,
        event: &'static str,
        asof: Option<String>,
    }

    /// A claim of `e` with an interval, from a source in a document.
    fn claim(
        doc: DocId,
        at: usize,
        source: &'static str,
        low: Option<f64>,
        high: Option<f64>,
    ) -> Made {
        Made {
            doc,
            at,
            source,
            low,
            high,
            event: "e",
            asof: None,
        }
    }

    /// The claims indexed, document by document.
    fn index_of(claims: &[Made]) -> EventIndex {
        let mut docs: BTreeMap<DocId, DocClaims> = BTreeMap::new();
        for c in claims {
            let reading = Reading {
                low: c.low,
                high: c.high,
                ..Reading::new(Qualifier::Range, Value::None, UnitKind::Count, None)
            };
            docs.entry(c.doc).or_default().push_parts(
                c.event,
                c.at * 10..c.at * 10 + 5,
                &format!("{:?}..{:?}", c.low, c.high),
                &reading,
                c.source,
                c.source,
                c.asof.as_deref(),
            );
        }
        let mut index = EventIndex::new();
        for (doc, claims) in docs {
            index.insert_refs(doc, claims);
        }
        index
    }

    /// The pairwise definition the sorted search must equal: different source or article,
    /// both bounded, widened intervals apart.
    fn brute_force(claims: &[ClaimRef], i: usize, t: f64) -> usize {
        let a = &claims[i];
        claims
            .iter()
            .enumerate()
            .filter(|&(j, b)| {
                j != i
                    && (a.doc() != b.doc() || a.source_key != b.source_key)
                    && a.bounded()
                    && b.bounded()
                    && !agree(&a.reading(), &b.reading(), t)
            })
            .count()
    }

    /// A reading's bounds around `v`, chosen by `pick`: open below, open above, none, a range,
    /// or exact.
    fn bounds(v: f64, pick: u64) -> (Option<f64>, Option<f64>) {
        match pick {
            0 => (Some(v), None),
            1 => (None, Some(v)),
            2 => (None, None),
            3 => (Some(v), Some(v * 1.5)),
            _ => (Some(v), Some(v)),
        }
    }

    #[test]
    fn sorted_search_counts_what_pairwise_comparison_counts() {
        // A small deterministic generator: documents, sources, open and closed intervals.
        let mut rng = crate::test_rng::XorShift(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: u64| rng.next() % n;
        for round in 0..40 {
            let n = 1 + next(60) as usize;
            let made: Vec<Made> = (0..n)
                .map(|k| {
                    let v = [10.0, 12.0, 14.0, 20.0, 100.0][next(5) as usize];
                    let (low, high) = bounds(v, next(5));
                    let source = ["un", "sana", "ohchr"][next(3) as usize];
                    claim(next(4) as DocId, k, source, low, high)
                })
                .collect();
            let index = index_of(&made);
            let claims = index.claims("e");
            assert_eq!(claims.len(), n);
            let t = [0.0, 0.05, 0.2][round % 3];
            let d = Disagreements::new(claims, t, false);
            for i in 0..claims.len() {
                let (count, shown) = d.of(i);
                assert_eq!(
                    shown.len() + d.all(i, &shown).len(),
                    count,
                    "every reading related"
                );
                let shown: Vec<&ClaimRef> = shown.iter().map(|&j| &claims[j]).collect();
                assert_eq!(count, brute_force(claims, i, t), "round {round}, claim {i}");
                assert!(shown.len() <= MAX_RELATED.min(count));
                assert!(shown.len() == MAX_RELATED.min(count), "all shown when few");
                for b in &shown {
                    assert!(!agree(&claims[i].reading(), &b.reading(), t));
                }
            }
        }
    }

    /// The search [`Disagreements::sides`] replaced, as it was: each group's sorted claims
    /// searched through their bounds, for claim `i`.
    fn sides_searched(d: &Disagreements, i: usize) -> (Vec<u32>, Vec<u32>) {
        let g = d.group[i];
        if g == NONE {
            return (Vec::new(), Vec::new());
        }
        let (by_high, by_low) = (&d.by_high[g as usize], &d.by_low[g as usize]);
        let (lo, hi) = d.widened[i];
        let below = match by_high.first() {
            Some(&j) if d.widened[j as usize].1 < lo => {
                by_high.partition_point(|&j| d.widened[j as usize].1 < lo)
            }
            _ => 0,
        };
        let above = match by_low.last() {
            Some(&j) if d.widened[j as usize].0 > hi => {
                by_low.partition_point(|&j| d.widened[j as usize].0 <= hi)
            }
            _ => by_low.len(),
        };
        (by_high[..below].to_vec(), by_low[above..].to_vec())
    }

    /// The sides of every claim, found once when the event is prepared, are what searching
    /// the group's sorted claims for it finds, also for the bounds float comparison does not
    /// order (NaN, which a tolerance of 1 makes of an infinite bound, and -0 against 0), and
    /// in running totals' groups by date.
    #[test]
    fn sides_found_once_are_what_searching_each_claim_finds() {
        let mut rng = crate::test_rng::XorShift(0x6a09_e667_f3bc_c908);
        let mut next = |n: u64| rng.next() % n;
        let values = [
            f64::NEG_INFINITY,
            -5.0,
            -0.0,
            0.0,
            3.0,
            7.0,
            12.0,
            f64::INFINITY,
            f64::NAN,
            -f64::NAN,
        ];
        let (mut odd, mut found, mut same_order, mut other_order) = (0, 0, 0, 0);
        for round in 0..200 {
            let n = 1 + next(80) as usize;
            let made: Vec<Made> = (0..n)
                .map(|k| {
                    let v = values[next(values.len() as u64) as usize];
                    let w = values[next(values.len() as u64) as usize];
                    // Exact readings in a third of the rounds: mostly in the same order by
                    // low as by high.
                    let (low, high) = match next(6) {
                        _ if round % 3 == 0 => (Some(v), Some(v)),
                        0 => (Some(v), Some(w)),
                        pick => bounds(v, pick - 1),
                    };
                    let source = ["un", "sana"][next(2) as usize];
                    let mut c = claim(next(5) as DocId, k, source, low, high);
                    c.asof = Some(format!("2016-12-0{}", 1 + next(3)));
                    c
                })
                .collect();
            let index = index_of(&made);
            let claims = index.claims("e");
            let t = [0.0, 0.1, 1.0, 2.0][round % 4];
            let d = Disagreements::new(claims, t, round % 8 < 4);
            // Each group's members by (bound, claim), the bound in its total order.
            for g in 0..d.by_high.len() {
                let members = (0..claims.len() as u32).filter(|&i| d.group[i as usize] == g as u32);
                let by = |bound: fn((f64, f64)) -> f64| {
                    let mut m: Vec<u32> = members.clone().collect();
                    m.sort_by(|&a, &b| {
                        let (wa, wb) = (d.widened[a as usize], d.widened[b as usize]);
                        bound(wa).total_cmp(&bound(wb)).then(a.cmp(&b))
                    });
                    m
                };
                assert_eq!(d.by_high[g], by(|w| w.1));
                assert_eq!(d.by_low[g], by(|w| w.0));
                let alike = d.by_high[g] == d.by_low[g];
                (same_order, other_order) = (
                    same_order + usize::from(alike),
                    other_order + usize::from(!alike),
                );
            }
            for i in 0..claims.len() {
                let (below, above) = d.sides(i);
                let want = sides_searched(&d, i);
                assert_eq!(
                    (below.to_vec(), above.to_vec()),
                    want,
                    "round {round}, claim {i}"
                );
                let (lo, hi) = d.widened[i];
                odd += usize::from(lo.is_nan() || hi.is_nan() || lo == 0.0 || hi == 0.0);
                found += usize::from(!below.is_empty() || !above.is_empty());
            }
        }
        assert!(
            odd > 1000 && found > 300,
            "{odd} odd bounds, {found} with sides"
        );
        assert!(
            same_order > 50 && other_order > 50,
            "{same_order} {other_order}"
        );
    }

    /// A corpus of random claims of a running total `e` (with as-of dates), a whole `w` and
    /// its parts `p1` and `p2`, indexed, with its configuration.
    fn random_corpus(next: &mut impl FnMut(u64) -> u64) -> (EventIndex, Config) {
        let config = Config::parse(
            "[events.e]\ntitle = \"E\"\ncumulative = true\n\
             [events.w]\ntitle = \"W\"\nparts = [\"p1\", \"p2\"]\n\
             [events.p1]\ntitle = \"P1\"\n[events.p2]\ntitle = \"P2\"\npart_of = \"w\"\n",
        )
        .unwrap();
        let mut made = Vec::new();
        for doc in 0..1 + next(30) as DocId {
            for at in 0..next(8) as usize {
                let v = [10.0, 12.0, 14.0, 20.0, 30.0, 100.0][next(6) as usize];
                let (low, high) = bounds(v, next(6));
                let source = ["un", "sana", "ohchr"][next(3) as usize];
                let mut c = claim(doc, at, source, low, high);
                c.event = ["e", "w", "p1", "p2"][next(4) as usize];
                if next(4) > 0 {
                    c.asof = Some(format!("2016-12-{:02}", 1 + next(9)));
                }
                made.push(c);
            }
        }
        (index_of(&made), config)
    }

    /// `cumulative-decrease` and `part-exceeds-whole` (found through sorted dates and bounds)
    /// are on the claims, and relate the claims, that comparing every pair finds; a checker
    /// for the text output relates the first `MAX_RELATED` of them and counts the rest; and
    /// asking for every document gives what the whole corpus gives.
    #[test]
    fn event_checks_find_what_comparing_every_pair_finds() {
        let mut rng = crate::test_rng::XorShift(0x2545_f491_4f6c_dd1d);
        let mut next = |n: u64| rng.next() % n;
        let (mut decreases, mut exceeds, mut cut) = (0, 0, 0);
        for _ in 0..60 {
            let (index, config) = random_corpus(&mut next);
            let t = config.tolerance;
            let place = |c: &ClaimRef| (c.doc(), c.start(), c.span().end);
            type Place = (DocId, usize, usize);
            let mut want: Vec<(Code, Place, Vec<Place>)> = Vec::new();
            let e = index.claims("e");
            for a in e {
                let Some(date) = index.asof(a) else { continue };
                let earlier: Vec<_> = e
                    .iter()
                    .filter(|b| index.asof(b).is_some_and(|d| d < date))
                    .filter(|b| a.widened(t).1 < b.widened(t).0)
                    .map(place)
                    .collect();
                if !earlier.is_empty() {
                    want.push((Code::CumulativeDecrease, place(a), earlier));
                }
            }
            let w = index.claims("w");
            for p in ["p1", "p2"] {
                for pc in index.claims(p) {
                    let over: Vec<_> = w
                        .iter()
                        .filter(|w| w.bounded() && pc.bounded())
                        .filter(|w| pc.widened(t).0 > w.widened(t).1)
                        .map(place)
                        .collect();
                    if !over.is_empty() {
                        want.push((Code::PartExceedsWhole, place(pc), over));
                    }
                }
            }
            let all = event_checks(&index, &config);
            let mut got: Vec<_> = all
                .iter()
                .filter(|d| matches!(d.code, Code::CumulativeDecrease | Code::PartExceedsWhole))
                .map(|d| {
                    let related = d
                        .related
                        .iter()
                        .map(|r| (r.doc, r.span.start, r.span.end))
                        .collect();
                    (d.code, (d.doc, d.span.start, d.span.end), related)
                })
                .collect();
            want.sort();
            got.sort();
            assert_eq!(got, want);
            decreases += want
                .iter()
                .filter(|w| w.0 == Code::CumulativeDecrease)
                .count();
            exceeds += want
                .iter()
                .filter(|w| w.0 == Code::PartExceedsWhole)
                .count();
            // By document, all and shown only.
            let checker = EventChecker::new(&index, &config);
            let shown = EventChecker::new(&index, &config).shown_only();
            let docs: Vec<DocId> = {
                let mut d: Vec<DocId> = e.iter().chain(w).map(|c| c.doc()).collect();
                d.extend(
                    index
                        .claims("p1")
                        .iter()
                        .chain(index.claims("p2"))
                        .map(|c| c.doc()),
                );
                d.sort_unstable();
                d.dedup();
                d
            };
            let past = docs.last().map_or(0, |d| d + 1);
            assert!(checker.runs.of(past).is_empty());
            let mut by_doc = Vec::new();
            for doc in docs {
                let full = checker.for_doc(doc);
                let short = shown.for_doc(doc);
                // The language server's way: the document's events only, its runs searched.
                assert_eq!(event_checks_for_doc(&index, &config, doc), short);
                let alone = DocRuns::of_doc(&checker.events, doc);
                assert_eq!(checker.runs.of(doc), alone.of(doc));
                assert!(alone.of(doc + 1).is_empty() && alone.of(doc.wrapping_sub(1)).is_empty());
                assert_eq!(full.len(), short.len());
                for (f, s) in full.iter().zip(&short) {
                    let kept = f.related.len().min(MAX_RELATED);
                    assert_eq!(s.related, f.related[..kept], "{}", f.message);
                    assert_eq!(s.more_related, f.related.len() - kept + f.more_related);
                    assert_eq!((&s.message, &s.span, s.code), (&f.message, &f.span, f.code));
                    cut += usize::from(kept < f.related.len());
                }
                by_doc.extend(full);
            }
            let key = |d: &Diagnostic| (d.doc, d.span.start, d.code, d.message.clone());
            let mut all = all;
            all.sort_by_key(key);
            by_doc.sort_by_key(key);
            assert_eq!(by_doc, all);
        }
        assert!(
            decreases > 50 && exceeds > 50,
            "{decreases} decreases, {exceeds} exceeds"
        );
        assert!(cut > 20, "few related lists were cut ({cut})");
    }

    /// A claim is marked as disagreed exactly when readings of its group are wholly below or
    /// above it (which every claim with a conflict has), and as below an earlier reading
    /// exactly when a reading dated before it is above it: the checks pass over the others.
    #[test]
    fn claims_are_marked_exactly_when_they_have_something_to_check() {
        let mut rng = crate::test_rng::XorShift(0x3c6e_f372_fe94_f82b);
        let mut next = |n: u64| rng.next() % n;
        let (mut disagreed, mut below, mut neither) = (0, 0, 0);
        for _ in 0..60 {
            let (index, config) = random_corpus(&mut next);
            let checker = EventChecker::new(&index, &config);
            for e in &checker.events {
                let r = e.ready();
                for i in 0..e.claims.len() {
                    let (lower, higher) = r.readings.sides(i);
                    let sides = !lower.is_empty() || !higher.is_empty();
                    assert_eq!(r.marks[i] & DISAGREED != 0, sides);
                    assert!(r.readings.of(i).0 == 0 || sides);
                    let earlier = !r.earlier_above(i).is_empty();
                    assert_eq!(r.marks[i] & BELOW_EARLIER != 0, earlier, "{}", e.id);
                    disagreed += usize::from(sides);
                    below += usize::from(earlier);
                    neither += usize::from(r.marks[i] == 0);
                }
            }
        }
        assert!(
            disagreed > 200 && below > 50 && neither > 200,
            "{disagreed} {below} {neither}"
        );
    }

    /// Events are prepared when first checked, by whichever thread asks: a checker asked for
    /// its documents from two threads at once, in opposite orders, gives what a new checker
    /// asked in order on one thread gives.
    #[test]
    fn a_checker_asked_from_several_threads_gives_what_one_thread_gives() {
        let mut rng = crate::test_rng::XorShift(0xbb67_ae85_84ca_a73b);
        let mut next = |n: u64| rng.next() % n;
        for _ in 0..20 {
            let (index, config) = random_corpus(&mut next);
            let docs: Vec<DocId> = (0..32).collect();
            let alone = EventChecker::new(&index, &config);
            let want: Vec<Vec<Diagnostic>> = docs.iter().map(|&d| alone.for_doc(d)).collect();
            let shared = EventChecker::new(&index, &config);
            let (forward, backward) = std::thread::scope(|s| {
                let f = s.spawn(|| docs.iter().map(|&d| shared.for_doc(d)).collect::<Vec<_>>());
                let mut b: Vec<_> = docs.iter().rev().map(|&d| shared.for_doc(d)).collect();
                b.reverse();
                (f.join().unwrap(), b)
            });
            assert_eq!(forward, want);
            assert_eq!(backward, want);
        }
    }

    /// A running total's claims by date, and how many are dated before each, are what
    /// comparing the dates' texts gives (the dates are numbered in the order first seen, not
    /// in date order).
    #[test]
    fn claims_by_date_are_in_the_order_of_their_dates_texts() {
        let mut rng = crate::test_rng::XorShift(0x1234_5678_9abc_def1);
        let mut next = |n: u64| rng.next() % n;
        let mut before_some = 0;
        for _ in 0..40 {
            let (index, _) = random_corpus(&mut next);
            let claims = index.claims("e");
            let (by_date, before) = by_date_of(&index, claims);
            let dated: Vec<usize> = (0..claims.len())
                .filter(|&j| claims[j].asof.is_some())
                .collect();
            let mut got: Vec<usize> = by_date.iter().map(|&j| j as usize).collect();
            let dates: Vec<&str> = got
                .iter()
                .map(|&j| index.asof(&claims[j]).unwrap())
                .collect();
            assert!(dates.is_sorted(), "{dates:?}");
            got.sort_unstable();
            assert_eq!(got, dated);
            for &i in &dated {
                let date = index.asof(&claims[i]);
                let want = dated
                    .iter()
                    .filter(|&&j| index.asof(&claims[j]) < date)
                    .count();
                assert_eq!(before[i] as usize, want);
                before_some += usize::from(want > 0);
            }
        }
        assert!(before_some > 100, "{before_some}");
    }

    #[test]
    fn a_contested_event_shows_a_capped_set_of_the_nearest_different_readings() {
        // One outlier (10) against 30 readings of 14 from three sources and 5 readings of 40.
        let mut made = vec![claim(0, 0, "outlier", Some(10.0), Some(10.0))];
        for k in 0..30 {
            let s = ["un", "sana", "ohchr"][k % 3];
            made.push(claim(1 + k as DocId, 1, s, Some(14.0), Some(14.0)));
        }
        for k in 0..5 {
            made.push(claim(40 + k, 1, "wire", Some(40.0), Some(40.0)));
        }
        let index = index_of(&made);
        let claims = index.claims("e");
        let d = Disagreements::new(claims, 0.0, false);
        let (count, shown) = d.of(0);
        let shown: Vec<&ClaimRef> = shown.iter().map(|&j| &claims[j]).collect();
        assert_eq!(count, 35);
        assert_eq!(shown.len(), MAX_RELATED);
        // The nearest distinct readings come first: every source of 14 once, and 40.
        let mut labels: Vec<&str> = shown.iter().map(|c| index.label(c)).collect();
        labels.dedup();
        for s in ["un", "sana", "ohchr"] {
            assert!(labels.contains(&s), "{s} missing from {labels:?}");
        }
        assert!(shown.iter().any(|c| c.low() == Some(40.0)));
        // Shown in corpus order.
        assert!(shown.windows(2).all(|w| w[0].doc() <= w[1].doc()));
    }
}
