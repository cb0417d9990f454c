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
use std::collections::HashMap;

use serde_json::Value;
use serde_json::value::RawValue;

/// The text of one column: every row's value end to end in one string (one allocation per
/// column, not one per cell; a million events have forty million cells).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Texts {
    data: String,
    /// Per row, where its value ends in `data` (it starts where the previous one ends).
    ends: Vec<usize>,
    /// Per row, whether it has a value (else SQL NULL).
    valid: Vec<bool>,
}

impl Texts {
    /// How many rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Row `i`'s value.
    pub fn get(&self, i: usize) -> Option<&str> {
        if !*self.valid.get(i)? {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.data[start..self.ends[i]])
    }

    /// The bytes of rows `rows` end to end, and where each ends relative to the first.
    pub fn slice(&self, rows: std::ops::Range<usize>) -> (&str, impl Iterator<Item = usize> + '_) {
        let base = if rows.start == 0 {
            0
        } else {
            self.ends[rows.start - 1]
        };
        let end = if rows.end == 0 {
            0
        } else {
            self.ends[rows.end - 1]
        };
        (
            &self.data[base..end],
            self.ends[rows.clone()].iter().map(move |e| e - base),
        )
    }

    /// Row by row, whether each of `rows` has a value.
    pub fn validity(&self, rows: std::ops::Range<usize>) -> &[bool] {
        &self.valid[rows]
    }

    fn push(&mut self, value: Option<&str>) {
        if let Some(v) = value {
            self.data.push_str(v);
        }
        self.ends.push(self.data.len());
        self.valid.push(value.is_some());
    }

    /// Appends the text `f` writes, or NULL when it writes nothing and returns false.
    fn push_with(&mut self, f: impl FnOnce(&mut String) -> bool) {
        let before = self.data.len();
        let present = f(&mut self.data);
        if !present {
            self.data.truncate(before);
        }
        self.ends.push(self.data.len());
        self.valid.push(present);
    }
}

/// The values of one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// A text or JSON column.
    Text(Texts),
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

/// A JSON object's members, borrowed from its text.
type Members<'a> = HashMap<&'a str, &'a RawValue>;

