//! Diagnostics held compactly: each document's own between the two passes of `tally check`,
//! the event checks' for `tally events`.
//!
//! A corpus of 100,000 articles has some two million diagnostics of its own: as
//! [`Diagnostic`]s (88 bytes and a message of about 140 each) they would outweigh everything
//! else `check` keeps. A list of diagnostics (a document's, a batch of the event checks') is
//! held as one list of spans, codes and severities and one string of message parts. The
//! commonest messages of the article checks (`unsourced-figure`, `vague-source`,
//! `unlinked-figure`) are fixed words around a figure, a source and an event ([`Message`]):
//! only the figure's and the source's texts are kept, and the event by its number; the
//! message is written again when the list is given back. Other messages are kept whole. A list
//! whose parts are long (the event checks' batches) has them compressed (LZ4, `lz4_flex`)
//! against themselves and a dictionary made of the first lists' parts.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use crate::analysis::ArticleAnalysis;
use crate::checks::{article_checks_each, Code, Diagnostic, DocId, Message, Severity};
use crate::corpus::Config;

/// One document's diagnostics, without its number.
pub struct Held {
    items: Box<[Item]>,
    /// The messages' parts end to end.
    parts: Parts,
    /// Diagnostics that do not fit an [`Item`] (a related place, an offset past 4 GiB), whole,
    /// each with its place in the list.
    whole: Vec<(usize, Diagnostic)>,
}

/// The message parts of a list, as they are or compressed.
enum Parts {
    Plain(Box<str>),
    /// Compressed ([`compress`]), against the dictionary or not.
    Lz4 {
        data: Box<[u8]>,
        with_dictionary: bool,
    },
}

impl Held {
    /// The length of the message parts, uncompressed.
    fn len(&self) -> usize {
        self.items.last().map_or(0, |i| i.parts_end as usize)
    }
}

/// A diagnostic without related places: its message parts end at `parts_end` in the list's.
struct Item {
    start: u32,
    end: u32,
    parts_end: u32,
    /// For [`Shape::Vague`], the length of the figure's text in the parts; for
    /// [`Shape::Unlinked`], the event's index in the settings.
    arg: u32,
    code: Code,
    severity: Severity,
    shape: Shape,
}

/// Which [`Message`] the parts are of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Text,
    Unsourced,
    Vague,
    Unlinked,
}

/// A message as it is held: its shape, its number ([`Item::arg`]) and its parts (two texts,
/// kept end to end); `None` for an event number past 32 bits.
fn split<'m>(message: Message<'m>) -> Option<(Shape, u32, [&'m str; 2])> {
    Some(match message {
        Message::Text(text) => (Shape::Text, 0, [text, ""]),
        Message::Unsourced { figure } => (Shape::Unsourced, 0, [figure, ""]),
        Message::Vague { figure, source } => (
            Shape::Vague,
            u32::try_from(figure.len()).ok()?,
            [figure, source],
        ),
        Message::Unlinked { figure, event } => {
            (Shape::Unlinked, u32::try_from(event).ok()?, [figure, ""])
        }
    })
}

/// The message of a shape, number and parts ([`split`]).
fn message(shape: Shape, arg: u32, parts: &str) -> Message<'_> {
    match shape {
        Shape::Text => Message::Text(parts),
        Shape::Unsourced => Message::Unsourced { figure: parts },
        Shape::Vague => {
            let (figure, source) = parts.split_at_checked(arg as usize).unwrap_or((parts, ""));
            Message::Vague { figure, source }
        }
        Shape::Unlinked => Message::Unlinked {
            figure: parts,
            event: arg as usize,
        },
    }
}

/// A list being held.
#[derive(Default)]
struct Holding {
    items: Vec<Item>,
    parts: String,
    whole: Vec<(usize, Diagnostic)>,
}

