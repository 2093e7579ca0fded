//! Text structure shared by the readers: paragraphs, sentences, quotations, name normalising.

/// A source name reduced for matching: lowercase, leading articles dropped, punctuation and
/// runs of spaces folded ("The  Russian military" → "russian military").
pub fn normalize_name(s: &str) -> String {
    if s.is_ascii() {
        return normalize_ascii_name(s.as_bytes());
    }
    // The words are the runs of letters and digits, each character lowercased (its first
    // lowercase character); they are written out one space apart as they are read, and
    // leading articles are taken back out. ASCII is read byte by byte.
    let mut out: Vec<u8> = Vec::with_capacity(s.len());
    let mut word: Option<usize> = None; // where the current word starts in `out`
    let mut leading = true; // only articles so far (and `out` is empty)
    let end_word = |out: &mut Vec<u8>, start: usize, leading: &mut bool| {
        if *leading {
            if matches!(&out[start..], b"the" | b"a" | b"an") {
                out.truncate(start);
            } else {
                *leading = false;
            }
        }
    };
    let start_word = |out: &mut Vec<u8>, word: &mut Option<usize>| {
        if word.is_none() {
            if !out.is_empty() {
                out.push(b' ');
            }
            *word = Some(out.len());
        }
    };
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x.is_ascii() {
            i += 1;
            if x.is_ascii_alphanumeric() {
                start_word(&mut out, &mut word);
                out.push(x.to_ascii_lowercase());
                continue;
            }
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            if c.is_alphanumeric() {
                start_word(&mut out, &mut word);
                let l = c.to_lowercase().next().unwrap_or(c);
                out.extend_from_slice(l.encode_utf8(&mut [0; 4]).as_bytes());
                continue;
            }
        }
        if let Some(start) = word.take() {
            end_word(&mut out, start, &mut leading);
        }
    }
    if let Some(start) = word {
        end_word(&mut out, start, &mut leading);
    }
    // Whole characters only were written: the bytes are UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// [`normalize_name`] of an ASCII name: its runs of letters and digits, lowercased, one
/// space apart, with the leading articles left out.
fn normalize_ascii_name(b: &[u8]) -> String {
    /// Whether each byte is an ASCII letter or digit.
    static WORD: [bool; 256] = {
        let mut t = [false; 256];
        let mut c = 0;
        while c < 256 {
            t[c] = (c as u8).is_ascii_alphanumeric();
            c += 1;
        }
        t
    };
    let word_byte = |x: u8| WORD[usize::from(x)];
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if !word_byte(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && word_byte(b[i]) {
            i += 1;
        }
        let word = &b[start..i];
        let article = out.is_empty()
            && (word.eq_ignore_ascii_case(b"the")
                || word.eq_ignore_ascii_case(b"a")
                || word.eq_ignore_ascii_case(b"an"));
        if article {
            continue;
        }
        if !out.is_empty() {
            out.push(b' ');
        }
        out.extend_from_slice(word);
    }
    // Letters, digits and spaces: lowercased at once.
    out.make_ascii_lowercase();
    String::from_utf8(out).unwrap_or_default()
}

use std::ops::Range;

/// A paragraph: text between blank lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub span: Range<usize>,
    /// A headline: the front-matter title, a `#` heading, or a short single line without
    /// closing punctuation.
    pub heading: bool,
}

/// A sentence, inside one paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Range<usize>,
    pub paragraph: usize,
}

/// A quotation: from its opening mark to its closing mark (or the end of the paragraph
/// where a straight quote is never closed). Curly quotations may run over paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub span: Range<usize>,
}

/// The structure of a text: paragraphs, sentences and quotations, each in text order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Structure {
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    pub quotes: Vec<Quote>,
}

