//! Word lists: number words, qualifiers, counted nouns and the words that make a number no figure.
//!
//! The long lists are looked up through [`WordMap`], a small hash table built once, so a
//! lookup costs one or two comparisons instead of one per word of the list.

use std::sync::LazyLock;

/// A fixed table of words and their values, built once, looked up by a cheap hash of a word's
/// length and a few of its bytes: one or two string comparisons per lookup, whatever the size.
/// A bit filter on the first and last bytes and the length turns most other words away first.
pub struct WordMap<V: 'static> {
    /// Open addressing with linear probing; a power of two long, at most a quarter full.
    slots: Box<[Option<(&'static str, V)>]>,
    /// The number of slots less one: a hash masked with it is a slot.
    mask: usize,
    /// For each length (mod 16) and last byte (mod 32), the first bytes (mod 32) of the words
    /// with them, as bits.
    filter: Box<[u32; 512]>,
}

/// A [`WordMap`] that only says whether a word is in it.
pub type WordSet = WordMap<()>;

/// The slot a word hashes to before masking: its length and first, second, middle and last
/// bytes, mixed by one multiplication.
#[inline]
fn word_hash(w: &str) -> usize {
    let b = w.as_bytes();
    let n = b.len();
    if n == 0 {
        return 0;
    }
    let x = (n as u64)
        | (b[0] as u64) << 8
        | (b[n - 1] as u64) << 16
        | (b[n / 2] as u64) << 24
        | (b[1.min(n - 1)] as u64) << 32;
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize
}

/// Whether two words are the same bytes, compared a word of four or eight bytes at a time
/// (the last one overlapping), with no call for the short words of the lexicon.
#[inline(always)]
fn same_word(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let u64_at =
        |s: &[u8], k: usize| u64::from_le_bytes(s[k..k + 8].try_into().unwrap_or_default());
    let u32_at =
        |s: &[u8], k: usize| u32::from_le_bytes(s[k..k + 4].try_into().unwrap_or_default());
    if n >= 8 {
        let mut k = 0;
        while k + 8 < n {
            if u64_at(a, k) != u64_at(b, k) {
                return false;
            }
            k += 8;
        }
        u64_at(a, n - 8) == u64_at(b, n - 8)
    } else if n >= 4 {
        u32_at(a, 0) == u32_at(b, 0) && u32_at(a, n - 4) == u32_at(b, n - 4)
    } else {
        a.iter().zip(b).all(|(x, y)| x == y)
    }
}

/// A non-empty word's place in a [`WordMap`]'s filter: (entry, bit).
#[inline]
fn filter_bit(b: &[u8]) -> (usize, u32) {
    let n = b.len();
    ((n & 15) * 32 + (b[n - 1] & 31) as usize, 1 << (b[0] & 31))
}

impl<V: Copy> WordMap<V> {
    /// A table of `entries`; when a word is listed twice, its first value wins (as in `match`).
    pub fn new(entries: &[(&'static str, V)]) -> WordMap<V> {
        let len = (entries.len() * 4).next_power_of_two().max(16);
        let mask = len - 1;
        let mut slots: Vec<Option<(&'static str, V)>> = vec![None; len];
        let mut filter = Box::new([0u32; 512]);
        for &(w, v) in entries {
            assert!(!w.is_empty(), "a word map holds no empty word");
            let (slot, bit) = filter_bit(w.as_bytes());
            filter[slot] |= bit;
            let mut h = word_hash(w) & mask;
            loop {
                match slots[h] {
                    None => {
                        slots[h] = Some((w, v));
                        break;
                    }
                    Some((x, _)) if x == w => break,
                    Some(_) => h = (h + 1) & mask,
                }
            }
        }
        WordMap {
            slots: slots.into_boxed_slice(),
            mask,
            filter,
        }
    }

    /// The value of word `w`, if the table has it. The filter test, which turns most words
    /// away, is inlined into the caller; the probe is not.
    #[inline(always)]
    pub fn get(&self, w: &str) -> Option<V> {
        if w.is_empty() {
            return None;
        }
        let (slot, bit) = filter_bit(w.as_bytes());
        if self.filter[slot] & bit == 0 {
            return None;
        }
        self.probe(w)
    }

    /// The value of a non-empty word that passed the filter, if the table has it.
    #[inline(never)]
    fn probe(&self, w: &str) -> Option<V> {
        let mut h = word_hash(w) & self.mask;
        loop {
            match &self.slots[h] {
                None => return None,
                Some((x, v)) if same_word(x.as_bytes(), w.as_bytes()) => return Some(*v),
                Some(_) => h = (h + 1) & self.mask,
            }
        }
    }
}

impl WordMap<()> {
    /// A set of `words`.
    pub fn from_words(words: &[&'static str]) -> WordSet {
        let entries: Vec<(&'static str, ())> = words.iter().map(|&w| (w, ())).collect();
        WordMap::new(&entries)
    }

    /// Whether `w` is in the set.
    #[inline(always)]
    pub fn contains(&self, w: &str) -> bool {
        self.get(w).is_some()
    }
}

/// Whether a numeral can start at the lowercase word `w`: a cardinal ("four"), "a"/"an",
/// "half", "several"/"few"/"many", or a vague magnitude ("hundreds", "tens of thousands").
/// Every other word is skipped at once by the reader.
#[inline]
pub fn may_start_numeral(w: &str) -> bool {
    numeral_starts().contains(w)
}

/// The words [`may_start_numeral`] accepts, for a caller that tests many words.
pub fn numeral_starts() -> &'static WordSet {
    static SET: LazyLock<WordSet> = LazyLock::new(|| {
        let mut words: Vec<&'static str> = vec![
            "a",
            "an",
            "half",
            "several",
            "few",
            "many",
            "hundred",
            "hundreds",
            "tens",
            "dozens",
            "scores",
            "thousands",
            "millions",
            "billions",
        ];
        words.extend(SMALL_NUMBERS.iter().map(|(w, _)| *w));
        WordSet::from_words(&words)
    });
    &SET
}

/// The cardinal number words below a hundred, with their values.
const SMALL_NUMBERS: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
];

/// The value of a cardinal number word below a hundred.
pub fn small_number(w: &str) -> Option<f64> {
    static MAP: LazyLock<WordMap<f64>> = LazyLock::new(|| WordMap::new(SMALL_NUMBERS));
    MAP.get(w)
}

pub fn is_tens(w: &str) -> bool {
    matches!(
        w,
        "twenty" | "thirty" | "forty" | "fifty" | "sixty" | "seventy" | "eighty" | "ninety"
    )
}

/// Magnitude words that multiply what comes before ("20 thousand", "1.5 million").
pub fn magnitude(w: &str) -> Option<f64> {
    Some(match w {
        "hundred" => 100.0,
        "thousand" => 1e3,
        "million" | "mln" => 1e6,
        "billion" | "bn" => 1e9,
        "trillion" => 1e12,
        _ => return None,
    })
}

/// Plural magnitudes read as vague quantities (SPEC 3.1).
pub fn vague_plural(w: &str) -> Option<(f64, f64)> {
    Some(match w {
        "dozens" => (24.0, 99.0),
        "scores" => (40.0, 99.0),
        "hundreds" => (100.0, 999.0),
        "thousands" => (1e3, 9999.0),
        "millions" => (1e6, 9_999_999.0),
        "billions" => (1e9, 9_999_999_999.0),
        _ => return None,
    })
}

/// Fraction words: "third" → 1/3 ("one-third", "a third of", "two-thirds").
pub fn fraction_denominator(w: &str) -> Option<f64> {
    Some(match w {
        "half" | "halves" => 2.0,
        "third" | "thirds" => 3.0,
        "quarter" | "quarters" | "fourth" | "fourths" => 4.0,
        "fifth" | "fifths" => 5.0,
        "sixth" | "sixths" => 6.0,
        "seventh" | "sevenths" => 7.0,
        "eighth" | "eighths" => 8.0,
        "ninth" | "ninths" => 9.0,
        "tenth" | "tenths" => 10.0,
        _ => return None,
    })
}

/// A qualifier before a number: the words, and what they make of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pre {
    /// Lower bound; `true` when the bound itself is excluded ("more than").
    Lower(bool),
    /// Upper bound; `true` when excluded ("fewer than").
    Upper(bool),
    Approx,
    /// Approximate but capped at the value ("nearly", "almost", "close to").
    ApproxCapped,
    Exact,
    /// "between a and b"
    Between,
    /// "from a to b"
    From,
}

/// Qualifier phrases, longest first within each leading word.
pub const QUALIFIERS: &[(&str, Pre)] = &[
    ("no fewer than", Pre::Lower(false)),
    ("not fewer than", Pre::Lower(false)),
    ("no less than", Pre::Lower(false)),
    ("not less than", Pre::Lower(false)),
    ("at least", Pre::Lower(false)),
    ("a minimum of", Pre::Lower(false)),
    ("upwards of", Pre::Lower(true)),
    ("in excess of", Pre::Lower(true)),
    ("well over", Pre::Lower(true)),
    ("just over", Pre::Lower(true)),
    ("more than", Pre::Lower(true)),
    ("over", Pre::Lower(true)),
    ("above", Pre::Lower(true)),
    ("no more than", Pre::Upper(false)),
    ("not more than", Pre::Upper(false)),
    ("at most", Pre::Upper(false)),
    ("a maximum of", Pre::Upper(false)),
    ("as many as", Pre::Upper(false)),
    ("as much as", Pre::Upper(false)),
    ("up to", Pre::Upper(false)),
    ("fewer than", Pre::Upper(true)),
    ("less than", Pre::Upper(true)),
    ("just under", Pre::Upper(true)),
    ("just below", Pre::Upper(true)),
    ("under", Pre::Upper(true)),
    ("below", Pre::Upper(true)),
    ("as low as", Pre::Approx),
    ("as few as", Pre::Approx),
    ("as high as", Pre::Approx),
    ("an estimated", Pre::Approx),
    ("estimated", Pre::Approx),
    ("approximately", Pre::Approx),
    ("approx", Pre::Approx),
    ("roughly", Pre::Approx),
    ("around", Pre::Approx),
    ("about", Pre::Approx),
    ("some", Pre::Approx),
    ("circa", Pre::Approx),
    ("nearly", Pre::ApproxCapped),
    ("almost", Pre::ApproxCapped),
    ("close to", Pre::ApproxCapped),
    ("exactly", Pre::Exact),
    ("precisely", Pre::Exact),
    ("between", Pre::Between),
    ("from", Pre::From),
];

/// A phrase of [`QUALIFIERS`] cut into its words.
pub struct QualifierPhrase {
    /// The words, in reading order ("at", "least").
    pub words: Vec<&'static str>,
    pub pre: Pre,
}

/// The phrases of [`QUALIFIERS`] grouped by one of their words, each group in table order.
struct QualifierIndex {
    phrases: Vec<QualifierPhrase>,
    /// A word → the range of `phrases` keyed by it.
    by_word: WordMap<(usize, usize)>,
}

impl QualifierIndex {
    /// The index keyed by the word `key` picks from a phrase's words.
    fn new(key: fn(&[&'static str]) -> &'static str) -> QualifierIndex {
        let split: Vec<(Vec<&'static str>, Pre)> = QUALIFIERS
            .iter()
            .map(|(p, pre)| (p.split(' ').collect(), *pre))
            .collect();
        let mut keys: Vec<&'static str> = Vec::new();
        for (words, _) in &split {
            if !keys.contains(&key(words)) {
                keys.push(key(words));
            }
        }
        let mut phrases = Vec::new();
        let mut ranges = Vec::new();
        for k in keys {
            let start = phrases.len();
            for (words, pre) in split.iter().filter(|(w, _)| key(w) == k) {
                phrases.push(QualifierPhrase {
                    words: words.clone(),
                    pre: *pre,
                });
            }
            ranges.push((k, (start, phrases.len())));
        }
        QualifierIndex {
            phrases,
            by_word: WordMap::new(&ranges),
        }
    }

    /// The phrases keyed by word `w`, none when no phrase has it.
    fn get(&self, w: &str) -> &[QualifierPhrase] {
        self.by_word
            .get(w)
            .map_or(&[][..], |(a, b)| &self.phrases[a..b])
    }
}

/// The phrases of [`QUALIFIERS`] whose last word is `w`, in table order.
pub fn qualifiers_ending_with(w: &str) -> &'static [QualifierPhrase] {
    static INDEX: LazyLock<QualifierIndex> =
        LazyLock::new(|| QualifierIndex::new(|words| words[words.len() - 1]));
    INDEX.get(w)
}

/// The phrases of [`QUALIFIERS`] whose first word is `w`, in table order.
pub fn qualifiers_starting_with(w: &str) -> &'static [QualifierPhrase] {
    static INDEX: LazyLock<QualifierIndex> =
        LazyLock::new(|| QualifierIndex::new(|words| words[0]));
    INDEX.get(w)
}

/// The word lists a word after a number is looked up in, as bits of [`NounClasses`].
pub mod class {
    /// [`super::ends_noun_phrase`].
    pub const ENDS_NOUN_PHRASE: u16 = 1;
    /// The first word of a qualifier phrase ([`super::qualifiers_starting_with`] has some).
    pub const OPENS_QUALIFIER: u16 = 1 << 1;
    /// [`super::is_time_or_distance_unit`].
    pub const TIME_OR_DISTANCE: u16 = 1 << 2;
    /// [`super::is_known_noun`].
    pub const KNOWN_NOUN: u16 = 1 << 3;
    /// [`super::is_claim_noun`].
    pub const CLAIM_NOUN: u16 = 1 << 4;
    /// [`super::is_incidental_noun`].
    pub const INCIDENTAL_NOUN: u16 = 1 << 5;
    /// [`super::is_page_furniture`].
    pub const PAGE_FURNITURE: u16 = 1 << 6;
    /// [`super::is_month`].
    pub const MONTH: u16 = 1 << 7;
    /// [`super::is_weekday`].
    pub const WEEKDAY: u16 = 1 << 8;
}

/// The lists of [`class`] a word is in, as its bits: what the counted-noun reader asks of a
/// word, in one look-up instead of one per list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NounClasses(pub u16);

impl NounClasses {
    /// Whether the word is in the list of bit `c`.
    #[inline]
    pub fn has(self, c: u16) -> bool {
        self.0 & c != 0
    }
}

/// The [`NounClasses`] of the lowercase word `w`.
pub fn noun_classes(w: &str) -> NounClasses {
    static MAP: LazyLock<WordMap<u16>> = LazyLock::new(|| {
        let mut bits: std::collections::BTreeMap<&'static str, u16> = Default::default();
        let mut add = |words: &[&'static str], c: u16| {
            for &w in words {
                *bits.entry(w).or_default() |= c;
            }
        };
        add(NOUN_PHRASE_ENDS, class::ENDS_NOUN_PHRASE);
        let openers: Vec<&'static str> = QUALIFIERS
            .iter()
            .filter_map(|(p, _)| p.split(' ').next())
            .collect();
        add(&openers, class::OPENS_QUALIFIER);
        add(TIME_UNIT_WORDS, class::TIME_OR_DISTANCE | class::KNOWN_NOUN);
        add(
            DISTANCE_UNIT_WORDS,
            class::TIME_OR_DISTANCE | class::KNOWN_NOUN,
        );
        add(CLAIM_NOUN_WORDS, class::CLAIM_NOUN | class::KNOWN_NOUN);
        add(
            INCIDENTAL_NOUN_WORDS,
            class::INCIDENTAL_NOUN | class::KNOWN_NOUN,
        );
        for (_, ws) in CURRENCIES {
            add(ws, class::KNOWN_NOUN);
        }
        add(PAGE_FURNITURE_WORDS, class::PAGE_FURNITURE);
        add(MONTH_WORDS, class::MONTH);
        add(WEEKDAY_WORDS, class::WEEKDAY);
        let entries: Vec<(&'static str, u16)> = bits.into_iter().collect();
        WordMap::new(&entries)
    });
    NounClasses(MAP.get(w).unwrap_or(0))
}

/// Nouns whose counts a source could dispute (SPEC 3): people, places, territory, objects,
/// money, aid. Matched on the lowercase head noun.
/// Whether `w` is a noun the lexicon knows: [`is_claim_noun`], [`is_incidental_noun`],
/// [`is_time_unit`], [`is_distance_unit`] or a [`currency`] word, in one look-up.
// The reader asks [`noun_classes`]; the list's own look-up stays for the tests, which hold
// the classes to it.
#[cfg(test)]
pub fn is_known_noun(w: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| {
        let mut words: Vec<&'static str> = [
            CLAIM_NOUN_WORDS,
            INCIDENTAL_NOUN_WORDS,
            TIME_UNIT_WORDS,
            DISTANCE_UNIT_WORDS,
        ]
        .concat();
        for (_, ws) in CURRENCIES {
            words.extend_from_slice(ws);
        }
        WordSet::from_words(&words)
    });
    SET.contains(w)
}

/// Whether `w` is [`is_time_unit`] or [`is_distance_unit`], in one look-up.
pub fn is_time_or_distance_unit(w: &str) -> bool {
    static SET: LazyLock<WordSet> =
        LazyLock::new(|| WordSet::from_words(&[TIME_UNIT_WORDS, DISTANCE_UNIT_WORDS].concat()));
    SET.contains(w)
}

// The reader asks [`noun_classes`]; the list's own look-up stays for the tests, which hold
// the classes to it.
#[cfg(test)]
pub fn is_claim_noun(w: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::from_words(CLAIM_NOUN_WORDS));
    SET.contains(w)
}

/// The words [`is_claim_noun`] accepts.
const CLAIM_NOUN_WORDS: &[&str] = &[
    "people",
    "persons",
    "person",
    "civilians",
    "civilian",
    "residents",
    "inhabitants",
    "refugees",
    "evacuees",
    "displaced",
    "children",
    "child",
    "kids",
    "women",
    "men",
    "man",
    "woman",
    "babies",
    "infants",
    "fighters",
    "fighter",
    "militants",
    "militant",
    "jihadis",
    "jihadi",
    "jihadists",
    "jihadist",
    "rebels",
    "rebel",
    "terrorists",
    "terrorist",
    "gunmen",
    "insurgents",
    "insurgent",
    "militiamen",
    "combatants",
    "mercenaries",
    "soldiers",
    "soldier",
    "troops",
    "servicemen",
    "officers",
    "policemen",
    "police",
    "guards",
    "commanders",
    "commander",
    "chiefs",
    "leaders",
    "members",
    "volunteers",
    "recruits",
    "allies",
    "prisoners",
    "detainees",
    "hostages",
    "captives",
    "casualties",
    "dead",
    "deaths",
    "bodies",
    "killed",
    "wounded",
    "injured",
    "victims",
    "missing",
    "families",
    "households",
    "doctors",
    "medics",
    "nurses",
    "journalists",
    "workers",
    "students",
    "protesters",
    "demonstrators",
    "migrants",
    "patients",
    "defectors",
    "deserters",
    "personnel",
    "neighbourhoods",
    "neighborhoods",
    "districts",
    "villages",
    "towns",
    "cities",
    "settlements",
    "positions",
    "checkpoints",
    "homes",
    "houses",
    "buildings",
    "schools",
    "hospitals",
    "clinics",
    "mosques",
    "churches",
    "shelters",
    "buses",
    "trucks",
    "lorries",
    "vehicles",
    "cars",
    "tanks",
    "aircraft",
    "planes",
    "jets",
    "warplanes",
    "helicopters",
    "drones",
    "missiles",
    "rockets",
    "shells",
    "mortars",
    "bombs",
    "barrels",
    "strikes",
    "airstrikes",
    "raids",
    "sorties",
    "attacks",
    "weapons",
    "rifles",
    "tons",
    "tonnes",
    "meals",
    "parcels",
    "packages",
    "kits",
    "convoys",
    "dollars",
    "euros",
    "pounds",
    "rubles",
    "roubles",
    "liras",
    "tents",
    "beds",
    "doses",
    "vaccines",
    "hectares",
    "acres",
    "ambulances",
    "bombers",
    "villagers",
    "orphans",
    "staff",
    "ships",
    "vessels",
    "boats",
    "artillery",
    "guns",
    "launchers",
    "mines",
    "explosives",
    "fatalities",
    "arrests",
    "arrested",
    "executions",
    "executed",
    "abducted",
    "kidnapped",
    "survivors",
    "evacuated",
    "rescued",
    "returnees",
    "pilgrims",
    "voters",
    "votes cast",
    "seats",
    "hostilities",
    "incidents",
    "violations",
    "crossings",
];

/// Nouns that make a small count incidental: anecdote, layout and page furniture.
// The reader asks [`noun_classes`]; the list's own look-up stays for the tests, which hold
// the classes to it.
#[cfg(test)]
pub fn is_incidental_noun(w: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::from_words(INCIDENTAL_NOUN_WORDS));
    SET.contains(w)
}

