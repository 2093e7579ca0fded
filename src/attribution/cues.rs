//! Source cues: the words that say who a figure comes from ("according to SANA", "the
//! ministry said", "some reports indicate", "it seems"), found sentence by sentence.

use std::ops::Range;

#[cfg(test)]
use crate::figures::tokens::tokenize_lowered;
use crate::figures::tokens::{Kind, Lower, Token};
use crate::figures::Figure;
use crate::text::Structure;

/// What a cue says about its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// A source with a name: "the Russian Defence Ministry", "UN officials".
    Named,
    /// A weasel phrase or an unnamed description: "some reports", "a monitor", "it seems".
    Vague,
    /// "he said", "their figure": the named source referred back to.
    Pronoun,
    /// "the ministry said": a definite description that may refer back to a named source.
    Definite,
    /// "I", "we", "my estimate": the author speaking.
    FirstPerson,
}

/// A cue, found in one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue<'t> {
    /// The source's words (or the weasel phrase).
    pub span: Range<usize>,
    /// The words themselves, trimmed (a slice of the text, as every cue's text is).
    pub text: &'t str,
    pub kind: CueKind,
    /// The word that makes it a cue (the verb, "according"): distances are measured from it.
    pub anchor: usize,
    pub sentence: usize,
    /// The quotation the cue stands in.
    pub quote: Option<usize>,
}

const CUE_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "told",
    "tells",
    "tell",
    "reported",
    "reports",
    "report",
    "reporting",
    "claimed",
    "claims",
    "claim",
    "claiming",
    "confirmed",
    "confirms",
    "confirm",
    "confirming",
    "stated",
    "states",
    "announced",
    "announces",
    "announce",
    "announcing",
    "estimated",
    "estimates",
    "estimate",
    "estimating",
    "cited",
    "cites",
    "cite",
    "citing",
    "indicated",
    "indicates",
    "indicate",
    "added",
    "adds",
    "noted",
    "notes",
    "declared",
    "declares",
    "insisted",
    "insists",
    "alleged",
    "alleges",
    "wrote",
    "writes",
    "recorded",
    "records",
    "documented",
    "documents",
    "counted",
    "counts",
    "envisioned",
    "envisaged",
    "envisions",
    "believes",
    "believed",
    "believe",
    "warned",
    "warns",
    "revealed",
    "reveals",
    "disclosed",
    "acknowledged",
    "admitted",
    "explained",
    "stressed",
    "suggested",
    "suggests",
    "showed",
    "show",
    "shows",
    "put",
    "puts",
    "speculate",
    "speculated",
    "argued",
    "argues",
    "maintained",
    "maintains",
    "quoted",
    "informed",
    "tweeted",
    "posted",
    "published",
    "gave",
    "gives",
    "registered",
    "tallied",
    "listed",
    "reckons",
    "reckoned",
    "revised",
    "raised",
    "lowered",
    "updated",
];

/// Cue words that are nouns after a determiner ("some reports", "their claims").
const NOUN_LIKE: &[&str] = &[
    "reports",
    "report",
    "claims",
    "claim",
    "estimates",
    "estimate",
    "notes",
    "records",
    "documents",
    "states",
    "put",
    "show",
    "shows",
    "counts",
];

const DETERMINERS: &[&str] = &[
    "the",
    "a",
    "an",
    "some",
    "other",
    "these",
    "those",
    "this",
    "that",
    "several",
    "many",
    "media",
    "recent",
    "earlier",
    "unconfirmed",
    "local",
    "news",
    "latest",
    "new",
    "initial",
    "official",
    "such",
    "press",
    "first",
    "its",
    "their",
    "his",
    "her",
    "our",
    "my",
    "your",
    "further",
    "numerous",
    "conflicting",
    "multiple",
];

/// Words between a source and its verb: "has also said", "had earlier reported".
const AUX: &[&str] = &[
    "has",
    "have",
    "had",
    "is",
    "are",
    "was",
    "were",
    "also",
    "now",
    "today",
    "yesterday",
    "earlier",
    "later",
    "previously",
    "again",
    "recently",
    "further",
    "already",
    "repeatedly",
    "officially",
    "publicly",
    "still",
    "then",
    "separately",
    "has",
    "had",
    "just",
    "initially",
    "originally",
    "first",
    "last",
    "once",
    "not",
    "did",
    "does",
    "do",
    "would",
    "will",
    "could",
    "may",
    "might",
    "had",
    "been",
    "being",
    "itself",
    "themselves",
    "most",
    "commonly",
    "widely",
    "often",
    "frequently",
    "variously",
    "wrongly",
    "falsely",
    "loudly",
];

/// Lowercase nouns that can head a source: "the ministry", "security officials".
pub const SOURCE_HEADS: &[&str] = &[
    "ministry",
    "military",
    "army",
    "government",
    "officials",
    "official",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "president",
    "agency",
    "agencies",
    "media",
    "sources",
    "source",
    "reports",
    "report",
    "monitor",
    "monitors",
    "observatory",
    "group",
    "groups",
    "activists",
    "activist",
    "analysts",
    "analyst",
    "experts",
    "expert",
    "observers",
    "witnesses",
    "witness",
    "residents",
    "authorities",
    "police",
    "forces",
    "staff",
    "command",
    "office",
    "committee",
    "council",
    "organisation",
    "organization",
    "organisations",
    "organizations",
    "commission",
    "mission",
    "envoy",
    "correspondent",
    "correspondents",
    "reporter",
    "reporters",
    "journalists",
    "journalist",
    "doctors",
    "medics",
    "officers",
    "commander",
    "general",
    "press",
    "television",
    "tv",
    "outlet",
    "outlets",
    "newspaper",
    "accounts",
    "department",
    "service",
    "services",
    "center",
    "centre",
    "directorate",
    "bureau",
    "diplomats",
    "diplomat",
    "leader",
    "leaders",
    "chief",
    "head",
    "secretary",
    "ambassador",
    "representative",
    "representatives",
    "locals",
    "survivors",
    "rescuers",
    "paramedics",
    "hospital",
    "coalition",
    "alliance",
    "opposition",
    "insiders",
    "commentators",
    "figures",
    "estimates",
    "rumours",
    "rumors",
    "claims",
    "ngo",
    "ngos",
    "charity",
    "websites",
    "website",
    "channels",
    "channel",
    "bloggers",
    "monitoring",
    "commanders",
    "soldiers",
    "troops",
    "rebels",
    "militants",
    "fighters",
    "villagers",
    "refugees",
    "evacuees",
    "relatives",
    "neighbours",
    "neighbors",
    "eyewitnesses",
    "workers",
    "volunteers",
    "nurses",
    "medic",
    "doctor",
    "officer",
    "soldier",
];

/// Source heads that never name anyone by themselves.
const VAGUE_HEADS: &[&str] = &[
    "reports",
    "report",
    "sources",
    "source",
    "media",
    "analysts",
    "analyst",
    "experts",
    "expert",
    "observers",
    "activists",
    "activist",
    "witnesses",
    "witness",
    "residents",
    "officials",
    "official",
    "authorities",
    "monitor",
    "monitors",
    "group",
    "groups",
    "accounts",
    "outlets",
    "press",
    "insiders",
    "commentators",
    "locals",
    "survivors",
    "refugees",
    "people",
    "doctors",
    "medics",
    "rescuers",
    "diplomats",
    "figures",
    "estimates",
    "rumours",
    "rumors",
    "claims",
    "agencies",
    "organisations",
    "organizations",
    "websites",
    "website",
    "bloggers",
    "channels",
    "correspondents",
    "reporters",
    "journalists",
    "paramedics",
    "commanders",
    "soldiers",
    "troops",
    "rebels",
    "militants",
    "fighters",
    "villagers",
    "evacuees",
    "relatives",
    "neighbours",
    "neighbors",
    "eyewitnesses",
    "workers",
    "volunteers",
    "nurses",
    "officers",
    "medic",
    "doctor",
    "officer",
    "soldier",
];

