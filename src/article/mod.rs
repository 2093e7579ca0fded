//! Articles: front matter, inline claim annotations, and the raw text behind them.
//!
//! [`Article::parse`] never fails. It splits a file into its metadata and body, finds every
//! `[span]{attributes}` annotation with exact byte spans, and builds the *analysis text*: the
//! title (when the front matter has one), a blank line, then the body with every annotation's
//! brackets and attribute block removed. Figures and attribution are read from the analysis
//! text; [`Article::to_file`] maps its offsets back to the file.

mod annotations;
mod front_matter;

use std::ops::Range;

pub use annotations::{
    parse_value_override, valid_date, valid_event_id, Annotation, Attr, ValueOverride,
};
pub use front_matter::Meta;

/// What kind of file an article is: it decides which metadata header is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `.md`: YAML front matter between `---` lines.
    Markdown,
    /// `.txt`: a block of `key: value` lines at the top, then a blank line.
    Text,
}

impl FileKind {
    /// The kind for a file name: `.txt` is text, everything else Markdown.
    pub fn from_path(path: &str) -> FileKind {
        if path.to_ascii_lowercase().ends_with(".txt") {
            FileKind::Text
        } else {
            FileKind::Markdown
        }
    }
}

/// A problem in an article's syntax, with the bytes it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub span: Range<usize>,
    pub message: String,
    /// Which part of the file: front matter or an annotation.
    pub kind: ParseErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseErrorKind {
    FrontMatter,
    Annotation,
}

/// A run of the analysis text copied from the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    analysis: usize,
    file: usize,
    len: usize,
}

/// A parsed article.
#[derive(Debug, Clone)]
pub struct Article {
    pub meta: Meta,
    /// Where the body starts in the file (after the front matter or header block).
    pub body_start: usize,
    pub annotations: Vec<Annotation>,
    pub errors: Vec<ParseError>,
    /// The title (if the front matter has one), a blank line, and the raw body.
    pub analysis_text: String,
    /// Where the body starts in the analysis text (0 without a front-matter title).
    pub analysis_body_start: usize,
    segments: Vec<Segment>,
    file_len: usize,
}

impl Article {
    /// Parse an article. Never fails: problems land in [`Article::errors`].
    pub fn parse(text: &str, kind: FileKind) -> Article {
        let fm = front_matter::parse(text, kind);
        let mut errors = fm.errors;
        let body = &text[fm.body_start..];
        let scan = annotations::scan(body, fm.body_start);
        errors.extend(scan.errors);

        // The raw body first: the title's test below reads it.
        let title_room = fm.meta.title_span.as_ref().map_or(0, |s| s.len() + 2);
        let mut analysis_text = String::with_capacity(text.len() + title_room);
        let mut segments: Vec<Segment> = Vec::with_capacity(scan.raw_pieces.len() + 1);
        for piece in scan.raw_pieces {
            if piece.is_empty() {
                continue;
            }
            // Merge with the previous segment when contiguous in both texts.
            if let Some(last) = segments.last_mut() {
                if last.analysis + last.len == analysis_text.len()
                    && last.file + last.len == piece.start
                {
                    last.len += piece.len();
                    analysis_text.push_str(&text[piece]);
                    continue;
                }
            }
            segments.push(Segment {
                analysis: analysis_text.len(),
                file: piece.start,
                len: piece.len(),
            });
            analysis_text.push_str(&text[piece]);
        }
        // The title is article text, unless the body repeats it as a line of its own (as
        // scraped articles do): then its figures would be read twice. It goes first, followed
        // by a blank line.
        let title_span = fm.meta.title_span.clone().filter(|span| {
            let title = text[span.clone()].trim();
            !title.is_empty() && !has_title_line(&analysis_text, title)
        });
        let mut analysis_body_start = 0;
        if let Some(span) = title_span {
            analysis_body_start = span.len() + 2;
            analysis_text.insert_str(0, "\n\n");
            analysis_text.insert_str(0, &text[span.clone()]);
            for s in &mut segments {
                s.analysis += analysis_body_start;
            }
            segments.insert(
                0,
                Segment {
                    analysis: 0,
                    file: span.start,
                    len: span.len(),
                },
            );
        }
        Article {
            meta: fm.meta,
            body_start: fm.body_start,
            annotations: scan.annotations,
            errors,
            analysis_text,
            analysis_body_start,
            segments,
            file_len: text.len(),
        }
    }

    /// The file offset of an analysis-text offset. Offsets in synthetic text (the blank line
    /// after the title) map to the end of the previous segment.
    pub fn to_file(&self, offset: usize) -> usize {
        let i = self.segments.partition_point(|s| s.analysis <= offset);
        if i == 0 {
            return self.body_start.min(self.file_len);
        }
        let s = self.segments[i - 1];
        s.file + (offset - s.analysis).min(s.len)
    }

