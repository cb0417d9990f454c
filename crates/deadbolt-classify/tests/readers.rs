//! The file readers: structured context, gzip, bounded memory on large input, bad input.

use std::io::Write;
use std::path::Path;

use deadbolt_classify::{Confidence, Engine, FileReport, Format, Label, Options, scan_file};

fn engine() -> Engine {
    Engine::builtin().expect("built-in detectors")
}

fn scan(path: &Path, options: &Options) -> FileReport {
    let name = path.file_name().and_then(|n| n.to_str()).expect("name");
    scan_file(&engine(), path, name, options).expect("readable")
}

fn write(dir: &Path, name: &str, content: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write");
    p
}

/// (line, offset) of every sample of detector `id` (none when it found nothing).
fn places(r: &FileReport, id: &str) -> Vec<(u64, u64)> {
    r.types
        .iter()
        .find(|t| t.detector == id)
        .map(|t| t.samples.iter().map(|s| (s.line, s.offset)).collect())
        .unwrap_or_default()
}

/// The byte offset of the first `needle` in `text`.
fn offset_of(text: &[u8], needle: &[u8]) -> u64 {
    text.windows(needle.len())
        .position(|w| w == needle)
        .expect("in text") as u64
}

/// (detector, count, highest) per type.
fn types(r: &FileReport) -> Vec<(String, u64, Confidence)> {
    r.types
        .iter()
        .map(|t| (t.detector.clone(), t.count, t.highest))
        .collect()
}

#[test]
fn csv_header_names_the_column() {
    let dir = tempfile::tempdir().expect("tmp");
    // Bare nine digits are an SSN only where the column says so; the same digits in a column
    // named `order` are nothing.
    let p = write(
        dir.path(),
        "people.csv",
        b"name,ssn,order\nJane,536221234,536221234\nJoe,\"536-22-1235\",1\n",
    );
    let r = scan(&p, &Options::default());
    assert_eq!(r.format, Format::Csv);
    assert_eq!(types(&r), vec![("us-ssn".to_string(), 2, Confidence::High)]);
    let s = &r.types[0].samples;
    assert_eq!(s[0].field.as_deref(), Some("ssn"));
    assert_eq!((s[0].line, s[0].offset), (2, 20), "placed at its value");
    assert_eq!((s[1].line, s[1].offset), (3, 45), "inside its quotes");
    assert_eq!(r.label, Label::Confidential);
}

#[test]
fn a_csv_file_delimited_otherwise_is_read_by_its_delimiter() {
    let dir = tempfile::tempdir().expect("tmp");
    for (name, text, line) in [
        (
            "excel.csv",
            &b"name;ssn;amount\nJane;536221234;\"1,50\"\n"[..],
            2,
        ),
        (
            "export.csv",
            &b"name|ssn|amount\nJane|536221234|1.50\n"[..],
            2,
        ),
        // Delimiters inside quotes do not count; a blank first line is passed over.
        (
            "quoted.csv",
            &b"\"last, first, middle\";id;ssn\n\"Doe, J, Q\";7;536221234\n"[..],
            2,
        ),
        ("blank.csv", &b"\r\nname;ssn\r\nJane;536221234\r\n"[..], 3),
    ] {
        let r = scan(&write(dir.path(), name, text), &Options::default());
        assert_eq!(r.format, Format::Csv);
        assert_eq!(
            places(&r, "us-ssn"),
            vec![(line, offset_of(text, b"536221234"))],
            "{name}"
        );
        assert_eq!(
            r.types[0].samples[0].field.as_deref(),
            Some("ssn"),
            "{name}"
        );
    }
}

#[test]
fn tsv_header_names_the_column() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(dir.path(), "x.tsv", b"id\temail\n1\tjane.doe@corp.io\n");
    let r = scan(&p, &Options::default());
    assert_eq!(r.format, Format::Tsv);
    assert_eq!(
        types(&r),
        vec![("email-address".to_string(), 1, Confidence::High)]
    );
}

