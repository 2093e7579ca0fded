//! Annotation-parser cases: each input, the annotations it holds (span text and attributes)
//! or the errors it raises, and the raw text left when the annotations are removed.

use tally::article::{Article, FileKind};

/// (input, expected annotations as `text{key=value,...}` joined by ` | `, expected error
/// fragments as `at:message-fragment` joined by ` | `, expected raw text)
const CASES: &[(&str, &str, &str, &str)] = &[
    (
        "Plain text, no annotation.",
        "",
        "",
        "Plain text, no annotation.",
    ),
    (
        "[1,217 militants]{event=surrenders source=ru-mod}",
        "1,217 militants{event=surrenders,source=ru-mod}",
        "",
        "1,217 militants",
    ),
    ("He [Putin] said so.", "", "", "He [Putin] said so."),
    (
        "A [link](http://x.org) stays.",
        "",
        "",
        "A [link](http://x.org) stays.",
    ),
    (
        "Escaped \\[not a claim]{event=x}.",
        "",
        "",
        "Escaped [not a claim]{event=x}.",
    ),
    (
        "[8 people]{source=\"Syrian Arab News Agency\" note=\"said \\\"eight\\\"\"}",
        "8 people{source=Syrian Arab News Agency,note=said \"eight\"}",
        "",
        "8 people",
    ),
    ("[93%]{.ignore}", "93%{}", "", "93%"),
    ("[93%]{#id .x event=e}", "93%{event=e}", "", "93%"),
    (
        "[about 500]{value=~500 asof=2016-12-04}",
        "about 500{value=~500,asof=2016-12-04}",
        "",
        "about 500",
    ),
    (
        "[x]{value=1000..1300} [y]{value=>=1000} [z]{value=<300}",
        "x{value=1000..1300} | y{value=>=1000} | z{value=<300}",
        "",
        "x y z",
    ),
    (
        "[5]{value=lots}",
        "5{value=lots}",
        "4:`value=lots` is not a reading",
        "5",
    ),
    (
        "[5]{value=300..100}",
        "5{value=300..100}",
        "4:is not a reading",
        "5",
    ),
    (
        "[5]{asof=2016-02-30}",
        "5{asof=2016-02-30}",
        "4:is not a date",
        "5",
    ),
    (
        "[5]{event=Bad_Id}",
        "5{event=Bad_Id}",
        "4:event id `Bad_Id` is not valid",
        "5",
    ),
    ("[5]{sorce=un}", "5{sorce=un}", "4:unknown key `sorce`", "5"),
    (
        "[5]{event=a event=b}",
        "5{event=a,event=b}",
        "12:`event` is given twice",
        "5",
    ),
    ("[5]{event}", "5{}", "4:expected `key=value`", "5"),
    ("[5]{event=}", "5{}", "4:`event=` has no value", "5"),
    (
        "[5]{note=\"open}",
        "",
        "4:quoted value is never closed",
        "[5]{note=\"open}",
    ),
    (
        "[5]{event=a",
        "",
        "3:attribute block is never closed",
        "[5]{event=a",
    ),
    ("[]{event=a}", "{event=a}", "1:empty span", ""),
    (
        "[5]{event=a b}",
        "5{event=a}",
        "12:expected `key=value`",
        "5",
    ),
    (
        "Two [1]{event=a} and [2]{event=b}.",
        "1{event=a} | 2{event=b}",
        "",
        "Two 1 and 2.",
    ),
    (
        "Nested [a [b] c]{event=x}",
        "a [b] c{event=x}",
        "",
        "Nested a [b] c",
    ),
    (
        "Arabic [٣ محمد 12]{event=x} 😀",
        "٣ محمد 12{event=x}",
        "",
        "Arabic ٣ محمد 12 😀",
    ),
];