/// Lowercase modifiers inside a source description: "local sources", "state media".
const SOURCE_MODS: &[&str] = &[
    "local",
    "state",
    "state-run",
    "official",
    "medical",
    "security",
    "military",
    "humanitarian",
    "international",
    "independent",
    "western",
    "foreign",
    "opposition",
    "pro-government",
    "rebel",
    "other",
    "some",
    "several",
    "many",
    "various",
    "unnamed",
    "anonymous",
    "senior",
    "top",
    "news",
    "human",
    "rights",
    "civil",
    "defence",
    "defense",
    "health",
    "interior",
    "monitoring",
    "activist",
    "government",
    "regional",
    "provincial",
    "federal",
    "national",
    "deputy",
    "chief",
    "general",
    "relief",
    "aid",
    "rescue",
    "hospital",
    "army",
    "press",
    "information",
    "intelligence",
    "police",
    "ministry",
    "affairs",
    "war",
    "emergency",
    "multiple",
    "certain",
];

/// Capitalised words that begin sentences but name nobody.
const STOP_CAPS: &[&str] = &[
    "meanwhile",
    "however",
    "but",
    "and",
    "in",
    "on",
    "at",
    "also",
    "yet",
    "still",
    "then",
    "now",
    "later",
    "earlier",
    "yesterday",
    "today",
    "moreover",
    "furthermore",
    "here",
    "there",
    "this",
    "that",
    "these",
    "those",
    "when",
    "while",
    "whereas",
    "after",
    "before",
    "since",
    "as",
    "if",
    "although",
    "though",
    "so",
    "thus",
    "update",
    "breaking",
    "what",
    "where",
    "who",
    "which",
    "it",
    "its",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "we",
    "i",
    "you",
    "he",
    "she",
    "they",
    "for",
    "with",
    "by",
    "from",
    "to",
    "of",
    "or",
    "nor",
    "according",
    "last",
    "next",
    "instead",
    "indeed",
    "besides",
    "still",
    "overall",
    "finally",
    "first",
    "second",
    "third",
    "why",
    "how",
    "whether",
    "once",
    "because",
    "despite",
    "unlike",
    "like",
    "both",
    "either",
    "neither",
    "all",
    "most",
    "many",
    "some",
    "several",
    "other",
    "another",
    "each",
    "every",
    "no",
    "not",
    "only",
    "even",
    "just",
    "so-called",
    "report",
    "note",
    "photo",
    "video",
    "read",
    "see",
];

const WEASELS: &[&[&str]] = &[
    &["it", "seems"],
    &["it", "appears"],
    &["reportedly"],
    &["allegedly"],
    &["purportedly"],
    &["supposedly"],
    &["is", "said", "to"],
    &["are", "said", "to"],
    &["was", "said", "to"],
    &["were", "said", "to"],
    &["is", "believed", "to"],
    &["are", "believed", "to"],
    &["are", "thought", "to"],
    &["is", "thought", "to"],
    &["are", "reported", "to"],
    &["is", "reported", "to"],
    &["were", "reported"],
    &["was", "reported"],
    &["it", "is", "reported"],
    &["it", "was", "reported"],
    &["it", "is", "claimed"],
    &["it", "is", "estimated"],
    &["it", "was", "estimated"],
    &["is", "estimated", "to"],
    &["are", "estimated", "to"],
    &["according", "to", "reports"],
    &["according", "to", "sources"],
    &["sources", "say"],
    &["sources", "said"],
    &["reports", "say"],
    &["reports", "said"],
    &["rumours"],
    &["rumors"],
];

/// Word classes: bits of [`word_class`], one per word list above (and a few more).
mod class {
    pub const CUE_VERB: u32 = 1 << 0;
    pub const NOUN_LIKE: u32 = 1 << 1;
    pub const DETERMINER: u32 = 1 << 2;
    pub const AUX: u32 = 1 << 3;
    pub const SOURCE_HEAD: u32 = 1 << 4;
    pub const VAGUE_HEAD: u32 = 1 << 5;
    pub const SOURCE_MOD: u32 = 1 << 6;
    pub const STOP_CAP: u32 = 1 << 7;
    /// The first word of a weasel phrase.
    pub const WEASEL_START: u32 = 1 << 8;
    /// A word that may open a prepositional cue: "according", "by", "citing", "quoting",
    /// "of", "for".
    pub const PREP: u32 = 1 << 9;
    /// The bits from here up number the first words of weasel phrases (from 1; see
    /// [`super::weasel_firsts`]).
    pub const WEASEL_ID_SHIFT: u32 = 24;
}

/// The distinct first words of [`WEASELS`], in order: word `k` has weasel id `k + 1`.
fn weasel_firsts() -> Vec<&'static str> {
    let mut firsts: Vec<&'static str> = Vec::new();
    for p in WEASELS {
        if !firsts.contains(&p[0]) {
            firsts.push(p[0]);
        }
    }
    firsts
}

/// The classes of a lowercase word: one table lookup instead of a scan of every word list.
#[inline]
fn word_class(w: &str) -> u32 {
    WORD_CLASSES.get(w)
}

/// Every listed word with its classes (see [`word_class`]).
static WORD_CLASSES: std::sync::LazyLock<WordTable> = std::sync::LazyLock::new(|| {
    let mut entries: Vec<(&'static str, u32)> = Vec::new();
    let mut add = |w: &'static str, bit: u32| match entries.iter_mut().find(|e| e.0 == w) {
        Some(e) => e.1 |= bit,
        None => entries.push((w, bit)),
    };
    let lists: [(&[&'static str], u32); 8] = [
        (CUE_VERBS, class::CUE_VERB),
        (NOUN_LIKE, class::NOUN_LIKE),
        (DETERMINERS, class::DETERMINER),
        (AUX, class::AUX),
        (SOURCE_HEADS, class::SOURCE_HEAD),
        (VAGUE_HEADS, class::VAGUE_HEAD),
        (SOURCE_MODS, class::SOURCE_MOD),
        (STOP_CAPS, class::STOP_CAP),
    ];
    for (list, bit) in lists {
        for &w in list {
            add(w, bit);
        }
    }
    for (k, w) in weasel_firsts().into_iter().enumerate() {
        add(
            w,
            class::WEASEL_START | ((k as u32 + 1) << class::WEASEL_ID_SHIFT),
        );
    }
    for w in ["according", "by", "citing", "quoting", "of", "for"] {
        add(w, class::PREP);
    }
    WordTable::new(entries)
});

/// For each first byte, the lengths (up to [`FirstLengths::MAX_LEN`], which stands for longer
/// ones too) of some listed words: a word whose first byte and length are not there is none
/// of them.
struct FirstLengths([u16; 256]);

impl FirstLengths {
    const MAX_LEN: usize = 15;

    /// The first bytes and lengths of `words`.
    fn new<'w>(words: impl IntoIterator<Item = &'w str>) -> FirstLengths {
        let mut t = [0u16; 256];
        for w in words {
            if let Some(&f) = w.as_bytes().first() {
                t[usize::from(f)] |= 1 << w.len().min(Self::MAX_LEN);
            }
        }
        FirstLengths(t)
    }

    /// Whether `w` may be one of the words (false for the empty word).
    #[inline(always)]
    fn may_hold(&self, w: &str) -> bool {
        w.as_bytes()
            .first()
            .is_some_and(|&f| self.0[usize::from(f)] >> w.len().min(Self::MAX_LEN) & 1 != 0)
    }
}

/// The classes of the words that can start a cue: the first words of weasel phrases, the
/// prepositions and the cue verbs.
const STARTS: u32 = class::WEASEL_START | class::PREP | class::CUE_VERB;

/// The words a cue can start with (lowercase): the tokenizer lists the words that may be one
/// ([`crate::figures::tokens::Lower::cue_starts`]) for [`find_tokens`] to walk.
pub fn cue_start_words() -> impl Iterator<Item = &'static str> {
    WORD_CLASSES
        .entries
        .iter()
        .filter(|e| e.1 & STARTS != 0)
        .map(|e| e.0)
}

