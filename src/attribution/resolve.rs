//! Attribution of each figure: sentence cues, quotations, headlines, pronouns and repeats.

use super::cues::{self, Cue, CueKind};
use super::{Attribution, AttributionKind, Via};
use crate::article::Article;
use crate::corpus::{Config, FastMap, FastSet};

use crate::figures::lexicon::noun_group;
use crate::figures::tokens::{tokenize_lowered, Lower, Token};
use crate::figures::{Figure, FigureClass, UnitKind, Value};
use crate::text::Structure;

/// The attribution of each figure of an article (same order as `figures`).
pub fn attribute(article: &Article, figures: &[Figure], config: &Config) -> Vec<Attribution> {
    let text = article.analysis_text.as_str();
    let lowered = text.to_ascii_lowercase();
    let mut aside = String::new();
    let (toks, lower) = tokenize_lowered(text, &lowered, &mut aside);
    attribute_tokens(article, figures, config, &toks, &lower, None)
}

/// [`attribute`] over the tokens the figure reader made of the article's analysis text, and
/// their lowercase forms ([`tokenize_lowered`]): the text is cut into tokens once. With
/// `wanted`, only the figures it marks need to be right (the others come back unattributed):
/// only they, and the figures they may repeat (same kind and value), are attributed.
pub fn attribute_tokens<'t>(
    article: &'t Article,
    figures: &[Figure],
    config: &Config,
    toks: &'t [Token],
    lower: &'t Lower<'t>,
    wanted: Option<&[bool]>,
) -> Vec<Attribution> {
    let text = article.analysis_text.as_str();
    let st = Structure::new(text, article.analysis_body_start);
    let mut cues = cues::find_tokens(text, &st, figures, toks, lower);
    resolve_references(&st, &mut cues, text);
    let ids = SourceIds::new(config, &cues);
    let by_sentence = SentenceCues::new(&cues, st.sentences.len());
    // The values of the wanted figures: a figure with one of them may be repeated by one.
    let keys: Option<FastSet<_>> = wanted.map(|w| {
        figures
            .iter()
            .zip(w)
            .filter(|(_, w)| **w)
            .filter_map(|(f, _)| repeat_key(f))
            .collect()
    });
    let mut out: Vec<Attribution> = figures
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let needed = match (wanted, &keys) {
                (Some(w), Some(keys)) => {
                    w.get(i).copied().unwrap_or(false)
                        || repeat_key(f).is_some_and(|k| keys.contains(&k))
                }
                _ => true,
            };
            if needed {
                own_attribution(text, &st, &cues, &by_sentence, f, &ids)
            } else {
                Attribution::none()
            }
        })
        .collect();
    inherit_repeats(text, &st, figures, &mut out);
    out
}

fn named(
    text: String,
    config: &Config,
    cue_span: Option<std::ops::Range<usize>>,
    via: Via,
) -> Attribution {
    let source_id = match_source(config, &text);
    named_as(text, source_id, cue_span, via)
}

/// A named attribution whose source id is known.
fn named_as(
    text: String,
    source_id: Option<String>,
    cue_span: Option<std::ops::Range<usize>>,
    via: Via,
) -> Attribution {
    Attribution {
        kind: AttributionKind::Named,
        source: Some(text),
        source_id,
        cue_span,
        via,
    }
}

/// The configured source a name matches: the whole name, or a configured name inside it.
pub fn match_source(config: &Config, text: &str) -> Option<String> {
    let norm = crate::text::normalize_name(text);
    config
        .source_named(&norm)
        .or_else(|| config.source_within(&norm))
        .map(|s| s.id.clone())
}

/// The configured source id of each cue's text ([`match_source`]), looked up once per text
/// however many cues name that source and however many figures they attribute.
struct SourceIds<'c> {
    config: &'c Config,
    /// For each cue, the first cue with the same text.
    first: Vec<usize>,
    /// The source id of each cue, filled in when first asked for.
    ids: Vec<std::cell::OnceCell<Option<String>>>,
}

impl<'c> SourceIds<'c> {
    fn new(config: &'c Config, cues: &[Cue]) -> SourceIds<'c> {
        let mut seen: FastMap<&str, usize> =
            FastMap::with_capacity_and_hasher(cues.len(), Default::default());
        // Only named cues are looked up.
        let first = cues
            .iter()
            .enumerate()
            .map(|(i, c)| match c.kind {
                CueKind::Named => *seen.entry(c.text).or_insert(i),
                _ => i,
            })
            .collect();
        SourceIds {
            config,
            first,
            ids: vec![std::cell::OnceCell::new(); cues.len()],
        }
    }

    /// The source id of cue `i` of `cues` (the cues this was made from).
    fn get(&self, cues: &[Cue], i: usize) -> Option<String> {
        let i = self.first[i];
        self.ids[i]
            .get_or_init(|| match_source(self.config, cues[i].text))
            .clone()
    }
}

/// Turn pronoun and definite cues into the named source they refer back to.
fn resolve_references<'t>(st: &Structure, cues: &mut [Cue<'t>], text: &'t str) {
    for i in 0..cues.len() {
        let kind = cues[i].kind;
        if kind != CueKind::Pronoun && kind != CueKind::Definite {
            continue;
        }
        // The word to look for: the head noun, or the possessor in "the centre's head".
        let lower = cues[i].text.to_lowercase().replace('’', "'");
        let head = match lower.split_once("'s ") {
            Some((owner, _)) => owner.rsplit(' ').next().unwrap_or("").to_string(),
            None => lower.rsplit(' ').next().unwrap_or("").to_string(),
        };
        // "The Syrians, the Russians and the Iranians, have … they say": the sentence's own subject.
        if kind == CueKind::Pronoun {
            if let Some((span, subj)) = sentence_subject(text, st, cues[i].sentence) {
                if span.end <= cues[i].span.start {
                    cues[i].text = subj;
                    cues[i].span = span;
                    cues[i].kind = CueKind::Named;
                    continue;
                }
            }
        }
        let si = cues[i].sentence;
        let back = cues[..i]
            .iter()
            .rev()
            .take_while(|c| c.sentence + 12 >= si)
            .filter(|c| c.kind == CueKind::Named)
            .find(|c| kind == CueKind::Pronoun || with_lower(c.text, |l| holds(l, &head)));
        // "The ministry said", with the ministry named earlier without a cue.
        if back.is_none() && kind == CueKind::Definite {
            let from = st
                .sentences
                .get(cues[i].sentence.saturating_sub(6))
                .map_or(0, |s| s.span.start);
            let mention = proper_mention(text, from..cues[i].span.start, &head).or_else(|| {
                // "the monitor said" after "The Syrian Observatory for Human Rights…": the
                // nearest named cue, else the nearest proper name of an organisation.
                let near = cues[..i]
                    .iter()
                    .rev()
                    .take_while(|c| c.sentence + 3 >= si)
                    .find(|c| c.kind == CueKind::Named);
                near.map(|c| (c.span.clone(), c.text))
                    .or_else(|| proper_mention(text, from..cues[i].span.start, ""))
            });
            if let Some((span, name)) = mention {
                cues[i].text = name;
                cues[i].span = span;
                cues[i].kind = CueKind::Named;
                continue;
            }
        }
        match back {
            Some(c) => {
                let (t, s) = (c.text, c.span.clone());
                cues[i].text = t;
                cues[i].span = s;
                cues[i].kind = CueKind::Named;
            }
            None => {
                if kind == CueKind::Definite {
                    cues[i].kind = CueKind::Vague;
                }
            }
        }
    }
}

