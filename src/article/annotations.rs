//! Inline claim annotations: `[span]{key=value .class #id}`, as in Pandoc and Djot.

use std::ops::Range;

use super::{ParseError, ParseErrorKind};

/// One `key=value` pair of an attribute block.
#[derive(Debug, Clone, PartialEq)]
pub struct Attr {
    pub key: String,
    /// The value, unquoted and unescaped.
    pub value: String,
    pub key_span: Range<usize>,
    /// The value as written (with quotes, if quoted).
    pub value_span: Range<usize>,
    /// Whether the value was double-quoted (a free-text name rather than an id).
    pub quoted: bool,
}

/// A claim annotation.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// The whole annotation, `[` to `}`.
    pub span: Range<usize>,
    /// The article text inside the brackets.
    pub text_span: Range<usize>,
    /// The attribute block, `{` to `}`.
    pub block_span: Range<usize>,
    pub attrs: Vec<Attr>,
    /// Pandoc classes (`.x`), without the dot.
    pub classes: Vec<String>,
    /// Whether the class `.ignore` marks the span as "not a claim".
    pub ignore: bool,
    /// Whether the block had errors (they are in [`super::Article::errors`]).
    pub malformed: bool,
}

impl Annotation {
    /// The attribute with this key.
    pub fn get(&self, key: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.key == key)
    }
}

/// A `value=` override.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueOverride {
    Exact(f64),
    Range(f64, f64),
    /// `>x` (strict) or `>=x`.
    Lower(f64, bool),
    /// `<x` (strict) or `<=x`.
    Upper(f64, bool),
    Approx(f64),
}

/// Parse a `value=` override: `1217`, `1000..1300`, `>1000`, `>=1000`, `<300`, `<=300`, `~500`.
pub fn parse_value_override(s: &str) -> Option<ValueOverride> {
    let num = |t: &str| -> Option<f64> {
        let t = t.trim().replace([',', '_'], "");
        if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return None;
        }
        t.parse::<f64>().ok().filter(|v| v.is_finite())
    };
    let s = s.trim();
    if let Some(rest) = s.strip_prefix(">=") {
        return Some(ValueOverride::Lower(num(rest)?, false));
    }
    if let Some(rest) = s.strip_prefix("<=") {
        return Some(ValueOverride::Upper(num(rest)?, false));
    }
    if let Some(rest) = s.strip_prefix('>') {
        return Some(ValueOverride::Lower(num(rest)?, true));
    }
    if let Some(rest) = s.strip_prefix('<') {
        return Some(ValueOverride::Upper(num(rest)?, true));
    }
    if let Some(rest) = s.strip_prefix('~') {
        return Some(ValueOverride::Approx(num(rest)?));
    }
    if let Some((a, b)) = s.split_once("..") {
        let (a, b) = (num(a)?, num(b)?);
        return (a <= b).then_some(ValueOverride::Range(a, b));
    }
    Some(ValueOverride::Exact(num(s)?))
}

pub(super) struct Scan {
    pub annotations: Vec<Annotation>,
    pub errors: Vec<ParseError>,
    /// File ranges whose concatenation is the raw body text.
    pub raw_pieces: Vec<Range<usize>>,
}

const KEYS: &[&str] = &["event", "source", "value", "asof", "note"];

/// At most this many annotations are made room for before scanning a body.
const MAX_ROOM: usize = 4096;

