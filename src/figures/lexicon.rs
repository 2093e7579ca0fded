//! Word lists: number words, qualifiers, counted nouns and the words that make a number no figure.

/// The value of a cardinal number word below a hundred.
pub fn small_number(w: &str) -> Option<f64> {
    Some(match w {
        "zero" => 0.0,
        "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        _ => return None,
    })
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

/// Nouns whose counts a source could dispute (SPEC 3): people, places, territory, objects,
/// money, aid. Matched on the lowercase head noun.
pub fn is_claim_noun(w: &str) -> bool {
    matches!(
        w,
        "people"
            | "persons"
            | "person"
            | "civilians"
            | "civilian"
            | "residents"
            | "inhabitants"
            | "refugees"
            | "evacuees"
            | "displaced"
            | "children"
            | "child"
            | "kids"
            | "women"
            | "men"
            | "man"
            | "woman"
            | "babies"
            | "infants"
            | "fighters"
            | "fighter"
            | "militants"
            | "militant"
            | "jihadis"
            | "jihadi"
            | "jihadists"
            | "jihadist"
            | "rebels"
            | "rebel"
            | "terrorists"
            | "terrorist"
            | "gunmen"
            | "insurgents"
            | "insurgent"
            | "militiamen"
            | "combatants"
            | "mercenaries"
            | "soldiers"
            | "soldier"
            | "troops"
            | "servicemen"
            | "officers"
            | "policemen"
            | "police"
            | "guards"
            | "commanders"
            | "commander"
            | "chiefs"
            | "leaders"
            | "members"
            | "volunteers"
            | "recruits"
            | "allies"
            | "prisoners"
            | "detainees"
            | "hostages"
            | "captives"
            | "casualties"
            | "dead"
            | "deaths"
            | "bodies"
            | "killed"
            | "wounded"
            | "injured"
            | "victims"
            | "missing"
            | "families"
            | "households"
            | "doctors"
            | "medics"
            | "nurses"
            | "journalists"
            | "workers"
            | "students"
            | "protesters"
            | "demonstrators"
            | "migrants"
            | "patients"
            | "defectors"
            | "deserters"
            | "personnel"
            | "neighbourhoods"
            | "neighborhoods"
            | "districts"
            | "villages"
            | "towns"
            | "cities"
            | "settlements"
            | "positions"
            | "checkpoints"
            | "homes"
            | "houses"
            | "buildings"
            | "schools"
            | "hospitals"
            | "clinics"
            | "mosques"
            | "churches"
            | "shelters"
            | "buses"
            | "trucks"
            | "lorries"
            | "vehicles"
            | "cars"
            | "tanks"
            | "aircraft"
            | "planes"
            | "jets"
            | "warplanes"
            | "helicopters"
            | "drones"
            | "missiles"
            | "rockets"
            | "shells"
            | "mortars"
            | "bombs"
            | "barrels"
            | "strikes"
            | "airstrikes"
            | "raids"
            | "sorties"
            | "attacks"
            | "weapons"
            | "rifles"
            | "tons"
            | "tonnes"
            | "meals"
            | "parcels"
            | "packages"
            | "kits"
            | "convoys"
            | "dollars"
            | "euros"
            | "pounds"
            | "rubles"
            | "roubles"
            | "liras"
            | "tents"
            | "beds"
            | "doses"
            | "vaccines"
            | "hectares"
            | "acres"
            | "ambulances"
            | "bombers"
            | "villagers"
            | "orphans"
            | "staff"
            | "ships"
            | "vessels"
            | "boats"
            | "artillery"
            | "guns"
            | "launchers"
            | "mines"
            | "explosives"
            | "fatalities"
            | "arrests"
            | "arrested"
            | "executions"
            | "executed"
            | "abducted"
            | "kidnapped"
            | "survivors"
            | "evacuated"
            | "rescued"
            | "returnees"
            | "pilgrims"
            | "voters"
            | "votes cast"
            | "seats"
            | "hostilities"
            | "incidents"
            | "violations"
            | "crossings"
    )
}

/// Nouns that make a small count incidental: anecdote, layout and page furniture.
pub fn is_incidental_noun(w: &str) -> bool {
    matches!(
        w,
        "sides"
            | "side"
            | "corridors"
            | "corridor"
            | "daughters"
            | "daughter"
            | "sons"
            | "son"
            | "brothers"
            | "brother"
            | "sisters"
            | "sister"
            | "wives"
            | "wife"
            | "husbands"
            | "husband"
            | "parents"
            | "comments"
            | "comment"
            | "votes"
            | "vote"
            | "shares"
            | "likes"
            | "views"
            | "replies"
            | "points"
            | "things"
            | "ways"
            | "questions"
            | "reasons"
            | "options"
            | "area"
            | "areas"
            | "parts"
            | "part"
            | "times"
            | "steps"
            | "sentences"
            | "words"
            | "pages"
            | "photos"
            | "pictures"
            | "videos"
            | "countries"
            | "nations"
            | "groups"
            | "fronts"
            | "roads"
            | "routes"
            | "axes"
            | "exits"
            | "goals"
            | "issues"
            | "examples"
            | "lines"
            | "hands"
            | "eyes"
            | "legs"
    )
}

/// Counts a web page shows about itself ("27 comments", "1,432 views"): never claims.
pub fn is_page_furniture(w: &str) -> bool {
    matches!(
        w,
        "comments"
            | "comment"
            | "views"
            | "view"
            | "shares"
            | "share"
            | "likes"
            | "like"
            | "votes"
            | "vote"
            | "replies"
            | "reply"
            | "followers"
            | "subscribers"
            | "reads"
            | "retweets"
            | "reactions"
            | "pageviews"
            | "min"
            | "mins"
    )
}

/// Units of time: a count of them is a duration, not a figure.
pub fn is_time_unit(w: &str) -> bool {
    matches!(
        w,
        "second"
            | "seconds"
            | "minute"
            | "minutes"
            | "hour"
            | "hours"
            | "day"
            | "days"
            | "night"
            | "nights"
            | "week"
            | "weeks"
            | "fortnight"
            | "fortnights"
            | "month"
            | "months"
            | "year"
            | "years"
            | "decade"
            | "decades"
            | "century"
            | "centuries"
            | "millennia"
            | "hrs"
            | "mins"
            | "yrs"
            | "weekend"
            | "weekends"
            | "morning"
            | "mornings"
            | "evening"
            | "evenings"
            | "semester"
            | "semesters"
            | "quarter-hour"
            | "generations"
            | "generation"
    )
}

/// Units of length and speed: a count of them is a distance.
pub fn is_distance_unit(w: &str) -> bool {
    matches!(
        w,
        "km" | "kms"
            | "kilometer"
            | "kilometers"
            | "kilometre"
            | "kilometres"
            | "mile"
            | "miles"
            | "mi"
            | "meter"
            | "meters"
            | "metre"
            | "metres"
            | "m"
            | "cm"
            | "mm"
            | "centimeters"
            | "centimetres"
            | "millimeters"
            | "millimetres"
            | "feet"
            | "foot"
            | "ft"
            | "yard"
            | "yards"
            | "inch"
            | "inches"
            | "nautical"
            | "mph"
            | "kph"
            | "knots"
            | "degrees"
            | "kg"
            | "kilograms"
            | "kilos"
            | "grams"
            | "lbs"
            | "calibre"
            | "caliber"
    )
}

/// Month names and their abbreviations.
pub fn is_month(w: &str) -> bool {
    matches!(
        w,
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    )
}

pub fn is_weekday(w: &str) -> bool {
    matches!(
        w,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "mon"
            | "tue"
            | "tues"
            | "wed"
            | "thu"
            | "thur"
            | "thurs"
            | "fri"
            | "sat"
            | "sun"
    )
}

/// Capitalised words before a number that make it a name or code ("Resolution 2254").
pub fn is_code_word(w: &str) -> bool {
    matches!(
        w,
        "resolution"
            | "article"
            | "chapter"
            | "no"
            | "nos"
            | "number"
            | "route"
            | "highway"
            | "flight"
            | "room"
            | "page"
            | "pages"
            | "section"
            | "paragraph"
            | "clause"
            | "decree"
            | "law"
            | "act"
            | "item"
            | "point"
            | "phase"
            | "level"
            | "grade"
            | "class"
            | "vol"
            | "volume"
            | "issue"
            | "episode"
            | "season"
            | "part"
            | "version"
            | "channel"
            | "platform"
            | "gate"
            | "terminal"
            | "block"
            | "building"
            | "apartment"
            | "unit"
            | "division"
            | "brigade"
            | "regiment"
            | "battalion"
            | "squadron"
            | "camp"
            | "zone"
            | "sector"
            | "ward"
            | "precinct"
            | "floor"
            | "door"
            | "track"
            | "bus"
            | "tram"
            | "exit"
            | "road"
            | "street"
            | "p"
            | "pp"
            | "fig"
            | "figure"
            | "table"
            | "annex"
            | "appendix"
            | "protocol"
            | "rule"
            | "case"
            | "file"
            | "ref"
            | "reference"
            | "code"
            | "model"
            | "type"
            | "mark"
            | "mk"
            | "tier"
            | "stage"
            | "round"
            | "week"
            | "day"
            | "year"
            | "hill"
            | "kilometre"
            | "kilometer"
            | "km"
            | "gen"
            | "generation"
            | "series"
            | "district"
            | "lot"
            | "plot"
            | "square"
            | "camp's"
            | "checkpoint"
            | "base"
            | "station"
            | "post"
            | "tower"
            | "sheet"
            | "line"
            | "bill"
            | "motion"
            | "amendment"
            | "order"
    )
}

/// Currency symbols and codes.
pub fn currency(w: &str) -> Option<&'static str> {
    Some(match w {
        "$" | "us$" | "usd" | "dollars" | "dollar" => "USD",
        "€" | "eur" | "euros" | "euro" => "EUR",
        "£" | "gbp" | "pounds" | "sterling" => "GBP",
        "¥" | "yen" => "JPY",
        "rubles" | "roubles" | "rub" => "RUB",
        "liras" | "lira" | "try" => "TRY",
        _ => return None,
    })
}