/// The last capitalised name in `range` that holds `head` ("Ministry" in "The Russian Defence
/// Ministry briefed…"), with the capitalised words and connectors around it.
///
/// The words ([`word_before`], [`word_after`]) are read back from the end of the range, and
/// only as far as the name and its neighbours need: the name is usually near the end.
fn proper_mention<'a>(
    text: &'a str,
    range: std::ops::Range<usize>,
    head: &str,
) -> Option<(std::ops::Range<usize>, &'a str)> {
    let hay = text.get(range.clone())?;
    let cap = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    // Without a character that lowercases to ASCII letters, only ASCII words can lowercase
    // to an ASCII head or organisation word: their capitals are found byte by byte.
    let fast = !hay.contains(KELVIN);
    let hi = if head.is_empty() && fast {
        last_organisation(hay)?
    } else if fast && ascii_lowercase_word(head) {
        last_capitalised(hay, head)?
    } else if head.is_empty() {
        // The last name of an organisation: a capitalised source noun ("Observatory",
        // "Ministry", "Crescent") after another capitalised word.
        let org = |w: &str| with_lower(w, ends_organisation);
        let mut right = word_before(hay, hay.len())?;
        loop {
            let left = word_before(hay, right.0)?;
            if cap(right.1) && org(right.1) && cap(left.1) && left.0 + left.1.len() + 1 == right.0 {
                break right;
            }
            right = left;
        }
    } else {
        // Lowercasing keeps an ASCII word's length: other lengths need no lowercasing.
        let is_head = |w: &str| {
            cap(w) && (w.len() == head.len() || !w.is_ascii()) && with_lower(w, |l| l == head)
        };
        let mut at = hay.len();
        loop {
            let w = word_before(hay, at)?;
            if is_head(w.1) {
                break w;
            }
            at = w.0;
        }
    };
    let mut lo = hi;
    while let Some(w) = word_before(hay, lo.0)
        .filter(|w| cap(w.1) && !matches!(w.1, "The" | "A" | "An") || matches!(w.1, "of" | "for"))
    {
        lo = w;
    }
    let mut end = hi;
    while let Some(next) = word_after(hay, end.0 + end.1.len()) {
        let joins = cap(next.1)
            || matches!(next.1, "of" | "for")
                && word_after(hay, next.0 + next.1.len()).is_some_and(|w| cap(w.1));
        if !joins {
            break;
        }
        end = next;
    }
    let start = range.start + lo.0;
    let stop = range.start + end.0 + end.1.len();
    Some((start..stop, &text[start..stop]))
}

/// The one character outside ASCII whose lowercase is ASCII letters (a test checks): K, the
/// Kelvin sign, lowercases to `k`.
const KELVIN: char = '\u{212A}';

/// Whether `w` is made of lowercase ASCII mention characters ([`mention_char`]) and starts
/// with a letter: the lowercase form a capitalised ASCII word can have.
fn ascii_lowercase_word(w: &str) -> bool {
    let b = w.as_bytes();
    b.first().is_some_and(u8::is_ascii_lowercase)
        && b.iter()
            .all(|&c| c < 0x80 && ASCII_WORD[c as usize] && !c.is_ascii_uppercase())
}

/// The last word of `hay` that is `head` (an [`ascii_lowercase_word`]) capitalised: its
/// capital is found with `memrchr` and the word around it checked. `hay` holds no
/// [`KELVIN`], so no other word lowercases to `head`.
fn last_capitalised<'h>(hay: &'h str, head: &str) -> Option<(usize, &'h str)> {
    let (b, h) = (hay.as_bytes(), head.as_bytes());
    let (&first, rest) = h.split_first()?;
    memchr::memrchr_iter(first.to_ascii_uppercase(), b).find_map(|p| {
        let e = p + h.len();
        let whole = e <= b.len()
            && (p == 0 || !word_char_before(hay, p).0)
            && b[p + 1..e].eq_ignore_ascii_case(rest)
            && (e == b.len() || !word_char_at(hay, e).0);
        whole.then(|| (p, &hay[p..e]))
    })
}

/// The last capitalised organisation word ([`ends_organisation`]) of `hay` that follows
/// another capitalised word one byte before it ("Red Crescent"): the capitals that start a
/// word are found walking back byte by byte. `hay` holds no [`KELVIN`], so only ASCII words
/// can be organisation words.
fn last_organisation(hay: &str) -> Option<(usize, &str)> {
    let b = hay.as_bytes();
    let mut p = b.len();
    while p > 0 {
        p -= 1;
        if !b[p].is_ascii_uppercase() || (p > 0 && word_char_before(hay, p).0) {
            continue;
        }
        // A capitalised word starts at `p`; the one before must end at `p - 1`.
        let Some(right) = word_after(hay, p) else {
            continue;
        };
        if !with_lower(right.1, ends_organisation)
            || p < 2
            || b[p - 1] >= 0x80
            || !word_char_before(hay, p - 1).0
        {
            continue;
        }
        let Some(left) = word_before(hay, p - 1) else {
            continue;
        };
        if left.1.chars().next().is_some_and(char::is_uppercase) {
            return Some(right);
        }
    }
    None
}

