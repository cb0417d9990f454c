//! Zip archives, xlsx and docx: members found where they are, and hostile archives (bombs, too
//! many entries, encryption, corruption) reported without being expanded.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use deadbolt_classify::{Engine, FileReport, Format, Label, Limits, Options, scan_file};
use deadbolt_model::Level;
use flate2::{Compress, Compression, FlushCompress};
use zip::write::SimpleFileOptions;

const CARD: &str = "4123 3320 5478 9178";
const CARD_MASKED: &str = "4123 **** **** 9178";
const SSN: &str = "536-22-1234";

fn engine() -> Engine {
    Engine::builtin().expect("built-in detectors")
}

fn scan(path: &Path, options: &Options) -> FileReport {
    let name = path.file_name().and_then(|n| n.to_str()).expect("name");
    scan_file(&engine(), path, name, options).expect("readable")
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write");
    p
}

/// A zip of `(name, content)` members, deflated; a name ending in `/` is a directory.
fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in members {
        if name.ends_with('/') {
            w.add_directory(*name, opts).expect("dir");
        } else {
            w.start_file(*name, opts).expect("start");
            w.write_all(content).expect("member");
        }
    }
    w.finish().expect("zip").into_inner()
}

fn gzip(content: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(content).expect("gzip");
    gz.finish().expect("gzip")
}

/// Every report in `r` and its entries, depth first.
fn all(r: &FileReport) -> Vec<&FileReport> {
    let mut out = vec![r];
    for e in &r.entries {
        out.extend(all(e));
    }
    out
}

fn entry<'a>(r: &'a FileReport, file: &str) -> &'a FileReport {
    all(r)
        .into_iter()
        .find(|e| e.file == file)
        .unwrap_or_else(|| {
            panic!(
                "no entry {file} in {:?}",
                all(r).iter().map(|e| &e.file).collect::<Vec<_>>()
            )
        })
}

/// (line, offset, field) of the first sample of `detector` in `r`.
fn first(r: &FileReport, detector: &str) -> (u64, u64, Option<String>) {
    let t = r
        .types
        .iter()
        .find(|t| t.detector == detector)
        .unwrap_or_else(|| panic!("{detector} not found in {}", r.file));
    let s = &t.samples[0];
    (s.line, s.offset, s.field.clone())
}

fn messages(r: &FileReport) -> Vec<String> {
    all(r)
        .iter()
        .flat_map(|e| e.diagnostics.iter().map(|d| d.to_string()))
        .collect()
}

#[test]
fn zip_members_are_read_by_their_own_readers() {
    let dir = tempfile::tempdir().expect("tmp");
    let inner = zip_of(&[("inner.csv", format!("name,ssn\nJoe,{SSN}\n").as_bytes())]);
    let log = format!("boot\npaid with {CARD}\n");
    let bytes = zip_of(&[
        ("exports/", b""),
        (
            "exports/people.csv",
            format!("name,ssn,card\nJane,536221234,{CARD}\n").as_bytes(),
        ),
        ("notes.txt", format!("nothing\nssn {SSN}\n").as_bytes()),
        (
            "data.json",
            format!("{{\n  \"customer\": {{\"card\": \"{CARD}\"}}\n}}\n").as_bytes(),
        ),
        ("logs/app.log.gz", &gzip(log.as_bytes())),
        ("nested.zip", &inner),
        ("blob.bin", b"\x00\x01\x02"),
    ]);
    let p = write(dir.path(), "archive.zip", &bytes);
    let r = scan(&p, &Options::default());
    assert_eq!(r.format, Format::Zip);
    assert_eq!(r.label, Label::Restricted, "the most sensitive entry's");
    assert!(r.types.is_empty(), "findings are the entries'");

    let csv = entry(&r, "archive.zip!exports/people.csv");
    assert_eq!(csv.format, Format::Csv);
    // The bare nine digits are an SSN only because the CSV reader used the header.
    assert_eq!(first(csv, "us-ssn"), (2, 19, Some("ssn".to_string())));
    assert_eq!(first(csv, "credit-card-number").0, 2);

    let txt = entry(&r, "archive.zip!notes.txt");
    assert_eq!(first(txt, "us-ssn"), (2, 12, None));

    let json = entry(&r, "archive.zip!data.json");
    assert_eq!(json.format, Format::Json);
    assert_eq!(
        first(json, "credit-card-number"),
        (2, 26, Some("$.customer.card".to_string()))
    );

    let gz = entry(&r, "archive.zip!logs/app.log.gz");
    assert!(gz.gzip);
    assert_eq!(first(gz, "credit-card-number"), (2, 15, None));
    assert_eq!(gz.types[0].samples[0].masked, CARD_MASKED);

    let nested = entry(&r, "archive.zip!nested.zip!inner.csv");
    assert_eq!(first(nested, "us-ssn"), (2, 13, Some("ssn".to_string())));

    assert_eq!(entry(&r, "archive.zip!blob.bin").format, Format::Binary);
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));
    assert_eq!(
        r.bytes,
        r.entries.iter().map(|e| e.bytes).sum::<u64>(),
        "an archive's bytes are its entries'"
    );
}

