//! Detections: Sigma rules with deadbolt's metadata (stable ID, duty, CIS section, next step and
//! examples), the built-in set and user rule folders.

use std::path::Path;
use std::sync::Arc;

use deadbolt_model::{Diagnostic, Level};
use deadbolt_yaml::{Data, Node, Scalar};
use serde_json::Value;

use crate::sigma::{self, Rule};

include!(concat!(env!("OUT_DIR"), "/builtin_detections.rs"));

/// A Sigma rule and what deadbolt knows about it.
#[derive(Debug, Clone)]
pub struct Detection {
    /// The rule.
    pub rule: Rule,
    /// deadbolt's metadata from the rule's `deadbolt:` block; for a user rule without one, its
    /// Sigma `id` (else its title) stands as the ID.
    pub meta: Meta,
}

/// deadbolt's metadata for a detection.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// Stable ID (`CT-CIS-05`, `CT-ATT-012`), shown in alerts and used to select detections.
    pub id: String,
    /// The duty in the responsibility catalog the detection concerns (`LOG-AUDIT-TRAIL`).
    pub duty: Option<String>,
    /// The responsibility layer, from the duty (`config_logging_monitoring`).
    pub layer: Option<String>,
    /// CIS AWS Foundations Benchmark v3.0.0 section (`4.5`).
    pub cis: Option<String>,
    /// One line a responder can act on.
    pub next: Option<String>,
    /// Records that must raise the detection.
    pub positive: Vec<Example>,
    /// Records that must not.
    pub negative: Vec<Example>,
    /// Whether the detection ships with deadbolt (else it came from `--rules`).
    pub builtin: bool,
}

/// One example of a detection.
#[derive(Debug, Clone, PartialEq)]
pub enum Example {
    /// Every record of `../shared/data/cloudtrail-stratus-red-team/<name>.json`.
    Stratus(String),
    /// Records, in order.
    Events(Vec<Value>),
}

/// Loads the built-in detections. Their files are tested, so a problem is a bug: it is returned
/// as diagnostics all the same, never a panic.
pub fn builtin(diagnostics: &mut Vec<Diagnostic>) -> Vec<Detection> {
    let mut out = Vec::new();
    for (name, text) in BUILTIN {
        let file: Arc<str> = Arc::from(format!("detections/{name}"));
        out.extend(from_text(&file, text, true, diagnostics));
    }
    out
}