/// The General Punctuation block, where news text has its quotation marks and dashes.
const GENERAL_PUNCTUATION: std::ops::RangeInclusive<char> = '\u{2000}'..='\u{206F}';

/// Whether a character belongs to a word of a mention search: letters, digits, `-`, `'` and
/// `’`.
#[inline]
fn mention_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '-' || c == '\''
    } else if GENERAL_PUNCTUATION.contains(&c) {
        // Quotation marks, dashes, spaces: no letter or digit (a test checks).
        c == '’'
    } else {
        c.is_alphanumeric()
    }
}

/// Whether each ASCII byte is a [`mention_char`] (the other bytes are decoded).
static ASCII_WORD: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric() || b == b'-' as usize || b == b'\'' as usize;
        b += 1;
    }
    t
};

/// Whether the character that ends at byte `i` of `s` (a character boundary after the start)
/// is a [`mention_char`], and its length.
#[inline(always)]
fn word_char_before(s: &str, i: usize) -> (bool, usize) {
    let b = s.as_bytes()[i - 1];
    if b < 0x80 {
        return (ASCII_WORD[b as usize], 1);
    }
    s[..i]
        .chars()
        .next_back()
        .map_or((false, 1), |c| (mention_char(c), c.len_utf8()))
}

/// Whether the character that starts at byte `i` of `s` (a character boundary before the
/// end) is a [`mention_char`], and its length.
#[inline(always)]
fn word_char_at(s: &str, i: usize) -> (bool, usize) {
    let b = s.as_bytes()[i];
    if b < 0x80 {
        return (ASCII_WORD[b as usize], 1);
    }
    s[i..]
        .chars()
        .next()
        .map_or((false, 1), |c| (mention_char(c), c.len_utf8()))
}

/// The last word of a mention search that ends at or before `pos` (a character boundary of
/// `hay`), with its offset: a run of [`mention_char`]s.
fn word_before(hay: &str, pos: usize) -> Option<(usize, &str)> {
    let b = hay.as_bytes();
    let mut end = pos.min(b.len());
    while end > 0 {
        let x = b[end - 1];
        if x < 0x80 {
            if ASCII_WORD[x as usize] {
                break;
            }
            end -= 1;
        } else {
            let (word, n) = word_char_before(hay, end);
            if word {
                break;
            }
            end -= n;
        }
    }
    if end == 0 {
        return None;
    }
    let mut start = end;
    while start > 0 {
        let x = b[start - 1];
        if x < 0x80 {
            if !ASCII_WORD[x as usize] {
                break;
            }
            start -= 1;
        } else {
            let (word, n) = word_char_before(hay, start);
            if !word {
                break;
            }
            start -= n;
        }
    }
    Some((start, &hay[start..end]))
}

/// The first word of a mention search that starts at or after `pos` (a character boundary of
/// `hay`), with its offset.
fn word_after(hay: &str, pos: usize) -> Option<(usize, &str)> {
    let mut start = pos;
    while start < hay.len() {
        let (word, n) = word_char_at(hay, start);
        if word {
            break;
        }
        start += n;
    }
    if start >= hay.len() {
        return None;
    }
    let mut end = start;
    while end < hay.len() {
        let (word, n) = word_char_at(hay, end);
        if !word {
            break;
        }
        end += n;
    }
    Some((start, &hay[start..end]))
}

/// Whether a lowercase word can be the last name of an organisation: a source noun
/// ("ministry") or a word that ends many an organisation's name ("Observatory", "Crescent").
fn ends_organisation(l: &str) -> bool {
    super::cues::is_source_head(l)
        || matches!(
            l,
            "observatory"
                | "network"
                | "institute"
                | "foundation"
                | "federation"
                | "crescent"
                | "cross"
                | "union"
                | "society"
                | "fund"
                | "programme"
                | "program"
                | "watch"
                | "court"
                | "bank"
        )
}

/// Whether `hay` holds `needle` (`str::contains`), compared at each offset: the texts are a
/// few words long, shorter than a substring search takes to set up.
fn holds(hay: &str, needle: &str) -> bool {
    needle.is_empty()
        || hay
            .as_bytes()
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
}

/// `w` lowercased (as `str::to_lowercase` does it), given to `f` without allocating when the
/// word is short ASCII.
fn with_lower<R>(w: &str, f: impl FnOnce(&str) -> R) -> R {
    if w.len() <= 32 && w.is_ascii() {
        let mut buf = [0u8; 32];
        let b = &mut buf[..w.len()];
        b.copy_from_slice(w.as_bytes());
        b.make_ascii_lowercase();
        match std::str::from_utf8(b) {
            Ok(l) => f(l),
            Err(_) => f(&w.to_lowercase()),
        }
    } else {
        f(&w.to_lowercase())
    }
}

/// What a word at the start of a sentence is to [`sentence_subject`].
enum Opening {
    /// A source noun after a name ("ministry" in "the Russian ministry").
    Head,
    /// A capitalised word that may be a name.
    Name,
    /// "the", "and" between names.
    Connector,
    /// Anything else: the subject ends.
    Other,
}