impl Structure {
    /// Cut a text. Everything before `title_end` is a headline (the front-matter title).
    pub fn new(text: &str, title_end: usize) -> Structure {
        let paragraphs = paragraphs(text, title_end);
        // About one sentence in a hundred bytes: room for most texts' sentences at once.
        let mut sentences = Vec::with_capacity(text.len() / 100 + 4);
        for (pi, p) in paragraphs.iter().enumerate() {
            each_sentence(text, p.span.clone(), |s| {
                sentences.push(Sentence {
                    span: s,
                    paragraph: pi,
                })
            });
        }
        let quotes = quotes(text, &paragraphs);
        Structure {
            paragraphs,
            sentences,
            quotes,
        }
    }

    /// The sentence holding an offset.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= offset);
        (i < self.sentences.len() && self.sentences[i].span.start <= offset).then_some(i)
    }

    /// The quotation holding an offset.
    pub fn quote_at(&self, offset: usize) -> Option<usize> {
        // Quotations are sorted by start and rarely overlap: look at the few that start
        // before the offset, outermost first.
        let i = self.quotes.partition_point(|q| q.span.start < offset);
        (i.saturating_sub(4)..i).find(|&k| offset < self.quotes[k].span.end)
    }
}

fn paragraphs(text: &str, title_end: usize) -> Vec<Paragraph> {
    // About one paragraph in two hundred bytes: room for most texts' paragraphs at once.
    let mut out = Vec::with_capacity(text.len() / 200 + 4);
    let mut start = None;
    let mut pos = 0;
    let mut prev_blank = true;
    for line in lines(text) {
        let blank = line.trim().is_empty();
        if blank {
            if let Some(s) = start.take() {
                out.push(paragraph(text, s..pos, title_end));
            }
        } else if prev_blank || start.is_none() {
            start = Some(pos);
        }
        prev_blank = blank;
        pos += line.len();
    }
    if let Some(s) = start {
        out.push(paragraph(text, s..text.len(), title_end));
    }
    out
}

/// The paragraph of the lines at `span`: its span without the white space it ends with, and
/// whether it is a headline.
fn paragraph(text: &str, span: Range<usize>, title_end: usize) -> Paragraph {
    let raw = text[span.clone()].trim_end();
    let span = span.start..span.start + raw.len();
    let one_line = memchr::memchr(b'\n', raw.as_bytes()).is_none();
    let ends = raw
        .trim_end_matches(['*', '_'])
        .chars()
        .last()
        .unwrap_or('.');
    // The cheap tests first: most paragraphs end with a full stop.
    let heading = span.end <= title_end
        || raw.starts_with('#')
        || (one_line
            && !".!?:;,\"”’)…".contains(ends)
            && (raw.len() <= 200 || raw.chars().count() <= 200)
            && raw.split_whitespace().nth(2).is_some());
    Paragraph { span, heading }
}

/// The lines of a text with their line breaks (as `str::split_inclusive('\n')` gives them).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut starts = memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1);
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let end = starts.next().unwrap_or(text.len());
        let line = &text[pos..end];
        pos = end;
        Some(line)
    })
}

/// Words that a full stop follows without ending the sentence (at most six letters long).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "capt", "maj", "prof", "rev", "sen",
    "rep", "gov", "jr", "sr", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "u.s", "u.n", "e.g", "i.e", "vs", "etc", "a.m", "p.m", "approx", "est",
    "inc", "ltd", "co", "corp", "mt", "ft", "fig",
];

/// Sentence spans inside a paragraph.
#[cfg(test)]
fn sentences_in(text: &str, span: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    each_sentence(text, span, |s| out.push(s));
    out
}