#[test]
fn a_value_across_a_window_edge_of_a_long_line_counts_once() {
    let dir = tempfile::tempdir().expect("tmp");
    for before in [64_480usize, 64_509, 64_511, 64_515] {
        let mut text = vec![b'x'; before];
        text.extend_from_slice(b" jane.doe@corp.io ");
        text.extend(std::iter::repeat_n(b'y', 70_000));
        text.push(b'\n');
        let p = write(dir.path(), "long.txt", &text);
        let r = scan(&p, &Options::default());
        let mail = r
            .types
            .iter()
            .find(|t| t.detector == "email-address")
            .expect("found");
        assert_eq!(mail.count, 1, "{before} bytes before it");
        assert_eq!(mail.samples[0].offset as usize, before + 1);
        assert_eq!(mail.samples[0].masked, "j***@corp.io");
    }
}

#[test]
fn a_csv_quote_that_never_closes_is_reported() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(
        dir.path(),
        "open.tsv",
        b"item\tssn\n\"12 inch\t536221234\nplain\t537221234\n",
    );
    let r = scan(&p, &Options::default());
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.line == 2 && d.message.contains("never closes")),
        "{:?}",
        r.diagnostics
    );
    // A quoted field of many lines that does close is no problem.
    let p = write(
        dir.path(),
        "closed.csv",
        b"note,ssn\n\"two\nlines \"\"quoted\"\"\",536221234\n",
    );
    let r = scan(&p, &Options::default());
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.types.len(), 1, "the SSN under its column");
}

#[test]
fn values_after_a_quote_that_never_closes_are_placed_in_the_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let text: &[u8] = b"a,b\nx,536-22-1234\n\"\ny,536-22-1235\nz,536-22-1236\n";
    let p = write(dir.path(), "open.csv", text);
    let r = scan(&p, &Options::default());
    assert_eq!(
        places(&r, "us-ssn"),
        vec![
            (2, offset_of(text, b"536-22-1234")),
            (4, offset_of(text, b"536-22-1235")),
            (5, offset_of(text, b"536-22-1236")),
        ],
        "at their own lines and offsets"
    );
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.line == 3 && d.message.contains("never closes")),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn csv_after_a_byte_order_mark_is_placed_in_the_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let text: &[u8] = b"\xEF\xBB\xBFjane.doe@corp.io,ssn\r\nx,536-22-1234\r\n";
    let p = write(dir.path(), "bom.csv", text);
    let r = scan(&p, &Options::default());
    assert_eq!(places(&r, "email-address"), vec![(1, 3)], "after the mark");
    assert_eq!(places(&r, "us-ssn"), vec![(2, 27)]);
}

#[test]
fn csv_findings_are_placed_at_their_value() {
    let dir = tempfile::tempdir().expect("tmp");
    // CRLF line ends, an empty field, a field with invalid UTF-8 before the value, and a
    // semicolon-free comma CSV whose second record is quoted.
    let text: &[u8] = b"name,,ssn,note\r\nJane,,536221234,\xff card 4123 3320 5478 9178\r\n\"Joe\",,536-22-1235,x\r\n";
    let p = write(dir.path(), "crlf.csv", text);
    let r = scan(&p, &Options::default());
    let at = |needle: &[u8]| offset_of(text, needle);
    assert_eq!(
        places(&r, "us-ssn"),
        vec![(2, at(b"536221234")), (3, at(b"536-22-1235"))],
        "the values of an unquoted and a quoted record"
    );
    assert_eq!(
        places(&r, "credit-card-number"),
        vec![(2, at(b"4123 3320"))],
        "past an invalid byte"
    );
}