/// A sentence that opens with a list of capitalised names: "The Syrians, the Russians and the Iranians, have…".
fn sentence_subject<'a>(
    text: &'a str,
    st: &Structure,
    s: usize,
) -> Option<(std::ops::Range<usize>, &'a str)> {
    let span = st.sentences.get(s)?.span.clone();
    let body = &text[span.clone()];
    let mut end = 0;
    let mut caps = 0;
    let mut heads = 0;
    let mut words = 0;
    for (i, w) in body.split_inclusive([' ', ',']).scan(0, |pos, w| {
        let at = *pos;
        *pos += w.len();
        Some((at, w))
    }) {
        let word = w.trim_matches(|c: char| c == ',' || c.is_whitespace());
        if word.is_empty() {
            continue;
        }
        let cap = word.chars().next().is_some_and(char::is_uppercase);
        // What the word is, read from its lowercase form (made without allocating when short).
        let opening = with_lower(word, |lw| {
            if !cap && caps > 0 && super::cues::is_source_head(lw) {
                Opening::Head
            } else if cap
                && !matches!(
                    lw,
                    "the"
                        | "meanwhile"
                        | "however"
                        | "but"
                        | "and"
                        | "whereas"
                        | "while"
                        | "when"
                        | "if"
                        | "as"
                        | "in"
                        | "on"
                        | "it"
                        | "this"
                        | "that"
                        | "here"
                        | "there"
                )
            {
                Opening::Name
            } else if matches!(lw, "the" | "and") && words > 0 || lw == "the" {
                Opening::Connector
            } else {
                Opening::Other
            }
        });
        match opening {
            Opening::Head => {
                heads += 1;
                end = i + word.len() + (w.len() - w.trim_start().len());
            }
            Opening::Name => {
                caps += 1;
                end = i + word.len() + (w.len() - w.trim_start().len());
            }
            Opening::Connector => {}
            Opening::Other => break,
        }
        words += 1;
        if words > 12 {
            return None;
        }
    }
    if caps < 1 || end == 0 {
        return None;
    }
    // The span starts after any white space the sentence opens with (a form feed, a no-break
    // space): the trimmed subject's length from the sentence start could end inside a character.
    let lead = body[..end].len() - body[..end].trim_start().len();
    let subj = body[..end].trim().trim_end_matches(',');
    // A plain proper subject of one word ("Putin") is too weak for "they"; "The U.S.-led
    // coalition" will do.
    if caps < 2 && heads == 0 {
        return None;
    }
    Some((span.start + lead..span.start + lead + subj.len(), subj))
}

/// Attribution from a figure's own sentence, quotation, headline or the sentence before.
fn own_attribution(
    text: &str,
    st: &Structure,
    cues: &[Cue],
    by_sentence: &SentenceCues,
    f: &Figure,
    ids: &SourceIds,
) -> Attribution {
    let config = ids.config;
    let at = f.number_span.start;
    let Some(s) = st.sentence_at(at) else {
        return Attribution::none();
    };
    let quote = st.quote_at(at);
    // Cues of the same sentence and the same quotation context, the nearest first.
    let pick = |s: usize, q: Option<usize>| -> Option<usize> {
        by_sentence
            .range(cues, s)
            .filter(|&i| {
                let c = &cues[i];
                c.sentence == s && c.quote == q && !(c.span.start <= at && at < c.span.end)
            })
            .filter(|&i| cues[i].kind != CueKind::Pronoun && cues[i].kind != CueKind::Definite)
            .min_by_key(|&i| {
                let c = &cues[i];
                if c.anchor <= at {
                    at - c.anchor
                } else {
                    (c.anchor - at) * 2
                }
            })
    };
    let from_cue = |i: usize, via: Via| -> Attribution {
        let c = &cues[i];
        match c.kind {
            CueKind::Named => named_as(
                c.text.to_string(),
                ids.get(cues, i),
                Some(c.span.clone()),
                via,
            ),
            CueKind::Vague => Attribution {
                kind: AttributionKind::Vague,
                source: Some(c.text.to_string()),
                source_id: None,
                cue_span: Some(c.span.clone()),
                via,
            },
            _ => Attribution::none(),
        }
    };
    if let Some(q) = quote {
        if let Some(c) = pick(s, Some(q)) {
            if cues[c].kind != CueKind::FirstPerson {
                return from_cue(c, Via::Sentence);
            }
        }
        if let Some(c) = speaker(st, cues, by_sentence, q) {
            return from_cue(c, Via::Quotation);
        }
    }
    if let Some(c) = pick(s, None) {
        return from_cue(c, Via::Sentence);
    }
    let para = st.sentences[s].paragraph;
    if st.paragraphs[para].heading {
        if let Some(a) = headline(text, st, para, config) {
            return a;
        }
    }
    // The sentence just before, in the same paragraph, when it names a source.
    if s > 0 && st.sentences[s - 1].paragraph == para && quote.is_none() {
        if let Some(c) = pick(s - 1, None).filter(|&c| cues[c].kind == CueKind::Named) {
            return from_cue(c, Via::PreviousSentence);
        }
    }
    Attribution::none()
}

/// The indices of the cues of one sentence (cues are in text order, so their sentences never
/// decrease).
fn in_sentence(cues: &[Cue], s: usize) -> std::ops::Range<usize> {
    let lo = cues.partition_point(|c| c.sentence < s);
    let hi = lo + cues[lo..].partition_point(|c| c.sentence <= s);
    lo..hi
}

/// Where each sentence's cues are in the cue list, for [`in_sentence`] without a search.
struct SentenceCues {
    /// For each sentence (and one past the last), how many cues come before its own.
    starts: Vec<usize>,
}

impl SentenceCues {
    fn new(cues: &[Cue], sentences: usize) -> SentenceCues {
        let mut starts = Vec::with_capacity(sentences + 1);
        let mut k = 0;
        for s in 0..=sentences {
            while k < cues.len() && cues[k].sentence < s {
                k += 1;
            }
            starts.push(k);
        }
        SentenceCues { starts }
    }

    /// [`in_sentence`]: the indices of the cues of sentence `s`.
    fn range(&self, cues: &[Cue], s: usize) -> std::ops::Range<usize> {
        match (self.starts.get(s), self.starts.get(s + 1)) {
            (Some(&lo), Some(&hi)) => lo..hi,
            _ => in_sentence(cues, s),
        }
    }
}