#[test]
fn nesting_is_read_one_level_deep() {
    let dir = tempfile::tempdir().expect("tmp");
    let deepest = zip_of(&[("x.txt", format!("ssn {SSN}\n").as_bytes())]);
    let middle = zip_of(&[("deepest.zip", &deepest), ("m.txt", CARD.as_bytes())]);
    let p = write(dir.path(), "top.zip", &zip_of(&[("middle.zip", &middle)]));
    let r = scan(&p, &Options::default());
    let m = entry(&r, "top.zip!middle.zip!m.txt");
    assert_eq!(first(m, "credit-card-number").0, 1);
    assert!(all(&r).iter().all(|e| !e.file.ends_with("x.txt")));
    let msgs = messages(&r);
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("top.zip!middle.zip!deepest.zip: ")
                && m.contains("inside a nested archive")),
        "{msgs:?}"
    );
}

/// A raw deflate stream of `mib` MiB of the digit `0`, built from one compressed MiB repeated:
/// with a full flush the compressor forgets its window, so every MiB compresses alike. So the
/// test makes a 1 GiB bomb without compressing 1 GiB.
fn zeros_deflated(mib: usize) -> Vec<u8> {
    let one = vec![b'0'; 1 << 20];
    let mut c = Compress::new(Compression::best(), false);
    let mut block = |input: &[u8], flush| {
        let mut out = Vec::with_capacity(1 << 20);
        let before = c.total_in();
        c.compress_vec(input, &mut out, flush).expect("deflate");
        assert_eq!(c.total_in() - before, input.len() as u64, "all input taken");
        out
    };
    let a = block(&one, FlushCompress::Full);
    let b = block(&one, FlushCompress::Full);
    let c2 = block(&one, FlushCompress::Full);
    assert_eq!(b, c2, "a MiB compresses alike after a full flush");
    let mut out = a;
    for _ in 1..mib {
        out.extend_from_slice(&b);
    }
    out.extend(block(&[], FlushCompress::Finish));
    out
}

/// One member of a hand-built zip: what the headers say may be a lie.
struct Raw<'a> {
    name: &'a str,
    method: u16,
    flags: u16,
    data: &'a [u8],
    declared: u32,
    crc: u32,
}