/// The first bytes and lengths of the words that can start a cue ([`cue_start_words`]).
static CUE_STARTS: std::sync::LazyLock<FirstLengths> =
    std::sync::LazyLock::new(|| FirstLengths::new(cue_start_words()));

/// Words with their classes, bucketed by length and first and last letters: a lookup
/// compares a word with the one or two listed words of its bucket, if any.
struct WordTable {
    /// The entries, sorted by bucket.
    entries: Vec<(&'static str, u32)>,
    /// Where each bucket starts in `entries` (one more than there are buckets).
    starts: Vec<u16>,
    /// The classes of each bucket's entries together (their low sixteen bits): a word whose
    /// bucket has none of the classes asked about needs no comparison.
    any: Vec<u16>,
}

impl WordTable {
    /// Lengths from this one on share buckets.
    const MAX_LEN: usize = 15;
    const BUCKETS: usize = (Self::MAX_LEN + 1) << 10;

    /// The bucket of a word: its length, and the low five bits of its first and last bytes
    /// (which tell the letters a to z apart).
    #[inline]
    fn bucket(w: &str) -> usize {
        let b = w.as_bytes();
        let (first, last) = match (b.first(), b.last()) {
            (Some(&f), Some(&l)) => (f as usize & 31, l as usize & 31),
            _ => (0, 0),
        };
        (b.len().min(Self::MAX_LEN) << 10) | first << 5 | last
    }

    fn new(mut entries: Vec<(&'static str, u32)>) -> WordTable {
        assert!(entries.len() < u16::MAX as usize);
        entries.sort_by_key(|e| Self::bucket(e.0));
        let mut starts = Vec::with_capacity(Self::BUCKETS + 1);
        let mut k = 0;
        for b in 0..=Self::BUCKETS {
            while k < entries.len() && Self::bucket(entries[k].0) < b {
                k += 1;
            }
            starts.push(k as u16);
        }
        let mut any = vec![0u16; Self::BUCKETS];
        for e in &entries {
            any[Self::bucket(e.0)] |= e.1 as u16;
        }
        WordTable {
            entries,
            starts,
            any,
        }
    }

    /// The classes of `w` (0 for a word in no list).
    #[inline]
    fn get(&self, w: &str) -> u32 {
        self.in_bucket(Self::bucket(w), w)
    }

    /// The classes of `w` when its bucket has any of the classes `bits` (all below bit 16),
    /// else 0: most words are ruled out without a comparison.
    #[inline]
    fn get_if(&self, w: &str, bits: u32) -> u32 {
        let b = Self::bucket(w);
        if self.any[b] as u32 & bits == 0 {
            return 0;
        }
        self.in_bucket(b, w)
    }

    /// Whether `w` has any of the classes `bits` (all below bit 16).
    #[inline]
    fn has(&self, w: &str, bits: u32) -> bool {
        debug_assert!(bits <= u16::MAX as u32);
        let b = Self::bucket(w);
        self.any[b] as u32 & bits != 0 && self.in_bucket(b, w) & bits != 0
    }

    /// The classes of `w`, whose bucket is `b`.
    #[inline]
    fn in_bucket(&self, b: usize, w: &str) -> u32 {
        let (lo, hi) = (self.starts[b] as usize, self.starts[b + 1] as usize);
        if lo == hi {
            return 0;
        }
        // Byte by byte: the words are short, and a call to `memcmp` costs more.
        let same = |e: &str| e.len() == w.len() && e.bytes().zip(w.bytes()).all(|(a, b)| a == b);
        self.entries[lo..hi]
            .iter()
            .find(|e| same(e.0))
            .map_or(0, |e| e.1)
    }
}

/// Whether a lowercase word can head a source ("ministry", "officials"): [`SOURCE_HEADS`].
pub fn is_source_head(w: &str) -> bool {
    word_class(w) & class::SOURCE_HEAD != 0
}

/// The tokens of a text with lowercase words; their word classes and which figure covers
/// each are worked out when asked for (most tokens are never asked about).
struct Toks<'t> {
    text: &'t str,
    toks: &'t [Token],
    /// The lowercase form of each word token ("" for other tokens), as the figure reader has
    /// them ([`crate::figures::tokens::tokenize_lowered`]).
    lower: &'t [&'t str],
    /// The word classes ([`WORD_CLASSES`]).
    table: &'static WordTable,
    figures: &'t [Figure],
    /// For each figure, the greatest end of the figures up to it: the figure that may cover a
    /// token is the first whose prefix end is past the token's start.
    figure_ends: Vec<usize>,
    /// The figure index of the last token asked about: the next is usually near it.
    figure_hint: std::cell::Cell<usize>,
}

impl<'t> Toks<'t> {
    fn new(text: &'t str, toks: &'t [Token], lower: &'t [&'t str], figures: &'t [Figure]) -> Self {
        let figure_ends = figures
            .iter()
            .scan(0, |end, f| {
                *end = f.span.end.max(*end);
                Some(*end)
            })
            .collect();
        Toks {
            text,
            toks,
            lower,
            table: &WORD_CLASSES,
            figures,
            figure_ends,
            figure_hint: std::cell::Cell::new(0),
        }
    }

    /// [`word_class`] of the word at `i` (0 for other tokens).
    #[inline]
    fn class(&self, i: usize) -> u32 {
        if self.toks[i].kind != Kind::Word {
            return 0;
        }
        self.table.get(self.lower[i])
    }

    /// [`Toks::class`] when the word's bucket has any of the classes `bits` (see
    /// [`WordTable::get_if`]), else 0.
    #[inline]
    fn class_if(&self, i: usize, bits: u32) -> u32 {
        if self.toks[i].kind != Kind::Word {
            return 0;
        }
        self.table.get_if(self.lower[i], bits)
    }

    /// Whether token `i` lies inside a figure: inside the first figure that ends after the
    /// token starts (the figures of one token walk, as they are in text order).
    fn in_figure(&self, i: usize) -> bool {
        let t = &self.toks[i].span;
        let ends = &self.figure_ends;
        // How many running ends are at or before the token's start: the last answer when it
        // still holds, else a binary search.
        let h = self.figure_hint.get();
        let holds = (h == 0 || ends.get(h - 1).is_some_and(|&e| e <= t.start))
            && ends.get(h).is_none_or(|&e| e > t.start);
        let fi = if holds {
            h
        } else {
            let fi = ends.partition_point(|&e| e <= t.start);
            self.figure_hint.set(fi);
            fi
        };
        self.figures
            .get(fi)
            .is_some_and(|f| f.span.start <= t.start && t.end <= f.span.end)
    }

    /// Whether the word at `i` has any of the [`class`] bits `bits`.
    #[inline(always)]
    fn has(&self, i: usize, bits: u32) -> bool {
        self.toks[i].kind == Kind::Word && self.table.has(self.lower[i], bits)
    }

    #[inline]
    fn w(&self, i: usize) -> &'t str {
        self.lower[i]
    }

    #[inline]
    fn is_word(&self, i: usize) -> bool {
        self.toks[i].kind == Kind::Word
    }

    /// Whether token `i` is the first word of a sentence (capitalised for that reason alone).
    fn sentence_initial(&self, i: usize) -> bool {
        let mut j = i;
        loop {
            let Some(p) = j.checked_sub(1) else {
                return true;
            };
            match self.toks[p].kind {
                Kind::Space { breaks } if breaks > 0 => return true,
                Kind::Space { .. } => j = p,
                Kind::Punct => {
                    let s = &self.text[self.toks[p].span.clone()];
                    if matches!(s, "“" | "\"" | "‘" | "(" | "[" | "*" | "_") {
                        j = p;
                    } else {
                        return matches!(s, "." | "!" | "?" | ":" | "”" | "…" | "—" | "–" | "-");
                    }
                }
                _ => return false,
            }
        }
    }

    /// Whether token `i` is a capitalised word.
    #[inline(always)]
    fn cap(&self, i: usize) -> bool {
        let t = &self.toks[i];
        if t.kind != Kind::Word {
            return false;
        }
        match self.text.as_bytes()[t.span.start] {
            b if b.is_ascii() => b.is_ascii_uppercase(),
            _ => self.text[t.span.start..]
                .chars()
                .next()
                .is_some_and(char::is_uppercase),
        }
    }

    /// Whether token `i` is an acronym ("UN", "SANA's"): two or more capitals, at most eight bytes.
    fn acronym(&self, i: usize) -> bool {
        let s = &self.text[self.toks[i].span.clone()];
        if s.len() > 8 {
            return false;
        }
        if s.is_ascii() {
            let b = s.as_bytes();
            return b.iter().filter(|c| c.is_ascii_uppercase()).count() >= 2
                && b.iter()
                    .all(|&c| c.is_ascii_uppercase() || c == b'-' || c == b'\'' || c == b's');
        }
        let upper = s.chars().filter(|c| c.is_uppercase()).count();
        upper >= 2
            && s.chars()
                .all(|c| c.is_uppercase() || c == '-' || c == '’' || c == '\'' || c == 's')
            && s.len() <= 8
    }

    fn punct(&self, i: usize) -> Option<&str> {
        (self.toks[i].kind == Kind::Punct).then(|| &self.text[self.toks[i].span.clone()])
    }

    /// The previous non-space token, not crossing a paragraph break.
    fn prev(&self, i: usize) -> Option<usize> {
        let mut j = i.checked_sub(1)?;
        if let Kind::Space { breaks } = self.toks[j].kind {
            if breaks > 1 {
                return None;
            }
            j = j.checked_sub(1)?;
        }
        Some(j)
    }

    fn next(&self, i: usize) -> Option<usize> {
        let mut j = i + 1;
        if let Kind::Space { breaks } = self.toks.get(j)?.kind {
            if breaks > 1 {
                return None;
            }
            j += 1;
        }
        (j < self.toks.len()).then_some(j)
    }
}

