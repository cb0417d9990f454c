//! Terraform plan JSON (`terraform show -json plan.out`): the planned values of every resource,
//! already evaluated by Terraform; `after_unknown` marks what is known only after apply.
//!
//! Source: Terraform documentation, "JSON Output Format" (`planned_values`, `resource_changes`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use deadbolt_model::{LineIndex, Span, Value};

use crate::Loaded;
use crate::evaluated::{EvalAttr, EvalBlock, EvalBody, EvaluatedResource};
use deadbolt_model::{Diagnostic, Level};

/// Loads a plan JSON file. Spans point at the file (plan JSON has no useful line structure).
pub fn load_plan(path: &Path) -> Loaded {
    let mut loaded = Loaded {
        files: 1,
        ..Loaded::default()
    };
    let display: Arc<str> = path.display().to_string().into();
    let fail = |message: String| Diagnostic::whole_file(Level::Error, display.clone(), message);
    let text = match read_plan(path, &display) {
        Ok(t) => t,
        Err(d) => {
            loaded.diagnostics.push(d);
            return loaded;
        }
    };
    loaded.bytes = text.len() as u64;
    let json: serde_json::Value = match serde_json::from_str(&text) {
        Ok(j) => j,
        Err(e) => {
            loaded.diagnostics.push(Diagnostic {
                level: Level::Error,
                file: display.clone(),
                line: e.line() as u32,
                column: e.column() as u32,
                message: format!("invalid plan JSON: {e}"),
            });
            return loaded;
        }
    };
    let index = LineIndex::new(&text);
    let offsets = address_offsets(&text);
    let span_of = |address: &str| -> Span {
        let p = index.position(&text, offsets.get(address).copied().unwrap_or(0));
        Span {
            file: display.clone(),
            start: p,
            end: p,
        }
    };
    let unknowns: BTreeMap<String, serde_json::Value> = json
        .get("resource_changes")
        .and_then(|r| r.as_array())
        .map(|changes| {
            changes
                .iter()
                .filter_map(|c| {
                    Some((
                        c.get("address")?.as_str()?.to_string(),
                        c.get("change")?.get("after_unknown")?.clone(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut resources = Vec::new();
    if let Some(root) = json
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
    {
        loaded.parsed = 1;
        collect(root, &unknowns, &span_of, &mut resources);
    } else {
        loaded.diagnostics.push(fail(
            "no `planned_values.root_module`: not a Terraform plan JSON".into(),
        ));
    }
    loaded.resources = resources.len();
    loaded.model = crate::mapping::map(&resources);
    loaded
}

fn collect(
    module: &serde_json::Value,
    unknowns: &BTreeMap<String, serde_json::Value>,
    span_of: &dyn Fn(&str) -> Span,
    out: &mut Vec<EvaluatedResource>,
) {
    for r in module
        .get("resources")
        .and_then(|r| r.as_array())
        .into_iter()
        .flatten()
    {
        if r.get("mode").and_then(|m| m.as_str()) != Some("managed") {
            continue;
        }
        let (Some(address), Some(rtype)) = (
            r.get("address").and_then(|a| a.as_str()),
            r.get("type").and_then(|t| t.as_str()),
        ) else {
            continue;
        };
        let span = span_of(address);
        let values = r.get("values").cloned().unwrap_or(serde_json::Value::Null);
        let unknown = unknowns
            .get(address)
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        out.push(EvaluatedResource {
            address: address.to_string(),
            resource_type: rtype.to_string(),
            body: body_of(address, &values, &unknown, &span),
            suppressions: Vec::new(),
            // The plan's `configuration.provider_config` is not read: plan resources get no
            // location (a documented gap of the residency rule).
            provider_region: None,
        });
    }
    for child in module
        .get("child_modules")
        .and_then(|c| c.as_array())
        .into_iter()
        .flatten()
    {
        collect(child, unknowns, span_of, out);
    }
}

/// Plan values put nested blocks as lists of objects; an attribute whose value is a list of objects
/// becomes blocks, so mappings read plans and HCL alike.
fn body_of(
    address: &str,
    values: &serde_json::Value,
    unknown: &serde_json::Value,
    span: &Span,
) -> EvalBody {
    let mut body = EvalBody {
        span: span.clone(),
        attrs: BTreeMap::new(),
        blocks: Vec::new(),
    };
    let Some(map) = values.as_object() else {
        return body;
    };
    for (key, value) in map {
        let unk = unknown.get(key);
        if unk.and_then(|u| u.as_bool()) == Some(true) {
            body.attrs.insert(
                key.clone(),
                EvalAttr {
                    value: Value::Unknown(crate::evaluated::computed(address, key)),
                    span: span.clone(),
                    partial: None,
                    refs: Vec::new(),
                },
            );
            continue;
        }
        match value {
            serde_json::Value::Array(items)
                if !items.is_empty() && items.iter().all(|i| i.is_object()) =>
            {
                for (i, item) in items.iter().enumerate() {
                    let u = unk
                        .and_then(|u| u.get(i))
                        .cloned()
                        .unwrap_or(serde_json::Value::Null);
                    body.blocks.push(EvalBlock {
                        name: key.clone(),
                        body: body_of(address, item, &u, span),
                    });
                }
            }
            serde_json::Value::Null => {}
            other => {
                body.attrs.insert(
                    key.clone(),
                    EvalAttr {
                        value: Value::from(other.clone()),
                        span: span.clone(),
                        partial: None,
                        refs: Vec::new(),
                    },
                );
            }
        }
    }
    body
}

/// Reads a plan file with the limits every input has: a regular file, at most
/// [`crate::MAX_FILE_BYTES`], UTF-8 (a byte order mark is dropped).
fn read_plan(path: &Path, display: &Arc<str>) -> Result<String, Diagnostic> {
    let fail = |message: String| Diagnostic::whole_file(Level::Error, display.clone(), message);
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    if !meta.is_file() {
        return Err(fail("not a regular file; skipped".into()));
    }
    if meta.len() > crate::MAX_FILE_BYTES {
        return Err(fail(format!(
            "file is over the {} MB limit; skipped",
            crate::MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read: {e}")))?;
    deadbolt_files::decode_text(bytes, display)
}

/// Where each `"address": "<value>"` member starts, by its decoded value (for_each keys are
/// escaped in the text: `aws_s3_bucket.b[\"x\"]`). One pass over the text.
fn address_offsets(text: &str) -> std::collections::HashMap<String, usize> {
    let mut out = std::collections::HashMap::new();
    for (at, _) in text.match_indices("\"address\"") {
        let rest = text[at + "\"address\"".len()..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let mut stream =
            serde_json::Deserializer::from_str(rest.trim_start()).into_iter::<String>();
        if let Some(Ok(address)) = stream.next() {
            out.entry(address).or_insert(at);
        }
    }
    out
}
