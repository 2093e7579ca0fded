//! Checks on one article alone: sources, annotations and links.

use crate::analysis::ArticleAnalysis;
use crate::corpus::Config;

use super::{Diagnostic, DocId};

/// Diagnostics about one article that need no other article.
pub fn article_checks(_doc: DocId, _a: &ArticleAnalysis, _config: &Config) -> Vec<Diagnostic> {
    Vec::new()
}
