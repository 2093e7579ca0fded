//! Line index: UTF-8 byte offsets to 1-based lines and columns counted in Unicode scalar values.
//!
//! The index keeps no text: where each line starts and where each character of more than one
//! byte is, so that the command line can give the line and column of any document's offsets
//! (a related note's, in another article) after the article's text is gone.

/// Where each line starts in a text, and where its characters of more than one byte are.
///
/// Offsets are those of texts under [`LineIndex::LIMIT`] bytes (the command line reads files of
/// at most 256 MiB); a longer text is indexed up to the limit, and offsets past it are taken as
/// the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// The byte offset where each line starts; the first is 0.
    starts: Box<[u32]>,
    /// Every character of more than one byte, in text order: its byte offset shifted left by
    /// 2, with its length less 2 in the low bits.
    wide: Box<[u32]>,
    len: u32,
}

impl LineIndex {
    /// How much of a text is indexed (1 GiB: a wide character's offset fits 30 bits).
    pub const LIMIT: usize = 1 << 30;

    pub fn new(text: &str) -> LineIndex {
        let bytes = &text.as_bytes()[..text.len().min(Self::LIMIT)];
        let breaks = memchr::memchr_iter(b'\n', bytes);
        let mut starts = Vec::with_capacity(breaks.clone().count() + 1);
        starts.push(0);
        starts.extend(breaks.map(|i| i as u32 + 1));
        LineIndex {
            starts: starts.into_boxed_slice(),
            wide: wide_chars(bytes).into_boxed_slice(),
            len: bytes.len() as u32,
        }
    }

    /// The 0-based line of a byte offset (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = self.clamp(offset);
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// The byte offset where a 0-based line starts (clamped).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len) as usize
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and 1-based column (in Unicode scalar values) of a byte offset; an offset
    /// inside a character is taken as that character's.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        // (No character spans a line break, so an offset inside one is on its line.)
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let first = self.wide.partition_point(|&w| w >> 2 < start);
        (line + 1, self.column(first, start, offset))
    }

    /// [`LineIndex::line_col`] of a span's start and of its end, the end's line found from the
    /// start's when it is the same.
    pub fn line_cols(&self, span: std::ops::Range<usize>) -> ((usize, usize), (usize, usize)) {
        let (offset, end) = (self.clamp(span.start), self.clamp(span.end));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let first = self.wide.partition_point(|&w| w >> 2 < start);
        let at = (line + 1, self.column(first, start, offset));
        let same = end >= start && self.starts.get(line + 1).is_none_or(|&n| end < n);
        if same {
            (at, (line + 1, self.column(first, start, end)))
        } else {
            (at, self.line_col(span.end))
        }
    }

    /// The 1-based column of `offset` on the line starting at `start`, whose first wide
    /// character (if any) is `wide[first]`: the line's wide characters before the offset each
    /// count once, not once a byte; an offset inside one is its column.
    fn column(&self, first: usize, start: u32, offset: u32) -> usize {
        let mut extra = 0;
        for &w in &self.wide[first..] {
            let (at, len) = (w >> 2, (w & 3) + 2);
            if at >= offset {
                break;
            }
            if at + len > offset {
                return (at - start - extra) as usize + 1;
            }
            extra += len - 1;
        }
        (offset - start - extra) as usize + 1
    }

    /// What a text diagnostic shows of a span in `text` (the text the index was made of): the
    /// same as [`LineIndex::line_col`] of its start, [`LineIndex::line_text`] of it, the
    /// [`LineIndex::char_count`] of that line text and [`LineIndex::line_col`] of the end when
    /// [`LineIndex::line_of`] the end is the start's line (the count and one otherwise), with
    /// one search of the lines and one of the wide characters.
    pub fn show<'t>(&self, text: &'t str, span: std::ops::Range<usize>) -> Shown<'t> {
        let (offset, end) = (self.clamp(span.start), self.clamp(span.end));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let next = self.starts.get(line + 1).copied();
        let text_end = next.map_or(text.len(), |e| (e as usize).min(text.len()));
        let src = text
            .get(start as usize..text_end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r']);
        let first = self.wide.partition_point(|&w| w >> 2 < start);
        let src_end = self.clamp(start as usize + src.len());
        let extra: u32 = self.wide[first..]
            .iter()
            .take_while(|&&w| w >> 2 < src_end)
            .map(|&w| (w & 3) + 1)
            .sum();
        let count = (src_end.saturating_sub(start)).saturating_sub(extra) as usize;
        let end_col = if end >= start && next.is_none_or(|n| end < n) {
            self.column(first, start, end)
        } else {
            count + 1
        };
        Shown {
            line: line + 1,
            col: self.column(first, start, offset),
            line_start: start as usize,
            src,
            count,
            end_col,
        }
    }

    /// The number of characters in a range of byte offsets (clamped to the text; both ends
    /// should be character boundaries).
    pub fn char_count(&self, range: std::ops::Range<usize>) -> usize {
        let (start, end) = (self.clamp(range.start), self.clamp(range.end));
        if end <= start {
            return 0;
        }
        let from = self.wide.partition_point(|&w| w >> 2 < start);
        let to = from + self.wide[from..].partition_point(|&w| w >> 2 < end);
        let extra: u32 = self.wide[from..to].iter().map(|&w| (w & 3) + 1).sum();
        (end - start).saturating_sub(extra) as usize
    }

    /// The byte offset of the `n`th character (counting from 0) from byte offset `from` (a
    /// character boundary), clamped to the text: found from the wide characters after `from`,
    /// not by reading the text.
    pub fn offset_after(&self, from: usize, n: usize) -> usize {
        let from = self.clamp(from);
        let mut k = self.wide.partition_point(|&w| w >> 2 < from);
        let mut at = (from as usize).saturating_add(n);
        // Each wide character that starts before the place moves it by its extra bytes.
        while let Some(&w) = self.wide.get(k) {
            if (w >> 2) as usize >= at {
                break;
            }
            at = at.saturating_add((w & 3) as usize + 1);
            k += 1;
        }
        at.min(self.len as usize)
    }

    /// The text of the 0-based line holding an offset, without its line terminator. `text` is
    /// the text the index was made of (with another, the line may be cut short or empty).
    pub fn line_text<'t>(&self, text: &'t str, offset: usize) -> &'t str {
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&e| (e as usize).min(text.len()));
        text.get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    fn clamp(&self, offset: usize) -> u32 {
        offset.min(self.len as usize) as u32
    }
}

