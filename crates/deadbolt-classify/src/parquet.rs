//! Parquet files (feature `parquet`): every value of every row, with its column path as context
//! (as a CSV header or a JSON key path names the values under it).
//!
//! Rows are read a row group at a time through the `parquet` crate's record reader, so memory
//! follows one row group's pages, not the file. A footer is trusted no more than a zip header:
//! the decompressed sizes it declares are checked against [`Limits`] before a row group is read,
//! and a row group past them is reported as a bomb, not expanded.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use deadbolt_model::{Diagnostic, Level};
use parquet::basic::ConvertedType;
use parquet::file::reader::{ChunkReader, FileReader, SerializedFileReader};
use parquet::record::{Field, Row};
use parquet::schema::types::{Type, TypePtr};

use crate::engine::Engine;
use crate::read::{Fields, FileReport, Format, Limits, Options, Scan, bomb};

/// Scans the Parquet file `reader` named `display`: one finding line per row (1-based, across
/// row groups), the 0-based leaf column as the offset, and the column's dotted path
/// (`customer.ssn`; a map value's path ends in its key) as the field.
///
/// # Errors
/// A [`Diagnostic`] when the footer cannot be read (truncated, not Parquet after all, an
/// encryption or a compression codec this build does not read). A row group that fails to decode
/// is a diagnostic in the report; the row groups before it are kept.
pub(crate) fn scan_parquet<R: ChunkReader + 'static>(
    engine: &Engine,
    options: &Options,
    display: &str,
    reader: R,
) -> Result<FileReport, Diagnostic> {
    // The parquet crate decodes footers and pages written by anyone; a panic in it on a hostile
    // file must cost this file, not the scan.
    match catch_unwind(AssertUnwindSafe(|| scan(engine, options, display, reader))) {
        Ok(result) => result,
        Err(_) => Err(Diagnostic::whole_file(
            Level::Error,
            display,
            "not a readable Parquet file: its decoder failed on it",
        )),
    }
}

fn scan<R: ChunkReader + 'static>(
    engine: &Engine,
    options: &Options,
    display: &str,
    reader: R,
) -> Result<FileReport, Diagnostic> {
    let file = SerializedFileReader::new(reader).map_err(|e| {
        Diagnostic::whole_file(
            Level::Error,
            display,
            format!("not a readable Parquet file: {e}"),
        )
    })?;
    let mut scan = Scan::new(engine, options, display.into());
    let mut columns = Columns::default();
    let mut batch = Fields::default();
    let mut bytes = 0u64;
    let mut row_number = 0u64;
    let mut budget = options.limits.max_expanded;
    let mut path = String::new();
    let (projection, unreadable) = readable_columns(file.metadata().file_metadata().schema());
    if !unreadable.is_empty() {
        scan.diagnostics.push(Diagnostic::whole_file(
            Level::Warning,
            display,
            format!(
                "column(s) {} not read: INTERVAL values, which the Parquet reader cannot convert",
                unreadable.join(", ")
            ),
        ));
    }
    let groups = file.metadata().num_row_groups();
    // What the file's pages hold compressed: decoded text past `max_ratio` times this is a bomb
    // the declared sizes did not show (a dictionary page repeated by reference).
    let compressed_total: u64 = (0..groups)
        .map(|g| u64::try_from(file.metadata().row_group(g).compressed_size()).unwrap_or(0))
        .sum();
    let limits = &options.limits;
    'groups: for g in 0..groups {
        let meta = file.metadata().row_group(g);
        let declared = u64::try_from(meta.total_byte_size()).unwrap_or(u64::MAX);
        let compressed = u64::try_from(meta.compressed_size()).unwrap_or(0);
        if let Some(why) = over_limits(&options.limits, declared, compressed, budget) {
            scan.diagnostics.push(bomb(
                display,
                &format!(
                    "row group {g} of {groups} {why}; it and the {} after it were not read",
                    groups - g - 1
                ),
            ));
            break;
        }
        budget -= declared;
        let group = match file.get_row_group(g) {
            Ok(group) => group,
            Err(e) => {
                scan.diagnostics.push(group_failed(display, g, &e));
                break;
            }
        };
        let rows = match group.get_row_iter(projection.clone()) {
            Ok(rows) => rows,
            Err(e) => {
                scan.diagnostics.push(group_failed(display, g, &e));
                break;
            }
        };
        for row in rows {
            let row = match row {
                Ok(row) => row,
                Err(e) => {
                    scan.diagnostics.push(group_failed(display, g, &e));
                    scan.flush_fields(&mut batch, Some(&columns.paths));
                    return Ok(scan.finish(display, Format::Parquet, false, bytes));
                }
            };
            row_number += 1;
            let mut leaf = 0u64;
            walk_row(&row, &mut path, &mut |text, field| {
                match columns.index(field) {
                    Some(column) => scan.push_field(
                        &mut batch,
                        &columns.paths,
                        (text, column),
                        row_number,
                        leaf,
                    ),
                    None => scan.record_value(text, Some(field), leaf, row_number),
                }
                bytes += text.len() as u64;
                leaf += 1;
            });
            let past_ratio = bytes > limits.ratio_grace
                && bytes > limits.max_ratio.saturating_mul(compressed_total);
            if bytes > limits.max_expanded || past_ratio {
                scan.diagnostics.push(bomb(
                    display,
                    &format!(
                        "its values decode to more than {} ({bytes} bytes of text from {compressed_total} \
                         compressed); the rows after row {row_number} were not read",
                        if past_ratio {
                            format!("{} times its compressed pages", limits.max_ratio)
                        } else {
                            format!("the cap of {} bytes", limits.max_expanded)
                        }
                    ),
                ));
                break 'groups;
            }
        }
    }
    scan.flush_fields(&mut batch, Some(&columns.paths));
    Ok(scan.finish(display, Format::Parquet, false, bytes))
}

