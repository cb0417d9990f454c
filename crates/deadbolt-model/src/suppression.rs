//! Inline suppression comments: `# deadbolt:ignore[RULE-ID] reason` (also `//` and `/* */`
//! comments, and several IDs separated by commas). Every text source (Terraform, CloudFormation,
//! Kubernetes) finds them with [`suppression_comments`]; each source decides which resource a
//! comment belongs to, usually with [`comment_block_lines`].

use std::sync::Arc;

use crate::resource::Suppression;
use crate::span::{LineIndex, Position, Span};

const MARKER: &str = "deadbolt:ignore";

/// One rule ID named by a suppression comment (a comment naming two IDs yields two), or a
/// malformed marker.
#[derive(Clone, Debug)]
pub struct SuppressionComment {
    /// 1-based line of the comment.
    pub line: u32,
    /// Byte offset of the marker in the file, to tell comments from look-alikes inside strings.
    pub offset: usize,
    /// Set for a marker that is not `deadbolt:ignore[ID, ...]`: it silences nothing and is
    /// reported.
    pub malformed: bool,
    /// The rule it silences, its reason and the marker's span.
    pub suppression: Suppression,
}

/// Finds every suppression comment in `text`. Only text after a comment opener (`#`, `//`, `/*`)
/// counts, so a string that mentions the marker is not a suppression.
pub fn suppression_comments(file: &Arc<str>, text: &str) -> Vec<SuppressionComment> {
    let mut out = Vec::new();
    let mut line_offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let start_of_line = line_offset;
        line_offset += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        let before = &line[..at];
        let opener = ["#", "//", "/*"]
            .iter()
            .filter_map(|o| before.rfind(o))
            .max();
        let Some(opener) = opener else { continue };
        if !before[opener..]
            .trim_start_matches(['#', '/', '*'])
            .trim()
            .is_empty()
        {
            continue;
        }
        let column = line[..at].chars().count() as u32 + 1;
        let marker_span = Span {
            file: file.clone(),
            start: Position {
                line: i as u32 + 1,
                column,
            },
            end: Position {
                line: i as u32 + 1,
                column: line.chars().count() as u32 + 1,
            },
        };
        let after = &line[at + MARKER.len()..];
        let (Some(rest), Some(close)) = (after.strip_prefix('['), after.find(']')) else {
            out.push(SuppressionComment {
                line: i as u32 + 1,
                offset: start_of_line + at,
                malformed: true,
                suppression: Suppression {
                    rule_id: String::new(),
                    reason: None,
                    span: marker_span,
                },
            });
            continue;
        };
        let close = close - 1;
        let reason = rest[close + 1..].trim().trim_end_matches("*/").trim();
        let reason = (!reason.is_empty()).then(|| reason.to_string());
        let column = line[..at].chars().count() as u32 + 1;
        let span = Span {
            file: file.clone(),
            start: Position {
                line: i as u32 + 1,
                column,
            },
            end: Position {
                line: i as u32 + 1,
                column: line.chars().count() as u32 + 1,
            },
        };
        for id in rest[..close]
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            out.push(SuppressionComment {
                line: i as u32 + 1,
                offset: start_of_line + at,
                malformed: false,
                suppression: Suppression {
                    rule_id: id.to_string(),
                    reason: reason.clone(),
                    span: span.clone(),
                },
            });
        }
    }
    out
}

/// The lines whose suppressions apply to a block spanning `start_line..=end_line`: the block and
/// the run of comment lines directly above it.
pub fn comment_block_lines(
    text: &str,
    index: &LineIndex,
    start_line: u32,
    end_line: u32,
) -> std::ops::RangeInclusive<u32> {
    let line_text = |n: u32| -> &str {
        let Some(start) = index.line_start(n) else {
            return "";
        };
        let end = index.line_start(n + 1).unwrap_or(text.len());
        text.get(start..end).unwrap_or("")
    };
    let mut first_comment_line = start_line;
    while first_comment_line > 1 {
        let above = line_text(first_comment_line - 1).trim_start();
        if above.starts_with('#')
            || above.starts_with("//")
            || above.starts_with("/*")
            || above.starts_with('*')
        {
            first_comment_line -= 1;
        } else {
            break;
        }
    }
    first_comment_line..=end_line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids_and_reason_only_in_comments() {
        let file: Arc<str> = "main.tf".into();
        let text = "# deadbolt:ignore[AWS-S3-001, AWS-S3-010] public website\nname = \"deadbolt:ignore[X]\"\n  // deadbolt:ignore[AWS-EC2-001]\n";
        let found = suppression_comments(&file, text);
        let ids: Vec<_> = found
            .iter()
            .map(|c| c.suppression.rule_id.as_str())
            .collect();
        assert_eq!(ids, ["AWS-S3-001", "AWS-S3-010", "AWS-EC2-001"]);
        assert_eq!(
            found[0].suppression.reason.as_deref(),
            Some("public website")
        );
        assert_eq!(found[2].line, 3);
        assert_eq!(found[2].suppression.reason, None);
    }
}
