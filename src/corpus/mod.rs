//! The corpus: `tally.toml` settings, sources and events, and the claim index across articles.

pub mod config;
pub mod index;

pub use config::{Config, ConfigError, EventDef, SourceDef};
pub use index::{doc_run, ClaimRef, DocClaims, EventIndex, EventStats, Shared, SourceKey, Sym};

/// A hash map with a fast fixed hash (foldhash), for the lookup tables of the checks and the
/// index: their keys are event ids, words, shared strings and numbers from the corpus, where
/// SipHash's defence against chosen collisions costs more than it guards.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// A hash set with the hash of [`FastMap`].
pub type FastSet<T> = std::collections::HashSet<T, foldhash::fast::FixedState>;
