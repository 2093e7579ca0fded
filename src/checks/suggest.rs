//! Suggesting events for a figure that is not linked to one.

use std::cell::RefCell;

use super::title_bits::{unit_ok, ScoreBufs, TitleBits, TitleWordFilter};
use crate::analysis::{ArticleAnalysis, Claim};
use crate::corpus::{Config, FastMap};
use crate::figures::{UnitKind, Value};

/// Words that never count for matching (with those of two letters or fewer).
fn is_stop(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "of"
            | "in"
            | "on"
            | "at"
            | "by"
            | "for"
            | "to"
            | "and"
            | "or"
            | "from"
            | "with"
            | "who"
            | "that"
            | "which"
            | "as"
            | "is"
            | "are"
            | "was"
            | "were"
            | "since"
            | "into"
            | "over"
            | "its"
            | "their"
            | "have"
            | "has"
            | "had"
            | "this"
            | "those"
    )
}

/// For each byte: `WORD` for an ASCII letter or digit, with `UPPER` for a capital; 0 for the
/// others (and for every byte of a non-ASCII character).
const ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() {
            table[b] = WORD;
        }
        if (b as u8).is_ascii_uppercase() {
            table[b] |= UPPER;
        }
        b += 1;
    }
    table
};
const WORD: u8 = 1;
const UPPER: u8 = 2;

/// Reading words: the word being read, and the last non-ASCII characters read with their
/// lowercase (or `None`: not a letter or digit), by their low bits (Unicode's tables are slow
/// to search, and a text in another script uses few characters many times).
struct WordReader {
    word: String,
    chars: [(char, Option<char>); 64],
}

impl Default for WordReader {
    fn default() -> Self {
        WordReader {
            word: String::new(),
            chars: [('\0', None); 64],
        }
    }
}

/// [`WordReader::lower`] of every character of two UTF-8 bytes (U+0080 to U+07FF: Latin,
/// Greek, Cyrillic, Armenian, Hebrew, Arabic and more), made once.
fn two_byte_lower() -> &'static [Option<char>] {
    static TABLE: std::sync::OnceLock<Vec<Option<char>>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0x80..0x800u32)
            .map(|u| {
                let c = char::from_u32(u)?;
                c.is_alphanumeric()
                    .then(|| c.to_lowercase().next().unwrap_or(c))
            })
            .collect()
    })
}

impl WordReader {
    /// The lowercase of a non-ASCII character if it is a letter or a digit.
    fn lower(&mut self, c: char) -> Option<char> {
        if let Some(&lower) = two_byte_lower().get((c as usize).wrapping_sub(0x80)) {
            return lower;
        }
        let slot = &mut self.chars[c as usize % 64];
        if slot.0 != c {
            let lower = c
                .is_alphanumeric()
                .then(|| c.to_lowercase().next().unwrap_or(c));
            *slot = (c, lower);
        }
        slot.1
    }