impl Holding {
    /// Add a diagnostic without related places, or `None` if it does not fit an [`Item`].
    fn add(
        &mut self,
        code: Code,
        severity: Severity,
        span: &std::ops::Range<usize>,
        message: Message<'_>,
    ) -> Option<()> {
        let fits = |n: usize| u32::try_from(n).ok();
        let (shape, arg, [a, b]) = split(message)?;
        let item = Item {
            start: fits(span.start)?,
            end: fits(span.end)?,
            parts_end: fits(self.parts.len() + a.len() + b.len())?,
            arg,
            code,
            severity,
            shape,
        };
        self.parts.push_str(a);
        self.parts.push_str(b);
        self.items.push(item);
        Some(())
    }

    /// Add a diagnostic, as an [`Item`] when it fits one, whole otherwise.
    fn add_diagnostic(&mut self, d: Diagnostic) {
        let fits = d.related.is_empty() && d.more_related == 0;
        if !fits
            || self
                .add(d.code, d.severity, &d.span, Message::Text(&d.message))
                .is_none()
        {
            self.whole.push((self.items.len() + self.whole.len(), d));
        }
    }

    /// The list held, its parts compressed if they are long.
    fn held(self, dictionary: Option<&Dictionary>) -> Held {
        let parts = if self.parts.len() < COMPRESS_FROM {
            Parts::Plain(self.parts.into_boxed_str())
        } else {
            Parts::Lz4 {
                data: compress(self.parts.as_bytes(), dictionary),
                with_dictionary: dictionary.is_some(),
            }
        };
        Held {
            items: self.items.into_boxed_slice(),
            parts,
            whole: self.whole,
        }
    }
}

/// Makes [`Held`]s on any thread, with the dictionary of their [`HeldList`] once it has one.
#[derive(Clone, Default)]
pub struct Holder {
    dictionary: Arc<OnceLock<Dictionary>>,
}

impl Holder {
    /// Hold a list of diagnostics (their `doc` is dropped: [`HeldList::diagnostics`] gives it
    /// back).
    pub fn hold(&self, diags: Vec<Diagnostic>) -> Held {
        let mut list = Holding::default();
        list.parts
            .reserve(diags.iter().map(|d| d.message.len()).sum());
        for d in diags {
            list.add_diagnostic(d);
        }
        list.held(self.dictionary.get())
    }

    /// Hold the diagnostics of an article's own checks ([`crate::checks::article_checks`]),
    /// made with the settings `config`, without writing their messages.
    pub fn hold_article_checks(&self, a: &ArticleAnalysis, config: &Config) -> Held {
        let mut list = Holding::default();
        article_checks_each(a, config, |code, severity, span, message| {
            if list.add(code, severity, &span, message).is_none() {
                list.add_diagnostic(Diagnostic {
                    doc: 0,
                    span,
                    code,
                    severity,
                    message: message.to_string(config),
                    related: Vec::new(),
                    more_related: 0,
                });
            }
        });
        list.held(self.dictionary.get())
    }
}

/// Lists of [`Held`] diagnostics (each document's, each batch's), by number.
#[derive(Default)]
pub struct HeldList {
    holder: Holder,
    docs: Vec<Held>,
    /// The first lists' message parts, until there are enough for the dictionary.
    gathered: Vec<u8>,
}

impl HeldList {
    /// What makes the lists to [`HeldList::push`] here, on any thread.
    pub fn holder(&self) -> &Holder {
        &self.holder
    }

    /// Add the next list, made by this list's [`Holder`]. The first lists' message parts make
    /// the dictionary the later ones are compressed against.
    pub fn push(&mut self, held: Held) {
        if self.holder.dictionary.get().is_none() {
            let gathered = &mut self.gathered;
            held.with_parts(&self.holder.dictionary, |bytes| {
                gathered.extend_from_slice(bytes)
            });
            if self.gathered.len() >= DICTIONARY {
                let gathered = std::mem::take(&mut self.gathered);
                let _ = self.holder.dictionary.set(Dictionary::new(gathered));
            }
        }
        self.docs.push(held);
    }

    /// Give back the room the list grew into.
    pub fn shrink(&mut self) {
        self.docs.shrink_to_fit();
        self.gathered = Vec::new();
    }