/// Scan a body (which starts at file offset `base`) for annotations.
pub(super) fn scan(body: &str, base: usize) -> Scan {
    let bytes = body.as_bytes();
    // Every annotation has a `]{`: room for as many (up to a bound), so the lists are not
    // grown while scanning.
    let room = memchr::memchr_iter(b'{', bytes)
        .filter(|&k| k > 0 && bytes[k - 1] == b']')
        .take(MAX_ROOM)
        .count();
    let mut out = Scan {
        annotations: Vec::with_capacity(room),
        errors: Vec::new(),
        raw_pieces: Vec::with_capacity(2 * room + 1),
    };
    let mut copied = 0; // body offset up to which raw text has been emitted
    let mut i = 0;
    while i < bytes.len() {
        // Only `[` and `\` start anything: jump to the next one.
        match memchr::memchr2(b'[', b'\\', &bytes[i..]) {
            Some(k) => i += k,
            None => break,
        }
        match bytes[i] {
            b'\\' if bytes.get(i + 1) == Some(&b'[') || bytes.get(i + 1) == Some(&b']') => {
                // `\[` is a literal bracket: drop the backslash from the raw text.
                out.raw_pieces.push(base + copied..base + i);
                copied = i + 1;
                i += 2;
            }
            b'[' => {
                let Some(close) = matching_bracket(bytes, i) else {
                    i += 1;
                    continue;
                };
                if bytes.get(close + 1) != Some(&b'{') {
                    i += 1;
                    continue;
                }
                let open_brace = close + 1;
                let Some(close_brace) = closing_brace(bytes, open_brace) else {
                    // Say what is wrong inside the block (an unclosed quote, most often),
                    // else that the block never closes.
                    let end = line_end(body, open_brace);
                    let (_, _, errs) =
                        parse_block(&body[open_brace + 1..end], base + open_brace + 1);
                    if errs.is_empty() {
                        out.errors.push(ParseError {
                            span: base + open_brace..base + end,
                            message: "attribute block is never closed: add `}`".into(),
                            kind: ParseErrorKind::Annotation,
                        });
                    } else {
                        out.errors.extend(errs);
                    }
                    i += 1;
                    continue;
                };
                let inner = base + i + 1..base + close;
                let block = base + open_brace..base + close_brace + 1;
                let (attrs, classes, errs) =
                    parse_block(&body[open_brace + 1..close_brace], base + open_brace + 1);
                let mut malformed = !errs.is_empty();
                out.errors.extend(errs);
                if body[i + 1..close].trim().is_empty() {
                    out.errors.push(ParseError {
                        span: base + i + 1..base + close_brace + 1,
                        message:
                            "annotation has an empty span: put the figure between the brackets"
                                .into(),
                        kind: ParseErrorKind::Annotation,
                    });
                    malformed = true;
                }
                let ignore = classes.iter().any(|c| c == "ignore");
                out.raw_pieces.push(base + copied..base + i);
                out.raw_pieces.push(inner.clone());
                copied = close_brace + 1;
                out.annotations.push(Annotation {
                    span: base + i..base + close_brace + 1,
                    text_span: inner,
                    block_span: block,
                    attrs,
                    classes,
                    ignore,
                    malformed,
                });
                i = close_brace + 1;
            }
            _ => i += 1,
        }
    }
    out.raw_pieces.push(base + copied..base + body.len());
    out
}

fn line_end(s: &str, from: usize) -> usize {
    s[from..].find('\n').map_or(s.len(), |n| from + n)
}

/// The `]` closing the `[` at `open`, on the same paragraph, allowing nested brackets.
fn matching_bracket(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        // Only `\`, `[`, `]` and a line feed matter: jump to the next one.
        i = next_bracket_byte(bytes, i)?;
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b'\n' if bytes.get(i + 1) == Some(&b'\n') => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The first byte from `i` on that is `\`, `[`, `]` or a line feed, read eight bytes at a
/// time.
#[inline]
fn next_bracket_byte(bytes: &[u8], mut i: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOPS: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        // A byte of `w ^ t` is zero where `w` has `t`; the lowest flagged byte is exact.
        let found = [b'\\', b'[', b']', b'\n'].iter().fold(0, |m, &t| {
            let x = w ^ (u64::from(t) * ONES);
            m | (x.wrapping_sub(ONES) & !x & TOPS)
        });
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    let rest = bytes.get(i..)?;
    rest.iter()
        .position(|&c| matches!(c, b'\\' | b'[' | b']' | b'\n'))
        .map(|k| i + k)
}

/// The `}` closing the block opened at `open`, skipping quoted strings; none past a line end.
fn closing_brace(bytes: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    let mut quoted = false;
    while i < bytes.len() {
        // Jump to the next byte that matters: inside quotes a backslash and `"`, outside
        // them `"`, `}` and a line end.
        let rest = &bytes[i..];
        i += if quoted {
            memchr::memchr2(b'\\', b'"', rest)?
        } else {
            memchr::memchr3(b'"', b'}', b'\n', rest)?
        };
        match bytes[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b'}' if !quoted => return Some(i),
            b'\n' if !quoted => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

fn is_bare(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '-' | '_' | '.' | ':' | '/' | '+' | '<' | '>' | '=' | '~')
        || !c.is_ascii() && c.is_alphanumeric()
}

/// The character at byte `i` of `s` (a char boundary before the end), ASCII at once.
#[inline]
fn char_at(s: &str, i: usize) -> char {
    match s.as_bytes()[i] {
        b if b < 0x80 => b as char,
        _ => s[i..].chars().next().unwrap_or_default(),
    }
}

