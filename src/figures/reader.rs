//! The figure reader: numerals with their qualifiers, ranges, units and nouns, and the
//! filters that keep dates, times, ordinals, ages, durations, distances and codes out.

use std::borrow::Cow;
use std::ops::Range;

use super::lexicon::*;
use super::numbers::Numeral;
use super::tokens::{tokenize_lowered, Kind, Lower, Token};
use super::{Figure, FigureClass, Qualifier, Reading, UnitKind, Value};

/// Tokens of a text with their lowercase forms: what the reader walks over.
pub struct Ctx<'t> {
    pub text: &'t str,
    pub toks: &'t [Token],
    /// Each token's lowercase form ([`Lower::forms`]).
    lower: &'t [&'t str],
    /// Read an annotated span: skip the filters that say "no figure here".
    forced: bool,
}

/// Every figure in a text, in order.
pub fn extract(text: &str) -> Vec<Figure> {
    let lowered = text.to_ascii_lowercase();
    let mut aside = String::new();
    let (toks, lower) = tokenize_lowered(text, &lowered, &mut aside);
    extract_tokens(text, &toks, &lower)
}

/// [`extract`] over the text's tokens and their lowercase forms ([`tokenize_lowered`]), for a
/// caller that reads the same tokens again (attribution does).
pub fn extract_tokens<'t>(text: &'t str, toks: &'t [Token], lower: &'t Lower<'t>) -> Vec<Figure> {
    let cx = Ctx::new(text, toks, lower.forms(), false);
    // Room for the figures of most texts, so the list is not grown while reading.
    let mut out = Vec::with_capacity(toks.len() / 32 + 4);
    // Only the tokens where a numeral may start are looked at; `i` is the first token not
    // read yet, and no token starting before byte `covered` is read either.
    let mut i = 0;
    let mut covered = 0;
    for &s in lower.numeral_starts() {
        if s < i || cx.toks.get(s).is_some_and(|t| t.span.start < covered) {
            continue;
        }
        i = s;
        let Some((fig, next)) = cx.figure_at(i) else {
            i += 1;
            continue;
        };
        i = next.max(i + 1);
        if let Some(mut f) = fig {
            // Never read a token twice: skip what the figure covers ("3 to 4 million").
            covered = f.span.end;
            // Figures never overlap: a qualifier the figure before took as its noun stays
            // with that figure.
            let floor = out.last().map_or(0, |p: &Figure| p.span.end);
            if f.span.start < floor {
                if f.number_span.start < floor {
                    continue;
                }
                f.span.start = f.number_span.start;
            }
            out.push(f);
        }
    }
    out
}

/// The figure in an annotated span that the ordinary reader skipped (say a year the analyst
/// marked as a claim): the span read on its own with the "not a figure" filters off.
pub fn read_span(text: &str, span: Range<usize>) -> Option<Figure> {
    let sub = text.get(span.clone())?;
    let lowered = sub.to_ascii_lowercase();
    let mut aside = String::new();
    let (toks, lower) = tokenize_lowered(sub, &lowered, &mut aside);
    let cx = Ctx::new(sub, &toks, lower.forms(), true);
    (0..cx.toks.len())
        .find_map(|i| cx.figure_at(i).and_then(|(f, _)| f))
        .map(|mut f| {
            f.span = f.span.start + span.start..f.span.end + span.start;
            f.number_span = f.number_span.start + span.start..f.number_span.end + span.start;
            f.class = FigureClass::Claim;
            f
        })
}