/// Who speaks a quotation (the cue's index): the cue that introduces it, follows it, or the
/// sentence before.
fn speaker(st: &Structure, cues: &[Cue], by_sentence: &SentenceCues, q: usize) -> Option<usize> {
    let span = st.quotes[q].span.clone();
    let usable = |&i: &usize| {
        let c = &cues[i];
        c.quote.is_none()
            && matches!(
                c.kind,
                CueKind::Named | CueKind::Vague | CueKind::FirstPerson
            )
    };
    let s_open = st.sentence_at(span.start)?;
    // "X said: “…”" — before the opening mark, same sentence.
    if let Some(c) = by_sentence
        .range(cues, s_open)
        .filter(usable)
        .rfind(|&i| cues[i].span.end <= span.start)
    {
        return (cues[c].kind != CueKind::FirstPerson).then_some(c);
    }
    // "“…,” he said." — after the closing mark, same sentence.
    if let Some(s_close) = st.sentence_at(span.end.saturating_sub(1)) {
        if let Some(c) = by_sentence
            .range(cues, s_close)
            .filter(usable)
            .find(|&i| cues[i].span.start >= span.end)
        {
            return (cues[c].kind != CueKind::FirstPerson).then_some(c);
        }
    }
    // "Here is what the ministry has said" — the sentence before the quotation.
    let prev = s_open.checked_sub(1)?;
    let c = by_sentence.range(cues, prev).rfind(usable)?;
    (cues[c].kind != CueKind::FirstPerson).then_some(c)
}

/// "Russian military: Syrian army now controls 93%…" names the Russian military.
fn headline(text: &str, st: &Structure, para: usize, config: &Config) -> Option<Attribution> {
    let p = st.paragraphs[para].span.clone();
    let line = &text[p.clone()];
    let line = line.trim_start_matches(['#', ' ']);
    let offset = p.end - line.len();
    let colon = line.find(": ")?;
    let who = line[..colon].trim();
    let words: Vec<&str> = who.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 || !who.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    if config.match_source(who).is_none() {
        // A source: a source noun ("Russian military"), or a name whose every word is
        // capitalised ("Red Crescent", "Putin") — not a topic ("Mosul offensive").
        let source_noun = words
            .iter()
            .any(|w| super::cues::is_source_head(&w.to_lowercase()));
        let all_capitalised = words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
        });
        if !source_noun && !all_capitalised {
            return None;
        }
        let letters: Vec<char> = who.chars().filter(|c| c.is_alphabetic()).collect();
        let all_caps = letters.iter().all(|c| c.is_uppercase());
        if all_caps && (words.len() > 1 || letters.len() > 4) {
            return None; // "ALEPPO UPDATE", "SYRIA"
        }
        let label = matches!(
            who.to_lowercase().as_str(),
            "update"
                | "breaking"
                | "watch"
                | "video"
                | "exclusive"
                | "analysis"
                | "opinion"
                | "live"
                | "report"
                | "photos"
                | "editorial"
                | "comment"
                | "explainer"
                | "factbox"
                | "timeline"
                | "interview"
                | "q&a"
                | "read more"
                | "related"
                | "source"
                | "sources"
                | "note"
                | "correction"
        );
        if label {
            return None;
        }
    }
    let _ = offset;
    Some(named(
        who.to_string(),
        config,
        Some(offset..offset + colon),
        Via::Headline,
    ))
}

/// A [`repeat_key`] with its kind as a number, to sort by.
type SortKey = (u8, u64, u64);

/// A figure nobody is credited with takes the attribution of a repeat of it: the same
/// number of the same thing elsewhere in the article. Headlines take vague ones too.
///
/// The nearest repeat is looked up among the credited figures of the same value only (runs of
/// one sorted list, by position, searched outward), not by comparing every pair: an article
/// with a hundred thousand figures must not take hours (issue 6). Ties go to the earlier
/// figure. An article with no figure to credit makes no list.
fn inherit_repeats(_text: &str, st: &Structure, figures: &[Figure], out: &mut [Attribution]) {
    // Only figures credited to nobody change, and only credited ones are copied: the credited
    // ones keep their own attribution throughout.
    let own: Vec<AttributionKind> = out.iter().map(|a| a.kind).collect();
    let uncredited =
        |i: usize| own[i] == AttributionKind::None && figures[i].class == FigureClass::Claim;
    if !(0..figures.len()).any(|i| uncredited(i) && repeat_key(&figures[i]).is_some()) {
        return;
    }
    // The credited figures with a key as (vague, key, position, index), sorted: the named and
    // the vague figures of one key are each a run, in position order (the smaller index first).
    let sortable = |(kind, a, b): (UnitKind, u64, u64)| -> SortKey { (kind as u8, a, b) };
    let mut credited: Vec<(bool, SortKey, usize, usize)> = figures
        .iter()
        .enumerate()
        .filter_map(|(j, g)| {
            let vague = match own[j] {
                AttributionKind::Named => false,
                AttributionKind::Vague => true,
                AttributionKind::None => return None,
            };
            Some((vague, sortable(repeat_key(g)?), g.span.start, j))
        })
        .collect();
    credited.sort_unstable();
    let order: Vec<usize> = credited.iter().map(|e| e.3).collect();
    // The figures of one run, in position order.
    let run = |vague: bool, key: SortKey| {
        let lo = credited.partition_point(|e| (e.0, e.1) < (vague, key));
        let len = credited[lo..].partition_point(|e| (e.0, e.1) == (vague, key));
        &order[lo..lo + len]
    };
    for (i, f) in figures.iter().enumerate() {
        if !uncredited(i) {
            continue;
        }
        let Some(key) = repeat_key(f).map(sortable) else {
            continue;
        };
        let heading = st
            .sentence_at(f.number_span.start)
            .is_some_and(|s| st.paragraphs[st.sentences[s].paragraph].heading);
        let mut best = nearest_repeat(figures, run(false, key), i);
        if heading {
            if let Some(v) = nearest_repeat(figures, run(true, key), i) {
                best = Some(best.map_or(v, |n| n.min(v)));
            }
        }
        if let Some((_, j)) = best {
            let mut a = out[j].clone();
            a.via = Via::Repeat;
            out[i] = a;
        }
    }
}

