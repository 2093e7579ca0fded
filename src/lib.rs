//! tally: read every figure in a corpus of news articles, find who it is attributed to,
//! link figures of the same event across articles and check that they agree.
//!
//! The analysis core (everything but [`cli`] and `lsp`) is plain Rust: text in, data out,
//! no IO, no async, no protocol types. Every byte offset in the core is a UTF-8 byte
//! offset into the file text as read.

pub mod analysis;
pub mod article;
pub mod attribution;
pub mod checks;
pub mod cli;
pub mod corpus;
pub mod figures;
pub mod lines;
#[cfg(feature = "lsp")]
pub mod lsp;
#[cfg(test)]
mod test_examples;
#[cfg(test)]
mod test_rng;
pub mod text;

pub use analysis::{analyze, ArticleAnalysis, Claim};
pub use article::{Article, FileKind};
pub use checks::{Code, Diagnostic, Related, Severity};
pub use corpus::config::Config;
