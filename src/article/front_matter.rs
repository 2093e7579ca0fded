//! Article metadata: YAML front matter in Markdown, a `key: value` header block in text files.

use std::ops::Range;

use yaml_rust2::{Yaml, YamlLoader};

use super::{annotations::valid_date, FileKind, ParseError, ParseErrorKind};

/// The metadata of an article (SPEC 2.1). Unknown keys are kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub title: Option<String>,
    /// Where the title's text stands in the file (inside any quotes).
    pub title_span: Option<Range<usize>>,
    pub outlet: Option<String>,
    /// YYYY-MM-DD; never guessed from the file name.
    pub date: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    pub extra: Vec<(String, String)>,
    /// The whole metadata block in the file (empty when there is none).
    pub span: Range<usize>,
}

pub(super) struct FrontMatter {
    pub meta: Meta,
    pub body_start: usize,
    pub errors: Vec<ParseError>,
}

const KNOWN: &[&str] = &["title", "outlet", "date", "url", "author", "language"];

pub(super) fn parse(text: &str, kind: FileKind) -> FrontMatter {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    if let Some(fm) = yaml_block(text_no_bom, bom) {
        return fm;
    }
    if kind == FileKind::Text {
        if let Some(fm) = header_block(text_no_bom, bom) {
            return fm;
        }
    }
    FrontMatter {
        meta: Meta::default(),
        body_start: bom,
        errors: Vec::new(),
    }
}

/// Lines of `s` with their start offsets, without line terminators.
fn lines(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let start = pos;
        let rest = s.get(start..).filter(|r| !r.is_empty())?;
        pos = memchr::memchr(b'\n', rest.as_bytes()).map_or(s.len(), |k| start + k + 1);
        Some((start, s[start..pos].trim_end_matches(['\n', '\r'])))
    })
}

fn yaml_block(text: &str, base: usize) -> Option<FrontMatter> {
    let mut it = lines(text);
    let (_, first) = it.next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let content_start = text.find('\n')? + 1;
    let (close_start, close_line) =
        it.find(|(_, l)| l.trim_end() == "---" || l.trim_end() == "...")?;
    let body_start = (close_start + close_line.len() + 1).min(text.len());
    let body_start = if text[..body_start].ends_with('\n') || body_start == text.len() {
        body_start
    } else {
        // `---\r\n`
        (body_start + 1).min(text.len())
    };
    let yaml = &text[content_start..close_start];
    let mut meta = Meta {
        span: base..base + body_start,
        ..Meta::default()
    };
    let mut errors = Vec::new();
    match simple_pairs(yaml).map_or_else(|| yaml_pairs(yaml), |pairs| Ok(Some(pairs))) {
        Ok(Some(pairs)) => {
            for (key, value) in pairs {
                set(&mut meta, &key, value);
            }
        }
        Ok(None) => {
            if !yaml.trim().is_empty() {
                errors.push(ParseError {
                    span: base + content_start..base + close_start,
                    message: "front matter is not a list of `key: value` pairs".into(),
                    kind: ParseErrorKind::FrontMatter,
                });
            }
        }
        Err(e) => {
            let m = e.marker();
            let at = offset_of_line_col(yaml, m.line(), m.col());
            let start = base + content_start + at;
            let end = base + content_start + yaml[at..].find('\n').map_or(yaml.len(), |n| at + n);
            errors.push(ParseError {
                span: start..end.max(start),
                message: format!("front matter is not valid YAML: {}", e.info()),
                kind: ParseErrorKind::FrontMatter,
            });
        }
    }
    // Find where the title's text stands, so its figures map back to the file.
    if meta.title.is_some() {
        for (ls, line) in lines(yaml) {
            if let Some(rest) = line.strip_prefix("title:") {
                let lead = rest.len() - rest.trim_start().len();
                let v = rest.trim();
                let vstart = content_start + ls + "title:".len() + lead;
                let (s, e) = if v.len() >= 2
                    && (v.starts_with('"') && v.ends_with('"')
                        || v.starts_with('\'') && v.ends_with('\''))
                {
                    (vstart + 1, vstart + v.len() - 1)
                } else {
                    (vstart, vstart + v.len())
                };
                meta.title_span = Some(base + s..base + e);
                break;
            }
        }
    }
    check_date(&meta, text, base, &mut errors);
    Some(FrontMatter {
        meta,
        body_start: base + body_start,
        errors,
    })
}

