//! Event title words as bitsets over events, for scoring event suggestions without walking
//! long postings.
//!
//! A word found in many event titles ("people", "civilians", "incident") has a posting list
//! as long as a good share of the events, and a figure's sentence holds several such words:
//! adding them up one event at a time costs thousands of steps per figure. Here those words
//! are bitsets, and the scores of every event are kept bit-sliced (bit `k` of every event's
//! score in plane `k`): adding a word to all its events is a few word-wide operations per 64
//! events, and the best three events are found by descending the planes, not by sorting.

use crate::figures::UnitKind;

/// The bitset form of a configuration's event titles (built with its lookups). An event's bit
/// is at its place in the order of event ids (its rank), so that among equal scores the lowest
/// bits are the first events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TitleBits {
    /// The number of events the sets are over.
    pub events: usize,
    /// `u64` words per set.
    words: usize,
    /// Planes a score needs: the largest score is the longest title's word count plus 12 (the
    /// counted-noun bonus of 2 and the repeat bonus of 10).
    pub planes: usize,
    /// Each event's bit (its rank), and the event at each bit.
    bit_of: Vec<u32>,
    event_at: Vec<u32>,
    /// By title word number ([`crate::corpus::Config::title_word`]), for a word in many
    /// titles: its sets by multiplicity (`[m]` holds the events whose title has the word at
    /// least `m + 1` times); empty for the other words.
    dense: Vec<Vec<Vec<u64>>>,
    /// The events whose unit can hold a figure of each kind (`UnitKind` order).
    unit_ok: [Vec<u64>; 4],
    /// The quick test of the title words.
    filter: TitleWordFilter,
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

impl TitleBits {
    /// Sets for the words whose postings cover at least one event in 64 (below that a
    /// posting list is shorter than a set), from the events' units, title word counts, ranks
    /// (a permutation of the events) and postings (by word number: (event, times)); and the
    /// quick test of every title word (`title_words`, all the events' together).
    pub fn new<'w>(
        title_words: impl IntoIterator<Item = &'w str>,
        units: &[Option<&str>],
        title_lengths: &[usize],
        ranks: &[u32],
        postings: &[Vec<(usize, usize)>],
    ) -> TitleBits {
        let events = units.len();
        let words = events.div_ceil(64);
        let longest = title_lengths.iter().copied().max().unwrap_or(0);
        let planes = (usize::BITS - (longest + 12).leading_zeros()) as usize;
        let bit_of: Vec<u32> = (0..events)
            .map(|e| ranks.get(e).copied().unwrap_or(e as u32))
            .collect();
        let mut event_at = vec![0u32; events];
        for (e, &b) in bit_of.iter().enumerate() {
            event_at[b as usize] = e as u32;
        }
        let set_bit = |set: &mut [u64], e: usize| {
            let b = bit_of[e] as usize;
            set[b / 64] |= 1 << (b % 64);
        };
        let dense = postings
            .iter()
            .map(|list| {
                if list.len() * 64 < events {
                    return Vec::new();
                }
                let most = list.iter().map(|&(_, n)| n).max().unwrap_or(0);
                let mut levels = vec![vec![0u64; words]; most];
                for &(e, n) in list {
                    for level in levels.iter_mut().take(n) {
                        set_bit(level, e);
                    }
                }
                levels
            })
            .collect();
        let unit_ok = [
            UnitKind::Count,
            UnitKind::Percent,
            UnitKind::Fraction,
            UnitKind::Money,
        ]
        .map(|k| {
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
            bit_of,
            event_at,
            dense,
            unit_ok,
            filter: TitleWordFilter::new(title_words),
        }
    }

    /// The sets of a word in many titles (by its number, [`crate::corpus::Config::title_word`]),
    /// by multiplicity; `None` for other words.
    pub fn dense(&self, word: u32) -> Option<&[Vec<u64>]> {
        self.dense
            .get(word as usize)
            .filter(|levels| !levels.is_empty())
            .map(Vec::as_slice)
    }

    /// Zeroed score planes for one figure (`planes * words` words, plane by plane), and room
    /// for [`Scores::best`]'s candidates (`words` more).
    pub fn scores<'s>(&'s self, buf: &'s mut Vec<u64>) -> Scores<'s> {
        buf.clear();
        buf.resize((self.planes + 1) * self.words, 0);
        let (planes, cand) = buf.split_at_mut(self.planes * self.words);
        Scores {
            planes,
            cand,
            words: self.words,
            bits: self,
        }
    }

    /// The quick test of the title words.
    pub fn word_filter(&self) -> &TitleWordFilter {
        &self.filter
    }

    /// The events whose unit fits a figure of kind `kind`.
    pub fn unit_ok(&self, kind: UnitKind) -> &[u64] {
        &self.unit_ok[kind_index(kind)]
    }
}

