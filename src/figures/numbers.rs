//! Numerals: digits with grouping, number words, magnitudes.