/// The distinct column paths of a file, each scanned value naming its path by index (values are
/// scanned many at a time, as CSV fields are).
#[derive(Default)]
struct Columns {
    paths: Vec<String>,
    index: HashMap<String, usize>,
}

impl Columns {
    /// Paths kept: a map column's paths end in its keys, which a file may make unique per row.
    /// Past this many, values of new paths are scanned one at a time instead.
    const MAX: usize = 10_000;

    fn index(&mut self, path: &str) -> Option<usize> {
        if let Some(&i) = self.index.get(path) {
            return Some(i);
        }
        if self.paths.len() >= Self::MAX {
            return None;
        }
        self.paths.push(path.to_string());
        self.index.insert(path.to_string(), self.paths.len() - 1);
        Some(self.paths.len() - 1)
    }
}

/// The projection that leaves out the top-level columns holding INTERVAL values (the parquet
/// crate's record reader panics on them), and their names; no projection when there are none.
fn readable_columns(schema: &Type) -> (Option<Type>, Vec<String>) {
    fn has_interval(t: &Type) -> bool {
        if t.is_group() {
            t.get_fields().iter().any(|f| has_interval(f))
        } else {
            t.get_basic_info().converted_type() == ConvertedType::INTERVAL
        }
    }
    let (skipped, kept): (Vec<TypePtr>, Vec<TypePtr>) = schema
        .get_fields()
        .iter()
        .cloned()
        .partition(|f| has_interval(f));
    if skipped.is_empty() {
        return (None, Vec::new());
    }
    let names = skipped.iter().map(|f| f.name().to_string()).collect();
    let projection = Type::group_type_builder(schema.name())
        .with_fields(kept)
        .build()
        .ok();
    (projection, names)
}

/// Why a row group that declares `declared` decompressed bytes from `compressed` must not be
/// read, with `budget` decompressed bytes left for the file; `None` when it may.
fn over_limits(limits: &Limits, declared: u64, compressed: u64, budget: u64) -> Option<String> {
    if declared > budget {
        return Some(format!(
            "declares {declared} decompressed bytes, past what is left ({budget}) of the cap of \
             {} per file",
            limits.max_expanded
        ));
    }
    if declared > limits.ratio_grace && declared > limits.max_ratio.saturating_mul(compressed) {
        return Some(format!(
            "expands more than {} times ({declared} bytes from {compressed} compressed)",
            limits.max_ratio
        ));
    }
    None
}

