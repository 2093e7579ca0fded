//! Snapshots (`expect-test`): how one short article reads, figure by figure, and what
//! `tally check` says about a two-article corpus. Update with `UPDATE_EXPECT=1 cargo test`.

use expect_test::expect;
use tally::article::FileKind;
use tally::checks::{article_checks, event_checks};
use tally::corpus::EventIndex;
use tally::{analyze, Config};

fn readings(text: &str) -> String {
    let a = analyze(text, FileKind::Markdown, &Config::default());
    a.claims
        .iter()
        .map(|c| {
            format!(
                "{:?} {} {} {} {} | {} {}\n",
                c.text,
                c.class.name(),
                c.reading.qualifier.name(),
                c.reading.interval(),
                c.reading.unit.as_deref().unwrap_or("-"),
                c.attribution.kind.name(),
                c.attribution.source.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn a_short_dispatch_reads_figure_by_figure() {
    let text = "\
Defence ministry: 1,200 fighters surrender in eastern Aleppo

More than 20 thousand civilians left on Saturday morning, the Russian military said. \
Five children were among them.

Activists said dozens of people were killed on 7 December, while some reports put the toll \
at between 40 and 50. A 36-year-old nurse said she had waited for 17 days.

“About 3,000 gunmen remain,” a UN official told reporters, adding that 93% of the district was \
now held by the army.
";
    expect![[r#"
        "1,200 fighters" claim exact 1,200 fighters | named Defence ministry
        "More than 20 thousand civilians" claim lower >20,000 civilians | named the Russian military
        "Five children" claim exact 5 children | named the Russian military
        "dozens of people" claim vague 24–99 people | vague Activists
        "between 40 and 50" claim range 40–50 - | vague some reports
        "About 3,000 gunmen" claim approx ≈2,700–3,300 gunmen | vague a UN official
        "93%" claim exact 93% percent | vague a UN official
    "#]]
    .assert_eq(&readings(text));
}

#[test]
fn a_conflict_between_two_articles() {
    let config = Config::parse(
        "[sources.un]\nname = \"United Nations\"\naliases = [\"UN\"]\n\
         [events.besieged]\ntitle = \"Civilians besieged\"\ntolerance = 0.1\n",
    )
    .unwrap();
    let a = analyze(
        "The UN said [some 250,000 civilians]{event=besieged} were trapped.\n",
        FileKind::Markdown,
        &config,
    );
    let b = analyze(
        "---\nauthor: A. Blogger\n---\nI doubt there are more than [about 30,000]{event=besieged source=author}.\n",
        FileKind::Markdown,
        &config,
    );
    let mut index = EventIndex::new();
    index.insert(0, &a);
    index.insert(1, &b);
    let mut out = String::new();
    let mut diags = article_checks(0, &a, &config);
    diags.extend(article_checks(1, &b, &config));
    diags.extend(event_checks(&index, &config));
    for d in diags {
        out.push_str(&format!(
            "{}@{}..{} {}: {}\n",
            d.doc,
            d.span.start,
            d.span.end,
            d.code.name(),
            d.message
        ));
        for r in d.related {
            out.push_str(&format!(
                "    -> {}@{}..{} {}\n",
                r.doc, r.span.start, r.span.end, r.message
            ));
        }
    }
    expect![[r#"
        0@13..35 conflicting-figure: "some 250,000 civilians" (≈225,000–275,000, United Nations) conflicts with 1 other reading of `besieged` (Civilians besieged): A. Blogger (author): "about 30,000" (≈27,000–33,000); check the sources or split the event
            -> 1@56..68 A. Blogger (author): "about 30,000" (≈27,000–33,000)
        1@56..68 conflicting-figure: "about 30,000" (≈27,000–33,000, A. Blogger (author)) conflicts with 1 other reading of `besieged` (Civilians besieged): United Nations: "some 250,000 civilians" (≈225,000–275,000); check the sources or split the event
            -> 0@13..35 United Nations: "some 250,000 civilians" (≈225,000–275,000)
    "#]].assert_eq(&out);
}