/// Find every cue of a text (the analysis uses [`find_tokens`], over tokens it made already).
#[cfg(test)]
pub fn find<'t>(text: &'t str, st: &Structure, figures: &[Figure]) -> Vec<Cue<'t>> {
    let lowered = text.to_ascii_lowercase();
    let mut aside = String::new();
    let (toks, lower) = tokenize_lowered(text, &lowered, &mut aside);
    find_tokens(text, st, figures, &toks, &lower)
}

/// [`find`] over the tokens the figure reader made of the same text, and their lowercase forms
/// ([`tokenize_lowered`]).
pub fn find_tokens<'a, 't>(
    text: &'a str,
    st: &Structure,
    figures: &[Figure],
    toks: &'t [Token],
    lower: &'t Lower<'t>,
) -> Vec<Cue<'a>> {
    let t = Toks::new(text, toks, lower.forms(), figures);
    // About one cue for every five words listed: room for most texts' cues at once.
    let mut out = Vec::with_capacity(lower.cue_starts().len() / 4 + 4);
    // The first token a cue may start at: a cue's words start no other.
    let mut next = 0;
    // The sentence of the current token: tokens come in text order, so the sentence only
    // moves forward (as `st.sentence_at` would find it).
    let mut si = 0;
    let may_start: &FirstLengths = &CUE_STARTS;
    // Only a weasel phrase's first word, a preposition or a cue verb can start a cue: the
    // tokenizer listed the words that may be one ([`cue_start_words`]).
    for &i in lower.cue_starts() {
        if i < next || i >= t.toks.len() {
            continue;
        }
        next = i + 1;
        // A first letter and length no cue's first word has: ruled out before the word
        // table is asked.
        if !may_start.may_hold(t.w(i)) {
            continue;
        }
        let c = t.class_if(i, STARTS);
        if c & STARTS == 0 {
            continue;
        }
        let at = t.toks[i].span.start;
        while si < st.sentences.len() && st.sentences[si].span.end <= at {
            si += 1;
        }
        if si >= st.sentences.len() || st.sentences[si].span.start > at {
            continue;
        }
        let sentence = si;
        let mk = |span: Range<usize>, kind: CueKind, anchor: usize| Cue {
            text: text[span.clone()].trim(),
            span,
            kind,
            anchor,
            sentence,
            quote: st.quote_at(at),
        };
        // Weasel phrases.
        if let Some(len) = weasel_at(&t, i, c) {
            let end = nth_word(&t, i, len - 1);
            out.push(mk(
                t.toks[i].span.start..t.toks[end].span.end,
                CueKind::Vague,
                at,
            ));
            next = end + 1;
            continue;
        }
        let w = t.w(i);
        // "according to X", "as reported by X", "citing X", "for Syrian media" (every word
        // matched here is a [`class::PREP`]).
        let prep_end = match w {
            _ if c & class::PREP == 0 => None,
            "according" => t.next(i).filter(|&j| t.w(j) == "to"),
            "by" if t.prev(i).is_some_and(|p| {
                matches!(
                    t.w(p),
                    "reported"
                        | "cited"
                        | "quoted"
                        | "estimated"
                        | "counted"
                        | "confirmed"
                        | "documented"
                        | "recorded"
                        | "compiled"
                )
            }) =>
            {
                Some(i)
            }
            "citing" | "quoting" => Some(i),
            "of" if t.prev(i).is_some_and(|p| t.w(p) == "words") => Some(i),
            "for" => Some(i),
            _ => None,
        };
        // "according to a statement by the ministry", "according to figures from the UN":
        // the source is after the preposition.
        let prep_end = match prep_end.filter(|_| w == "according") {
            Some(pe) => {
                let mut k = t.next(pe);
                if k.is_some_and(|k| matches!(t.w(k), "a" | "an" | "the")) {
                    k = k.and_then(|k| t.next(k));
                }
                while k.is_some_and(|k| {
                    matches!(
                        t.w(k),
                        "latest"
                            | "new"
                            | "official"
                            | "initial"
                            | "preliminary"
                            | "updated"
                            | "final"
                            | "recent"
                    )
                }) {
                    k = k.and_then(|k| t.next(k));
                }
                let doc = k.filter(|&k| {
                    matches!(
                        t.w(k),
                        "statement"
                            | "report"
                            | "tally"
                            | "count"
                            | "estimate"
                            | "estimates"
                            | "figures"
                            | "data"
                            | "statistics"
                            | "toll"
                            | "census"
                            | "survey"
                    )
                });
                match doc.and_then(|d| t.next(d)).filter(|&b| {
                    matches!(
                        t.w(b),
                        "by" | "from" | "of" | "released" | "issued" | "published"
                    )
                }) {
                    Some(b) => Some(b),
                    None => Some(pe),
                }
            }
            None => prep_end,
        };
        if let Some(pe) = prep_end.filter(|&pe| w == "according" && t.w(pe) == "to") {
            if let Some(n) = t
                .next(pe)
                .filter(|&n| matches!(t.w(n), "its" | "their" | "his" | "her"))
            {
                out.push(mk(t.toks[n].span.clone(), CueKind::Pronoun, at));
                next = n + 1;
                continue;
            }
            // "according to one estimate", "according to some accounts": vague.
            if let Some(n) = t.next(pe).filter(|&n| {
                matches!(
                    t.w(n),
                    "one"
                        | "a"
                        | "an"
                        | "some"
                        | "several"
                        | "many"
                        | "other"
                        | "various"
                        | "unconfirmed"
                        | "initial"
                        | "early"
                )
            }) {
                let mut e = n;
                for _ in 0..3 {
                    match t.next(e).filter(|&x| t.is_word(x)) {
                        Some(x) => {
                            e = x;
                            if t.has(x, class::SOURCE_HEAD)
                                || matches!(
                                    t.w(x),
                                    "estimate"
                                        | "estimates"
                                        | "count"
                                        | "tally"
                                        | "account"
                                        | "accounts"
                                )
                            {
                                break;
                            }
                        }
                        None => break,
                    }
                }
                out.push(mk(
                    t.toks[n].span.start..t.toks[e].span.end,
                    CueKind::Vague,
                    at,
                ));
                next = e + 1;
                continue;
            }
        }
        if let Some(pe) = prep_end {
            if let Some((span, toks)) = np_right(&t, pe) {
                // "for" names only vague media: other heads need no classifying.
                let media_only = w == "for";
                let head = head_word(&t, &toks).map_or("", |k| t.w(k));
                let media = matches!(
                    head,
                    "media" | "press" | "outlets" | "sources" | "television" | "tv"
                );
                let kind = (!media_only || media).then(|| classify(&t, &toks));
                if let Some(kind) = kind.filter(|&k| !media_only || k == CueKind::Vague) {
                    out.push(mk(span, kind, at));
                    next = toks.last().unwrap_or(pe) + 1;
                    continue;
                }
            }
        }
        // "X said", "X has also reported", "he said", "their most cited figure".
        if c & class::CUE_VERB != 0 {
            let prev = t.prev(i);
            let noun_use =
                c & class::NOUN_LIKE != 0 && prev.is_some_and(|p| t.has(p, class::DETERMINER));
            if !noun_use {
                if let Some(c) = verb_cue(&t, i) {
                    out.push(mk(c.0, c.1, at));
                }
            } else if let Some(p) = prev {
                if matches!(t.w(p), "its" | "their" | "his" | "her") {
                    out.push(mk(t.toks[p].span.clone(), CueKind::Pronoun, at));
                } else if matches!(t.w(p), "my" | "our") {
                    out.push(mk(t.toks[p].span.clone(), CueKind::FirstPerson, at));
                }
            }
        }
    }
    out
}

