//! One article, analysed: every figure with its reading, attribution and event link.
//!
//! [`analyze`] is the entry point the CLI and the language server share: text and settings in,
//! an [`ArticleAnalysis`] out. It never fails.

use std::ops::Range;

use crate::article::{parse_value_override, Article, FileKind, ValueOverride};
use crate::attribution::{self, Attribution, AttributionKind, Via};
use crate::corpus::Config;
use crate::figures::tokens::{Lower, Token};
use crate::figures::{self, Figure, FigureClass, Qualifier, Reading, Value};

/// A figure in an article, with everything tally knows about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// File byte span: the bracketed text for an annotated claim, the figure otherwise.
    pub span: Range<usize>,
    /// The same span in the analysis text.
    pub analysis_span: Range<usize>,
    /// The figure with its noun, as written ("1,217 militants").
    pub text: String,
    pub reading: Reading,
    pub class: FigureClass,
    pub attribution: Attribution,
    /// The `event=` id and the span of its value.
    pub event: Option<(String, Range<usize>)>,
    /// The `source=` value (unquoted) and the span of the value as written.
    pub source_attr: Option<(String, Range<usize>)>,
    /// Index into [`Article::annotations`] when annotated.
    pub annotation: Option<usize>,
    /// The date the figure refers to: `asof=`, else the article's date.
    pub asof: Option<String>,
    /// The `tally.toml` name of the source, when the attribution matched one.
    pub source_name: Option<String>,
}

impl Claim {
    pub fn event_id(&self) -> Option<&str> {
        self.event.as_ref().map(|(e, _)| e.as_str())
    }

    pub fn is_annotated(&self) -> bool {
        self.annotation.is_some()
    }
}

/// An analysed article.
#[derive(Debug, Clone)]
pub struct ArticleAnalysis {
    pub article: Article,
    /// Every figure, claims and incidental ones, in text order. Spans marked `.ignore` are left out.
    pub claims: Vec<Claim>,
    /// Annotations whose span holds no figure or several: (annotation index, figures found).
    pub bad_spans: Vec<(usize, usize)>,
}

/// Analyse one article.
pub fn analyze(text: &str, kind: FileKind, config: &Config) -> ArticleAnalysis {
    let article = Article::parse(text, kind);
    let at = &article.analysis_text;
    // The text is cut into tokens once, for the figure reader and for attribution.
    let lowered = at.to_ascii_lowercase();
    let mut aside = String::new();
    let (toks, lower) = figures::tokens::tokenize_lowered(at, &lowered, &mut aside);
    let spans = annotation_spans(&article);
    let ((figs, owners), bad_spans) = placed_figures(&article, &spans, &toks, &lower);
    let attributions = attribution::attribute_tokens(&article, &figs, config, &toks, &lower, None);
    let date = article.meta.valid_date();
    let claims = figs
        .into_iter()
        .zip(owners)
        .zip(attributions)
        .map(|((fig, ann), attribution)| {
            make_claim(&article, &spans, config, date, fig, ann, attribution)
        })
        .collect();
    ArticleAnalysis {
        article,
        claims,
        bad_spans,
    }
}

/// The claims of an article that are linked to an event, each with its index among all the
/// claims [`analyze`] makes, and equal to what it makes; and the parsed article. For an
/// index, which keeps linked claims only: the other figures are found (a claim's index and
/// its repeats depend on them) but neither attributed nor made into claims, unless a linked
/// claim may repeat them.
pub fn linked_claims(
    text: &str,
    kind: FileKind,
    config: &Config,
) -> (Article, Vec<(usize, Claim)>) {
    let article = Article::parse(text, kind);
    if !article.annotations.iter().any(|a| a.get("event").is_some()) {
        return (article, Vec::new());
    }
    let at = &article.analysis_text;
    let lowered = at.to_ascii_lowercase();
    let mut aside = String::new();
    let (toks, lower) = figures::tokens::tokenize_lowered(at, &lowered, &mut aside);
    let spans = annotation_spans(&article);
    let ((figs, owners), _) = placed_figures(&article, &spans, &toks, &lower);
    let linked: Vec<bool> = owners
        .iter()
        .map(|ann| ann.is_some_and(|ai| article.annotations[ai].get("event").is_some()))
        .collect();
    let attributions =
        attribution::attribute_tokens(&article, &figs, config, &toks, &lower, Some(&linked));
    let date = article.meta.valid_date();
    let claims = figs
        .into_iter()
        .zip(owners)
        .zip(attributions)
        .enumerate()
        .filter(|&(i, _)| linked[i])
        .map(|(i, ((fig, ann), attribution))| {
            (
                i,
                make_claim(&article, &spans, config, date, fig, ann, attribution),
            )
        })
        .collect();
    (article, claims)
}

