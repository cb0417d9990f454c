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

/// Rows per segment: a segment becomes one Arrow record batch.
pub const SEGMENT_ROWS: usize = 32_768;

/// A segment also ends when one of its text columns reaches this many bytes (Arrow's `Utf8`
/// offsets are 32-bit).
const SEGMENT_BYTES: usize = 1 << 30;

/// The text of one column in one segment, laid out as Arrow lays out a string array: every row's
/// value end to end in one buffer, with offsets and validity (one allocation per column and
/// segment, not one per cell: a million events have forty million cells).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Texts {
    /// The values end to end.
    pub data: String,
    /// Where each row starts in `data`, and a last entry where the last row ends.
    pub offsets: Vec<i32>,
    /// Per row, whether it has a value (else SQL NULL).
    pub valid: Vec<bool>,
}

impl Texts {
    fn with_capacity(bytes: usize, rows: usize) -> Texts {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        Texts {
            data: String::with_capacity(bytes),
            offsets,
            valid: Vec::with_capacity(rows),
        }
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.valid.len()
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.valid.is_empty()
    }

    /// Row `i`'s value.
    pub fn get(&self, i: usize) -> Option<&str> {
        if !*self.valid.get(i)? {
            return None;
        }
        Some(&self.data[self.offsets[i] as usize..self.offsets[i + 1] as usize])
    }

    fn end_row(&mut self, present: bool) {
        // A segment ends before its text reaches SEGMENT_BYTES < i32::MAX.
        self.offsets
            .push(i32::try_from(self.data.len()).unwrap_or(i32::MAX));
        self.valid.push(present);
    }

    fn push(&mut self, value: Option<&str>) {
        if let Some(v) = value {
            self.data.push_str(v);
        }
        self.end_row(value.is_some());
    }

    /// Appends the text `f` writes, or NULL when it writes nothing and returns false.
    fn push_with(&mut self, f: impl FnOnce(&mut String) -> bool) {
        let before = self.data.len();
        let present = f(&mut self.data);
        if !present {
            self.data.truncate(before);
        }
        self.end_row(present);
    }
}

/// The values of one column in one segment.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// A text or JSON column.
    Text(Texts),
    /// A `BIGINT` column.
    BigInt(Vec<Option<i64>>),
}

/// Up to [`SEGMENT_ROWS`] consecutive rows, column by column (in the order of [`COLUMNS`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// One entry per column of [`COLUMNS`].
    pub columns: Vec<Values>,
}

impl Segment {
    /// An empty segment sized like `like` (so that full segments grow without reallocating).
    fn sized_like(like: Option<&Segment>) -> Segment {
        Segment {
            columns: COLUMNS
                .iter()
                .enumerate()
                .map(|(i, c)| match c.kind {
                    ColumnType::BigInt => Values::BigInt(Vec::with_capacity(SEGMENT_ROWS)),
                    ColumnType::Text | ColumnType::Json => {
                        let bytes = match like.map(|l| &l.columns[i]) {
                            Some(Values::Text(t)) => t.data.len() + t.data.len() / 8,
                            _ => 0,
                        };
                        Values::Text(Texts::with_capacity(bytes, SEGMENT_ROWS))
                    }
                })
                .collect(),
        }
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        match self.columns.first() {
            Some(Values::Text(t)) => t.len(),
            Some(Values::BigInt(v)) => v.len(),
            None => 0,
        }
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn full(&self) -> bool {
        self.len() >= SEGMENT_ROWS
            || self.columns.iter().any(|c| match c {
                Values::Text(t) => t.data.len() >= SEGMENT_BYTES,
                Values::BigInt(_) => false,
            })
    }
}

/// Per row: the file and position of its record.
pub type Origins = Vec<(Arc<str>, Position)>;

/// The events table in memory: segments of rows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The segments, in row order.
    pub segments: Vec<Segment>,
    /// The first row of each segment.
    starts: Vec<usize>,
    /// Per row: the file and position of its record (for alerts).
    pub origins: Origins,
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

/// A JSON object's members, borrowed from its text.
type Members<'a> = HashMap<&'a str, &'a RawValue, foldhash::fast::RandomState>;

/// The index of the column named `name` in [`COLUMNS`].
pub fn column_index(name: &str) -> Option<usize> {
    COLUMNS.iter().position(|c| c.name == name)
}

impl Table {
    /// An empty table.
    pub fn new() -> Table {
        Table::default()
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.origins.len()
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }

    /// The segment that takes the next row.
    fn open_segment(&mut self) -> &mut Segment {
        if self.segments.last().is_none_or(Segment::full) {
            let next = Segment::sized_like(self.segments.last());
            self.starts.push(self.len());
            self.segments.push(next);
        }
        let last = self.segments.len() - 1;
        &mut self.segments[last]
    }