fn nth_word(t: &Toks, i: usize, n: usize) -> usize {
    let mut j = i;
    for _ in 0..n {
        match t.next(j) {
            Some(k) => j = k,
            None => break,
        }
    }
    j
}

/// The length in words of the weasel phrase starting at token `i`, whose classes are `c`.
fn weasel_at(t: &Toks, i: usize, c: u32) -> Option<usize> {
    use std::sync::LazyLock;
    // For each weasel id (from 1), the phrases that start with its word, in list order: only
    // phrases that start with the word at `i` are compared.
    static FIRST: LazyLock<Vec<Vec<usize>>> = LazyLock::new(|| {
        let firsts = weasel_firsts();
        firsts
            .iter()
            .map(|&f| (0..WEASELS.len()).filter(|&k| WEASELS[k][0] == f).collect())
            .collect()
    });
    let id = c >> class::WEASEL_ID_SHIFT;
    if id == 0 {
        return None;
    }
    'phrases: for &pi in FIRST.get(id as usize - 1).map_or(&[][..], Vec::as_slice) {
        let p = WEASELS[pi];
        let mut j = i;
        for (k, w) in p.iter().enumerate() {
            if t.w(j) != *w {
                continue 'phrases;
            }
            if k + 1 < p.len() {
                match t.next(j) {
                    Some(n) if t.is_word(n) => j = n,
                    _ => continue 'phrases,
                }
            }
        }
        return Some(p.len());
    }
    None
}

/// The source of a cue verb at `v`: its subject on the left, or after it ("said the ministry").
fn verb_cue(t: &Toks, v: usize) -> Option<(Range<usize>, CueKind)> {
    // Skip auxiliaries and adverbs leftwards; look for a pronoun or possessive.
    let mut j = t.prev(v);
    let mut steps = 0;
    while let Some(p) = j {
        let w = t.w(p);
        if matches!(w, "he" | "she" | "it" | "they") {
            return Some((t.toks[p].span.clone(), CueKind::Pronoun));
        }
        if matches!(w, "their" | "its" | "his" | "her") && steps <= 3 {
            return Some((t.toks[p].span.clone(), CueKind::Pronoun));
        }
        if matches!(w, "i" | "we" | "my" | "our") {
            return Some((t.toks[p].span.clone(), CueKind::FirstPerson));
        }
        if t.has(p, class::AUX) && steps < 4 {
            j = t.prev(p);
            steps += 1;
            continue;
        }
        break;
    }
    if let Some(p) = j {
        if let Some((span, toks)) = np_left(t, p) {
            return Some((span, classify(t, &toks)));
        }
        // An appositive: "Anders Lund, a spokesman for the coalition, said" names Lund.
        if t.punct(p) == Some(",") {
            if let Some((span1, toks1)) = t.prev(p).and_then(|q| np_left_desc(t, q)) {
                let before = toks1.first().and_then(|f| t.prev(f));
                if let Some(c) = before.filter(|&c| t.punct(c) == Some(",")) {
                    if let Some((span2, toks2)) = t.prev(c).and_then(|q| np_left(t, q)) {
                        if classify(t, &toks2) == CueKind::Named {
                            return Some((span2, CueKind::Named));
                        }
                    }
                }
                return Some((span1, classify(t, &toks1)));
            }
            // A relative clause: "Turkey, which hosts 3.6 million refugees, says".
            let mut q = t.prev(p);
            for _ in 0..40 {
                let Some(k) = q else { break };
                if t.punct(k)
                    .is_some_and(|x| matches!(x, "." | "!" | "?" | ";" | "“" | "”" | "\""))
                {
                    break;
                }
                if t.punct(k) == Some(",") {
                    let opens = t.next(k).is_some_and(|n| {
                        matches!(
                            t.w(n),
                            "which" | "who" | "whose" | "where" | "a" | "an" | "the"
                        )
                    });
                    if opens {
                        if let Some((span2, toks2)) = t.prev(k).and_then(|b| np_left(t, b)) {
                            if classify(t, &toks2) == CueKind::Named {
                                return Some((span2, CueKind::Named));
                            }
                        }
                    }
                    break;
                }
                q = t.prev(k);
            }
        }
    }
    // Inverted: "…,” said the ministry", "said 36-year-old Amina Rwein".
    if matches!(
        t.w(v),
        "said" | "says" | "told" | "added" | "reported" | "wrote" | "noted" | "claimed" | "stated"
    ) {
        let before = t.prev(v).and_then(|p| t.punct(p));
        if before.is_none_or(|p| matches!(p, "," | "”" | "\"" | "’" | "'" | "—" | "–")) {
            if let Some((span, toks)) = np_right_skipping(t, v) {
                return Some((span, classify(t, &toks)));
            }
        }
    }
    None
}

/// The tokens of a source phrase, in text order, held on the stack as 32-bit indices: a
/// phrase has at most fifteen (fourteen words and an article), and a search makes several.
/// (A token past the 32-bit range, in a text of over four billion tokens, is not taken.)
#[derive(Debug, Clone, Copy)]
struct Words {
    buf: [u32; Words::CAP],
    /// The phrase is `buf[lo..hi]`.
    lo: u8,
    hi: u8,
}

impl Words {
    const CAP: usize = 16;

    /// An empty phrase to be filled leftwards ([`Words::push_front`]).
    fn from_right() -> Words {
        Words {
            buf: [0; Words::CAP],
            lo: Words::CAP as u8,
            hi: Words::CAP as u8,
        }
    }

    /// An empty phrase to be filled rightwards ([`Words::push`]).
    fn from_left() -> Words {
        Words {
            buf: [0; Words::CAP],
            lo: 0,
            hi: 0,
        }
    }

    /// Put token `k` first (nothing happens when the left end is full, which the searches
    /// never let happen).
    fn push_front(&mut self, k: usize) {
        if let (Some(lo), Ok(k)) = (self.lo.checked_sub(1), u32::try_from(k)) {
            self.buf[lo as usize] = k;
            self.lo = lo;
        }
    }

    /// Put token `k` last (likewise).
    fn push(&mut self, k: usize) {
        if let (Some(slot), Ok(k)) = (self.buf.get_mut(self.hi as usize), u32::try_from(k)) {
            *slot = k;
            self.hi += 1;
        }
    }

    /// Drop the first token, if any.
    fn pop_front(&mut self) {
        if self.lo < self.hi {
            self.lo += 1;
        }
    }

    /// Drop the last token, if any.
    fn pop(&mut self) {
        if self.lo < self.hi {
            self.hi -= 1;
        }
    }

    fn len(&self) -> usize {
        usize::from(self.hi - self.lo)
    }

    fn is_empty(&self) -> bool {
        self.lo == self.hi
    }

    /// The first token.
    fn first(&self) -> Option<usize> {
        self.iter().next()
    }