/// The words [`is_incidental_noun`] accepts.
const INCIDENTAL_NOUN_WORDS: &[&str] = &[
    "sides",
    "side",
    "corridors",
    "corridor",
    "daughters",
    "daughter",
    "sons",
    "son",
    "brothers",
    "brother",
    "sisters",
    "sister",
    "wives",
    "wife",
    "husbands",
    "husband",
    "parents",
    "comments",
    "comment",
    "votes",
    "vote",
    "shares",
    "likes",
    "views",
    "replies",
    "points",
    "things",
    "ways",
    "questions",
    "reasons",
    "options",
    "area",
    "areas",
    "parts",
    "part",
    "times",
    "steps",
    "sentences",
    "words",
    "pages",
    "photos",
    "pictures",
    "videos",
    "countries",
    "nations",
    "groups",
    "fronts",
    "roads",
    "routes",
    "axes",
    "exits",
    "goals",
    "issues",
    "examples",
    "lines",
    "hands",
    "eyes",
    "legs",
];

/// Counts a web page shows about itself ("27 comments", "1,432 views"): never claims.
// The reader asks [`noun_classes`]; the list's own look-up stays for the tests, which hold
// the classes to it.
#[cfg(test)]
pub fn is_page_furniture(w: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::from_words(PAGE_FURNITURE_WORDS));
    SET.contains(w)
}

