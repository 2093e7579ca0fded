//! Attribution cases: each text of `tests/data/attribution.txt` credits its figures as the
//! case says (SPEC 3.2).

use tally::article::FileKind;
use tally::attribution::AttributionKind;
use tally::{analyze, Config};

struct Case {
    name: String,
    line: usize,
    text: String,
    expect: Vec<(String, String, Option<String>)>,
}

fn cases() -> Vec<Case> {
    let data = include_str!("data/attribution.txt");
    let mut out: Vec<Case> = Vec::new();
    for (n, line) in data.lines().enumerate() {
        if let Some(name) = line.strip_prefix("=== ") {
            out.push(Case {
                name: name.trim().to_string(),
                line: n + 1,
                text: String::new(),
                expect: Vec::new(),
            });
        } else if let Some(e) = line.strip_prefix("--- ") {
            let case = out.last_mut().expect("expectation before the first case");
            let (fig, rest) = e
                .rsplit_once(": ")
                .unwrap_or_else(|| panic!("attribution.txt:{}: bad expectation {e:?}", n + 1));
            let rest = rest.trim();
            let (kind, source) = match rest.split_once(' ') {
                Some((k, s)) => (k.to_string(), Some(s.trim().trim_matches('"').to_string())),
                None => (rest.to_string(), None),
            };
            case.expect.push((fig.trim().to_string(), kind, source));
        } else if let Some(case) = out.last_mut() {
            if case.expect.is_empty() {
                case.text.push_str(line);
                case.text.push('\n');
            }
        }
    }
    out
}

#[test]
fn every_case_is_attributed_as_expected() {
    let config = Config::default();
    let mut failures = Vec::new();
    let mut checked = 0;
    let all = cases();
    for case in &all {
        let a = analyze(&case.text, FileKind::Markdown, &config);
        for (fig, kind, source) in &case.expect {
            checked += 1;
            let Some(c) = a
                .claims
                .iter()
                .find(|c| case.text[c.span.clone()].contains(fig.as_str()))
            else {
                failures.push(format!(
                    "line {} {}: no figure {fig:?} found",
                    case.line, case.name
                ));
                continue;
            };
            let got = &c.attribution;
            let kind_ok = got.kind.name() == kind;
            let source_ok = match (source, &got.source) {
                (None, _) => true,
                (Some(want), Some(have)) => have.to_lowercase().contains(&want.to_lowercase()),
                (Some(_), None) => false,
            };
            if !kind_ok || !source_ok || (kind == "none" && got.kind != AttributionKind::None) {
                failures.push(format!(
                    "line {} {}: {fig:?} attributed {} {:?} (via {:?}), want {kind} {:?}",
                    case.line,
                    case.name,
                    got.kind.name(),
                    got.source,
                    got.via,
                    source
                ));
            }
        }
    }
    assert!(
        all.len() >= 30,
        "expected at least 30 cases, found {}",
        all.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} expectations wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
