//! `tally.toml`: corpus settings, per-code severities, sources and events (SPEC 2.3).

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::article::valid_event_id;
use crate::checks::{Code, Severity};
use crate::text::normalize_name;

/// A source that figures can be attributed to.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceDef {
    pub id: String,
    /// The span of the `[sources.<id>]` key in `tally.toml`.
    pub id_span: Range<usize>,
    pub name: String,
    pub aliases: Vec<String>,
    pub affiliation: String,
}

/// An event: one quantity that several figures report.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDef {
    pub id: String,
    /// The span of the `[events.<id>]` key in `tally.toml`.
    pub id_span: Range<usize>,
    pub title: Option<String>,
    pub when: Option<String>,
    pub where_: Option<String>,
    pub unit: Option<String>,
    pub cumulative: bool,
    pub tolerance: Option<f64>,
    pub part_of: Option<String>,
    pub parts: Vec<String>,
}

/// Everything `tally.toml` says. [`Config::default`] is what a folder without one gets.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub tolerance: f64,
    pub severities: BTreeMap<Code, Option<Severity>>,
    pub sources: Vec<SourceDef>,
    pub events: Vec<EventDef>,
    /// Normalised name or alias → index into `sources`.
    names: Vec<(String, usize)>,
    /// Derived once from `sources` and `events` for fast lookups (see [`Lookups`]).
    lookups: Lookups,
}

/// Lookup tables derived from the sources and events when the configuration is parsed, so that
/// finding an event by id or suggesting events for a figure does not scan every event.
#[derive(Debug, Clone, Default, PartialEq)]
struct Lookups {
    /// Event id → index into `events`.
    event_ix: super::FastMap<String, usize>,
    /// Normalised source names and aliases (not ids), in source order, with the source index.
    name_keys: Vec<(String, usize)>,
    /// Finds the names and aliases of `name_keys` inside a normalised name.
    name_finder: NameFinder,
    /// Normalised name, alias or id → the source of its first entry in `names` (both made
    /// once, when parsing).
    name_ix: super::FastMap<String, usize>,
    /// The content words of each event's title and place (see [`crate::checks::suggest`]).
    title_words: Vec<Vec<String>>,
    /// Content word → its number among the title words (see [`Config::title_word`]).
    title_word_ix: super::FastMap<Box<str>, u32>,
    /// By title word number: (event index, how often the word is among that event's title
    /// words).
    title_postings: Vec<Vec<(usize, usize)>>,
    /// Each event's place in the order of event ids (for ranking ties without comparing ids).
    id_rank: Vec<u32>,
    /// The title words in many titles as bitsets over events (for scoring suggestions).
    title_bits: crate::checks::title_bits::TitleBits,
}

/// The distinct normalised source names and aliases in one automaton, for finding the
/// configured names inside a longer name without testing every name in turn.
#[derive(Debug, Clone, Default)]
struct NameFinder {
    /// Over `keys` (pattern `i` is `keys[i]`); `None` without keys.
    automaton: Option<aho_corasick::AhoCorasick>,
    /// For each distinct key: its length and the source of its first entry in `name_keys`,
    /// whose position there breaks ties between keys of one length.
    keys: Vec<(usize, usize, usize)>,
}

/// The finder is made from `name_keys`, which the derived comparison of [`Lookups`] compares.
impl PartialEq for NameFinder {
    fn eq(&self, _: &NameFinder) -> bool {
        true
    }
}

impl NameFinder {
    /// The finder of the keys of `name_keys` (normalised, not empty).
    fn new(name_keys: &[(String, usize)]) -> NameFinder {
        let mut first: super::FastMap<&str, usize> = Default::default();
        let mut patterns: Vec<&str> = Vec::new();
        let mut keys = Vec::new();
        for (rank, (k, source)) in name_keys.iter().enumerate() {
            first.entry(k.as_str()).or_insert_with(|| {
                patterns.push(k);
                keys.push((k.len(), rank, *source));
                rank
            });
        }
        // Standard semantics: the overlapping search reports every occurrence of every key.
        let automaton = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(&patterns)
            .ok()
            .filter(|_| !patterns.is_empty());
        NameFinder { automaton, keys }
    }

