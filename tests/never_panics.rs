//! Property tests: for arbitrary input, the article parser, the figure reader, attribution
//! and `tally.toml` loading never panic, and every span they return lies inside the text on
//! character boundaries, with `low <= high`.

use proptest::prelude::*;
use tally::article::FileKind;
use tally::checks::article_checks;
use tally::{analyze, Config};

/// Pieces that exercise the grammar: numbers, qualifiers, annotations, quotes, scripts.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("1,217".to_string()),
        Just("4-5,000".to_string()),
        Just("21\u{a0}000".to_string()),
        Just("1\u{2009}217".to_string()),
        Just("1.5 million".to_string()),
        Just("more than".to_string()),
        Just("at least".to_string()),
        Just("some".to_string()),
        Just("about".to_string()),
        Just("between 4 and".to_string()),
        Just("hundreds of thousands".to_string()),
        Just("hundred-thousands".to_string()),
        Just("one-third".to_string()),
        Just("93%".to_string()),
        Just("+".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{event=e".to_string()),
        Just("{event=e source=\"x".to_string()),
        Just("}".to_string()),
        Just("\\[".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("\"".to_string()),
        Just("---\n".to_string()),
        Just("title: x\n".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("said".to_string()),
        Just("according to".to_string()),
        Just("The UN".to_string()),
        Just("he said".to_string()),
        Just("محمد".to_string()),
        Just("😀".to_string()),
        Just("̈".to_string()),
        Just(" ".to_string()),
        Just(". ".to_string()),
        Just("-".to_string()),
        Just("fighters".to_string()),
        "[a-zA-Z0-9 ,.:;\\-]{0,8}".prop_map(|s| s),
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn article_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(fragment(), 0..60).prop_map(|v| v.concat()),
        prop::collection::vec(fragment(), 0..60).prop_map(|v| format!(
            "---\ntitle: \"{}\"\ndate: 2020-01-01\n---\n{}",
            v.concat(),
            v.join(" ")
        )),
    ]
}

fn check_span(text: &str, span: &std::ops::Range<usize>, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} span {span:?} outside text of {} bytes",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} not on char boundaries"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn analysis_never_panics_and_spans_are_sound(text in article_text(), md in any::<bool>()) {
        let kind = if md { FileKind::Markdown } else { FileKind::Text };
        let config = Config::default();
        let a = analyze(&text, kind, &config);
        for c in &a.claims {
            check_span(&text, &c.span, "claim")?;
            check_span(&a.article.analysis_text, &c.analysis_span, "analysis")?;
            if let (Some(l), Some(h)) = (c.reading.low, c.reading.high) {
                prop_assert!(l <= h, "low {l} > high {h} for {:?}", c.text);
            }
        }
        for e in &a.article.errors {
            check_span(&text, &e.span, "error")?;
        }
        for an in &a.article.annotations {
            check_span(&text, &an.span, "annotation")?;
            check_span(&text, &an.text_span, "annotation text")?;
            for at in &an.attrs {
                check_span(&text, &at.key_span, "key")?;
                check_span(&text, &at.value_span, "value")?;
            }
        }
        for d in article_checks(0, &a, &config) {
            check_span(&text, &d.span, "diagnostic")?;
        }
    }

    #[test]
    fn raw_text_reads_the_same_figures(text in prop::collection::vec(fragment(), 0..40).prop_map(|v| v.concat())) {
        // Removing annotations and reading again finds the same figures at the mapped spans.
        let config = Config::default();
        let a = analyze(&text, FileKind::Markdown, &config);
        let raw = a.article.raw_body().to_string();
        let b = analyze(&raw, FileKind::Markdown, &config);
        if a.article.analysis_body_start == 0 && b.article.analysis_body_start == 0 && b.article.annotations.is_empty() {
            let mut x: Vec<_> = a.claims.iter().filter(|c| c.annotation.is_none()).map(|c| (c.text.clone(), c.reading.value)).collect();
            let mut y: Vec<_> = b.claims.iter().map(|c| (c.text.clone(), c.reading.value)).collect();
            x.sort_by(|p, q| p.0.cmp(&q.0));
            y.sort_by(|p, q| p.0.cmp(&q.0));
            for f in &x {
                prop_assert!(y.contains(f), "{f:?} not found again in the raw text {raw:?}");
            }
        }
    }

    #[test]
    fn config_loading_never_panics(text in prop_oneof![
        any::<String>(),
        prop::collection::vec(prop_oneof![
            Just("[corpus]\n"), Just("tolerance = 2\n"), Just("[events.a]\n"), Just("part_of = \"b\"\n"),
            Just("parts = [\"a\"]\n"), Just("[sources.s]\n"), Just("aliases = [\"x\"]\n"), Just("[diagnostics]\n"),
            Just("unsourced-figure = \"off\"\n"), Just("= \n"), Just("\"\n"), Just("[events.B]\n"), Just("title = 1\n"),
        ], 0..20).prop_map(|v| v.concat()),
    ]) {
        match Config::parse(&text) {
            Ok(_) => {}
            Err(e) => check_span(&text, &e.span, "config error")?,
        }
    }
}
