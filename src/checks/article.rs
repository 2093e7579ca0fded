//! Checks on one article alone: sources, annotations and links.

use crate::analysis::ArticleAnalysis;
use crate::article::ParseErrorKind;
use crate::attribution::AttributionKind;
use crate::corpus::Config;
use crate::figures::FigureClass;

use super::suggest::{best_events_into, LinkedValues, SuggestCache};
use super::{push_quoted, Code, Diagnostic, DocId};

/// Diagnostics about one article that need no other article: `malformed-annotation`,
/// `malformed-front-matter`, `unsourced-figure`, `vague-source`, `unknown-event`,
/// `unknown-source` and `unlinked-figure`.
pub fn article_checks(doc: DocId, a: &ArticleAnalysis, config: &Config) -> Vec<Diagnostic> {
    checks(doc, a, config, None)
}

/// [`article_checks`] for an article analysed again and again (a language server's open
/// article): the suggestions of `unlinked-figure` come from `cache` when their figure's
/// sentence and reading are unchanged since the last analysis.
pub fn article_checks_cached(
    doc: DocId,
    a: &ArticleAnalysis,
    config: &Config,
    cache: &mut SuggestCache,
) -> Vec<Diagnostic> {
    cache.start();
    checks(doc, a, config, Some(cache))
}

fn checks(
    doc: DocId,
    a: &ArticleAnalysis,
    config: &Config,
    mut cache: Option<&mut SuggestCache>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut push = |code: Code, span: std::ops::Range<usize>, message: String| {
        if let Some(severity) = config.severity(code) {
            out.push(Diagnostic {
                doc,
                span,
                code,
                severity,
                message,
                related: Vec::new(),
                more_related: 0,
            });
        }
    };
    for e in &a.article.errors {
        let code = match e.kind {
            ParseErrorKind::Annotation => Code::MalformedAnnotation,
            ParseErrorKind::FrontMatter => Code::MalformedFrontMatter,
        };
        push(code, e.span.clone(), e.message.clone());
    }
    for &(ai, n) in &a.bad_spans {
        let ann = &a.article.annotations[ai];
        let message = if n == 0 {
            "annotated span holds no figure: put the number inside the brackets, or give `value=`"
                .to_string()
        } else {
            format!("annotated span holds {n} figures: annotate each figure on its own")
        };
        push(Code::MalformedAnnotation, ann.text_span.clone(), message);
    }
    let linked = LinkedValues::new(a, config);
    // The suggestions of the figure at hand, reused from figure to figure.
    let mut made = Vec::new();
    for c in &a.claims {
        if c.class != FigureClass::Claim {
            continue;
        }
        if c.source_attr.is_none() {
            match c.attribution.kind {
                AttributionKind::None => {
                    const REST: &str = " is not attributed to anyone: name who counted it, or add `source=` (use `source=author` for the outlet's own figure)";
                    let mut m = String::with_capacity(c.text.len() + 2 + REST.len());
                    push_quoted(&mut m, &c.text);
                    m.push_str(REST);
                    push(Code::UnsourcedFigure, c.span.clone(), m);
                }
                AttributionKind::Vague => {
                    let source = c.attribution.source.as_deref().unwrap_or("unnamed");
                    let mut m = String::with_capacity(c.text.len() + source.len() + 96);
                    push_quoted(&mut m, &c.text);
                    m.push_str(" rests on a vague source (");
                    push_quoted(&mut m, source);
                    m.push_str("): name the source if the article does, or add `source=`");
                    push(Code::VagueSource, c.span.clone(), m);
                }
                AttributionKind::Named => {}
            }
        }
        if let Some(ai) = c.annotation {
            let ann = &a.article.annotations[ai];
            if let Some(e) = ann.get("event") {
                if !config.events.is_empty()
                    && config.event(&e.value).is_none()
                    && crate::article::valid_event_id(&e.value)
                {
                    push(
                        Code::UnknownEvent,
                        e.key_span.start..e.value_span.end,
                        format!("event `{}` is not defined in tally.toml: add `[events.{}]` with a title (the claim still links)", e.value, e.value),
                    );
                }
            }
            if let Some(s) = ann.get("source") {
                let known = || {
                    s.value == "author"
                        || config.source(&s.value).is_some()
                        || config.match_source(&s.value).is_some()
                };
                if !s.quoted && !config.sources.is_empty() && !known() {
                    push(
                        Code::UnknownSource,
                        s.key_span.start..s.value_span.end,
                        format!("source `{}` is not defined in tally.toml: add `[sources.{}]`, or quote a free-text name (`source=\"{}\"`)", s.value, s.value, s.value),
                    );
                }
            }
        }
        if c.event.is_none() && !config.events.is_empty() {
            let sugg = match cache.as_deref_mut() {
                Some(cache) => cache.suggest(a, c, config, &linked),
                None => {
                    best_events_into(a, c, config, &linked, 1, &mut made);
                    &made
                }
            };
            if let Some(event) = sugg.first().and_then(|&(_, i)| config.events.get(i)) {
                let title = event.title.as_deref().unwrap_or_default();
                let mut m = String::with_capacity(c.text.len() + event.id.len() + title.len() + 80);
                push_quoted(&mut m, &c.text);
                m.push_str(" is not linked to an event; it may be `");
                m.push_str(&event.id);
                m.push_str("` (");
                m.push_str(title);
                m.push_str("): annotate it with `event=`");
                push(Code::UnlinkedFigure, c.span.clone(), m);
            }
        }
    }
    out
}
