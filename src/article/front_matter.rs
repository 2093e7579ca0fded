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
    s.split_inclusive('\n').map(move |l| {
        let start = pos;
        pos += l.len();
        (start, l.trim_end_matches(['\n', '\r']))
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
    match YamlLoader::load_from_str(yaml) {
        Ok(docs) => {
            if let Some(Yaml::Hash(h)) = docs.first() {
                for (k, v) in h {
                    let Some(key) = k.as_str() else { continue };
                    let value = match v {
                        Yaml::String(s) | Yaml::Real(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Boolean(b) => b.to_string(),
                        Yaml::Null => continue,
                        other => format!("{other:?}"),
                    };
                    set(&mut meta, key, value);
                }
            } else if !yaml.trim().is_empty() {
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
