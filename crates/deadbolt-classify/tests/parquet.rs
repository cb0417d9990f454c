//! Parquet input (feature `parquet`): column paths as context, rows as lines across row groups,
//! codecs, and files that are broken or lie about their size.
#![cfg(feature = "parquet")]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use deadbolt_classify::{
    Confidence, Engine, FileReport, Format, Label, Limits, Options, scan_bytes, scan_file,
};
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DataType, FixedLenByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::{SerializedFileWriter, SerializedRowGroupWriter};
use parquet::schema::parser::parse_message_type;

const SCHEMA: &str = "message people {
    required binary name (UTF8);
    required binary ssn (UTF8);
    required int64 order_id;
    required group customer { required binary card (UTF8); }
}";

/// One row: name, ssn, order id, card.
type Person = (&'static str, &'static str, i64, &'static str);

/// Writes `groups` (each a row group of rows) to `dir/name` with `codec`.
fn write(dir: &Path, name: &str, groups: &[&[Person]], codec: Compression) -> PathBuf {
    let path = dir.join(name);
    let schema = Arc::new(parse_message_type(SCHEMA).expect("schema"));
    let props = Arc::new(WriterProperties::builder().set_compression(codec).build());
    let file = std::fs::File::create(&path).expect("create");
    let mut writer = SerializedFileWriter::new(file, schema, props).expect("writer");
    for rows in groups {
        let mut group = writer.next_row_group().expect("row group");
        let text = |pick: fn(&Person) -> &'static str| -> Vec<ByteArray> {
            rows.iter().map(|r| ByteArray::from(pick(r))).collect()
        };
        let ids: Vec<i64> = rows.iter().map(|r| r.2).collect();
        column::<ByteArrayType>(&mut group, &text(|r| r.0));
        column::<ByteArrayType>(&mut group, &text(|r| r.1));
        column::<Int64Type>(&mut group, &ids);
        column::<ByteArrayType>(&mut group, &text(|r| r.3));
        group.close().expect("close group");
    }
    writer.close().expect("close file");
    path
}

/// Writes the next column of `group`, all required values.
fn column<T: DataType>(group: &mut SerializedRowGroupWriter<'_, std::fs::File>, values: &[T::T]) {
    let mut column = group.next_column().expect("column").expect("a column");
    column
        .typed::<T>()
        .write_batch(values, None, None)
        .expect("write");
    column.close().expect("close");
}

const JANE: Person = ("Jane Roe", "536221234", 536_221_234, "4929 1234 5678 9015");
const JOE: Person = ("Joe Bloggs", "536-22-1235", 7, "nothing here");

fn engine() -> Engine {
    Engine::builtin().expect("built-in detectors")
}

fn scan(path: &Path, options: &Options) -> FileReport {
    scan_file(&engine(), path, "people.parquet", options).expect("readable")
}

/// What a type's findings say: detector, count, highest confidence, the samples' fields and lines.
type Found = (String, u64, Confidence, Vec<String>, Vec<u64>);

fn types(r: &FileReport) -> Vec<Found> {
    r.types
        .iter()
        .map(|t| {
            (
                t.detector.clone(),
                t.count,
                t.highest,
                t.samples.iter().filter_map(|s| s.field.clone()).collect(),
                t.samples.iter().map(|s| s.line).collect(),
            )
        })
        .collect()
}

#[test]
fn column_paths_name_the_values_and_rows_are_lines_across_row_groups() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(
        dir.path(),
        "people.parquet",
        &[&[JANE], &[JOE]],
        Compression::SNAPPY,
    );
    let r = scan(&p, &Options::default());
    assert_eq!(r.format, Format::Parquet);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let found = types(&r);
    // Bare nine digits are an SSN under `ssn`; the same number under `order_id` is nothing.
    let ssn = found
        .iter()
        .find(|t| t.0 == "us-ssn")
        .expect("the SSN column");
    assert_eq!((ssn.1, ssn.2), (2, Confidence::High));
    assert_eq!(ssn.3, ["ssn", "ssn"]);
    assert_eq!(ssn.4, [1, 2], "the second row group's row is line 2");
    let card = found
        .iter()
        .find(|t| t.0 == "credit-card-number")
        .expect("the nested card column");
    assert_eq!(card.1, 1);
    assert_eq!(card.3, ["customer.card"]);
    assert_eq!(found.len(), 2, "nothing else: {found:?}");
    assert_eq!(r.label, Label::Restricted);
    let text: usize = [JANE, JOE]
        .iter()
        .map(|p| p.0.len() + p.1.len() + p.2.to_string().len() + p.3.len())
        .sum();
    assert_eq!(r.bytes, text as u64, "the bytes of the values' text");
}

#[test]
fn zstd_files_read_and_bytes_read_as_the_file_does() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(
        dir.path(),
        "people.parquet",
        &[&[JANE, JOE]],
        Compression::ZSTD(Default::default()),
    );
    let from_file = scan(&p, &Options::default());
    let bytes = std::fs::read(&p).expect("read");
    let from_bytes =
        scan_bytes(&engine(), &bytes, "people.parquet", &Options::default()).expect("readable");
    assert_eq!(types(&from_file), types(&from_bytes));
    assert_eq!(from_file.types.len(), 2);
}

