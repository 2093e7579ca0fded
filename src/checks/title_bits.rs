//! Event title words as bitsets over classes of events, for scoring event suggestions without
//! walking long postings or every event.
//!
//! A word found in many event titles ("people", "civilians", "incident") has a posting list
//! as long as a good share of the events, and a figure's sentence holds several such words:
//! adding them up one event at a time costs thousands of steps per figure. Here those words
//! are bitsets, and the scores are kept bit-sliced (bit `k` of every score in plane `k`):
//! adding a word to all its events is a few word-wide operations per 64 bits, and the best
//! scores are found by descending the planes, not by sorting.
//!
//! The bits are not events but classes of events: the events with the same words in many
//! titles (each as many times) and the same units of figures they can hold share one bit,
//! since those words give them one score. Configurations with thousands of events made from a
//! few kinds of titles and places have a few hundred classes, so the sets are that much
//! shorter. What the other words (in few titles) and the repeats of linked figures add is
//! kept event by event beside the class scores, for the few events they touch.

use crate::corpus::FastMap;
use crate::figures::UnitKind;

/// The bitset form of a configuration's event titles (built with its lookups). A class's bit
/// is its place in the order of the classes' first events by id, so that among classes of
/// equal score the lowest bits hold the first events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TitleBits {
    /// The number of events.
    pub events: usize,
    /// `u64` words per set (of classes).
    words: usize,
    /// Planes a class score needs: the largest is the longest title's word count plus 2 (the
    /// counted-noun bonus).
    planes: usize,
    /// Each event's place in the order of event ids (its rank).
    rank: Vec<u32>,
    /// Each event's class.
    class_of: Vec<u32>,
    /// The events of each class by rank: those of class `c` are
    /// `members[starts[c]..starts[c + 1]]`.
    members: Vec<u32>,
    starts: Vec<u32>,
    /// By title word number ([`crate::corpus::Config::title_word`]), for a word in many
    /// titles: its sets of classes by multiplicity (`[m]` holds the classes whose titles have
    /// the word at least `m + 1` times); empty for the other words.
    dense: Vec<Vec<Vec<u64>>>,
    /// The classes whose unit can hold a figure of each kind (`UnitKind` order).
    unit_ok: [Vec<u64>; 4],
    /// The quick test of the title words.
    filter: TitleWordFilter,
}

/// The buffers of [`Scores`], kept from figure to figure.
#[derive(Debug, Default)]
pub struct ScoreBufs {
    /// The score planes and the candidates of [`Scores::best`].
    planes: Vec<u64>,
    /// What events score beyond their classes: (event, score), an event perhaps more than
    /// once (a figure's words in few titles and its repeats touch few events).
    extra: Vec<(u32, u32)>,
}

/// A quick test of whether a word may be a title word: one bit per length, first byte and
/// last byte of the title words, so that most words of a sentence are passed over without
/// being lowercased and hashed. Never says no to a title word.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TitleWordFilter {
    bits: Vec<u64>,
}

impl TitleWordFilter {
    /// The test of the given words (normalised content words, as [`crate::checks::suggest`]
    /// reads them).
    pub fn new<'w>(words: impl IntoIterator<Item = &'w str>) -> TitleWordFilter {
        let mut bits = vec![0u64; (1 << 14) / 64];
        for w in words {
            let b = w.as_bytes();
            let k = Self::key(b.len(), b.first().copied(), b.last().copied());
            bits[k / 64] |= 1 << (k % 64);
        }
        TitleWordFilter { bits }
    }

    fn key(len: usize, first: Option<u8>, last: Option<u8>) -> usize {
        let (f, l) = (first.unwrap_or(0) as usize, last.unwrap_or(0) as usize);
        (len.min(15) << 10) | ((f & 31) << 5) | (l & 31)
    }

    /// Whether a word of `len` bytes, first byte `first` and last byte `last` (`None` when
    /// empty) may be a title word.
    pub fn may_hold(&self, len: usize, first: Option<u8>, last: Option<u8>) -> bool {
        let k = Self::key(len, first, last);
        self.bits
            .get(k / 64)
            .is_some_and(|w| w & (1 << (k % 64)) != 0)
    }
}

/// The kinds of figures, in `UnitKind` order.
const KINDS: [UnitKind; 4] = [
    UnitKind::Count,
    UnitKind::Percent,
    UnitKind::Fraction,
    UnitKind::Money,
];