    /// Call `f` with each word of `s` as [`crate::text::normalize_name`] writes it (a run of
    /// letters and digits, each character lowercased to its first lowercase character),
    /// without making the normalised text; the leading articles it drops are stop words.
    fn each_word(&mut self, s: &str, mut f: impl FnMut(&str)) {
        self.word.clear();
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                // A run of ASCII letters and digits.
                let start = i;
                let mut class = 0;
                while let Some(&c) = bytes.get(i).filter(|&&c| ASCII_CLASS[c as usize] != 0) {
                    class |= ASCII_CLASS[c as usize];
                    i += 1;
                }
                if i == start {
                    i += 1;
                    self.end_word(&mut f);
                } else if self.word.is_empty()
                    && class & UPPER == 0
                    && bytes.get(i).is_none_or(u8::is_ascii)
                {
                    // A whole word in lowercase: read where it is.
                    f(&s[start..i]);
                } else {
                    let from = self.word.len();
                    self.word.push_str(&s[start..i]);
                    self.word[from..].make_ascii_lowercase();
                }
            } else {
                let c = s[i..].chars().next().unwrap_or_default();
                i += c.len_utf8();
                match self.lower(c) {
                    Some(l) => self.word.push(l),
                    None => self.end_word(&mut f),
                }
            }
        }
        self.end_word(&mut f);
    }

    fn end_word(&mut self, f: &mut impl FnMut(&str)) {
        if !self.word.is_empty() {
            f(&self.word);
            self.word.clear();
        }
    }

    /// Call `f` with the number ([`Config::title_word`]) of each content word of `s` that is
    /// a title word, in order, as looking up each of [`content_words`] would: a whole ASCII
    /// word is first tried by its length and end bytes against `filter`, and lowercased and
    /// looked up only if the filter lets it by.
    fn each_title_word(
        &mut self,
        s: &str,
        config: &Config,
        filter: &TitleWordFilter,
        mut f: impl FnMut(u32),
    ) {
        self.word.clear();
        let bytes = s.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii() && ASCII_CLASS[b as usize] == 0 {
                // Between words.
                i += 1;
                if !self.word.is_empty() {
                    self.end_title_word(config, filter, &mut f);
                }
            } else if b.is_ascii() {
                let start = i;
                let mut class = 0;
                i += bytes[i..]
                    .iter()
                    .take_while(|&&c| {
                        class |= ASCII_CLASS[c as usize];
                        ASCII_CLASS[c as usize] != 0
                    })
                    .count();
                if self.word.is_empty() && bytes.get(i).is_none_or(u8::is_ascii) {
                    // A whole ASCII word: read where it is.
                    if let Some(id) =
                        self.ascii_title_word(&s[start..i], class & UPPER != 0, config, filter)
                    {
                        f(id);
                    }
                } else {
                    let from = self.word.len();
                    self.word.push_str(&s[start..i]);
                    self.word[from..].make_ascii_lowercase();
                }
            } else {
                let c = s[i..].chars().next().unwrap_or_default();
                i += c.len_utf8();
                match self.lower(c) {
                    Some(l) => self.word.push(l),
                    None => self.end_title_word(config, filter, &mut f),
                }
            }
        }
        self.end_title_word(config, filter, &mut f);
    }

    /// The title word number of a whole ASCII word `w` (`upper`: with capitals), if it is a
    /// content word and a title word; the word is lowercased (in the empty `self.word`) only
    /// if the filter lets it by.
    fn ascii_title_word(
        &mut self,
        w: &str,
        upper: bool,
        config: &Config,
        filter: &TitleWordFilter,
    ) -> Option<u32> {
        let b = w.as_bytes();
        if b.len() <= 2 {
            return None;
        }
        // Without the plural `s` (in either case: the word is lowercased first).
        let kept = b.len() - b.iter().rev().take_while(|&&c| c | 0x20 == b's').count();
        let end = |i: usize| b.get(i).map(u8::to_ascii_lowercase);
        if !filter.may_hold(kept, end(0).filter(|_| kept > 0), end(kept.wrapping_sub(1))) {
            return None;
        }
        if !upper {
            return title_word_of(w, config, filter);
        }
        self.word.push_str(w);
        self.word.make_ascii_lowercase();
        let id = title_word_of(&self.word, config, filter);
        self.word.clear();
        id
    }

    fn end_title_word(
        &mut self,
        config: &Config,
        filter: &TitleWordFilter,
        f: &mut impl FnMut(u32),
    ) {
        if !self.word.is_empty() {
            if let Some(id) = title_word_of(&self.word, config, filter) {
                f(id);
            }
            self.word.clear();
        }
    }

    /// Call `f` with each content word of `s`, as [`content_words`] lists them.
    fn each_content_word(&mut self, s: &str, mut f: impl FnMut(&str)) {
        self.each_word(s, |w| {
            if w.len() > 2 && !is_stop(w) {
                f(w.trim_end_matches('s'));
            }
        });
    }
}

/// The title word number ([`Config::title_word`]) of a normalised word, if it is a content
/// word (as [`WordReader::each_content_word`] gives it) and a title word; `filter` answers
/// first.
fn title_word_of(w: &str, config: &Config, filter: &TitleWordFilter) -> Option<u32> {
    if w.len() <= 2 {
        return None;
    }
    let kept = w.trim_end_matches('s').as_bytes();
    if !filter.may_hold(kept.len(), kept.first().copied(), kept.last().copied()) || is_stop(w) {
        return None;
    }
    config.title_word(w.trim_end_matches('s'))
}

/// The words of a text that count for matching: normalised, no stop words, no plural `s`.
pub fn content_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    WordReader::default().each_content_word(s, |w| words.push(w.to_string()));
    words
}

/// Events a claim may belong to, best first, with a score: a repeat of a linked figure
/// in the same article, the same kind of unit, and words shared with the event's title.
///
/// A score of 3 or more needs a repeat or at least one shared word (the unit alone gives 2),
/// so only those events are scored: the events linked in the article, and the events whose
/// title words (indexed once per configuration) occur in the sentence.
pub fn suggest_events(a: &ArticleAnalysis, c: &Claim, config: &Config) -> Vec<(String, u32)> {
    suggest_events_with(a, c, config, &LinkedValues::new(a, config))
}

/// What suggestions share within one article, built once per article so that suggesting
/// events for every unlinked figure stays linear in the number of figures: the events each
/// value is linked to, the title words of each sentence already seen (several figures often
/// stand in one sentence), and the buffers reused from figure to figure.
pub struct LinkedValues {
    values: FastMap<(u8, u64, u64), Vec<usize>>,
    /// The last sentence read (byte span) and the distinct title words in it, by number
    /// ([`Config::title_word`]), ascending: figures come in text order, and several often
    /// stand in one sentence.
    words: RefCell<((usize, usize), Vec<u32>)>,
    /// Reused for reading the words of each sentence.
    reader: RefCell<WordReader>,
    /// Per event: shared title words, and whether it is a candidate, a repeat, a unit event
    /// (the `MARK_*` bits); all zero between uses.
    shared: RefCell<Vec<(u32, u8)>>,
    /// The scores' buffers, reused from figure to figure (see [`crate::checks::title_bits`]).
    scores: RefCell<ScoreBufs>,
}