/// What two figures must share to be [`same_figure`]s: kind and value (`None` for figures
/// that are never anyone's repeat).
fn repeat_key(f: &Figure) -> Option<(UnitKind, u64, u64)> {
    let bits = |x: f64| (!x.is_nan()).then(|| (x + 0.0).to_bits()); // -0.0 == 0.0
    match f.reading.value {
        Value::Number(x) => Some((f.reading.kind, bits(x)?, u64::MAX)),
        Value::Range(a, b) => Some((f.reading.kind, bits(a)?, bits(b)?)),
        Value::None => None,
    }
}

/// The nearest figure to `figures[i]` in a position-sorted bucket that is the same figure:
/// (distance, index), the smaller index on a tie.
fn nearest_repeat(figures: &[Figure], bucket: &[usize], i: usize) -> Option<(usize, usize)> {
    let f = &figures[i];
    let p = f.span.start;
    let k = bucket.partition_point(|&j| figures[j].span.start < p);
    let mut best: Option<(usize, usize)> = None;
    for &j in bucket[..k].iter().rev() {
        let d = p - figures[j].span.start;
        if best.is_some_and(|(bd, _)| d > bd) {
            break;
        }
        if j != i && same_figure(f, &figures[j]) {
            best = Some((d, j)); // going left: at one distance, the smaller index comes last
        }
    }
    for &j in &bucket[k..] {
        let d = figures[j].span.start - p;
        if best.is_some_and(|(bd, _)| d > bd) {
            break;
        }
        if j != i && same_figure(f, &figures[j]) {
            if best.is_none_or(|b| (d, j) < b) {
                best = Some((d, j));
            }
            break;
        }
    }
    best
}

/// Whether two figures are the same number of the same thing.
fn same_figure(a: &Figure, b: &Figure) -> bool {
    let ra = &a.reading;
    let rb = &b.reading;
    if ra.kind != rb.kind {
        return false;
    }
    let value = |v: Value| match v {
        Value::Number(x) => Some(x),
        _ => None,
    };
    let (Some(x), Some(y)) = (value(ra.value), value(rb.value)) else {
        return ra.value == rb.value && ra.value != Value::None && ra.unit == rb.unit;
    };
    if x != y {
        return false;
    }
    if ra.kind != UnitKind::Count {
        return true;
    }
    match (&ra.unit, &rb.unit) {
        (Some(u), Some(v)) => noun_group(last_word(u)) == noun_group(last_word(v)),
        _ => x >= 100.0,
    }
}

fn last_word(u: &str) -> &str {
    u.split(" per ")
        .next()
        .unwrap_or(u)
        .rsplit(' ')
        .next()
        .unwrap_or(u)
}

#[cfg(test)]
mod repeat_tests {
    use super::*;

    /// The pairwise search `inherit_repeats` replaced: the reference it must agree with.
    fn inherit_repeats_pairwise(st: &Structure, figures: &[Figure], out: &mut [Attribution]) {
        let own: Vec<Attribution> = out.to_vec();
        for (i, f) in figures.iter().enumerate() {
            if own[i].kind != AttributionKind::None || f.class != FigureClass::Claim {
                continue;
            }
            let heading = st
                .sentence_at(f.number_span.start)
                .is_some_and(|s| st.paragraphs[st.sentences[s].paragraph].heading);
            let best = figures
                .iter()
                .enumerate()
                .filter(|&(j, g)| j != i && same_figure(f, g))
                .filter(|&(j, _)| {
                    own[j].kind == AttributionKind::Named
                        || (heading && own[j].kind == AttributionKind::Vague)
                })
                .min_by_key(|&(_, g)| g.span.start.abs_diff(f.span.start));
            if let Some((j, _)) = best {
                let mut a = own[j].clone();
                a.via = Via::Repeat;
                out[i] = a;
            }
        }
    }

    #[test]
    fn repeats_are_inherited_as_the_pairwise_search_did() {
        let sentences = [
            "The UN said 500 fighters left.",
            "500 fighters left.",
            "Reportedly 500 fighters left.",
            "According to SANA, 1,200 people fled.",
            "1,200 people fled.",
            "About 1,200 civilians fled, activists said.",
            "Some 300 fighters and 300 buses.",
            "The ministry said 4-5,000 people left.",
            "4-5,000 people left.",
            "93% of the east, Russia said.",
            "93% of the east.",
        ];
        let mut rng = crate::test_rng::XorShift(12345);
        for round in 0..200 {
            let mut text = String::from("500 fighters: the UN\n\n");
            for _ in 0..(5 + round % 40) {
                let seed = rng.next();
                text.push_str(sentences[(seed % sentences.len() as u64) as usize]);
                text.push_str(if seed % 5 == 0 { "\n\n" } else { " " });
            }
            let figures = crate::figures::extract(&text);
            let st = Structure::new(&text, 0);
            let config = Config::default();
            let mut cues = cues::find(&text, &st, &figures);
            resolve_references(&st, &mut cues, &text);
            let ids = SourceIds::new(&config, &cues);
            let by_sentence = SentenceCues::new(&cues, st.sentences.len());
            let own: Vec<Attribution> = figures
                .iter()
                .map(|f| own_attribution(&text, &st, &cues, &by_sentence, f, &ids))
                .collect();
            let (mut fast, mut slow) = (own.clone(), own);
            inherit_repeats(&text, &st, &figures, &mut fast);
            inherit_repeats_pairwise(&st, &figures, &mut slow);
            assert_eq!(fast, slow, "round {round}: {text}");
        }
    }

    /// `holds` answers as `str::contains` for texts and needles of a few words, empty ones,
    /// and characters beyond ASCII.
    #[test]
    fn holds_is_contains() {
        const PIECES: &[&str] = &["a", "b", "ab", " ", "é", "ministry", "’", "'s", ""];
        let mut rng = crate::test_rng::XorShift(0x2545_f491_4f6c_dd1d);
        let mut found = 0;
        for round in 0..5000 {
            let (mut hay, mut needle) = (String::new(), String::new());
            for _ in 0..(round % 9) {
                hay.push_str(PIECES[rng.below(PIECES.len())]);
            }
            for _ in 0..(round % 3) {
                needle.push_str(PIECES[rng.below(PIECES.len())]);
            }
            assert_eq!(
                holds(&hay, &needle),
                hay.contains(&needle),
                "{hay:?} {needle:?}"
            );
            found += usize::from(hay.contains(&needle));
        }
        assert!(found > 1000 && found < 4500, "{found}");
    }