/// Loads every `.yml`/`.yaml` file under `dir` (or the one file `dir` names) as Sigma rules.
/// Unreadable files and malformed rules are diagnostics; the rest load.
pub fn from_path(dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<Detection> {
    let files = if dir.is_file() {
        vec![dir.to_path_buf()]
    } else {
        if !dir.is_dir() {
            diagnostics.push(Diagnostic::whole_file(
                Level::Error,
                dir.display().to_string(),
                "no such rule file or folder",
            ));
            return Vec::new();
        }
        deadbolt_files::walk(
            dir,
            &[],
            |p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"),
            diagnostics,
        )
    };
    let mut out = Vec::new();
    let mut found = Vec::new();
    for path in files {
        let display: Arc<str> = Arc::from(path.display().to_string());
        match deadbolt_files::read_text(&path, &display, "Sigma rule") {
            Ok(text) => out.extend(from_text(&display, &text, false, &mut found)),
            Err(d) => found.push(d),
        }
    }
    // A checkout of a whole rule repository holds thousands of rules for other log sources: name
    // the first few, count the rest.
    const NAMED_SKIPS: usize = 5;
    let is_skip =
        |d: &Diagnostic| d.level == Level::Warning && d.message.starts_with(sigma::NOT_CLOUDTRAIL);
    let skipped = found.iter().filter(|d| is_skip(d)).count();
    let mut named = 0;
    for d in found {
        if is_skip(&d) {
            named += 1;
            if named > NAMED_SKIPS {
                continue;
            }
        }
        diagnostics.push(d);
    }
    if skipped > NAMED_SKIPS {
        diagnostics.push(Diagnostic::whole_file(
            Level::Warning,
            dir.display().to_string(),
            format!(
                "{} more rules for other log sources skipped",
                skipped - NAMED_SKIPS
            ),
        ));
    }
    out
}

/// Reads the detections of one file's text.
pub fn from_text(
    file: &Arc<str>,
    text: &str,
    builtin: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Detection> {
    let catalog = deadbolt_srm::Catalog::builtin().ok();
    sigma::load(file, text, diagnostics)
        .into_iter()
        .filter_map(|rule| {
            let mut meta = match &rule.extension {
                Some(block) => match meta(block) {
                    Ok(meta) => meta,
                    Err((node, message)) => {
                        diagnostics.push(Diagnostic::at(
                            Level::Error,
                            file.clone(),
                            node.span.start.line,
                            node.span.start.column,
                            message,
                        ));
                        return None;
                    }
                },
                None => Meta::default(),
            };
            if meta.id.is_empty() {
                meta.id = rule.id.clone().unwrap_or_else(|| rule.title.clone());
            }
            if let (Some(duty), Some(catalog)) = (&meta.duty, catalog) {
                match catalog.duty(duty) {
                    Some(d) => meta.layer = Some(d.layer.clone()),
                    None => diagnostics.push(Diagnostic::at(
                        Level::Warning,
                        file.clone(),
                        rule.line,
                        1,
                        format!("duty {duty:?} is not in the responsibility catalog"),
                    )),
                }
            }
            meta.builtin = builtin;
            Some(Detection { rule, meta })
        })
        .collect()
}

type Failure<'a> = (&'a Node, String);

fn meta(block: &Node) -> Result<Meta, Failure<'_>> {
    if block.as_mapping().is_none() {
        return Err((block, "`deadbolt` must be a mapping".into()));
    }
    let text = |key: &str| {
        block
            .get(key)
            .and_then(Node::scalar_text)
            .map(|s| s.trim().to_string())
    };
    let mut meta = Meta {
        id: text("id").unwrap_or_default(),
        duty: text("duty"),
        cis: text("cis"),
        next: text("next"),
        ..Meta::default()
    };
    if let Some(examples) = block.get("examples") {
        meta.positive = example_list(examples.get("positive"))?;
        meta.negative = example_list(examples.get("negative"))?;
    }
    Ok(meta)
}

fn example_list(node: Option<&Node>) -> Result<Vec<Example>, Failure<'_>> {
    let Some(node) = node else {
        return Ok(Vec::new());
    };
    let items = node
        .as_sequence()
        .ok_or((node, "examples are a list".to_string()))?;
    items
        .iter()
        .map(|item| {
            if let Some(name) = item.get("stratus").and_then(Node::as_str) {
                Ok(Example::Stratus(name.to_string()))
            } else if let Some(event) = item.get("event") {
                Ok(Example::Events(vec![to_json(event)]))
            } else if let Some(events) = item.get("events").and_then(Node::as_sequence) {
                Ok(Example::Events(events.iter().map(to_json).collect()))
            } else {
                Err((
                    item,
                    "an example is `stratus: NAME`, `event: {...}` or `events: [...]`".to_string(),
                ))
            }
        })
        .collect()
}

/// A YAML node as JSON (for example records).
pub(crate) fn to_json(node: &Node) -> Value {
    match &node.data {
        Data::Scalar(Scalar::Null) => Value::Null,
        Data::Scalar(Scalar::Bool(b)) => Value::Bool(*b),
        Data::Scalar(Scalar::Int(i)) => Value::from(*i),
        Data::Scalar(Scalar::Float { value, .. }) => Value::from(*value),
        Data::Scalar(Scalar::String(s)) => Value::String(s.clone()),
        Data::Sequence(items) => Value::Array(items.iter().map(to_json).collect()),
        Data::Mapping(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.scalar_text().unwrap_or_default().into_owned(), to_json(v)))
                .collect(),
        ),
    }
}
