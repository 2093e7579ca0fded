//! Text structure shared by the readers: paragraphs, sentences, quotations, name normalising.

/// A source name reduced for matching: lowercase, leading articles dropped, punctuation and
/// runs of spaces folded ("The  Russian military" → "russian military").
pub fn normalize_name(s: &str) -> String {
    // The words are the runs of letters and digits, each character lowercased (its first
    // lowercase character); they are written out one space apart as they are read, and
    // leading articles are taken back out.
    let mut out = String::with_capacity(s.len());
    let mut word: Option<usize> = None; // where the current word starts in `out`
    let mut leading = true; // only articles so far (and `out` is empty)
    let end_word = |out: &mut String, start: usize, leading: &mut bool| {
        if *leading {
            if matches!(&out[start..], "the" | "a" | "an") {
                out.truncate(start);
            } else {
                *leading = false;
            }
        }
    };
    for c in s.chars() {
        let lower = if c.is_ascii() {
            c.is_ascii_alphanumeric().then(|| c.to_ascii_lowercase())
        } else if c.is_alphanumeric() {
            Some(c.to_lowercase().next().unwrap_or(c))
        } else {
            None
        };
        match lower {
            Some(l) => {
                if word.is_none() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    word = Some(out.len());
                }
                out.push(l);
            }
            None => {
                if let Some(start) = word.take() {
                    end_word(&mut out, start, &mut leading);
                }
            }
        }
    }
    if let Some(start) = word {
        end_word(&mut out, start, &mut leading);
    }
    out
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
        let mut sentences = Vec::new();
        for (pi, p) in paragraphs.iter().enumerate() {
            for s in sentences_in(text, p.span.clone()) {
                sentences.push(Sentence {
                    span: s,
                    paragraph: pi,
                });
            }
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
            let one_line = !raw.contains('\n');
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
        })
        .collect()
}

/// Words that a full stop follows without ending the sentence (at most six letters long).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "capt", "maj", "prof", "rev", "sen",
    "rep", "gov", "jr", "sr", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "u.s", "u.n", "e.g", "i.e", "vs", "etc", "a.m", "p.m", "approx", "est",
    "inc", "ltd", "co", "corp", "mt", "ft", "fig",
];

/// Sentence spans inside a paragraph.
fn sentences_in(text: &str, span: Range<usize>) -> Vec<Range<usize>> {
    let p = &text[span.clone()];
    let b = p.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    // Byte offsets: only ASCII bytes and the lead byte of '…' (E2 80 A6) can end a sentence,
    // and every offset the scan stops at is a character boundary.
    let mut i = 0;
    loop {
        i = find_any(b, i, [b'.', b'!', b'?', 0xE2]);
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
                out.push(span.start + start..span.start + e);
                start = n;
                i = n;
                continue;
            }
        }
        i = e;
    }
    if start < p.len() {
        out.push(span.start + start..span.end);
    }
    out
}

/// Whether the word just before a full stop (the end of `before`) is an abbreviation ("Mr",
/// "U.S") or a single letter, compared lowercase.
fn abbreviation_before(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '.'))
        .next()
        .unwrap_or("");
    if word.is_ascii() {
        // The longest abbreviation has six letters: longer words need no comparison.
        word.len() <= 6 && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
            || (word.len() == 1 && word.as_bytes()[0].is_ascii_alphabetic())
    } else {
        let lower = word.to_lowercase();
        ABBREVIATIONS.contains(&lower.as_str())
            || (lower.len() == 1 && lower.chars().all(char::is_alphabetic))
    }
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
    // Straight quotation marks pair up inside a paragraph.
    for p in paragraphs {
        let mut straight: Option<usize> = None;
        // '"' is one byte, never part of another character.
        for (i, _) in text[p.span.clone()].match_indices('"') {
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
/// UTF-8 lead bytes (E2 for “ ” „, C2 for « ») rather than by decoding every character.
fn curly_marks(text: &str) -> Vec<(usize, char)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        i = find_any(b, i, [0xE2, 0xC2]);
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
            i += c.len_utf8();
        } else {
            i += 1;
        }
    }
    out
}

/// The offset of the first byte at or after `from` that is one of `set` (`b.len()` when
/// there is none), eight bytes at a time.
#[inline]
fn find_any<const N: usize>(b: &[u8], mut from: usize, set: [u8; N]) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    while from + 8 <= b.len() {
        let x = u64::from_le_bytes(b[from..from + 8].try_into().unwrap());
        let mut hit = 0;
        for v in set {
            // A zero byte in `y` is a byte equal to `v`; the lowest flagged byte is exact.
            let y = x ^ (LO * v as u64);
            hit |= y.wrapping_sub(LO) & !y & HI;
        }
        if hit != 0 {
            return from + (hit.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    while from < b.len() && !set.contains(&b[from]) {
        from += 1;
    }
    from
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
    fn texts() -> impl Iterator<Item = String> {
        const PIECES: &[&str] = &[
            "a", "b", "Mr", "U.S", "K", "\u{212A}", "Σ", "İ", "x", "The", "the", "an", "A", " ",
            "  ", "\n", "\n\n", ".", "!", "?", "…", "\"", "”", "“", "„", "«", "»", "’", "'", ")",
            "]", "(", "[", "*", "-", "–", "1", "2", "é", "حلب", "\u{a0}", "#", ":", ",", "St",
            "e.g", "vs", "Ab", "\t", "\u{2028}",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        (0..3000).map(move |round| {
            let mut t = String::new();
            for _ in 0..(round % 60) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            t
        })
    }

    #[test]
    fn the_fast_cutting_agrees_with_the_old() {
        for t in texts() {
            assert_eq!(normalize_name(&t), old_normalize_name(&t), "{t:?}");
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