#[test]
fn quoted_csv_fields_are_placed_at_their_value() {
    let dir = tempfile::tempdir().expect("tmp");
    let text: &[u8] = b"note,ssn\n\
        \"two\nlines, to jane.doe@corp.io\",536221234\n\
        \"he said \"\"x\"\" 536-22-1234\",\n\
        \"a\"b 536-22-1236,537-22-1237\n";
    let p = write(dir.path(), "quoted.csv", text);
    let r = scan(
        &p,
        &Options {
            samples: 10,
            ..Options::default()
        },
    );
    let at = |needle: &[u8]| offset_of(text, needle);
    assert_eq!(
        places(&r, "email-address"),
        vec![(3, at(b"jane.doe"))],
        "on the second line of a quoted field"
    );
    assert_eq!(
        places(&r, "us-ssn"),
        vec![
            (3, at(b"536221234")),
            (4, at(b"he said")),
            (5, at(b"a\"b")),
            (5, at(b"537-22-1237")),
        ],
        "after a field of two lines; in a field with doubled quotes or text after its closing \
         quote, the field's text (an unquoted copy); the fields after it at their value"
    );
}

#[test]
fn json_key_path_is_context_with_line_and_offset() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = "{\n  \"customer\": {\n    \"name\": \"Jane\",\n    \"ssn\": \"536221234\"\n  },\n  \"note\": \"536221234\"\n}\n";
    let p = write(dir.path(), "c.json", text.as_bytes());
    let r = scan(&p, &Options::default());
    assert_eq!(r.format, Format::Json);
    assert_eq!(types(&r), vec![("us-ssn".to_string(), 1, Confidence::High)]);
    let s = &r.types[0].samples[0];
    assert_eq!(s.field.as_deref(), Some("$.customer.ssn"));
    assert_eq!(s.line, 4);
    assert_eq!(s.offset as usize, text.find("536221234").expect("in text"));
}

#[test]
fn ndjson_lines_and_broken_json_falls_back_to_text() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(
        dir.path(),
        "log.ndjson",
        b"{\"user\":{\"email\":\"jane.doe@corp.io\"}}\nnot json jane.doe@corp.io\n",
    );
    let r = scan(&p, &Options::default());
    let t = &r.types[0];
    assert_eq!((t.detector.as_str(), t.count), ("email-address", 2));
    assert_eq!(t.samples[0].field.as_deref(), Some("$.user.email"));
    assert_eq!(
        (t.samples[1].line, t.samples[1].field.as_deref()),
        (2, None)
    );

    let p = write(dir.path(), "bad.json", b"{\"a\": \"jane.doe@corp.io\"");
    let r = scan(&p, &Options::default());
    assert_eq!(r.types[0].count, 1, "scanned as text");
    assert!(r.diagnostics[0].message.contains("scanned as plain text"));
}

/// Values are placed exactly whatever their spelling: escaped strings, numbers, array elements,
/// keys that repeat; key paths carry array indexes.
#[test]
fn json_values_are_placed_in_the_source() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = concat!(
        "{\"rows\": [\n",
        "  {\"ssn\": 536221234, \"mail\": \"jane.doe@corp.io\"},\n",
        "  {\"mail\": \"x\\\"y jane.doe@corp.io\", \"ssn\": \"\\u0035\\u00336-22-1234\"},\n",
        "  {\"ssn\": \"536-22-1234\", \"ssn\": \"078-05-1121\"}\n",
        "]}\n"
    );
    let p = write(dir.path(), "rows.json", text.as_bytes());
    let options = Options {
        samples: 10,
        ..Options::default()
    };
    let r = scan(&p, &options);
    assert_eq!(r.format, Format::Json);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let ssn = r
        .types
        .iter()
        .find(|t| t.detector == "us-ssn")
        .expect("ssn");
    let mut places: Vec<(u64, usize, Option<&str>)> = ssn
        .samples
        .iter()
        .map(|s| (s.line, s.offset as usize, s.field.as_deref()))
        .collect();
    // Escaped and spelled otherwise than serde_json would: placed at the next string spelled so
    // (line 4), which must not move the values after it.
    assert_eq!(places[1].2, Some("$.rows[1].ssn"));
    places.remove(1);
    assert_eq!(
        places,
        vec![
            (
                2,
                text.find("536221234").expect("number"),
                Some("$.rows[0].ssn")
            ),
            (
                4,
                text.find("536-22-1234\"").expect("dashed"),
                Some("$.rows[2].ssn")
            ),
            (
                4,
                text.find("078-05-1121").expect("repeated key"),
                Some("$.rows[2].ssn")
            ),
        ]
    );
    let mail = r
        .types
        .iter()
        .find(|t| t.detector == "email-address")
        .expect("mail");
    assert_eq!(mail.count, 2);
    assert_eq!(
        mail.samples[0].offset as usize,
        text.find("jane.doe").expect("mail")
    );
    assert_eq!(mail.samples[1].line, 3);
}

