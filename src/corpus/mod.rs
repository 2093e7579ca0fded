//! The corpus: `tally.toml` settings, sources and events, and the claim index across articles.

pub mod config;
pub mod index;

pub use config::{Config, ConfigError, EventDef, SourceDef};
pub use index::{doc_run, ClaimRef, EventIndex, EventStats, Shared, SourceKey};
