//! Source locations.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// A position in a source file. Lines and columns are 1-based; columns count Unicode scalar values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// Where a value came from: a file and a start/end range inside it.
///
/// For live cloud state (no file), `file` names the API call or snapshot the value came from and the
/// positions are `0:0`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// The file as the user named it (relative to the scan root where there is one).
    pub file: Arc<str>,
    /// The first character of the range.
    pub start: Position,
    /// The position just past the last character of the range (exclusive end column).
    pub end: Position,
}

impl Span {
    /// A span at the start of a file (1:1), used when nothing finer is known.
    pub fn file(file: Arc<str>) -> Self {
        Span {
            file,
            start: Position { line: 1, column: 1 },
            end: Position { line: 1, column: 1 },
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.start.line, self.start.column)
    }
}

/// Converts byte offsets in one source text into [`Position`]s.
///
/// Built once per file; each lookup is a binary search over line starts (O(log lines)).
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    /// The position of byte `offset` in `text` (the same text the index was built from). Offsets
    /// past the end clamp to the end; offsets inside a multi-byte character count that character.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or_else(|| text.as_bytes()[start..offset].len());
        Position {
            line: line as u32 + 1,
            column: column as u32 + 1,
        }
    }

    /// The byte offset at which 1-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.line_starts
            .get((line as usize).checked_sub(1)?)
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let text = "ab\ncé d\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), Position { line: 1, column: 1 });
        assert_eq!(idx.position(text, 3), Position { line: 2, column: 1 });
        // 'd' follows a two-byte 'é' and a space
        assert_eq!(idx.position(text, 7), Position { line: 2, column: 4 });
        assert_eq!(idx.position(text, 999), Position { line: 3, column: 1 });
    }
}