/// The words [`is_page_furniture`] accepts.
const PAGE_FURNITURE_WORDS: &[&str] = &[
    "comments",
    "comment",
    "views",
    "view",
    "shares",
    "share",
    "likes",
    "like",
    "votes",
    "vote",
    "replies",
    "reply",
    "followers",
    "subscribers",
    "reads",
    "retweets",
    "reactions",
    "pageviews",
    "min",
    "mins",
];

/// Units of time: a count of them is a duration, not a figure.
pub fn is_time_unit(w: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::from_words(TIME_UNIT_WORDS));
    SET.contains(w)
}

/// The words [`is_time_unit`] accepts.
const TIME_UNIT_WORDS: &[&str] = &[
    "second",
    "seconds",
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "night",
    "nights",
    "week",
    "weeks",
    "fortnight",
    "fortnights",
    "month",
    "months",
    "year",
    "years",
    "decade",
    "decades",
    "century",
    "centuries",
    "millennia",
    "hrs",
    "mins",
    "yrs",
    "weekend",
    "weekends",
    "morning",
    "mornings",
    "evening",
    "evenings",
    "semester",
    "semesters",
    "quarter-hour",
    "generations",
    "generation",
];

/// Units of length and speed: a count of them is a distance.
pub fn is_distance_unit(w: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::from_words(DISTANCE_UNIT_WORDS));
    SET.contains(w)
}