impl Table {
    /// An empty table.
    pub fn new() -> Table {
        Table {
            columns: COLUMNS
                .iter()
                .map(|c| match c.kind {
                    ColumnType::BigInt => Values::BigInt(Vec::new()),
                    ColumnType::Text | ColumnType::Json => Values::Text(Texts::default()),
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
    ///
    /// Values are read from the record's text without building its tree: nested objects are
    /// parsed only as far as a column's path goes, and JSON columns are the record's own text of
    /// the value with the whitespace between tokens taken out (as the stream engine's compact
    /// serialization writes it).
    pub fn push(&mut self, event: &Event<'_>) {
        let json = event.record.json;
        let Ok(top) = serde_json::from_str::<Members<'_>>(json) else {
            // Keys with escapes cannot be borrowed: read the tree instead (rare).
            self.push_tree(event);
            return;
        };
        for (column, values) in COLUMNS.iter().zip(&mut self.columns) {
            match values {
                Values::BigInt(v) => v.push(event.time_ms),
                Values::Text(v) => match (column.name, column.kind) {
                    ("raw", _) => v.push(Some(json)),
                    ("principal_arn", _) => v.push(event.header.principal()),
                    (_, kind) => {
                        let raw = at_raw(&top, column.path);
                        v.push_with(|out| match raw {
                            None => false,
                            Some(raw) if kind == ColumnType::Json => {
                                minify(raw.get(), out);
                                true
                            }
                            Some(raw) => scalar_raw(raw.get(), out),
                        });
                    }
                },
            }
        }
        self.origins
            .push((event.record.file.clone(), event.record.position));
    }

    fn push_tree(&mut self, event: &Event<'_>) {
        let Ok(tree) = serde_json::from_str::<Value>(event.record.json) else {
            return;
        };
        if !tree.is_object() {
            return;
        }
        for (column, values) in COLUMNS.iter().zip(&mut self.columns) {
            match values {
                Values::BigInt(v) => v.push(event.time_ms),
                Values::Text(v) => match (column.name, column.kind) {
                    ("raw", _) => v.push(Some(event.record.json)),
                    ("principal_arn", _) => v.push(event.header.principal()),
                    (_, ColumnType::Json) => {
                        v.push(at(&tree, column.path).map(|v| v.to_string()).as_deref())
                    }
                    (_, _) => v.push(at(&tree, column.path).and_then(scalar_text).as_deref()),
                },
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

    /// The text column named `name`.
    pub fn texts(&self, name: &str) -> Option<&Texts> {
        match self.column(name)? {
            Values::Text(t) => Some(t),
            Values::BigInt(_) => None,
        }
    }

    /// The rows as JSON objects, one a line (column name → value), for engines that load NDJSON
    /// (DuckDB's `read_json`).
    pub fn to_ndjson(&self) -> String {
        let mut out = String::new();
        for row in 0..self.len() {
            let mut object = serde_json::Map::new();
            for (column, values) in COLUMNS.iter().zip(&self.columns) {
                let value = match values {
                    Values::Text(v) => v.get(row).map(|s| Value::String(s.to_string())),
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

/// The raw value at a dotted path, through objects only.
fn at_raw<'a>(top: &Members<'a>, path: &str) -> Option<&'a RawValue> {
    let mut keys = path.split('.');
    let mut node = *top.get(keys.next()?)?;
    for key in keys {
        let members: Members<'a> = serde_json::from_str(node.get()).ok()?;
        node = members.get(key)?;
    }
    Some(node)
}

/// A scalar column's text from a raw JSON value: a string unescaped, a number or boolean as
/// written, an object or array as its compact text; `null` is no value (returns false).
fn scalar_raw(raw: &str, out: &mut String) -> bool {
    match raw.as_bytes().first() {
        Some(b'"') => match serde_json::from_str::<std::borrow::Cow<'_, str>>(raw) {
            Ok(s) => {
                out.push_str(&s);
                true
            }
            Err(_) => false,
        },
        Some(b'n') => false,
        Some(b'{' | b'[') => {
            minify(raw, out);
            true
        }
        Some(_) => {
            out.push_str(raw.trim());
            true
        }
        None => false,
    }
}

/// Appends valid JSON text without the whitespace between tokens.
fn minify(raw: &str, out: &mut String) {
    let (mut in_string, mut escaped) = (false, false);
    for c in raw.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use deadbolt_logs::Record;

    fn table(records: &[&str]) -> Table {
        let mut diags = Vec::new();
        let engine = Engine::new(Vec::new(), &mut diags);
        let mut session = engine.session(Window::default());
        let file: Arc<str> = Arc::from("t.json");
        let mut table = Table::new();
        for (i, json) in records.iter().enumerate() {
            let record = Record {
                file: &file,
                position: Position {
                    line: 1,
                    index: i as u64,
                },
                json,
            };
            session.record(&record, &mut diags, &mut |e| table.push(e));
        }
        table
    }

    #[test]
    fn columns_hold_what_sigma_compares() {
        let t = table(&[
            r#"{"eventName": "StopLogging", "eventSource": "cloudtrail.amazonaws.com", "eventTime": "2026-11-01T00:00:00Z",
                "readOnly": false, "errorMessage": null, "userAgent": "a\"b",
                "userIdentity": {"type": "AssumedRole", "arn": "arn:aws:sts::1:assumed-role/r/s",
                  "sessionContext": {"sessionIssuer": {"arn": "arn:aws:iam::1:role/r", "type": "Role"}}},
                "requestParameters": { "name" : "t", "list": [ 1, "x y" ] }, "responseElements": null}"#,
            // Insights records and non-events are not rows.
            r#"{"eventCategory": "Insight", "eventName": "x", "eventSource": "s"}"#,
            r#"{"Records": 1}"#,
            // A key with an escape is read through the tree.
            r#"{"eventName": "X", "eventSource": "s", "odd\u0041key": 1, "requestParameters": {"a": [1, 2]}}"#,
        ]);
        assert_eq!(t.len(), 2);
        let get = |name: &str, row: usize| t.texts(name).unwrap().get(row).map(str::to_string);
        assert_eq!(get("eventname", 0).as_deref(), Some("StopLogging"));
        assert_eq!(get("readonly", 0).as_deref(), Some("false"));
        assert_eq!(get("errormessage", 0), None);
        assert_eq!(get("useragent", 0).as_deref(), Some("a\"b"));
        assert_eq!(
            get("useridentity_sessionissuer_type", 0).as_deref(),
            Some("Role")
        );
        assert_eq!(
            get("principal_arn", 0).as_deref(),
            Some("arn:aws:iam::1:role/r")
        );
        assert_eq!(
            get("requestparameters", 0).as_deref(),
            Some(r#"{"name":"t","list":[1,"x y"]}"#)
        );
        // Present and null is the JSON text null; missing is NULL.
        assert_eq!(get("responseelements", 0).as_deref(), Some("null"));
        assert_eq!(get("additionaleventdata", 0), None);
        assert_eq!(
            get("requestparameters", 1).as_deref(),
            Some(r#"{"a":[1,2]}"#)
        );
        assert!(get("raw", 1).unwrap().contains("odd\\u0041key"));
        assert_eq!(
            t.column("eventtime_ms"),
            Some(&Values::BigInt(vec![Some(1_793_491_200_000), None]))
        );
        let ndjson = t.to_ndjson();
        assert_eq!(ndjson.lines().count(), 2);
        assert!(ndjson.contains(r#""eventname":"StopLogging""#));
    }
}