/// A zip written by hand, so its headers can declare anything (the zip crate writes honest ones).
fn raw_zip(members: &[Raw<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for m in members {
        let offset = out.len() as u32;
        let fields = |v: &mut Vec<u8>| {
            v.extend(20u16.to_le_bytes()); // version needed
            v.extend(m.flags.to_le_bytes());
            v.extend(m.method.to_le_bytes());
            v.extend([0, 0, 0x21, 0]); // time, date
            v.extend(m.crc.to_le_bytes());
            v.extend((m.data.len() as u32).to_le_bytes());
            v.extend(m.declared.to_le_bytes());
            v.extend((m.name.len() as u16).to_le_bytes());
            v.extend(0u16.to_le_bytes()); // extra
        };
        out.extend(b"PK\x03\x04");
        fields(&mut out);
        out.extend(m.name.as_bytes());
        out.extend(m.data);
        central.extend(b"PK\x01\x02");
        central.extend(20u16.to_le_bytes()); // made by
        fields(&mut central);
        central.extend([0u8; 10]); // comment length, disk, internal and external attributes
        central.extend(offset.to_le_bytes());
        central.extend(m.name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    out.extend(&central);
    out.extend(b"PK\x05\x06");
    out.extend([0u8; 4]);
    out.extend((members.len() as u16).to_le_bytes());
    out.extend((members.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend([0u8; 2]);
    out
}

fn stored<'a>(name: &'a str, data: &'a [u8]) -> Raw<'a> {
    Raw {
        name,
        method: 0,
        flags: 0,
        data,
        declared: data.len() as u32,
        crc: crc32(data),
    }
}

fn crc32(data: &[u8]) -> u32 {
    let mut h = flate2::Crc::new();
    h.update(data);
    h.sum()
}

const GIB: u32 = 1 << 30;

#[test]
fn a_zip_bomb_is_reported_not_expanded() {
    let dir = tempfile::tempdir().expect("tmp");
    let bomb = zeros_deflated(1024);
    assert!(bomb.len() < 2 << 20, "1 GiB in {} bytes", bomb.len());
    let ok = format!("ssn {SSN}\n");
    // Honest headers: 1 GiB from ~1 MiB is refused on the declared sizes alone.
    let honest = raw_zip(&[
        Raw {
            name: "zeros.txt",
            method: 8,
            flags: 0,
            data: &bomb,
            declared: GIB,
            crc: 0,
        },
        stored("ok.txt", ok.as_bytes()),
    ]);
    let p = write(dir.path(), "honest.zip", &honest);
    let r = scan(&p, &Options::default());
    let msgs = messages(&r);
    assert!(
        msgs.iter().any(
            |m| m.starts_with("honest.zip!zeros.txt: error: decompression bomb")
                && m.contains("a ratio over 100")
        ),
        "{msgs:?}"
    );
    assert!(all(&r).iter().all(|e| e.file != "honest.zip!zeros.txt"));
    assert_eq!(first(entry(&r, "honest.zip!ok.txt"), "us-ssn").0, 1);

    // Lying headers: the same stream declared as 1 MiB is read up to 1 MiB, and no further.
    let lying = raw_zip(&[
        Raw {
            name: "zeros.txt",
            method: 8,
            flags: 0,
            data: &bomb,
            declared: 1 << 20,
            crc: 0,
        },
        stored("ok.txt", ok.as_bytes()),
    ]);
    let p = write(dir.path(), "lying.zip", &lying);
    let r = scan(&p, &Options::default());
    let zeros = entry(&r, "lying.zip!zeros.txt");
    assert_eq!(zeros.bytes, 1 << 20, "stopped at the declared size");
    let msgs = messages(&r);
    assert!(
        msgs.iter().any(
            |m| m.starts_with("lying.zip!zeros.txt: error: decompression bomb")
                && m.contains("past its declared size of 1048576 bytes")
        ),
        "{msgs:?}"
    );
    assert_eq!(first(entry(&r, "lying.zip!ok.txt"), "us-ssn").0, 1);
}

#[test]
fn a_gzip_bomb_is_scanned_up_to_the_cap_and_reported() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut gz = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    // A card first, then 1 GiB of zeros: what was read before the cap is still reported.
    let mut head = Compress::new(Compression::default(), false);
    let mut first_block = Vec::with_capacity(1024);
    head.compress_vec(
        format!("card {CARD}\n").as_bytes(),
        &mut first_block,
        FlushCompress::Full,
    )
    .expect("deflate");
    gz.extend(&first_block);
    gz.extend(zeros_deflated(1024));
    gz.extend([0u8; 8]); // CRC and size: never reached
    let p = write(dir.path(), "bomb.log.gz", &gz);
    let limits = Limits::default();
    let r = scan(&p, &Options::default());
    assert!(r.gzip);
    assert!(
        r.bytes > limits.ratio_grace && r.bytes <= limits.ratio_grace + 256 * 1024,
        "stopped just past the grace: {} bytes",
        r.bytes
    );
    assert_eq!(first(&r, "credit-card-number").0, 1);
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.to_string().starts_with(
                "bomb.log.gz: error: decompression bomb: expands more than 100 times"
            ) && d.message.contains("the rest was not expanded")),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn a_normal_gzip_is_not_a_bomb() {
    let dir = tempfile::tempdir().expect("tmp");
    // 20 MiB of varied lines: past the grace, but nowhere near 100:1.
    let mut text = String::new();
    let mut i = 0u64;
    while text.len() < 20 << 20 {
        text.push_str(&format!(
            "{i} GET /api/v1/items/{} {}\n",
            i * 7919 % 100_003,
            i * 31
        ));
        i += 1;
    }
    text.push_str(&format!("ssn {SSN}\n"));
    let p = write(dir.path(), "big.log.gz", &gzip(text.as_bytes()));
    let r = scan(&p, &Options::default());
    assert_eq!(r.bytes, text.len() as u64);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(first(&r, "us-ssn").0, i + 1);
}

#[test]
fn a_truncated_gzip_keeps_what_was_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let rows = 20_000;
    let mut log = String::new();
    let mut csv = String::from("id,email\n");
    let mut json = String::from("[\n");
    for i in 0..rows {
        log.push_str(&format!("{i} login jane.doe{i}@corp.io\n"));
        csv.push_str(&format!("{i},jane.doe{i}@corp.io\n"));
        json.push_str(&format!(
            "{{\"id\": {i}, \"email\": \"jane.doe{i}@corp.io\"}},\n"
        ));
    }
    for (name, content) in [
        ("cut.log.gz", log),
        ("cut.csv.gz", csv),
        ("cut.json.gz", json),
    ] {
        let gz = gzip(content.as_bytes());
        let p = write(dir.path(), name, &gz[..gz.len() / 2]);
        let r = scan(&p, &Options::default());
        let found = r
            .types
            .iter()
            .find(|t| t.detector == "email-address")
            .map_or(0, |t| t.count);
        assert!(
            found > rows / 4 && found < rows,
            "{name}: the half that was read is scanned ({found})"
        );
        assert!(r.bytes > 0 && r.bytes < content.len() as u64, "{name}");
        let cut = r
            .diagnostics
            .iter()
            .find(|d| d.level == Level::Error && d.message.contains("cannot read past byte"))
            .unwrap_or_else(|| panic!("{name}: {:?}", r.diagnostics));
        assert!(
            cut.message.contains("decompressed stream"),
            "{}",
            cut.message
        );
        // The line it stopped on is where the findings stop.
        assert!(u64::from(cut.line) >= found, "{name}: {} {found}", cut.line);
    }
}

/// Gzip of `content` stored, not deflated, cut after `keep` bytes of it: the cut falls exactly
/// there.
fn stored_gzip_cut(content: &[u8], keep: usize) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), Compression::none());
    gz.write_all(content).expect("gzip");
    let whole = gz.finish().expect("gzip");
    // The 10-byte header, then a stored block's 5-byte header, then the bytes as they are.
    whole[..15 + keep].to_vec()
}

