//! Tokens: words, numbers and punctuation with their byte spans.

use std::borrow::Cow;
use std::ops::Range;

use super::lexicon::numeral_starts;

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
/// lowercase already; empty for other tokens. (The reader uses [`tokenize_lowered`], which
/// does both in one pass; this stays for other callers.)
#[allow(dead_code)]
pub fn lowercase_words<'t>(text: &'t str, toks: &[Token]) -> Vec<Cow<'t, str>> {
    toks.iter()
        .map(|t| {
            if t.kind != Kind::Word {
                return Cow::Borrowed("");
            }
            let w = &text[t.span.clone()];
            if w.is_ascii() {
                // ASCII: no `’`, and lowercasing is byte by byte.
                if w.bytes().any(|c| c.is_ascii_uppercase()) {
                    Cow::Owned(w.to_ascii_lowercase())
                } else {
                    Cow::Borrowed(w)
                }
            } else {
                lower_word(w)
            }
        })
        .collect()
}

/// The lowercase form of any word, with `’` as `'`.
fn lower_word(w: &str) -> Cow<'_, str> {
    if w.chars().all(|c| !c.is_uppercase() && c != '’') {
        Cow::Borrowed(w)
    } else {
        Cow::Owned(w.to_lowercase().replace('’', "'"))
    }
}

/// Separators that group digits in thousands.
pub fn is_group_sep(c: char) -> bool {
    matches!(
        c,
        ',' | '\u{00A0}' | '\u{2009}' | '\u{202F}' | '\u{2007}' | ' ' | '.' | '\''
    )
}

/// Byte classes for [`scan`]: ASCII punctuation and symbols.
const OTHER: u8 = 0;
/// ASCII white space, as [`char::is_whitespace`] says (tab to carriage return, and space).
const SPACE: u8 = 1;
/// An ASCII digit: a number starts.
const DIGIT: u8 = 2;
/// A lowercase ASCII letter.
const LOWER: u8 = 3;
/// An uppercase ASCII letter.
const UPPER: u8 = 4;
/// A byte of a multi-byte character: decode the character to know.
const HIGH: u8 = 5;

/// The class of each byte.
static CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => SPACE,
            b'0'..=b'9' => DIGIT,
            b'a'..=b'z' => LOWER,
            b'A'..=b'Z' => UPPER,
            0x80..=0xFF => HIGH,
            _ => OTHER,
        };
        b += 1;
    }
    t
};

/// The character starting at byte `i` (a char boundary before the end of `text`).
#[inline]
fn char_at(text: &str, i: usize) -> char {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        b as char
    } else {
        text[i..].chars().next().unwrap()
    }
}

/// Cut a text into tokens. Every byte belongs to exactly one token. (The analysis uses
/// [`tokenize_lowered`]; this is the plain form its tests compare with.)
#[cfg(test)]
pub fn tokenize(text: &str) -> Vec<Token> {
    scan::<false>(
        text,
        "",
        &mut Vec::new(),
        &mut Aside::default(),
        &mut Vec::new(),
        &mut Vec::new(),
    )
}

/// The lowercase form of each token of a text (with `’` as `'`), as [`lowercase_words`]
/// gives it, with nothing to drop: borrowed from `lowered` (the text with its ASCII letters
/// lowercased), or for the few words with other uppercase letters or a `’` from the caller's
/// buffer of such forms ([`tokenize_lowered`]). Other tokens' forms are empty.
#[derive(Debug, Clone)]
pub struct Lower<'t> {
    /// Each token's form.
    forms: Vec<&'t str>,
    /// The tokens where a numeral may start, in order: every number, and every word whose
    /// form [`may_start_numeral`](super::lexicon::may_start_numeral), found while tokenizing
    /// so that the figure reader walks only these.
    starts: Vec<usize>,
    /// The word tokens where a source cue may start, in order: a superset of the words the
    /// cue scan starts at ([`crate::attribution::cue_start_words`]), so that it walks only
    /// these.
    cue_starts: Vec<usize>,
}

