//! Positions: UTF-8 byte offsets inside the server, LSP line/character positions on the wire.
//!
//! This is the only module that converts between the two. A wire position counts its
//! `character` in UTF-16 code units (the LSP default) or in UTF-8 bytes, when the client
//! offers `utf-8` in `general.positionEncodings` (LSP 3.17). Lines end at `\n`, `\r\n` or
//! `\r`, as LSP says (ropey is built without `unicode_lines` for this). Every conversion
//! clamps: a line past the end is the end of the text, a character past the end of its line
//! is the end of that line, a position inside a character is that character's start. No
//! input can make these functions panic.
//!
//! Two structures answer the questions: the [`Rope`] of an open document, for applying edits,
//! and a [`LineMap`], a compact line table for any analysed text (open or not) that keeps
//! line starts and the few non-ASCII characters, not the text itself.

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range};

/// How `Position::character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// The LSP name of the encoding.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16 => "utf-16",
        }
    }

    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// The byte offset of a wire position in a rope (clamped).
pub fn rope_offset(rope: &Rope, pos: Position, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let start = rope.line_to_byte(line);
    let mut offset = start;
    let mut units = 0usize;
    let want = pos.character as usize;
    for c in rope.line(line).chars() {
        if c == '\n' || c == '\r' || units >= want {
            break;
        }
        let n = enc.units(c);
        if units + n > want {
            break; // inside a character: its start
        }
        units += n;
        offset += c.len_utf8();
    }
    offset
}

/// The wire position of a byte offset in a rope (clamped, floored to a character boundary).
pub fn rope_position(rope: &Rope, offset: usize, enc: Encoding) -> Position {
    let offset = offset.min(rope.len_bytes());
    let char_idx = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_idx);
    let line_char = rope.line_to_char(line);
    let character = match enc {
        Encoding::Utf8 => rope.char_to_byte(char_idx) - rope.line_to_byte(line),
        Encoding::Utf16 => rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_char),
    };
    Position::new(line as u32, character as u32)
}

/// A compact line table: line starts and ends, and the non-ASCII characters as runs of equal
/// characters' lengths (a word in Arabic script is one run). Enough to convert positions both
/// ways without the text, in a few hundred bytes for an article: the server keeps one for
/// every article of the corpus. Offsets are `u32`: the server reads no file over 256 MB.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineMap {
    starts: Vec<u32>,
    /// Where each line's content ends (before its terminator).
    ends: Vec<u32>,
    wide: Vec<WideRun>,
    len: usize,
}

/// `n` consecutive non-ASCII characters of the same UTF-8 and UTF-16 lengths, from byte `at`.
/// A run never crosses a line end (line ends are ASCII).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WideRun {
    at: u32,
    n: u16,
    l8: u8,
    l16: u8,
}

impl WideRun {
    fn end(&self) -> usize {
        self.at as usize + self.n as usize * self.l8 as usize
    }
}