    #[test]
    fn a_hundred_thousand_unattributed_figures_take_well_under_a_second() {
        let text: String = (0..100_000)
            .map(|i| format!("Line {i}: {} people fled.\n", i % 97))
            .collect();
        let figures = crate::figures::extract(&text);
        let st = Structure::new(&text, 0);
        let mut out = vec![Attribution::none(); figures.len()];
        let t = std::time::Instant::now();
        inherit_repeats(&text, &st, &figures, &mut out);
        assert!(
            t.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            t.elapsed()
        );
    }
}

/// The mention search compared with the one that listed every word of the range first.
#[cfg(test)]
mod mention_tests {
    use super::proper_mention;

    /// The mention search as it was: every word of the range first, then the search.
    /// The last capitalised name in `range` that holds `head` ("Ministry" in "The Russian Defence
    /// Ministry briefed…"), with the capitalised words and connectors around it.
    pub(super) fn old_proper_mention(
        text: &str,
        range: std::ops::Range<usize>,
        head: &str,
    ) -> Option<(std::ops::Range<usize>, String)> {
        let hay = text.get(range.clone())?;
        let words = mention_words(hay);
        let cap = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
        let hi = if head.is_empty() {
            // The last name of an organisation: a capitalised source noun ("Observatory",
            // "Ministry", "Crescent") after another capitalised word.
            let org = |w: &str| super::with_lower(w, super::ends_organisation);
            (1..words.len()).rev().find(|&k| {
                cap(words[k].1)
                    && org(words[k].1)
                    && cap(words[k - 1].1)
                    && words[k - 1].0 + words[k - 1].1.len() + 1 == words[k].0
            })?
        } else {
            words
                .iter()
                .rposition(|(_, w)| cap(w) && super::with_lower(w, |l| l == head))?
        };
        let mut lo = hi;
        while lo > 0
            && (cap(words[lo - 1].1) && !matches!(words[lo - 1].1, "The" | "A" | "An")
                || matches!(words[lo - 1].1, "of" | "for"))
        {
            lo -= 1;
        }
        let mut end = hi;
        while end + 1 < words.len()
            && (cap(words[end + 1].1)
                || matches!(words[end + 1].1, "of" | "for")
                    && words.get(end + 2).is_some_and(|w| cap(w.1)))
        {
            end += 1;
        }
        let start = range.start + words[lo].0;
        let stop = range.start + words[end].0 + words[end].1.len();
        Some((start..stop, text[start..stop].to_string()))
    }