impl<'t> Ctx<'t> {
    /// The reader over `text`, its tokens and their lowercase forms ([`tokenize_lowered`]).
    pub(super) fn new(
        text: &'t str,
        toks: &'t [Token],
        lower: &'t [&'t str],
        forced: bool,
    ) -> Ctx<'t> {
        Ctx {
            text,
            toks,
            lower,
            forced,
        }
    }

    pub fn tok(&self, i: usize) -> &'t str {
        &self.text[self.toks[i].span.clone()]
    }

    /// The lowercase word at `i`, or "" when it is not a word.
    pub fn word(&self, i: usize) -> &str {
        self.lower.get(i).copied().unwrap_or("")
    }

    fn w(&self, i: usize) -> &str {
        self.word(i)
    }

    /// Whether token `i` is punctuation starting with `c`.
    #[inline]
    pub fn is_punct(&self, i: usize, c: char) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.kind == Kind::Punct && self.punct_is(t.span.start, c))
    }

    /// Whether the text at byte `at`, the start of a punctuation token, is `c`: its bytes
    /// compared, with no slicing of the text (a punctuation token is one character).
    #[inline]
    fn punct_is(&self, at: usize, c: char) -> bool {
        let mut buf = [0u8; 4];
        let want = c.encode_utf8(&mut buf).as_bytes();
        self.text.as_bytes().get(at..at + want.len()) == Some(want)
    }

    /// Whether token `i` is punctuation starting with one of `cs`, in one look at the token.
    #[inline]
    fn is_punct_of(&self, i: usize, cs: &[char]) -> bool {
        self.toks.get(i).is_some_and(|t| {
            t.kind == Kind::Punct && cs.iter().any(|&c| self.punct_is(t.span.start, c))
        })
    }

    /// Whether token `i` is punctuation starting with a hyphen or a dash (`-`, `–`, `—`, `‑`):
    /// one look at the token for the four.
    fn is_dash(&self, i: usize) -> bool {
        self.is_punct_of(i, &['-', '–', '—', '‑'])
    }

    /// The token right after `i` with no space between.
    pub fn adjacent_next(&self, i: usize) -> Option<usize> {
        let j = i + 1;
        (j < self.toks.len() && !matches!(self.toks[j].kind, Kind::Space { .. })).then_some(j)
    }

    /// The token right before `i` with no space between.
    pub fn adjacent_prev(&self, i: usize) -> Option<usize> {
        let j = i.checked_sub(1)?;
        (!matches!(self.toks[j].kind, Kind::Space { .. })).then_some(j)
    }

    /// The next token after `i`, skipping one run of spaces with no line break.
    fn next_inline(&self, i: usize) -> Option<usize> {
        let j = i + 1;
        match self.toks.get(j)?.kind {
            Kind::Space { breaks: 0 } => (j + 1 < self.toks.len()).then_some(j + 1),
            Kind::Space { .. } => None,
            _ => Some(j),
        }
    }

    /// The previous token before `i`, skipping one run of spaces with no line break.
    fn prev_inline(&self, i: usize) -> Option<usize> {
        let j = i.checked_sub(1)?;
        match self.toks[j].kind {
            Kind::Space { breaks: 0 } => j.checked_sub(1),
            Kind::Space { .. } => None,
            _ => Some(j),
        }
    }

    /// The next token if it is a word on the same line.
    pub fn next_word_inline(&self, i: usize) -> Option<usize> {
        self.next_inline(i)
            .filter(|&j| self.toks[j].kind == Kind::Word)
    }

    pub fn prev_word_inline(&self, i: usize) -> Option<usize> {
        self.prev_inline(i)
            .filter(|&j| self.toks[j].kind == Kind::Word)
    }

    /// Whether the text at token `i` starts with an uppercase letter.
    fn capitalised(&self, i: usize) -> bool {
        let s = self.tok(i);
        match s.as_bytes().first() {
            Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
            _ => s.chars().next().is_some_and(char::is_uppercase),
        }
    }

    /// The figure whose numeral starts at token `i`: `Some((None, next))` when a numeral is
    /// there but is not a figure, `None` when no numeral starts here.
    fn figure_at(&self, i: usize) -> Option<(Option<Figure>, usize)> {
        let n = self.numeral_at(i)?;
        let next = n.end;
        Some((self.figure(n), next))
    }

    fn figure(&self, n: Numeral) -> Option<Figure> {
        let forced = self.forced;
        if !forced && self.is_code_or_date(&n) {
            return None;
        }
        if !forced {
            if let Some(h) = self.adjacent_next(n.end - 1).filter(|&h| self.is_dash(h)) {
                if let Some(x) = self.adjacent_next(h) {
                    // "a 10-point plan", "the two-state solution": a compound adjective, no count;
                    // "a 3,000-strong force" still counts.
                    if self.toks[x].kind == Kind::Word
                        && !matches!(
                            self.w(x),
                            "strong" | "man" | "member" | "person" | "seat" | "bed"
                        )
                        && fraction_denominator(self.w(x)).is_none()
                        && !is_time_unit(self.w(x))
                        && !is_distance_unit(self.w(x))
                        && !matches!(self.w(x), "year" | "month" | "week" | "day")
                    {
                        return None;
                    }
                    // "voted 15-0", "a 3-1 win": a score.
                    if self.toks[x].kind == Kind::Number && !n.words {
                        if let Some(r) = self.numeral_at(x) {
                            if r.value < n.value && r.magnitude == 1.0 && !r.grouped {
                                return None;
                            }
                        }
                    }
                }
            }
            // "Boeing 737", "Highway 5": a bare number right after a name, counting nothing.
            if !n.words && !n.grouped && !n.decimal && n.magnitude == 1.0 {
                if let Some(p) = self
                    .prev_inline(n.start)
                    .filter(|&p| self.toks[p].kind == Kind::Word && self.capitalised(p))
                {
                    let w = self.w(p);
                    let sentence_start = p == 0
                        || matches!(self.toks[p - 1].kind, Kind::Space { breaks } if breaks > 0)
                        || self
                            .prev_inline(p)
                            .is_some_and(|q| self.is_punct(q, '.') || self.is_punct(q, ':'));
                    let next_plain = self
                        .adjacent_next(n.end - 1)
                        .is_none_or(|j| !self.is_punct(j, '%') && !self.is_punct(j, '+'));
                    if !sentence_start && next_plain && !is_month(w) && !ends_noun_phrase(w) {
                        let noun = self.noun_after(n.end - 1, false, false);
                        if noun.is_none_or(|nn| !nn.known) {
                            return None;
                        }
                    }
                }
            }
        }
        // Range: "4-5,000", "3,000 to 4,000", "between 4 and 5 thousand".
        let pre = self.qualifier_before(n.start);
        let mut value = Value::Number(n.value);
        let mut qualifier = Qualifier::Exact;
        let mut end = n.end; // token after the figure's number part
        let mut range_right: Option<Numeral> = None;
        if n.vague.is_none() && !n.fraction {
            if let Some(r) = self.range_after(&n, pre.map(|p| p.1)) {
                let (a, b) = shared_magnitude(&n, &r);
                if a <= b {
                    value = Value::Range(a, b);
                    qualifier = Qualifier::Range;
                    end = r.end;
                    range_right = Some(r);
                }
            }
        }
        let mut kind = UnitKind::Count;
        let mut unit: Option<String> = None;
        // "8 in 10", "one in five", "three out of four": a ratio, read as a fraction.
        if qualifier == Qualifier::Exact && n.vague.is_none() && !n.fraction {
            if let Some((den, after)) = self.ratio_after(&n) {
                if den > n.value && den > 0.0 {
                    let r = Reading::new(
                        pre.map_or(Qualifier::Exact, |p| pre_qualifier(p.1)),
                        Value::Number(n.value / den),
                        UnitKind::Fraction,
                        None,
                    );
                    let qstart = pre.map_or(n.start, |p| p.0);
                    return Some(self.finish(r, qstart, n.start, after, None, n.start));
                }
            }
        }
        // "50 or so": approximate.
        let mut or_so = false;
        if let Some(o) = self
            .next_word_inline(end - 1)
            .filter(|&o| self.w(o) == "or")
        {
            if let Some(so) = self.next_word_inline(o).filter(|&so| self.w(so) == "so") {
                or_so = true;
                end = so + 1;
            }
        }
        // Percent and plus.
        let last = end - 1;
        let mut plus = false;
        if let Some(j) = self.adjacent_next(last) {
            if self.is_punct(j, '%') {
                kind = UnitKind::Percent;
                end = j + 1;
            } else if self.is_punct(j, '+') {
                plus = true;
                end = j + 1;
                if let Some(k) = self.adjacent_next(j).filter(|&k| self.is_punct(k, '%')) {
                    kind = UnitKind::Percent;
                    end = k + 1;
                }
            }
        }
        if kind == UnitKind::Count {
            if let Some(j) = self.next_word_inline(end - 1) {
                match self.w(j) {
                    "percent" | "pct" => {
                        kind = UnitKind::Percent;
                        end = j + 1;
                    }
                    "per" => {
                        if let Some(k) = self.next_word_inline(j).filter(|&k| self.w(k) == "cent") {
                            kind = UnitKind::Percent;
                            end = k + 1;
                        }
                    }
                    _ => {}
                }
            }
        }
        if n.fraction {
            kind = UnitKind::Fraction;
        }
        // Money: "$5 million", "US$ 20", "€3bn", "5 million dollars".
        let mut start_tok = n.start;
        if kind == UnitKind::Count {
            if let Some(p) = self
                .adjacent_prev(n.start)
                .or_else(|| self.prev_inline(n.start))
            {
                let sym = self.tok(p);
                if let Some(code) = currency(sym).filter(|_| self.toks[p].kind == Kind::Punct) {
                    kind = UnitKind::Money;
                    unit = Some(code.to_string());
                    start_tok = p;
                    if let Some(q) = self
                        .adjacent_prev(p)
                        .filter(|&q| matches!(self.w(q), "us" | "a" | "c" | "hk"))
                    {
                        start_tok = q;
                    }
                }
            }
        }
        // The counted noun.
        let noun = if kind == UnitKind::Count || kind == UnitKind::Money {
            self.noun_after(end - 1, n.vague.is_some() || n.fraction, n.bare_one)
        } else {
            None
        };
        if !forced {
            if let Some(nn) = &noun {
                if nn.time_or_distance || nn.age {
                    return None;
                }
            }
            if self.is_age_before(n.start) || (noun.is_none() && self.is_age_apposition(&n)) {
                return None;
            }
            // "children under 10", "those over 65": an age limit.
            if let Some((qs, Pre::Lower(_) | Pre::Upper(_))) = pre {
                let q = self.w(qs);
                if noun.is_none() && matches!(q, "under" | "over" | "above" | "below" | "aged") {
                    let who = self
                        .prev_word_inline(qs)
                        .map(|p| self.w(p).to_string())
                        .unwrap_or_default();
                    if matches!(
                        who.as_str(),
                        "children"
                            | "kids"
                            | "boys"
                            | "girls"
                            | "people"
                            | "those"
                            | "adults"
                            | "anyone"
                            | "everyone"
                            | "men"
                            | "women"
                            | "ages"
                            | "aged"
                            | "age"
                    ) {
                        return None;
                    }
                }
            }
        }
        if let Some(nn) = &noun {
            if kind == UnitKind::Count && currency(&nn.head).is_some() {
                kind = UnitKind::Money;
            }
            if kind == UnitKind::Money {
                unit = Some(nn.unit.to_string());
            }
        }
        if !forced {
            // A number that reads as a year, a bare decimal, or a lone "one" is no figure.
            let has_noun = noun.as_ref().is_some_and(|nn| nn.known);
            if self.is_year(
                &n,
                range_right.is_some(),
                pre.is_some() || plus,
                has_noun,
                kind,
            ) {
                return None;
            }
            let right_magnitude = range_right.as_ref().map_or(1.0, |r| r.magnitude);
            if n.decimal
                && n.magnitude == 1.0
                && right_magnitude == 1.0
                && kind == UnitKind::Count
                && !plus
            {
                return None;
            }
            if n.bare_one && (noun.is_none() || self.one_is_pronoun(n.start)) {
                return None;
            }
        }
        // Qualifier.
        let mut low_open = false;
        let mut high_open = false;
        let mut qstart = start_tok;
        if let Some(v) = n.vague {
            qualifier = Qualifier::Vague;
            value = Value::None;
            let mut r = Reading::new(qualifier, value, kind, None);
            r.low = Some(v.0);
            r.high = Some(v.1);
            if let Some((s, _)) = pre {
                qstart = s;
            }
            return Some(self.finish(r, qstart, start_tok, end, noun, n.start));
        }
        if qualifier != Qualifier::Range {
            if or_so && pre.is_none() {
                qualifier = Qualifier::Approx;
            } else if plus {
                qualifier = Qualifier::Lower;
                if let Some((s, _)) = pre {
                    qstart = s;
                }
            } else if let Some((s, p)) = pre {
                qstart = s;
                match p {
                    Pre::Lower(open) => {
                        qualifier = Qualifier::Lower;
                        low_open = open;
                    }
                    Pre::Upper(open) => {
                        qualifier = Qualifier::Upper;
                        high_open = open;
                    }
                    Pre::Approx | Pre::ApproxCapped => qualifier = Qualifier::Approx,
                    Pre::Exact | Pre::Between | Pre::From => qstart = start_tok,
                }
            }
        } else if let Some((s, _)) = pre {
            qstart = s;
        }
        let mut r = Reading::new(qualifier, value, kind, unit.clone());
        r.low_open = low_open;
        r.high_open = high_open;
        if matches!(pre, Some((_, Pre::ApproxCapped))) && qualifier == Qualifier::Approx {
            r.high = Some(n.value);
        }
        Some(self.finish(r, qstart, start_tok, end, noun, n.start))
    }

    #[inline(always)]
    fn finish(
        &self,
        mut r: Reading,
        qstart: usize,
        num_start: usize,
        end: usize,
        noun: Option<Noun>,
        n_start: usize,
    ) -> Figure {
        let num_span = self.toks[num_start.min(n_start)].span.start..self.toks[end - 1].span.end;
        let mut span_end = num_span.end;
        match r.kind {
            UnitKind::Percent => r.unit = Some("percent".into()),
            UnitKind::Fraction => r.unit = Some("fraction".into()),
            _ => {}
        }
        if let Some(nn) = &noun {
            span_end = self.toks[nn.end - 1].span.end;
            if r.kind == UnitKind::Count {
                r.unit = Some(nn.unit.to_string());
            }
        }
        let class = classify(&r, noun.as_ref());
        Figure {
            span: self.toks[qstart].span.start..span_end,
            number_span: num_span,
            reading: r,
            class,
        }
    }

    /// Whether the words from token `k` are a qualifier phrase ("some", "at least") followed
    /// on the same line by a numeral: the start of the next figure, never a counted noun.
    fn opens_qualified_number(&self, k: usize) -> bool {
        if self.toks[k].kind != Kind::Word {
            return false;
        }
        // Only the phrases whose first word is this one can match.
        qualifiers_starting_with(self.w(k)).iter().any(|phrase| {
            let mut j = k;
            for (n, part) in phrase.words.iter().enumerate() {
                if n > 0 {
                    match self.next_word_inline(j) {
                        Some(x) => j = x,
                        None => return false,
                    }
                }
                if self.toks[j].kind != Kind::Word || self.w(j) != *part {
                    return false;
                }
            }
            self.next_inline(j).is_some_and(|x| {
                self.toks[x].kind == Kind::Number
                    || (self.toks[x].kind == Kind::Word && small_number(self.w(x)).is_some())
            })
        })
    }

    /// The qualifier phrase that ends right before token `i`: (its first token, what it says).
    fn qualifier_before(&self, i: usize) -> Option<(usize, Pre)> {
        // Up to three words back, on the same line, skipping "." after "approx".
        let mut words = [0usize; 3];
        let mut nwords = 0;
        let mut j = i;
        while nwords < 3 {
            let Some(p) = self.prev_inline(j) else { break };
            if self.toks[p].kind == Kind::Word {
                words[nwords] = p;
                nwords += 1;
                j = p;
            } else if nwords == 0
                && (self.is_punct(p, '.') || j == i && self.is_punct_of(p, &['$', '€', '£']))
            {
                // "approx. 5", and the currency sign right before the number: "about $5".
                j = p;
            } else {
                break;
            }
        }
        if nwords == 0 {
            return None;
        }
        let words = &words[..nwords];
        // Only the phrases whose last word is the word right before can match; the longest
        // wins, the first in table order among equals.
        let mut best: Option<(usize, Pre, usize)> = None;
        for phrase in qualifiers_ending_with(self.w(words[0])) {
            let parts = &phrase.words;
            if parts.len() > words.len() {
                continue;
            }
            let ok = parts
                .iter()
                .rev()
                .enumerate()
                .all(|(k, p)| self.w(words[k]) == *p);
            if ok && best.is_none_or(|b| parts.len() > b.2) {
                best = Some((words[parts.len() - 1], phrase.pre, parts.len()));
            }
        }
        let (s, p, _) = best?;
        // "over the past" is not a qualifier, nor is "some" in "for some time"; and "from"/"between"
        // only count with a range (checked by the caller).
        Some((s, p))
    }

    /// "in 10" / "out of 10" after a numeral: the denominator and the token after it.
    fn ratio_after(&self, n: &Numeral) -> Option<(f64, usize)> {
        let j = self.next_word_inline(n.end - 1)?;
        let k = match self.w(j) {
            "in" => self.next_inline(j)?,
            "out" => {
                let of = self.next_word_inline(j).filter(|&o| self.w(o) == "of")?;
                self.next_inline(of)?
            }
            _ => return None,
        };
        let d = self.numeral_at(k)?;
        if d.vague.is_some() || d.fraction || d.decimal || d.bare_one && d.value != 1.0 {
            return None;
        }
        // "1 in 2016" is a date; "5 in 100" is a ratio.
        if !d.words && d.value >= 1000.0 {
            return None;
        }
        Some((d.value, d.end))
    }

    /// The right side of a range after numeral `n`.
    fn range_after(&self, n: &Numeral, pre: Option<Pre>) -> Option<Numeral> {
        let last = n.end - 1;
        // "4-5,000", "3–5"
        if let Some(d) = self.adjacent_next(last).filter(|&d| self.is_dash(d)) {
            let r = self.adjacent_next(d).and_then(|k| self.numeral_at(k))?;
            if r.vague.is_some() || r.fraction || r.words != n.words {
                return None;
            }
            // "2016-12-08": a third part makes it a date or code.
            if self
                .adjacent_next(r.end - 1)
                .is_some_and(|k| self.is_dash(k) || self.is_punct(k, '/'))
            {
                return None;
            }
            return Some(r);
        }
        let j = self.next_inline(last)?;
        if self.is_dash(j) {
            let k = self.next_inline(j)?;
            return self
                .numeral_at(k)
                .filter(|r| r.vague.is_none() && !r.fraction);
        }
        let w = self.w(j);
        let ok = match w {
            "to" => true,
            "and" => pre == Some(Pre::Between),
            "or" => n.value < 100.0,
            _ => false,
        };
        if !ok {
            return None;
        }
        let k = self.next_inline(j)?;
        let r = self.numeral_at(k)?;
        (r.vague.is_none() && !r.fraction && !r.bare_one).then_some(r)
    }

    /// Whether the numeral is part of a date, time, code, URL, ordinal or list marker.
    fn is_code_or_date(&self, n: &Numeral) -> bool {
        let first = n.start;
        let last = n.end - 1;
        if !n.words {
            let s = self.tok(first);
            // "0800", "07": a leading zero makes a code, not a count.
            if s.len() > 1 && s.starts_with('0') && !s.starts_with("0.") {
                return true;
            }
            // Numbers next to numbers: phone numbers, codes, "0 0".
            let num_next = self
                .next_inline(last)
                .is_some_and(|j| self.toks[j].kind == Kind::Number);
            let num_prev = self
                .prev_inline(first)
                .is_some_and(|j| self.toks[j].kind == Kind::Number);
            if num_next || num_prev {
                return true;
            }
            // Letters or a code-joiner glued before: "G20", "Su-24", "MI-6", "#5", "/12".
            if let Some(p) = self.adjacent_prev(first) {
                let pt = self.tok(p);
                if self.toks[p].kind == Kind::Word || self.toks[p].kind == Kind::Number {
                    return true;
                }
                if matches!(
                    pt,
                    "#" | "/" | "_" | "=" | "@" | "\\" | "&" | "." | ":" | "№"
                ) {
                    return true;
                }
                if (self.is_dash(p) || pt == "-")
                    && self
                        .adjacent_prev(p)
                        .is_some_and(|q| matches!(self.toks[q].kind, Kind::Word | Kind::Number))
                {
                    return true;
                }
            }
            // Glued after: ordinals "17th", times "6PM", decades "1990s", codes "3D", "10/21", "10:00".
            if let Some(j) = self.adjacent_next(last) {
                let jt = self.tok(j);
                if self.toks[j].kind == Kind::Word {
                    return true; // "k"/"bn" were taken by the numeral already
                }
                if matches!(jt, "/" | ":" | "_" | "@" | "=")
                    && self
                        .adjacent_next(j)
                        .is_some_and(|k| matches!(self.toks[k].kind, Kind::Number | Kind::Word))
                {
                    return true;
                }
                if jt == "."
                    && self
                        .adjacent_next(j)
                        .is_some_and(|k| self.toks[k].kind == Kind::Word)
                {
                    return true; // "file.5x", "example.com"
                }
            }
            // Bracketed markers "[1]", "(2)".
            if let (Some(p), Some(j)) = (self.adjacent_prev(first), self.adjacent_next(last)) {
                if (self.is_punct(p, '[') && self.is_punct(j, ']'))
                    || (self.is_punct(p, '(') && self.is_punct(j, ')'))
                {
                    return n.value < 1000.0;
                }
            }
            // List markers: "1." or "2)" at the start of a line.
            let line_start = first == 0
                || matches!(self.toks[first - 1].kind, Kind::Space { breaks } if breaks > 0);
            if line_start {
                if let Some(j) = self.adjacent_next(last) {
                    if (self.is_punct(j, '.') || self.is_punct(j, ')'))
                        && self.adjacent_next(j).is_none()
                    {
                        return true;
                    }
                }
            }
        }
        // Times: "10 a.m.", "6 pm", "16.17 GMT".
        if let Some(j) = self.next_word_inline(last) {
            let w = self.w(j);
            if matches!(
                w,
                "am" | "pm"
                    | "gmt"
                    | "utc"
                    | "o'clock"
                    | "et"
                    | "cet"
                    | "est"
                    | "edt"
                    | "bst"
                    | "hrs"
                    | "h"
            ) {
                return true;
            }
            if (w == "a" || w == "p")
                && self.adjacent_next(j).is_some_and(|k| self.is_punct(k, '.'))
            {
                if let Some(m) = self.adjacent_next(j + 1) {
                    if self.w(m) == "m" {
                        return true;
                    }
                }
            }
        }
        // Dates: a month just before ("October 15", "Oct. 18") or after ("19 October", "4 Dec").
        if !n.words || n.value <= 31.0 {
            let mut p = self.prev_inline(first);
            if p.is_some_and(|p| self.is_punct(p, '.')) {
                p = p.and_then(|p| p.checked_sub(1));
            }
            if let Some(p) = p {
                if is_month(self.w(p))
                    && (self.w(p) != "may" || self.capitalised(p))
                    && (self.w(p) != "march" || self.capitalised(p))
                {
                    return true;
                }
            }
            let mut j = self.next_inline(last);
            if j.is_some_and(|j| self.w(j) == "of") {
                j = j.and_then(|j| self.next_inline(j));
            }
            if let Some(j) = j {
                let w = self.w(j);
                if is_month(w) && (w != "may" && w != "march" || self.capitalised(j)) {
                    return true;
                }
            }
        }
        // Codes: "Resolution 2254", "No. 5", "Article 51".
        if !n.words {
            let mut p = self.prev_inline(first);
            if p.is_some_and(|p| self.is_punct(p, '.')) {
                p = p
                    .and_then(|p| p.checked_sub(1))
                    .filter(|&q| self.toks[q].kind == Kind::Word);
            }
            if let Some(p) = p.filter(|&p| self.toks[p].kind == Kind::Word) {
                let w = self.w(p);
                // Code words that make a code even in lowercase: asked only of a code word.
                let lowercase_code = |w: &str| {
                    matches!(
                        w,
                        "page"
                            | "pages"
                            | "pp"
                            | "chapter"
                            | "section"
                            | "paragraph"
                            | "clause"
                            | "resolution"
                            | "article"
                            | "decree"
                            | "item"
                            | "flight"
                            | "route"
                            | "room"
                            | "platform"
                            | "gate"
                            | "exit"
                            | "version"
                            | "episode"
                            | "season"
                            | "volume"
                            | "vol"
                            | "issue"
                            | "no"
                            | "number"
                            | "phase"
                            | "level"
                            | "grade"
                            | "stage"
                            | "highway"
                            | "bus"
                            | "channel"
                            | "unit"
                            | "block"
                            | "building"
                            | "apartment"
                            | "floor"
                    )
                };
                if is_code_word(w)
                    && (lowercase_code(w)
                        || self.capitalised(p)
                        || self.adjacent_next(p).is_some_and(|k| self.is_punct(k, '.')))
                {
                    return true;
                }
                if is_weekday(w) && !n.grouped && n.value <= 31.0 {
                    return true;
                }
            }
        }
        false
    }

    /// "Abu Khaled, 54, a farmer": an age between commas after a name.
    fn is_age_apposition(&self, n: &Numeral) -> bool {
        if n.words || n.value >= 120.0 || n.grouped || n.decimal || n.magnitude != 1.0 {
            return false;
        }
        let before = self.prev_inline(n.start).filter(|&p| self.is_punct(p, ','));
        let name = before
            .and_then(|p| self.prev_inline(p))
            .is_some_and(|q| self.toks[q].kind == Kind::Word && self.capitalised(q));
        let after = self
            .next_inline(n.end - 1)
            .is_some_and(|j| self.is_punct(j, ',') || self.is_punct(j, ')'));
        name && after
    }

    /// "aged 12", "age 7".
    fn is_age_before(&self, i: usize) -> bool {
        self.prev_word_inline(i)
            .is_some_and(|p| matches!(self.w(p), "aged" | "age" | "ages"))
    }

    /// A four-digit number that reads as a year.
    fn is_year(
        &self,
        n: &Numeral,
        range: bool,
        qualified: bool,
        has_noun: bool,
        kind: UnitKind,
    ) -> bool {
        if n.words || n.grouped || n.decimal || n.magnitude != 1.0 || kind != UnitKind::Count {
            return false;
        }
        let s = self.tok(n.start);
        if s.len() != 4 || !(1000.0..=2100.0).contains(&n.value) {
            return false;
        }
        let _ = range;
        !(qualified || has_noun)
    }

    /// "one of", "no one", "the one who": "one" as a pronoun.
    fn one_is_pronoun(&self, i: usize) -> bool {
        let before = self
            .prev_word_inline(i)
            .map(|p| self.w(p).to_string())
            .unwrap_or_default();
        if matches!(
            before.as_str(),
            "no" | "every"
                | "any"
                | "each"
                | "the"
                | "this"
                | "that"
                | "which"
                | "someone"
                | "no-one"
        ) {
            return true;
        }
        let after = self
            .next_word_inline(i)
            .map(|j| self.w(j).to_string())
            .unwrap_or_default();
        matches!(
            after.as_str(),
            "of" | "another"
                | "by"
                | "after"
                | "way"
                | "that"
                | "who"
                | "which"
                | "hand"
                | "side"
                | "thing"
        )
    }

    /// The noun a figure counts, after its last token `last`.
    fn noun_after(&self, last: usize, skip_of: bool, single: bool) -> Option<Noun<'_>> {
        let mut j = self.next_inline(last)?;
        if skip_of && self.w(j) == "of" {
            j = self.next_inline(j)?;
            if self.w(j) == "the" {
                j = self.next_inline(j)?;
            }
        }
        // Age: "36-year-old", "seven year old", "7 years old", "years of age".
        if let Some(h) = self.adjacent_next(last).filter(|&h| self.is_dash(h)) {
            if let Some(y) = self.adjacent_next(h) {
                if matches!(
                    self.w(y),
                    "year" | "month" | "week" | "day" | "years" | "months"
                ) {
                    return Some(Noun {
                        head: self.w(y).into(),
                        unit: self.w(y).into(),
                        end: y + 1,
                        known: true,
                        time_or_distance: true,
                        age: true,
                        classes: noun_classes(self.w(y)),
                    });
                }
                if is_time_or_distance_unit(self.w(y)) {
                    return Some(Noun {
                        head: self.w(y).into(),
                        unit: self.w(y).into(),
                        end: y + 1,
                        known: true,
                        time_or_distance: true,
                        age: false,
                        classes: noun_classes(self.w(y)),
                    });
                }
            }
        }
        // "12 more districts", "a further 200 families"
        if matches!(
            self.w(j),
            "more" | "further" | "additional" | "other" | "extra" | "new"
        ) {
            if let Some(n) = self.next_word_inline(j) {
                if !ends_noun_phrase(self.w(n)) {
                    j = n;
                }
            }
        }
        // The words of the run: at most four, kept on the stack, `ncands` of them filled. A
        // joined compound's form is written to `joined`, so that the words are all `Copy`.
        let mut all_cands: [Cand<'_>; 4] = Default::default();
        let mut ncands = 0;
        let mut joined = String::new();
        let mut k = j;
        loop {
            if self.toks[k].kind != Kind::Word {
                break;
            }
            let mut endk = k + 1;
            let mut form = Form::Word(self.w(k));
            // Join hyphenated compounds: "Al-Qaeda", "pro-government".
            while let Some(h) = self.adjacent_next(endk - 1).filter(|&h| self.is_dash(h)) {
                match self
                    .adjacent_next(h)
                    .filter(|&x| matches!(self.toks[x].kind, Kind::Word | Kind::Number))
                {
                    Some(x) => {
                        let from = match form {
                            Form::Word(w) => {
                                let from = joined.len();
                                joined.push_str(w);
                                from
                            }
                            Form::Joined(from, _) => from,
                        };
                        joined.push('-');
                        joined.push_str(if self.toks[x].kind == Kind::Word {
                            self.w(x)
                        } else {
                            self.tok(x)
                        });
                        form = Form::Joined(from, joined.len());
                        endk = x + 1;
                    }
                    None => break,
                }
            }
            let word = form.text(&joined);
            // The lists the word is in, in one look-up; the word at `k` alone (not joined)
            // for the qualifier test.
            let classes = noun_classes(word);
            if classes.has(class::ENDS_NOUN_PHRASE) && !(ncands == 0 && word == "dead") {
                break;
            }
            let opens = if endk == k + 1 {
                classes
            } else {
                noun_classes(self.w(k))
            };
            if opens.has(class::OPENS_QUALIFIER) && self.opens_qualified_number(k) {
                break; // "20 thousand Some 270,000": "Some" starts the next figure
            }
            all_cands[ncands] = Cand {
                start: k,
                end: endk,
                form,
                classes,
            };
            ncands += 1;
            if ncands >= 4 {
                break;
            }
            match self.next_inline(endk - 1) {
                Some(n) => k = n,
                None => break,
            }
        }
        if ncands == 0 {
            return None;
        }
        let cands = &all_cands[..ncands];
        let joined = joined.as_str();
        let time_or_distance = cands
            .iter()
            .take(3)
            .any(|c| c.classes.has(class::TIME_OR_DISTANCE));
        let age = cands.len() >= 2
            && matches!(
                cands[0].form.text(joined),
                "year" | "years" | "month" | "months"
            )
            && cands[1].form.text(joined) == "old";
        // The head: the last known noun of the run, before any unknown word after it.
        let mut head: Option<usize> = None;
        for (idx, c) in cands.iter().enumerate() {
            let w = c.form.text(joined);
            if head.is_some() && (w.ends_with("ed") || w.ends_with("ing")) {
                break; // "4 chiefs arrested": a participle after the noun is its verb
            }
            if c.classes.has(class::KNOWN_NOUN) {
                head = Some(idx);
            } else if head.is_some() {
                break;
            }
        }
        let (head, is_known) = match head {
            Some(h) => (h, true),
            None => {
                let plural = |w: &str| {
                    w.len() >= 4
                        && w.ends_with('s')
                        && !w.ends_with("ss")
                        && !w.ends_with("ous")
                        && !w.ends_with("ics")
                };
                let verbish = |w: &str| w.ends_with("ing") || w.ends_with("ed");
                let first = cands[0];
                let w0 = first.form.text(joined);
                let plural_at = cands.iter().take(3).position(|c| {
                    let w = c.form.text(joined);
                    plural(w) && !verbish(w) && !self.capitalised(c.start)
                });
                if self.capitalised(first.start)
                    && !first.classes.has(class::MONTH)
                    && !first.classes.has(class::WEEKDAY)
                    && plural_at.is_none()
                {
                    (0, false) // "2,000 Hizbullah"
                } else if let Some(k) = plural_at {
                    if cands[..k].iter().any(|c| {
                        let w = c.form.text(joined);
                        verbish(w) && !matches!(w, "armed" | "wounded" | "injured" | "displaced")
                    }) {
                        return None;
                    }
                    (k, false)
                } else if single && !verbish(w0) {
                    (0, false) // "one reporter", "one room"
                } else {
                    return None;
                }
            }
        };
        let Cand {
            end: hend,
            form,
            classes: head_classes,
            ..
        } = cands[head];
        let hw: Cow<'_, str> = match form {
            Form::Word(w) => Cow::Borrowed(w),
            Form::Joined(..) => Cow::Owned(form.text(joined).to_string()),
        };
        let mut unit = hw.clone();
        let mut end = hend;
        // "civilians per fighter"
        if let Some(p) = self
            .next_word_inline(hend - 1)
            .filter(|&p| self.w(p) == "per")
        {
            if let Some(q) = self.next_word_inline(p) {
                if self.w(q) != "cent" {
                    unit = Cow::Owned(format!("{hw} per {}", self.w(q)));
                    end = q + 1;
                }
            }
        }
        Some(Noun {
            head: hw,
            unit,
            end,
            known: is_known,
            time_or_distance,
            age,
            classes: head_classes,
        })
    }
}