/// An offset as stored (texts over 4 GB are never mapped; clamp rather than wrap).
fn small(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

impl LineMap {
    pub fn new(text: &str) -> LineMap {
        let mut m = LineMap {
            starts: vec![0],
            ends: Vec::new(),
            wide: Vec::new(),
            len: text.len(),
        };
        let b = text.as_bytes();
        let mut i = 0;
        for (at, c) in text.char_indices() {
            if at < i {
                continue; // the `\n` of a `\r\n`, already taken
            }
            match c {
                '\n' => {
                    m.ends.push(small(at));
                    m.starts.push(small(at + 1));
                }
                '\r' => {
                    m.ends.push(small(at));
                    let next = if b.get(at + 1) == Some(&b'\n') {
                        at + 2
                    } else {
                        at + 1
                    };
                    m.starts.push(small(next));
                    i = next;
                }
                c if !c.is_ascii() => {
                    let (l8, l16) = (c.len_utf8() as u8, c.len_utf16() as u8);
                    match m.wide.last_mut() {
                        Some(r)
                            if r.end() == at && r.l8 == l8 && r.l16 == l16 && r.n < u16::MAX =>
                        {
                            r.n += 1
                        }
                        _ => m.wide.push(WideRun {
                            at: small(at),
                            n: 1,
                            l8,
                            l16,
                        }),
                    }
                }
                _ => {}
            }
        }
        m.ends.push(small(text.len()));
        m
    }

    /// The length of the text the map was built from.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first run that ends after `offset` (it may start after it too).
    fn run_after(&self, offset: usize) -> usize {
        self.wide.partition_point(|r| r.end() <= offset)
    }

    /// The wire position of a byte offset.
    pub fn position(&self, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(self.len);
        // Floor into a character boundary.
        if let Some(r) = self.wide.get(self.run_after(offset)) {
            let at = r.at as usize;
            if at <= offset {
                offset = at + (offset - at) / r.l8 as usize * r.l8 as usize;
            }
        }
        let line = self
            .starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1);
        let start = self.starts[line] as usize;
        let mut col = offset - start;
        if enc == Encoding::Utf16 {
            // Runs within the line before the offset (a run never crosses a line end).
            let from = self.wide.partition_point(|r| (r.at as usize) < start);
            for r in self.wide[from..]
                .iter()
                .take_while(|r| (r.at as usize) < offset)
            {
                let chars = (r.end().min(offset) - r.at as usize) / r.l8 as usize;
                col -= chars * (r.l8 - r.l16) as usize;
            }
        }
        Position::new(line as u32, col as u32)
    }

    /// The byte offset of a wire position (clamped).
    pub fn offset(&self, pos: Position, enc: Encoding) -> usize {
        let line = pos.line as usize;
        let (Some(&start), Some(&end)) = (self.starts.get(line), self.ends.get(line)) else {
            return self.len;
        };
        let (start, end) = (start as usize, end as usize);
        let want = pos.character as usize;
        let (mut cur, mut units) = (start, 0usize);
        let from = self.wide.partition_point(|r| (r.at as usize) < start);
        for r in self.wide[from..]
            .iter()
            .take_while(|r| (r.at as usize) < end)
        {
            let at = r.at as usize;
            let run = at - cur;
            if units + run >= want {
                return cur + (want - units);
            }
            units += run;
            let per = if enc == Encoding::Utf16 { r.l16 } else { r.l8 } as usize;
            let total = r.n as usize * per;
            if units + total > want {
                // Inside the run: the start of the character holding the position.
                return at + (want - units) / per * r.l8 as usize;
            }
            units += total;
            cur = r.end();
        }
        (cur + want.saturating_sub(units)).min(end)
    }

    /// The wire range of a byte span.
    pub fn range(&self, span: &std::ops::Range<usize>, enc: Encoding) -> Range {
        Range::new(
            self.position(span.start, enc),
            self.position(span.end.max(span.start), enc),
        )
    }

    /// The 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s as usize <= offset.min(self.len))
            .saturating_sub(1)
    }

    /// The byte span of a line's content (without its terminator).
    pub fn line_span(&self, line: usize) -> std::ops::Range<usize> {
        match (self.starts.get(line), self.ends.get(line)) {
            (Some(&s), Some(&e)) => s as usize..e as usize,
            _ => self.len..self.len,
        }
    }

    /// The length of a byte span in wire units (the span should not cross a line).
    pub fn width(&self, span: &std::ops::Range<usize>, enc: Encoding) -> u32 {
        let a = self.position(span.start, enc);
        let b = self.position(span.end, enc);
        if a.line == b.line {
            b.character.saturating_sub(a.character)
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "ab\r\nمحمد 12 😀 x\rthird\n\nlast 😀";

    #[test]
    fn utf16_counts_surrogate_pairs_and_arabic() {
        let m = LineMap::new(TEXT);
        let rope = Rope::from_str(TEXT);
        let x = TEXT.find(" x").unwrap() + 1;
        // "محمد 12 😀 " = 4 + 1 + 2 + 1 + 2 + 1 = 11 UTF-16 units.
        assert_eq!(m.position(x, Encoding::Utf16), Position::new(1, 11));
        assert_eq!(
            rope_position(&rope, x, Encoding::Utf16),
            Position::new(1, 11)
        );
        assert_eq!(
            m.position(x, Encoding::Utf8),
            Position::new(1, (x - 4) as u32)
        );
        assert_eq!(m.offset(Position::new(1, 11), Encoding::Utf16), x);
        assert_eq!(rope_offset(&rope, Position::new(1, 11), Encoding::Utf16), x);
        // Inside the emoji's surrogate pair: its start.
        let emoji = TEXT.find('😀').unwrap();
        assert_eq!(m.offset(Position::new(1, 9), Encoding::Utf16), emoji);
        assert_eq!(
            rope_offset(&rope, Position::new(1, 9), Encoding::Utf16),
            emoji
        );
        assert_eq!(
            m.position(emoji + 2, Encoding::Utf16),
            m.position(emoji, Encoding::Utf16)
        );
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let m = LineMap::new(TEXT);
        let rope = Rope::from_str(TEXT);
        assert_eq!(m.offset(Position::new(0, 999), Encoding::Utf16), 2);
        assert_eq!(
            rope_offset(&rope, Position::new(0, 999), Encoding::Utf16),
            2
        );
        assert_eq!(m.offset(Position::new(99, 0), Encoding::Utf8), TEXT.len());
        assert_eq!(
            rope_offset(&rope, Position::new(99, 0), Encoding::Utf8),
            TEXT.len()
        );
        assert_eq!(
            m.position(10_000, Encoding::Utf16),
            rope_position(&rope, 10_000, Encoding::Utf16)
        );
        // `\r` alone ends a line too.
        assert_eq!(
            m.offset(Position::new(2, 0), Encoding::Utf8),
            TEXT.find("third").unwrap()
        );
        assert_eq!(
            rope_offset(&rope, Position::new(2, 0), Encoding::Utf8),
            TEXT.find("third").unwrap()
        );
    }

    #[test]
    fn line_map_agrees_with_the_rope_everywhere() {
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let m = LineMap::new(TEXT);
            let rope = Rope::from_str(TEXT);
            for off in 0..=TEXT.len() + 2 {
                let p = m.position(off, enc);
                assert_eq!(p, rope_position(&rope, off, enc), "offset {off}");
                for c in 0..16 {
                    let q = Position::new(p.line, c);
                    assert_eq!(
                        m.offset(q, enc),
                        rope_offset(&rope, q, enc),
                        "{q:?} {enc:?}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn line_map_and_rope_agree_on_any_text(
            pieces in proptest::collection::vec(proptest::sample::select(vec!["a", "b ", "é", "٣", "😀", "\n", "\r", "\r\n", "محمد", "😀😀", "éé😀ق", "\u{a0}"]), 0..40),
            line in 0u32..12,
            character in 0u32..40,
            offset in 0usize..200,
        ) {
            let text: String = pieces.concat();
            let m = LineMap::new(&text);
            let rope = Rope::from_str(&text);
            for enc in [Encoding::Utf8, Encoding::Utf16] {
                let p = Position::new(line, character);
                let o = m.offset(p, enc);
                proptest::prop_assert_eq!(o, rope_offset(&rope, p, enc));
                proptest::prop_assert!(text.is_char_boundary(o));
                proptest::prop_assert_eq!(m.position(offset, enc), rope_position(&rope, offset, enc));
                // A position made from an offset converts back to that offset.
                let back = m.offset(m.position(o, enc), enc);
                proptest::prop_assert_eq!(back, o);
            }
        }
    }
}