const MARK_CANDIDATE: u8 = 1;
const MARK_REPEAT: u8 = 2;
const MARK_UNIT: u8 = 4;

fn value_key(v: Value) -> Option<(u8, u64, u64)> {
    match v {
        Value::Number(x) => Some((0, x.to_bits(), 0)),
        Value::Range(x, y) => Some((1, x.to_bits(), y.to_bits())),
        Value::None => None,
    }
}

impl LinkedValues {
    pub fn new(a: &ArticleAnalysis, config: &Config) -> LinkedValues {
        let mut map: FastMap<(u8, u64, u64), Vec<usize>> =
            FastMap::with_capacity_and_hasher(a.claims.len(), Default::default());
        // The last event id looked up and its place: a figure is often linked to the event of
        // the figure before it.
        let mut last: Option<(&str, Option<usize>)> = None;
        for o in &a.claims {
            let position = o.event_id().and_then(|id| match last {
                Some((l, i)) if l == id => i,
                _ => {
                    let i = config.event_position(id);
                    last = Some((id, i));
                    i
                }
            });
            if let (Some(k), Some(i)) = (value_key(o.reading.value), position) {
                let list = map.entry(k).or_default();
                if !list.contains(&i) {
                    list.push(i);
                }
            }
        }
        LinkedValues {
            values: map,
            words: RefCell::new(((usize::MAX, 0), Vec::new())),
            reader: RefCell::default(),
            shared: RefCell::new(Vec::new()),
            scores: RefCell::default(),
        }
    }

    fn events(&self, v: Value) -> &[usize] {
        value_key(v)
            .and_then(|k| self.values.get(&k))
            .map_or(&[], Vec::as_slice)
    }

    /// The distinct title words of a claim's sentence, by number, ascending.
    fn sentence_title_words(
        &self,
        a: &ArticleAnalysis,
        c: &Claim,
        config: &Config,
        bits: &TitleBits,
    ) -> std::cell::Ref<'_, [u32]> {
        let text = &a.article.analysis_text;
        let span = sentence_around(text, c.analysis_span.clone());
        if self.words.borrow().0 != span {
            let mut words = self.words.borrow_mut();
            let (at, ids) = &mut *words;
            *at = span;
            ids.clear();
            let filter = bits.word_filter();
            self.reader
                .borrow_mut()
                .each_title_word(&text[span.0..span.1], config, filter, |w| ids.push(w));
            ids.sort_unstable();
            ids.dedup();
        }
        std::cell::Ref::map(self.words.borrow(), |(_, ids)| ids.as_slice())
    }
}

/// Suggestions kept from one analysis of an article to the next: a language server
/// re-analyses the whole article on every keystroke, and a figure's suggestions depend only on
/// its sentence, its reading and the events its value is linked to in the article, so an edit
/// recomputes only those of the figures whose sentence (or reading, or repeats) it changed.
/// An analysis drops the entries the one before used and it did not. Good for one
/// configuration: [`SuggestCache::clear`] it when the configuration changes.
#[derive(Debug, Default)]
pub struct SuggestCache {
    now: FastMap<SuggestKey, Vec<(u32, usize)>>,
    before: FastMap<SuggestKey, Vec<(u32, usize)>>,
}

/// What a figure's suggestions depend on.
#[derive(Debug, PartialEq, Eq, Hash)]
struct SuggestKey {
    sentence: Box<str>,
    value: Option<(u8, u64, u64)>,
    unit: Option<String>,
    kind: UnitKind,
    repeats: Vec<usize>,
}

impl SuggestCache {
    pub fn clear(&mut self) {
        self.now.clear();
        self.before.clear();
    }

    /// Start an analysis: what the last one used is what this one may reuse.
    pub(crate) fn start(&mut self) {
        self.before = std::mem::take(&mut self.now);
    }

    /// [`best_events`]' best event (all the checks name), or what it said for the same
    /// sentence and reading.
    pub(crate) fn suggest(
        &mut self,
        a: &ArticleAnalysis,
        c: &Claim,
        config: &Config,
        linked: &LinkedValues,
    ) -> &[(u32, usize)] {
        let text = &a.article.analysis_text;
        let (from, to) = sentence_around(text, c.analysis_span.clone());
        let key = SuggestKey {
            sentence: text[from..to].into(),
            value: value_key(c.reading.value),
            unit: c.reading.unit.clone(),
            kind: c.reading.kind,
            repeats: linked.events(c.reading.value).to_vec(),
        };
        let made = match self.before.remove(&key) {
            Some(v) => v,
            None => match self.now.get(&key) {
                Some(v) => v.clone(),
                None => best_events(a, c, config, linked, 1),
            },
        };
        self.now.entry(key).or_insert(made)
    }
}