    /// The source of the longest key that is whole words of `norm` (a normalised name: words
    /// one space apart); of keys of one length, the first in source order.
    fn find(&self, norm: &str) -> Option<usize> {
        let automaton = self.automaton.as_ref()?;
        let b = norm.as_bytes();
        let mut best: Option<(usize, usize, usize)> = None;
        for m in automaton.find_overlapping_iter(norm) {
            let whole = (m.start() == 0 || b[m.start() - 1] == b' ')
                && matches!(b.get(m.end()), None | Some(b' '));
            let Some(&(len, rank, source)) = self.keys.get(m.pattern().as_usize()) else {
                continue;
            };
            if whole && best.is_none_or(|(l, r, _)| len > l || (len == l && rank < r)) {
                best = Some((len, rank, source));
            }
        }
        best.map(|(_, _, source)| source)
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            include: vec!["**/*.md".into(), "**/*.txt".into()],
            exclude: Vec::new(),
            tolerance: 0.05,
            severities: BTreeMap::new(),
            sources: Vec::new(),
            events: Vec::new(),
            names: Vec::new(),
            lookups: Lookups::default(),
        }
    }
}

/// Why `tally.toml` could not be used, with the bytes it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub span: Range<usize>,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    corpus: Option<RawCorpus>,
    diagnostics: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    sources: Option<BTreeMap<Spanned<String>, RawSource>>,
    events: Option<BTreeMap<Spanned<String>, RawEvent>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCorpus {
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    tolerance: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    name: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    affiliation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    title: Option<String>,
    when: Option<String>,
    #[serde(rename = "where")]
    where_: Option<String>,
    unit: Option<String>,
    #[serde(default)]
    cumulative: bool,
    tolerance: Option<Spanned<f64>>,
    part_of: Option<Spanned<String>>,
    #[serde(default)]
    parts: Vec<Spanned<String>>,
}

const AFFILIATIONS: &[&str] = &[
    "party",
    "government",
    "un",
    "ngo",
    "media",
    "independent",
    "unknown",
];

