//! The `aws_iam_policy_document` data source, computed locally the way the AWS provider does:
//! `statement` blocks, `source_policy_documents` (statements appended first), and
//! `override_policy_documents` (statements replace those with the same `sid`). Source: Terraform
//! AWS provider documentation, "Data Source: aws_iam_policy_document".

use std::collections::BTreeMap;

use deadbolt_model::Value;

use crate::evaluated::EvalBody;

/// The document as the data source's `json` attribute: a JSON string when fully known, otherwise
/// the structured document (see `jsonencode`).
pub(super) fn render(body: &EvalBody) -> Value {
    let mut statements: Vec<Value> = Vec::new();
    for name in ["source_policy_documents", "source_json"] {
        for doc in documents(body, name) {
            statements.extend(doc_statements(&doc));
        }
    }
    for stmt in body.blocks("statement") {
        statements.push(statement(stmt));
    }
    for name in ["override_policy_documents", "override_json"] {
        for doc in documents(body, name) {
            for over in doc_statements(&doc) {
                let sid = over.get("Sid").and_then(Value::as_str).map(str::to_string);
                let slot = sid.as_ref().and_then(|sid| {
                    statements
                        .iter()
                        .position(|s| s.get("Sid").and_then(Value::as_str) == Some(sid))
                });
                match slot {
                    Some(i) => statements[i] = over,
                    None => statements.push(over),
                }
            }
        }
    }
    let mut doc = BTreeMap::new();
    let version = body
        .attr("version")
        .map(|a| a.value.clone())
        .unwrap_or(Value::String("2012-10-17".into()));
    doc.insert("Version".to_string(), version);
    doc.insert("Statement".to_string(), Value::List(statements));
    let doc = Value::Object(doc);
    match doc.to_json() {
        Ok(json) => Value::String(json.to_string()),
        Err(_) => doc,
    }
}

fn documents(body: &EvalBody, name: &str) -> Vec<Value> {
    let Some(attr) = body.attr(name) else {
        return Vec::new();
    };
    let items = match &attr.value {
        Value::List(items) => items.clone(),
        other => vec![other.clone()],
    };
    items
        .into_iter()
        .map(|v| match v {
            Value::String(s) => serde_json::from_str::<serde_json::Value>(&s)
                .map(Value::from)
                .unwrap_or(Value::Null),
            other => other,
        })
        .collect()
}

fn doc_statements(doc: &Value) -> Vec<Value> {
    // An unknown document contributes an unknown statement: the policy is then known to be
    // incomplete rather than silently shorter.
    if let Value::Unknown(_) = doc {
        return vec![doc.clone()];
    }
    match doc.get("Statement") {
        Some(Value::List(items)) => items.clone(),
        Some(v @ Value::Object(_)) => vec![v.clone()],
        Some(v @ Value::Unknown(_)) => vec![v.clone()],
        _ => Vec::new(),
    }
}

fn statement(stmt: &EvalBody) -> Value {
    let mut out = BTreeMap::new();
    if let Some(sid) = stmt.attr("sid") {
        out.insert("Sid".to_string(), sid.value.clone());
    }
    out.insert(
        "Effect".to_string(),
        stmt.attr("effect")
            .map(|a| a.value.clone())
            .unwrap_or(Value::String("Allow".into())),
    );
    for (attr, key) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(a) = stmt.attr(attr) {
            out.insert(key.to_string(), a.value.clone());
        }
    }
    for (block, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let mut principals: BTreeMap<String, Value> = BTreeMap::new();
        for p in stmt.blocks(block) {
            let kind = p
                .attr("type")
                .and_then(|a| a.value.as_str())
                .unwrap_or("AWS")
                .to_string();
            let ids = p
                .attr("identifiers")
                .map(|a| a.value.clone())
                .unwrap_or(Value::List(Vec::new()));
            match principals.get_mut(&kind) {
                Some(Value::List(existing)) => match ids {
                    Value::List(more) => existing.extend(more),
                    other => existing.push(other),
                },
                _ => {
                    principals.insert(kind, ids);
                }
            }
        }
        if !principals.is_empty() {
            // `type = "*"` with identifiers ["*"] is how the provider spells `"Principal": "*"`.
            let value = if principals.len() == 1 && principals.contains_key("*") {
                Value::String("*".into())
            } else {
                Value::Object(principals)
            };
            out.insert(key.to_string(), value);
        }
    }
    let mut conditions: BTreeMap<String, Value> = BTreeMap::new();
    for c in stmt.blocks("condition") {
        let test = c
            .attr("test")
            .and_then(|a| a.value.as_str())
            .unwrap_or("")
            .to_string();
        let variable = c
            .attr("variable")
            .and_then(|a| a.value.as_str())
            .unwrap_or("")
            .to_string();
        let values = c
            .attr("values")
            .map(|a| a.value.clone())
            .unwrap_or(Value::List(Vec::new()));
        if let Value::Object(keys) = conditions
            .entry(test)
            .or_insert_with(|| Value::Object(BTreeMap::new()))
        {
            keys.insert(variable, values);
        }
    }
    if !conditions.is_empty() {
        out.insert("Condition".to_string(), Value::Object(conditions));
    }
    Value::Object(out)
}