    /// The last token.
    fn last(&self) -> Option<usize> {
        self.iter().next_back()
    }

    /// The tokens, in text order.
    fn iter(&self) -> impl DoubleEndedIterator<Item = usize> + Clone + '_ {
        self.buf[usize::from(self.lo)..usize::from(self.hi)]
            .iter()
            .map(|&k| k as usize)
    }
}

fn np_word_ok(t: &Toks, i: usize) -> bool {
    if !t.is_word(i) || t.in_figure(i) {
        return false;
    }
    let w = t.w(i);
    if t.cap(i) {
        // `trim_end_matches("'s")`, without setting up a substring search.
        let mut base = w;
        while let Some(b) = base.strip_suffix("'s") {
            base = b;
        }
        if matches!(
            base,
            "some" | "other" | "several" | "many" | "local" | "state"
        ) {
            return true;
        }
        let stop = if base.len() == w.len() {
            t.has(i, class::STOP_CAP)
        } else {
            word_class(base) & class::STOP_CAP != 0
        };
        return !stop
            && !crate::figures::lexicon::is_month(base)
            && !crate::figures::lexicon::is_weekday(base);
    }
    t.has(i, class::SOURCE_HEAD | class::SOURCE_MOD)
        || matches!(w, "the" | "of" | "and" | "from" | "in" | "for")
}

/// The source phrase ending at token `end` (inclusive), walking left.
fn np_left(t: &Toks, end: usize) -> Option<(Range<usize>, Words)> {
    // Filled from the right: the first token pushed is the phrase's last.
    let mut toks = Words::from_right();
    let mut i = Some(end);
    while let Some(k) = i {
        if toks.len() >= 14 {
            break;
        }
        if np_word_ok(t, k) {
            toks.push_front(k);
        } else if t.is_word(k) && !t.in_figure(k) && !toks.is_empty() && modifier_run(t, k) {
            // "the Iraqi migration ministry": an unknown lowercase modifier, when an article or
            // a capitalised word stands just before it.
            toks.push_front(k);
        } else if let Some(p) = t.punct(k) {
            // "Al-Qaeda", "U.N.", "The Syrians, the Russians"
            let joined = matches!(p, "-" | "." | "’" | "'")
                && k > 0
                && t.is_word(k - 1)
                && !toks.is_empty()
                && toks.first() == Some(k + 1);
            // A list of names: the word before the comma is a name too.
            let list_comma = p == ","
                && toks.first().is_some_and(|l| t.cap(l) || t.w(l) == "the")
                && t.prev(k).is_some_and(|q| {
                    t.cap(q)
                        && !t.has(q, class::STOP_CAP)
                        && !crate::figures::lexicon::is_weekday(t.w(q))
                });
            if !(joined || list_comma) {
                break;
            }
        } else {
            break;
        }
        i = t.prev(k);
    }
    // "a senior Western diplomat": keep the indefinite article, it makes the source vague.
    if let Some(p) = toks.first().and_then(|f| t.prev(f)) {
        if matches!(t.w(p), "a" | "an") {
            toks.push_front(p);
        }
    }
    trim(t, toks)
}

/// Whether the lowercase word at `k` (not a known source word) sits inside a description:
/// one or two such words, then a capitalised word or an article further left.
fn modifier_run(t: &Toks, k: usize) -> bool {
    let w = t.w(k);
    if t.cap(k)
        || w.len() < 3
        || t.has(k, class::STOP_CAP | class::CUE_VERB | class::AUX)
        || w.ends_with("ly")
    {
        return false;
    }
    let mut j = t.prev(k);
    for _ in 0..2 {
        let Some(p) = j else { return false };
        if !t.is_word(p) {
            return false;
        }
        if matches!(t.w(p), "the" | "a" | "an") || (t.cap(p) && !t.has(p, class::STOP_CAP)) {
            return true;
        }
        if t.has(p, class::STOP_CAP | class::CUE_VERB) {
            return false;
        }
        j = t.prev(p);
    }
    false
}

/// A description ending at `end` ("a spokesman for the aid coalition"), walking left over
/// lowercase words too, up to an article.
fn np_left_desc(t: &Toks, end: usize) -> Option<(Range<usize>, Words)> {
    let mut toks = Words::from_right();
    let mut i = Some(end);
    while let Some(k) = i {
        if t.punct(k) == Some(",") {
            break;
        }
        if t.punct(k).is_some_and(|p| matches!(p, "-" | "’" | "'")) {
            i = t.prev(k); // "a UK-based monitor"
            continue;
        }
        if toks.len() >= 10 || !t.is_word(k) || t.in_figure(k) {
            return None;
        }
        toks.push_front(k);
        i = t.prev(k);
    }
    if !toks
        .first()
        .is_some_and(|k| matches!(t.w(k), "a" | "an" | "the"))
    {
        return None;
    }
    trim(t, toks)
}

/// The source phrase starting after token `start`, walking right.
fn np_right(t: &Toks, start: usize) -> Option<(Range<usize>, Words)> {
    let mut toks = Words::from_left();
    let mut i = t.next(start);
    while let Some(k) = i {
        if toks.len() >= 14 {
            break;
        }
        if np_word_ok(t, k) {
            toks.push(k);
        } else if let Some(p) = t.punct(k) {
            let joined = matches!(p, "-" | "." | "’" | "'")
                && !toks.is_empty()
                && toks.last() == Some(k - 1)
                && t.toks.get(k + 1).is_some_and(|n| n.kind == Kind::Word);
            let title = p == "."
                && toks.last().is_some_and(|l| {
                    l + 1 == k
                        && matches!(
                            t.w(l),
                            "dr" | "mr"
                                | "mrs"
                                | "ms"
                                | "gen"
                                | "col"
                                | "lt"
                                | "sgt"
                                | "capt"
                                | "maj"
                                | "prof"
                                | "rev"
                                | "sen"
                                | "rep"
                                | "gov"
                                | "st"
                                | "brig"
                                | "adm"
                                | "cpl"
                                | "pres"
                                | "amb"
                        )
                });
            if !(joined || title) {
                break;
            }
        } else {
            break;
        }
        i = t.next(k);
    }
    trim(t, toks)
}

/// After an inverted verb, skip a few lowercase words or an age ("36-year-old") first.
fn np_right_skipping(t: &Toks, v: usize) -> Option<(Range<usize>, Words)> {
    let mut j = v;
    for _ in 0..6 {
        if let Some(r) = np_right(t, j) {
            return Some(r);
        }
        j = t.next(j)?;
        if t.punct(j).is_some_and(|p| !matches!(p, "-")) {
            return None;
        }
        if t.is_word(j) && t.cap(j) {
            return None;
        }
    }
    None
}

/// Drop connectors at the ends; a phrase needs a capitalised word or a source noun.
fn trim(t: &Toks, mut toks: Words) -> Option<(Range<usize>, Words)> {
    while toks
        .first()
        .is_some_and(|k| matches!(t.w(k), "of" | "and" | "from" | "in" | "for"))
    {
        toks.pop_front();
    }
    while toks
        .last()
        .is_some_and(|k| matches!(t.w(k), "of" | "and" | "the" | "from" | "in" | "for"))
    {
        toks.pop();
    }
    let has = toks.iter().any(|k| {
        (t.cap(k) && !matches!(t.w(k), "the" | "a" | "an")) || t.has(k, class::SOURCE_HEAD)
    });
    if !has {
        return None;
    }
    let span = t.toks[toks.first()?].span.start..t.toks[toks.last()?].span.end;
    Some((span, toks))
}

/// The head noun of a phrase: the token of its last word before a preposition.
fn head_word(t: &Toks, toks: &Words) -> Option<usize> {
    let mut head = None;
    for k in toks.iter() {
        if matches!(t.w(k), "of" | "from" | "in") && head.is_some() {
            break;
        }
        if t.is_word(k) {
            head = Some(k);
        }
    }
    head
}