/// The words [`is_distance_unit`] accepts.
const DISTANCE_UNIT_WORDS: &[&str] = &[
    "km",
    "kms",
    "kilometer",
    "kilometers",
    "kilometre",
    "kilometres",
    "mile",
    "miles",
    "mi",
    "meter",
    "meters",
    "metre",
    "metres",
    "m",
    "cm",
    "mm",
    "centimeters",
    "centimetres",
    "millimeters",
    "millimetres",
    "feet",
    "foot",
    "ft",
    "yard",
    "yards",
    "inch",
    "inches",
    "nautical",
    "mph",
    "kph",
    "knots",
    "degrees",
    "kg",
    "kilograms",
    "kilos",
    "grams",
    "lbs",
    "calibre",
    "caliber",
];

/// Month names and their abbreviations.
pub fn is_month(w: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::from_words(MONTH_WORDS));
    SET.contains(w)
}

/// The words [`is_month`] accepts.
const MONTH_WORDS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

pub fn is_weekday(w: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::from_words(WEEKDAY_WORDS));
    SET.contains(w)
}

/// The words [`is_weekday`] accepts.
const WEEKDAY_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
];

/// Capitalised words before a number that make it a name or code ("Resolution 2254").
pub fn is_code_word(w: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::from_words(CODE_WORDS));
    SET.contains(w)
}