/// [`suggest_events`] with the article's linked values computed once.
pub fn suggest_events_with(
    a: &ArticleAnalysis,
    c: &Claim,
    config: &Config,
    linked: &LinkedValues,
) -> Vec<(String, u32)> {
    best_events(a, c, config, linked, 3)
        .into_iter()
        .map(|(score, i)| (config.events[i].id.clone(), score))
        .collect()
}

/// [`suggest_events_with`] as (score, event index) pairs, the best `most` of them (the
/// checks name only the first).
pub(crate) fn best_events(
    a: &ArticleAnalysis,
    c: &Claim,
    config: &Config,
    linked: &LinkedValues,
    most: usize,
) -> Vec<(u32, usize)> {
    let mut out = Vec::new();
    best_events_into(a, c, config, linked, most, &mut out);
    out
}

/// [`best_events`] written over `out` (reused from figure to figure).
pub(crate) fn best_events_into(
    a: &ArticleAnalysis,
    c: &Claim,
    config: &Config,
    linked: &LinkedValues,
    most: usize,
    out: &mut Vec<(u32, usize)>,
) {
    out.clear();
    match config.title_bits() {
        Some(bits) => best_by_bits(a, c, config, linked, bits, most, out),
        None => best_by_postings(a, c, config, linked, most, out),
    }
}

/// The best `most` events for a claim, scored bit-sliced over all classes of events at once:
/// the words in many titles are added as sets of classes, the others (and the repeats) event
/// by event from their postings; written over `out`.
fn best_by_bits(
    a: &ArticleAnalysis,
    c: &Claim,
    config: &Config,
    linked: &LinkedValues,
    bits: &TitleBits,
    most: usize,
    out: &mut Vec<(u32, usize)>,
) {
    let words = linked.sentence_title_words(a, c, config, bits);
    let repeats = linked.events(c.reading.value);
    // Without a shared word or a repeat, the counted noun's 2 is the most an event scores.
    if words.is_empty() && repeats.is_empty() {
        out.clear();
        return;
    }
    let mut buf = linked.scores.borrow_mut();
    let mut scores = bits.scores(&mut buf);
    for &w in words.iter() {
        match bits.dense(w) {
            Some(levels) => levels.iter().for_each(|l| scores.add_set(l, 0)),
            None => {
                for &(e, n) in config.events_with_title_word_id(w) {
                    scores.add(e, n);
                }
            }
        }
    }
    // The events with the counted noun among their title words: 2 more.
    let unit = c.reading.unit.as_deref();
    if let Some(u) = unit.and_then(|u| config.title_word(u.trim_end_matches('s'))) {
        match bits.dense(u) {
            Some(levels) => scores.add_set(&levels[0], 1),
            None => {
                for &(e, _) in config.events_with_title_word_id(u) {
                    scores.add(e, 2);
                }
            }
        }
    }
    // A repeat of a figure linked to the event in the same article: 10 more.
    for &e in repeats {
        scores.add(e, 10);
    }
    scores.best(bits.unit_ok(c.reading.kind), most, out);
}