    /// The words of a mention search with their offsets: runs of letters, digits, `-`, `'` and
    /// `’`.
    fn mention_words(hay: &str) -> Vec<(usize, &str)> {
        let word_char = |c: char| c.is_alphanumeric() || c == '-' || c == '\'' || c == '’';
        let b = hay.as_bytes();
        let mut out = Vec::new();
        let mut start: Option<usize> = None;
        let mut i = 0;
        while i < b.len() {
            let (inside, len) = if b[i].is_ascii() {
                (
                    b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b'\'',
                    1,
                )
            } else {
                let c = hay[i..].chars().next().unwrap_or(' ');
                (word_char(c), c.len_utf8())
            };
            match (inside, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    out.push((s, &hay[s..i]));
                    start = None;
                }
                _ => {}
            }
            i += len;
        }
        if let Some(s) = start {
            out.push((s, &hay[s..]));
        }
        out
    }

    /// The fast mention searches skip texts with a Kelvin sign only: no other character
    /// outside ASCII lowercases to ASCII alone.
    #[test]
    fn only_the_kelvin_sign_lowercases_to_ascii() {
        let to_ascii: Vec<char> = (0x80..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| c.to_lowercase().all(|l| l.is_ascii()))
            .collect();
        assert_eq!(to_ascii, [super::KELVIN]);
    }

    #[test]
    fn general_punctuation_holds_no_letter_or_digit() {
        for c in super::GENERAL_PUNCTUATION {
            assert!(!c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn mentions_are_found_as_the_word_list_found_them() {
        const PIECES: &[&str] = &[
            "The",
            "the",
            "Ministry",
            "ministry",
            "Defence",
            "Russian",
            "of",
            "for",
            "Observatory",
            "Red",
            "Crescent",
            "A",
            "An",
            "Al-Qaeda",
            "UN’s",
            "İstanbul",
            "ÉTAT",
            "état",
            "Σ",
            " ",
            "  ",
            ", ",
            ". ",
            "\n",
            "-",
            "'",
            "’",
            "“",
            "”",
            "5",
            "Office",
            "said",
            "x",
            "Bank",
            "BANK",
            "Red",
            "\u{212A}",
            "Ban\u{212A}",
            "Ministryé",
            "éMinistry",
            "U.N.",
            "Un",
            "(",
            "—",
        ];
        const HEADS: &[&str] = &[
            "",
            "ministry",
            "office",
            "observatory",
            "état",
            "un’s",
            "x",
            "bank",
            "k",
            "u.n.",
            "un",
            "Ministry",
        ];
        let mut rng = crate::test_rng::XorShift(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: usize| rng.below(n);
        let mut found = 0;
        for round in 0..6000 {
            let mut text = String::new();
            for _ in 0..(round % 30) {
                text.push_str(PIECES[next(PIECES.len())]);
                if next(3) > 0 {
                    text.push(' ');
                }
            }
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let a = bounds[next(bounds.len())];
            let b = bounds[next(bounds.len())];
            // Half the time the whole text, where the mentions are.
            let range = match next(2) {
                0 => 0..text.len(),
                _ => a.min(b)..a.max(b),
            };
            let head = HEADS[next(HEADS.len())];
            let got = proper_mention(&text, range.clone(), head).map(|(r, s)| (r, s.to_string()));
            found += usize::from(got.is_some());
            assert_eq!(
                got,
                old_proper_mention(&text, range.clone(), head),
                "{text:?} {range:?} {head:?}"
            );
        }
        // The texts hold mentions often enough for the comparison to mean something.
        assert!(found > 300, "only {found} mentions");
    }
}

/// The source lookup compared with the one that padded the name and compared every key at
/// every word.
#[cfg(test)]
mod source_tests {
    use super::match_source;
    use crate::corpus::Config;

    fn old_match_source(config: &Config, text: &str) -> Option<String> {
        if let Some(s) = config.match_source(text) {
            return Some(s.id.clone());
        }
        let norm = format!(" {} ", crate::text::normalize_name(text));
        let starts: Vec<usize> = norm
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b' ')
            .map(|(i, _)| i + 1)
            .collect();
        let holds = |k: &str| {
            starts.iter().any(|&p| {
                norm.as_bytes()[p..].starts_with(k.as_bytes())
                    && norm.as_bytes().get(p + k.len()) == Some(&b' ')
            })
        };
        let mut best: Option<(usize, &str)> = None;
        for (k, s) in config.source_name_keys() {
            if best.is_none_or(|b| k.len() > b.0) && holds(k) {
                best = Some((k.len(), &s.id));
            }
        }
        best.map(|b| b.1.to_string())
    }

    #[test]
    fn sources_are_matched_as_the_padded_search_matched_them() {
        let config = Config::parse(
            r#"
[sources.un]
name = "United Nations"
aliases = ["UN", "UN agencies"]

[sources.sohr]
name = "Syrian Observatory for Human Rights"
aliases = ["the Observatory", "SOHR"]

[sources.hrw]
name = "Human Rights Watch"

[sources.etat]
name = "État syrien"
aliases = ["Nations"]
"#,
        )
        .expect("config");
        const PIECES: &[&str] = &[
            "the",
            "The",
            "UN",
            "un",
            "United",
            "Nations",
            "agencies",
            "Syrian",
            "Observatory",
            "for",
            "Human",
            "Rights",
            "Watch",
            "SOHR",
            "État",
            "syrien",
            "a",
            " ",
            "  ",
            "-",
            "’s",
            ",",
            "x",
            "Unite",
        ];
        let mut rng = crate::test_rng::XorShift(0x2545_f491_4f6c_dd1d);
        let mut found = 0;
        for round in 0..5000 {
            let mut text = String::new();
            for _ in 0..(round % 12) {
                let seed = rng.next();
                text.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
                if seed & 16 == 0 {
                    text.push(' ');
                }
            }
            let got = match_source(&config, &text);
            found += usize::from(got.is_some());
            assert_eq!(got, old_match_source(&config, &text), "{text:?}");
        }
        // The texts name sources often enough for the comparison to mean something.
        assert!(found > 500, "only {found} sources");
    }

    /// Many sources whose names share words, hold each other and repeat (as names, aliases
    /// and ids), looked up in names made of them and of noise.
    #[test]
    fn many_sources_are_matched_as_the_padded_search_matched_them() {
        const WORDS: &[&str] = &[
            "united",
            "nations",
            "UN",
            "agency",
            "ministry",
            "of",
            "health",
            "Health",
            "defence",
            "the",
            "The",
            "a",
            "an",
            "red",
            "cross",
            "Crescent",
            "État",
            "syrien",
            "observatory",
            "office",
            "for",
            "human",
            "rights",
            "x",
            "un",
            "Nation",
            "’s",
        ];
        const NOISE: &[&str] = &[" ", "  ", "-", ",", "’", "said", "officials", "Unite", "é"];
        let mut rng = crate::test_rng::XorShift(0x6a09_e667_f3bc_c909);
        let phrase = |rng: &mut crate::test_rng::XorShift, most: usize| {
            let n = 1 + rng.below(most);
            (0..n)
                .map(|_| WORDS[rng.below(WORDS.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut found = 0;
        for round in 0..40 {
            let mut toml = String::new();
            let mut names = Vec::new();
            for s in 0..(20 + round * 2) {
                let name = phrase(&mut rng, 4);
                let aliases: Vec<String> = (0..rng.below(3)).map(|_| phrase(&mut rng, 3)).collect();
                toml.push_str(&format!(
                    "[sources.s{s}]\nname = {name:?}\naliases = {aliases:?}\n"
                ));
                names.push(name);
                names.extend(aliases);
            }
            let config = Config::parse(&toml).expect("config");
            for _ in 0..300 {
                let mut text = String::new();
                for _ in 0..rng.below(6) {
                    match rng.below(3) {
                        0 => text.push_str(&names[rng.below(names.len())]),
                        1 => text.push_str(WORDS[rng.below(WORDS.len())]),
                        _ => text.push_str(NOISE[rng.below(NOISE.len())]),
                    }
                    if rng.below(4) != 0 {
                        text.push(' ');
                    }
                }
                let got = match_source(&config, &text);
                found += usize::from(got.is_some());
                assert_eq!(got, old_match_source(&config, &text), "{text:?} in\n{toml}");
            }
        }
        assert!(found > 3000, "only {found} sources");
    }
}

/// The cues of a sentence found from the table as by the search over the cues.
#[cfg(test)]
mod sentence_cue_tests {
    use super::{in_sentence, SentenceCues};
    use super::{Cue, CueKind};

    #[test]
    fn the_table_gives_the_searched_ranges() {
        let mut rng = crate::test_rng::XorShift(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..2000 {
            let sentences = next(12);
            let mut at: Vec<usize> = (0..next(15)).map(|_| next(sentences + 3)).collect();
            at.sort();
            let cues: Vec<Cue> = at
                .iter()
                .map(|&sentence| Cue {
                    span: 0..1,
                    text: "",
                    kind: CueKind::Named,
                    anchor: 0,
                    sentence,
                    quote: None,
                })
                .collect();
            let table = SentenceCues::new(&cues, sentences);
            for s in 0..sentences + 4 {
                assert_eq!(table.range(&cues, s), in_sentence(&cues, s), "{at:?} {s}");
            }
        }
    }
}