/// The words [`is_code_word`] accepts.
const CODE_WORDS: &[&str] = &[
    "resolution",
    "article",
    "chapter",
    "no",
    "nos",
    "number",
    "route",
    "highway",
    "flight",
    "room",
    "page",
    "pages",
    "section",
    "paragraph",
    "clause",
    "decree",
    "law",
    "act",
    "item",
    "point",
    "phase",
    "level",
    "grade",
    "class",
    "vol",
    "volume",
    "issue",
    "episode",
    "season",
    "part",
    "version",
    "channel",
    "platform",
    "gate",
    "terminal",
    "block",
    "building",
    "apartment",
    "unit",
    "division",
    "brigade",
    "regiment",
    "battalion",
    "squadron",
    "camp",
    "zone",
    "sector",
    "ward",
    "precinct",
    "floor",
    "door",
    "track",
    "bus",
    "tram",
    "exit",
    "road",
    "street",
    "p",
    "pp",
    "fig",
    "figure",
    "table",
    "annex",
    "appendix",
    "protocol",
    "rule",
    "case",
    "file",
    "ref",
    "reference",
    "code",
    "model",
    "type",
    "mark",
    "mk",
    "tier",
    "stage",
    "round",
    "week",
    "day",
    "year",
    "hill",
    "kilometre",
    "kilometer",
    "km",
    "gen",
    "generation",
    "series",
    "district",
    "lot",
    "plot",
    "square",
    "camp's",
    "checkpoint",
    "base",
    "station",
    "post",
    "tower",
    "sheet",
    "line",
    "bill",
    "motion",
    "amendment",
    "order",
];