/// Every character of more than one byte in `bytes`, as [`LineIndex`] keeps them: its offset
/// shifted left by 2, its length less 2 in the low bits. Most text is ASCII: only blocks that
/// are not are looked at, eight bytes at a time, and in those only the lead bytes
/// (`0b11xxxxxx`, which start every character of more than one byte).
fn wide_chars(bytes: &[u8]) -> Vec<u32> {
    const BLOCK: usize = 64;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut wide = Vec::new();
    for (b, block) in bytes.chunks(BLOCK).enumerate() {
        if block.is_ascii() {
            continue;
        }
        for (k, word) in block.chunks(8).enumerate() {
            let mut le = [0u8; 8];
            le[..word.len()].copy_from_slice(word);
            let x = u64::from_le_bytes(le);
            // Bit 7 of each byte whose bits 7 and 6 are set.
            let mut leads = x & (x << 1) & HIGH;
            while leads != 0 {
                let i = b * BLOCK + k * 8 + leads.trailing_zeros() as usize / 8;
                let len: u32 = match bytes[i] {
                    0xC0..=0xDF => 2,
                    0xE0..=0xEF => 3,
                    _ => 4,
                };
                wide.push((i as u32) << 2 | (len - 2));
                leads &= leads - 1;
            }
        }
    }
    wide
}