#[test]
fn a_cut_short_stream_keeps_its_unfinished_record_and_not_its_cut_token() {
    let dir = tempfile::tempdir().expect("tmp");
    // The break falls in the last record, after two of its values.
    let csv = b"name,ssn,email,note\nA,536-22-1234,a.b@corp.io,xx\nB,536-22-1235,jane.doe@corp.io,yyyyyy\n";
    let keep = csv.windows(4).position(|w| w == b"yyyy").expect("in csv") + 2;
    let p = write(dir.path(), "last.csv.gz", &stored_gzip_cut(csv, keep));
    let r = scan(&p, &Options::default());
    let count = |id: &str| {
        r.types
            .iter()
            .find(|t| t.detector == id)
            .map_or(0, |t| t.count)
    };
    assert_eq!(
        (count("us-ssn"), count("email-address")),
        (2, 2),
        "{:?}",
        r.types
    );
    assert_eq!(first(&r, "us-ssn").0, 2);
    // A quote that never closes makes the rest one record; cut short, it is still scanned.
    let mut csv = b"name,ssn\nBob,\"oops,536-22-0998\n".to_vec();
    for i in 0..100 {
        csv.extend_from_slice(format!("u{i},536-22-{:04}\n", 1000 + i).as_bytes());
    }
    let p = write(
        dir.path(),
        "open.csv.gz",
        &stored_gzip_cut(&csv, csv.len() - 20),
    );
    let r = scan(&p, &Options::default());
    assert!(count_of(&r, "us-ssn") >= 99, "{:?}", r.types);
    // The unfinished record's fields keep their columns: a bare SSN is one under `ssn`.
    let csv = b"name,ssn,email\nAl,536221235,al@acme-corp.com\n";
    let keep = csv.windows(2).position(|w| w == b"al").expect("in csv");
    let p = write(dir.path(), "column.csv.gz", &stored_gzip_cut(csv, keep));
    let r = scan(&p, &Options::default());
    assert_eq!(count_of(&r, "us-ssn"), 1, "{:?}", r.types);
    assert_eq!(r.types[0].samples[0].field.as_deref(), Some("ssn"));
    // A value cut by the break is not reported as the shorter value it now looks like.
    let text = b"ok 4123 3320 5478 9178\ncard 4123332054789178555 joe@acme-corp.com.au\n";
    for (cut, what) in [(&b"555"[..], "a card"), (&b"m.au"[..], "an e-mail domain")] {
        let keep = text
            .windows(cut.len())
            .position(|w| w == cut)
            .expect("in text")
            + 2;
        let p = write(dir.path(), "cut.log.gz", &stored_gzip_cut(text, keep));
        let r = scan(&p, &Options::default());
        assert_eq!(
            count_of(&r, "credit-card-number"),
            1,
            "{what}: {:?}",
            r.types
        );
        assert_eq!(count_of(&r, "email-address"), 0, "{what}: {:?}", r.types);
    }
}