    /// The file span of an analysis-text span. An end offset that falls just after a segment
    /// stays with that segment, so a span never swallows the annotation syntax behind it.
    pub fn span_to_file(&self, span: Range<usize>) -> Range<usize> {
        let start = self.to_file(span.start);
        let end = if span.end > span.start {
            self.to_file_end(span.end)
        } else {
            start
        };
        start..end.max(start)
    }

    fn to_file_end(&self, offset: usize) -> usize {
        let i = self.segments.partition_point(|s| s.analysis < offset);
        if i == 0 {
            return self.to_file(offset);
        }
        let s = self.segments[i - 1];
        s.file + (offset - s.analysis).min(s.len)
    }

    /// The analysis-text offset of a file offset, if that byte is article text.
    pub fn to_analysis(&self, file_offset: usize) -> Option<usize> {
        let i = self.segments.partition_point(|s| s.file <= file_offset);
        // Segments are sorted by file offset too, except the title which comes first in both.
        let s = *self.segments.get(i.checked_sub(1)?)?;
        (file_offset < s.file + s.len || (file_offset == s.file + s.len && s.len > 0))
            .then(|| s.analysis + (file_offset - s.file))
    }

    /// The analysis-text span of a file span (both ends must be article text).
    pub fn span_to_analysis(&self, span: Range<usize>) -> Option<Range<usize>> {
        let start = self.to_analysis(span.start)?;
        let end = if span.end > span.start {
            self.to_analysis(span.end - 1)? + 1
        } else {
            start
        };
        Some(start..end)
    }

    /// The raw body text: the body with every annotation's syntax removed.
    pub fn raw_body(&self) -> &str {
        &self.analysis_text[self.analysis_body_start..]
    }

    /// The annotation whose bracketed text contains the file offset, if any.
    pub fn annotation_at(&self, file_offset: usize) -> Option<(usize, &Annotation)> {
        self.annotations
            .iter()
            .enumerate()
            .find(|(_, a)| a.span.start <= file_offset && file_offset < a.span.end)
    }
}

/// Whether a line of `text`, trimmed and without leading `#`s, is `title` (not empty): the
/// lines are cut at the line feeds memchr finds, and a line shorter than the title is not
/// trimmed.
fn has_title_line(text: &str, title: &str) -> bool {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for end in ends {
        let line = &text[start..end];
        start = end + 1;
        if line.len() >= title.len() && line.trim().trim_start_matches('#').trim() == title {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The title test answers as reading every line would.
    #[test]
    fn title_lines_are_found_as_by_reading_every_line() {
        let by_lines = |text: &str, title: &str| {
            text.lines()
                .any(|l| l.trim().trim_start_matches('#').trim() == title)
        };
        let texts = [
            "",
            "Ten fled",
            "# Ten fled\nbody",
            "body\n  ## Ten fled  \nmore",
            "Ten fled today\n",
            "They said Ten fled.\n",
            "a\r\nTen fled\r\n",
            "Ten\nfled",
            "#Ten fled#",
            "Ten fled\n",
            "x\n\n  Ten fled\t\r\n\n",
            "\n",
            "Ten fled\u{2028}\nfled",
            "\u{a0}fled\u{3000}",
        ];
        for text in texts {
            for title in ["Ten fled", "fled", "Ten fled today", "a", "x"] {
                assert_eq!(
                    has_title_line(text, title),
                    by_lines(text, title),
                    "{text:?} {title:?}"
                );
            }
        }
    }

    #[test]
    fn raw_text_drops_annotation_syntax_and_maps_back() {
        let text = "---\ntitle: \"Ten fled\"\ndate: 2020-01-02\n---\nThey said [1,217 militants]{event=x source=y} left.\n";
        let a = Article::parse(text, FileKind::Markdown);
        assert!(a.errors.is_empty(), "{:?}", a.errors);
        assert_eq!(
            a.analysis_text,
            "Ten fled\n\nThey said 1,217 militants left.\n"
        );
        assert_eq!(a.raw_body(), "They said 1,217 militants left.\n");
        let at = a.analysis_text.find("1,217").unwrap();
        let file = a.to_file(at);
        assert_eq!(&text[file..file + 5], "1,217");
        let span = a.span_to_file(at..at + "1,217 militants".len());
        assert_eq!(&text[span], "1,217 militants");
        assert_eq!(a.to_file(0), text.find("Ten").unwrap());
        assert_eq!(a.meta.date.as_deref(), Some("2020-01-02"));
    }
}