/// A span's line as a text diagnostic shows it ([`LineIndex::show`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown<'t> {
    /// The 1-based line and column of the span's start.
    pub line: usize,
    pub col: usize,
    /// Where the line starts.
    pub line_start: usize,
    /// The line's text, without its terminator, and its number of characters.
    pub src: &'t str,
    pub count: usize,
    /// The column of the span's end on the line, or one past its last character when the
    /// span ends on a later line.
    pub end_col: usize,
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line and column from the text itself: the reference.
    fn line_col_of(text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset);
        let before = &text[..offset];
        let line = before.matches('\n').count();
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        (line + 1, text[start..offset].chars().count() + 1)
    }

    #[test]
    fn columns_count_characters() {
        let t = "ab\nمحمد 12\n";
        let li = LineIndex::new(t);
        let at = t.find("12").unwrap();
        assert_eq!(li.line_col(at), (2, 6));
        assert_eq!(li.line_text(t, at), "محمد 12");
        assert_eq!(li.line_col(0), (1, 1));
        assert_eq!(li.line_col(10_000), (3, 1));
    }

    #[test]
    fn every_offset_gives_what_the_text_gives() {
        let pieces = [
            "a", " ", "é", "ق", "😀", "\u{a0}", "–", "\n", "\r\n", "1,217",
        ];
        let mut x: u32 = 11;
        for len in [0, 1, 5, 63, 64, 65, 130, 400] {
            let mut text = String::new();
            while text.chars().count() < len {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                text.push_str(pieces[(x >> 16) as usize % pieces.len()]);
            }
            let li = LineIndex::new(&text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    li.line_col(offset),
                    line_col_of(&text, offset),
                    "{text:?} at {offset}"
                );
            }
            let boundaries: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for &a in &boundaries {
                for &b in boundaries.iter().filter(|&&b| b >= a).step_by(7) {
                    assert_eq!(li.char_count(a..b), text[a..b].chars().count());
                }
                for n in 0..text.len() - a + 3 {
                    let want = text[a..]
                        .char_indices()
                        .nth(n)
                        .map_or(text.len(), |(i, _)| a + i);
                    assert_eq!(li.offset_after(a, n), want, "{text:?}: {n} after {a}");
                }
            }
        }
    }

    /// What a diagnostic shows of a span is what the separate questions give, for random
    /// texts of wide characters, line breaks of both kinds and ASCII, and every pair of
    /// offsets (ends before starts, inside characters, past the text).
    #[test]
    fn show_gives_what_the_separate_questions_give() {
        let pieces = [
            "a", " ", "é", "ق", "😀", "\u{a0}", "\n", "\r\n", "1,217", "\n\n",
        ];
        let mut rng = crate::test_rng::XorShift(0x5851_f42d_4c95_7f2d);
        for _ in 0..300 {
            let n = rng.below(40);
            let text: String = (0..n).map(|_| pieces[rng.below(pieces.len())]).collect();
            let li = LineIndex::new(&text);
            for start in 0..=text.len() + 1 {
                for end in (0..=text.len() + 1).step_by(3) {
                    let (line, col) = li.line_col(start);
                    let src = li.line_text(&text, start);
                    let line_start = li.line_start(line - 1);
                    let count = li.char_count(line_start..line_start + src.len());
                    let end_col = if li.line_of(end) == line - 1 {
                        li.line_col(end).1
                    } else {
                        count + 1
                    };
                    let want = Shown {
                        line,
                        col,
                        line_start,
                        src,
                        count,
                        end_col,
                    };
                    assert_eq!(li.show(&text, start..end), want, "{text:?} {start}..{end}");
                    let both = (li.line_col(start), li.line_col(end));
                    assert_eq!(li.line_cols(start..end), both, "{text:?} {start}..{end}");
                }
            }
        }
    }

    /// The wide characters found eight bytes at a time are those found byte by byte, in texts
    /// of every mix of ASCII and characters of two to four bytes, at every alignment.
    #[test]
    fn wide_characters_are_those_read_byte_by_byte() {
        let pieces = [
            "a",
            " ",
            "\n",
            "é",
            "ق",
            "–",
            "😀",
            "\u{a0}",
            "1,217 fighters",
        ];
        let mut rng = crate::test_rng::XorShift(0x2545_f491_4f6c_dd1d);
        for _ in 0..2000 {
            let n = rng.below(200);
            let text: String = (0..n).map(|_| pieces[rng.below(pieces.len())]).collect();
            let want: Vec<u32> = text
                .char_indices()
                .filter(|(_, c)| c.len_utf8() > 1)
                .map(|(i, c)| (i as u32) << 2 | (c.len_utf8() as u32 - 2))
                .collect();
            assert_eq!(wide_chars(text.as_bytes()), want, "{text:?}");
        }
    }

    #[test]
    fn another_text_is_never_cut_inside_a_character() {
        let li = LineIndex::new("abcdef\nghijkl\n");
        assert_eq!(li.line_text("ab", 9), "");
        assert_eq!(li.line_text("abcdef\nghé", 9), "ghé");
        assert_eq!(li.line_text("abcdef\nghijk😀", 9), "");
    }
}