fn count_of(r: &FileReport, id: &str) -> u64 {
    r.types
        .iter()
        .find(|t| t.detector == id)
        .map_or(0, |t| t.count)
}

#[test]
fn too_many_entries_are_capped() {
    let dir = tempfile::tempdir().expect("tmp");
    let limits = Limits::default();
    let n = limits.max_entries + 5;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..n {
        w.start_file(format!("e{i}.txt"), opts).expect("start");
        w.write_all(b"x").expect("write");
    }
    let p = write(
        dir.path(),
        "many.zip",
        &w.finish().expect("zip").into_inner(),
    );
    let r = scan(&p, &Options::default());
    assert_eq!(r.entries.len(), limits.max_entries);
    assert!(
        r.diagnostics[0].to_string().starts_with(
            "many.zip: error: decompression bomb: 10005 entries, over the cap of 10000"
        ),
        "{:?}",
        r.diagnostics
    );
}

#[test]
fn encrypted_and_corrupt_members_are_diagnostics_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().expect("tmp");
    let ok = format!("ssn {SSN}\n");
    let secret = b"ciphertext!!";
    let garbage = b"\xff\xff\xff\xff not deflate";
    let bytes = raw_zip(&[
        Raw {
            name: "secret.txt",
            method: 0,
            flags: 1, // encrypted
            data: secret,
            declared: secret.len() as u32,
            crc: crc32(secret),
        },
        Raw {
            name: "broken.txt",
            method: 8,
            flags: 0,
            data: garbage,
            declared: 100,
            crc: 0,
        },
        Raw {
            name: "odd.txt",
            method: 12, // bzip2: not built in
            flags: 0,
            data: b"BZh9",
            declared: 10,
            crc: 0,
        },
        Raw {
            crc: 0xdead_beef,
            ..stored("badcrc.txt", b"checksum is wrong")
        },
        stored("ok.txt", ok.as_bytes()),
    ]);
    let p = write(dir.path(), "mixed.zip", &bytes);
    let r = scan(&p, &Options::default());
    let msgs = messages(&r);
    assert!(
        msgs.contains(&"mixed.zip!secret.txt: error: encrypted; not scanned".to_string()),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("mixed.zip!broken.txt: error: cannot read")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("mixed.zip!odd.txt: error: cannot read")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m
            .starts_with("mixed.zip!badcrc.txt:1:0: error: cannot read past byte 17")
            && m.contains("checksum")),
        "a bad checksum is corruption, not a bomb; what was read is scanned: {msgs:?}"
    );
    assert_eq!(first(entry(&r, "mixed.zip!ok.txt"), "us-ssn"), (1, 4, None));

    // An archive whose directory is garbage is a diagnostic for the file, not a panic.
    let p = write(
        dir.path(),
        "corrupt.zip",
        b"PK\x03\x04 this is no archive at all",
    );
    let err =
        scan_file(&engine(), &p, "corrupt.zip", &Options::default()).expect_err("corrupt archive");
    assert!(
        err.message.contains("corrupt or unsupported zip archive"),
        "{err}"
    );
    // A truncated archive too.
    let good = zip_of(&[("a.txt", b"hello")]);
    let p = write(dir.path(), "cut.zip", &good[..good.len() - 10]);
    assert!(scan_file(&engine(), &p, "cut.zip", &Options::default()).is_err());
}

