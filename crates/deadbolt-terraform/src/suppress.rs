//! Inline suppressions: `# deadbolt:ignore[RULE-ID] reason` (also `//` and `/* */` comments, and
//! several IDs separated by commas).
//!
//! A suppression applies to the block it is written inside, or to the block that starts on the
//! line right after the comment (or after a run of comment lines that contains it).

pub(crate) use deadbolt_model::suppression::SuppressionComment as Comment;
use deadbolt_model::suppression::{comment_block_lines, suppression_comments};
use deadbolt_model::{LineIndex, Suppression};

/// The suppressions that apply to a block spanning `start_line..=end_line`: those inside it, and
/// those in the comment run directly above it.
pub(crate) fn for_block(
    comments: &[Comment],
    text: &str,
    index: &LineIndex,
    start_line: u32,
    end_line: u32,
) -> Vec<Suppression> {
    let lines = comment_block_lines(text, index, start_line, end_line);
    comments
        .iter()
        .filter(|c| !c.malformed && lines.contains(&c.line))
        .map(|c| c.suppression.clone())
        .collect()
}

/// Every suppression comment in `text`.
pub(crate) fn scan(file: &std::sync::Arc<str>, text: &str) -> Vec<Comment> {
    suppression_comments(file, text)
}

/// See [`comment_block_lines`].
pub(crate) use deadbolt_model::suppression::comment_block_lines as block_lines;
