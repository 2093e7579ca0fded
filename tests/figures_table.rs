//! The figure-reading table: every phrase in `tests/data/figures.tsv` read as the table says.

use tally::figures::{extract, Value};

fn num(s: &str) -> Option<f64> {
    (s != "-").then(|| {
        s.parse::<f64>()
            .unwrap_or_else(|_| panic!("bad number {s:?} in figures.tsv"))
    })
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-3_f64.max(b.abs() * 1e-4),
        (None, None) => true,
        _ => false,
    }
}

#[test]
fn every_phrase_reads_as_the_table_says() {
    let table = include_str!("data/figures.tsv");
    let mut failures = Vec::new();
    let mut rows = 0;
    for (n, line) in table.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        rows += 1;
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            cols.len(),
            7,
            "figures.tsv:{}: expected 7 columns: {line:?}",
            n + 1
        );
        let [phrase, class, qualifier, value, low, high, unit] = cols[..] else {
            unreachable!()
        };
        let figs = extract(phrase);
        let at = format!("figures.tsv:{}: {phrase:?}", n + 1);
        if class == "none" {
            if !figs.is_empty() {
                failures.push(format!(
                    "{at}: expected no figure, found {:?}",
                    figs.iter()
                        .map(|f| &phrase[f.span.clone()])
                        .collect::<Vec<_>>()
                ));
            }
            continue;
        }
        let Some(f) = figs.first() else {
            failures.push(format!("{at}: expected a {class} figure, found none"));
            continue;
        };
        if figs.len() > 1 {
            failures.push(format!(
                "{at}: expected one figure, found {:?}",
                figs.iter()
                    .map(|f| &phrase[f.span.clone()])
                    .collect::<Vec<_>>()
            ));
        }
        let r = &f.reading;
        let mut wrong = Vec::new();
        if f.class.name() != class {
            wrong.push(format!("class {} (want {class})", f.class.name()));
        }
        if r.qualifier.name() != qualifier {
            wrong.push(format!(
                "qualifier {} (want {qualifier})",
                r.qualifier.name()
            ));
        }
        let value_ok = match (r.value, value) {
            (Value::None, "-") => true,
            (Value::Range(a, b), v) if v.contains("..") => {
                let (x, y) = v.split_once("..").unwrap();
                close(Some(a), num(x)) && close(Some(b), num(y))
            }
            (Value::Number(a), v) if !v.contains("..") => close(Some(a), num(v)),
            _ => false,
        };
        if !value_ok {
            wrong.push(format!("value {:?} (want {value})", r.value));
        }
        if !close(r.low, num(low)) || !close(r.high, num(high)) {
            wrong.push(format!(
                "interval {:?}..{:?} (want {low}..{high})",
                r.low, r.high
            ));
        }
        if unit != "*" && r.unit.as_deref() != Some(unit) {
            wrong.push(format!("unit {:?} (want {unit})", r.unit));
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{at}: read {:?} as {}",
                &phrase[f.span.clone()],
                wrong.join(", ")
            ));
        }
    }
    assert!(
        rows >= 150,
        "the table should have at least 150 rows, has {rows}"
    );
    assert!(
        failures.is_empty(),
        "{} of {rows} rows wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