/// The best `most` events for a claim, scored event by event from the postings of the
/// sentence's content words (for a configuration whose events changed since it was parsed,
/// and as the definition [`best_by_bits`] is tested against); written over `out`.
fn best_by_postings(
    a: &ArticleAnalysis,
    c: &Claim,
    config: &Config,
    linked: &LinkedValues,
    most: usize,
    out: &mut Vec<(u32, usize)>,
) {
    let text = &a.article.analysis_text;
    let (from, to) = sentence_around(text, c.analysis_span.clone());
    let mut words = content_words(&text[from..to]);
    words.sort_unstable();
    words.dedup();
    // Shared words per event: each title word (with its multiplicity) found among `words`,
    // counted in a dense array (a common word like "civilians" is in hundreds of titles),
    // with marks for the repeats and the events of the counted noun; reset before returning.
    // Only a dense-array lookup is spent on each candidate until its score reaches 3.
    let mut guard = linked.shared.borrow_mut();
    let shared: &mut Vec<(u32, u8)> = &mut guard;
    shared.resize(config.events.len(), (0, 0));
    let mut candidates: Vec<usize> = Vec::new();
    for w in words.iter() {
        for &(e, n) in config.events_with_title_word(w) {
            let slot = &mut shared[e];
            if slot.1 == 0 {
                slot.1 = MARK_CANDIDATE;
                candidates.push(e);
            }
            slot.0 += n as u32;
        }
    }
    for &e in linked.events(c.reading.value) {
        let slot = &mut shared[e];
        if slot.1 == 0 {
            candidates.push(e);
        }
        slot.1 |= MARK_CANDIDATE | MARK_REPEAT;
    }
    // The events with the counted noun among their title words (a bonus, never a candidate
    // alone: it gives 2, under the 3 a suggestion needs).
    let unit_events = c.reading.unit.as_deref().map_or(&[][..], |u| {
        config.events_with_title_word(u.trim_end_matches('s'))
    });
    for &(e, _) in unit_events {
        shared[e].1 |= MARK_UNIT;
    }
    let scored = out;
    scored.clear();
    for &i in &candidates {
        let (words, mark) = shared[i];
        let mut score = words;
        // A repeat of a figure linked to this event in the same article.
        if mark & MARK_REPEAT != 0 {
            score += 10;
        }
        if mark & MARK_UNIT != 0 {
            score += 2;
        }
        if score < 3 {
            continue;
        }
        if unit_ok(c.reading.kind, config.events[i].unit.as_deref()) {
            scored.push((score, i));
        }
    }
    for &i in &candidates {
        shared[i] = (0, 0);
    }
    for &(e, _) in unit_events {
        shared[e] = (0, 0);
    }
    // The best `most`: highest score, then event id; only those are sorted and named.
    let order = |x: &(u32, usize), y: &(u32, usize)| {
        y.0.cmp(&x.0)
            .then_with(|| config.event_id_rank(x.1).cmp(&config.event_id_rank(y.1)))
    };
    if scored.len() > most {
        if most > 0 {
            scored.select_nth_unstable_by(most - 1, order);
        }
        scored.truncate(most);
    }
    scored.sort_by(order);
}

/// The sentence-ish text around a span, as a byte span: up to the nearest full stops or line
/// breaks.
fn sentence_around(text: &str, span: std::ops::Range<usize>) -> (usize, usize) {
    // The ends are ASCII, so bytes are searched: no byte of another character is one of them.
    // Three at once, then the fourth only up to the nearest of those.
    let bytes = text.as_bytes();
    let start = span.start.min(text.len());
    let end = span.end.min(text.len());
    let before = &bytes[..start];
    let s = match memchr::memrchr3(b'.', b'\n', b'!', before) {
        Some(i) => memchr::memrchr(b'?', &before[i + 1..]).map_or(i, |q| i + 1 + q) + 1,
        None => memchr::memrchr(b'?', before).map_or(0, |q| q + 1),
    };
    let after = &bytes[end..];
    let e = match memchr::memchr3(b'.', b'\n', b'!', after) {
        Some(i) => end + memchr::memchr(b'?', &after[..i]).unwrap_or(i),
        None => memchr::memchr(b'?', after).map_or(text.len(), |q| end + q),
    };
    (s, e)
}

#[cfg(test)]
mod tests {
    use crate::analysis::analyze;
    use crate::article::FileKind;
    use crate::checks::{article_checks, article_checks_cached, SuggestCache};
    use crate::corpus::Config;

    /// Deterministic numbers below `n` (xorshift), for the randomised tests.
    fn numbers(seed: u64) -> impl FnMut(usize) -> usize {
        let mut rng = crate::test_rng::XorShift(seed);
        move |n| rng.below(n)
    }

    use crate::test_examples::{ARTICLES, CONFIG};