/// A value inside a string written with escapes is placed where it is in the file: escapes before
/// it (`\"`, `\u0034`, `\n`, a surrogate pair) are counted as the bytes they take in the source,
/// and an escaped newline is no line break of the file.
#[test]
fn values_in_escaped_strings_are_placed_in_the_source() {
    let dir = tempfile::tempdir().expect("tmp");
    let cases: &[(&str, &str)] = &[
        ("{\"a\": \"ssn 536-22-871\\u0034\"}\n", "536-22-871"),
        ("{\"ssn\": \"\\u003536-22-8714\"}\n", "\\u0035"),
        ("{\"c\": \"x\\\"y ssn 536-22-8714\"}\n", "536-22-8714"),
        (
            "{\"a\": \"l1\\nl2\\nl3\\nl4 ssn 536-22-8714\",\n \"b\": \"x\"}\n",
            "536-22-8714",
        ),
        (
            "[\"\\ud83d\\ude00 \\u00e9 ssn 536-22-8714\", null, \"\\t ssn 536-22-8715\"]\n",
            "536-22-8714",
        ),
        (
            "{\"k\\u00e9y\": 1, \"v\": \"\\/ ssn 536-22-8714\"}\n",
            "536-22-8714",
        ),
    ];
    for (k, (text, at)) in cases.iter().enumerate() {
        let p = write(dir.path(), &format!("e{k}.json"), text.as_bytes());
        let r = scan(&p, &Options::default());
        assert!(r.diagnostics.is_empty(), "{text}: {:?}", r.diagnostics);
        let ssn = r.types.iter().find(|t| t.detector == "us-ssn").expect(text);
        let s = &ssn.samples[0];
        assert_eq!(
            (s.line, s.offset as usize),
            (1, text.find(at).expect("in text")),
            "{text}"
        );
    }
    // Many strings spelled with escapes: each placed at its own string, in time proportional to
    // the document.
    let one = "\"\\u00e9 jane.doe@corp.io\"";
    let text = format!("[{}]", vec![one; 20_000].join(","));
    let p = write(dir.path(), "many.json", text.as_bytes());
    let options = Options {
        samples: 3,
        ..Options::default()
    };
    let r = scan(&p, &options);
    let mail = &r.types[0];
    assert_eq!(mail.count, 20_000);
    let offsets: Vec<u64> = mail.samples.iter().map(|s| s.offset).collect();
    let step = one.len() as u64 + 1;
    assert_eq!(offsets, vec![9, 9 + step, 9 + 2 * step]);
}

/// A key is scanned as data, with its object's path as context: a map keyed by card number is
/// restricted data.
#[test]
fn json_keys_are_data() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = "{\"cards\": {\"4539148803436467\": {\"limit\": 100}},\n \"by_mail\": {\"jane.doe@corp.io\": 1}}\n";
    let p = write(dir.path(), "keys.json", text.as_bytes());
    let r = scan(&p, &Options::default());
    assert_eq!(r.label, Label::Restricted);
    let card = r
        .types
        .iter()
        .find(|t| t.detector == "credit-card-number")
        .expect("card");
    assert_eq!(
        card.samples[0].offset as usize,
        text.find("4539").expect("card")
    );
    assert_eq!(card.samples[0].field.as_deref(), Some("$.cards"));
    let mail = r
        .types
        .iter()
        .find(|t| t.detector == "email-address")
        .expect("mail");
    assert_eq!(
        (mail.samples[0].line, mail.samples[0].field.as_deref()),
        (2, Some("$.by_mail"))
    );
}

