//! Numerals: digits with grouping, number words, magnitudes, fractions and vague magnitudes.

use super::lexicon::{
    fraction_denominator, is_tens, magnitude, may_start_numeral, small_number, vague_plural,
};
use super::reader::Ctx;
use super::tokens::{is_group_sep, Kind};

/// A numeral: the tokens it covers and what it reads as.
#[derive(Debug, Clone, PartialEq)]
pub struct Numeral {
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    pub value: f64,
    /// A vague magnitude's interval ("hundreds" → 100–999).
    pub vague: Option<(f64, f64)>,
    pub fraction: bool,
    /// Written in words ("four", "one thousand").
    pub words: bool,
    /// Digits with a thousands separator.
    pub grouped: bool,
    /// A decimal point in the digits.
    pub decimal: bool,
    /// The product of the magnitude words after it ("thousand" → 1,000), 1 without.
    pub magnitude: f64,
    /// Just the word "one" or "a": a figure only when it counts a noun.
    pub bare_one: bool,
}

impl Ctx<'_> {
    /// The numeral starting at token `i`, if any.
    pub fn numeral_at(&self, i: usize) -> Option<Numeral> {
        match self.toks.get(i)?.kind {
            Kind::Number => self.digit_numeral(i),
            Kind::Word => self.word_numeral(i),
            _ => None,
        }
    }

    fn digit_numeral(&self, i: usize) -> Option<Numeral> {
        let s = self.tok(i);
        // A dot followed by other than exactly three digits, or the only dot: decimal.
        let bytes = s.as_bytes();
        let decimal_point = match bytes.iter().filter(|&&c| c == b'.').count() {
            1 => s.find('.').filter(|&p| p > 0),
            _ => None,
        };
        // The digits' value, exact while it fits in 15 digits with no decimal part (as `parse`
        // reads it); other numbers are parsed from their digits.
        let mut int: u64 = 0;
        let mut n_digits = 0;
        let mut grouped = false;
        for (k, c) in s.char_indices() {
            if c.is_ascii_digit() {
                if n_digits < 15 {
                    int = int * 10 + (c as u64 - '0' as u64);
                }
                n_digits += 1;
            } else if Some(k) != decimal_point && is_group_sep(c) {
                grouped = true;
            }
        }
        let value: f64 = if decimal_point.is_none() && n_digits <= 15 {
            int as f64
        } else {
            let mut digits = String::with_capacity(s.len());
            for (k, c) in s.char_indices() {
                if c.is_ascii_digit() {
                    digits.push(c);
                } else if Some(k) == decimal_point {
                    digits.push('.');
                }
            }
            digits.parse().ok()?
        };
        let mut n = Numeral {
            start: i,
            end: i + 1,
            value,
            vague: None,
            fraction: false,
            words: false,
            grouped,
            decimal: decimal_point.is_some(),
            magnitude: 1.0,
            bare_one: false,
        };
        self.magnitudes(&mut n);
        Some(n)
    }

    /// Magnitude words after a numeral: "20 thousand", "1.5 million", "10k", "two hundred thousand".
    fn magnitudes(&self, n: &mut Numeral) {
        // "10k" / "3bn" written together.
        if let Some(j) = self.adjacent_next(n.end - 1) {
            let w = self.word(j);
            let m = match w {
                "k" => Some(1e3),
                "bn" | "mln" => magnitude(w),
                _ => None,
            };
            if let Some(m) = m {
                n.value *= m;
                n.magnitude *= m;
                n.end = j + 1;
            }
        }
        while let Some(j) = self.next_word_inline(n.end - 1) {
            let w = self.word(j);
            match magnitude(w) {
                Some(m) if n.magnitude < m || w == "hundred" && n.magnitude == 1.0 => {
                    n.value *= m;
                    n.magnitude *= m;
                    n.end = j + 1;
                }
                _ => break,
            }
        }
    }

    fn word_numeral(&self, i: usize) -> Option<Numeral> {
        let w = self.word(i);
        // "a" and "an" are mostly articles: a numeral only before the words below ("a few",
        // "a dozen", "a third of", "a hundred"), so the others are turned away at once, with
        // no look-up of the article itself.
        if w == "a" || w == "an" {
            if !self
                .next_word_inline(i)
                .is_some_and(|j| may_follow_a(self.word(j)))
            {
                return None;
            }
        } else if !may_start_numeral(w) {
            // Most words start no numeral: skip them before trying every form below.
            return None;
        }
        self.read_word_numeral(i, w)
    }

    /// The numeral in words starting at word `i`, whose lowercase form is `w`: every form
    /// tried ([`Ctx::word_numeral`] turns most words away first).
    fn read_word_numeral(&self, i: usize, w: &str) -> Option<Numeral> {
        let base = Numeral {
            start: i,
            end: i + 1,
            value: 0.0,
            vague: None,
            fraction: false,
            words: true,
            grouped: false,
            decimal: false,
            magnitude: 1.0,
            bare_one: false,
        };
        // Vague magnitudes: "hundreds", "tens of thousands", "hundreds of thousands", "hundred-thousands".
        if let Some(v) = self.vague_at(i) {
            return Some(Numeral {
                end: v.2,
                vague: Some((v.0, v.1)),
                ..base
            });
        }
        // "several hundred", "a few thousand", "many thousands".
        if matches!(w, "several" | "few" | "many")
            || (w == "a"
                && self
                    .next_word_inline(i)
                    .is_some_and(|j| self.word(j) == "few"))
        {
            let mut j = self.next_word_inline(i)?;
            if self.word(j) == "few" {
                j = self.next_word_inline(j)?;
            }
            let m = self.word(j);
            if let Some(m) = magnitude(m) {
                return Some(Numeral {
                    end: j + 1,
                    vague: Some((2.0 * m, 10.0 * m - 1.0)),
                    ..base
                });
            }
            if let Some(v) = self.vague_at(j) {
                return Some(Numeral {
                    end: v.2,
                    vague: Some((v.0, v.1)),
                    ..base
                });
            }
            return None;
        }
        // The word's value as a cardinal, looked up once for the fraction and the cardinal
        // readings below.
        let small = small_number(w);
        // Fractions: "half of", "a third of", "one-third", "two-thirds", "three quarters of".
        if let Some(f) = self.fraction_at(i, small) {
            return Some(f);
        }
        // "a dozen", "a hundred", "a thousand", "half a million".
        if w == "a" || w == "an" {
            let j = self.next_word_inline(i)?;
            let m = self.word(j);
            let v = if m == "dozen" { 12.0 } else { magnitude(m)? };
            let mut n = Numeral {
                end: j + 1,
                value: v,
                magnitude: if m == "dozen" { 1.0 } else { v },
                ..base
            };
            self.magnitudes(&mut n);
            return Some(n);
        }
        if w == "half" {
            let j = self.next_word_inline(i)?;
            if self.word(j) == "a" {
                let k = self.next_word_inline(j)?;
                let m = magnitude(self.word(k)).filter(|&m| m >= 1e3)?;
                return Some(Numeral {
                    end: k + 1,
                    value: m / 2.0,
                    magnitude: m,
                    ..base
                });
            }
            return None;
        }
        // Cardinal words: "four", "twenty-five", "two hundred and fifty", "one thousand".
        small?;
        let mut total: f64 = 0.0;
        let mut current: f64 = 0.0;
        let mut j = i;
        let mut end = i;
        let mut last_small: Option<f64> = None; // the last unit/tens word, to stop "one two"
        let mut scale: f64 = 1.0;
        loop {
            let w = self.word(j);
            // The first word's value is at hand; the others are looked up.
            let value = if j == i { small } else { small_number(w) };
            if let Some(v) = value {
                if let Some(prev) = last_small {
                    // "twenty five" continues; "one two" does not.
                    if !(is_tens_value(prev) && v < 10.0 && v > 0.0) {
                        break;
                    }
                }
                current += v;
                last_small = Some(v);
                end = j + 1;
                // "twenty-five"
                if is_tens(w) {
                    if let Some(h) = self.adjacent_next(j).filter(|&h| self.is_punct(h, '-')) {
                        if let Some(u) = self.adjacent_next(h) {
                            if let Some(uv) =
                                small_number(self.word(u)).filter(|&uv| uv > 0.0 && uv < 10.0)
                            {
                                current += uv;
                                last_small = Some(uv);
                                end = u + 1;
                                j = u;
                            }
                        }
                    }
                }
            } else if w == "hundred" && end > i {
                current = current.max(1.0) * 100.0;
                last_small = None;
                scale = scale.max(100.0);
                end = j + 1;
            } else if w == "dozen" && end > i {
                current = current.max(1.0) * 12.0;
                last_small = None;
                end = j + 1;
            } else if let Some(m) = magnitude(w).filter(|&m| m >= 1e3 && end > i) {
                total += current.max(1.0) * m;
                current = 0.0;
                last_small = None;
                scale = scale.max(m);
                end = j + 1;
            } else if w == "and" && end > i && last_small.is_none() {
                // "two hundred and fifty": only when a number word follows.
                let Some(k) = self.next_word_inline(j) else {
                    break;
                };
                if small_number(self.word(k)).is_none() {
                    break;
                }
            } else {
                break;
            }
            let Some(k) = self.next_word_inline(j) else {
                break;
            };
            // Don't join a number word to a following fraction ("two-thirds" handled above).
            j = k;
        }
        let value = total + current;
        let bare_one = end == i + 1 && w == "one";
        Some(Numeral {
            end,
            value,
            magnitude: scale,
            bare_one,
            ..base
        })
    }

    /// A vague magnitude at `i`: (low, high, end token).
    fn vague_at(&self, i: usize) -> Option<(f64, f64, usize)> {
        let w = self.word(i);
        // "hundred-thousands", "tens-of-thousands"
        if w == "hundred" || w == "hundreds" || w == "tens" {
            if let Some(h) = self.adjacent_next(i).filter(|&h| self.is_punct(h, '-')) {
                if let Some(k) = self.adjacent_next(h) {
                    let next = self.word(k);
                    if let Some((lo, hi)) = vague_plural(next).filter(|_| next != "dozens") {
                        let f = if w == "tens" { 10.0 } else { 100.0 };
                        return Some((lo * f, (hi + 1.0) * f - 1.0, k + 1));
                    }
                    if next == "of" {
                        if let Some(h2) = self.adjacent_next(k).filter(|&h2| self.is_punct(h2, '-'))
                        {
                            if let Some(k2) = self.adjacent_next(h2) {
                                if let Some((lo, hi)) = vague_plural(self.word(k2)) {
                                    let f = if w == "tens" { 10.0 } else { 100.0 };
                                    return Some((lo * f, (hi + 1.0) * f - 1.0, k2 + 1));
                                }
                            }
                        }
                    }
                }
            }
        }
        // "tens of thousands", "hundreds of thousands", "tens of millions"
        if w == "tens" || w == "hundreds" {
            let f = if w == "tens" { 10.0 } else { 100.0 };
            if let Some(of) = self.next_word_inline(i).filter(|&o| self.word(o) == "of") {
                if let Some(k) = self.next_word_inline(of) {
                    let m = self.word(k);
                    if matches!(m, "thousands" | "millions" | "billions") {
                        let (lo, hi) = vague_plural(m)?;
                        return Some((lo * f, (hi + 1.0) * f - 1.0, k + 1));
                    }
                }
            }
            if w == "tens" {
                return None;
            }
        }
        let (lo, hi) = vague_plural(w)?;
        if w == "scores"
            && self
                .next_word_inline(i)
                .is_none_or(|o| self.word(o) != "of")
        {
            return None;
        }
        Some((lo, hi, i + 1))
    }

    /// A fraction at `i`, whose word has the cardinal value `small` ([`small_number`]).
    fn fraction_at(&self, i: usize, small: Option<f64>) -> Option<Numeral> {
        let w = self.word(i);
        let base = Numeral {
            start: i,
            end: i + 1,
            value: 0.0,
            vague: None,
            fraction: true,
            words: true,
            grouped: false,
            decimal: false,
            magnitude: 1.0,
            bare_one: false,
        };
        // "one-third", "two-thirds", "three-quarters"
        if let Some(num) = small.filter(|&v| (1.0..10.0).contains(&v)) {
            if let Some(h) = self.adjacent_next(i).filter(|&h| self.is_punct(h, '-')) {
                if let Some(k) = self.adjacent_next(h) {
                    let d = self.word(k);
                    if let Some(den) =
                        fraction_denominator(d).filter(|_| d != "half" && d != "halves")
                    {
                        if num < den && (num == 1.0) != d.ends_with('s') {
                            return Some(Numeral {
                                end: k + 1,
                                value: num / den,
                                ..base
                            });
                        }
                    }
                }
            }
            // "two thirds of", "one third of"
            if let Some(k) = self.next_word_inline(i) {
                let d = self.word(k);
                if let Some(den) = fraction_denominator(d).filter(|_| d != "half" && d != "halves")
                {
                    if num < den && (num == 1.0) != d.ends_with('s') && self.followed_by_of(k) {
                        return Some(Numeral {
                            end: k + 1,
                            value: num / den,
                            ..base
                        });
                    }
                }
            }
            return None;
        }
        // "a third of", "a quarter of", "half of", "by half"
        if w == "a" {
            let k = self.next_word_inline(i)?;
            let d = self.word(k);
            let den = fraction_denominator(d)
                .filter(|_| d == "third" || d == "quarter" || d == "fifth" || d == "tenth")?;
            return self.followed_by_of(k).then(|| Numeral {
                end: k + 1,
                value: 1.0 / den,
                ..base
            });
        }
        if w == "half" {
            let before = self
                .prev_word_inline(i)
                .map(|p| self.word(p))
                .unwrap_or_default();
            if matches!(
                before,
                "first"
                    | "second"
                    | "last"
                    | "latter"
                    | "former"
                    | "other"
                    | "next"
                    | "previous"
                    | "top"
                    | "bottom"
                    | "better"
                    | "western"
                    | "eastern"
                    | "northern"
                    | "southern"
                    | "upper"
                    | "lower"
                    | "front"
                    | "back"
                    | "left"
                    | "right"
                    | "old"
                    | "new"
                    | "inner"
                    | "outer"
            ) {
                return None;
            }
            if self.followed_by_of(i) || before == "by" || before == "than" {
                return Some(Numeral { value: 0.5, ..base });
            }
        }
        None
    }

    fn followed_by_of(&self, i: usize) -> bool {
        self.next_word_inline(i)
            .is_some_and(|k| self.word(k) == "of")
    }
}