impl<'t> Lower<'t> {
    /// The lowercase form of token `i`: empty for tokens not words and past the end.
    #[inline]
    pub fn get(&self, i: usize) -> &'t str {
        self.forms.get(i).copied().unwrap_or("")
    }

    /// Each token's lowercase form, for a reader that keeps the list at hand.
    #[inline]
    pub fn forms(&self) -> &[&'t str] {
        &self.forms
    }

    /// The tokens where a numeral may start, in order: every number token and every word
    /// token whose lowercase form [`may_start_numeral`](super::lexicon::may_start_numeral).
    #[inline]
    pub fn numeral_starts(&self) -> &[usize] {
        &self.starts
    }

    /// The word tokens where a source cue may start, in order: every word whose lowercase
    /// form is one of [`crate::attribution::cue_start_words`], and others (the filter lets
    /// some through, and every word not all ASCII).
    #[inline]
    pub fn cue_starts(&self) -> &[usize] {
        &self.cue_starts
    }
}

/// A bit filter of words by length (mod 16) and last and first bytes (mod 32): a word it
/// turns away is none of the words it was made of; one it lets through may be.
struct WordFilter([u32; 512]);

impl WordFilter {
    /// The filter of `words` (none of them empty).
    fn new<'w>(words: impl IntoIterator<Item = &'w str>) -> WordFilter {
        let mut t = [0u32; 512];
        for w in words {
            if let Some((slot, bit)) = Self::place(w.as_bytes()) {
                t[slot] |= bit;
            }
        }
        WordFilter(t)
    }

    /// A word's entry and bit (None for the empty word).
    #[inline(always)]
    fn place(b: &[u8]) -> Option<(usize, u32)> {
        let (&first, &last) = (b.first()?, b.last()?);
        Some((
            (b.len() & 15) * 32 + usize::from(last & 31),
            1 << (first & 31),
        ))
    }

    /// Whether `w` may be one of the words (false for the empty word).
    #[inline(always)]
    fn may_hold(&self, w: &[u8]) -> bool {
        Self::place(w).is_some_and(|(slot, bit)| self.0[slot] & bit != 0)
    }
}

/// The filter of the words a source cue may start with.
fn cue_filter() -> &'static WordFilter {
    static FILTER: std::sync::LazyLock<WordFilter> =
        std::sync::LazyLock::new(|| WordFilter::new(crate::attribution::cue_start_words()));
    &FILTER
}

/// The lowercase forms that are not a span of `lowered`, while scanning: written one after
/// the other to `text`, with the token index and span in `text` of each.
#[derive(Default)]
struct Aside {
    text: String,
    forms: Vec<(usize, Range<usize>)>,
}

/// [`tokenize`] and [`lowercase_words`] in one pass over the text, given `lowered`, the text
/// with its ASCII letters lowercased (`text.to_ascii_lowercase()`, the same length): the
/// lowercase forms are borrowed from it ([`Lower`]), and those of words with other uppercase
/// letters or a `’` from `aside` (cleared first), where they are written.
pub fn tokenize_lowered<'t>(
    text: &'t str,
    lowered: &'t str,
    aside: &'t mut String,
) -> (Vec<Token>, Lower<'t>) {
    assert_eq!(
        text.len(),
        lowered.len(),
        "`lowered` is not the text lowercased"
    );
    let mut forms = Vec::with_capacity(token_capacity(text));
    let mut pending = Aside {
        text: std::mem::take(aside),
        forms: Vec::new(),
    };
    pending.text.clear();
    let mut starts = Vec::with_capacity(text.len() / 32 + 8);
    let mut cue_starts = Vec::with_capacity(text.len() / 32 + 8);
    let toks = scan::<true>(
        text,
        lowered,
        &mut forms,
        &mut pending,
        &mut starts,
        &mut cue_starts,
    );
    *aside = pending.text;
    let aside: &'t String = aside;
    for (i, span) in pending.forms {
        if let (Some(form), Some(w)) = (forms.get_mut(i), aside.get(span)) {
            *form = w;
        }
    }
    (
        toks,
        Lower {
            forms,
            starts,
            cue_starts,
        },
    )
}

