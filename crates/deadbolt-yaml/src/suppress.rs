//! Suppression comments in YAML: `# deadbolt:ignore[RULE-ID] reason`, as in Terraform, but a `#`
//! inside a quoted or block scalar is text, not a comment.

use std::sync::Arc;

use deadbolt_model::suppression;

use crate::tree::{Data, Node};

pub use deadbolt_model::suppression::SuppressionComment;

/// Every suppression comment in `text` that is a YAML comment, given the file's parsed documents
/// (markers inside a scalar's span are dropped: `description: "see # deadbolt:ignore[X]"`).
pub fn suppression_comments<'a>(
    file: &Arc<str>,
    text: &str,
    docs: impl IntoIterator<Item = &'a Node>,
) -> Vec<SuppressionComment> {
    let mut comments = suppression::suppression_comments(file, text);
    if comments.is_empty() {
        return comments;
    }
    let mut scalars = Vec::new();
    for doc in docs {
        doc.walk(&mut |n| {
            if matches!(n.data, Data::Scalar(_)) {
                scalars.push((n.span.start, n.span.end));
            }
        });
    }
    comments.retain(|c| {
        let at = c.suppression.span.start;
        !scalars.iter().any(|(start, end)| *start <= at && at < *end)
    });
    comments
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn markers_inside_scalars_are_not_comments() {
        let file: Arc<str> = "k.yaml".into();
        let text = "# deadbolt:ignore[K8S-001] lab only\nkind: Pod\nnote: \"x # deadbolt:ignore[K8S-002]\"\nblock: |\n  # deadbolt:ignore[K8S-003]\nimage: a # deadbolt:ignore[K8S-004] pinned elsewhere\n";
        let docs = parse(&file, text).unwrap();
        let ids: Vec<_> = suppression_comments(&file, text, &docs)
            .into_iter()
            .map(|c| c.suppression.rule_id)
            .collect();
        assert_eq!(ids, ["K8S-001", "K8S-004"]);
    }
}