/// Function words that end a noun phrase after a number.
pub fn ends_noun_phrase(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "of"
            | "to"
            | "in"
            | "on"
            | "at"
            | "by"
            | "for"
            | "from"
            | "with"
            | "and"
            | "or"
            | "but"
            | "nor"
            | "that"
            | "which"
            | "who"
            | "whom"
            | "whose"
            | "were"
            | "was"
            | "are"
            | "is"
            | "have"
            | "has"
            | "had"
            | "will"
            | "would"
            | "could"
            | "should"
            | "can"
            | "may"
            | "might"
            | "must"
            | "been"
            | "being"
            | "be"
            | "they"
            | "he"
            | "she"
            | "it"
            | "we"
            | "you"
            | "i"
            | "their"
            | "its"
            | "his"
            | "her"
            | "our"
            | "this"
            | "these"
            | "those"
            | "than"
            | "as"
            | "if"
            | "into"
            | "onto"
            | "since"
            | "after"
            | "before"
            | "during"
            | "while"
            | "when"
            | "where"
            | "there"
            | "here"
            | "not"
            | "no"
            | "so"
            | "also"
            | "per"
            | "each"
            | "every"
            | "more"
            | "most"
            | "less"
            | "among"
            | "amongst"
            | "including"
            | "about"
            | "around"
            | "over"
            | "under"
            | "up"
            | "down"
            | "out"
            | "off"
            | "did"
            | "do"
            | "does"
            | "said"
            | "says"
            | "say"
            | "then"
            | "now"
            | "today"
            | "yesterday"
            | "only"
            | "just"
            | "alone"
            | "again"
            | "all"
            | "both"
            | "either"
            | "neither"
            | "other"
            | "others"
            | "another"
            | "such"
            | "what"
            | "them"
            | "him"
            | "us"
            | "me"
    )
}

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