/// The end of the run of characters `keep` accepts from byte `from` of `s` (the end of `s`
/// when it runs to it): ASCII bytes are tested by `keep_byte`, which must answer as `keep`,
/// and the characters from the first byte beyond ASCII on by `keep`.
#[inline]
fn run_end(s: &str, from: usize, keep_byte: fn(u8) -> bool, keep: fn(char) -> bool) -> usize {
    let b = s.as_bytes();
    let mut i = from;
    while let Some(&c) = b.get(i) {
        if c >= 0x80 {
            return s[i..].find(|c: char| !keep(c)).map_or(s.len(), |n| i + n);
        }
        if !keep_byte(c) {
            return i;
        }
        i += 1;
    }
    s.len()
}

/// A character of a key: a letter, a digit, `-` or `_`.
fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// [`is_key_char`] for an ASCII byte.
#[inline]
fn is_key_byte(c: u8) -> bool {
    BYTE_CLASS[c as usize] & KEY != 0
}

/// [`is_bare`] for an ASCII byte.
#[inline]
fn is_bare_byte(c: u8) -> bool {
    BYTE_CLASS[c as usize] & BARE != 0
}

/// [`BYTE_CLASS`] bit: the byte is an [`is_key_char`].
const KEY: u8 = 1;
/// [`BYTE_CLASS`] bit: the byte is an [`is_bare`] character.
const BARE: u8 = 2;

/// For each ASCII byte, whether it is a key character ([`KEY`]) and a bare value's
/// ([`BARE`]); nothing for other bytes.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' {
            t[b] |= KEY;
        }
        if c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'-' | b'_' | b'.' | b':' | b'/' | b'+' | b'<' | b'>' | b'=' | b'~'
            )
        {
            t[b] |= BARE;
        }
        b += 1;
    }
    t
};

/// The bytes [`is_key_byte`] and [`is_bare_byte`] accept are the ASCII characters
/// [`is_key_char`] and [`is_bare`] accept.
#[cfg(test)]
#[test]
fn byte_classes_are_the_char_classes() {
    for c in 0..128u8 {
        assert_eq!(is_key_byte(c), is_key_char(c as char), "{c}");
        assert_eq!(is_bare_byte(c), is_bare(c as char), "{c}");
    }
}

/// Parse the inside of an attribute block; `base` is its file offset.
fn parse_block(s: &str, base: usize) -> (Vec<Attr>, Vec<String>, Vec<ParseError>) {
    let mut attrs: Vec<Attr> = Vec::new();
    let mut classes = Vec::new();
    let mut errors = Vec::new();
    let err = |span: Range<usize>, message: String| ParseError {
        span,
        message,
        kind: ParseErrorKind::Annotation,
    };
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = char_at(s, i);
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        if c == '.' || c == '#' {
            let end = s[i + 1..]
                .find(|c: char| c.is_whitespace())
                .map_or(s.len(), |n| i + 1 + n);
            let name = &s[i + 1..end];
            if name.is_empty() {
                errors.push(err(
                    base + start..base + end,
                    format!("`{c}` must be followed by a name"),
                ));
            } else if c == '.' {
                classes.push(name.to_string());
            }
            i = end;
            continue;
        }
        // key
        let key_end = run_end(s, i, is_key_byte, is_key_char);
        let key = &s[i..key_end];
        if key.is_empty() || b.get(key_end) != Some(&b'=') {
            let end = s[i..]
                .find(char::is_whitespace)
                .map_or(s.len(), |n| i + n)
                .max(i + c.len_utf8());
            errors.push(err(
                base + start..base + end,
                format!(
                    "expected `key=value`, `.class` or `#id`, found `{}`",
                    &s[start..end]
                ),
            ));
            i = end;
            continue;
        }
        let vstart = key_end + 1;
        let plain_quoted = if b.get(vstart) == Some(&b'"') {
            // A quoted value with no escape: the text up to the closing quote.
            memchr::memchr2(b'\\', b'"', &b[vstart + 1..])
                .filter(|&k| b[vstart + 1 + k] == b'"')
                .map(|k| vstart + 1 + k)
        } else {
            None
        };
        let (value, vend, verr) = if let Some(close) = plain_quoted {
            (s[vstart + 1..close].to_string(), close + 1, None)
        } else if b.get(vstart) == Some(&b'"') {
            let mut v = String::new();
            let mut j = vstart + 1;
            let mut closed = false;
            while j < b.len() {
                let ch = s[j..].chars().next().unwrap();
                match ch {
                    '\\' => {
                        if let Some(n) = s[j + 1..].chars().next() {
                            v.push(n);
                            j += 1 + n.len_utf8();
                        } else {
                            j += 1;
                        }
                    }
                    '"' => {
                        closed = true;
                        j += 1;
                        break;
                    }
                    _ => {
                        v.push(ch);
                        j += ch.len_utf8();
                    }
                }
            }
            let e = (!closed).then(|| "quoted value is never closed: add `\"`".to_string());
            (v, j, e)
        } else {
            let end = run_end(s, vstart, is_bare_byte, is_bare);
            let e = if end == vstart {
                Some(format!("`{key}=` has no value"))
            } else if end < s.len() && !s[end..].starts_with(char::is_whitespace) {
                Some(format!(
                    "value of `{key}` has a character that needs quotes: quote the value"
                ))
            } else {
                None
            };
            let end2 = if e.is_some() && end < s.len() && end != vstart {
                s[end..]
                    .find(char::is_whitespace)
                    .map_or(s.len(), |n| end + n)
            } else {
                end
            };
            (s[vstart..end].to_string(), end2, e)
        };
        if let Some(m) = verr {
            errors.push(err(base + start..base + vend, m));
            i = vend.max(vstart);
            continue;
        }
        let key_span = base + start..base + key_end;
        let value_span = base + vstart..base + vend;
        if !KEYS.contains(&key) {
            errors.push(err(
                key_span.clone(),
                format!("unknown key `{key}`: expected event, source, value, asof or note"),
            ));
        } else if attrs.iter().any(|a| a.key == key) {
            errors.push(err(key_span.clone(), format!("`{key}` is given twice")));
        } else if let Some(m) = check_value(key, &value) {
            errors.push(err(key_span.start..value_span.end, m));
        }
        let quoted = b.get(vstart) == Some(&b'"');
        attrs.push(Attr {
            key: key.to_string(),
            value,
            key_span,
            value_span,
            quoted,
        });
        i = vend;
    }
    (attrs, classes, errors)
}