/// A word of the run after a number that [`Ctx::noun_after`] reads.
#[derive(Debug, Clone, Copy, Default)]
struct Cand<'a> {
    /// Its first token.
    start: usize,
    /// One past its last token.
    end: usize,
    /// Its lowercase form.
    form: Form<'a>,
    /// The lists the form is in.
    classes: NounClasses,
}

/// The lowercase form of a [`Cand`]: one word's, or a hyphenated compound's written to a
/// buffer of joined forms (its byte range there).
#[derive(Debug, Clone, Copy)]
enum Form<'a> {
    Word(&'a str),
    Joined(usize, usize),
}

impl Default for Form<'_> {
    fn default() -> Self {
        Form::Word("")
    }
}

impl<'a> Form<'a> {
    /// The form's text, given the buffer of joined forms.
    fn text(self, joined: &'a str) -> &'a str {
        match self {
            Form::Word(w) => w,
            Form::Joined(a, b) => joined.get(a..b).unwrap_or(""),
        }
    }
}

/// The counted noun of a figure.
#[derive(Debug, Clone)]
struct Noun<'a> {
    /// The head noun, lowercase.
    head: Cow<'a, str>,
    /// What the figure's unit says: the head, or "civilians per fighter".
    unit: Cow<'a, str>,
    /// One past its last token.
    end: usize,
    /// Whether the head is a noun the lexicon knows.
    known: bool,
    time_or_distance: bool,
    age: bool,
    /// The lists the head is in.
    classes: NounClasses,
}