/// Call `out` with each sentence span inside a paragraph, in order.
fn each_sentence(text: &str, span: Range<usize>, mut out: impl FnMut(Range<usize>)) {
    let p = &text[span.clone()];
    let b = p.as_bytes();
    let mut start = 0;
    // Byte offsets: only ASCII bytes and the lead byte of '…' (E2 80 A6) can end a sentence,
    // and every offset the scan stops at is a character boundary.
    let mut i = 0;
    let mut ends = SentenceEnds::new(b);
    loop {
        i = ends.next_from(i);
        if i >= b.len() {
            break;
        }
        let c = match b[i] {
            b'.' => '.',
            b'!' => '!',
            b'?' => '?',
            0xE2 if b[i + 1..].starts_with(&[0x80, 0xA6]) => '…',
            _ => {
                i += 1;
                continue;
            }
        };
        // Take closing quotes and brackets with the sentence.
        let mut e = i + c.len_utf8();
        while let Some(ce) = p[e..]
            .chars()
            .next()
            .filter(|&ce| matches!(ce, '"' | '”' | '’' | '\'' | ')' | ']' | '.' | '!' | '?'))
        {
            e += ce.len_utf8();
        }
        let next_ws = p[e..].chars().next().is_some_and(char::is_whitespace);
        if next_ws {
            let mut n = e;
            while let Some(cn) = p[n..].chars().next().filter(|cn| cn.is_whitespace()) {
                n += cn.len_utf8();
            }
            let next = p[n..].chars().next();
            let starts_new = next.is_some_and(|c| {
                c.is_uppercase()
                    || c.is_ascii_digit()
                    || matches!(c, '"' | '“' | '‘' | '(' | '[' | '*' | '-' | '–')
            });
            if starts_new && !(c == '.' && abbreviation_before(&p[..i])) {
                out(span.start + start..span.start + e);
                start = n;
                i = n;
                continue;
            }
        }
        i = e;
    }
    if start < p.len() {
        out(span.start + start..span.end);
    }
}

/// Where sentences may end in a paragraph's bytes: `.`, `!`, `?` and the lead byte of `…`
/// (E2), found with `memchr`; the next of each kind is kept, so no byte is searched twice.
struct SentenceEnds<'b> {
    b: &'b [u8],
    /// The next `.`, `!` or `?` at or after the last search (`b.len()` when none is left).
    mark: Option<usize>,
    /// The next E2 byte, likewise.
    lead: Option<usize>,
}

impl<'b> SentenceEnds<'b> {
    fn new(b: &'b [u8]) -> Self {
        SentenceEnds {
            b,
            mark: None,
            lead: None,
        }
    }

    /// The offset of the first candidate byte at or after `from` (`b.len()` when none);
    /// `from` never goes back from one search to the next.
    fn next_from(&mut self, from: usize) -> usize {
        let b = self.b;
        let rest = b.get(from..).unwrap_or(&[]);
        let mark = match self.mark {
            Some(m) if m >= from => m,
            _ => memchr::memchr3(b'.', b'!', b'?', rest).map_or(b.len(), |k| from + k),
        };
        let lead = match self.lead {
            Some(l) if l >= from => l,
            _ => memchr::memchr(0xE2, rest).map_or(b.len(), |k| from + k),
        };
        self.mark = Some(mark);
        self.lead = Some(lead);
        mark.min(lead)
    }
}

/// Whether the word just before a full stop (the end of `before`) is an abbreviation ("Mr",
/// "U.S") or a single letter, compared lowercase.
fn abbreviation_before(before: &str) -> bool {
    let word = &before[last_word_start(before)..];
    if word.is_ascii() {
        // The longest abbreviation has six letters: longer words need no comparison.
        if word.len() == 1 {
            return word.as_bytes()[0].is_ascii_alphabetic();
        }
        let mut buf = [0u8; 6];
        match buf.get_mut(..word.len()) {
            Some(lower) => {
                lower.copy_from_slice(word.as_bytes());
                lower.make_ascii_lowercase();
                is_abbreviation(lower)
            }
            None => false,
        }
    } else {
        let lower = word.to_lowercase();
        ABBREVIATIONS.contains(&lower.as_str())
            || (lower.len() == 1 && lower.chars().all(char::is_alphabetic))
    }
}