/// Currency symbols and codes.
pub fn currency(w: &str) -> Option<&'static str> {
    static MAP: LazyLock<WordMap<&'static str>> = LazyLock::new(|| {
        let mut entries: Vec<(&'static str, &'static str)> = Vec::new();
        for (code, words) in CURRENCIES {
            entries.extend(words.iter().map(|&w| (w, *code)));
        }
        WordMap::new(&entries)
    });
    MAP.get(w)
}

/// Currency codes and the symbols and words for each.
const CURRENCIES: &[(&str, &[&str])] = &[
    ("USD", &["$", "us$", "usd", "dollars", "dollar"]),
    ("EUR", &["€", "eur", "euros", "euro"]),
    ("GBP", &["£", "gbp", "pounds", "sterling"]),
    ("JPY", &["¥", "yen"]),
    ("RUB", &["rubles", "roubles", "rub"]),
    ("TRY", &["liras", "lira", "try"]),
];

/// Function words that end a noun phrase after a number.
pub fn ends_noun_phrase(w: &str) -> bool {
    static SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::from_words(NOUN_PHRASE_ENDS));
    SET.contains(w)
}

/// The words [`ends_noun_phrase`] accepts.
const NOUN_PHRASE_ENDS: &[&str] = &[
    "the",
    "a",
    "an",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "with",
    "and",
    "or",
    "but",
    "nor",
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "were",
    "was",
    "are",
    "is",
    "have",
    "has",
    "had",
    "will",
    "would",
    "could",
    "should",
    "can",
    "may",
    "might",
    "must",
    "been",
    "being",
    "be",
    "they",
    "he",
    "she",
    "it",
    "we",
    "you",
    "i",
    "their",
    "its",
    "his",
    "her",
    "our",
    "this",
    "these",
    "those",
    "than",
    "as",
    "if",
    "into",
    "onto",
    "since",
    "after",
    "before",
    "during",
    "while",
    "when",
    "where",
    "there",
    "here",
    "not",
    "no",
    "so",
    "also",
    "per",
    "each",
    "every",
    "more",
    "most",
    "less",
    "among",
    "amongst",
    "including",
    "about",
    "around",
    "over",
    "under",
    "up",
    "down",
    "out",
    "off",
    "did",
    "do",
    "does",
    "said",
    "says",
    "say",
    "then",
    "now",
    "today",
    "yesterday",
    "only",
    "just",
    "alone",
    "again",
    "all",
    "both",
    "either",
    "neither",
    "other",
    "others",
    "another",
    "such",
    "what",
    "them",
    "him",
    "us",
    "me",
];