fn kind_index(k: UnitKind) -> usize {
    match k {
        UnitKind::Count => 0,
        UnitKind::Percent => 1,
        UnitKind::Fraction => 2,
        UnitKind::Money => 3,
    }
}

/// Whether an event of unit `unit` can be suggested for a figure of kind `kind`.
pub fn unit_ok(kind: UnitKind, unit: Option<&str>) -> bool {
    match (kind, unit) {
        (UnitKind::Percent, Some(u)) => u == "percent",
        (UnitKind::Fraction, Some(u)) => u == "fraction" || u == "percent",
        (UnitKind::Money, Some(u)) => u == "money",
        (UnitKind::Count, Some(u)) => !matches!(u, "percent" | "fraction" | "money"),
        (_, None) => true,
    }
}

/// An event's class key: its words in many titles (by number, ascending) with how many times
/// each, and the kinds of figures its unit can hold (bit `i` for `KINDS[i]`).
type ClassKey = (Vec<(u32, u32)>, u8);

impl TitleBits {
    /// Sets for the words whose postings cover at least one event in 64 (below that a
    /// posting list is shorter than a set of events), over the classes of events that those
    /// words and their units do not tell apart; from the events' units, title word counts,
    /// ranks (a permutation of the events) and postings (by word number: (event, times)); and
    /// the quick test of every title word (`title_words`, all the events' together).
    pub fn new<'w>(
        title_words: impl IntoIterator<Item = &'w str>,
        units: &[Option<&str>],
        title_lengths: &[usize],
        ranks: &[u32],
        postings: &[Vec<(usize, usize)>],
    ) -> TitleBits {
        let events = units.len();
        let rank: Vec<u32> = (0..events)
            .map(|e| ranks.get(e).copied().unwrap_or(e as u32))
            .collect();
        let is_dense = |list: &[(usize, usize)]| !list.is_empty() && list.len() * 64 >= events;
        let mut keys: Vec<ClassKey> = units
            .iter()
            .map(|&u| {
                let kinds = KINDS
                    .iter()
                    .enumerate()
                    .fold(0, |m, (i, &k)| m | u8::from(unit_ok(k, u)) << i);
                (Vec::new(), kinds)
            })
            .collect();
        for (w, list) in postings.iter().enumerate() {
            if is_dense(list) {
                for &(e, n) in list {
                    if let Some(key) = keys.get_mut(e) {
                        key.0.push((w as u32, n as u32));
                    }
                }
            }
        }
        let (class_of, members, starts) = classes(&keys, &rank);
        let classes = starts.len().saturating_sub(1);
        let words = classes.div_ceil(64);
        let longest = title_lengths.iter().copied().max().unwrap_or(0);
        let planes = (usize::BITS - (longest + 2).leading_zeros()) as usize;
        let set_bit = |set: &mut [u64], e: usize| {
            let c = class_of[e] as usize;
            set[c / 64] |= 1 << (c % 64);
        };
        let dense = postings
            .iter()
            .map(|list| {
                if !is_dense(list) {
                    return Vec::new();
                }
                let most = list.iter().map(|&(_, n)| n).max().unwrap_or(0);
                let mut levels = vec![vec![0u64; words]; most];
                for &(e, n) in list.iter().filter(|&&(e, _)| e < events) {
                    for level in levels.iter_mut().take(n) {
                        set_bit(level, e);
                    }
                }
                levels
            })
            .collect();
        let unit_ok = KINDS.map(|k| {
            let mut set = vec![0u64; words];
            for (e, u) in units.iter().enumerate() {
                if unit_ok(k, *u) {
                    set_bit(&mut set, e);
                }
            }
            set
        });
        TitleBits {
            events,
            words,
            planes,
            rank,
            class_of,
            members,
            starts,
            dense,
            unit_ok,
            filter: TitleWordFilter::new(title_words),
        }
    }

    /// The sets of classes of a word in many titles (by its number,
    /// [`crate::corpus::Config::title_word`]), by multiplicity; `None` for other words.
    pub fn dense(&self, word: u32) -> Option<&[Vec<u64>]> {
        self.dense
            .get(word as usize)
            .filter(|levels| !levels.is_empty())
            .map(Vec::as_slice)
    }

    /// Zeroed scores for one figure, in `bufs`.
    pub fn scores<'s>(&'s self, bufs: &'s mut ScoreBufs) -> Scores<'s> {
        let ScoreBufs { planes, extra } = bufs;
        extra.clear();
        planes.clear();
        planes.resize((self.planes + 1) * self.words, 0);
        let (planes, cand) = planes.split_at_mut(self.planes * self.words);
        Scores {
            planes,
            cand,
            extra,
            bits: self,
        }
    }

    /// The quick test of the title words.
    pub fn word_filter(&self) -> &TitleWordFilter {
        &self.filter
    }

    /// The classes whose unit fits a figure of kind `kind`.
    pub fn unit_ok(&self, kind: UnitKind) -> &[u64] {
        &self.unit_ok[kind_index(kind)]
    }

    /// The events of class `c`, by rank.
    fn members(&self, c: usize) -> &[u32] {
        let at = |i: usize| self.starts.get(i).map_or(0, |&s| s as usize);
        self.members.get(at(c)..at(c + 1)).unwrap_or(&[])
    }
}