#[test]
fn a_parquet_file_in_a_zip_is_read_as_the_file_is() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(
        dir.path(),
        "people.parquet",
        &[&[JANE, JOE]],
        Compression::SNAPPY,
    );
    let from_file = scan(&p, &Options::default());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default();
    zip.start_file("export/people.parquet", deflated)
        .expect("member");
    std::io::Write::write_all(&mut zip, &std::fs::read(&p).expect("read")).expect("write");
    let zipped = zip.finish().expect("zip").into_inner();
    let r = scan_bytes(&engine(), &zipped, "lake.zip", &Options::default()).expect("readable");
    let member = r
        .entries
        .iter()
        .find(|e| e.file == "lake.zip!export/people.parquet")
        .unwrap_or_else(|| panic!("{:?}", r.entries));
    assert_eq!(member.format, Format::Parquet);
    assert_eq!(types(member), types(&from_file));
    assert_eq!(member.types.len(), 2);
    // Held in memory only within the cap of a nested archive.
    let tight = Options {
        limits: Limits {
            max_nested: 100,
            ..Limits::default()
        },
        ..Options::default()
    };
    let r = scan_bytes(&engine(), &zipped, "lake.zip", &tight).expect("readable");
    assert!(r.entries.is_empty());
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.message.contains("a Parquet member of") && d.message.contains("cap")),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn a_truncated_or_garbage_file_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(
        dir.path(),
        "people.parquet",
        &[&[JANE]],
        Compression::SNAPPY,
    );
    let bytes = std::fs::read(&p).expect("read");
    let cut = dir.path().join("cut.parquet");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    let garbage = dir.path().join("garbage.parquet");
    let mut noise = b"PAR1".to_vec();
    noise.extend((0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    noise.extend_from_slice(b"\xff\x00\x00\x00PAR1");
    std::fs::write(&garbage, &noise).expect("write");
    for path in [&cut, &garbage] {
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        let e = scan_file(&engine(), path, name, &Options::default()).expect_err("unreadable");
        assert_eq!(&*e.file, name);
        assert!(
            e.message.contains("not a readable Parquet file"),
            "{}",
            e.message
        );
    }
}

#[test]
fn a_row_group_past_the_caps_is_a_bomb_and_the_ones_before_are_kept() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(
        dir.path(),
        "people.parquet",
        &[&[JANE], &[JOE], &[JOE]],
        Compression::SNAPPY,
    );
    let one_group = scan(&p, &Options::default()).bytes;
    // Room for the first row group's declared size and not much more.
    let options = Options {
        limits: Limits {
            max_expanded: 300,
            ..Limits::default()
        },
        ..Options::default()
    };
    let r = scan(&p, &options);
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.message.contains("decompression bomb") && d.message.contains("row group")),
        "{:?}",
        r.diagnostics
    );
    assert!(
        r.bytes > 0 && r.bytes < one_group,
        "{} of {one_group}",
        r.bytes
    );
}

#[test]
fn an_interval_column_is_left_out_and_the_rest_is_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("iv.parquet");
    let schema = Arc::new(
        parse_message_type(
            "message t { required binary email (UTF8); required fixed_len_byte_array(12) iv (INTERVAL); }",
        )
        .expect("schema"),
    );
    let file = std::fs::File::create(&path).expect("create");
    let mut writer =
        SerializedFileWriter::new(file, schema, Arc::new(WriterProperties::builder().build()))
            .expect("writer");
    let mut group = writer.next_row_group().expect("row group");
    column::<ByteArrayType>(&mut group, &[ByteArray::from("jane.roe@corp.io")]);
    // The bytes of an SSN, which the reader must neither panic on nor print.
    column::<FixedLenByteArrayType>(&mut group, &[ByteArray::from(&b"536221234JD!"[..]).into()]);
    group.close().expect("close group");
    writer.close().expect("close file");
    let r = scan(&path, &Options::default());
    assert_eq!(r.types.len(), 1, "{:?}", types(&r));
    assert_eq!(r.types[0].detector, "email-address");
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.message.contains("column(s) iv not read")),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn values_decoding_far_past_their_pages_are_a_bomb() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("dict.parquet");
    let schema =
        Arc::new(parse_message_type("message t { required binary s (UTF8); }").expect("schema"));
    let file = std::fs::File::create(&path).expect("create");
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut writer = SerializedFileWriter::new(file, schema, Arc::new(props)).expect("writer");
    let mut group = writer.next_row_group().expect("row group");
    // One long value, dictionary-encoded: each row is a reference to it.
    let long = format!("{} jane.roe@corp.io", "x".repeat(5_000));
    let values = vec![ByteArray::from(long.as_str()); 8_000];
    column::<ByteArrayType>(&mut group, &values);
    group.close().expect("close group");
    writer.close().expect("close file");
    let size = std::fs::metadata(&path).expect("size").len();
    let r = scan(&path, &Options::default());
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.message.contains("decompression bomb")
                && d.message.contains("decode to more")),
        "{size} bytes on disk: {:?}",
        r.diagnostics
    );
    assert!(r.bytes < 40_000_000, "stopped early: {}", r.bytes);
}