/// The `key: value` pairs of a YAML mapping, as strings, in order (keys that are not strings
/// and null values are left out); `None` when the document is not a mapping.
fn yaml_pairs(yaml: &str) -> Result<Option<Vec<(String, String)>>, yaml_rust2::ScanError> {
    let docs = YamlLoader::load_from_str(yaml)?;
    let Some(Yaml::Hash(h)) = docs.first() else {
        return Ok(None);
    };
    let pairs = h
        .iter()
        .filter_map(|(k, v)| {
            let value = match v {
                Yaml::String(s) | Yaml::Real(s) => s.clone(),
                Yaml::Integer(i) => i.to_string(),
                Yaml::Boolean(b) => b.to_string(),
                Yaml::Null => return None,
                other => format!("{other:?}"),
            };
            Some((k.as_str()?.to_string(), value))
        })
        .collect();
    Ok(Some(pairs))
}

/// [`yaml_pairs`] for the front matter almost every article has, one `key: value` per line
/// with plain or simply quoted values, read without the YAML parser (which costs about as
/// much as reading an article's figures). `None` for anything else (indentation, comments,
/// escapes, flow or block collections, values YAML would read as numbers, booleans or null,
/// repeated keys, control characters): the parser reads those. The tests compare the two on
/// tables and on random front matter.
fn simple_pairs(yaml: &str) -> Option<Vec<(String, String)>> {
    let mut pairs: Vec<(String, String)> = Vec::with_capacity(8);
    let mut keys: Vec<&str> = Vec::with_capacity(8);
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', yaml.as_bytes()).chain(std::iter::once(yaml.len()));
    for end in ends {
        let line = &yaml[start..end];
        start = end + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.bytes().all(|b| b == b' ') {
            continue;
        }
        let colon = line.bytes().position(|b| b == b':')?;
        let (key, rest) = (&line[..colon], &line[colon + 1..]);
        let simple_key = key
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            && !is_yaml_word(key);
        if !simple_key || !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        // A repeated key is an error for the parser.
        if keys.contains(&key) {
            return None;
        }
        keys.push(key);
        let value = rest.trim_matches(' ');
        if value.is_empty() {
            continue; // null
        }
        let marks = Marks::of(value)?;
        let text = match value.as_bytes()[0] {
            q @ (b'"' | b'\'') => {
                let inner = value.strip_prefix(q as char)?.strip_suffix(q as char)?;
                if inner.contains(q as char) || q == b'"' && inner.contains('\\') {
                    return None;
                }
                inner
            }
            b if b.is_ascii_alphabetic() || b >= 0x80 => {
                if marks.colon_space || value.ends_with(':') || marks.space_hash {
                    return None;
                }
                if is_yaml_word(value) {
                    return None;
                }
                value
            }
            b if b.is_ascii_digit() && is_date_shape(value) => value,
            _ => return None,
        };
        pairs.push((key.to_string(), text.to_string()));
    }
    (!keys.is_empty()).then_some(pairs)
}

/// What [`simple_pairs`] looks for in a value, found in one pass over its bytes.
struct Marks {
    /// `": "` is in it.
    colon_space: bool,
    /// `" #"` is in it.
    space_hash: bool,
}

impl Marks {
    /// The marks of `value`; `None` when it has a control character, or one YAML reads as a
    /// line break (U+0085, U+2028, U+2029) or a byte-order mark (U+FEFF).
    fn of(value: &str) -> Option<Marks> {
        let b = value.as_bytes();
        let mut marks = Marks {
            colon_space: false,
            space_hash: false,
        };
        for (i, &c) in b.iter().enumerate() {
            let next = b.get(i + 1..).unwrap_or_default();
            match c {
                0..=0x1f | 0x7f => return None,
                b':' => marks.colon_space |= next.first() == Some(&b' '),
                b' ' => marks.space_hash |= next.first() == Some(&b'#'),
                // The UTF-8 of U+0085, U+2028 and U+2029, and U+FEFF.
                0xc2 if next.starts_with(&[0x85]) => return None,
                0xe2 if next.starts_with(&[0x80, 0xa8]) || next.starts_with(&[0x80, 0xa9]) => {
                    return None
                }
                0xef if next.starts_with(&[0xbb, 0xbf]) => return None,
                _ => {}
            }
        }
        Some(marks)
    }
}

/// The plain words YAML reads as a boolean or null, in any case (some cases are strings for
/// the parser, but these are left to it).
fn is_yaml_word(s: &str) -> bool {
    ["true", "false", "null"]
        .iter()
        .any(|w| s.eq_ignore_ascii_case(w))
}

/// `NNNN-NN-NN`: a string for YAML (not a number), whether or not it is a real date.
fn is_date_shape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

fn offset_of_line_col(s: &str, line: usize, col: usize) -> usize {
    // yaml-rust2 markers: line is 1-based, col 0-based (in chars).
    let mut off = 0;
    for (i, l) in s.split_inclusive('\n').enumerate() {
        if i + 1 == line.max(1) {
            return off
                + l.char_indices()
                    .nth(col)
                    .map_or(l.trim_end_matches('\n').len(), |(b, _)| b);
        }
        off += l.len();
    }
    s.len()
}