/// A minimal workbook: two sheets, shared and inline strings, a number cell.
fn xlsx_of(sheets: &[(&str, &str)], shared: &[&str]) -> Vec<u8> {
    let mut content_types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
    );
    let mut workbook = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    );
    let mut parts: Vec<(String, String)> = Vec::new();
    for (i, (name, rows)) in sheets.iter().enumerate() {
        let n = i + 1;
        content_types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
        workbook.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
        parts.push((
            format!("xl/worksheets/sheet{n}.xml"),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
            ),
        ));
    }
    content_types.push_str("</Types>");
    workbook.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    let strings: String = shared
        .iter()
        .map(|s| format!("<si><t>{s}</t></si>"))
        .collect();
    parts.push((
        "xl/sharedStrings.xml".into(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">{strings}</sst>"#,
            shared.len()
        ),
    ));
    // Style 1 is Excel's built-in short date (number format 14), for date cells (`s="1"`).
    parts.push((
        "xl/styles.xml".into(),
        r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#.into(),
    ));
    let root_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let mut members: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", content_types.as_bytes()),
        ("_rels/.rels", root_rels.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
    ];
    for (name, body) in &parts {
        members.push((name, body.as_bytes()));
    }
    zip_of(&members)
}

#[test]
fn xlsx_sheets_are_read_with_the_header_row_as_context() {
    let dir = tempfile::tempdir().expect("tmp");
    // Shared strings: 0 name, 1 ssn, 2 card, 3 Jane, 4 the card, 5 order.
    let shared = ["name", "ssn", "card", "Jane", CARD, "order"];
    let people = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>5</v></c></row><row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>536221234</v></c><c r="C2" t="s"><v>4</v></c><c r="D2"><v>536221234</v></c></row>"#;
    let notes = format!(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>free text</t></is></c></row><row r="4"><c r="B4" t="inlineStr"><is><t>call me, ssn {SSN}</t></is></c></row>"#
    );
    let p = write(
        dir.path(),
        "book.xlsx",
        &xlsx_of(&[("People", people), ("Notes", &notes)], &shared),
    );
    let r = scan(&p, &Options::default());
    assert_eq!(r.format, Format::Xlsx);
    assert_eq!(r.label, Label::Restricted);
    let people = entry(&r, "book.xlsx!People");
    // The number 536221234 is an SSN under the `ssn` header, and nothing under `order`.
    let ssn = people
        .types
        .iter()
        .find(|t| t.detector == "us-ssn")
        .expect("ssn");
    assert_eq!(ssn.count, 1);
    assert_eq!(first(people, "us-ssn"), (2, 1, Some("ssn".to_string())));
    assert_eq!(
        first(people, "credit-card-number"),
        (2, 2, Some("card".to_string()))
    );
    let notes = entry(&r, "book.xlsx!Notes");
    assert_eq!(first(notes, "us-ssn"), (4, 1, None), "row 4, column B");
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));

    // A workbook inside an archive is read as one too.
    let outer = zip_of(&[("q3/book.xlsx", &std::fs::read(&p).expect("read"))]);
    let p = write(dir.path(), "books.zip", &outer);
    let r = scan(&p, &Options::default());
    let people = entry(&r, "books.zip!q3/book.xlsx!People");
    assert_eq!(first(people, "us-ssn").0, 2);
}

