//! Diagnostics: one function per family, plain data out (SPEC 4).
//!
//! [`article_checks`] looks at one article on its own; [`event_checks`] compares the readings
//! of each event across the corpus through an [`EventIndex`]. Both return [`Diagnostic`]s
//! with file byte spans and a document number chosen by the caller.

mod article;
mod events;
pub mod suggest;
pub mod title_bits;

use std::ops::Range;

pub use article::{article_checks, article_checks_cached, article_checks_each, Message};
pub use events::{event_checks, event_checks_for_doc, EventChecker, MAX_RELATED};
pub use suggest::SuggestCache;

pub use crate::corpus::EventIndex;

/// A stable diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    UnsourcedFigure,
    VagueSource,
    ConflictingFigure,
    CumulativeDecrease,
    PartsSumMismatch,
    PartExceedsWhole,
    UnknownEvent,
    UnknownSource,
    UnlinkedFigure,
    MalformedAnnotation,
    MalformedFrontMatter,
    ConfigError,
}

impl Code {
    pub const ALL: [Code; 12] = [
        Code::UnsourcedFigure,
        Code::VagueSource,
        Code::ConflictingFigure,
        Code::CumulativeDecrease,
        Code::PartsSumMismatch,
        Code::PartExceedsWhole,
        Code::UnknownEvent,
        Code::UnknownSource,
        Code::UnlinkedFigure,
        Code::MalformedAnnotation,
        Code::MalformedFrontMatter,
        Code::ConfigError,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Code::UnsourcedFigure => "unsourced-figure",
            Code::VagueSource => "vague-source",
            Code::ConflictingFigure => "conflicting-figure",
            Code::CumulativeDecrease => "cumulative-decrease",
            Code::PartsSumMismatch => "parts-sum-mismatch",
            Code::PartExceedsWhole => "part-exceeds-whole",
            Code::UnknownEvent => "unknown-event",
            Code::UnknownSource => "unknown-source",
            Code::UnlinkedFigure => "unlinked-figure",
            Code::MalformedAnnotation => "malformed-annotation",
            Code::MalformedFrontMatter => "malformed-front-matter",
            Code::ConfigError => "config-error",
        }
    }

    pub fn from_name(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.name() == s)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Code::UnsourcedFigure
            | Code::ConflictingFigure
            | Code::CumulativeDecrease
            | Code::PartsSumMismatch
            | Code::PartExceedsWhole => Severity::Warning,
            Code::VagueSource | Code::UnknownEvent | Code::UnknownSource => Severity::Info,
            Code::UnlinkedFigure => Severity::Hint,
            Code::MalformedAnnotation | Code::MalformedFrontMatter | Code::ConfigError => {
                Severity::Error
            }
        }
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    pub fn from_name(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" | "information" => Some(Severity::Info),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

/// A document, as numbered by the caller (the CLI's file list, the server's document table).
pub type DocId = usize;

/// Another place a diagnostic is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub doc: DocId,
    pub span: Range<usize>,
    /// Shared: a contested event's readings are named by many diagnostics.
    pub message: std::sync::Arc<str>,
}

/// One finding, at a file byte span of one document.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub doc: DocId,
    pub span: Range<usize>,
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Every other claim involved, most telling first (see [`MAX_RELATED`]), unless the
    /// checker was asked for the first few only ([`EventChecker::shown_only`]).
    pub related: Vec<Related>,
    /// How many claims involved are not in `related` (0 unless the list was cut).
    pub more_related: usize,
}

/// A figure's text in double quotes for a message, with white space folded.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_quoted(&mut out, text);
    out
}

/// [`quoted`], written at the end of `out` (messages are built without `format!`, which costs
/// more than the few pieces it puts together).
pub fn push_quoted(out: &mut String, text: &str) {
    out.push('"');
    // Most figures are ASCII with single spaces between words: copied as they are.
    if is_plain(text) {
        out.push_str(text);
    } else {
        for (k, w) in text.split_whitespace().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            out.push_str(w);
        }
    }
    out.push('"');
}

/// Whether a text is its own [`quoted`] form: empty, or ASCII without white space but single
/// spaces between other bytes. Each test is a fold over all bytes (no early exit, no state
/// carried from byte to byte), which the compiler does many bytes at a time.
fn is_plain(text: &str) -> bool {
    let b = text.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return true;
    };
    // Not ASCII, or white space other than a space (tab to carriage return).
    let odd = b.iter().fold(0u8, |acc, &x| {
        acc | (x & 0x80) | u8::from(x.wrapping_sub(b'\t') < 5)
    });
    let doubled = b
        .iter()
        .zip(&b[1..])
        .fold(0u8, |acc, (&x, &y)| acc | u8::from(x == b' ' && y == b' '));
    first != b' ' && last != b' ' && odd == 0 && doubled == 0
}

#[cfg(test)]
mod tests {
    /// A text is plain exactly when reading it byte by byte finds only ASCII bytes other than
    /// tab to carriage return, no space first, last or after another: random texts of
    /// spaces, white space of every kind, letters, digits and other scripts.
    #[test]
    fn plain_texts_are_those_read_byte_by_byte() {
        const PIECES: &[&str] = &[
            " ", " ", "a", "1", ",", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{8}", "\u{e}",
            "\u{a0}", "\u{85}", "\u{2009}", "≈", "½", "\u{7f}",
        ];
        let mut rng = crate::test_rng::XorShift(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: usize| rng.below(n);
        let mut plain = 0;
        for _ in 0..20_000 {
            let t: String = (0..next(9)).map(|_| PIECES[next(PIECES.len())]).collect();
            let mut space = true;
            let want = t.bytes().all(|b| {
                let ok = b.is_ascii() && !matches!(b, b'\t'..=b'\r') && !(b == b' ' && space);
                space = b == b' ';
                ok
            }) && (t.is_empty() || !space);
            assert_eq!(super::is_plain(&t), want, "{t:?}");
            plain += usize::from(want);
            let folded = format!("\"{}\"", t.split_whitespace().collect::<Vec<_>>().join(" "));
            assert_eq!(super::quoted(&t), folded, "{t:?}");
        }
        assert!(plain > 1000, "few plain texts ({plain})");
    }

    /// Quoting copies plain ASCII figures as they are and folds white space in every other
    /// text: the same as joining its words with single spaces.
    #[test]
    fn quoting_folds_white_space() {
        let texts = [
            "",
            " ",
            "1,200",
            "some 1,200 people",
            " some 1,200",
            "1,200 ",
            "some  1,200",
            "some\t1,200",
            "some\n1,200\r\n",
            "some\u{b}1,200\u{c}",
            "some\u{a0}1,200",
            "some\u{2009}1,200",
            "≈ 1 200",
            "\u{85}x\u{3000}",
            "a b c",
        ];
        for t in texts {
            let want = format!("\"{}\"", t.split_whitespace().collect::<Vec<_>>().join(" "));
            assert_eq!(super::quoted(t), want, "{t:?}");
        }
    }
}