/// Whether a numeral may start at "a" or "an" followed by the word `w` (a superset of what
/// [`Ctx::read_word_numeral`] reads there: "few", "dozen", a fraction word, a magnitude).
fn may_follow_a(w: &str) -> bool {
    matches!(w, "few" | "dozen" | "third" | "quarter" | "fifth" | "tenth") || magnitude(w).is_some()
}

fn is_tens_value(v: f64) -> bool {
    (20.0..100.0).contains(&v) && v % 10.0 == 0.0
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize_lowered;
    use super::*;

    /// Numerals in words, read with each word looked up once: (text, value, tokens covered,
    /// fraction, vague interval).
    #[test]
    fn word_numerals_table() {
        let table: &[(&str, Option<(f64, usize, bool, Option<(f64, f64)>)>)] = &[
            ("four people", Some((4.0, 1, false, None))),
            ("zero people", Some((0.0, 1, false, None))),
            ("twenty-five people", Some((25.0, 3, false, None))),
            ("twenty five people", Some((25.0, 3, false, None))),
            ("ninety-nine", Some((99.0, 3, false, None))),
            ("one two", Some((1.0, 1, false, None))),
            (
                "two hundred and fifty people",
                Some((250.0, 7, false, None)),
            ),
            ("two hundred and people", Some((200.0, 3, false, None))),
            ("one thousand people", Some((1000.0, 3, false, None))),
            ("seven hundred thousand", Some((700_000.0, 5, false, None))),
            ("one-third of", Some((1.0 / 3.0, 3, true, None))),
            ("two-thirds", Some((2.0 / 3.0, 3, true, None))),
            ("two thirds of", Some((2.0 / 3.0, 3, true, None))),
            ("three quarters of", Some((0.75, 3, true, None))),
            ("one third", Some((1.0, 1, false, None))),
            ("two-halves", Some((2.0, 1, false, None))),
            ("a third of", Some((1.0 / 3.0, 3, true, None))),
            ("half of", Some((0.5, 1, true, None))),
            ("a dozen people", Some((12.0, 3, false, None))),
            ("a hundred thousand", Some((100_000.0, 5, false, None))),
            ("half a million", Some((500_000.0, 5, false, None))),
            (
                "a few thousand",
                Some((0.0, 5, false, Some((2000.0, 9999.0)))),
            ),
            (
                "several hundred",
                Some((0.0, 3, false, Some((200.0, 999.0)))),
            ),
            (
                "hundreds of thousands",
                Some((0.0, 5, false, Some((100_000.0, 999_999.0)))),
            ),
            ("a statement", None),
            ("an estimated", None),
            ("half", None),
            ("fifth", None),
            ("people", None),
        ];
        for &(text, want) in table {
            let lowered = text.to_ascii_lowercase();
            let mut aside = String::new();
            let (toks, lower) = tokenize_lowered(text, &lowered, &mut aside);
            let cx = Ctx::new(text, &toks, lower.forms(), false);
            let got = cx
                .numeral_at(0)
                .map(|n| (n.value, n.end - n.start, n.fraction, n.vague));
            assert_eq!(got, want, "{text:?}");
        }
    }

    /// "a" and "an" before any word of the lexicon or of the bench texts read as when every
    /// form is tried: the quick refusal drops no numeral.
    #[test]
    fn articles_turned_away_start_no_numeral() {
        let next = [
            "few",
            "dozen",
            "dozens",
            "third",
            "thirds",
            "quarter",
            "fifth",
            "sixth",
            "tenth",
            "half",
            "halves",
            "hundred",
            "hundreds",
            "thousand",
            "million",
            "mln",
            "bn",
            "billion",
            "trillion",
            "k",
            "one",
            "two",
            "several",
            "many",
            "score",
            "scores",
            "minimum",
            "maximum",
            "statement",
            "pause",
            "the",
            "of",
            "a",
            "an",
            "1,000",
            "5",
            "-",
            "",
        ];
        for a in ["a", "an", "A", "An"] {
            for x in next {
                for tail in [
                    "",
                    " of",
                    " of the",
                    " thousand people",
                    " hundred",
                    " few",
                    "s",
                ] {
                    let text = format!("{a} {x}{tail} fighters");
                    let lowered = text.to_ascii_lowercase();
                    let mut aside = String::new();
                    let (toks, lower) = tokenize_lowered(&text, &lowered, &mut aside);
                    let cx = Ctx::new(&text, &toks, lower.forms(), false);
                    let w = lower.get(0);
                    assert_eq!(cx.numeral_at(0), cx.read_word_numeral(0, w), "{text:?}");
                }
            }
        }
    }
}
