//! The figure reader: numerals with their qualifiers, ranges, units and nouns.

use std::ops::Range;

use super::Figure;

/// Every figure in a text, in order.
pub fn extract(_text: &str) -> Vec<Figure> {
    Vec::new()
}

/// The figure in an annotated span that the ordinary reader skipped (say a year the analyst
/// marked as a claim): the span read as a figure on its own, if it holds a number.
pub fn read_span(_text: &str, _span: Range<usize>) -> Option<Figure> {
    None
}
