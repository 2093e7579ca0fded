//! The repository's example corpus, built into the unit tests that need real articles.

/// The example corpus's `tally.toml`.
pub(crate) const CONFIG: &str = include_str!("../examples/aleppo-evacuation/tally.toml");

/// The example corpus's articles.
pub(crate) const ARTICLES: &[&str] = &[
    include_str!("../examples/aleppo-evacuation/aleppo-notebook-2016-12-14-how-many.md"),
    include_str!("../examples/aleppo-evacuation/crossroads-2016-12-16-evacuation.md"),
    include_str!("../examples/aleppo-evacuation/humanitarian-dispatch-2016-12-09-shelters.md"),
    include_str!("../examples/aleppo-evacuation/levant-wire-2016-12-08-ministry.md"),
    include_str!("../examples/aleppo-evacuation/north-syria-monitor-2016-12-13-collapse.md"),
];