/// Room for the tokens of most texts, so the vectors are not grown while scanning.
fn token_capacity(text: &str) -> usize {
    text.len() / 2 + 16
}

/// Cut a text into tokens, and with `LOWER_TOO` give `lower` each token's lowercase form
/// (see [`Lower`] and, for `lowered`, [`tokenize_lowered`]) and `starts` the tokens where a
/// numeral may start ([`Lower::numeral_starts`]), and `cue_starts` the words where a source
/// cue may ([`Lower::cue_starts`]). ASCII is read
/// byte by byte through [`CLASS`], with the common cases (a word of ASCII letters, one space
/// before an ASCII character) in the loop; other characters are decoded out of it.
#[inline(always)]
fn scan<'t, const LOWER_TOO: bool>(
    text: &'t str,
    lowered: &'t str,
    forms: &mut Vec<&'t str>,
    aside: &mut Aside,
    starts: &mut Vec<usize>,
    cue_starts: &mut Vec<usize>,
) -> Vec<Token> {
    let number_words = numeral_starts();
    let cue_words = cue_filter();
    let mut out = Vec::with_capacity(token_capacity(text));
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        let start = i;
        let byte = b[i];
        let mut class = CLASS[byte as usize];
        if class == HIGH {
            class = high_class(text, i);
        }
        match class {
            SPACE => {
                i = if single_space(b, i) {
                    i + 1
                } else {
                    space_end(text, i)
                };
                let breaks = if i - start == 1 {
                    u32::from(byte == b'\n')
                } else {
                    count_breaks(&b[start..i])
                };
                out.push(Token {
                    kind: Kind::Space { breaks },
                    span: start..i,
                });
                if LOWER_TOO {
                    forms.push("");
                }
            }
            LOWER | UPPER | HIGH => {
                // A word: letters and marks, with inner apostrophes. A run of ASCII letters
                // first; what may continue it is looked at out of the loop.
                let mut ascii = class != HIGH;
                i += if ascii {
                    1
                } else {
                    char_at(text, i).len_utf8()
                };
                i = letters_end(b, i);
                if i < n && (b[i] >= 0x80 || b[i] == b'\'') {
                    let (end, all_ascii) = word_end(text, i);
                    i = end;
                    ascii &= all_ascii;
                }
                if LOWER_TOO {
                    let form = &lowered[start..i];
                    let (starts_numeral, may_start_cue) = if ascii {
                        (
                            number_words.contains(form),
                            cue_words.may_hold(form.as_bytes()),
                        )
                    } else {
                        // The form may not be this one: the cue scan looks.
                        (set_aside(&text[start..i], form, out.len(), aside), true)
                    };
                    if starts_numeral {
                        starts.push(out.len());
                    }
                    if may_start_cue {
                        cue_starts.push(out.len());
                    }
                    forms.push(form);
                }
                out.push(Token {
                    kind: Kind::Word,
                    span: start..i,
                });
                // Most words are followed by one space: take it here.
                take_single_space::<LOWER_TOO>(b, &mut i, &mut out, forms);
            }
            DIGIT => {
                i = number_end(text, i);
                if LOWER_TOO {
                    starts.push(out.len());
                }
                out.push(Token {
                    kind: Kind::Number,
                    span: start..i,
                });
                if LOWER_TOO {
                    forms.push("");
                }
                // So are most numbers.
                take_single_space::<LOWER_TOO>(b, &mut i, &mut out, forms);
            }
            _ => {
                i += if byte < 0x80 {
                    1
                } else {
                    char_at(text, i).len_utf8()
                };
                out.push(Token {
                    kind: Kind::Punct,
                    span: start..i,
                });
                if LOWER_TOO {
                    forms.push("");
                }
                // "said, the": punctuation is often followed by one space too.
                take_single_space::<LOWER_TOO>(b, &mut i, &mut out, forms);
            }
        }
    }
    out
}

