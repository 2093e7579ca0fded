//! Text structure shared by the readers: paragraphs, sentences, quotations, name normalising.

/// A source name reduced for matching: lowercase, leading articles dropped, punctuation and
/// runs of spaces folded ("The  Russian military" → "russian military").
pub fn normalize_name(s: &str) -> String {
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
            let heading = span.end <= title_end
                || raw.starts_with('#')
                || (one_line
                    && raw.chars().count() <= 200
                    && raw.split_whitespace().count() >= 3
                    && !".!?:;,\"”’)…".contains(ends));
            Paragraph { span, heading }
        })
        .collect()
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "capt", "maj", "prof", "rev", "sen",
    "rep", "gov", "jr", "sr", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "u.s", "u.n", "e.g", "i.e", "vs", "etc", "a.m", "p.m", "approx", "est",
    "inc", "ltd", "co", "corp", "mt", "ft", "fig",
];

/// Sentence spans inside a paragraph.
fn sentences_in(text: &str, span: Range<usize>) -> Vec<Range<usize>> {
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

fn quotes(text: &str, paragraphs: &[Paragraph]) -> Vec<Quote> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