    /// Scoring by bitsets gives exactly what scoring event by event from postings gives, for
    /// configurations of many events with common and rare title words (repeated in a title,
    /// in the place too), units of every kind, and articles with repeats of linked figures.
    #[test]
    fn bit_sliced_scores_equal_posting_scores() {
        use super::{best_by_bits, best_by_postings, LinkedValues};
        const WORDS: &[&str] = &[
            "people",
            "civilians",
            "fighters",
            "evacuated",
            "aleppo",
            "incident",
            "convoy",
            "wounded",
            "killed",
            "shelters",
            "hanano",
            "ansari",
            "bustan",
            "qasr",
            "ramouseh",
        ];
        const UNITS: &[&str] = &["", "people", "percent", "fraction", "money", "fighters"];
        let mut next = numbers(0x9e37_79b9_7f4a_7c15);
        let mut compared = 0;
        for round in 0..36 {
            let events = [5, 40, 64, 65, 130, 300][round % 6];
            let mut toml = String::new();
            for e in 0..events {
                // Early words are common, late ones rare.
                let mut title: Vec<String> = (0..1 + next(6))
                    .map(|_| WORDS[next(WORDS.len()).min(next(WORDS.len()))].to_string())
                    .collect();
                // Rare words (in fewer than one title in 64), some twice.
                if next(8) == 0 {
                    let rare = format!("rare{}", next(6));
                    if next(3) == 0 {
                        title.push(rare.clone());
                    }
                    title.push(rare);
                }
                toml.push_str(&format!(
                    "[events.e{e:03}]\ntitle = \"{}\"\nwhere = \"{}\"\n",
                    title.join(" "),
                    WORDS[next(WORDS.len())]
                ));
                let unit = UNITS[next(UNITS.len())];
                if !unit.is_empty() {
                    toml.push_str(&format!("unit = \"{unit}\"\n"));
                }
            }
            let config = Config::parse(&toml).unwrap();
            assert!(config.title_bits().is_some());
            let mut text = String::from("---\ntitle: Test\n---\n\n");
            for s in 0..30 {
                let mut words: Vec<String> = (0..next(8))
                    .map(|_| WORDS[next(WORDS.len())].to_string())
                    .collect();
                if next(2) == 0 {
                    words.push(format!("rare{}", next(6)));
                }
                let n = [120, 300, 45][next(3)];
                let noun = ["people", "civilians", "fighters", "percent", "dollars", ""][next(6)];
                if next(4) == 0 {
                    text.push_str(&format!(
                        "In {} [{n} {noun}]{{event=e{:03}}} were counted. ",
                        words.join(" "),
                        next(events)
                    ));
                } else {
                    text.push_str(&format!(
                        "In {} some {n} {noun} were counted. ",
                        words.join(" ")
                    ));
                }
                if s % 5 == 4 {
                    text.push_str("\n\n");
                }
            }
            let a = analyze(&text, FileKind::Markdown, &config);
            let linked = LinkedValues::new(&a, &config);
            for c in &a.claims {
                let bits = config.title_bits().unwrap();
                let postings = |most| {
                    let mut out = vec![(0, 0); 2];
                    best_by_postings(&a, c, &config, &linked, most, &mut out);
                    out
                };
                let by_bits = |most| {
                    let mut out = vec![(0, 0); 2];
                    best_by_bits(&a, c, &config, &linked, bits, most, &mut out);
                    out
                };
                let want = postings(3);
                let got = by_bits(3);
                assert_eq!(got, want, "{:?} in round {round}", c.text);
                compared += usize::from(!want.is_empty());
                // Fewer: the first of the best three, by either scoring.
                for most in 0..3 {
                    let first = &want[..want.len().min(most)];
                    assert_eq!(postings(most), first, "{:?}, best {most}", c.text);
                    assert_eq!(by_bits(most), first, "{:?}, best {most}", c.text);
                }
            }
        }
        assert!(compared > 100, "few claims had suggestions ({compared})");
    }

