//! Attribution: who each figure is credited to (SPEC 3.2).
//!
//! The text is cut into paragraphs, sentences and quotations ([`crate::text`]); each sentence
//! is searched for source cues ("according to X", "X said", "X reports that", weasel phrases),
//! headlines for "X: …", quotations for the sentence that introduces them, pronouns for the
//! source they refer back to. Repeats of an attributed figure inherit its attribution.

mod cues;
mod resolve;

use std::ops::Range;

pub use cues::cue_start_words;
pub use resolve::{attribute, attribute_tokens};

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

/// A timing and fingerprint harness for the attribution pass over a generated corpus
/// (`TALLY_ATTR_BENCH=/tmp/tally-bench/n1000 cargo test --release --lib attr_bench -- --ignored
/// --nocapture`): prints the time spent in [`attribute`] and writes every cue and attribution
/// to `$TALLY_ATTR_DUMP` when set, to compare two builds.
#[cfg(test)]
mod bench {
    use crate::article::{Article, FileKind};
    use crate::corpus::Config;

    fn md_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                md_files(&p, out);
            } else if p.extension().is_some_and(|e| e == "md" || e == "txt") {
                out.push(p);
            }
        }
    }

    #[test]
    #[ignore]
    fn attr_bench() {
        let Ok(root) = std::env::var("TALLY_ATTR_BENCH") else {
            return;
        };
        let root = std::path::PathBuf::from(root);
        let config = std::fs::read_to_string(root.join("tally.toml"))
            .ok()
            .and_then(|t| Config::parse(&t).ok())
            .unwrap_or_default();
        let mut files = Vec::new();
        md_files(&root, &mut files);
        let inputs: Vec<(Article, Vec<crate::figures::Figure>)> = files
            .iter()
            .map(|p| {
                let raw = std::fs::read_to_string(p).unwrap();
                let a = Article::parse(&raw, FileKind::from_path(&p.to_string_lossy()));
                let figs = crate::figures::extract(&a.analysis_text);
                (a, figs)
            })
            .collect();
        let reps: usize = std::env::var("TALLY_ATTR_REPS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(3);
        let mut dump = String::new();
        let mut best = std::time::Duration::MAX;
        for rep in 0..reps {
            let t = std::time::Instant::now();
            for (a, figs) in &inputs {
                let out = super::attribute(a, figs, &config);
                if rep == 0 {
                    use std::fmt::Write;
                    let _ = writeln!(dump, "{out:?}");
                }
            }
            best = best.min(t.elapsed());
        }
        eprintln!("attribute over {} articles: best {:?}", inputs.len(), best);
        if let Ok(path) = std::env::var("TALLY_ATTR_DUMP") {
            use std::fmt::Write;
            for (a, figs) in &inputs {
                let text = a.analysis_text.as_str();
                let st = crate::text::Structure::new(text, a.analysis_body_start);
                let cues = super::cues::find(text, &st, figs);
                let _ = writeln!(dump, "{st:?}\n{cues:?}");
            }
            std::fs::write(path, dump).unwrap();
        }
    }
}
