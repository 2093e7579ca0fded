//! Line index: UTF-8 byte offsets to 1-based lines and columns counted in Unicode scalar values.

/// Where each line starts in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// The 0-based line of a byte offset (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset.min(self.len)) - 1
    }

    /// The byte offset where a 0-based line starts (clamped).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and 1-based column (in Unicode scalar values) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        (line + 1, text[start..offset].chars().count() + 1)
    }

    /// The text of the 0-based line holding an offset, without its line terminator.
    pub fn line_text<'t>(&self, text: &'t str, offset: usize) -> &'t str {
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let end = self.starts.get(line + 1).map_or(text.len(), |&e| e);
        text[start..end].trim_end_matches(['\n', '\r'])
    }
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

    #[test]
    fn columns_count_characters() {
        let t = "ab\nمحمد 12\n";
        let li = LineIndex::new(t);
        let at = t.find("12").unwrap();
        assert_eq!(li.line_col(t, at), (2, 6));
        assert_eq!(li.line_text(t, at), "محمد 12");
        assert_eq!(li.line_col(t, 0), (1, 1));
        assert_eq!(li.line_col(t, 10_000), (3, 1));
    }
}
