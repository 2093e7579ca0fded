//! Figures: cardinal quantities in text, read as a qualifier, a value and an interval (SPEC 3.1).
//!
//! [`extract`] finds every figure in a text: digits with grouping, number words, qualifiers,
//! ranges with a shared magnitude, percentages, fractions and vague magnitudes, with the noun
//! each counts. It skips what is not a figure (dates, years, times, ordinals, ages, durations,
//! distances, names and codes) and tells claims from incidental counts.

pub(crate) mod lexicon;
mod numbers;
mod reader;
pub(crate) mod tokens;

use std::fmt::Write as _;
use std::ops::Range;

pub use reader::{extract, extract_tokens, read_span};

/// How a figure is qualified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qualifier {
    Exact,
    Lower,
    Upper,
    Approx,
    Range,
    Vague,
}

impl Qualifier {
    pub fn name(self) -> &'static str {
        match self {
            Qualifier::Exact => "exact",
            Qualifier::Lower => "lower",
            Qualifier::Upper => "upper",
            Qualifier::Approx => "approx",
            Qualifier::Range => "range",
            Qualifier::Vague => "vague",
        }
    }
}

/// The value as written: one number, a range, or none for vague magnitudes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Number(f64),
    Range(f64, f64),
    None,
}

/// What kind of quantity a figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    Count,
    Percent,
    Fraction,
    Money,
}

/// A figure's reading: qualifier, value and interval `[low, high]` (`None` = unbounded).
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub qualifier: Qualifier,
    pub value: Value,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// "more than 1,000": the low bound itself is excluded.
    pub low_open: bool,
    /// "fewer than 300": the high bound itself is excluded.
    pub high_open: bool,
    pub kind: UnitKind,
    /// The counted noun ("militants"), or `percent` / `fraction` / a currency code.
    pub unit: Option<String>,
}

/// The relative width of an approximate reading ("about 500" is 450–550).
pub const APPROX: f64 = 0.1;

impl Reading {
    /// A reading from a qualifier and a value, with the interval SPEC 3.1 gives it.
    pub fn new(
        qualifier: Qualifier,
        value: Value,
        kind: UnitKind,
        unit: Option<String>,
    ) -> Reading {
        let (low, high) = match (qualifier, value) {
            (_, Value::Range(a, b)) => (Some(a), Some(b)),
            (Qualifier::Lower, Value::Number(v)) => (Some(v), None),
            (Qualifier::Upper, Value::Number(v)) => (None, Some(v)),
            (Qualifier::Approx, Value::Number(v)) => {
                (Some(v * (1.0 - APPROX)), Some(v * (1.0 + APPROX)))
            }
            (_, Value::Number(v)) => (Some(v), Some(v)),
            (_, Value::None) => (None, None),
        };
        Reading {
            qualifier,
            value,
            low,
            high,
            low_open: false,
            high_open: false,
            kind,
            unit,
        }
    }

    /// The interval widened by a relative tolerance on both sides, unbounded ends as infinities.
    pub fn widened(&self, tolerance: f64) -> (f64, f64) {
        let lo = self.low.map_or(f64::NEG_INFINITY, |l| {
            if l >= 0.0 {
                l * (1.0 - tolerance)
            } else {
                l * (1.0 + tolerance)
            }
        });
        let hi = self.high.map_or(f64::INFINITY, |h| {
            if h >= 0.0 {
                h * (1.0 + tolerance)
            } else {
                h * (1.0 - tolerance)
            }
        });
        (lo, hi)
    }

    /// A point to summarise the reading by (for medians): the value, a range's middle, or
    /// the interval's middle for vague readings; the finite bound for open ones.
    pub fn point(&self) -> Option<f64> {
        match self.value {
            Value::Number(v) => Some(v),
            Value::Range(a, b) => Some((a + b) / 2.0),
            Value::None => match (self.low, self.high) {
                (Some(a), Some(b)) => Some((a + b) / 2.0),
                (a, b) => a.or(b),
            },
        }
    }

    /// The reading in short, as an inlay hint shows it: `1,217`, `≥1,000`, `>1,000`, `≤300`,
    /// `≈450–550`, `4,000–5,000`, `93%`, `0.3333`.
    pub fn short(&self) -> String {
        let f = |v: f64| format_number(v, self.kind);
        match (self.qualifier, self.value) {
            (Qualifier::Exact, Value::Number(v)) => f(v),
            (Qualifier::Lower, Value::Number(v)) => {
                format!("{}{}", if self.low_open { ">" } else { "≥" }, f(v))
            }
            (Qualifier::Upper, Value::Number(v)) => {
                format!("{}{}", if self.high_open { "<" } else { "≤" }, f(v))
            }
            _ => self.interval(),
        }
    }

    /// The interval as text: `≈243,000–297,000`, `[1,000, ∞)`.
    pub fn interval(&self) -> String {
        let f = |v: f64| format_number(v, self.kind);
        let approx = if self.qualifier == Qualifier::Approx {
            "≈"
        } else {
            ""
        };
        match (self.low, self.high) {
            (Some(a), Some(b)) if a == b => f(a),
            (Some(a), Some(b)) => format!("{approx}{}–{}", f(a), f(b)),
            (Some(a), None) => format!("{}{}", if self.low_open { ">" } else { "≥" }, f(a)),
            (None, Some(b)) => format!("{}{}", if self.high_open { "<" } else { "≤" }, f(b)),
            (None, None) => "unknown".into(),
        }
    }
}

/// A number with thousands separators (`1,217`, `243,000`), up to 4 decimals, `%` for percent.
pub fn format_number(v: f64, kind: UnitKind) -> String {
    let mut s = String::new();
    let rounded = (v * 10_000.0).round() / 10_000.0;
    let int = rounded.trunc().abs() as u128;
    let frac = (rounded.abs() - rounded.abs().trunc()) * 10_000.0;
    if rounded < 0.0 {
        s.push('-');
    }
    let digits = int.to_string();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            s.push(',');
        }
        s.push(c);
    }
    let frac = frac.round() as u32;
    if frac > 0 {
        let _ = write!(s, ".{}", format!("{frac:04}").trim_end_matches('0'));
    }
    if kind == UnitKind::Percent {
        s.push('%');
    }
    s
}

/// Claim or incidental (SPEC 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FigureClass {
    /// Quantifies something a source could dispute.
    Claim,
    /// A small count nobody reports as news: found, never warned about.
    Incidental,
}

impl FigureClass {
    pub fn name(self) -> &'static str {
        match self {
            FigureClass::Claim => "claim",
            FigureClass::Incidental => "incidental",
        }
    }
}

/// A figure found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The figure with its qualifier and counted noun ("more than 1,000 Jihadis").
    pub span: Range<usize>,
    /// Just the numeral ("1,000", "one thousand", "4-5,000").
    pub number_span: Range<usize>,
    pub reading: Reading,
    pub class: FigureClass,
}