/// Figures and the annotation that owns each (two lists of one length), and (annotation,
/// figures found) for the annotations whose span holds no figure or several.
type Placed = ((Vec<Figure>, Vec<Option<usize>>), Vec<(usize, usize)>);

/// Each annotation's text span in the analysis text ([`Article::span_to_analysis`]), worked
/// out once for placing the figures and making the claims.
fn annotation_spans(article: &Article) -> Vec<Option<Range<usize>>> {
    article
        .annotations
        .iter()
        .map(|a| article.span_to_analysis(a.text_span.clone()))
        .collect()
}

/// Every figure of an article in text order, with the annotation that owns it: the figures
/// the reader found (less those in `.ignore` spans) and those annotated spans force; and the
/// annotations whose span holds no figure or several. `spans` are the annotations' analysis
/// spans ([`annotation_spans`]).
fn placed_figures(
    article: &Article,
    spans: &[Option<Range<usize>>],
    toks: &[Token],
    lower: &Lower<'_>,
) -> Placed {
    let at = &article.analysis_text;
    let mut figs = figures::extract_tokens(at, toks, lower);
    let mut bad_spans = Vec::new();
    // annotation index for each figure, and the figures annotated spans force.
    let mut owner: Vec<Option<usize>> = vec![None; figs.len()];
    let mut forced: Vec<(Figure, usize)> = Vec::new();
    let mut drop = vec![false; figs.len()];
    for ((ai, ann), span) in article.annotations.iter().enumerate().zip(spans) {
        let Some(span) = span.clone() else {
            continue;
        };
        // Figures are in text order: start at the first that ends after the span.
        let first = figs.partition_point(|f| f.number_span.end <= span.start);
        let mut inside = (first..figs.len())
            .take_while(|&i| figs[i].number_span.start < span.end)
            .filter(|&i| {
                figs[i].number_span.start < span.end && span.start < figs[i].number_span.end
            });
        if ann.ignore {
            for i in inside {
                drop[i] = true;
            }
            continue;
        }
        // The first figure inside and how many there are, with no list made.
        let first_inside = inside.next();
        let count = first_inside.map_or(0, |_| 1 + inside.count());
        match count {
            1 => owner[first_inside.unwrap_or_default()] = Some(ai),
            0 => match figures::read_span(at, span.clone()) {
                Some(f) => forced.push((f, ai)),
                None if ann.get("value").is_some() => {
                    let mut f = Figure {
                        span: span.clone(),
                        number_span: span.clone(),
                        reading: Reading::new(
                            Qualifier::Exact,
                            Value::None,
                            figures::UnitKind::Count,
                            None,
                        ),
                        class: FigureClass::Claim,
                    };
                    f.reading.unit = None;
                    forced.push((f, ai));
                }
                None => bad_spans.push((ai, 0)),
            },
            n => {
                bad_spans.push((ai, n));
                owner[first_inside.unwrap_or_default()] = Some(ai);
            }
        }
    }
    // The common case: nothing dropped or forced, and the figures in order already (the sort
    // below is stable, so it would keep them as they are).
    if forced.is_empty() && !drop.contains(&true) && figs.is_sorted_by_key(|f| f.span.start) {
        return ((figs, owner), bad_spans);
    }
    let mut all: Vec<(Figure, Option<usize>)> = figs
        .drain(..)
        .zip(owner)
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|((f, o), _)| (f, o))
        .collect();
    all.extend(forced.into_iter().map(|(f, a)| (f, Some(a))));
    all.sort_by_key(|(f, _)| f.span.start);
    (all.into_iter().unzip(), bad_spans)
}