    /// Adds the row of one event (one that passed a session's filters). A record that is not a
    /// JSON object adds nothing.
    ///
    /// Values are read from the record's text without building its tree: each nested object on
    /// a column's path is parsed once per record, as far as the paths go, and JSON columns are
    /// the record's own text of the value with the whitespace between tokens taken out (as the
    /// stream engine's compact serialization writes it).
    pub fn push(&mut self, event: &Event<'_>) {
        let json = event.record.json;
        let Ok(top) = serde_json::from_str::<Members<'_>>(json) else {
            // Keys with escapes cannot be borrowed: read the tree instead (rare).
            self.push_tree(event);
            return;
        };
        let mut objects: HashMap<&'static str, Option<Members<'_>>, foldhash::fast::RandomState> =
            HashMap::default();
        let segment = self.open_segment();
        for (column, values) in COLUMNS.iter().zip(&mut segment.columns) {
            match values {
                Values::BigInt(v) => v.push(event.time_ms),
                Values::Text(v) => match (column.name, column.kind) {
                    ("raw", _) => v.push(Some(json)),
                    ("principal_arn", _) => v.push(event.header.principal()),
                    (_, kind) => {
                        let raw = at_raw(&top, &mut objects, column.path);
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
        let segment = self.open_segment();
        for (column, values) in COLUMNS.iter().zip(&mut segment.columns) {
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

    /// The segment holding `row`, and the row's index in it.
    fn locate(&self, row: usize) -> Option<(&Segment, usize)> {
        if row >= self.len() {
            return None;
        }
        let s = self.starts.partition_point(|start| *start <= row) - 1;
        Some((&self.segments[s], row - self.starts[s]))
    }

    /// The value of the text column named `name` at `row`.
    pub fn text(&self, name: &str, row: usize) -> Option<&str> {
        let (segment, i) = self.locate(row)?;
        match &segment.columns[column_index(name)?] {
            Values::Text(t) => t.get(i),
            Values::BigInt(_) => None,
        }
    }

    /// The value of the `BIGINT` column named `name` at `row`.
    pub fn bigint(&self, name: &str, row: usize) -> Option<i64> {
        let (segment, i) = self.locate(row)?;
        match &segment.columns[column_index(name)?] {
            Values::BigInt(v) => v[i],
            Values::Text(_) => None,
        }
    }

    /// The rows as JSON objects, one a line (column name → value), for engines that load NDJSON
    /// (DuckDB's `read_json`).
    pub fn to_ndjson(&self) -> String {
        let mut out = String::new();
        for row in 0..self.len() {
            let mut object = serde_json::Map::new();
            for column in COLUMNS {
                let value = match column.kind {
                    ColumnType::BigInt => self.bigint(column.name, row).map(Value::from),
                    _ => self
                        .text(column.name, row)
                        .map(|s| Value::String(s.to_string())),
                };
                object.insert(column.name.to_string(), value.unwrap_or(Value::Null));
            }
            out.push_str(&Value::Object(object).to_string());
            out.push('\n');
        }
        out
    }
}

/// The raw value at a dotted path, through objects only; each object on the way is parsed once
/// per record (`objects`, by the path that leads to it).
fn at_raw<'a>(
    top: &Members<'a>,
    objects: &mut HashMap<&'static str, Option<Members<'a>>, foldhash::fast::RandomState>,
    path: &'static str,
) -> Option<&'a RawValue> {
    let mut keys = path.split('.');
    let mut node = *top.get(keys.next()?)?;
    let mut end = 0;
    for key in keys {
        end = path[end..].find('.').map_or(path.len(), |i| end + i);
        let prefix = &path[..end];
        end += 1;
        let members = objects
            .entry(prefix)
            .or_insert_with(|| serde_json::from_str(node.get()).ok())
            .as_ref()?;
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
                header: None,
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
        let get = |name: &str, row: usize| t.text(name, row).map(str::to_string);
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
        assert_eq!(t.bigint("eventtime_ms", 0), Some(1_793_491_200_000));
        assert_eq!(t.bigint("eventtime_ms", 1), None);
        let ndjson = t.to_ndjson();
        assert_eq!(ndjson.lines().count(), 2);
        assert!(ndjson.contains(r#""eventname":"StopLogging""#));
    }

    #[test]
    fn rows_fill_segments_and_are_found_across_them() {
        let records: Vec<String> = (0..SEGMENT_ROWS + 10)
            .map(|i| format!(r#"{{"eventName": "E{i}", "eventSource": "s", "eventID": "id-{i}"}}"#))
            .collect();
        let refs: Vec<&str> = records.iter().map(String::as_str).collect();
        let t = table(&refs);
        assert_eq!(t.len(), SEGMENT_ROWS + 10);
        assert_eq!(t.segments.len(), 2);
        assert_eq!(t.segments[1].len(), 10);
        for row in [0, SEGMENT_ROWS - 1, SEGMENT_ROWS, SEGMENT_ROWS + 9] {
            assert_eq!(t.text("eventid", row), Some(format!("id-{row}").as_str()));
        }
        assert_eq!(t.text("eventid", SEGMENT_ROWS + 10), None);
    }
}