impl Config {
    /// Parse `tally.toml`. An error means the file cannot be used at all; the caller keeps
    /// the last good configuration (or the default).
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse_inner(text).map_err(|e| {
            // Point at the whole line the problem is on.
            let at = e.span.start.min(text.len());
            let start = text[..at].rfind('\n').map_or(0, |n| n + 1);
            let end = text[at..]
                .find('\n')
                .map_or(text.len(), |n| at + n)
                .max(e.span.end.min(text.len()));
            let message = e
                .message
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            ConfigError {
                span: start..end,
                message,
            }
        })
    }

    fn parse_inner(text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError {
            span: e.span().unwrap_or(0..0),
            message: format!("tally.toml: {}", e.message()),
        })?;
        let mut c = Config::default();
        let bad = |span: Range<usize>, message: String| Err(ConfigError { span, message });
        if let Some(corpus) = raw.corpus {
            if let Some(i) = corpus.include {
                c.include = i;
            }
            c.exclude = corpus.exclude.unwrap_or_default();
            if let Some(t) = corpus.tolerance {
                if !(0.0..1.0).contains(t.get_ref()) {
                    return bad(t.span(), "tolerance must be at least 0 and below 1".into());
                }
                c.tolerance = *t.get_ref();
            }
        }
        for (code, sev) in raw.diagnostics.unwrap_or_default() {
            let Some(k) = Code::from_name(code.get_ref()) else {
                return bad(
                    code.span(),
                    format!("unknown diagnostic code `{}`", code.get_ref()),
                );
            };
            let s = match sev.get_ref().as_str() {
                "off" => None,
                other => match Severity::from_name(other) {
                    Some(s) => Some(s),
                    None => {
                        return bad(
                            sev.span(),
                            format!("severity `{other}` is not error, warning, info, hint or off"),
                        )
                    }
                },
            };
            c.severities.insert(k, s);
        }
        for (id, s) in raw.sources.unwrap_or_default() {
            let affiliation = s.affiliation.unwrap_or_else(|| "unknown".into());
            if !AFFILIATIONS.contains(&affiliation.as_str()) {
                return bad(
                    id.span(),
                    format!(
                        "source `{}`: affiliation `{affiliation}` is not one of {}",
                        id.get_ref(),
                        AFFILIATIONS.join(", ")
                    ),
                );
            }
            c.sources.push(SourceDef {
                name: s.name.unwrap_or_else(|| id.get_ref().clone()),
                id_span: id.span(),
                id: id.into_inner(),
                aliases: s.aliases,
                affiliation,
            });
        }
        for (id, e) in raw.events.unwrap_or_default() {
            if !valid_event_id(id.get_ref()) {
                return bad(id.span(), format!("event id `{}` is not valid: use lowercase letters, digits, `.`, `_` and `-`", id.get_ref()));
            }
            let tolerance = match e.tolerance {
                Some(t) if !(0.0..1.0).contains(t.get_ref()) => {
                    return bad(t.span(), "tolerance must be at least 0 and below 1".into())
                }
                t => t.map(|t| *t.get_ref()),
            };
            c.events.push(EventDef {
                id_span: id.span(),
                id: id.into_inner(),
                title: e.title,
                when: e.when,
                where_: e.where_,
                unit: e.unit,
                cumulative: e.cumulative,
                tolerance,
                part_of: e.part_of.map(Spanned::into_inner),
                parts: e.parts.into_iter().map(Spanned::into_inner).collect(),
            });
        }
        // part_of / parts must name known events (looked up in a set: the lookups are made
        // once the events are sorted).
        let ids: super::FastSet<&str> = c.events.iter().map(|e| e.id.as_str()).collect();
        for e in &c.events {
            for p in e.part_of.iter().chain(&e.parts) {
                if !ids.contains(p.as_str()) {
                    return bad(
                        e.id_span.clone(),
                        format!("event `{}` refers to `{p}`, which is not defined", e.id),
                    );
                }
            }
        }
        c.sources.sort_by_key(|s| s.id_span.start);
        c.events.sort_by_key(|e| e.id_span.start);
        for (i, s) in c.sources.iter().enumerate() {
            for n in std::iter::once(&s.name)
                .chain(&s.aliases)
                .chain(std::iter::once(&s.id))
            {
                let key = normalize_name(n);
                if !key.is_empty() {
                    c.names.push((key, i));
                }
            }
        }
        c.build_lookups();
        Ok(c)
    }

    fn build_lookups(&mut self) {
        let mut l = Lookups::default();
        for (i, e) in self.events.iter().enumerate() {
            l.event_ix.entry(e.id.clone()).or_insert(i);
        }
        for (i, s) in self.sources.iter().enumerate() {
            for n in std::iter::once(&s.name).chain(&s.aliases) {
                let key = normalize_name(n);
                if !key.is_empty() {
                    l.name_keys.push((key, i));
                }
            }
        }
        l.name_finder = NameFinder::new(&l.name_keys);
        for (key, i) in &self.names {
            l.name_ix.entry(key.clone()).or_insert(*i);
        }
        for (i, e) in self.events.iter().enumerate() {
            let words = crate::checks::suggest::content_words(&format!(
                "{} {}",
                e.title.as_deref().unwrap_or(""),
                e.where_.as_deref().unwrap_or("")
            ));
            for w in &words {
                let next = l.title_postings.len() as u32;
                let id = *l.title_word_ix.entry(w.as_str().into()).or_insert(next);
                if id == next {
                    l.title_postings.push(Vec::new());
                }
                let list = &mut l.title_postings[id as usize];
                match list.last_mut() {
                    Some((ev, n)) if *ev == i => *n += 1,
                    _ => list.push((i, 1)),
                }
            }
            l.title_words.push(words);
        }
        let mut by_id: Vec<usize> = (0..self.events.len()).collect();
        by_id.sort_by(|&a, &b| self.events[a].id.cmp(&self.events[b].id).then(a.cmp(&b)));
        l.id_rank = vec![0; self.events.len()];
        for (rank, &i) in by_id.iter().enumerate() {
            l.id_rank[i] = rank as u32;
        }
        let units: Vec<Option<&str>> = self.events.iter().map(|e| e.unit.as_deref()).collect();
        let lengths: Vec<usize> = l.title_words.iter().map(Vec::len).collect();
        l.title_bits = crate::checks::title_bits::TitleBits::new(
            l.title_words.iter().flatten().map(String::as_str),
            &units,
            &lengths,
            &l.id_rank,
            &l.title_postings,
        );
        self.lookups = l;
    }

    /// The title words in many titles as bitsets, if they are current (`events` unchanged
    /// since parsing).
    pub fn title_bits(&self) -> Option<&crate::checks::title_bits::TitleBits> {
        let b = &self.lookups.title_bits;
        (b.events == self.events.len() && self.lookups.title_words.len() == self.events.len())
            .then_some(b)
    }

    /// The normalised names and aliases of every source (not their ids), in source order (the
    /// reference the tests compare [`Config::source_within`] with).
    #[cfg(test)]
    pub fn source_name_keys(&self) -> impl Iterator<Item = (&str, &SourceDef)> {
        self.lookups
            .name_keys
            .iter()
            .map(|(k, i)| (k.as_str(), &self.sources[*i]))
    }

    /// The content words of event `i`'s title and place, as [`crate::checks::suggest`] reads them.
    pub fn event_title_words(&self, i: usize) -> &[String] {
        self.lookups.title_words.get(i).map_or(&[], Vec::as_slice)
    }

    /// Event `i`'s place among the events sorted by id: comparing ranks orders as comparing
    /// ids does (events with the same id keep their file order).
    pub fn event_id_rank(&self, i: usize) -> u32 {
        self.lookups.id_rank.get(i).copied().unwrap_or(u32::MAX)
    }

    /// The events whose title words include `word`: (event index, how many times).
    pub fn events_with_title_word(&self, word: &str) -> &[(usize, usize)] {
        self.title_word(word)
            .map_or(&[], |id| self.events_with_title_word_id(id))
    }

    /// The number of a content word among the words of the event titles (as indexed when the
    /// configuration was parsed), if it is one: for looking a word up once and then using it
    /// with [`Config::events_with_title_word_id`] and [`crate::checks::title_bits`].
    pub fn title_word(&self, word: &str) -> Option<u32> {
        self.lookups.title_word_ix.get(word).copied()
    }

    /// [`Config::events_with_title_word`] by the word's number ([`Config::title_word`]).
    pub fn events_with_title_word_id(&self, id: u32) -> &[(usize, usize)] {
        self.lookups
            .title_postings
            .get(id as usize)
            .map_or(&[], Vec::as_slice)
    }

    pub fn source(&self, id: &str) -> Option<&SourceDef> {
        self.sources.iter().find(|s| s.id == id)
    }

    pub fn event(&self, id: &str) -> Option<&EventDef> {
        self.event_position(id).map(|i| &self.events[i])
    }

    /// The index of an event in `events`.
    pub fn event_position(&self, id: &str) -> Option<usize> {
        match self.lookups.event_ix.get(id) {
            Some(&i) if self.events.get(i).is_some_and(|e| e.id == id) => Some(i),
            // The table is complete unless `events` was changed after parsing.
            None if self.lookups.event_ix.len() == self.events.len() => None,
            _ => self.events.iter().position(|e| e.id == id),
        }
    }

    /// The source whose name or alias matches this attribution text, case- and
    /// article-insensitively ("the Russian military" matches "Russian military").
    pub fn match_source(&self, text: &str) -> Option<&SourceDef> {
        self.source_named(&normalize_name(text))
    }

    /// [`Config::match_source`] of a name already normalised ([`normalize_name`]).
    pub fn source_named(&self, key: &str) -> Option<&SourceDef> {
        if key.is_empty() {
            return None;
        }
        self.lookups.name_ix.get(key).map(|&i| &self.sources[i])
    }

    /// The source whose name or alias (not id) is the longest run of whole words of `norm`, a
    /// normalised name ([`normalize_name`]); of names of one length, the first in source order.
    pub fn source_within(&self, norm: &str) -> Option<&SourceDef> {
        self.lookups
            .name_finder
            .find(norm)
            .and_then(|i| self.sources.get(i))
    }

    /// The severity a code is reported at (`None`: off).
    pub fn severity(&self, code: Code) -> Option<Severity> {
        match self.severities.get(&code) {
            Some(s) => *s,
            None => Some(code.default_severity()),
        }
    }

    /// The tolerance that applies to an event.
    pub fn tolerance_for(&self, event: &str) -> f64 {
        self.event(event)
            .and_then(|e| e.tolerance)
            .unwrap_or(self.tolerance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sources_events_and_severities() {
        let c = Config::parse(
            "[corpus]\ntolerance = 0.1\n[diagnostics]\nunsourced-figure = \"off\"\n[sources.ru-mod]\nname = \"Russian Defence Ministry\"\naliases = [\"Russian military\"]\n[events.x]\ntitle = \"X\"\ncumulative = true\n",
        )
        .unwrap();
        assert_eq!(c.tolerance, 0.1);
        assert_eq!(c.severity(Code::UnsourcedFigure), None);
        assert_eq!(c.match_source("the Russian military").unwrap().id, "ru-mod");
        assert!(c.event("x").unwrap().cumulative);
    }

    /// A name or alias of several sources is the first's (in file order), case- and
    /// article-insensitively; ids match too.
    #[test]
    fn a_shared_name_matches_the_first_source() {
        let c = Config::parse(
            "[sources.b]\nname = \"B\"\naliases = [\"The Ministry\"]\n\
             [sources.moi]\nname = \"Ministry\"\n[sources.c]\nname = \"C\"\n",
        )
        .unwrap();
        assert_eq!(c.match_source("ministry").unwrap().id, "b");
        assert_eq!(c.match_source("the MINISTRY").unwrap().id, "b");
        assert_eq!(c.match_source("MOI").unwrap().id, "moi");
        assert_eq!(c.match_source("C").unwrap().id, "c");
        assert!(c.match_source("the").is_none());
        assert!(c.match_source("d").is_none());
    }

    /// `part_of` and `parts` must name events of the file, whatever their order; of several
    /// events naming unknown ones, the error is about the first by id, at its key.
    #[test]
    fn parts_must_name_known_events() {
        let ok = "[events.z]\nparts = [\"a\", \"m\"]\n[events.a]\npart_of = \"z\"\n[events.m]\n";
        let c = Config::parse(ok).unwrap();
        assert_eq!(c.event("z").unwrap().parts, ["a", "m"]);
        for (text, about) in [
            ("[events.a]\npart_of = \"b\"\n", "[events.a]"),
            ("[events.a]\nparts = [\"a\", \"x\"]\n", "[events.a]"),
            (
                "[events.y]\npart_of = \"q\"\n[events.b]\nparts = [\"y\", \"r\"]\n",
                "[events.b]",
            ),
        ] {
            let e = Config::parse(text).unwrap_err();
            assert_eq!(&text[e.span.clone()], about, "{text:?}");
            assert!(e.message.contains("which is not defined"), "{e:?}");
        }
    }

    #[test]
    fn errors_point_at_the_offending_bytes() {
        let text = "[events.x]\ntitle = \"X\"\ncumulativ = true\n";
        let e = Config::parse(text).unwrap_err();
        assert!(text[e.span.clone()].contains("cumulativ"), "{e:?}");
        let e = Config::parse("[diagnostics]\nunsourced-figure = \"loud\"\n").unwrap_err();
        assert!(e.message.contains("loud"));
    }
}