fn group_failed(display: &str, group: usize, e: &parquet::errors::ParquetError) -> Diagnostic {
    Diagnostic::whole_file(
        Level::Error,
        display,
        format!("row group {group} cannot be decoded: {e}; the rows before it were scanned"),
    )
}

/// Calls `visit(text, path)` for every scannable leaf of `row` in column order.
fn walk_row(row: &Row, path: &mut String, visit: &mut dyn FnMut(&str, &str)) {
    for (name, field) in row.get_column_iter() {
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(name);
        walk_field(field, path, visit);
        path.truncate(len);
    }
}

fn walk_field(field: &Field, path: &mut String, visit: &mut dyn FnMut(&str, &str)) {
    match field {
        Field::Group(row) => walk_row(row, path, visit),
        Field::ListInternal(list) => {
            for item in list.elements() {
                walk_field(item, path, visit);
            }
        }
        Field::MapInternal(map) => {
            for (key, value) in map.entries() {
                walk_field(key, path, visit);
                // The key names its value, as a JSON object's key does: `{"ssn": "..."}`.
                let len = path.len();
                if let Some(name) = leaf_text(key) {
                    path.push('.');
                    path.push_str(&name);
                }
                walk_field(value, path, visit);
                path.truncate(len);
            }
        }
        leaf => {
            if let Some(text) = leaf_text(leaf) {
                visit(&text, path);
            }
        }
    }
}

/// The text of a leaf value as a person reads it: strings and UTF-8 bytes as they are, numbers
/// in decimal, dates as `YYYY-MM-DD` (a date of birth column). Booleans, times, timestamps,
/// nulls and binary that is not UTF-8 carry no identifier.
fn leaf_text(field: &Field) -> Option<String> {
    let text = match field {
        Field::Str(s) => s.clone(),
        Field::Bytes(b) => std::str::from_utf8(b.data()).ok()?.to_string(),
        Field::Byte(n) => n.to_string(),
        Field::Short(n) => n.to_string(),
        Field::Int(n) => n.to_string(),
        Field::Long(n) => n.to_string(),
        Field::UByte(n) => n.to_string(),
        Field::UShort(n) => n.to_string(),
        Field::UInt(n) => n.to_string(),
        Field::ULong(n) => n.to_string(),
        // Below 2^53 a whole float is exact: a card number stored as a double reads as digits.
        Field::Double(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{f:.0}"),
        Field::Double(f) => f.to_string(),
        Field::Float(f) => f.to_string(),
        Field::Date(days) => {
            // Days from 1970-01-01; 719,163 is that day's number counted from 0001-01-01.
            let date = chrono::NaiveDate::from_num_days_from_ce_opt(days.checked_add(719_163)?)?;
            date.format("%Y-%m-%d").to_string()
        }
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_iso_days_and_hostile_ones_as_nothing() {
        assert_eq!(leaf_text(&Field::Date(0)).as_deref(), Some("1970-01-01"));
        assert_eq!(
            leaf_text(&Field::Date(5_590)).as_deref(),
            Some("1985-04-22")
        );
        assert_eq!(leaf_text(&Field::Date(i32::MAX)), None);
        assert_eq!(leaf_text(&Field::Date(i32::MIN)), None);
    }

    #[test]
    fn whole_doubles_read_as_digits() {
        assert_eq!(
            leaf_text(&Field::Double(4_111_111_111_111_111.0)).as_deref(),
            Some("4111111111111111")
        );
        assert_eq!(leaf_text(&Field::Bool(true)), None);
    }

    #[test]
    fn row_groups_past_the_caps_are_bombs() {
        let limits = Limits::default();
        assert!(over_limits(&limits, 1_000, 10, u64::MAX).is_none());
        assert!(over_limits(&limits, 100 << 20, 1 << 10, u64::MAX).is_some());
        assert!(over_limits(&limits, 100, 100, 99).is_some());
    }
}