/// A byte order mark before a JSON document or the first NDJSON line does not make it text: the
/// key path still names the value.
#[test]
fn json_after_a_byte_order_mark_is_json() {
    let dir = tempfile::tempdir().expect("tmp");
    for (name, text) in [
        (
            "bom.json",
            "\u{feff}{\"nhs_number\":\n  \"943 476 5919\"}\n",
        ),
        ("bom.ndjson", "\u{feff}{\"nhs_number\": \"943 476 5919\"}\n"),
    ] {
        let p = write(dir.path(), name, text.as_bytes());
        let r = scan(&p, &Options::default());
        assert!(r.diagnostics.is_empty(), "{name}: {:?}", r.diagnostics);
        let t = &r.types[0];
        assert_eq!(t.detector, "uk-nhs-number", "{name}");
        assert_eq!(t.samples[0].field.as_deref(), Some("$.nhs_number"));
        assert_eq!(
            t.samples[0].offset as usize,
            text.find("943").expect("value")
        );
    }
}

/// An NDJSON line that breaks off after a value is read as text only: its values count once.
/// Nesting past the parser's limit is no JSON either; the file is read as text.
#[test]
fn broken_or_deep_json_counts_each_value_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(
        dir.path(),
        "log.ndjson",
        b"{\"a\":\"jane.doe@corp.io\",\"b\":\"john.roe@corp.io\", oops\n{\"c\":\"ann.lee@corp.io\"}\n",
    );
    let r = scan(&p, &Options::default());
    let t = &r.types[0];
    assert_eq!((t.detector.as_str(), t.count), ("email-address", 3));
    assert_eq!(t.samples[0].field, None);
    let deep = format!(
        "{}\"jane.doe@corp.io\"{}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let p = write(dir.path(), "deep.json", deep.as_bytes());
    let r = scan(&p, &Options::default());
    assert_eq!(r.types[0].count, 1);
    assert!(
        r.diagnostics[0].message.contains("recursion limit"),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn gzip_is_decompressed_and_read_by_inner_name() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"card,name\n4123 3320 5478 9178,Jane\n")
        .expect("gzip");
    let p = write(dir.path(), "cards.csv.gz", &gz.finish().expect("gzip"));
    let r = scan(&p, &Options::default());
    assert!(r.gzip);
    assert_eq!(r.format, Format::Csv);
    assert_eq!(
        types(&r),
        vec![("credit-card-number".to_string(), 1, Confidence::High)]
    );
    assert_eq!(r.types[0].samples[0].masked, "4123 **** **** 9178");
    assert_eq!(r.label, Label::Restricted);
}

#[test]
fn binary_is_skipped_and_invalid_utf8_is_scanned_around() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(dir.path(), "blob.bin", b"\x00\x01AKIAUJZDE8GXD6NCF10E");
    assert_eq!(scan(&p, &Options::default()).format, Format::Binary);
    let p = write(dir.path(), "doc.pdf", b"%PDF-1.7 AKIAUJZDE8GXD6NCF10E");
    assert_eq!(scan(&p, &Options::default()).format, Format::Binary);
    // A zip signature is opened as an archive now: a broken one is a diagnostic, not "binary".
    let p = write(dir.path(), "zip.docx", b"PK\x03\x04rest");
    let err = scan_file(&engine(), &p, "zip.docx", &Options::default()).expect_err("corrupt");
    assert!(
        err.message.contains("corrupt or unsupported zip archive"),
        "{err}"
    );

    let p = write(
        dir.path(),
        "latin1.txt",
        b"caf\xe9 key AKIAUJZDE8GXD6NCF10E\nmail jane.doe@corp.io\n",
    );
    let r = scan(&p, &Options::default());
    assert_eq!(r.types.len(), 2, "{:?}", types(&r));
    let key = r
        .types
        .iter()
        .find(|t| t.detector == "aws-access-key-id")
        .expect("key found");
    assert_eq!(key.samples[0].offset, 9, "offsets count the invalid byte");
    assert_eq!(r.diagnostics.len(), 1);
    assert!(r.diagnostics[0].message.contains("invalid UTF-8"));
}