#[test]
fn xlsx_date_cells_read_as_dates() {
    let dir = tempfile::tempdir().expect("tmp");
    // Serial 31159 is 1985-04-22 in the 1900 date system; styled as a date it is a date of birth
    // under its header, and the same serial unstyled is just a number.
    let rows = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>date of birth</t></is></c><c r="B1" t="inlineStr"><is><t>count</t></is></c></row><row r="2"><c r="A2" s="1"><v>31159</v></c><c r="B2"><v>31159</v></c></row>"#;
    let p = write(dir.path(), "dates.xlsx", &xlsx_of(&[("People", rows)], &[]));
    let r = scan(&p, &Options::default());
    let people = entry(&r, "dates.xlsx!People");
    let dob = people
        .types
        .iter()
        .find(|t| t.detector == "date-of-birth")
        .expect("the date cell is a date of birth");
    assert_eq!(dob.count, 1, "the unstyled serial is not a date");
    assert_eq!(
        first(people, "date-of-birth"),
        (2, 0, Some("date of birth".to_string()))
    );
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));
}

#[test]
fn a_broken_xlsx_is_a_diagnostic() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write(
        dir.path(),
        "empty.xlsx",
        &zip_of(&[("readme.txt", b"not a workbook")]),
    );
    let err = scan_file(&engine(), &p, "empty.xlsx", &Options::default()).expect_err("no book");
    assert!(err.message.contains("not a readable workbook"), "{err}");
    // A bomb among the parts: the workbook is not opened.
    let bomb = zeros_deflated(64);
    let bytes = raw_zip(&[Raw {
        name: "xl/sharedStrings.xml",
        method: 8,
        flags: 0,
        data: &bomb,
        declared: 1000,
        crc: 0,
    }]);
    let p = write(dir.path(), "bomb.xlsx", &bytes);
    let err = scan_file(&engine(), &p, "bomb.xlsx", &Options::default()).expect_err("bomb");
    assert!(
        err.to_string()
            .starts_with("bomb.xlsx!xl/sharedStrings.xml: error: decompression bomb"),
        "{err}"
    );
}

fn docx_of(body: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", document.as_bytes()),
    ])
}