/// The claim a figure makes; `spans` are the annotations' analysis spans
/// ([`annotation_spans`]), `date` is the article's valid date.
fn make_claim(
    article: &Article,
    spans: &[Option<Range<usize>>],
    config: &Config,
    date: Option<&str>,
    fig: Figure,
    ann: Option<usize>,
    mut attribution: Attribution,
) -> Claim {
    let at = &article.analysis_text;
    let mut reading = fig.reading;
    let mut class = fig.class;
    let mut event = None;
    let mut source_attr = None;
    // The date and the file span are made once known: an annotation may give its own.
    let mut asof = date;
    let mut span = None;
    let mut analysis_span = fig.span.clone();
    if let Some(ai) = ann {
        let a = &article.annotations[ai];
        span = Some(a.text_span.clone());
        analysis_span = spans.get(ai).cloned().flatten().unwrap_or(analysis_span);
        // An annotated figure is a claim: the analyst says so.
        class = FigureClass::Claim;
        if let Some(e) = a.get("event") {
            event = Some((e.value.clone(), e.value_span.clone()));
        }
        if let Some(v) = a.get("value").and_then(|v| parse_value_override(&v.value)) {
            reading = override_reading(&reading, v);
        }
        if let Some(d) = a
            .get("asof")
            .filter(|d| crate::article::valid_date(&d.value))
        {
            asof = Some(&d.value);
        }
        if let Some(s) = a.get("source") {
            source_attr = Some((s.value.clone(), s.value_span.clone()));
            attribution = source_attribution(article, config, &s.value);
        }
    }
    let span = span.unwrap_or_else(|| article.span_to_file(fig.span.clone()));
    let asof = asof.map(str::to_string);
    // The text: the figure with its noun, from the analysis text.
    let text_span = fig.span.start.min(analysis_span.start)..fig.span.end.max(analysis_span.end);
    let text = at.get(text_span).unwrap_or_default().to_string();
    let source_name = attribution
        .source_id
        .as_deref()
        .and_then(|id| config.source(id))
        .map(|s| s.name.clone());
    Claim {
        span,
        analysis_span,
        text,
        reading,
        class,
        attribution,
        event,
        source_attr,
        annotation: ann,
        asof,
        source_name,
    }
}

/// The attribution a `source=` value gives: a source id, `author`, or a free-text name.
fn source_attribution(article: &Article, config: &Config, value: &str) -> Attribution {
    if value == "author" {
        let who = article
            .meta
            .author
            .clone()
            .or_else(|| article.meta.outlet.clone())
            .unwrap_or_else(|| "the author".into());
        return Attribution {
            kind: AttributionKind::Named,
            source: Some(who),
            source_id: None,
            cue_span: None,
            via: Via::Annotation,
        };
    }
    if let Some(s) = config.source(value).or_else(|| config.match_source(value)) {
        return Attribution {
            kind: AttributionKind::Named,
            source: Some(s.name.clone()),
            source_id: Some(s.id.clone()),
            cue_span: None,
            via: Via::Annotation,
        };
    }
    Attribution {
        kind: AttributionKind::Named,
        source: Some(value.to_string()),
        source_id: None,
        cue_span: None,
        via: Via::Annotation,
    }
}

fn override_reading(r: &Reading, v: ValueOverride) -> Reading {
    let (q, val) = match v {
        ValueOverride::Exact(x) => (Qualifier::Exact, Value::Number(x)),
        ValueOverride::Range(a, b) => (Qualifier::Range, Value::Range(a, b)),
        ValueOverride::Lower(x, _) => (Qualifier::Lower, Value::Number(x)),
        ValueOverride::Upper(x, _) => (Qualifier::Upper, Value::Number(x)),
        ValueOverride::Approx(x) => (Qualifier::Approx, Value::Number(x)),
    };
    let mut n = Reading::new(q, val, r.kind, r.unit.clone());
    match v {
        ValueOverride::Lower(_, open) => n.low_open = open,
        ValueOverride::Upper(_, open) => n.high_open = open,
        _ => {}
    }
    n
}