/// The classes of the events with equal keys, numbered in the order of their first events by
/// rank: each event's class, and the events of every class by rank (class `c`'s are
/// `members[starts[c]..starts[c + 1]]`).
fn classes(keys: &[ClassKey], rank: &[u32]) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let mut by_rank: Vec<usize> = (0..keys.len()).collect();
    by_rank.sort_unstable_by_key(|&e| (rank[e], e));
    let mut numbers: FastMap<&ClassKey, u32> = FastMap::default();
    let mut class_of = vec![0u32; keys.len()];
    let mut starts: Vec<u32> = Vec::new();
    for &e in &by_rank {
        let next = starts.len() as u32;
        let c = *numbers.entry(&keys[e]).or_insert(next);
        if c == next {
            starts.push(0);
        }
        starts[c as usize] += 1;
        class_of[e] = c;
    }
    // Sizes to starts, then each class's events in rank order.
    let mut at = 0;
    for s in starts.iter_mut() {
        (*s, at) = (at, at + *s);
    }
    starts.push(at);
    let mut fill = starts.clone();
    let mut members = vec![0u32; keys.len()];
    for &e in &by_rank {
        let slot = &mut fill[class_of[e] as usize];
        members[*slot as usize] = e as u32;
        *slot += 1;
    }
    (class_of, members, starts)
}

/// Every class's score, bit-sliced, and what each event scores beyond its class.
pub struct Scores<'s> {
    planes: &'s mut [u64],
    /// Scratch for the candidates of [`Scores::best`].
    cand: &'s mut [u64],
    extra: &'s mut Vec<(u32, u32)>,
    bits: &'s TitleBits,
}