#[test]
fn unreadable_path_is_a_diagnostic() {
    let dir = tempfile::tempdir().expect("tmp");
    let err = scan_file(&engine(), dir.path(), "dir", &Options::default())
        .expect_err("a directory is no file");
    assert!(err.message.contains("not a regular file"), "{err}");
    let err = scan_file(
        &engine(),
        &dir.path().join("missing"),
        "missing",
        &Options::default(),
    )
    .expect_err("missing");
    assert!(err.message.contains("cannot read"), "{err}");
}

/// A 50 MB file, as one line and as many lines: the engine never sees more than one window, and
/// values in the middle, across window edges and at the end are all found once.
#[test]
fn large_files_are_streamed_in_bounded_chunks() {
    let dir = tempfile::tempdir().expect("tmp");
    let options = Options::default();
    let key = "AKIAUJZDE8GXD6NCF10E";
    let filler = "lorem ipsum dolor sit amet ".repeat(40); // 1080 bytes
    for (name, sep) in [("one-line.log", " "), ("lines.log", "\n")] {
        let p = dir.path().join(name);
        let mut f = std::io::BufWriter::new(std::fs::File::create(&p).expect("create"));
        let mut written = 0usize;
        let mut keys = 0u64;
        while written < 50 * 1024 * 1024 {
            f.write_all(filler.as_bytes()).expect("write");
            f.write_all(sep.as_bytes()).expect("write");
            f.write_all(key.as_bytes()).expect("write");
            f.write_all(sep.as_bytes()).expect("write");
            written += filler.len() + key.len() + 2 * sep.len();
            keys += 1;
        }
        drop(f);
        let r = scan(&p, &options);
        assert_eq!(r.bytes as usize, written, "{name}");
        assert!(
            r.largest_chunk <= options.chunk,
            "{name}: {} > {}",
            r.largest_chunk,
            options.chunk
        );
        assert_eq!(r.types.len(), 1, "{name}");
        assert_eq!(r.types[0].count, keys, "{name}: each key once");
    }
}

#[test]
fn window_edges_neither_lose_nor_double_values() {
    let dir = tempfile::tempdir().expect("tmp");
    let options = Options {
        chunk: 64,
        overlap: 24,
        ..Options::default()
    };
    // Keys at every alignment against 64-byte windows on one long line.
    let mut line = String::new();
    let mut expected = Vec::new();
    for i in 0..40 {
        line.push_str(&"x".repeat(i % 7 + 1));
        line.push(' ');
        expected.push(line.len() as u64);
        line.push_str("AKIAUJZDE8GXD6NCF10E ");
    }
    let p = write(dir.path(), "edges.txt", line.as_bytes());
    let r = scan(
        &p,
        &Options {
            samples: 100,
            ..options
        },
    );
    assert!(r.largest_chunk <= 64);
    let found: Vec<u64> = r.types[0].samples.iter().map(|s| s.offset).collect();
    assert_eq!(found, expected);
}

#[test]
fn a_key_or_header_that_is_itself_sensitive_is_masked_where_it_names_a_value() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(
        dir.path(),
        "users.json",
        br#"{"users": {"jane.doe@corp.io": {"card": "4539578763621486"}}}"#,
    );
    let r = scan(&p, &Options::default());
    let fields: Vec<String> = r
        .types
        .iter()
        .flat_map(|t| t.samples.iter().filter_map(|s| s.field.clone()))
        .collect();
    assert!(!fields.is_empty());
    for field in &fields {
        assert!(!field.contains("jane.doe"), "{field}");
    }
    assert!(fields.iter().any(|f| f.contains("@corp.io")), "{fields:?}");
}