    /// List `doc` as it was held, its diagnostics as document `doc`'s; `config` is the
    /// settings it was held with.
    pub fn diagnostics(&self, doc: DocId, config: &Config) -> Vec<Diagnostic> {
        let Some(held) = self.docs.get(doc) else {
            return Vec::new();
        };
        // Checked once for the whole document (each message was a string when held).
        held.with_parts(&self.holder.dictionary, |bytes| {
            match std::str::from_utf8(bytes) {
                Ok(parts) => held.diagnostics(doc, parts, config),
                Err(_) => held.diagnostics(doc, &String::from_utf8_lossy(bytes), config),
            }
        })
    }
}

impl Held {
    /// `f` of the list's message parts, uncompressed (`dictionary` is its list's).
    fn with_parts<R>(&self, dictionary: &OnceLock<Dictionary>, f: impl FnOnce(&[u8]) -> R) -> R {
        match &self.parts {
            Parts::Plain(text) => f(text.as_bytes()),
            Parts::Lz4 {
                data,
                with_dictionary,
            } => {
                let dictionary = with_dictionary.then(|| dictionary.get()).flatten();
                with_decompressed(data, dictionary, self.len(), f)
            }
        }
    }

    /// The diagnostics as document `doc`'s, with their message parts end to end in `parts`.
    fn diagnostics(&self, doc: DocId, parts: &str, config: &Config) -> Vec<Diagnostic> {
        let held = self;
        let mut out = Vec::with_capacity(held.items.len() + held.whole.len());
        let mut whole = held.whole.iter().peekable();
        let mut from = 0;
        for item in held.items.iter() {
            while let Some((_, d)) = whole.next_if(|(i, _)| *i == out.len()) {
                out.push(Diagnostic { doc, ..d.clone() });
            }
            let to = item.parts_end as usize;
            let mine = parts.get(from..to).unwrap_or_default();
            out.push(Diagnostic {
                doc,
                span: item.start as usize..item.end as usize,
                code: item.code,
                severity: item.severity,
                message: message(item.shape, item.arg, mine).to_string(config),
                related: Vec::new(),
                more_related: 0,
            });
            from = to;
        }
        out.extend(whole.map(|(_, d)| Diagnostic { doc, ..d.clone() }));
        out
    }
}

/// How long a list's message parts are before they are compressed: a document's own are
/// shorter (their templates are not kept), a batch of the event checks' longer.
const COMPRESS_FROM: usize = 4 * 1024;

/// How many bytes of the first messages make the dictionary: enough for every message
/// template, and small, since LZ4 indexes the dictionary anew for each list it compresses.
const DICTIONARY: usize = 4 * 1024;

/// Text that messages are compressed against, as if it came before each document's.
struct Dictionary {
    text: Vec<u8>,
}

impl Dictionary {
    fn new(mut text: Vec<u8>) -> Dictionary {
        text.truncate(DICTIONARY);
        Dictionary { text }
    }
}