/// Every event's score, bit-sliced.
pub struct Scores<'s> {
    planes: &'s mut [u64],
    /// Scratch for the candidates of [`Scores::best`].
    cand: &'s mut [u64],
    words: usize,
    bits: &'s TitleBits,
}

impl Scores<'_> {
    fn plane_count(&self) -> usize {
        self.planes.len() / self.words.max(1)
    }

    /// Add `2^from` to the score of every event in `set`.
    pub fn add_set(&mut self, set: &[u64], from: usize) {
        let (words, planes) = (self.words, self.plane_count());
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

    /// Add `n` to the score of event `e`.
    pub fn add(&mut self, e: usize, n: usize) {
        let b = self.bits.bit_of[e] as usize;
        let total = self.score_at(b) as usize + n;
        let (w, bit) = (b / 64, 1u64 << (b % 64));
        for k in 0..self.plane_count() {
            let p = &mut self.planes[k * self.words + w];
            if total >> k & 1 == 1 {
                *p |= bit;
            } else {
                *p &= !bit;
            }
        }
    }

    /// The score of event `e`.
    pub fn score(&self, e: usize) -> u32 {
        self.score_at(self.bits.bit_of[e] as usize)
    }

    /// The score at bit `b`.
    fn score_at(&self, b: usize) -> u32 {
        let (w, bit) = (b / 64, b % 64);
        (0..self.plane_count())
            .map(|k| ((self.planes[k * self.words + w] >> bit & 1) as u32) << k)
            .sum()
    }

    /// The events among `allowed` scoring 3 or more: the best `most` by score, ties to the
    /// first by id, best first, with their scores, written over `winners`.
    pub fn best(&mut self, allowed: &[u64], most: usize, winners: &mut Vec<(u32, usize)>) {
        winners.clear();
        let (words, planes) = (self.words, self.plane_count());
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
        if any == 0 || most == 0 {
            return;
        }
        // From the top plane down: the candidates with this bit set all outscore those
        // without it; keep them aside when there are fewer than needed, else look no further.
        // The winners are (score, bit) pairs, scored once all are found.
        let mut need = most;
        for k in (0..planes).rev() {
            let p = plane(k);
            // For one more winner, whether any candidate has the bit is enough: with none,
            // none is set aside.
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
                // (With none, there is nothing to set aside.)
                for (w, (c, b)) in cand.iter_mut().zip(p).enumerate() {
                    push_bits(winners, w, *c & b, usize::MAX);
                    *c &= !b;
                }
                need -= with;
            }
            if need == 0 {
                break;
            }
        }
        // What is left ties on every bit: the lowest bits, the first by id.
        for (w, &c) in cand.iter().enumerate() {
            if need == 0 {
                break;
            }
            need -= push_bits(winners, w, c, need);
        }
        for (score, b) in winners.iter_mut() {
            *score = self.score_at(*b);
        }
        if winners.len() > 1 {
            winners.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        }
        for (_, b) in winners.iter_mut() {
            *b = self.bits.event_at[*b] as usize;
        }
    }
}

/// Push the positions of the set bits of word `w` of a set (with a score of 0 for now), the
/// lowest first, at most `most` of them; how many were pushed.
fn push_bits(out: &mut Vec<(u32, usize)>, w: usize, mut bits: u64, most: usize) -> usize {
    let mut pushed = 0;
    while bits != 0 && pushed < most {
        out.push((0, w * 64 + bits.trailing_zeros() as usize));
        bits &= bits - 1;
        pushed += 1;
    }
    pushed
}