    /// The best events by classes are exactly those of a plain scan of every event (its title
    /// words shared with the sentence, as often as the title has them; 2 for the counted noun
    /// among them; 10 for a repeat; 3 or more, a fitting unit; highest score, then first id),
    /// for configurations of up to thousands of events made from a few kinds of titles and
    /// places (so that many events share a class) with numbers and rare words that set some
    /// apart, ids out of file order, and articles with repeats of linked figures.
    #[test]
    fn class_scores_equal_a_scan_of_every_event() {
        use super::{best_by_bits, content_words, sentence_around, unit_ok, LinkedValues};
        const KINDS: &[&str] = &[
            "People displaced from",
            "Wounded in incident",
            "Civilians evacuated from during the operation",
            "Share of held by government forces",
            "shelters sent to convoy",
            "Fighters killed in",
            "people people left since the offensive began",
        ];
        const PLACES: &[&str] = &[
            "Aleppo",
            "Hanano",
            "al-Ansari",
            "Bustan al-Qasr",
            "Ramouseh",
            "Azaz",
            "Manbij",
            "Idlib",
        ];
        const UNITS: &[&str] = &["", "people", "percent", "fraction", "money", "fighters"];
        const NOUNS: &[&str] = &["people", "civilians", "fighters", "percent", "dollars", ""];
        let mut next = numbers(0x3c6e_f372_fe94_f82b);
        let (mut compared, mut tied) = (0, 0);
        for round in 0..12 {
            let events = [40, 300, 1200, 3000][round % 4];
            let mut toml = String::new();
            for e in 0..events {
                // Numbers of three digits and rare words set a few events apart.
                let extra = match next(6) {
                    0 => format!(" {}", 100 + next(40)),
                    1 => format!(" rare{}", next(5)),
                    _ => String::new(),
                };
                let place = PLACES[next(PLACES.len())];
                toml.push_str(&format!(
                    "[events.e{:05}-{e}]\ntitle = \"{} {place}{extra}\"\nwhere = \"{place}\"\n",
                    next(100_000),
                    KINDS[next(KINDS.len())],
                ));
                let unit = UNITS[next(UNITS.len())];
                if !unit.is_empty() {
                    toml.push_str(&format!("unit = \"{unit}\"\n"));
                }
            }
            let config = Config::parse(&toml).unwrap();
            let bits = config.title_bits().unwrap();
            let mut text = String::from("---\ntitle: Test\n---\n\n");
            for s in 0..40 {
                let mut words: Vec<String> = (0..next(7))
                    .map(|_| match next(4) {
                        0 => PLACES[next(PLACES.len())].to_string(),
                        1 => format!("{}", 100 + next(40)),
                        2 => format!("rare{}", next(5)),
                        _ => {
                            let kind = KINDS[next(KINDS.len())];
                            let w: Vec<&str> = kind.split(' ').collect();
                            w[next(w.len())].to_string()
                        }
                    })
                    .collect();
                words.push("said".into());
                let n = [120, 300, 45][next(3)];
                let noun = NOUNS[next(NOUNS.len())];
                if next(4) == 0 {
                    text.push_str(&format!(
                        "In {} [{n} {noun}]{{event={}}} were counted. ",
                        words.join(" "),
                        config.events[next(events)].id
                    ));
                } else {
                    text.push_str(&format!("In {} some {n} {noun}. ", words.join(" ")));
                }
                if s % 5 == 4 {
                    text.push_str("\n\n");
                }
            }
            let a = analyze(&text, FileKind::Markdown, &config);
            let linked = LinkedValues::new(&a, &config);
            for c in &a.claims {
                let (from, to) = sentence_around(&a.article.analysis_text, c.analysis_span.clone());
                let mut words = content_words(&a.article.analysis_text[from..to]);
                words.sort_unstable();
                words.dedup();
                let unit = c.reading.unit.as_deref().map(|u| u.trim_end_matches('s'));
                let mut all: Vec<(u32, usize)> = (0..events)
                    .map(|i| {
                        let title = config.event_title_words(i);
                        let shared = words
                            .iter()
                            .map(|w| title.iter().filter(|t| *t == w).count());
                        let noun = unit.is_some_and(|u| title.iter().any(|t| t == u));
                        let repeat = linked.events(c.reading.value).contains(&i);
                        let score = shared.sum::<usize>()
                            + 2 * usize::from(noun)
                            + 10 * usize::from(repeat);
                        (score as u32, i)
                    })
                    .filter(|&(score, i)| {
                        score >= 3 && unit_ok(c.reading.kind, config.events[i].unit.as_deref())
                    })
                    .collect();
                all.sort_by(|x, y| {
                    y.0.cmp(&x.0)
                        .then_with(|| config.events[x.1].id.cmp(&config.events[y.1].id))
                });
                tied += usize::from(all.len() > 1 && all[0].0 == all[1].0);
                compared += usize::from(!all.is_empty());
                for most in 0..5 {
                    let mut got = vec![(0, 0); 2];
                    best_by_bits(&a, c, &config, &linked, bits, most, &mut got);
                    assert_eq!(
                        got,
                        all[..all.len().min(most)],
                        "{:?}, best {most}, round {round}",
                        c.text
                    );
                }
            }
        }
        assert!(
            compared > 200 && tied > 100,
            "few claims had (tied) suggestions ({compared}, {tied})"
        );
    }

    /// Pieces of text for the word tests: ASCII and other scripts, case that lowercases to
    /// more than one character, digits of other scripts, punctuation and white space of every
    /// kind, stop words, articles, plural `s`, words of two letters.
    const PIECES: &[&str] = &[
        "The",
        "the",
        "A",
        "an",
        "AN",
        "of",
        "Aleppo's",
        "civilians",
        "CIVILIANS",
        "sss",
        "its",
        "itss",
        "Its",
        "12,000",
        "2.5",
        "x",
        "ok",
        "İstanbul",
        "ẞtraße",
        "Ålesund",
        "ǅemal",
        "Σίσυφος",
        "ΣΑΣ",
        "حلب",
        "المدينة",
        "٣٠٠",
        "Ⅻ",
        "½",
        "—",
        "–",
        "“",
        "”",
        "\u{a0}",
        "\u{2009}",
        " ",
        "  ",
        "\t",
        "\n",
        ".",
        "!",
        "?",
        "(",
        ")",
        "-",
        "'",
        "\u{301}",
        "é",
        "e\u{301}",
        "日本",
        "Ǆ",
        "ﬁre",
        "those",
        "which",
        "Bustan",
        "al-Qasr",
        "people",
    ];

    /// Texts made of `PIECES`, joined with or without spaces.
    fn texts() -> Vec<String> {
        let mut next = numbers(0x51_7cc1_b727_220a);
        (0..2000)
            .map(|_| {
                let mut t = String::new();
                for _ in 0..next(12) {
                    t.push_str(PIECES[next(PIECES.len())]);
                    if next(3) > 0 {
                        t.push(' ');
                    }
                }
                t
            })
            .collect()
    }