/// Whether byte `i` is an ASCII space that is a token alone: an ASCII character that is not
/// white space follows it.
#[inline(always)]
fn single_space(b: &[u8], i: usize) -> bool {
    b.get(i) == Some(&b' ')
        && b.get(i + 1)
            .is_some_and(|&c| c < 0x80 && CLASS[c as usize] != SPACE)
}

/// When byte `i` is a [`single_space`], its token (and with `LOWER_TOO` its empty lowercase
/// form), and `i` past it.
#[inline(always)]
fn take_single_space<const LOWER_TOO: bool>(
    b: &[u8],
    i: &mut usize,
    out: &mut Vec<Token>,
    forms: &mut Vec<&str>,
) {
    if single_space(b, *i) {
        if LOWER_TOO {
            forms.push("");
        }
        out.push(Token {
            kind: Kind::Space { breaks: 0 },
            span: *i..*i + 1,
        });
        *i += 1;
    }
}

/// Set aside the lowercase form of word `index`, `word` (not all ASCII), when it is not
/// `lowered`, the word with its ASCII letters lowercased: when it has other uppercase letters
/// or a `’`. Whether the form may start a numeral.
#[inline(never)]
fn set_aside(word: &str, lowered: &str, index: usize, aside: &mut Aside) -> bool {
    match lower_word(word) {
        Cow::Owned(form) if form != lowered => {
            let start = aside.text.len();
            aside.text.push_str(&form);
            aside.forms.push((index, start..aside.text.len()));
            numeral_starts().contains(&form)
        }
        _ => numeral_starts().contains(lowered),
    }
}

/// The class of the character beyond ASCII at byte `i`: white space, a letter, or a symbol.
#[inline(never)]
fn high_class(text: &str, i: usize) -> u8 {
    let c = char_at(text, i);
    if c.is_whitespace() {
        SPACE
    } else if is_alphabetic(c) {
        HIGH
    } else {
        OTHER
    }
}

/// The end of the run of white space starting at byte `i`.
#[inline(never)]
fn space_end(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    while i < b.len() {
        let byte = b[i];
        if byte < 0x80 {
            if CLASS[byte as usize] != SPACE {
                break;
            }
            i += 1;
        } else {
            let c = char_at(text, i);
            if !c.is_whitespace() {
                break;
            }
            i += c.len_utf8();
        }
    }
    i
}

/// The line breaks in a run of white space.
#[inline(never)]
fn count_breaks(space: &[u8]) -> u32 {
    space.iter().filter(|&&c| c == b'\n').count() as u32
}

/// The end of a word whose ASCII letters end at byte `i`, where an apostrophe or a character
/// beyond ASCII is, and whether the word stays ASCII.
#[inline(never)]
fn word_end(text: &str, mut i: usize) -> (usize, bool) {
    let b = text.as_bytes();
    let n = b.len();
    let mut ascii = true;
    loop {
        if i >= n {
            break;
        }
        let byte = b[i];
        if byte >= 0x80 {
            let c = char_at(text, i);
            if is_alphabetic(c)
                || c.is_mark()
                || c == '’' && starts_with_letter(&text[i + c.len_utf8()..])
            {
                ascii = false;
                i += c.len_utf8();
            } else {
                break;
            }
        } else if byte == b'\'' && starts_with_letter(&text[i + 1..]) {
            i += 1;
        } else {
            break;
        }
        // A run of ASCII letters, then what may continue the word.
        i = letters_end(b, i);
    }
    (i, ascii)
}

