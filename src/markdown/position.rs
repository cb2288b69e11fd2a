//! Byte offsets of the parsed text to the page file's line and column.
//!
//! Look-ups come in the order of the text during one pass, so the column is
//! counted on from the previous look-up when it is on the same line, instead
//! of from the line's start each time (200,000 `role:` links on one line made
//! that quadratic: 11 s). Offsets that go back scan from their line's start.

/// Line and column (1-based, column in characters) of offsets in one page.
pub(super) struct Positions<'a> {
    /// The page's body as written (before nesting was capped).
    body: &'a str,
    /// Byte offset where each line of `body` starts.
    starts: Vec<usize>,
    /// Offsets in the parsed text of backslashes that are not in `body`.
    inserted: &'a [usize],
    /// File line of the body's first line.
    first_line: usize,
    /// The previous look-up: offset in `body`, line index, column.
    last: (usize, usize, usize),
    /// Bytes scanned to count columns (the linear-cost tests read it).
    pub scanned: usize,
}

impl<'a> Positions<'a> {
    pub fn new(body: &'a str, inserted: &'a [usize], first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', body.as_bytes()).map(|i| i + 1));
        Positions {
            body,
            starts,
            inserted,
            first_line,
            last: (0, 0, 1),
            scanned: 0,
        }
    }

    /// File line and column of `offset` in the parsed text.
    pub fn at(&mut self, offset: usize) -> (usize, usize) {
        let added = self.inserted.partition_point(|&at| at < offset);
        self.at_written(offset - added)
    }

    /// File line and column of `offset` in the body as written.
    pub fn at_written(&mut self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.body.len());
        while !self.body.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let (from, column) = match self.last {
            (last, last_line, column) if last_line == line && last <= offset => (last, column),
            _ => (self.starts[line], 1),
        };
        let column = column + self.body[from..offset].chars().count();
        self.scanned += offset - from;
        self.last = (offset, line, column);
        (line + self.first_line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::line_col;

    #[test]
    fn same_answers_as_line_col_in_any_order() {
        let body = "ab\n职责 x\n\n😀 end";
        let mut positions = Positions::new(body, &[], 5);
        let offsets: Vec<usize> = (0..=body.len() + 2).chain((0..body.len()).rev()).collect();
        for offset in offsets {
            let (line, column) = line_col(body, offset);
            assert_eq!(positions.at_written(offset), (line + 4, column), "{offset}");
        }
    }

    #[test]
    fn inserted_backslashes_are_not_counted() {
        let body = "- - x";
        // Parsed as `- \- x`: the backslash at 2 is not in the file.
        let mut positions = Positions::new(body, &[2], 1);
        assert_eq!(positions.at(2), (1, 3));
        assert_eq!(positions.at(3), (1, 3));
        assert_eq!(positions.at(5), (1, 5));
    }
}
