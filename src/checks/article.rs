//! Checks on one article alone: sources, annotations and links.

use crate::analysis::ArticleAnalysis;
use crate::article::ParseErrorKind;
use crate::attribution::AttributionKind;
use crate::corpus::Config;
use crate::figures::FigureClass;

use super::suggest::{best_events_into, LinkedValues, SuggestCache};
use super::{push_quoted, Code, Diagnostic, DocId, Severity};

/// A message of the article checks as its parts: the commonest are fixed words around a
/// figure's text, a source or an event (the command line holds them so, `cli::held`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message<'a> {
    /// A message that is not one of the others.
    Text(&'a str),
    /// `unsourced-figure`: the figure's text.
    Unsourced { figure: &'a str },
    /// `vague-source`: the figure's text and the vague source's.
    Vague { figure: &'a str, source: &'a str },
    /// `unlinked-figure`: the figure's text and the event suggested (its index in the
    /// settings' events; there is one).
    Unlinked { figure: &'a str, event: usize },
}

impl Message<'_> {
    /// The message written at the end of `out`, with the settings it was made with (for an
    /// event's id and title). Built without `format!`, which costs more than the few pieces
    /// it puts together.
    pub fn write(&self, config: &Config, out: &mut String) {
        match *self {
            Message::Text(text) => out.push_str(text),
            Message::Unsourced { figure } => {
                const REST: &str = " is not attributed to anyone: name who counted it, or add `source=` (use `source=author` for the outlet's own figure)";
                out.reserve(figure.len() + 2 + REST.len());
                push_quoted(out, figure);
                out.push_str(REST);
            }
            Message::Vague { figure, source } => {
                out.reserve(figure.len() + source.len() + 96);
                push_quoted(out, figure);
                out.push_str(" rests on a vague source (");
                push_quoted(out, source);
                out.push_str("): name the source if the article does, or add `source=`");
            }
            Message::Unlinked { figure, event } => {
                let Some(event) = config.events.get(event) else {
                    return push_quoted(out, figure);
                };
                let title = event.title.as_deref().unwrap_or_default();
                out.reserve(figure.len() + event.id.len() + title.len() + 80);
                push_quoted(out, figure);
                out.push_str(" is not linked to an event; it may be `");
                out.push_str(&event.id);
                out.push_str("` (");
                out.push_str(title);
                out.push_str("): annotate it with `event=`");
            }
        }
    }

    /// The message as a string (see [`Message::write`]).
    pub fn to_string(&self, config: &Config) -> String {
        let mut out = String::new();
        self.write(config, &mut out);
        out
    }
}

/// Diagnostics about one article that need no other article: `malformed-annotation`,
/// `malformed-front-matter`, `unsourced-figure`, `vague-source`, `unknown-event`,
/// `unknown-source` and `unlinked-figure`.
pub fn article_checks(doc: DocId, a: &ArticleAnalysis, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    checks(a, config, None, |code, severity, span, message| {
        out.push(diagnostic(doc, code, severity, span, message, config))
    });
    out
}

/// [`article_checks`] with each diagnostic given to `each` as it is found, in the same order,
/// with its message as its parts.
pub fn article_checks_each(
    a: &ArticleAnalysis,
    config: &Config,
    each: impl FnMut(Code, Severity, std::ops::Range<usize>, Message<'_>),
) {
    checks(a, config, None, each)
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
    let mut out = Vec::new();
    checks(a, config, Some(cache), |code, severity, span, message| {
        out.push(diagnostic(doc, code, severity, span, message, config))
    });
    out
}

/// A diagnostic of the article checks, its message written out.
fn diagnostic(
    doc: DocId,
    code: Code,
    severity: Severity,
    span: std::ops::Range<usize>,
    message: Message<'_>,
    config: &Config,
) -> Diagnostic {
    Diagnostic {
        doc,
        span,
        code,
        severity,
        message: message.to_string(config),
        related: Vec::new(),
        more_related: 0,
    }
}

fn checks(
    a: &ArticleAnalysis,
    config: &Config,
    mut cache: Option<&mut SuggestCache>,
    mut each: impl FnMut(Code, Severity, std::ops::Range<usize>, Message<'_>),
) {
    let mut push = |code: Code, span: std::ops::Range<usize>, message: Message<'_>| {
        if let Some(severity) = config.severity(code) {
            each(code, severity, span, message);
        }
    };
    for e in &a.article.errors {
        let code = match e.kind {
            ParseErrorKind::Annotation => Code::MalformedAnnotation,
            ParseErrorKind::FrontMatter => Code::MalformedFrontMatter,
        };
        push(code, e.span.clone(), Message::Text(&e.message));
    }
    for &(ai, n) in &a.bad_spans {
        let ann = &a.article.annotations[ai];
        let message = if n == 0 {
            "annotated span holds no figure: put the number inside the brackets, or give `value=`"
                .to_string()
        } else {
            format!("annotated span holds {n} figures: annotate each figure on its own")
        };
        push(
            Code::MalformedAnnotation,
            ann.text_span.clone(),
            Message::Text(&message),
        );
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
                    push(
                        Code::UnsourcedFigure,
                        c.span.clone(),
                        Message::Unsourced { figure: &c.text },
                    );
                }
                AttributionKind::Vague => {
                    let source = c.attribution.source.as_deref().unwrap_or("unnamed");
                    push(
                        Code::VagueSource,
                        c.span.clone(),
                        Message::Vague {
                            figure: &c.text,
                            source,
                        },
                    );
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
                        Message::Text(&format!("event `{}` is not defined in tally.toml: add `[events.{}]` with a title (the claim still links)", e.value, e.value)),
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
                        Message::Text(&format!("source `{}` is not defined in tally.toml: add `[sources.{}]`, or quote a free-text name (`source=\"{}\"`)", s.value, s.value, s.value)),
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
            if let Some(&(_, event)) = sugg.first().filter(|&&(_, i)| i < config.events.len()) {
                push(
                    Code::UnlinkedFigure,
                    c.span.clone(),
                    Message::Unlinked {
                        figure: &c.text,
                        event,
                    },
                );
            }
        }
    }
}
