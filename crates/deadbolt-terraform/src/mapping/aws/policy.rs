//! IAM policy documents in resource attributes, shared by every service that has one (identity
//! policies, bucket policies, key policies, trust policies).

use deadbolt_model::aws::iam::PolicyDocument;
use deadbolt_model::{Attr, Unknown, Value};

use crate::evaluated::EvalBody;

/// Parses a policy attribute written as a JSON string (heredoc, `jsonencode`, a policy document
/// data source's `.json`, `templatefile`). Absent: known `None`.
pub(crate) fn policy_attr(body: &EvalBody, name: &str) -> Attr<Option<PolicyDocument>> {
    let Some(attr) = body.attr(name) else {
        return Attr::default(None, body.span.clone());
    };
    let parsed = match &attr.value {
        Value::Null => return Attr::default(None, attr.span.clone()),
        Value::String(s) if s.trim().is_empty() => return Attr::set(None, attr.span.clone()),
        Value::String(s) => PolicyDocument::from_json_str(s),
        Value::Unknown(u) => match &attr.partial {
            // A policy template with unknown interpolations: read the known structure, with the
            // unknown parts as unknown strings.
            Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(json) => PolicyDocument::from_value(&unknown_placeholders(Value::from(json), u)),
                Err(_) => return Attr::unknown(u.clone(), attr.span.clone()),
            },
            None => return Attr::unknown(u.clone(), attr.span.clone()),
        },
        other => PolicyDocument::from_value(other),
    };
    match parsed {
        Ok(doc) => Attr::set(Some(doc), attr.span.clone()),
        Err(e) => Attr::unknown(Unknown::new(e.to_string()), attr.span.clone()),
    }
}

/// Replaces every string that contains [`crate::evaluated::PLACEHOLDER`] with `reason`.
fn unknown_placeholders(value: Value, reason: &Unknown) -> Value {
    match value {
        Value::String(s) if s.contains(crate::evaluated::PLACEHOLDER) => {
            Value::Unknown(reason.clone())
        }
        Value::List(items) => Value::List(
            items
                .into_iter()
                .map(|v| unknown_placeholders(v, reason))
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, unknown_placeholders(v, reason)))
                .collect(),
        ),
        other => other,
    }
}
