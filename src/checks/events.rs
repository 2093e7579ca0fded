//! Checks across the corpus: conflicting readings, cumulative decreases, parts and wholes.

use crate::corpus::{Config, EventIndex};

use super::Diagnostic;

/// Diagnostics from comparing the readings of every event.
pub fn event_checks(_index: &EventIndex, _config: &Config) -> Vec<Diagnostic> {
    Vec::new()
}
