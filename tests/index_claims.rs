//! The index's shortcut reading of an article (linked claims only, the other figures neither
//! attributed nor made into claims) gives exactly the index entries the whole analysis gives.

#[path = "../benches/common/gen.rs"]
mod gen;

use std::path::Path;

use tally::analysis::{linked_claims, ArticleAnalysis};
use tally::corpus::{ClaimRef, EventIndex};
use tally::{analyze, Config, FileKind};

fn same_entries(text: &str, kind: FileKind, config: &Config, what: &str) -> usize {
    let a = analyze(text, kind, config);
    let whole = ClaimRef::all(3, &a);
    let (article, claims) = linked_claims(text, kind, config);
    let linked = ClaimRef::linked(3, &article, &claims);
    assert_eq!(linked, whole, "{what}");
    reads_back(&a, what);
    whole.len()
}

/// The index's compact record of every linked claim (strings by number, the reading by its
/// bounds) reads back what the claim says: its place, text, as-of date, article outlet and
/// date, and its reading's bounds, interval, widened interval and point.
fn reads_back(a: &ArticleAnalysis, what: &str) {
    let mut index = EventIndex::new();
    index.insert(5, a);
    for c in &a.claims {
        let Some(event) = c.event_id() else { continue };
        let r = index
            .claims(event)
            .iter()
            .find(|r| r.span() == c.span)
            .unwrap_or_else(|| panic!("{what}: {:?} not indexed", c.text));
        let want = &c.reading;
        assert_eq!(r.doc(), 5, "{what}");
        assert_eq!(index.text(r), c.text, "{what}");
        assert_eq!(index.asof(r), c.asof.as_deref(), "{what}");
        assert_eq!(index.outlet(r), a.article.meta.outlet.as_deref(), "{what}");
        assert_eq!(index.date(r), a.article.meta.valid_date(), "{what}");
        assert_eq!(
            (r.low(), r.high(), r.point()),
            (want.low, want.high, want.point())
        );
        assert_eq!(
            (r.kind, r.qualifier, r.attribution),
            (want.kind, want.qualifier, c.attribution.kind)
        );
        assert_eq!(r.interval(), want.interval(), "{what}: {:?}", c.text);
        for t in [0.0, 0.05, 0.1, 0.5] {
            let (w, g) = (want.widened(t), r.widened(t));
            assert_eq!(
                (w.0.to_bits(), w.1.to_bits()),
                (g.0.to_bits(), g.1.to_bits())
            );
        }
    }
}

/// Generated articles: every figure form, named, vague and missing sources, quotations,
/// repeats, annotations with `source=`, `asof=` and `value=`.
#[test]
fn generated_articles() {
    let events = gen::events(3000);
    let config = Config::parse(&gen::config(&events)).unwrap();
    let mut linked = 0;
    for i in 0..300 {
        let text = gen::article(i, 3000, &events, 5000);
        linked += same_entries(&text, FileKind::Markdown, &config, &format!("article {i}"));
    }
    assert!(linked > 1000, "few linked claims ({linked})");
}

/// The example corpus and every check fixture, with their settings.
#[test]
fn example_and_fixture_articles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut folders = vec![root.join("examples/aleppo-evacuation")];
    for entry in std::fs::read_dir(root.join("tests/fixtures/check")).unwrap() {
        folders.push(entry.unwrap().path());
    }
    let mut files = 0;
    for folder in folders {
        let config = std::fs::read_to_string(folder.join("tally.toml"))
            .ok()
            .and_then(|t| Config::parse(&t).ok())
            .unwrap_or_default();
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let kind = match path.extension().and_then(|e| e.to_str()) {
                Some("md") => FileKind::Markdown,
                Some("txt") if path.file_name().is_some_and(|n| n != "expected.txt") => {
                    FileKind::Text
                }
                _ => continue,
            };
            let text = std::fs::read_to_string(&path).unwrap();
            same_entries(&text, kind, &config, &path.display().to_string());
            files += 1;
        }
    }
    assert!(files > 20, "only {files} articles");
}
