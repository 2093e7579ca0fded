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

/// The bitset form of a configuration's event titles (built with its lookups).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TitleBits {
    /// The number of events the sets are over.
    pub events: usize,
    /// `u64` words per set.
    words: usize,
    /// Planes a score needs: the largest score is the longest title's word count plus 12 (the
    /// counted-noun bonus of 2 and the repeat bonus of 10).
    pub planes: usize,
    /// For a word in many titles: its sets by multiplicity (`[m]` holds the events whose title
    /// has the word at least `m + 1` times).
    dense: std::collections::HashMap<String, Vec<Vec<u64>>>,
    /// The events whose unit can hold a figure of each kind (`UnitKind` order).
    unit_ok: [Vec<u64>; 4],
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
    /// posting list is shorter than a set), from the events' units, title word counts and
    /// postings (word → (event, times)).
    pub fn new<'a>(
        units: &[Option<&str>],
        title_lengths: &[usize],
        postings: impl Iterator<Item = (&'a String, &'a Vec<(usize, usize)>)>,
    ) -> TitleBits {
        let events = units.len();
        let words = events.div_ceil(64);
        let longest = title_lengths.iter().copied().max().unwrap_or(0);
        let planes = (usize::BITS - (longest + 12).leading_zeros()) as usize;
        let mut dense = std::collections::HashMap::new();
        for (w, list) in postings {
            if list.len() * 64 < events {
                continue;
            }
            let most = list.iter().map(|&(_, n)| n).max().unwrap_or(0);
            let mut levels = vec![vec![0u64; words]; most];
            for &(e, n) in list {
                for level in levels.iter_mut().take(n) {
                    level[e / 64] |= 1 << (e % 64);
                }
            }
            dense.insert(w.clone(), levels);
        }
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
                    set[e / 64] |= 1 << (e % 64);
                }
            }
            set
        });
        TitleBits {
            events,
            words,
            planes,
            dense,
            unit_ok,
        }
    }

    /// The sets of a word in many titles, by multiplicity; `None` for other words.
    pub fn dense(&self, word: &str) -> Option<&[Vec<u64>]> {
        self.dense.get(word).map(Vec::as_slice)
    }

    /// Zeroed score planes for one figure (`planes * words` words, plane by plane).
    pub fn scores<'s>(&self, buf: &'s mut Vec<u64>) -> Scores<'s> {
        buf.clear();
        buf.resize(self.planes * self.words, 0);
        Scores {
            planes: buf,
            words: self.words,
        }
    }

    /// The events whose unit fits a figure of kind `kind`.
    pub fn unit_ok(&self, kind: UnitKind) -> &[u64] {
        &self.unit_ok[kind_index(kind)]
    }
}

/// Every event's score, bit-sliced.
pub struct Scores<'s> {
    planes: &'s mut Vec<u64>,
    words: usize,
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
        let total = self.score(e) as usize + n;
        let (w, bit) = (e / 64, 1u64 << (e % 64));
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
        let (w, bit) = (e / 64, e % 64);
        (0..self.plane_count())
            .map(|k| ((self.planes[k * self.words + w] >> bit & 1) as u32) << k)
            .sum()
    }

    /// The events among `allowed` scoring 3 or more: the best three by score, ties to the
    /// lowest `rank`, best first, with their scores.
    pub fn best_three(&self, allowed: &[u64], rank: impl Fn(usize) -> u32) -> Vec<(u32, usize)> {
        let (words, planes) = (self.words, self.plane_count());
        let plane = |k: usize| &self.planes[k * words..(k + 1) * words];
        // Scores of 3 or more: bit 0 and bit 1 both set, or any bit from 2 up.
        let mut cand: Vec<u64> = (0..words)
            .map(|w| {
                let mut high = 0;
                for k in 2..planes {
                    high |= plane(k)[w];
                }
                let low = if planes >= 2 {
                    plane(0)[w] & plane(1)[w]
                } else {
                    0
                };
                (high | low) & allowed.get(w).copied().unwrap_or(0)
            })
            .collect();
        // From the top plane down: the candidates with this bit set all outscore those
        // without it; keep them aside when there are fewer than needed, else look no further.
        let mut need = 3usize;
        let mut winners: Vec<usize> = Vec::new();
        for k in (0..planes).rev() {
            let p = plane(k);
            let with: usize = cand
                .iter()
                .zip(p)
                .map(|(c, b)| (c & b).count_ones() as usize)
                .sum();
            if with >= need {
                for (c, b) in cand.iter_mut().zip(p) {
                    *c &= b;
                }
            } else {
                for (w, (c, b)) in cand.iter_mut().zip(p).enumerate() {
                    push_bits(&mut winners, w, *c & b);
                    *c &= !b;
                }
                need -= with;
            }
            if need == 0 {
                break;
            }
        }
        if need > 0 {
            // What is left ties on every bit: the lowest ranks.
            let mut tied = Vec::new();
            for (w, &c) in cand.iter().enumerate() {
                push_bits(&mut tied, w, c);
            }
            if tied.len() > need {
                tied.select_nth_unstable_by_key(need - 1, |&e| rank(e));
                tied.truncate(need);
            }
            winners.extend(tied);
        }
        let mut out: Vec<(u32, usize)> = winners.into_iter().map(|e| (self.score(e), e)).collect();
        out.sort_by(|x, y| y.0.cmp(&x.0).then_with(|| rank(x.1).cmp(&rank(y.1))));
        out
    }
}

fn push_bits(out: &mut Vec<usize>, w: usize, mut bits: u64) {
    while bits != 0 {
        out.push(w * 64 + bits.trailing_zeros() as usize);
        bits &= bits - 1;
    }
}