/// Whether an event id is well formed: `[a-z0-9][a-z0-9._-]*`.
pub fn valid_event_id(id: &str) -> bool {
    let b = id.as_bytes();
    matches!(b.first(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && b[1..].iter().all(|&c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-')
        })
}

/// Whether a string is a real calendar date written YYYY-MM-DD (ASCII digits only).
pub fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn check_value(key: &str, value: &str) -> Option<String> {
    match key {
        "event" if !valid_event_id(value) => Some(format!(
            "event id `{value}` is not valid: use lowercase letters, digits, `.`, `_` and `-`"
        )),
        "value" if parse_value_override(value).is_none() => Some(format!(
            "`value={value}` is not a reading: write 1217, 1000..1300, >1000, >=1000, <300, <=300 or ~500"
        )),
        "asof" if !valid_date(value) => Some(format!("`asof={value}` is not a date: write YYYY-MM-DD")),
        "source" if value.is_empty() => Some("`source=` is empty".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block parser as it was before its ASCII fast paths: what it must still give.
    fn reference_parse_block(s: &str, base: usize) -> (Vec<Attr>, Vec<String>, Vec<ParseError>) {
        let mut attrs: Vec<Attr> = Vec::new();
        let mut classes = Vec::new();
        let mut errors = Vec::new();
        let err = |span: Range<usize>, message: String| ParseError {
            span,
            message,
            kind: ParseErrorKind::Annotation,
        };
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = s[i..].chars().next().unwrap();
            if c.is_whitespace() {
                i += c.len_utf8();
                continue;
            }
            let start = i;
            if c == '.' || c == '#' {
                let end = s[i + 1..]
                    .find(|c: char| c.is_whitespace())
                    .map_or(s.len(), |n| i + 1 + n);
                let name = &s[i + 1..end];
                if name.is_empty() {
                    errors.push(err(
                        base + start..base + end,
                        format!("`{c}` must be followed by a name"),
                    ));
                } else if c == '.' {
                    classes.push(name.to_string());
                }
                i = end;
                continue;
            }
            // key
            let key_end = s[i..]
                .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
                .map_or(s.len(), |n| i + n);
            let key = &s[i..key_end];
            if key.is_empty() || b.get(key_end) != Some(&b'=') {
                let end = s[i..]
                    .find(char::is_whitespace)
                    .map_or(s.len(), |n| i + n)
                    .max(i + c.len_utf8());
                errors.push(err(
                    base + start..base + end,
                    format!(
                        "expected `key=value`, `.class` or `#id`, found `{}`",
                        &s[start..end]
                    ),
                ));
                i = end;
                continue;
            }
            let vstart = key_end + 1;
            let plain_quoted = if b.get(vstart) == Some(&b'"') {
                // A quoted value with no escape: the text up to the closing quote.
                memchr::memchr2(b'\\', b'"', &b[vstart + 1..])
                    .filter(|&k| b[vstart + 1 + k] == b'"')
                    .map(|k| vstart + 1 + k)
            } else {
                None
            };
            let (value, vend, verr) = if let Some(close) = plain_quoted {
                (s[vstart + 1..close].to_string(), close + 1, None)
            } else if b.get(vstart) == Some(&b'"') {
                let mut v = String::new();
                let mut j = vstart + 1;
                let mut closed = false;
                while j < b.len() {
                    let ch = s[j..].chars().next().unwrap();
                    match ch {
                        '\\' => {
                            if let Some(n) = s[j + 1..].chars().next() {
                                v.push(n);
                                j += 1 + n.len_utf8();
                            } else {
                                j += 1;
                            }
                        }
                        '"' => {
                            closed = true;
                            j += 1;
                            break;
                        }
                        _ => {
                            v.push(ch);
                            j += ch.len_utf8();
                        }
                    }
                }
                let e = (!closed).then(|| "quoted value is never closed: add `\"`".to_string());
                (v, j, e)
            } else {
                let end = s[vstart..]
                    .find(|c: char| !is_bare(c))
                    .map_or(s.len(), |n| vstart + n);
                let e = if end == vstart {
                    Some(format!("`{key}=` has no value"))
                } else if end < s.len() && !s[end..].starts_with(char::is_whitespace) {
                    Some(format!(
                        "value of `{key}` has a character that needs quotes: quote the value"
                    ))
                } else {
                    None
                };
                let end2 = if e.is_some() && end < s.len() && end != vstart {
                    s[end..]
                        .find(char::is_whitespace)
                        .map_or(s.len(), |n| end + n)
                } else {
                    end
                };
                (s[vstart..end].to_string(), end2, e)
            };
            if let Some(m) = verr {
                errors.push(err(base + start..base + vend, m));
                i = vend.max(vstart);
                continue;
            }
            let key_span = base + start..base + key_end;
            let value_span = base + vstart..base + vend;
            if !KEYS.contains(&key) {
                errors.push(err(
                    key_span.clone(),
                    format!("unknown key `{key}`: expected event, source, value, asof or note"),
                ));
            } else if attrs.iter().any(|a| a.key == key) {
                errors.push(err(key_span.clone(), format!("`{key}` is given twice")));
            } else if let Some(m) = check_value(key, &value) {
                errors.push(err(key_span.start..value_span.end, m));
            }
            let quoted = b.get(vstart) == Some(&b'"');
            attrs.push(Attr {
                key: key.to_string(),
                value,
                key_span,
                value_span,
                quoted,
            });
            i = vend;
        }
        (attrs, classes, errors)
    }

    /// Random blocks over keys, values, classes, quotes, letters and digits beyond ASCII,
    /// symbols and white space parse as before the ASCII fast paths: the same attributes,
    /// classes and errors.
    #[test]
    fn blocks_parse_as_char_by_char() {
        let pieces: &[&str] = &[
            "event",
            "source",
            "value",
            "asof",
            "note",
            "x",
            "=",
            " ",
            "  ",
            "\t",
            "\n",
            "-",
            "_",
            ".",
            ":",
            "/",
            "+",
            "<",
            ">",
            "~",
            "#",
            ".ignore",
            "\"",
            "\\",
            ",",
            ";",
            "(",
            "é",
            "É",
            "٣",
            "حلب",
            "’",
            "\u{a0}",
            "\u{2028}",
            "7",
            "2017-02-22",
            "1000..1300",
            ">=5",
            "~500",
            "a-b",
            "}",
            "{",
            "*",
            "\u{1F600}",
        ];
        let mut rng = crate::test_rng::XorShift(0x5851_f42d_4c95_7f2d);
        for round in 0..20_000 {
            let mut s = String::new();
            for _ in 0..(round % 16) {
                let seed = rng.next();
                s.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            assert_eq!(parse_block(&s, 7), reference_parse_block(&s, 7), "{s:?}");
        }
    }

    /// The bracket matching as the byte-by-byte loop found it before the jumps.
    fn reference_matching_bracket(bytes: &[u8], open: usize) -> Option<usize> {
        let mut depth = 0usize;
        let mut i = open;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 1,
                b'[' => depth += 1,
                b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                b'\n' if bytes.get(i + 1) == Some(&b'\n') => return None,
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// Random texts over brackets, backslashes, line feeds and other bytes: every bracket's
    /// match is found as byte by byte, and the next special byte from every place too.
    #[test]
    fn brackets_match_as_byte_by_byte() {
        let pieces: &[&str] = &[
            "[",
            "]",
            "\\",
            "\n",
            "\n\n",
            "a",
            "bcdefghij",
            " ",
            "{",
            "}",
            "é",
            "\u{5b5d}",
            "\\[",
            "\\]",
            "\r\n",
            "[x]",
        ];
        let mut rng = crate::test_rng::XorShift(0x94d0_49bb_1331_11eb);
        for round in 0..20_000 {
            let mut s = String::new();
            for _ in 0..(round % 24) {
                let seed = rng.next();
                s.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let b = s.as_bytes();
            for i in 0..=b.len() {
                let want = (i..b.len()).find(|&k| matches!(b[k], b'\\' | b'[' | b']' | b'\n'));
                assert_eq!(next_bracket_byte(b, i), want, "{s:?} from {i}");
                if b.get(i) == Some(&b'[') {
                    assert_eq!(
                        matching_bracket(b, i),
                        reference_matching_bracket(b, i),
                        "{s:?} from {i}"
                    );
                }
            }
        }
        for byte in 0..=255u8 {
            let b = [b'a', byte, b'a', b'a', b'a', b'a', b'a', b'a', b'a', b'a'];
            let want = (0..b.len()).find(|&k| matches!(b[k], b'\\' | b'[' | b']' | b'\n'));
            assert_eq!(next_bracket_byte(&b, 0), want, "{byte}");
        }
    }

    /// The closing brace as the byte-by-byte loop found it before memchr.
    fn reference_closing_brace(bytes: &[u8], open: usize) -> Option<usize> {
        let mut i = open + 1;
        let mut quoted = false;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' if quoted => i += 1,
                b'"' => quoted = !quoted,
                b'}' if !quoted => return Some(i),
                b'\n' if !quoted => return None,
                _ => {}
            }
            i += 1;
        }
        None
    }

    /// A quoted value read character by character, as before the no-escape shortcut:
    /// (value, end, closed).
    fn reference_quoted(s: &str, vstart: usize) -> (String, usize, bool) {
        let mut v = String::new();
        let mut j = vstart + 1;
        while j < s.len() {
            let ch = s[j..].chars().next().unwrap();
            match ch {
                '\\' => {
                    if let Some(n) = s[j + 1..].chars().next() {
                        v.push(n);
                        j += 1 + n.len_utf8();
                    } else {
                        j += 1;
                    }
                }
                '"' => return (v, j + 1, true),
                _ => {
                    v.push(ch);
                    j += ch.len_utf8();
                }
            }
        }
        (v, j, false)
    }

    /// Random blocks over quotes, backslashes, braces, line ends, spaces and text: the
    /// closing brace and every quoted value are found as before.
    #[test]
    fn blocks_read_as_byte_by_byte() {
        let pieces: &[&str] = &[
            "\"",
            "\\",
            "}",
            "{",
            "\n",
            " ",
            "a",
            "source=",
            "é",
            "x y",
            "\\\"",
            "=",
            "’",
            " note=\"",
            " source=\"",
            "\" ",
            "\"}",
        ];
        let mut rng = crate::test_rng::XorShift(0x853c_49e6_748f_ea9b);
        let mut quoted_values = 0;
        for round in 0..20_000 {
            let mut s = String::from("{");
            for _ in 0..(round % 12) {
                let seed = rng.next();
                s.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let b = s.as_bytes();
            assert_eq!(closing_brace(b, 0), reference_closing_brace(b, 0), "{s:?}");
            // Each `key="…` in the block: the value parse_block reads is the reference's.
            let inner = &s[1..];
            let (attrs, _, _) = parse_block(inner, 0);
            for a in attrs.iter().filter(|a| a.quoted) {
                let (v, end, closed) = reference_quoted(inner, a.value_span.start);
                assert!(closed, "{s:?}");
                assert_eq!(
                    (a.value.as_str(), a.value_span.end),
                    (v.as_str(), end),
                    "{s:?}"
                );
                quoted_values += 1;
            }
        }
        assert!(quoted_values > 100, "only {quoted_values} quoted values");
    }
}