/// Named, vague or definite ("the ministry").
fn classify(t: &Toks, toks: &Words) -> CueKind {
    let words = || toks.iter().filter(|&k| t.is_word(k));
    let Some(first) = words().next() else {
        return CueKind::Vague;
    };
    if matches!(t.w(first), "a" | "an") {
        return CueKind::Vague;
    }
    let head_tok = head_word(t, toks);
    let head = head_tok.map_or("", |k| t.w(k));
    let head_class = head_tok.map_or(0, |k| t.class(k));
    // Capitalised words that are names, not common words capitalised at a sentence start.
    let proper = |k: usize| {
        let w = t.w(k);
        t.cap(k)
            && !matches!(w, "the" | "some" | "other" | "several" | "many")
            && !(t.has(k, class::SOURCE_HEAD | class::SOURCE_MOD) && t.sentence_initial(k))
    };
    let caps = words().filter(|&k| proper(k)).count();
    // Whether a word is an acronym ("UN"), and whether every proper word is a nationality
    // ("Syrian", "Western"): worked out only where they can change the answer (a named
    // phrase with a head that is not vague needs neither).
    let acronym = std::cell::OnceCell::new();
    let acronym = || *acronym.get_or_init(|| words().any(|k| t.acronym(k)));
    let nationality_only = || {
        words().filter(|&k| proper(k)).all(|k| {
            let w = t.w(k);
            w.ends_with("ian")
                || w.ends_with("ese")
                || w.ends_with("ish")
                || w.ends_with('i')
                || w.ends_with("an")
                || matches!(w, "western" | "arab" | "christian" | "local" | "state")
        })
    };
    // "the ministry", "the monitor": may refer back to a source named before.
    if caps == 0
        && t.w(first) == "the"
        && head_class & class::SOURCE_HEAD != 0
        && !head.ends_with('s')
        && head != "media"
        && !acronym()
    {
        return CueKind::Definite;
    }
    if head_class & class::VAGUE_HEAD != 0
        && (caps == 0 || is_plural_generic(head) || nationality_only())
        && !acronym()
    {
        return CueKind::Vague;
    }
    if caps == 0 && !acronym() {
        if t.w(first) == "the" && head_class & class::SOURCE_HEAD != 0 {
            return CueKind::Definite;
        }
        return CueKind::Vague;
    }
    CueKind::Named
}

/// Heads that stay vague even with a place in the phrase ("Reports from Aleppo").
fn is_plural_generic(head: &str) -> bool {
    matches!(
        head,
        "reports" | "report" | "sources" | "source" | "accounts" | "rumours" | "rumors" | "claims"
    )
}

#[cfg(test)]
mod fast_lookup_tests {
    use super::*;

    /// [`classify`] as it was, working out the acronyms and nationalities of every phrase:
    /// the reference the lazy one must agree with.
    fn old_classify(t: &Toks, toks: &Words) -> CueKind {
        let words = || toks.iter().filter(|&k| t.is_word(k));
        let Some(first) = words().next() else {
            return CueKind::Vague;
        };
        if matches!(t.w(first), "a" | "an") {
            return CueKind::Vague;
        }
        let head_tok = head_word(t, toks);
        let head = head_tok.map_or("", |k| t.w(k));
        let head_class = head_tok.map_or(0, |k| t.class(k));
        let acronym = words().any(|k| t.acronym(k));
        // Capitalised words that are names, not common words capitalised at a sentence start.
        let proper = |k: usize| {
            let w = t.w(k);
            t.cap(k)
                && !matches!(w, "the" | "some" | "other" | "several" | "many")
                && !(t.has(k, class::SOURCE_HEAD | class::SOURCE_MOD) && t.sentence_initial(k))
        };
        // The proper words, and whether each is a nationality ("Syrian", "Western"), in one pass.
        let (mut caps, mut nationality_only) = (0, true);
        for k in words().filter(|&k| proper(k)) {
            caps += 1;
            let w = t.w(k);
            nationality_only &= w.ends_with("ian")
                || w.ends_with("ese")
                || w.ends_with("ish")
                || w.ends_with('i')
                || w.ends_with("an")
                || matches!(w, "western" | "arab" | "christian" | "local" | "state");
        }
        // "the ministry", "the monitor": may refer back to a source named before.
        if caps == 0
            && !acronym
            && t.w(first) == "the"
            && head_class & class::SOURCE_HEAD != 0
            && !head.ends_with('s')
            && head != "media"
        {
            return CueKind::Definite;
        }
        if head_class & class::VAGUE_HEAD != 0
            && !acronym
            && (caps == 0 || nationality_only || is_plural_generic(head))
        {
            return CueKind::Vague;
        }
        if caps == 0 && !acronym {
            if t.w(first) == "the" && head_class & class::SOURCE_HEAD != 0 {
                return CueKind::Definite;
            }
            return CueKind::Vague;
        }
        CueKind::Named
    }

    /// Every run of up to fifteen tokens of random texts is classified as the eager version
    /// classified it.
    #[test]
    fn phrases_are_classified_as_before() {
        const PIECES: &[&str] = &[
            "the",
            "The",
            "a",
            "An",
            "UN",
            "U.N",
            "SANA's",
            "Syrian",
            "Western",
            "Arab",
            "Iraqi",
            "ministry",
            "Ministry",
            "officials",
            "sources",
            "Sources",
            "reports",
            "monitor",
            "media",
            "Media",
            "activists",
            "of",
            "from",
            "in",
            "Aleppo",
            "Red",
            "Cross",
            "local",
            "State",
            "Some",
            "many",
            "said",
            " ",
            " ",
            " ",
            ". ",
            ", ",
            "\n",
            "Chinese",
            "Turkish",
            "Qatari",
            "É",
            "ÉTAT",
            "’s",
            "the ministry ",
            "the monitor ",
            "the UN monitor ",
            "the local council ",
            "Syrian media ",
            "the Chinese officials ",
        ];
        let mut rng = crate::test_rng::XorShift(0x2545_f491_4f6c_dd1d);
        let mut kinds = [0usize; 5];
        for round in 0..1500 {
            let mut text = String::new();
            for _ in 0..(round % 30) {
                text.push_str(PIECES[rng.below(PIECES.len())]);
            }
            let lowered = text.to_ascii_lowercase();
            let mut aside = String::new();
            let (toks, lower) = tokenize_lowered(&text, &lowered, &mut aside);
            let t = Toks::new(&text, &toks, lower.forms(), &[]);
            for start in 0..toks.len() {
                let mut phrase = Words::from_left();
                for k in (start..toks.len()).filter(|&k| t.is_word(k)).take(15) {
                    phrase.push(k);
                    let kind = classify(&t, &phrase);
                    assert_eq!(kind, old_classify(&t, &phrase), "{text:?} {start} {k}");
                    kinds[kind as usize] += 1;
                }
            }
        }
        // Named, vague and definite phrases all came up.
        let [named, vague, _, definite, _] = kinds;
        assert!(named > 100 && vague > 100 && definite > 100, "{kinds:?}");
    }

    /// The first-byte-and-length filter lets through every word that can start a cue, and
    /// rules out the empty form of a token that is not a word; words just longer or shorter
    /// than a listed one are ruled out when no listed word shares their first byte and length.
    #[test]
    fn the_cue_start_filter_keeps_every_cue_start() {
        const STARTS: u32 = class::WEASEL_START | class::PREP | class::CUE_VERB;
        let firsts = &*CUE_STARTS;
        let listed: Vec<&str> = WORD_CLASSES
            .entries
            .iter()
            .filter(|e| e.1 & STARTS != 0)
            .map(|e| e.0)
            .collect();
        assert!(listed.len() > 50);
        for w in &listed {
            assert!(firsts.may_hold(w), "{w}");
            assert_ne!(word_class(w) & STARTS, 0, "{w}");
        }
        assert!(!firsts.may_hold(""));
        let mut ruled_out = 0;
        for w in &listed {
            for other in [format!("{w}xx"), format!("q{w}"), w[1..].to_string()] {
                let shares = listed.iter().any(|l| {
                    l.as_bytes().first() == other.as_bytes().first()
                        && l.len().min(FirstLengths::MAX_LEN)
                            == other.len().min(FirstLengths::MAX_LEN)
                });
                assert_eq!(firsts.may_hold(&other), shares, "{other}");
                ruled_out += usize::from(!shares);
            }
        }
        assert!(ruled_out > 50, "{ruled_out}");
    }