fn header_block(text: &str, base: usize) -> Option<FrontMatter> {
    let mut meta = Meta::default();
    let mut end = None;
    let mut n = 0;
    let mut known = false;
    let mut title_span = None;
    for (start, line) in lines(text) {
        if line.trim().is_empty() {
            end = Some(start + line.len() + 1);
            break;
        }
        n += 1;
        if n > 30 {
            return None;
        }
        let (k, v) = line.split_once(':')?;
        if k.is_empty()
            || !k
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return None;
        }
        let key = k.to_ascii_lowercase();
        known |= KNOWN.contains(&key.as_str());
        let lead = v.len() - v.trim_start().len();
        if key == "title" {
            let s = start + k.len() + 1 + lead;
            title_span = Some(base + s..base + s + v.trim().len());
        }
        set(&mut meta, &key, v.trim().to_string());
    }
    let end = end?;
    if !known {
        return None;
    }
    meta.title_span = title_span;
    meta.span = base..base + end.min(text.len());
    let mut errors = Vec::new();
    check_date(&meta, text, base, &mut errors);
    Some(FrontMatter {
        meta,
        body_start: base + end.min(text.len()),
        errors,
    })
}

fn check_date(meta: &Meta, text: &str, base: usize, errors: &mut Vec<ParseError>) {
    if let Some(d) = &meta.date {
        if !valid_date(d) {
            let at = text[..meta.span.end.saturating_sub(base).min(text.len())]
                .find("date:")
                .unwrap_or(0);
            let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
            errors.push(ParseError {
                span: base + at..base + end,
                message: format!("date `{d}` is not YYYY-MM-DD; the article is treated as undated"),
                kind: ParseErrorKind::FrontMatter,
            });
        }
    }
}

fn set(meta: &mut Meta, key: &str, value: String) {
    match key {
        "title" => meta.title = Some(value),
        "outlet" => meta.outlet = Some(value),
        "date" => meta.date = Some(value),
        "url" => meta.url = Some(value),
        "author" => meta.author = Some(value),
        "language" => meta.language = Some(value),
        _ => meta.extra.push((key.to_string(), value)),
    }
}

