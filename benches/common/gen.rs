//! A deterministic, realistic corpus of N articles for the benchmarks.
//!
//! Each article is about 5 KB of news prose: front matter (varied outlets, dates, authors, some
//! of them in Arabic script), a headline, and paragraphs with figures in every SPEC 3.1 form
//! (exact, digits with words, lower and upper bounds, approximations, ranges, vague counts,
//! percentages, fractions), named and vague attributions, quotations, inline annotations linking
//! claims to a few thousand events (most readings agree, a few conflict), dates, times, ages and
//! durations that are not figures, and no-break spaces. One event (`hot-displaced`) is used about
//! 1,000 times whatever N is (the rename benchmark), and `long/long-read.md` is a 50 KB article
//! (the typing benchmark). The same N always gives the same bytes.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Bumped whenever the output changes, so that cached corpora are rebuilt.
pub const GENERATOR_VERSION: u32 = 3;

/// The event every size uses about 1,000 times.
pub const HOT_EVENT: &str = "hot-displaced";
/// The 50 KB article of the typing session, relative to the corpus root.
pub const LONG_ARTICLE: &str = "long/long-read.md";

/// A small, fast, deterministic generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

struct Source {
    id: &'static str,
    name: &'static str,
    aliases: &'static [&'static str],
    affiliation: &'static str,
}

const SOURCES: &[Source] = &[
    Source {
        id: "un",
        name: "United Nations",
        aliases: &["UN", "UN agencies", "OCHA"],
        affiliation: "un",
    },
    Source {
        id: "unhcr",
        name: "UNHCR",
        aliases: &["the UN refugee agency"],
        affiliation: "un",
    },
    Source {
        id: "who",
        name: "World Health Organization",
        aliases: &["WHO"],
        affiliation: "un",
    },
    Source {
        id: "icrc",
        name: "International Committee of the Red Cross",
        aliases: &["ICRC", "Red Cross"],
        affiliation: "independent",
    },
    Source {
        id: "sarc",
        name: "Syrian Arab Red Crescent",
        aliases: &["Red Crescent", "SARC"],
        affiliation: "ngo",
    },
    Source {
        id: "sohr",
        name: "Syrian Observatory for Human Rights",
        aliases: &["the Observatory", "SOHR"],
        affiliation: "ngo",
    },
    Source {
        id: "msf",
        name: "Doctors Without Borders",
        aliases: &["MSF"],
        affiliation: "ngo",
    },
    Source {
        id: "hrw",
        name: "Human Rights Watch",
        aliases: &["HRW"],
        affiliation: "ngo",
    },
    Source {
        id: "amnesty",
        name: "Amnesty International",
        aliases: &["Amnesty"],
        affiliation: "ngo",
    },
    Source {
        id: "sana",
        name: "SANA",
        aliases: &["Syrian Arab News Agency"],
        affiliation: "government",
    },
    Source {
        id: "ru-mod",
        name: "Russian Defence Ministry",
        aliases: &["Russian military", "Russian Ministry of Defence"],
        affiliation: "party",
    },
    Source {
        id: "sy-army",
        name: "Syrian army",
        aliases: &["the army command"],
        affiliation: "party",
    },
    Source {
        id: "white-helmets",
        name: "White Helmets",
        aliases: &["Syria Civil Defence"],
        affiliation: "ngo",
    },
    Source {
        id: "health-dir",
        name: "Aleppo Health Directorate",
        aliases: &["the health directorate"],
        affiliation: "government",
    },
    Source {
        id: "governor",
        name: "Aleppo governor",
        aliases: &["the governor's office"],
        affiliation: "government",
    },
    Source {
        id: "wfp",
        name: "World Food Programme",
        aliases: &["WFP"],
        affiliation: "un",
    },
    Source {
        id: "unicef",
        name: "UNICEF",
        aliases: &["the UN children's agency"],
        affiliation: "un",
    },
    Source {
        id: "iom",
        name: "International Organization for Migration",
        aliases: &["IOM"],
        affiliation: "un",
    },
    Source {
        id: "snhr",
        name: "Syrian Network for Human Rights",
        aliases: &["SNHR"],
        affiliation: "ngo",
    },
    Source {
        id: "kurdish-ya",
        name: "Kurdish Red Crescent",
        aliases: &["Heyva Sor"],
        affiliation: "ngo",
    },
];