    /// The tokenizer lists, in order, every word a cue can start at (every word whose form
    /// has a class of [`STARTS`], which the scan over all tokens started at), and only words.
    #[test]
    fn the_tokenizer_lists_every_cue_start() {
        let mut pieces: Vec<String> = cue_start_words()
            .flat_map(|w| {
                let mut cap = w.to_string();
                cap[..1].make_ascii_uppercase();
                [w.to_string(), cap, w.to_ascii_uppercase(), format!("{w}s")]
            })
            .collect();
        pieces.extend(
            [
                " ", " ", " ", "\n", ",", ".", "’", "'", "é", "É", "\u{212A}", "1,200", "the",
                "ministry", "Aleppo", "Saïd", "sÄid", "ſaid", "x", "to",
            ]
            .map(String::from),
        );
        let mut rng = crate::test_rng::XorShift(0x1234_5678_9abc_def1);
        let mut found = 0;
        for round in 0..3000 {
            let mut text = String::new();
            for _ in 0..(round % 30) {
                text.push_str(&pieces[rng.below(pieces.len())]);
                // Mostly words apart; sometimes run together.
                if rng.below(4) != 0 {
                    text.push(' ');
                }
            }
            let lowered = text.to_ascii_lowercase();
            let mut aside = String::new();
            let (toks, lower) = tokenize_lowered(&text, &lowered, &mut aside);
            let t = Toks::new(&text, &toks, lower.forms(), &[]);
            let listed = lower.cue_starts();
            assert!(listed.windows(2).all(|p| p[0] < p[1]), "{text:?}");
            assert!(listed.iter().all(|&i| t.is_word(i)), "{text:?}");
            for i in 0..toks.len() {
                if t.is_word(i) && word_class(t.w(i)) & STARTS != 0 {
                    assert!(listed.contains(&i), "{text:?} token {i}");
                    found += 1;
                }
            }
        }
        assert!(found > 10_000, "{found}");
    }

    #[test]
    fn word_classes_agree_with_the_word_lists() {
        let mut words: Vec<String> = [
            CUE_VERBS,
            NOUN_LIKE,
            DETERMINERS,
            AUX,
            SOURCE_HEADS,
            VAGUE_HEADS,
            SOURCE_MODS,
            STOP_CAPS,
        ]
        .iter()
        .flat_map(|l| l.iter().map(|w| w.to_string()))
        .collect();
        let more: Vec<String> = words
            .iter()
            .flat_map(|w| [format!("{w}s"), w[1..].to_string(), format!("x{w}")])
            .collect();
        words.extend(more);
        words.extend(
            [
                "",
                "according",
                "by",
                "of",
                "for",
                "quoting",
                "citing",
                "reportedly",
            ]
            .map(String::from),
        );
        let firsts = weasel_firsts();
        for w in &words {
            let c = word_class(w);
            let w = w.as_str();
            let expect = [
                (CUE_VERBS.contains(&w), class::CUE_VERB),
                (NOUN_LIKE.contains(&w), class::NOUN_LIKE),
                (DETERMINERS.contains(&w), class::DETERMINER),
                (AUX.contains(&w), class::AUX),
                (SOURCE_HEADS.contains(&w), class::SOURCE_HEAD),
                (VAGUE_HEADS.contains(&w), class::VAGUE_HEAD),
                (SOURCE_MODS.contains(&w), class::SOURCE_MOD),
                (STOP_CAPS.contains(&w), class::STOP_CAP),
                (WEASELS.iter().any(|p| p[0] == w), class::WEASEL_START),
                (
                    matches!(w, "according" | "by" | "citing" | "quoting" | "of" | "for"),
                    class::PREP,
                ),
            ];
            for (is, bit) in expect {
                assert_eq!(c & bit != 0, is, "{w:?} {bit}");
                assert_eq!(WORD_CLASSES.has(w, bit), is, "{w:?} {bit}");
            }
            // Masks of several classes, as the cue search asks.
            for mask in 1..1u32 << 10 {
                assert_eq!(WORD_CLASSES.has(w, mask), c & mask != 0, "{w:?} {mask}");
            }
            let id = firsts
                .iter()
                .position(|&f| f == w)
                .map_or(0, |k| k as u32 + 1);
            assert_eq!(c >> class::WEASEL_ID_SHIFT, id, "{w:?}");
        }
    }

    /// `Toks::in_figure`, asked token by token, says what the walk over all tokens it replaced
    /// said: figures in any order, overlapping or nested.
    #[test]
    fn in_figure_agrees_with_the_walk_over_all_tokens() {
        let text = "Some 1,200 people, said the ministry, and 35 more in 2 towns: 7 - 9.";
        let lowered = text.to_ascii_lowercase();
        let mut aside = String::new();
        let (toks, lower) = tokenize_lowered(text, &lowered, &mut aside);
        let proto = crate::figures::extract(text)
            .into_iter()
            .next()
            .expect("a figure");
        let mut rng = crate::test_rng::XorShift(0x2545_f491_4f6c_dd1d);
        let mut rand = |n: usize| rng.below(n);
        for _ in 0..3000 {
            let mut figures = Vec::new();
            let mut at = 0;
            for _ in 0..rand(6) {
                let start = (at + rand(12)).min(text.len());
                let end = (start + rand(20)).min(text.len());
                let mut f = proto.clone();
                f.span = start..end;
                figures.push(f);
                at = start;
            }
            // The walk `Toks` did over every token.
            let mut walk = vec![false; toks.len()];
            let mut fi = 0;
            for (i, t) in toks.iter().enumerate() {
                while fi < figures.len() && figures[fi].span.end <= t.span.start {
                    fi += 1;
                }
                if let Some(f) = figures.get(fi) {
                    walk[i] = f.span.start <= t.span.start && t.span.end <= f.span.end;
                }
            }
            let t = Toks::new(text, &toks, lower.forms(), &figures);
            for (i, &w) in walk.iter().enumerate() {
                let spans: Vec<_> = figures.iter().map(|f| f.span.clone()).collect();
                assert_eq!(t.in_figure(i), w, "token {i} figures {spans:?}");
            }
        }
    }

    #[test]
    fn lowered_words_are_the_lowercase_words() {
        const PIECES: &[&str] = &[
            "Said",
            "SANA",
            "the",
            "’s",
            "'",
            "Σ",
            "ΑΣ",
            "İstanbul",
            "حلب",
            "é",
            "É",
            " ",
            "\n",
            ".",
            "1,200",
            "McDonald",
            "ǅ",
            "aǅ",
            "x",
            "\u{212A}elvin",
            "’",
        ];
        let mut rng = crate::test_rng::XorShift(0x9e37_79b9_7f4a_7c15);
        for round in 0..2000 {
            let mut text = String::new();
            for _ in 0..(round % 40) {
                let seed = rng.next();
                text.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            let lowered = text.to_ascii_lowercase();
            let mut aside = String::new();
            let (toks, lower) = tokenize_lowered(&text, &lowered, &mut aside);
            // What `figures::tokens::lowercase_words` gave when `Toks` used it.
            let expect: Vec<String> = toks
                .iter()
                .map(|t| match t.kind {
                    Kind::Word => {
                        let w = &text[t.span.clone()];
                        if w.chars().all(|c| !c.is_uppercase() && c != '’') {
                            w.to_string()
                        } else {
                            w.to_lowercase().replace('’', "'")
                        }
                    }
                    _ => String::new(),
                })
                .collect();
            let t = Toks::new(&text, &toks, lower.forms(), &[]);
            for (i, e) in expect.iter().enumerate() {
                assert_eq!(t.w(i), e.as_str(), "{text:?} token {i}");
                let cap = t.is_word(i)
                    && text[t.toks[i].span.clone()]
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase);
                assert_eq!(t.cap(i), cap, "{text:?} token {i}");
            }
        }
    }
}