thread_local! {
    /// Room each thread compresses and decompresses into, kept from list to list: a buffer
    /// made for each list would be zeroed for each.
    static ROOM: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The first `n` bytes of `room`, grown to hold them.
fn at_least(room: &mut Vec<u8>, n: usize) -> &mut [u8] {
    if room.len() < n {
        room.resize(n, 0);
    }
    &mut room[..n]
}

/// `text` as an LZ4 block, against the dictionary when there is one.
fn compress(text: &[u8], dictionary: Option<&Dictionary>) -> Box<[u8]> {
    let made = ROOM.with_borrow_mut(|room| {
        let out = at_least(room, lz4_flex::block::get_maximum_output_size(text.len()));
        let n = match dictionary {
            // (As `compress_with_dict` does: a dictionary of 3 bytes or fewer is none.)
            Some(d) if d.text.len() > 3 => {
                lz4_flex::block::compress_into_with_dict(text, out, &d.text)
            }
            _ => lz4_flex::block::compress_into(text, out),
        };
        n.ok().map(|n| Box::from(&out[..n]))
    });
    // (The room is the largest a block can be, so this never happens.)
    made.unwrap_or_else(|| match dictionary {
        Some(d) => lz4_flex::block::compress_with_dict(text, &d.text).into(),
        None => lz4_flex::block::compress(text).into(),
    })
}

/// `f` of the text of `len` bytes that [`compress`] was given (empty if `data` is not what it
/// made with that dictionary, which cannot happen to data this module made).
fn with_decompressed<R>(
    data: &[u8],
    dictionary: Option<&Dictionary>,
    len: usize,
    f: impl FnOnce(&[u8]) -> R,
) -> R {
    let dict: &[u8] = dictionary.map_or(&[], |d| &d.text);
    ROOM.with_borrow_mut(|room| {
        let out = at_least(room, len);
        let n = lz4_flex::block::decompress_into_with_dict(data, out, dict).unwrap_or(0);
        f(&out[..n])
    })
}

/// The text of `len` bytes that [`compress`] was given, as [`with_decompressed`] gives it.
#[cfg(test)]
fn decompress(data: &[u8], dictionary: Option<&Dictionary>, len: usize) -> Vec<u8> {
    with_decompressed(data, dictionary, len, <[u8]>::to_vec)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Related;
    use proptest::prelude::*;

    fn diagnostic(start: usize, message: &str) -> Diagnostic {
        Diagnostic {
            doc: 3,
            span: start..start + 4,
            code: Code::VagueSource,
            severity: Severity::Info,
            message: message.into(),
            related: Vec::new(),
            more_related: 0,
        }
    }

    #[test]
    fn diagnostics_come_back_as_they_were_held() {
        let mut related = diagnostic(40, "related");
        related.related.push(Related {
            doc: 1,
            span: 2..5,
            message: "there".into(),
        });
        let mut counted = diagnostic(50, "counted");
        counted.more_related = 2;
        let far = diagnostic(u32::MAX as usize + 10, "far");
        let long = "\"some 300 people\" rests on a vague source (\"reports say\"): name it ";
        let lists = [
            vec![],
            vec![diagnostic(0, "")],
            vec![
                diagnostic(0, "a «b»"),
                diagnostic(9, ""),
                diagnostic(7, "c"),
            ],
            vec![related.clone(), diagnostic(0, "x"), counted.clone()],
            vec![
                diagnostic(0, "x"),
                far,
                related,
                diagnostic(1, "y"),
                counted,
            ],
            (0..40)
                .map(|i| diagnostic(i * 10, &long.repeat(i % 3 + 1)))
                .collect(),
        ];
        let mut list = HeldList::default();
        let holder = list.holder().clone();
        // Twice: before there is a dictionary, and against it.
        for round in 0..2 {
            for diags in &lists {
                list.push(holder.hold(diags.clone()));
            }
            if round == 0 {
                for _ in 0..DICTIONARY / long.len() + 1 {
                    list.push(holder.hold(vec![diagnostic(0, long)]));
                }
                assert!(holder.dictionary.get().is_some());
            }
        }
        let n = lists.len() + DICTIONARY / long.len() + 1;
        for (doc, diags) in lists.iter().chain(&lists[..]).enumerate() {
            let doc = if doc < lists.len() {
                doc
            } else {
                doc + n - lists.len()
            };
            let mut want = diags.clone();
            for d in &mut want {
                d.doc = doc;
            }
            assert_eq!(
                list.diagnostics(doc, &Config::default()),
                want,
                "document {doc}"
            );
        }
        assert!(list
            .diagnostics(n + lists.len(), &Config::default())
            .is_empty());
    }

    use crate::test_examples::{ARTICLES as EXAMPLES, CONFIG};

    /// An article's own diagnostics held as their messages' parts come back as the checks
    /// write them: each example article once, and many times over in one list, whose parts
    /// are then compressed.
    #[test]
    fn article_checks_come_back_from_their_parts() {
        use crate::analysis::analyze;
        use crate::article::FileKind;
        let config = Config::parse(CONFIG).unwrap();
        let mut shapes = [0; 4];
        for (doc, text) in EXAMPLES.iter().enumerate() {
            let a = analyze(text, FileKind::Markdown, &config);
            let want = crate::checks::article_checks(doc, &a, &config);
            assert!(!want.is_empty());
            let mut list = HeldList::default();
            for _ in 0..doc {
                list.push(list.holder().hold(Vec::new()));
            }
            list.push(list.holder().hold_article_checks(&a, &config));
            assert_eq!(list.diagnostics(doc, &config), want);
            // Copies until the parts are long enough to be compressed.
            let mut many = Holding::default();
            let mut copies = 0;
            while many.parts.len() < COMPRESS_FROM {
                crate::checks::article_checks_each(&a, &config, |code, severity, span, m| {
                    many.add(code, severity, &span, m).unwrap();
                    shapes[split(m).unwrap().0 as usize] += 1;
                });
                copies += 1;
            }
            let many = many.held(None);
            assert!(matches!(many.parts, Parts::Lz4 { .. }));
            let mut list = HeldList::default();
            list.push(many);
            let got = list.diagnostics(0, &config);
            assert_eq!(got.len(), want.len() * copies);
            for (g, w) in got.into_iter().zip(want.iter().cycle()) {
                assert_eq!(Diagnostic { doc, ..g }, *w);
            }
        }
        assert!(shapes[1..].iter().all(|&n| n > 0), "{shapes:?}");
    }

    /// Every message's parts give the message back: texts of every kind (white space to fold,
    /// other scripts, empty), and events in and out of the settings.
    #[test]
    fn messages_come_back_from_their_parts() {
        let config = Config::parse(CONFIG).unwrap();
        let texts = [
            "",
            "300",
            "some  300\u{a0}people",
            " «ق» ",
            "a\tb\n",
            "\"x\"",
        ];
        let n = config.events.len();
        for &figure in &texts {
            for &source in &texts {
                let messages = [
                    Message::Text(figure),
                    Message::Unsourced { figure },
                    Message::Vague { figure, source },
                    Message::Unlinked { figure, event: 0 },
                    Message::Unlinked {
                        figure,
                        event: n - 1,
                    },
                    Message::Unlinked { figure, event: n },
                ];
                for m in messages {
                    let (shape, arg, [a, b]) = split(m).unwrap();
                    let parts = [a, b].concat();
                    assert_eq!(message(shape, arg, &parts), m);
                }
            }
        }
        let past = Message::Unlinked {
            figure: "x",
            event: n,
        };
        assert_eq!(past.to_string(&config), "\"x\"");
    }

    #[test]
    fn messages_compress_against_themselves_and_the_dictionary() {
        let m = "\"hundreds of children\" rests on a vague source (\"reports say\"): name the \
                 source if the article does, or add `source=`";
        let text = m.repeat(20);
        let alone = compress(text.as_bytes(), None);
        assert!(alone.len() < text.len() / 10, "{}", alone.len());
        let d = Dictionary::new(m.as_bytes().to_vec());
        let with = compress(m.as_bytes(), Some(&d));
        assert!(with.len() < 16, "{}", with.len());
        assert_eq!(decompress(&with, Some(&d), m.len()), m.as_bytes());
    }

    proptest! {
        #[test]
        fn compression_round_trips(
            text in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), any::<u8>()], 0..600),
            dict in proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), any::<u8>()], 0..300),
        ) {
            let d = Dictionary::new(dict);
            let n = text.len();
            prop_assert_eq!(decompress(&compress(&text, None), None, n), text.clone());
            prop_assert_eq!(decompress(&compress(&text, Some(&d)), Some(&d), n), text);
        }

        #[test]
        fn any_bytes_decompress_without_panicking(
            data in proptest::collection::vec(any::<u8>(), 0..200),
            dict in proptest::collection::vec(any::<u8>(), 0..50),
        ) {
            let d = Dictionary::new(dict);
            for len in [0, 10, 10_000] {
                prop_assert!(decompress(&data, None, len).len() <= len);
                prop_assert!(decompress(&data, Some(&d), len).len() <= len);
            }
        }
    }
}
