//! CloudTrail records as rows of [`deadbolt_logs::sql::TABLE`], one column vector per column of
//! [`deadbolt_logs::sql::COLUMNS`].
//!
//! Records go through a stream-engine session with no detections, so the rows are exactly the
//! records the detections would see: CloudTrail events in the time window, with Insights records,
//! non-events and unreadable records counted and reported the same way.

use std::path::PathBuf;
use std::sync::Arc;

use deadbolt_logs::sql::{COLUMNS, ColumnType};
use deadbolt_logs::{Engine, Event, Limits, Position, Stats, Window, read_file};
use deadbolt_model::Diagnostic;
use serde_json::Value;

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// A text or JSON column.
    Text(Vec<Option<String>>),
    /// A `BIGINT` column.
    BigInt(Vec<Option<i64>>),
}

/// The events table in memory.
#[derive(Debug, Clone)]
pub struct Table {
    /// One entry per column of [`COLUMNS`], in order.
    pub columns: Vec<Values>,
    /// Per row: the file and position of its record (for alerts).
    pub origins: Vec<(Arc<str>, Position)>,
}

/// What reading the files gave, besides the table.
#[derive(Debug, Clone, Copy, Default)]
pub struct Loaded {
    /// Record counts, as the stream engine counts them.
    pub stats: Stats,
    /// Bytes read after decompression.
    pub bytes: u64,
    /// Digest files recognised and skipped.
    pub digest_files: u64,
    /// Whether any record (or digest file) was read at all.
    pub read_any: bool,
}

impl Default for Table {
    fn default() -> Self {
        Table::new()
    }
}

impl Table {
    /// An empty table.
    pub fn new() -> Table {
        Table {
            columns: COLUMNS
                .iter()
                .map(|c| match c.kind {
                    ColumnType::BigInt => Values::BigInt(Vec::new()),
                    ColumnType::Text | ColumnType::Json => Values::Text(Vec::new()),
                })
                .collect(),
            origins: Vec::new(),
        }
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.origins.len()
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }

    /// Adds the row of one event (one that passed a session's filters). A record that is not a
    /// JSON object adds nothing.
    pub fn push(&mut self, event: &Event<'_>) {
        let Ok(tree) = serde_json::from_str::<Value>(event.record.json) else {
            return;
        };
        if !tree.is_object() {
            return;
        }
        for (column, values) in COLUMNS.iter().zip(&mut self.columns) {
            match values {
                Values::BigInt(v) => v.push(event.time_ms),
                Values::Text(v) => v.push(match (column.name, column.kind) {
                    ("raw", _) => Some(event.record.json.to_string()),
                    ("principal_arn", _) => event.header.principal().map(str::to_string),
                    (_, ColumnType::Json) => at(&tree, column.path).map(|v| v.to_string()),
                    (_, _) => at(&tree, column.path).and_then(scalar_text),
                }),
            }
        }
        self.origins
            .push((event.record.file.clone(), event.record.position));
    }

    /// The values of the column named `name`.
    pub fn column(&self, name: &str) -> Option<&Values> {
        COLUMNS
            .iter()
            .position(|c| c.name == name)
            .map(|i| &self.columns[i])
    }

    /// The rows as JSON objects, one a line (column name → value), for engines that load NDJSON
    /// (DuckDB's `read_json`).
    pub fn to_ndjson(&self) -> String {
        let mut out = String::new();
        for row in 0..self.len() {
            let mut object = serde_json::Map::new();
            for (column, values) in COLUMNS.iter().zip(&self.columns) {
                let value = match values {
                    Values::Text(v) => v[row].clone().map(Value::String),
                    Values::BigInt(v) => v[row].map(Value::from),
                };
                object.insert(column.name.to_string(), value.unwrap_or(Value::Null));
            }
            out.push_str(&Value::Object(object).to_string());
            out.push('\n');
        }
        out
    }
}

/// The value at a dotted path, through objects only (a column's path has no array on the way).
fn at<'v>(tree: &'v Value, path: &str) -> Option<&'v Value> {
    let mut node = tree;
    for key in path.split('.') {
        node = node.as_object()?.get(key)?;
    }
    Some(node)
}

/// A scalar column's text: strings as they are, numbers and booleans as JSON writes them (as Sigma
/// compares them), objects and arrays as their JSON text, null as no value.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Reads `files` into a table, keeping the records a stream-engine session would analyse in
/// `window`. Problems go to `diagnostics` as the stream engine reports them.
pub fn load(
    files: &[(PathBuf, Arc<str>)],
    window: Window,
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Table, Loaded) {
    let engine = Engine::new(Vec::new(), diagnostics);
    let mut session = engine.session(window);
    let mut table = Table::new();
    let mut loaded = Loaded::default();
    let mut record_diagnostics = Vec::new();
    for (path, display) in files {
        let summary = read_file(
            path,
            display,
            limits,
            &mut |record| {
                session.record(&record, &mut record_diagnostics, &mut |event| {
                    table.push(event)
                })
            },
            diagnostics,
        );
        loaded.bytes += summary.bytes;
        loaded.digest_files += u64::from(summary.digest);
        loaded.read_any |= summary.records > 0 || summary.digest;
        diagnostics.append(&mut record_diagnostics);
    }
    let (_, stats) = session.finish(diagnostics);
    loaded.stats = stats;
    (table, loaded)
}