/// Outlets, with authors (some in Arabic script) and a wire credit style.
const OUTLETS: &[(&str, &[&str])] = &[
    ("Levant Wire", &["Levant Wire desk", "Rami Haddad"]),
    ("North Syria Monitor", &["Leila Nasser", "سامر الحلبي"]),
    ("Humanitarian Dispatch", &["Anna Berg", "Tomás Ruiz"]),
    ("Crossroads Weekly", &["J. Whitfield"]),
    ("Aleppo Notebook", &["محمد الأحمد"]),
    ("The Euphrates Post", &["Dana Karim", "Yusuf Demir"]),
    ("Gulf Courier", &["نور الهدى", "Omar Saleh"]),
    ("Mediterranean Times", &["Chiara Conti"]),
    ("Daily Orontes", &["Hassan Aboud", "ريم خليل"]),
    ("Field Notes", &["Mark Ellison"]),
    ("Crisis Ledger", &["Sofia Petrova"]),
    ("Al-Sharq Review", &["عبد الله الشامي"]),
    ("Frontline Digest", &["Paul Girard", "Inès Morel"]),
    ("Eastern Desk", &["Karim Nassar"]),
    ("Relief Bulletin", &["Hanna Lind"]),
    ("Syria Brief", &["أحمد يوسف", "Lena Hoffmann"]),
];

