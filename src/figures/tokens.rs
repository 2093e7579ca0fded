//! Tokens: words, numbers and punctuation with their byte spans.

use std::borrow::Cow;
use std::ops::Range;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters, with inner apostrophes ("don't", "Aleppo’s").
    Word,
    /// Digits, with thousands grouping and a decimal part ("1,217", "21 000", "1.5").
    Number,
    /// One punctuation or symbol character.
    Punct,
    /// A run of white space; `breaks` counts the line breaks in it.
    Space { breaks: u32 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub span: Range<usize>,
}

/// The lowercase form of each word token (with `’` as `'`), borrowed when the word is
/// lowercase already; empty for other tokens.
pub fn lowercase_words<'t>(text: &'t str, toks: &[Token]) -> Vec<Cow<'t, str>> {
    toks.iter()
        .map(|t| {
            if t.kind != Kind::Word {
                return Cow::Borrowed("");
            }
            let w = &text[t.span.clone()];
            if w.chars().all(|c| !c.is_uppercase() && c != '’') {
                Cow::Borrowed(w)
            } else {
                Cow::Owned(w.to_lowercase().replace('’', "'"))
            }
        })
        .collect()
}

/// Separators that group digits in thousands.
pub fn is_group_sep(c: char) -> bool {
    matches!(
        c,
        ',' | '\u{00A0}' | '\u{2009}' | '\u{202F}' | '\u{2007}' | ' ' | '.' | '\''
    )
}

/// Cut a text into tokens. Every byte belongs to exactly one token.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 4);
    let b = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap();
        let start = i;
        if c.is_whitespace() {
            let mut breaks = 0;
            while i < text.len() {
                let c = text[i..].chars().next().unwrap();
                if !c.is_whitespace() {
                    break;
                }
                if c == '\n' {
                    breaks += 1;
                }
                i += c.len_utf8();
            }
            out.push(Token {
                kind: Kind::Space { breaks },
                span: start..i,
            });
        } else if c.is_ascii_digit() {
            i = number_end(text, i);
            out.push(Token {
                kind: Kind::Number,
                span: start..i,
            });
        } else if c.is_alphabetic() {
            i += c.len_utf8();
            while i < text.len() {
                let c = text[i..].chars().next().unwrap();
                if c.is_alphabetic() || c.is_mark() {
                    i += c.len_utf8();
                } else if (c == '\'' || c == '’')
                    && text[i + c.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphabetic)
                {
                    i += c.len_utf8();
                } else {
                    break;
                }
            }
            out.push(Token {
                kind: Kind::Word,
                span: start..i,
            });
        } else {
            i += c.len_utf8();
            out.push(Token {
                kind: Kind::Punct,
                span: start..i,
            });
        }
        let _ = b;
    }
    out
}

trait IsMark {
    fn is_mark(&self) -> bool;
}

impl IsMark for char {
    /// Combining marks (Arabic harakat, accents written apart) stay inside words.
    fn is_mark(&self) -> bool {
        matches!(*self as u32, 0x0300..=0x036F | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x200C | 0x200D)
    }
}

/// The end of a number starting at `i`: digits, groups of three after a separator, and a
/// decimal part.
fn number_end(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    let digits = |mut j: usize| {
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let first_end = digits(i);
    let lead_len = first_end - i;
    i = first_end;
    // Thousands groups: a separator then exactly three digits, not followed by a digit.
    let mut grouped_with: Option<char> = None;
    loop {
        let Some(sep) = text[i..].chars().next() else {
            break;
        };
        if !is_group_sep(sep) || grouped_with.is_some_and(|g| g != sep) {
            break;
        }
        let after = i + sep.len_utf8();
        let end = digits(after);
        if end - after != 3 {
            break;
        }
        if sep == ' '
            && (lead_len > 3 || grouped_with.is_none() && !plain_space_group_ok(text, after))
        {
            break;
        }
        if sep == '.' && grouped_with.is_none() {
            // "1.217" alone is a decimal; "1.217.000" is grouped.
            let next = text[end..].chars().next();
            if next != Some('.') || digits(end + 1) - (end + 1) != 3 {
                break;
            }
        }
        if sep == '\'' && grouped_with.is_none() && lead_len > 3 {
            break;
        }
        grouped_with = Some(sep);
        i = end;
    }
    // Decimal part.
    if grouped_with != Some('.')
        && b.get(i) == Some(&b'.')
        && b.get(i + 1).is_some_and(u8::is_ascii_digit)
    {
        i = digits(i + 1);
    }
    i
}

/// A plain space groups digits ("21 000") only when the next group ends the number.
fn plain_space_group_ok(text: &str, after: usize) -> bool {
    let rest = &text[after + 3..];
    !rest.starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(t: &str) -> Vec<&str> {
        tokenize(t)
            .into_iter()
            .filter(|k| k.kind == Kind::Number)
            .map(|k| &t[k.span])
            .collect()
    }

    #[test]
    fn numbers_keep_their_grouping() {
        assert_eq!(
            numbers("1,217 and 21\u{a0}000 and 1\u{2009}217 and 1.5 and 2016, 200"),
            ["1,217", "21\u{a0}000", "1\u{2009}217", "1.5", "2016", "200"]
        );
        assert_eq!(numbers("1.217.000 people, 16.17"), ["1.217.000", "16.17"]);
        assert_eq!(numbers("10/21/2016"), ["10", "21", "2016"]);
    }
}