impl Scores<'_> {
    /// Add `2^from` to the score of every class in `set`.
    pub fn add_set(&mut self, set: &[u64], from: usize) {
        let (words, planes) = (self.bits.words, self.bits.planes);
        for (w, &bits) in set.iter().enumerate() {
            let mut carry = bits;
            let mut k = from;
            while carry != 0 && k < planes {
                let p = &mut self.planes[k * words + w];
                let sum = *p ^ carry;
                carry &= *p;
                *p = sum;
                k += 1;
            }
        }
    }

    /// Add `n` to the score of event `e` (not to its class).
    pub fn add(&mut self, e: usize, n: usize) {
        if e < self.bits.events && n > 0 {
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            self.extra.push((e as u32, n));
        }
    }

    /// The score of class `c`.
    fn class_score(&self, c: usize) -> u32 {
        class_score(self.planes, self.bits.words, c)
    }

    /// The events of classes among `allowed` scoring 3 or more: the best `most` by score, ties
    /// to the first by id, best first, with their scores, written over `winners`.
    pub fn best(&mut self, allowed: &[u64], most: usize, winners: &mut Vec<(u32, usize)>) {
        winners.clear();
        if most == 0 {
            return;
        }
        // The events scoring more than their classes, each once, by event.
        let extra = &mut *self.extra;
        extra.sort_unstable_by_key(|&(e, _)| e);
        extra.dedup_by(|(e, n), (first, sum)| {
            let same = e == first;
            if same {
                *sum = sum.saturating_add(*n);
            }
            same
        });
        for &(e, n) in self.extra.iter() {
            let c = self.bits.class_of[e as usize] as usize;
            if has(allowed, c) {
                let score = self.class_score(c).saturating_add(n);
                if score >= 3 {
                    winners.push((score, e as usize));
                }
            }
        }
        self.best_classes(allowed, most, winners);
        let rank = &self.bits.rank;
        let order =
            |x: &(u32, usize), y: &(u32, usize)| y.0.cmp(&x.0).then(rank[x.1].cmp(&rank[y.1]));
        if winners.len() > most {
            winners.select_nth_unstable_by(most - 1, order);
            winners.truncate(most);
        }
        winners.sort_unstable_by(order);
    }

    /// Push the events scoring just their class's score that may be among the best `most`:
    /// the first `most` events by rank without an extra score of each class among `allowed`
    /// scoring 3 or more that may hold one: the best classes, and those tied with the last
    /// of them as long as their first events come before the `most`-th of those pushed.
    fn best_classes(&mut self, allowed: &[u64], most: usize, winners: &mut Vec<(u32, usize)>) {
        let (words, planes) = (self.bits.words, self.bits.planes);
        let all = &*self.planes;
        let plane = |k: usize| &all[k * words..(k + 1) * words];
        // Scores of 3 or more: bit 0 and bit 1 both set, or any bit from 2 up.
        let cand = &mut *self.cand;
        let mut any = 0;
        for (w, c) in cand.iter_mut().enumerate() {
            let mut high = 0;
            for k in 2..planes {
                high |= plane(k)[w];
            }
            let low = if planes >= 2 {
                plane(0)[w] & plane(1)[w]
            } else {
                0
            };
            *c = (high | low) & allowed.get(w).copied().unwrap_or(0);
            any |= *c;
        }
        if any == 0 {
            return;
        }
        let extra = &*self.extra;
        let bits = self.bits;
        let push = |c: usize, winners: &mut Vec<(u32, usize)>| {
            let score = class_score(all, words, c);
            let untouched = bits
                .members(c)
                .iter()
                .filter(|&&e| extra.binary_search_by_key(&e, |&(x, _)| x).is_err());
            winners.extend(untouched.take(most).map(|&e| (score, e as usize)));
        };
        // From the top plane down: the classes with this bit set all outscore those without
        // it; push them when there are fewer than needed, else look no further.
        let mut need = most;
        for k in (0..planes).rev() {
            let p = plane(k);
            // For one more class, whether any candidate has the bit is enough.
            let with: usize = if need == 1 {
                usize::from(cand.iter().zip(p).any(|(c, b)| c & b != 0))
            } else {
                cand.iter()
                    .zip(p)
                    .map(|(c, b)| (c & b).count_ones() as usize)
                    .sum()
            };
            if with >= need {
                for (c, b) in cand.iter_mut().zip(p) {
                    *c &= b;
                }
            } else if with > 0 {
                for (w, (c, b)) in cand.iter_mut().zip(p).enumerate() {
                    each_bit(w, *c & b, |class| push(class, winners));
                    *c &= !b;
                }
                need -= with;
            }
        }
        // What is left ties on every bit. The classes come in the order of their first
        // events: once `most` of the events pushed from them come before the next class's
        // first event, no event of that class or a later one can be among the best.
        let from = winners.len();
        let rank = &bits.rank;
        for (w, &c) in cand.iter().enumerate() {
            let mut left = c;
            while left != 0 {
                let class = w * 64 + left.trailing_zeros() as usize;
                left &= left - 1;
                let first = bits.members(class).first().map_or(0, |&e| rank[e as usize]);
                let before = winners[from..]
                    .iter()
                    .filter(|&&(_, e)| rank[e] < first)
                    .count();
                if before >= most {
                    return;
                }
                push(class, winners);
            }
        }
    }
}

/// Whether bit `b` of a set is set.
fn has(set: &[u64], b: usize) -> bool {
    set.get(b / 64).is_some_and(|w| w >> (b % 64) & 1 == 1)
}

/// The score at bit `b` of bit-sliced planes of `words` words each.
fn class_score(planes: &[u64], words: usize, b: usize) -> u32 {
    let (w, bit) = (b / 64, b % 64);
    planes
        .chunks_exact(words.max(1))
        .enumerate()
        .map(|(k, p)| ((p[w] >> bit & 1) as u32) << k)
        .sum()
}

/// Call `f` with the position of each set bit of word `w` of a set, the lowest first.
fn each_bit(w: usize, mut bits: u64, mut f: impl FnMut(usize)) {
    while bits != 0 {
        f(w * 64 + bits.trailing_zeros() as usize);
        bits &= bits - 1;
    }
}