const PLACES: &[&str] = &[
    "eastern Aleppo",
    "Bustan al-Qasr",
    "al-Kalasa",
    "Sheikh Saeed",
    "Jibreen",
    "Hanano",
    "Masaken Hanano",
    "the Old City",
    "Sukkari",
    "al-Ansari",
    "Salaheddine",
    "Idlib",
    "Ramouseh",
    "al-Rashideen",
    "Deir Hafer",
    "Manbij",
    "al-Bab",
    "Tal Rifaat",
    "Azaz",
    "Kafr Hamra",
];
const PLACES_AR: &[&str] = &[
    "حلب",
    "بستان القصر",
    "الكلاسة",
    "جبرين",
    "الشيخ سعيد",
    "هنانو",
];
const PEOPLE_NOUNS: &[&str] = &[
    "civilians",
    "people",
    "residents",
    "refugees",
    "fighters",
    "families",
    "children",
    "wounded",
];
const COUNT_NOUNS: &[(&str, &str)] = &[
    ("trucks", "aid trucks"),
    ("buses", "buses"),
    ("ambulances", "ambulances"),
    ("villages", "villages"),
    ("shelters", "shelters"),
];
const VERBS_PEOPLE: &[&str] = &[
    "fled the fighting",
    "crossed into government-held districts",
    "were evacuated",
    "were registered at the shelters",
    "remained trapped",
    "laid down their arms",
    "were killed",
    "were wounded",
    "left on foot",
    "reached the camps",
];
const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const SMALL: &[&str] = &[
    "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];

const FILLER: &[&str] = &[
    "Diplomats from the two sides met again on Thursday without announcing any result.",
    "The advance has been unusually fast, and commanders on both sides describe the front as fluid.",
    "Residents described streets lined with burnt-out cars and shuttered shops.",
    "A spokesman for one of the groups still fighting said his men would not leave “under any conditions”.",
    "Aid workers said the cold made conditions in the shelters worse each night.",
    "The ceasefire announced last week did not hold for more than a few hours.",
    "Footage broadcast on state television showed soldiers raising a flag over the citadel.",
    "The corridors opened at 10:00 and closed again before dusk.",
    "A 36-year-old teacher said she had not slept for two days.",
    "The talks in Geneva are expected to resume within six weeks.",
    "Security Council Resolution 2254 calls for a nationwide ceasefire.",
    "Local councils have asked for generators, blankets and fuel.",
    "Several hospitals were put out of service during the 17 days of bombardment.",
    "The road to the airport was reopened on the second day of the operation.",
    "Journalists were not allowed to enter the districts without an escort.",
    "Prices of bread and fuel have tripled since the start of the siege.",
    "Witnesses said the shelling stopped shortly after midnight.",
    "The government says the operation will continue until the last fighters leave.",
];

/// An event of the generated corpus.
pub struct Event {
    pub id: String,
    title: String,
    unit: &'static str,
    noun: &'static str,
    value: u64,
    cumulative: bool,
    place: &'static str,
    day: u32,
    /// (whole, parts) structure: index of the whole for a part.
    part_of: Option<usize>,
    parts: Vec<usize>,
}

/// The events of a corpus of `n` articles: a few thousand at the large sizes.
pub fn events(n: usize) -> Vec<Event> {
    let count = (n / 30).clamp(100, 3000);
    let mut rng = Rng::new(7);
    let mut out: Vec<Event> = Vec::with_capacity(count + 1);
    out.push(Event {
        id: HOT_EVENT.into(),
        title: "People displaced from eastern Aleppo since mid-November".into(),
        unit: "people",
        noun: "people",
        value: 120_000,
        cumulative: false,
        place: "eastern Aleppo",
        day: 0,
        part_of: None,
        parts: Vec::new(),
    });
    let mut i = 0;
    while out.len() < count {
        i += 1;
        let place = *rng.pick(PLACES);
        let day = rng.below(900) as u32;
        let slug: String = place
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        match rng.below(10) {
            // A whole with two parts.
            0 if out.len() + 3 <= count => {
                let total = 1000 + rng.below(9000) as u64;
                let civ = total * 6 / 10;
                let w = out.len();
                for (k, (suffix, title, value)) in [
                    ("", "People evacuated", total),
                    ("-civilians", "Civilians evacuated", civ),
                    ("-fighters", "Fighters evacuated", total - civ),
                ]
                .into_iter()
                .enumerate()
                {
                    out.push(Event {
                        id: format!("evac-{slug}-{i}{suffix}"),
                        title: format!("{title} from {place} (operation {i})"),
                        unit: "people",
                        noun: if k == 2 { "fighters" } else { "people" },
                        value,
                        cumulative: false,
                        place,
                        day,
                        part_of: (k > 0).then_some(w),
                        parts: Vec::new(),
                    });
                }
                out[w].parts = vec![w + 1, w + 2];
            }
            1 => out.push(Event {
                id: format!("share-{slug}-{i}"),
                title: format!("Share of {place} held by government forces (phase {i})"),
                unit: "percent",
                noun: "%",
                value: 20 + rng.below(79) as u64,
                cumulative: false,
                place,
                day,
                part_of: None,
                parts: Vec::new(),
            }),
            2 => {
                let (noun, what) = *rng.pick(COUNT_NOUNS);
                out.push(Event {
                    id: format!("{noun}-{slug}-{i}"),
                    title: format!("{what} sent to {place} (convoy {i})"),
                    unit: "count",
                    noun,
                    value: 5 + rng.below(200) as u64,
                    cumulative: false,
                    place,
                    day,
                    part_of: None,
                    parts: Vec::new(),
                })
            }
            3 => out.push(Event {
                id: format!("exodus-{slug}-{i}"),
                title: format!("People who have left {place} since the offensive began (wave {i})"),
                unit: "people",
                noun: "people",
                value: 2000 + rng.below(200_000) as u64,
                cumulative: true,
                place,
                day,
                part_of: None,
                parts: Vec::new(),
            }),
            _ => {
                let noun = *rng.pick(PEOPLE_NOUNS);
                let magnitude = [50u64, 500, 5000, 50_000][rng.below(4)];
                out.push(Event {
                    id: format!("{noun}-{slug}-{i}"),
                    title: format!("{} in {place}, incident {i}", capitalise(noun)),
                    unit: "people",
                    noun,
                    value: magnitude + rng.below(magnitude as usize * 4) as u64,
                    cumulative: false,
                    place,
                    day,
                    part_of: None,
                    parts: Vec::new(),
                })
            }
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn date(day: u32) -> (String, String) {
    // Days from 2016-01-01, on a 28-day month calendar kept valid by construction.
    let y = 2016 + day / 336;
    let m = (day % 336) / 28;
    let d = day % 28 + 1;
    (
        format!("{y}-{:02}-{d:02}", m + 1),
        format!("{d} {}", MONTHS[m as usize]),
    )
}

fn commas(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn round_to(v: u64, step: u64) -> u64 {
    ((v + step / 2) / step).max(1) * step
}

/// A figure for `value` of `noun`, in one of the SPEC 3.1 forms, whose reading contains `value`
/// (so that agreeing readings agree).
fn figure(rng: &mut Rng, value: u64, noun: &str) -> String {
    if noun == "%" {
        return match rng.below(3) {
            0 => format!("{value}%"),
            1 => format!("about {value}%"),
            _ => format!("more than {}%", value.saturating_sub(3).max(1)),
        };
    }
    let nbsp = if rng.chance(15) { "\u{a0}" } else { " " };
    match rng.below(16) {
        0 if value <= 12 => format!("{} {noun}", SMALL[value as usize]),
        0 | 1 => format!("{}{nbsp}{noun}", commas(value)),
        2 if value >= 20_000 => format!("{} thousand {noun}", value / 1000),
        2 if value >= 1_500_000 => format!("{:.1} million {noun}", value as f64 / 1e6),
        2 => format!("{}{nbsp}{noun}", commas(value)),
        3 => format!("more than {} {noun}", commas(round_to(value * 9 / 10, 10))),
        4 => format!("at least {} {noun}", commas(round_to(value * 9 / 10, 10))),
        5 if value >= 1000 => format!(
            "{}+ {noun}",
            commas(round_to(value * 9 / 10, 1000).min(value))
        ),
        5 => format!("no fewer than {} {noun}", commas(value * 9 / 10)),
        6 => format!("up to {} {noun}", commas(round_to(value * 11 / 10, 10))),
        7 => format!(
            "as many as {} {noun}",
            commas(round_to(value * 11 / 10, 10))
        ),
        8 => format!("about {} {noun}", commas(round_to(value, 10))),
        9 => format!("some {} {noun}", commas(round_to(value, 10))),
        10 => format!("an estimated {} {noun}", commas(round_to(value, 10))),
        11 => format!("roughly {} {noun}", commas(round_to(value, 10))),
        12 if value >= 3000 => {
            let lo = value * 9 / 10 / 1000;
            format!(
                "{}-{},000 {noun}",
                lo.max(1),
                (value * 11 / 10).div_ceil(1000)
            )
        }
        12 | 13 => format!(
            "{} to {} {noun}",
            commas(round_to(value * 9 / 10, 10)),
            commas(round_to(value * 11 / 10, 10))
        ),
        14 if value >= 4000 => {
            format!(
                "between {} and {} thousand {noun}",
                value * 9 / 10 / 1000,
                (value * 11 / 10).div_ceil(1000)
            )
        }
        _ => format!("nearly {} {noun}", commas(round_to(value * 11 / 10, 10))),
    }
}

fn vague_figure(rng: &mut Rng, noun: &str) -> String {
    let q = [
        "hundreds of",
        "thousands of",
        "tens of thousands of",
        "dozens of",
        "hundreds of thousands of",
    ];
    format!("{} {noun}", rng.pick(&q))
}

/// Write a sentence with an annotated claim of `ev`.
fn claim_sentence(rng: &mut Rng, out: &mut String, events: &[Event], e: usize, art_day: u32) {
    let ev = &events[e];
    // One event in five is contested: there, about one reading in 12 is far off (a conflict);
    // the hot event has a few outliers among its 1,000 readings.
    let contested = e == 0 || ev.id.len() % 5 == 0;
    let odds = if e == 0 { 1 } else { 8 };
    let value = if contested && rng.chance(odds) {
        ev.value * 3 + 7
    } else {
        ev.value
    };
    let fig = figure(rng, value, ev.noun);
    let mut attrs = format!("event={}", ev.id);
    if ev.cumulative && rng.chance(50) {
        let (d, _) = date(ev.day + art_day % 20);
        write!(attrs, " asof={d}").unwrap();
    }
    let src = rng.pick(SOURCES);
    let named = if rng.chance(50) {
        src.name
    } else {
        *rng.pick(src.aliases)
    };
    let named = named.strip_prefix("the ").unwrap_or(named);
    let kind = rng.below(10);
    if kind == 0 {
        write!(attrs, " source={}", src.id).unwrap();
    }
    if kind == 1 && rng.chance(50) {
        write!(
            attrs,
            " note=\"from the {} briefing\"",
            WEEKDAYS[rng.below(7)]
        )
        .unwrap();
    }
    let ann = format!("[{fig}]{{{attrs}}}");
    let place = ev.place;
    let verb = if ev.unit == "people" {
        *rng.pick(VERBS_PEOPLE)
    } else {
        "were counted"
    };
    let day = WEEKDAYS[rng.below(7)];
    match (ev.unit, rng.below(9)) {
        ("percent", k) if k < 5 => write!(
            out,
            "Government forces now hold {ann} of {place}, the {named} said on {day}."
        ),
        ("percent", _) => write!(
            out,
            "According to the {named}, troops control {ann} of {place}."
        ),
        ("count", k) if k < 5 => write!(
            out,
            "According to the {named}, {ann} reached {place} on {day}."
        ),
        ("count", _) => write!(
            out,
            "A convoy of {ann} was waiting outside {place}, reportedly."
        ),
        (_, 0) => write!(
            out,
            "According to the {named}, {ann} {verb} in {place} on {day}."
        ),
        (_, 1) => write!(
            out,
            "The {named} said {ann} {verb} since the start of the operation."
        ),
        (_, 2) => write!(
            out,
            "“In the past 24 hours, {ann} {verb} in {place},” the {named} said in a statement."
        ),
        (_, 3) => write!(
            out,
            "Here is what the {named} said on {day}: “{} {verb} near {place}.”",
            capitalise(&ann)
        ),
        (_, 4) => write!(out, "Reportedly, {ann} {verb} in {place} over the weekend."),
        (_, 5) => write!(
            out,
            "Activists said {ann} {verb} near {place}, though the figure could not be verified."
        ),
        (_, 6) => write!(out, "By {day}, {ann} had {verb} from {place}."),
        (_, 7) => write!(
            out,
            "{} {verb} in {place} on {day}, {} reported.",
            capitalise(&ann),
            src.name
        ),
        _ => write!(out, "Local sources say {ann} {verb} in {place}."),
    }
    .unwrap();
    out.push(' ');
}

/// A sentence with an unannotated figure (a claim or an incidental one) or none.
fn prose_sentence(rng: &mut Rng, out: &mut String) {
    let place = *rng.pick(PLACES);
    let src = rng.pick(SOURCES);
    let noun = *rng.pick(PEOPLE_NOUNS);
    let v = [12u64, 140, 2_300, 18_000, 250_000][rng.below(5)] + rng.below(90) as u64;
    match rng.below(14) {
        0 => write!(out, "{} were reported in {place}, according to the {}.", capitalise(&figure(rng, v, noun)), src.name),
        1 => write!(out, "Some reports say {} remain in {place}.", vague_figure(rng, noun)),
        2 => write!(out, "The {} estimated that {} of the district had been destroyed.", src.name, ["one-third", "half", "two-thirds"][rng.below(3)]),
        3 => write!(out, "{} told reporters in {} that {} had gone missing.", rng.pick(&["محمد الأحمد", "سامر الحلبي", "Rami Haddad", "ريم خليل"]), rng.pick(PLACES_AR), vague_figure(rng, noun)),
        4 => write!(out, "The two sides exchanged seven daughters and three sons of detained officers, a mediator said."),
        5 => write!(out, "Fighting resumed on {} at 06:30, after a pause of 17 days.", WEEKDAYS[rng.below(7)]),
        6 => write!(out, "Residents of {place} said {} were still missing.", figure(rng, v, noun)),
        7 => write!(out, "The Su-24 crashed on the {}th day of the campaign.", 4 + rng.below(16)),
        _ => {
            out.push_str(FILLER[rng.below(FILLER.len())]);
            Ok(())
        }
    }
    .unwrap();
    out.push(' ');
}

/// One article: front matter, headline and paragraphs until about `target` bytes.
pub fn article(i: usize, n: usize, events: &[Event], target: usize) -> String {
    let mut rng = Rng::new(1_000_003 * i as u64 + 17);
    let (outlet, authors) = OUTLETS[rng.below(OUTLETS.len())];
    let author = *rng.pick(authors);
    let art_day = rng.below(900) as u32;
    let (d, _) = date(art_day);
    let main = 1 + rng.below(events.len() - 1);
    let ev = &events[main];
    let mut out = String::with_capacity(target + 1024);
    let src = rng.pick(SOURCES);
    let headline = match rng.below(3) {
        0 => format!(
            "{}: {} {} in {}",
            src.name,
            figure(&mut rng, ev.value, ev.noun),
            "counted",
            ev.place
        ),
        1 => format!("Thousands flee as fighting reaches {}", ev.place),
        _ => format!("Inside {}: a week of evacuations", ev.place),
    };
    let place_ar = *rng.pick(PLACES_AR);
    writeln!(out, "---\ntitle: \"{}\"\noutlet: {outlet}\ndate: {d}\nauthor: {author}\nurl: https://example.org/{i}\n---", headline.replace('"', "'")).unwrap();
    writeln!(
        out,
        "{} ({place_ar}), {} ({outlet}) –",
        ev.place.to_uppercase(),
        date(art_day).1
    )
    .unwrap();
    // The events of this article: its main event, a few related ones, sometimes the hot one.
    let stride = (n / 1000).max(1);
    let mut mine = vec![main];
    for _ in 0..rng.below(4) {
        // Neighbouring events (same region of the list) or any event.
        let e = if rng.chance(60) {
            (main + rng.below(20)).min(events.len() - 1).max(1)
        } else {
            1 + rng.below(events.len() - 1)
        };
        mine.push(e);
    }
    if let Some(w) = ev.part_of {
        mine.push(w);
    }
    mine.extend(ev.parts.iter().copied());
    let hot = i % stride == 0;
    while out.len() < target {
        let mut para = String::new();
        let sentences = 3 + rng.below(4);
        for s in 0..sentences {
            if s == 0 && hot && out.len() > target / 2 && !out.contains(HOT_EVENT) {
                claim_sentence(&mut rng, &mut para, events, 0, art_day);
            } else if rng.chance(35) {
                let e = *rng.pick(&mine);
                claim_sentence(&mut rng, &mut para, events, e, art_day);
            } else {
                prose_sentence(&mut rng, &mut para);
            }
        }
        out.push_str(para.trim_end());
        out.push_str("\n\n");
    }
    if hot && !out.contains(HOT_EVENT) {
        let mut para = String::new();
        claim_sentence(&mut rng, &mut para, events, 0, art_day);
        out.push_str(para.trim_end());
        out.push('\n');
    }
    out
}

pub fn config(events: &[Event]) -> String {
    let mut out = String::from(
        "# Generated by benches/common/gen.rs: a synthetic corpus for the benchmarks.\n\n[corpus]\ninclude = [\"**/*.md\"]\ntolerance = 0.05\n\n[diagnostics]\nunsourced-figure = \"warning\"\nvague-source = \"info\"\nunlinked-figure = \"hint\"\n\n",
    );
    for s in SOURCES {
        let aliases: Vec<String> = s.aliases.iter().map(|a| format!("\"{a}\"")).collect();
        writeln!(
            out,
            "[sources.{}]\nname = \"{}\"\naliases = [{}]\naffiliation = \"{}\"\n",
            s.id,
            s.name,
            aliases.join(", "),
            s.affiliation
        )
        .unwrap();
    }
    for e in events {
        let (from, _) = date(e.day);
        let (to, _) = date(e.day + 20);
        writeln!(
            out,
            "[events.{}]\ntitle = \"{}\"\nwhen = \"{from}..{to}\"\nwhere = \"{}\"\nunit = \"{}\"",
            e.id, e.title, e.place, e.unit
        )
        .unwrap();
        if e.cumulative {
            out.push_str("cumulative = true\n");
        }
        if let Some(w) = e.part_of {
            writeln!(out, "part_of = \"{}\"", events[w].id).unwrap();
        }
        if !e.parts.is_empty() {
            let p: Vec<String> = e
                .parts
                .iter()
                .map(|&p| format!("\"{}\"", events[p].id))
                .collect();
            writeln!(out, "parts = [{}]", p.join(", ")).unwrap();
        }
        out.push('\n');
    }
    out
}

/// The path of article `i` under the root.
pub fn article_path(root: &Path, i: usize) -> PathBuf {
    root.join(format!("articles/{:03}/a{i:06}.md", i / 1000))
}

/// Write (or reuse) the corpus of `n` articles under `root`; returns its total size in bytes.
pub fn ensure_corpus(root: &Path, n: usize) -> std::io::Result<u64> {
    let stamp = root.join(".generated");
    let want = format!("tally-bench-corpus v{GENERATOR_VERSION} n={n}\n");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str()) {
        return corpus_bytes(root);
    }
    if root.exists() {
        std::fs::remove_dir_all(root)?;
    }
    let t = std::time::Instant::now();
    std::fs::create_dir_all(root.join("long"))?;
    let evs = events(n);
    std::fs::write(root.join("tally.toml"), config(&evs))?;
    // The 50 KB article for the typing session is one of the n articles.
    std::fs::write(root.join(LONG_ARTICLE), article(0, n, &evs, 50 * 1024))?;
    let threads = std::thread::available_parallelism().map_or(2, |p| p.get());
    for i in (0..n).step_by(1000) {
        std::fs::create_dir_all(article_path(root, i).parent().unwrap())?;
    }
    std::thread::scope(|s| -> std::io::Result<()> {
        let mut jobs = Vec::new();
        for t in 0..threads {
            let evs = &evs;
            jobs.push(s.spawn(move || -> std::io::Result<()> {
                for i in (1..n).filter(|i| i % threads == t) {
                    let mut f = std::fs::File::create(article_path(root, i))?;
                    f.write_all(article(i, n, evs, 5 * 1024 - 300).as_bytes())?;
                }
                Ok(())
            }));
        }
        jobs.into_iter()
            .try_for_each(|j| j.join().expect("generator thread"))
    })?;
    std::fs::write(&stamp, want)?;
    let bytes = corpus_bytes(root)?;
    eprintln!(
        "generated {n} articles ({:.1} MB) in {} in {:.1} s",
        bytes as f64 / 1e6,
        root.display(),
        t.elapsed().as_secs_f64()
    );
    Ok(bytes)
}

/// Every article file of a generated corpus, sorted.
pub fn article_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        if let Ok(rd) = std::fs::read_dir(&d) {
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "md") {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

fn corpus_bytes(root: &Path) -> std::io::Result<u64> {
    let mut total = 0;
    for p in article_files(root) {
        total += std::fs::metadata(p)?.len();
    }
    Ok(total)
}

/// The folder of the corpus of size `n`: `$TALLY_BENCH_DIR/n<N>` (default `/tmp/tally-bench`).
pub fn corpus_dir(n: usize) -> PathBuf {
    let base = std::env::var_os("TALLY_BENCH_DIR")
        .map_or_else(|| PathBuf::from("/tmp/tally-bench"), PathBuf::from);
    base.join(format!("n{n}"))
}

/// Sizes from the command line: `--sizes 1000,10000` (default 1000); cargo's own `--bench` flag
/// is ignored.
pub fn sizes_from_args(default: &[usize]) -> Vec<usize> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut sizes = default.to_vec();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let v = if a == "--sizes" || a == "--size" {
            it.next().cloned()
        } else {
            a.strip_prefix("--sizes=")
                .or(a.strip_prefix("--size="))
                .map(str::to_string)
        };
        if let Some(v) = v {
            sizes = v
                .split(',')
                .filter_map(|s| s.trim().replace('_', "").parse().ok())
                .collect();
        }
    }
    sizes
}

/// Whether a flag is on the command line.
pub fn flag(name: &str) -> bool {
    std::env::args().any(|a| a == name)
}