    /// Content words read word by word are exactly those of the normalised text
    /// (`normalize_name`, split at its spaces, without stop words and short words, plural `s`
    /// trimmed), in any script.
    #[test]
    fn content_words_are_those_of_the_normalised_text() {
        const STOP: &[&str] = &[
            "the", "a", "an", "of", "in", "on", "at", "by", "for", "to", "and", "or", "from",
            "with", "who", "that", "which", "as", "is", "are", "was", "were", "since", "into",
            "over", "its", "their", "have", "has", "had", "this", "those",
        ];
        let mut nonempty = 0;
        for t in texts() {
            let want: Vec<String> = crate::text::normalize_name(&t)
                .split(' ')
                .filter(|w| w.len() > 2 && !STOP.contains(w))
                .map(|w| w.trim_end_matches('s').to_string())
                .collect();
            assert_eq!(super::content_words(&t), want, "{t:?}");
            nonempty += usize::from(!want.is_empty());
        }
        assert!(nonempty > 1000, "few texts had content words ({nonempty})");
    }

    /// The title words read from a text with the quick filter are exactly those of its content
    /// words ([`super::content_words`], looked up one by one), in order, for titles of words in
    /// any script, words that are stop words once their plural `s` is trimmed ("thiss", "hass"),
    /// and words that are all `s`.
    #[test]
    fn title_words_read_are_those_of_the_content_words() {
        let mut next = numbers(0x6a09_e667_f3bc_c908);
        let mut seen = 0;
        for round in 0..40 {
            let mut toml = String::new();
            for e in 0..1 + next(30) {
                let mut title: Vec<&str> = (0..1 + next(5))
                    .map(|_| PIECES[next(PIECES.len())])
                    .collect();
                title.push(["thiss", "hass", "wass", "sss", "Its", "x"][next(6)]);
                toml.push_str(&format!(
                    "[events.e{e}]\ntitle = \"{}\"\n",
                    title.join(" ").replace(['"', '\\', '\n', '\t'], " ")
                ));
            }
            let config = Config::parse(&toml).unwrap();
            let filter = config.title_bits().unwrap().word_filter();
            let mut reader = super::WordReader::default();
            for t in texts().iter().skip(round * 50).take(50) {
                let want: Vec<u32> = super::content_words(t)
                    .iter()
                    .filter_map(|w| config.title_word(w))
                    .collect();
                let mut got = Vec::new();
                reader.each_title_word(t, &config, filter, |id| got.push(id));
                assert_eq!(got, want, "{t:?} with\n{toml}");
                seen += want.len();
            }
        }
        assert!(seen > 1000, "few title words were read ({seen})");
    }

    /// A figure's sentence runs between the nearest `.`, `!`, `?` or line break on each side,
    /// whatever the characters around them.
    #[test]
    fn sentence_ends_are_the_nearest_stops() {
        for t in texts() {
            let bounds: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
            for (k, &from) in bounds.iter().enumerate().step_by(3) {
                let to = bounds[(k + 2).min(bounds.len() - 1)];
                let stop = |c: char| matches!(c, '.' | '\n' | '!' | '?');
                let want = (
                    t[..from].rfind(stop).map_or(0, |i| i + 1),
                    t[to..].find(stop).map_or(t.len(), |i| to + i),
                );
                assert_eq!(
                    super::sentence_around(&t, from..to),
                    want,
                    "{t:?} {from}..{to}"
                );
            }
        }
    }

    /// An article typed over and over (characters inserted and deleted, figures and words
    /// changed, sentences split and joined) gets the same diagnostics with the cache as
    /// without it, after every edit.
    #[test]
    fn cached_checks_equal_fresh_checks_through_edits() {
        let config = Config::parse(CONFIG).unwrap();
        // The edits that matter to suggestions: the figure, its noun, the sentence's words,
        // sentence ends.
        const INSERTS: &[&str] = &[
            "9",
            "0",
            " 1,500 civilians",
            " fighters",
            ". ",
            " evacuation",
            "x",
            " Aleppo",
        ];
        let mut next = numbers(0x2545_f491_4f6c_dd1d);
        let mut compared = 0;
        for article in ARTICLES {
            let mut text = article.to_string();
            let mut cache = SuggestCache::default();
            for _ in 0..60 {
                let mut at = next(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                if next(2) == 0 {
                    text.insert_str(at, INSERTS[next(INSERTS.len())]);
                } else {
                    let mut end = (at + 1 + next(4)).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    text.replace_range(at..end, "");
                }
                let a = analyze(&text, FileKind::Markdown, &config);
                let fresh = article_checks(0, &a, &config);
                let cached = article_checks_cached(0, &a, &config, &mut cache);
                assert_eq!(cached, fresh, "after an edit at {at} of:\n{text}");
                compared += fresh
                    .iter()
                    .filter(|d| d.code.name() == "unlinked-figure")
                    .count();
            }
        }
        assert!(
            compared > 100,
            "the edits kept few unlinked figures ({compared})"
        );
    }
}
