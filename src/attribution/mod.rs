//! Attribution: who each figure is credited to (SPEC 3.2).
//!
//! The text is cut into paragraphs, sentences and quotations ([`crate::text`]); each sentence
//! is searched for source cues ("according to X", "X said", "X reports that", weasel phrases),
//! headlines for "X: …", quotations for the sentence that introduces them, pronouns for the
//! source they refer back to. Repeats of an attributed figure inherit its attribution.

mod cues;
mod resolve;

use std::ops::Range;

pub use resolve::attribute;

/// Named, vague or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttributionKind {
    Named,
    Vague,
    None,
}

impl AttributionKind {
    pub fn name(self) -> &'static str {
        match self {
            AttributionKind::Named => "named",
            AttributionKind::Vague => "vague",
            AttributionKind::None => "none",
        }
    }
}

/// How an attribution was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Via {
    /// A cue in the figure's own sentence.
    Sentence,
    /// The sentence that introduces the quotation the figure stands in.
    Quotation,
    /// The sentence just before, in the same paragraph.
    PreviousSentence,
    /// A headline "X: …".
    Headline,
    /// "he said", "the ministry said": the named source referred back to.
    Pronoun,
    /// A repeat of the same figure elsewhere in the article.
    Repeat,
    /// A `source=` attribute.
    Annotation,
    /// Nothing found.
    Nothing,
}

/// Who a figure is attributed to.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    pub kind: AttributionKind,
    /// The source as the text names it ("the Russian Defence Ministry", "Some reports").
    pub source: Option<String>,
    /// The `tally.toml` source id it matches.
    pub source_id: Option<String>,
    /// Where the source is named, in analysis-text offsets (None for `source=` and none).
    pub cue_span: Option<Range<usize>>,
    pub via: Via,
}

impl Attribution {
    pub fn none() -> Attribution {
        Attribution {
            kind: AttributionKind::None,
            source: None,
            source_id: None,
            cue_span: None,
            via: Via::Nothing,
        }
    }
}