impl Meta {
    /// The article's date if it is a valid YYYY-MM-DD date.
    pub fn valid_date(&self) -> Option<&str> {
        self.date.as_deref().filter(|d| valid_date(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whenever the shortcut reads a front matter, the YAML parser reads the same pairs.
    fn agrees(yaml: &str) -> bool {
        let Some(pairs) = simple_pairs(yaml) else {
            return false;
        };
        match yaml_pairs(yaml) {
            Ok(Some(parsed)) => assert_eq!(pairs, parsed, "{yaml:?}"),
            other => panic!("{yaml:?}: the shortcut read {pairs:?}, the parser {other:?}"),
        }
        true
    }

    /// The shortcut as it was before it read values in one pass: what it must still give.
    fn reference_simple_pairs(yaml: &str) -> Option<Vec<(String, String)>> {
        let mut pairs: Vec<(String, String)> = Vec::with_capacity(8);
        let mut keys: Vec<&str> = Vec::with_capacity(8);
        for line in yaml.split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.bytes().all(|b| b == b' ') {
                continue;
            }
            let colon = line.find(':')?;
            let (key, rest) = (&line[..colon], &line[colon + 1..]);
            let simple_key = key
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                && !is_yaml_word(key);
            if !simple_key || !(rest.is_empty() || rest.starts_with(' ')) {
                return None;
            }
            // A repeated key is an error for the parser.
            if keys.contains(&key) {
                return None;
            }
            keys.push(key);
            let value = rest.trim_matches(' ');
            if value.is_empty() {
                continue; // null
            }
            if value.chars().any(|c| {
                c.is_ascii_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
            }) {
                return None;
            }
            let text = match value.as_bytes()[0] {
                q @ (b'"' | b'\'') => {
                    let inner = value.strip_prefix(q as char)?.strip_suffix(q as char)?;
                    if inner.contains(q as char) || q == b'"' && inner.contains('\\') {
                        return None;
                    }
                    inner
                }
                b if b.is_ascii_alphabetic() || b >= 0x80 => {
                    if value.contains(": ") || value.ends_with(':') || value.contains(" #") {
                        return None;
                    }
                    if is_yaml_word(value) {
                        return None;
                    }
                    value
                }
                b if b.is_ascii_digit() && is_date_shape(value) => value,
                _ => return None,
            };
            pairs.push((key.to_string(), text.to_string()));
        }
        (!keys.is_empty()).then_some(pairs)
    }

    /// The lines cut at the line feeds memchr finds are those `split_inclusive` gives.
    #[test]
    fn lines_are_cut_as_split_inclusive_cuts_them() {
        fn by_split(s: &str) -> Vec<(usize, &str)> {
            let mut pos = 0;
            s.split_inclusive('\n')
                .map(|l| {
                    let start = pos;
                    pos += l.len();
                    (start, l.trim_end_matches(['\n', '\r']))
                })
                .collect()
        }
        for s in [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\r",
            "é\n\nü",
            "---\nx: 1\n---",
        ] {
            assert_eq!(lines(s).collect::<Vec<_>>(), by_split(s), "{s:?}");
        }
    }

    #[test]
    fn common_front_matter_is_read_without_the_parser_and_as_the_parser_reads_it() {
        let taken = [
            "title: \"Aleppo: the last day\"\noutlet: Wire\ndate: 2016-12-08\n",
            "title: 'Aleppo: it is over'\r\ndate: 2016-13-01\r\n",
            "title: Syrian army retakes Aleppo, 90,000 flee\nauthor: \nurl: https://example.org/a?b=c#d\n",
            "title: «Témoins» à Alep\nlanguage: fr\n\n  \nx-note: a:b [1] {2}\n",
            "title: Reuters' count\nnote: a#b\n",
        ];
        for y in taken {
            assert!(agrees(y), "not taken: {y:?}");
        }
        let left = [
            "title: Aleppo: the last day",
            "title: Aleppo\ntitle: again",
            "title: true",
            "title: True",
            "date: 20161208",
            "count: 0x1F",
            "count: +5",
            "title: a: b",
            "title: a #comment",
            "title: x:",
            "  title: indented",
            "# comment\ntitle: A",
            "title: \"esc \\\" q\"",
            "title: 'it''s'",
            "title: [1, 2]",
            "title: - item",
            "title: &a x",
            "title: |",
            "title:\tA",
            "title: a\tb",
            "True: key",
            "title:A",
            "",
            "\n\n",
        ];
        for y in left {
            assert!(simple_pairs(y).is_none(), "taken: {y:?}");
        }
    }

    #[test]
    fn on_random_front_matter_the_shortcut_reads_what_the_parser_reads() {
        const KEYS: &[&str] = &[
            "title", "outlet", "date", "url", "author", "language", "x-note", "_k", "k", "True",
            "null", "a b", "", "-x",
        ];
        const SEPS: &[&str] = &[": ", ":", ":  ", " : ", ":\t", ": \t"];
        const VALUES: &[&str] = &[
            "Aleppo",
            "90,000 flee",
            "\"quoted: yes\"",
            "'single'",
            "'it''s'",
            "\"a \\\" b\"",
            "2016-12-08",
            "2016-13-01",
            "2016-1-08",
            "12",
            "0x1F",
            "+5",
            "1.5",
            "1e3",
            "true",
            "True",
            "NULL",
            "Null",
            "~",
            "a: b",
            "a #c",
            "a#c",
            "[1, 2]",
            "{a: 1}",
            "- item",
            "&anchor x",
            "*alias",
            "!tag x",
            "|",
            ">",
            "é café",
            "«Témoins»",
            "\u{a0}x",
            "x\u{2028}y",
            "x\u{2029}y",
            "x\u{85}y",
            "x\u{86}y",
            "x\u{7f}y",
            "x:",
            "%x",
            "@x",
            "`x`",
            "",
            "https://example.org/a?b=c#d",
            "a, b",
            "Reuters' count",
            "inf",
            "nan",
            ".inf",
            "\"\"",
            "''",
            "\"",
            "'",
            "a\u{feff}b",
            "x\ry",
            "tab\there",
            "-",
            "?",
            "? x",
            "a:b:c",
            "ünïcode: yes",
        ];
        let mut rng = crate::test_rng::XorShift(0x2545_f491_4f6c_dd1d);
        let mut next = |n: usize| rng.below(n);
        let mut taken = 0;
        let rounds = 20_000;
        for _ in 0..rounds {
            let mut y = String::new();
            for _ in 0..1 + next(6) {
                match next(20) {
                    0 => y.push('\n'),
                    1 => y.push_str("  "),
                    2 => y.push_str("# note\n"),
                    _ => {}
                }
                // Mostly what articles have, with the odd trap.
                let tricky = next(6) == 0;
                y.push_str(KEYS[next(if tricky { KEYS.len() } else { 6 })]);
                y.push_str(SEPS[next(if tricky { SEPS.len() } else { 1 })]);
                y.push_str(VALUES[next(if tricky { VALUES.len() } else { 12 })]);
                if next(4) == 0 {
                    y.push(' ');
                }
                y.push_str(if next(10) == 0 { "\r\n" } else { "\n" });
            }
            assert_eq!(simple_pairs(&y), reference_simple_pairs(&y), "{y:?}");
            taken += usize::from(agrees(&y));
        }
        // The shortcut is not an empty promise: it reads a good share of these.
        assert!(taken > rounds / 40, "taken {taken} of {rounds}");
    }
}
