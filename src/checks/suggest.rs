//! Suggesting events for a figure that is not linked to one.

use crate::analysis::{ArticleAnalysis, Claim};
use crate::corpus::Config;
use crate::figures::{UnitKind, Value};
use crate::text::normalize_name;

const STOP: &[&str] = &[
    "the", "a", "an", "of", "in", "on", "at", "by", "for", "to", "and", "or", "from", "with", "who", "that", "which",
    "as", "is", "are", "was", "were", "since", "into", "over", "its", "their", "have", "has", "had", "this", "those",
];

fn content_words(s: &str) -> Vec<String> {
    normalize_name(s)
        .split(' ')
        .filter(|w| w.len() > 2 && !STOP.contains(w))
        .map(|w| w.trim_end_matches('s').to_string())
        .collect()
}

/// Events a claim may belong to, best first, with a score: a repeat of a linked figure
/// in the same article, the same kind of unit, and words shared with the event's title.
pub fn suggest_events(a: &ArticleAnalysis, c: &Claim, config: &Config) -> Vec<(String, u32)> {
    let text = &a.article.analysis_text;
    let sentence = sentence_around(text, c.analysis_span.clone());
    let words = content_words(sentence);
    let mut out: Vec<(String, u32)> = Vec::new();
    for e in &config.events {
        let mut score = 0;
        let unit_ok = match (c.reading.kind, e.unit.as_deref()) {
            (UnitKind::Percent, Some(u)) => u == "percent",
            (UnitKind::Fraction, Some(u)) => u == "fraction" || u == "percent",
            (UnitKind::Money, Some(u)) => u == "money",
            (UnitKind::Count, Some(u)) => !matches!(u, "percent" | "fraction" | "money"),
            (_, None) => true,
        };
        if !unit_ok {
            continue;
        }
        // A repeat of a figure linked to this event in the same article.
        let repeat = a.claims.iter().any(|o| {
            o.event_id() == Some(e.id.as_str()) && o.reading.value == c.reading.value && o.reading.value != Value::None
        });
        if repeat {
            score += 10;
        }
        let title = content_words(&format!("{} {}", e.title.as_deref().unwrap_or(""), e.where_.as_deref().unwrap_or("")));
        let shared = title.iter().filter(|t| words.contains(t)).count() as u32;
        score += shared;
        if let Some(u) = &c.reading.unit {
            if title.iter().any(|t| *t == u.trim_end_matches('s')) {
                score += 2;
            }
        }
        if score >= 3 {
            out.push((e.id.clone(), score));
        }
    }
    out.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    out.truncate(3);
    out
}

/// The sentence-ish text around a span: up to the nearest full stops or line breaks.
fn sentence_around(text: &str, span: std::ops::Range<usize>) -> &str {
    let start = span.start.min(text.len());
    let end = span.end.min(text.len());
    let s = text[..start].rfind(['.', '\n', '!', '?']).map_or(0, |i| i + 1);
    let e = text[end..].find(['.', '\n', '!', '?']).map_or(text.len(), |i| end + i);
    &text[s..e]
}
