//! Diagnostics held compactly: each document's own between the two passes of `tally check`,
//! the event checks' for `tally events`.
//!
//! A corpus of 100,000 articles has some two million diagnostics of its own: as
//! [`Diagnostic`]s (88 bytes and a message of about 140 each) they would outweigh everything
//! else `check` keeps. A list of diagnostics (a document's, a batch of the event checks') is
//! held as one list of spans, codes and severities and one string of messages, compressed:
//! messages repeat their templates, figures and event titles, within a list and across the
//! corpus, so each list's are compressed (LZ4, `lz4_flex`) against themselves and a
//! dictionary made of the first lists' messages.

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

use crate::checks::{Code, Diagnostic, DocId, Severity};

/// One document's diagnostics, without its number.
pub struct Held {
    items: Box<[Item]>,
    /// The messages end to end, compressed ([`compress`]).
    messages: Box<[u8]>,
    /// Whether the messages were compressed against the dictionary.
    with_dictionary: bool,
    /// Diagnostics that do not fit an [`Item`] (a related place, an offset past 4 GiB), whole,
    /// each with its place in the list.
    whole: Vec<(usize, Diagnostic)>,
}

impl Held {
    /// The length of the messages, uncompressed.
    fn len(&self) -> usize {
        self.items.last().map_or(0, |i| i.message_end as usize)
    }
}

/// A diagnostic without related places: its message ends at `message_end` in the messages.
struct Item {
    start: u32,
    end: u32,
    message_end: u32,
    code: Code,
    severity: Severity,
}

/// Makes [`Held`]s on any thread, with the dictionary of their [`HeldList`] once it has one.
#[derive(Clone, Default)]
pub struct Holder {
    dictionary: Arc<OnceLock<Dictionary>>,
}

impl Holder {
    /// Hold a document's diagnostics (their `doc` is dropped: [`HeldList::diagnostics`] gives
    /// it back).
    pub fn hold(&self, diags: Vec<Diagnostic>) -> Held {
        let mut items = Vec::with_capacity(diags.len());
        let mut messages = Vec::with_capacity(diags.iter().map(|d| d.message.len()).sum());
        let mut whole = Vec::new();
        for (i, d) in diags.into_iter().enumerate() {
            let fits = |n: usize| u32::try_from(n).ok();
            let item = match (
                fits(d.span.start),
                fits(d.span.end),
                fits(messages.len() + d.message.len()),
            ) {
                (Some(start), Some(end), Some(message_end))
                    if d.related.is_empty() && d.more_related == 0 =>
                {
                    Item {
                        start,
                        end,
                        message_end,
                        code: d.code,
                        severity: d.severity,
                    }
                }
                _ => {
                    whole.push((i, d));
                    continue;
                }
            };
            messages.extend_from_slice(d.message.as_bytes());
            items.push(item);
        }
        let dictionary = self.dictionary.get();
        Held {
            items: items.into_boxed_slice(),
            messages: compress(&messages, dictionary),
            with_dictionary: dictionary.is_some(),
            whole,
        }
    }
}

/// Lists of [`Held`] diagnostics (each document's, each batch's), by number.
#[derive(Default)]
pub struct HeldList {
    holder: Holder,
    docs: Vec<Held>,
    /// The first lists' messages, until there are enough for the dictionary.
    gathered: Vec<u8>,
}

impl HeldList {
    /// What makes the lists to [`HeldList::push`] here, on any thread.
    pub fn holder(&self) -> &Holder {
        &self.holder
    }

    /// Add the next list, made by this list's [`Holder`]. The first lists' messages make the
    /// dictionary the later ones are compressed against.
    pub fn push(&mut self, held: Held) {
        if self.holder.dictionary.get().is_none() {
            self.gathered
                .extend_from_slice(&decompress(&held.messages, None, held.len()));
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

    /// List `doc` as it was held, its diagnostics as document `doc`'s.
    pub fn diagnostics(&self, doc: DocId) -> Vec<Diagnostic> {
        let Some(held) = self.docs.get(doc) else {
            return Vec::new();
        };
        let dictionary = held
            .with_dictionary
            .then(|| self.holder.dictionary.get())
            .flatten();
        // Checked once for the whole document (each message was a string when held).
        with_decompressed(
            &held.messages,
            dictionary,
            held.len(),
            |bytes| match std::str::from_utf8(bytes) {
                Ok(messages) => held.diagnostics(doc, messages),
                Err(_) => held.diagnostics(doc, &String::from_utf8_lossy(bytes)),
            },
        )
    }
}

impl Held {
    /// The diagnostics as document `doc`'s, with their messages end to end in `messages`.
    fn diagnostics(&self, doc: DocId, messages: &str) -> Vec<Diagnostic> {
        let held = self;
        let mut out = Vec::with_capacity(held.items.len() + held.whole.len());
        let mut whole = held.whole.iter().peekable();
        let mut from = 0;
        for item in held.items.iter() {
            while let Some((_, d)) = whole.next_if(|(i, _)| *i == out.len()) {
                out.push(Diagnostic { doc, ..d.clone() });
            }
            let to = item.message_end as usize;
            out.push(Diagnostic {
                doc,
                span: item.start as usize..item.end as usize,
                code: item.code,
                severity: item.severity,
                message: messages.get(from..to).unwrap_or_default().to_string(),
                related: Vec::new(),
                more_related: 0,
            });
            from = to;
        }
        out.extend(whole.map(|(_, d)| Diagnostic { doc, ..d.clone() }));
        out
    }
}

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
            assert_eq!(list.diagnostics(doc), want, "document {doc}");
        }
        assert!(list.diagnostics(n + lists.len()).is_empty());
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