fn render(a: &Article, text: &str) -> String {
    a.annotations
        .iter()
        .map(|an| {
            let attrs: Vec<String> = an
                .attrs
                .iter()
                .filter(|x| !x.value.is_empty())
                .map(|x| format!("{}={}", x.key, x.value))
                .collect();
            format!("{}{{{}}}", &text[an.text_span.clone()], attrs.join(","))
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn annotation_parser_cases() {
    let mut failures = Vec::new();
    for (input, anns, errs, raw) in CASES {
        let a = Article::parse(input, FileKind::Markdown);
        let got = render(&a, input);
        if got != *anns {
            failures.push(format!("{input:?}: annotations {got:?}, want {anns:?}"));
        }
        if a.raw_body() != *raw {
            failures.push(format!(
                "{input:?}: raw text {:?}, want {raw:?}",
                a.raw_body()
            ));
        }
        let want_errs: Vec<&str> = errs.split(" | ").filter(|e| !e.is_empty()).collect();
        if a.errors.len() != want_errs.len() {
            failures.push(format!(
                "{input:?}: {} errors {:?}, want {}",
                a.errors.len(),
                a.errors,
                want_errs.len()
            ));
            continue;
        }
        for (e, want) in a.errors.iter().zip(&want_errs) {
            let (at, frag) = want.split_once(':').unwrap();
            let at: usize = at.parse().unwrap();
            if e.span.start != at || !e.message.contains(frag) {
                failures.push(format!(
                    "{input:?}: error at {} {:?}, want at {at} containing {frag:?}",
                    e.span.start, e.message
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn front_matter_and_header_blocks() {
    let md = "---\ntitle: \"Ten fled\"\noutlet: Wire\ndate: 2016-12-08\nextra: kept\n---\nBody.\n";
    let a = Article::parse(md, FileKind::Markdown);
    assert_eq!(a.meta.title.as_deref(), Some("Ten fled"));
    assert_eq!(a.meta.outlet.as_deref(), Some("Wire"));
    assert_eq!(a.meta.valid_date(), Some("2016-12-08"));
    assert_eq!(
        a.meta.extra,
        vec![("extra".to_string(), "kept".to_string())]
    );
    assert_eq!(&md[a.meta.title_span.clone().unwrap()], "Ten fled");
    assert_eq!(a.raw_body(), "Body.\n");

    let txt = "title: Ten fled\ndate: 2016-12-08\n\nBody.\n";
    let a = Article::parse(txt, FileKind::Text);
    assert_eq!(a.meta.title.as_deref(), Some("Ten fled"));
    assert_eq!(a.raw_body(), "Body.\n");

    // A first line that merely has a colon is text, not a header.
    let txt = "Russian military: army holds 93%\n\nBody.\n";
    let a = Article::parse(txt, FileKind::Text);
    assert_eq!(a.meta.title, None);
    assert_eq!(a.raw_body(), txt);

    // Bad YAML and a bad date are errors that point into the front matter; nothing is lost.
    let bad = "---\ntitle: [unclosed\ndate: 2016-13-01\n---\nBody 5 people.\n";
    let a = Article::parse(bad, FileKind::Markdown);
    assert!(!a.errors.is_empty());
    assert!(
        a.errors
            .iter()
            .all(|e| e.span.end <= bad.find("Body").unwrap()),
        "{:?}",
        a.errors
    );
    assert_eq!(a.raw_body(), "Body 5 people.\n");
    let a = Article::parse("---\ndate: 2016-13-01\n---\nx\n", FileKind::Markdown);
    assert!(a.errors[0].message.contains("not YYYY-MM-DD"));
    assert_eq!(a.meta.valid_date(), None);
}

/// Dates: real calendar days written YYYY-MM-DD in ASCII digits, and nothing else.
#[test]
fn dates_are_real_days_in_ascii_digits() {
    use tally::article::valid_date;
    let cases = [
        ("2016-12-08", true),
        ("2016-02-29", true),
        ("2000-02-29", true),
        ("1900-02-29", false),
        ("2015-02-29", false),
        ("2016-04-31", false),
        ("2016-12-31", true),
        ("2016-13-01", false),
        ("2016-00-10", false),
        ("2016-01-00", false),
        ("2016-1-08", false),
        ("16-12-08", false),
        ("2016-12-08 ", false),
        ("2016/12/08", false),
        ("+201-01-01", false),
        ("2016-+1-08", false),
        ("２016-12-08", false),
        ("2016-12-0８", false),
        ("", false),
    ];
    for (s, want) in cases {
        assert_eq!(valid_date(s), want, "{s:?}");
    }
}

/// Event ids: `[a-z0-9][a-z0-9._-]*`, ASCII only.
#[test]
fn event_ids_are_lowercase_ascii_words() {
    use tally::article::valid_event_id;
    let cases = [
        ("aleppo-evacuation", true),
        ("a-b.c_d", true),
        ("1x", true),
        ("x", true),
        ("", false),
        ("-a", false),
        (".a", false),
        ("A", false),
        ("aB", false),
        ("a b", false),
        ("aé", false),
        ("évent", false),
        ("a/b", false),
        ("a:b", false),
    ];
    for (s, want) in cases {
        assert_eq!(valid_event_id(s), want, "{s:?}");
    }
}