/// The end of the run of ASCII letters starting at byte `i`, read eight bytes at a time.
#[inline(always)]
fn letters_end(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOPS: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        // Each byte with 0x20 set and its top bit cleared: a letter is then `a` to `z`.
        let y = (w | (0x20 * ONES)) & !TOPS;
        // A byte's top bit: y >= `a`, and y > `z` (neither sum carries into the next byte).
        let from_a = y + (0x80 - u64::from(b'a')) * ONES;
        let past_z = y + (0x80 - u64::from(b'z') - 1) * ONES;
        let not_letters = !(from_a & !past_z & !w) & TOPS;
        if not_letters != 0 {
            return i + (not_letters.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && b[i].is_ascii_alphabetic() {
        i += 1;
    }
    i
}

/// Whether a text starts with a letter.
#[inline]
fn starts_with_letter(rest: &str) -> bool {
    match rest.as_bytes().first() {
        None => false,
        Some(&byte) if byte < 0x80 => byte.is_ascii_alphabetic(),
        Some(_) => rest.chars().next().is_some_and(is_alphabetic),
    }
}

/// [`char::is_alphabetic`], answered at once for the Arabic letters of names (U+0620 to
/// U+064A) and for General Punctuation (U+2000 to U+206F: dashes, curly quotes, `…`, none of
/// them letters), which the standard library looks up slowly.
#[inline]
fn is_alphabetic(c: char) -> bool {
    match c {
        '\u{0620}'..='\u{064A}' => true,
        '\u{2000}'..='\u{206F}' => false,
        _ => c.is_alphabetic(),
    }
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
    while let Some(sep) = text[i..].chars().next() {
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

    /// The tokenizer as it was before the ASCII fast paths: what [`tokenize`] must still give.
    #[allow(clippy::if_same_then_else)] // kept as it was
    fn reference_tokenize(text: &str) -> Vec<Token> {
        let mut out = Vec::new();
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
        }
        out
    }

    /// The lowercase words as they were computed before: what the reader must still see.
    fn reference_lowercase(text: &str, toks: &[Token]) -> Vec<String> {
        toks.iter()
            .map(|t| {
                if t.kind != Kind::Word {
                    return String::new();
                }
                let w = &text[t.span.clone()];
                if w.chars().all(|c| !c.is_uppercase() && c != '’') {
                    w.to_string()
                } else {
                    w.to_lowercase().replace('’', "'")
                }
            })
            .collect()
    }

    /// Random texts over letters, digits, separators, apostrophes, marks, Arabic, other
    /// scripts and every kind of white space tokenize exactly as before, and the one-pass
    /// lowercase words match.
    #[test]
    fn fast_paths_tokenize_as_before() {
        let pieces: &[&str] = &[
            "a",
            "Z",
            "word",
            "Aleppo",
            "internationally",
            "HUMANITARIAN",
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "DON'T",
            "it's",
            "Aleppo’s",
            "’",
            "'",
            "1",
            "21",
            "000",
            "1,217",
            "4.5",
            ",",
            ".",
            "-",
            "–",
            "%",
            "$",
            "€",
            " ",
            "  ",
            "\n",
            "\r\n",
            "\t",
            "\u{0B}",
            "\u{0C}",
            "\u{85}",
            "\u{A0}",
            "\u{2009}",
            "\u{202F}",
            "\u{2028}",
            "\u{3000}",
            "حلب",
            "\u{0640}",
            "\u{064B}",
            "\u{0650}",
            "\u{0670}",
            "\u{0301}",
            "é",
            "É",
            "İ",
            "ß",
            "Σ",
            "ΣΑ",
            "\u{200C}",
            "\u{200D}",
            "日本",
            "🙂",
            "x\u{0301}",
            "#",
            "_",
            "/",
            "\u{1F}",
        ];
        let mut rng = crate::test_rng::XorShift(0x2545_f491_4f6c_dd1d);
        for round in 0..3000 {
            let text = rng.text(pieces, 1 + round % 25);
            let want = reference_tokenize(&text);
            assert_eq!(tokenize(&text), want, "{text:?}");
            let lowered = text.to_ascii_lowercase();
            let mut aside = String::new();
            let (toks, lower) = tokenize_lowered(&text, &lowered, &mut aside);
            assert_eq!(toks, want, "{text:?}");
            let want_lower = reference_lowercase(&text, &want);
            let got: Vec<&str> = (0..toks.len()).map(|i| lower.get(i)).collect();
            assert_eq!(got, want_lower, "{text:?}");
            let got: Vec<String> = lowercase_words(&text, &want)
                .into_iter()
                .map(|w| w.into_owned())
                .collect();
            assert_eq!(got, want_lower, "{text:?}");
        }
    }

    /// The numeral starts found while tokenizing are every number and every word whose
    /// lowercase form may start a numeral, in order.
    #[test]
    fn numeral_starts_are_the_numbers_and_number_words() {
        let pieces: &[&str] = &[
            "a",
            "A",
            "an",
            "An",
            "one",
            "One",
            "ONE",
            "twenty",
            "Hundreds",
            "tens",
            "half",
            "several",
            "few",
            "many",
            "and",
            "the",
            "oneself",
            "aa",
            "1",
            "1,217",
            "2.5",
            " ",
            "  ",
            "\n",
            "-",
            ",",
            "’",
            "'",
            "é",
            "É",
            "\u{212A}",
            "Ωne",
            "حلب",
            "dozens",
            "scores",
            "Thousands",
            "millions",
            "billions",
            "zero",
            "ninety",
            "x",
        ];
        let mut rng = crate::test_rng::XorShift(0x1234_5678_9abc_def1);
        for round in 0..3000 {
            let text = rng.text(pieces, 1 + round % 30);
            let lowered = text.to_ascii_lowercase();
            let mut aside = String::new();
            let (toks, lower) = tokenize_lowered(&text, &lowered, &mut aside);
            let want: Vec<usize> = (0..toks.len())
                .filter(|&i| {
                    toks[i].kind == Kind::Number
                        || toks[i].kind == Kind::Word
                            && super::super::lexicon::may_start_numeral(lower.get(i))
                })
                .collect();
            assert_eq!(lower.numeral_starts(), want, "{text:?}");
        }
    }

    /// The run of letters read eight bytes at a time ends where the byte-by-byte run does,
    /// for every byte value around letters and at every distance from the end.
    #[test]
    fn letter_runs_end_as_byte_by_byte() {
        let plain = |b: &[u8], mut i: usize| {
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            i
        };
        let mut rng = crate::test_rng::XorShift(0x9e37_79b9_7f4a_7c15);
        for round in 0..20_000 {
            let len = round % 24;
            let mut b = Vec::with_capacity(len);
            for _ in 0..len {
                let seed = rng.next();
                // Mostly letters, so runs are long; any byte value otherwise.
                let byte = if seed % 4 != 0 {
                    b"aAzZmMqQ"[(seed >> 8) as usize % 8]
                } else {
                    (seed >> 16) as u8
                };
                b.push(byte);
            }
            for i in 0..=len {
                assert_eq!(letters_end(&b, i), plain(&b, i), "{b:?} from {i}");
            }
        }
        for byte in 0..=255u8 {
            let b = [b'a', byte, b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a'];
            assert_eq!(letters_end(&b, 0), plain(&b, 0), "{byte}");
        }
    }

    /// The quick answer for Arabic letters is the standard library's.
    #[test]
    fn arabic_letters_are_alphabetic() {
        for c in '\u{0620}'..='\u{064A}' {
            assert!(c.is_alphabetic(), "{c:?}");
            assert_eq!(is_alphabetic(c), c.is_alphabetic());
        }
        for c in ['a', '1', ' ', '\u{064B}', '\u{0660}', 'é', '’'] {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
        }
    }

    #[test]
    fn the_fast_answers_agree_with_the_standard_library() {
        // Every character the shortcut answers, and those around its ranges.
        for c in ('\u{0600}'..='\u{0660}').chain('\u{1FF0}'..='\u{2080}') {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
        }
    }
}