/// Where the run of letters, digits and `.` that ends `before` starts (as
/// `before.rsplit(|c| !(c.is_alphanumeric() || c == '.'))` cuts it), walking back byte by byte
/// over ASCII.
fn last_word_start(before: &str) -> usize {
    let b = before.as_bytes();
    let mut i = b.len();
    while i > 0 {
        let c = b[i - 1];
        if c.is_ascii() {
            if !(c.is_ascii_alphanumeric() || c == b'.') {
                break;
            }
            i -= 1;
        } else {
            match before[..i].chars().next_back() {
                Some(ch) if ch.is_alphanumeric() => i -= ch.len_utf8(),
                _ => break,
            }
        }
    }
    i
}

/// Whether a lowercase ASCII word is one of [`ABBREVIATIONS`] (a test holds the two
/// together): one `match` on the bytes rather than a comparison with each.
fn is_abbreviation(lower: &[u8]) -> bool {
    matches!(
        lower,
        b"mr"
            | b"mrs"
            | b"ms"
            | b"dr"
            | b"st"
            | b"gen"
            | b"lt"
            | b"col"
            | b"sgt"
            | b"capt"
            | b"maj"
            | b"prof"
            | b"rev"
            | b"sen"
            | b"rep"
            | b"gov"
            | b"jr"
            | b"sr"
            | b"no"
            | b"jan"
            | b"feb"
            | b"mar"
            | b"apr"
            | b"jun"
            | b"jul"
            | b"aug"
            | b"sep"
            | b"sept"
            | b"oct"
            | b"nov"
            | b"dec"
            | b"u.s"
            | b"u.n"
            | b"e.g"
            | b"i.e"
            | b"vs"
            | b"etc"
            | b"a.m"
            | b"p.m"
            | b"approx"
            | b"est"
            | b"inc"
            | b"ltd"
            | b"co"
            | b"corp"
            | b"mt"
            | b"ft"
            | b"fig"
    )
}

fn quotes(text: &str, paragraphs: &[Paragraph]) -> Vec<Quote> {
    let para_of = |at: usize| paragraphs.partition_point(|p| p.span.end <= at);
    let mut out = Vec::new();
    // Curly quotations: an opening mark runs to the next closing mark, over at most five
    // paragraph breaks; an opening mark that meets another opening mark first ends with its
    // paragraph.
    let marks = curly_marks(text);
    let mut k = 0;
    while k < marks.len() {
        let (at, c) = marks[k];
        if !matches!(c, '“' | '„' | '«') {
            k += 1;
            continue;
        }
        let p = para_of(at);
        match marks.get(k + 1) {
            Some(&(close, cc)) if matches!(cc, '”' | '»') && para_of(close) <= p + 5 => {
                out.push(Quote {
                    span: at..close + cc.len_utf8(),
                });
                k += 2;
            }
            _ => {
                let end = paragraphs.get(p).map_or(text.len(), |p| p.span.end);
                out.push(Quote { span: at..end });
                k += 1;
            }
        }
    }
    // Straight quotation marks pair up inside a paragraph, outside curly quotations. The
    // curly ones are in order of their starts and the marks in text order: one walk gives the
    // curly quotations that start before each mark, and the furthest any of them reaches.
    let curly = out.len();
    let (mut started, mut reach) = (0, 0);
    for p in paragraphs {
        let mut straight: Option<usize> = None;
        // '"' is one byte, never part of another character.
        for i in memchr::memchr_iter(b'"', text[p.span.clone()].as_bytes()) {
            let at = p.span.start + i;
            while started < curly && out[started].span.start < at {
                reach = reach.max(out[started].span.end);
                started += 1;
            }
            if at < reach {
                continue;
            }
            match straight.take() {
                Some(s) => out.push(Quote { span: s..at + 1 }),
                None => straight = Some(at),
            }
        }
        if let Some(s) = straight {
            out.push(Quote {
                span: s..p.span.end,
            });
        }
    }
    out.sort_by_key(|q| q.span.start);
    out
}