/// Head nouns that are the same thing counted ("militants" and "jihadis"), for repeats.
pub fn noun_group(w: &str) -> &str {
    match w {
        "militants" | "militant" | "jihadis" | "jihadi" | "jihadists" | "fighters" | "rebels"
        | "terrorists" | "gunmen" | "insurgents" | "combatants" | "militiamen" => "fighters",
        "chiefs" | "commanders" | "leaders" | "commander" | "chief" | "leader" => "commanders",
        "civilians" | "people" | "persons" | "residents" | "inhabitants" | "civilian"
        | "person" => "people",
        "killed" | "dead" | "deaths" | "bodies" | "victims" => "killed",
        "wounded" | "injured" | "injuries" => "wounded",
        "soldiers" | "troops" | "servicemen" | "soldier" => "soldiers",
        "neighbourhoods" | "neighborhoods" | "districts" => "neighbourhoods",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words compared a machine word at a time are equal exactly when their bytes are, at
    /// every length up to 20 and with a difference at every place.
    #[test]
    fn words_compare_as_their_bytes() {
        for n in 0..=20usize {
            let a: Vec<u8> = (0..n as u8).map(|k| b'a' + k).collect();
            assert!(same_word(&a, &a.clone()), "{n}");
            for k in 0..n {
                let mut b = a.clone();
                b[k] ^= 0x20;
                assert!(!same_word(&a, &b), "{n} {k}");
            }
            let mut longer = a.clone();
            longer.push(b'z');
            assert!(!same_word(&a, &longer), "{n}");
            assert!(!same_word(&longer, &a), "{n}");
        }
    }

    /// Every list answers through its [`WordMap`] exactly as a scan of the list would, for its
    /// own words, every other list's words, and near misses (prefixes, suffixes, case, empty).
    #[test]
    fn word_maps_answer_as_the_lists() {
        /// A list and the predicate that looks words up in it.
        type List = (&'static [&'static str], fn(&str) -> bool);
        let lists: &[List] = &[
            (CLAIM_NOUN_WORDS, is_claim_noun),
            (INCIDENTAL_NOUN_WORDS, is_incidental_noun),
            (PAGE_FURNITURE_WORDS, is_page_furniture),
            (TIME_UNIT_WORDS, is_time_unit),
            (DISTANCE_UNIT_WORDS, is_distance_unit),
            (MONTH_WORDS, is_month),
            (WEEKDAY_WORDS, is_weekday),
            (CODE_WORDS, is_code_word),
            (NOUN_PHRASE_ENDS, ends_noun_phrase),
        ];
        let mut probes: Vec<String> = vec![String::new(), "x".repeat(40), "é".into()];
        for (list, _) in lists {
            for w in *list {
                probes.push(w.to_string());
                probes.push(format!("{w}s"));
                probes.push(w[..w.len() - 1].to_string());
                probes.push(w.to_uppercase());
                probes.push(format!("x{w}"));
            }
        }
        for (list, f) in lists {
            for p in &probes {
                assert_eq!(f(p), list.contains(&p.as_str()), "{p:?}");
            }
        }
        for p in &probes {
            let want = SMALL_NUMBERS.iter().find(|(w, _)| w == p).map(|(_, v)| *v);
            assert_eq!(small_number(p), want, "{p:?}");
            let want = CURRENCIES
                .iter()
                .find(|(_, ws)| ws.contains(&p.as_str()))
                .map(|(c, _)| *c);
            assert_eq!(currency(p), want, "{p:?}");
        }
        // The joined sets answer as their lists do, currency words too.
        let currency_words = CURRENCIES.iter().flat_map(|(_, ws)| ws.iter());
        for p in probes
            .iter()
            .map(String::as_str)
            .chain(currency_words.copied())
        {
            let known = is_claim_noun(p)
                || is_incidental_noun(p)
                || is_time_unit(p)
                || is_distance_unit(p)
                || currency(p).is_some();
            assert_eq!(is_known_noun(p), known, "{p:?}");
            let unit = is_time_unit(p) || is_distance_unit(p);
            assert_eq!(is_time_or_distance_unit(p), unit, "{p:?}");
        }
        assert_eq!(currency("$"), Some("USD"));
        assert_eq!(currency("liras"), Some("TRY"));
        assert_eq!(small_number("ninety"), Some(90.0));
    }

    /// The words a numeral can start with, and no others.
    #[test]
    fn numeral_starts() {
        for w in [
            "a", "an", "half", "several", "few", "many", "one", "ninety", "hundred",
        ] {
            assert!(may_start_numeral(w), "{w}");
        }
        for w in [
            "tens",
            "hundreds",
            "thousands",
            "millions",
            "billions",
            "dozens",
            "scores",
        ] {
            assert!(may_start_numeral(w), "{w}");
        }
        for w in [
            "", "the", "of", "thousand", "million", "dozen", "people", "onee", "A",
        ] {
            assert!(!may_start_numeral(w), "{w}");
        }
    }

    /// The qualifier index gives the phrases of [`QUALIFIERS`] ending or starting with a word,
    /// in table order.
    /// Each class bit of a word is what the list's own look-up says, for every word of
    /// every list and others.
    #[test]
    fn noun_classes_answer_as_the_lists() {
        let mut words: Vec<&str> = [
            CLAIM_NOUN_WORDS,
            INCIDENTAL_NOUN_WORDS,
            PAGE_FURNITURE_WORDS,
            TIME_UNIT_WORDS,
            DISTANCE_UNIT_WORDS,
            MONTH_WORDS,
            WEEKDAY_WORDS,
            CODE_WORDS,
            NOUN_PHRASE_ENDS,
        ]
        .concat();
        for (p, _) in QUALIFIERS {
            words.extend(p.split(' '));
        }
        for (_, ws) in CURRENCIES {
            words.extend_from_slice(ws);
        }
        words.extend([
            "",
            "x",
            "dead",
            "al-qaeda",
            "fighters-",
            "people",
            "peoples",
            "year-old",
            "é",
            "some",
            "somE",
            "mays",
            "ma",
            "10",
            "per",
            "of",
        ]);
        let extra: Vec<String> = words.iter().map(|w| format!("{w}s")).collect();
        words.extend(extra.iter().map(String::as_str));
        for w in words {
            let c = noun_classes(w);
            let want = [
                (class::ENDS_NOUN_PHRASE, ends_noun_phrase(w)),
                (
                    class::OPENS_QUALIFIER,
                    !qualifiers_starting_with(w).is_empty(),
                ),
                (class::TIME_OR_DISTANCE, is_time_or_distance_unit(w)),
                (class::KNOWN_NOUN, is_known_noun(w)),
                (class::CLAIM_NOUN, is_claim_noun(w)),
                (class::INCIDENTAL_NOUN, is_incidental_noun(w)),
                (class::PAGE_FURNITURE, is_page_furniture(w)),
                (class::MONTH, is_month(w)),
                (class::WEEKDAY, is_weekday(w)),
            ];
            for (bit, answer) in want {
                assert_eq!(c.has(bit), answer, "{w:?} bit {bit}");
            }
        }
    }

    #[test]
    fn qualifier_index_keeps_table_order() {
        let words: Vec<&str> = QUALIFIERS
            .iter()
            .flat_map(|(p, _)| p.split(' '))
            .chain(["people", "", "At"])
            .collect();
        for w in words {
            let want: Vec<(Vec<&str>, Pre)> = QUALIFIERS
                .iter()
                .map(|(p, pre)| (p.split(' ').collect::<Vec<_>>(), *pre))
                .filter(|(p, _)| p.last() == Some(&w))
                .collect();
            let got: Vec<(Vec<&str>, Pre)> = qualifiers_ending_with(w)
                .iter()
                .map(|q| (q.words.clone(), q.pre))
                .collect();
            assert_eq!(got, want, "{w:?}");
            let want: Vec<(Vec<&str>, Pre)> = QUALIFIERS
                .iter()
                .map(|(p, pre)| (p.split(' ').collect::<Vec<_>>(), *pre))
                .filter(|(p, _)| p[0] == w)
                .collect();
            let got: Vec<(Vec<&str>, Pre)> = qualifiers_starting_with(w)
                .iter()
                .map(|q| (q.words.clone(), q.pre))
                .collect();
            assert_eq!(got, want, "{w:?}");
        }
    }
}