fn pre_qualifier(p: Pre) -> Qualifier {
    match p {
        Pre::Lower(_) => Qualifier::Lower,
        Pre::Upper(_) => Qualifier::Upper,
        Pre::Approx | Pre::ApproxCapped => Qualifier::Approx,
        _ => Qualifier::Exact,
    }
}

/// "4-5,000" is 4,000–5,000; "3 to 4 million" is 3–4 million; "3-5" is 3–5.
fn shared_magnitude(left: &Numeral, right: &Numeral) -> (f64, f64) {
    let mut a = left.value;
    let b = right.value;
    if right.magnitude > 1.0 && left.magnitude == 1.0 && !left.grouped {
        a *= right.magnitude;
    } else if right.grouped && !left.grouped && left.magnitude == 1.0 && a < b {
        for m in [1e9, 1e6, 1e3] {
            if b % m == 0.0 && a * m <= b && a * m >= b / 10.0 {
                a *= m;
                break;
            }
        }
    }
    (a, b)
}

/// Claim or incidental, from the reading and the noun.
fn classify(r: &Reading, noun: Option<&Noun>) -> FigureClass {
    if matches!(
        r.kind,
        UnitKind::Percent | UnitKind::Fraction | UnitKind::Money
    ) {
        return FigureClass::Claim;
    }
    let v = match r.value {
        Value::Number(v) => v,
        Value::Range(_, b) => b,
        Value::None => return FigureClass::Claim,
    };
    if v == 0.0 {
        return FigureClass::Incidental;
    }
    if let Some(n) = noun {
        if n.classes.has(class::PAGE_FURNITURE) {
            return FigureClass::Incidental;
        }
        if n.classes.has(class::CLAIM_NOUN) {
            return FigureClass::Claim;
        }
        if n.classes.has(class::INCIDENTAL_NOUN) && v < 100.0 {
            return FigureClass::Incidental;
        }
    }
    if r.qualifier != Qualifier::Exact || v >= 10.0 {
        FigureClass::Claim
    } else {
        FigureClass::Incidental
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(
        s: &str,
    ) -> Option<(
        String,
        &'static str,
        &'static str,
        Value,
        Option<f64>,
        Option<f64>,
    )> {
        let f = extract(s);
        f.first().map(|f| {
            (
                s[f.span.clone()].to_string(),
                f.class.name(),
                f.reading.qualifier.name(),
                f.reading.value,
                f.reading.low,
                f.reading.high,
            )
        })
    }

    #[test]
    fn reads_core_forms() {
        let r = one("at least 90,000 people fled").unwrap();
        assert_eq!(
            (r.0.as_str(), r.2, r.3),
            ("at least 90,000 people", "lower", Value::Number(90000.0))
        );
        let r = one("there are 4-5,000 fighters").unwrap();
        assert_eq!(r.3, Value::Range(4000.0, 5000.0));
        let r = one("more than 20 thousand civilians").unwrap();
        assert_eq!((r.2, r.3), ("lower", Value::Number(20000.0)));
        assert!(one("on 19 October").is_none());
        assert!(one("a 36-year-old man").is_none());
        assert!(one("Su-24").is_none());
    }

    /// Digits read as `parse` reads them, long numbers and decimals included.
    #[test]
    fn digits_read_as_parsed() {
        for (num, want) in [
            ("7", 7.0),
            ("1,217", 1217.0),
            ("21\u{a0}000", 21000.0),
            ("999,999,999,999,999", 999_999_999_999_999.0),
            (
                "1,234,567,890,123,456,789",
                "1234567890123456789".parse().unwrap(),
            ),
            ("9007199254740993", "9007199254740993".parse().unwrap()),
            ("1.5", 1.5),
            ("16.17", 16.17),
            ("0.3", 0.3),
            ("1.217.000", 1_217_000.0),
            (
                "123456789.123456789",
                "123456789.123456789".parse().unwrap(),
            ),
        ] {
            let text = format!("about {num} percent");
            let f = extract(&text);
            assert_eq!(f.len(), 1, "{text:?}");
            assert_eq!(f[0].reading.value, Value::Number(want), "{text:?}");
        }
    }

    /// The reader as it was before it walked the numeral starts: every token is tried.
    fn reference_extract(text: &str) -> Vec<Figure> {
        let lowered = text.to_ascii_lowercase();
        let mut aside = String::new();
        let (toks, lower) = tokenize_lowered(text, &lowered, &mut aside);
        let cx = Ctx::new(text, &toks, lower.forms(), false);
        let mut out: Vec<Figure> = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            match cx.figure_at(i) {
                Some((fig, next)) => {
                    i = next.max(i + 1);
                    if let Some(mut f) = fig {
                        while i < toks.len() && toks[i].span.start < f.span.end {
                            i += 1;
                        }
                        let floor = out.last().map_or(0, |p| p.span.end);
                        if f.span.start < floor {
                            if f.number_span.start < floor {
                                continue;
                            }
                            f.span.start = f.number_span.start;
                        }
                        out.push(f);
                    }
                }
                None => i += 1,
            }
        }
        out
    }

    /// Random texts of numerals, qualifiers, nouns and decoys read as when every token was
    /// tried.
    #[test]
    fn walking_the_starts_reads_as_trying_every_token() {
        let pieces: &[&str] = &[
            "1,217",
            "20",
            "2016",
            "3",
            "4-5,000",
            "10:00",
            "Su-24",
            "17th",
            " ",
            " ",
            " ",
            ", ",
            ". ",
            "\n",
            "-",
            "to",
            "and",
            "between",
            "about",
            "at least",
            "more than",
            "a",
            "A",
            "an",
            "one",
            "Two",
            "twenty",
            "five",
            "hundred",
            "thousand",
            "million",
            "hundreds",
            "tens of thousands",
            "a dozen",
            "half",
            "a third of",
            "two-thirds",
            "several",
            "few",
            "many",
            "people",
            "fighters",
            "civilians",
            "killed",
            "October",
            "years",
            "old",
            "percent",
            "%",
            "$",
            "per",
            "cent",
            "Some",
            "Resolution",
            "é",
            "ONE",
        ];
        let mut rng = crate::test_rng::XorShift(0x0dd_ba11_cafe_f00d);
        for round in 0..4000 {
            let text = rng.text(pieces, 1 + round % 40);
            assert_eq!(extract(&text), reference_extract(&text), "{text:?}");
        }
    }

    /// The token tests that compare bytes ([`Ctx::is_punct`], [`Ctx::is_dash`],
    /// [`Ctx::capitalised`]) answer as the definitions on the token's text do, on random texts
    /// of ASCII and other punctuation, dashes, symbols and capitalised words.
    #[test]
    fn token_tests_read_as_the_token_text() {
        let pieces: &[&str] = &[
            "-", "–", "—", "‑", "$", "€", "£", "¥", ".", ",", "%", "+", ":", "(", ")", "'", "’",
            "é", "É", "Éric", "Ωmega", "ωmega", "Aleppo", "aleppo", "ßtraße", "5", "1,000", " ",
            "\n", "\u{a0}", "a", "A",
        ];
        let chars = [
            '-', '–', '—', '‑', '$', '€', '£', '.', ',', '%', '+', ':', '(', ')',
        ];
        let mut rng = crate::test_rng::XorShift(0x7e57_ab1e_d00d_f00d);
        for round in 0..2000 {
            let text = rng.text(pieces, 1 + round % 24);
            let lowered = text.to_ascii_lowercase();
            let mut aside = String::new();
            let (toks, lower) = tokenize_lowered(&text, &lowered, &mut aside);
            let cx = Ctx::new(&text, &toks, lower.forms(), false);
            for i in 0..toks.len() + 2 {
                let t = toks.get(i);
                let punct = |c: char| {
                    t.is_some_and(|t| t.kind == Kind::Punct && text[t.span.clone()].starts_with(c))
                };
                for c in chars {
                    assert_eq!(cx.is_punct(i, c), punct(c), "{text:?} {i} {c:?}");
                }
                let dash = t.is_some_and(|t| {
                    t.kind == Kind::Punct && text[t.span.clone()].starts_with(['-', '–', '—', '‑'])
                });
                assert_eq!(cx.is_dash(i), dash, "{text:?} {i}");
                let money = ['$', '€', '£'].iter().any(|&c| punct(c));
                assert_eq!(cx.is_punct_of(i, &['$', '€', '£']), money, "{text:?} {i}");
                if let Some(t) = t {
                    let cap = text[t.span.clone()]
                        .chars()
                        .next()
                        .is_some_and(char::is_uppercase);
                    assert_eq!(cx.capitalised(i), cap, "{text:?} {i}");
                }
            }
        }
    }

    /// Hyphenated compounds in the words after a number (joined into one form while the noun
    /// is read): the figure's text and unit, as the reader gave them before it kept the
    /// joined forms in one buffer.
    #[test]
    fn compounds_after_a_number() {
        for (text, want, unit) in [
            (
                "Some 2,000 Al-Qaeda fighters arrived",
                "Some 2,000 Al-Qaeda fighters",
                "fighters",
            ),
            (
                "About 300 pro-government militiamen left",
                "About 300 pro-government militiamen",
                "militiamen",
            ),
            ("5 F-16 jets flew", "5 F-16 jets", "jets"),
            ("40 Su-24-class planes", "40 Su-24-class planes", "planes"),
            (
                "12 al-Nusra-linked fighters died",
                "12 al-Nusra-linked fighters",
                "fighters",
            ),
            ("3 year-old children", "3 year-old children", "children"),
            (
                "20 Hizbullah-backed militia-men",
                "20 Hizbullah-backed",
                "hizbullah-backed",
            ),
            (
                "60 well-armed men per village",
                "60 well-armed men per village",
                "men per village",
            ),
        ] {
            let f = extract(text);
            assert_eq!(f.len(), 1, "{text:?}");
            assert_eq!(&text[f[0].span.clone()], want, "{text:?}");
            assert_eq!(f[0].reading.unit.as_deref(), Some(unit), "{text:?}");
        }
    }

    /// A figure's noun never swallows the qualifier of the figure after it, and figures never
    /// overlap (found by the `annotate` fuzz target).
    #[test]
    fn adjacent_figures_keep_their_own_qualifiers() {
        for (text, want) in [
            (
                "a dozen, 20 thousand Some 270 000 civilians",
                &["a dozen", "20 thousand", "Some 270 000 civilians"][..],
            ),
            (
                "20 thousand At least 300 fighters",
                &["20 thousand", "At least 300 fighters"][..],
            ),
            (
                "2,000 Hizbullah fighters",
                &["2,000 Hizbullah fighters"][..],
            ),
        ] {
            let got: Vec<&str> = extract(text)
                .iter()
                .map(|f| &text[f.span.clone()])
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }
}