/// The curly quotation marks of a text (“ „ « ” »), with their offsets: found by their
/// UTF-8 lead bytes (E2 for “ ” „, C2 for « ») rather than by decoding every character (lead
/// bytes are never inside another character).
fn curly_marks(text: &str) -> Vec<(usize, char)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for i in memchr::memchr2_iter(0xE2, 0xC2, b) {
        if i + 1 >= b.len() {
            break;
        }
        let mark = match b[i] {
            0xE2 if b[i + 1] == 0x80 => match b.get(i + 2) {
                Some(0x9C) => Some('“'),
                Some(0x9D) => Some('”'),
                Some(0x9E) => Some('„'),
                _ => None,
            },
            0xC2 => match b[i + 1] {
                0xAB => Some('«'),
                0xBB => Some('»'),
                _ => None,
            },
            _ => None,
        };
        if let Some(c) = mark {
            out.push((i, c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_are_short() {
        // `abbreviation_before` compares only words of up to six letters.
        assert!(ABBREVIATIONS.iter().all(|a| a.len() <= 6));
        assert!(abbreviation_before("the APPROX"));
        assert!(abbreviation_before("said Sept"));
        assert!(!abbreviation_before("the approxim"));
    }

    #[test]
    fn the_last_word_is_the_last_piece_of_rsplit() {
        for t in reference::texts() {
            for (i, _) in t.char_indices().chain([(t.len(), ' ')]) {
                let before = &t[..i];
                let expect = before
                    .rsplit(|c: char| !(c.is_alphanumeric() || c == '.'))
                    .next()
                    .unwrap_or("");
                assert_eq!(&before[last_word_start(before)..], expect, "{before:?}");
            }
        }
    }

    #[test]
    fn the_abbreviation_match_is_the_list() {
        for a in ABBREVIATIONS {
            assert!(is_abbreviation(a.as_bytes()), "{a}");
            // Near misses: one letter more or less, another last letter.
            let more = format!("{a}x");
            assert!(!is_abbreviation(more.as_bytes()) || ABBREVIATIONS.contains(&&*more));
            let less = &a[..a.len() - 1];
            assert_eq!(
                is_abbreviation(less.as_bytes()),
                ABBREVIATIONS.contains(&less)
            );
            let other = format!("{less}q");
            assert!(!is_abbreviation(other.as_bytes()), "{other}");
        }
        // Every word of two to six letters over the letters of the list and `.`.
        let letters: Vec<u8> = b"abcdefgijlmnoprstuvx.".to_vec();
        let mut rng = crate::test_rng::XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..200_000 {
            let seed = rng.next();
            let len = 2 + (seed % 5) as usize;
            let w: Vec<u8> = (0..len)
                .map(|k| letters[((seed >> (8 + 5 * k)) % letters.len() as u64) as usize])
                .collect();
            let w = String::from_utf8(w).unwrap();
            assert_eq!(
                is_abbreviation(w.as_bytes()),
                ABBREVIATIONS.contains(&w.as_str()),
                "{w}"
            );
        }
    }

    #[test]
    fn sentences_and_quotes() {
        let t = "Headline with some words\n\nMr. Smith said 5 people died. The U.N. said more. “Quote one,” he said. “Quote two.”\n\n“Long quote\n\ngoes on.”\n";
        let s = Structure::new(t, 0);
        assert_eq!(s.paragraphs.len(), 4);
        assert!(s.paragraphs[0].heading);
        let texts: Vec<&str> = s.sentences.iter().map(|x| &t[x.span.clone()]).collect();
        assert_eq!(texts[1], "Mr. Smith said 5 people died.");
        assert_eq!(texts[2], "The U.N. said more.");
        let q: Vec<&str> = s.quotes.iter().map(|x| &t[x.span.clone()]).collect();
        assert_eq!(
            q,
            ["“Quote one,”", "“Quote two.”", "“Long quote\n\ngoes on.”"]
        );
    }
}

/// The text cutting as it was before it was made faster, kept to check that the fast one
/// cuts every text the same way.
#[cfg(test)]
mod reference {
    use super::*;

    pub fn old_normalize_name(s: &str) -> String {
        let lower: String = s
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_lowercase().next().unwrap_or(c)
                } else {
                    ' '
                }
            })
            .collect();
        let words: Vec<&str> = lower.split_whitespace().collect();
        let skip = words
            .iter()
            .take_while(|w| matches!(**w, "the" | "a" | "an"))
            .count();
        words[skip..].join(" ")
    }

    fn old_paragraphs(text: &str, title_end: usize) -> Vec<Paragraph> {
        let mut out = Vec::new();
        let mut start = None;
        let mut pos = 0;
        let mut prev_blank = true;
        for line in text.split_inclusive('\n') {
            let blank = line.trim().is_empty();
            if blank {
                if let Some(s) = start.take() {
                    out.push(s..pos);
                }
            } else if prev_blank || start.is_none() {
                start = Some(pos);
            }
            prev_blank = blank;
            pos += line.len();
        }
        if let Some(s) = start {
            out.push(s..text.len());
        }
        out.into_iter()
            .map(|span| {
                let raw = text[span.clone()].trim_end();
                let span = span.start..span.start + raw.len();
                let ends = raw
                    .trim_end_matches(['*', '_'])
                    .chars()
                    .last()
                    .unwrap_or('.');
                let heading = span.end <= title_end
                    || raw.starts_with('#')
                    || (!raw.contains('\n')
                        && !".!?:;,\"”’)…".contains(ends)
                        && raw.chars().count() <= 200
                        && raw.split_whitespace().nth(2).is_some());
                Paragraph { span, heading }
            })
            .collect()
    }

    fn old_sentences_in(text: &str, span: Range<usize>) -> Vec<Range<usize>> {
        let p = &text[span.clone()];
        let mut out = Vec::new();
        let mut start = 0;
        let chars: Vec<(usize, char)> = p.char_indices().collect();
        let mut k = 0;
        while k < chars.len() {
            let (i, c) = chars[k];
            if matches!(c, '.' | '!' | '?' | '…') {
                // Take closing quotes and brackets with the sentence.
                let mut e = k + 1;
                while e < chars.len()
                    && matches!(
                        chars[e].1,
                        '"' | '”' | '’' | '\'' | ')' | ']' | '.' | '!' | '?'
                    )
                {
                    e += 1;
                }
                let next_ws = e < chars.len() && chars[e].1.is_whitespace();
                if next_ws {
                    let mut n = e;
                    while n < chars.len() && chars[n].1.is_whitespace() {
                        n += 1;
                    }
                    let next = chars.get(n).map(|&(_, c)| c);
                    let starts_new = next.is_some_and(|c| {
                        c.is_uppercase()
                            || c.is_ascii_digit()
                            || matches!(c, '"' | '“' | '‘' | '(' | '[' | '*' | '-' | '–')
                    });
                    let word_before = p[..i]
                        .rsplit(|c: char| !(c.is_alphanumeric() || c == '.'))
                        .next()
                        .unwrap_or("")
                        .to_lowercase();
                    let abbrev = c == '.'
                        && (ABBREVIATIONS.contains(&word_before.as_str())
                            || (word_before.len() == 1
                                && word_before.chars().all(char::is_alphabetic)));
                    if starts_new && !abbrev {
                        let end = chars[e - 1].0 + chars[e - 1].1.len_utf8();
                        out.push(span.start + start..span.start + end);
                        start = chars.get(n).map_or(p.len(), |&(b, _)| b);
                        k = n;
                        continue;
                    }
                }
                k = e;
                continue;
            }
            k += 1;
        }
        if start < p.len() {
            out.push(span.start + start..span.end);
        }
        out
    }

    fn old_quotes(text: &str, paragraphs: &[Paragraph]) -> Vec<Quote> {
        let para_of = |at: usize| paragraphs.partition_point(|p| p.span.end <= at);
        let mut out = Vec::new();
        // Curly quotations: an opening mark runs to the next closing mark, over at most five
        // paragraph breaks; an opening mark that meets another opening mark first ends with its
        // paragraph.
        let marks: Vec<(usize, char)> = text
            .char_indices()
            .filter(|(_, c)| matches!(c, '“' | '„' | '«' | '”' | '»'))
            .collect();
        let mut k = 0;
        while k < marks.len() {
            let (at, c) = marks[k];
            if !matches!(c, '“' | '„' | '«') {
                k += 1;
                continue;
            }
            let p = para_of(at);
            match marks.get(k + 1) {
                Some(&(close, cc)) if matches!(cc, '”' | '»') && para_of(close) <= p + 5 => {
                    out.push(Quote {
                        span: at..close + cc.len_utf8(),
                    });
                    k += 2;
                }
                _ => {
                    let end = paragraphs.get(p).map_or(text.len(), |p| p.span.end);
                    out.push(Quote { span: at..end });
                    k += 1;
                }
            }
        }
        // Straight quotation marks pair up inside a paragraph.
        for p in paragraphs {
            let mut straight: Option<usize> = None;
            for (i, c) in text[p.span.clone()].char_indices() {
                if c == '"' {
                    let at = p.span.start + i;
                    if out
                        .iter()
                        .any(|q: &Quote| q.span.start < at && at < q.span.end)
                    {
                        continue;
                    }
                    match straight.take() {
                        Some(s) => out.push(Quote { span: s..at + 1 }),
                        None => straight = Some(at),
                    }
                }
            }
            if let Some(s) = straight {
                out.push(Quote {
                    span: s..p.span.end,
                });
            }
        }
        out.sort_by_key(|q| q.span.start);
        out
    }

    /// Random texts over an alphabet of the characters the cutting looks at.
    pub(super) fn texts() -> impl Iterator<Item = String> {
        const PIECES: &[&str] = &[
            "a", "b", "Mr", "U.S", "K", "\u{212A}", "Σ", "İ", "x", "The", "the", "an", "A", " ",
            "  ", "\n", "\n\n", ".", "!", "?", "…", "\"", "”", "“", "„", "«", "»", "’", "'", ")",
            "]", "(", "[", "*", "-", "–", "1", "2", "é", "حلب", "\u{a0}", "#", ":", ",", "St",
            "e.g", "vs", "Ab", "\t", "\u{2028}",
        ];
        let mut rng = crate::test_rng::XorShift(0x2545_f491_4f6c_dd1d);
        (0..3000).map(move |round| {
            let mut t = String::new();
            for _ in 0..(round % 60) {
                let seed = rng.next();
                t.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            t
        })
    }

    /// ASCII names (which take their own path) are normalised as before.
    #[test]
    fn ascii_names_are_normalised_as_before() {
        const PIECES: &[&str] = &[
            "The", "the", "THE", "a", "A", "an", "An", "aN", "then", "x", "Ministry", "UN", "4",
            " ", "  ", "-", ".", "'", ",", "\t", "\n", "(", "theA",
        ];
        let mut rng = crate::test_rng::XorShift(0x9e37_79b9_7f4a_7c15);
        for round in 0..3000 {
            let mut t = String::new();
            for _ in 0..(round % 12) {
                t.push_str(PIECES[rng.below(PIECES.len())]);
            }
            assert_eq!(normalize_name(&t), old_normalize_name(&t), "{t:?}");
        }
    }

    #[test]
    fn the_fast_cutting_agrees_with_the_old() {
        for t in texts() {
            assert_eq!(normalize_name(&t), old_normalize_name(&t), "{t:?}");
            for title_end in [0, t.len() / 2] {
                assert_eq!(
                    paragraphs(&t, title_end),
                    old_paragraphs(&t, title_end),
                    "{t:?}"
                );
            }
            let paragraphs = paragraphs(&t, 0);
            for p in &paragraphs {
                assert_eq!(
                    sentences_in(&t, p.span.clone()),
                    old_sentences_in(&t, p.span.clone()),
                    "{t:?}"
                );
            }
            assert_eq!(
                quotes(&t, &paragraphs),
                old_quotes(&t, &paragraphs),
                "{t:?}"
            );
        }
    }
}