#[test]
fn docx_headers_footers_and_comments_are_entries_of_the_document() {
    let dir = tempfile::tempdir().expect("tmp");
    let part = |root: &str, text: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:{root} xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:{root}>"#
        )
    };
    let document = part("document", "Quarterly report");
    let header = part("hdr", &format!("Prepared for card {CARD}"));
    let comments = part("comments", &format!("ssn {SSN} per HR"));
    // A style part is not text a person wrote, even with digits in it.
    let styles = part("styles", &format!("ssn {SSN}"));
    let p = write(
        dir.path(),
        "report.docx",
        &zip_of(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", document.as_bytes()),
            ("word/header2.xml", header.as_bytes()),
            ("word/comments.xml", comments.as_bytes()),
            ("word/styles.xml", styles.as_bytes()),
        ]),
    );
    let r = scan(&p, &Options::default());
    assert!(r.types.is_empty(), "the body holds nothing");
    let names: Vec<&str> = r.entries.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(
        names,
        [
            "report.docx!word/header2.xml",
            "report.docx!word/comments.xml"
        ]
    );
    assert_eq!(
        first(
            entry(&r, "report.docx!word/header2.xml"),
            "credit-card-number"
        )
        .0,
        1
    );
    assert_eq!(
        first(entry(&r, "report.docx!word/comments.xml"), "us-ssn").0,
        1
    );
    assert_eq!(
        r.label,
        Label::Restricted,
        "the document carries its parts' label"
    );
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));
}

#[test]
fn docx_text_is_read_a_paragraph_per_line() {
    let dir = tempfile::tempdir().expect("tmp");
    // The SSN is split across runs, as Word does; the card follows an entity and a tab.
    let body = format!(
        r#"<w:p><w:r><w:t>Customer record</w:t></w:r></w:p><w:p><w:pPr/><w:r><w:t xml:space="preserve">Jane &amp; Joe, ssn </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>536-22</w:t></w:r><w:r><w:t>-1234</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>card</w:t><w:tab/><w:t>{CARD}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#
    );
    let p = write(dir.path(), "report.docx", &docx_of(&body));
    let r = scan(&p, &Options::default());
    assert_eq!(r.format, Format::Docx);
    assert_eq!(first(&r, "us-ssn"), (2, 32, None));
    assert_eq!(first(&r, "credit-card-number"), (3, 49, None));
    assert_eq!(
        r.types
            .iter()
            .find(|t| t.detector == "credit-card-number")
            .map(|t| t.samples[0].masked.as_str()),
        Some(CARD_MASKED)
    );
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);

    // Broken XML: what came before is scanned, and it is said.
    let p = write(
        dir.path(),
        "broken.docx",
        &docx_of(&format!(
            "<w:p><w:r><w:t>{CARD}</w:t></w:r></w:p><w:p><w:t>unclosed"
        )),
    );
    let r = scan(&p, &Options::default());
    assert_eq!(first(&r, "credit-card-number").0, 1);
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.file.as_ref() == "broken.docx!word/document.xml"),
        "{:?}",
        r.diagnostics
    );

    let p = write(dir.path(), "empty.docx", &zip_of(&[("x.txt", b"")]));
    let err = scan_file(&engine(), &p, "empty.docx", &Options::default()).expect_err("no document");
    assert!(err.message.contains("no word/document.xml"), "{err}");
}

#[test]
fn a_password_protected_office_document_is_said_not_skipped_silently() {
    let dir = tempfile::tempdir().expect("tmp");
    // What Office writes for a workbook saved with a password: an OLE compound file holding
    // `EncryptionInfo` and `EncryptedPackage` streams, not a zip.
    let mut ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
    ole.resize(512, 0);
    ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    ole.resize(2048, 0);
    let p = write(dir.path(), "payroll.xlsx", &ole);
    let r = scan(&p, &Options::default());
    assert_eq!(r.format, Format::Binary);
    assert!(
        messages(&r)
            .iter()
            .any(|m| m.starts_with("payroll.xlsx: warning: a password-protected Office document")),
        "{:?}",
        messages(&r)
    );
    // A legacy .doc is the same container and is just a binary file.
    let p = write(dir.path(), "old.doc", &ole);
    let r = scan(&p, &Options::default());
    assert_eq!(r.format, Format::Binary);
    assert!(messages(&r).is_empty(), "{:?}", messages(&r));
}
