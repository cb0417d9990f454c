//! Reading CloudTrail files into records, streamed and bounded.
//!
//! Forms, recognised by content (gzip by its magic bytes, whatever the name):
//! - S3 delivery files: one `{"Records":[...]}` object (AWS writes it on one line);
//! - NDJSON, one record per line (CloudTrail Lake and CloudWatch Logs exports); a line may also
//!   hold a whole `{"Records":[...]}` object;
//! - a JSON array of records, or one pretty-printed `{"Records":[...]}` document.
//!
//! Digest files (`CloudTrail-Digest`, or an object with `digestStartTime`) are recognised and
//! skipped; so are CloudTrail Insights records, which are counted. Memory is bounded by the largest
//! single document or line ([`Limits`]), never by the number of records: NDJSON is read a line at
//! a time.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use deadbolt_model::{Diagnostic, Level};

use crate::event::{CheckedHeader, Header};
use serde::Deserialize;
use serde_json::value::RawValue;

/// Size limits that keep hostile input harmless.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest NDJSON line, in bytes (decompressed). A longer line is skipped with an error.
    /// CloudTrail records are at most 256 KiB (CloudTrail quotas); the default leaves room for
    /// whole delivery files written on one line.
    pub max_line_bytes: usize,
    /// The largest whole document (a JSON array, or a pretty-printed `Records` object), in bytes
    /// (decompressed). A larger one is skipped with an error.
    pub max_document_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line_bytes: 256 << 20,
            max_document_bytes: 256 << 20,
        }
    }
}

/// Where a record is in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    /// 1-based line of the record's first character.
    pub line: u64,
    /// 0-based index of the record within its `Records` array or JSON array (0 for NDJSON lines
    /// holding one record).
    pub index: u64,
}

/// One record as read: its file, position and JSON text.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// The file, as the user named it.
    pub file: &'a Arc<str>,
    /// Where the record is.
    pub position: Position,
    /// The record's JSON text.
    pub json: &'a str,
    /// Its header fields, when the reader already deserialized them on its way through the file
    /// (the engine then does not read the record's text a second time for them).
    pub header: Option<&'a Header<'a>>,
}

/// What reading one file gave.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct FileSummary {
    /// Records handed on.
    pub records: u64,
    /// Bytes read after decompression.
    pub bytes: u64,
    /// Whether the file was a CloudTrail digest file (skipped).
    pub digest: bool,
    /// Whether reading stopped early (a truncated file, a read error).
    pub incomplete: bool,
}

/// Gzip files up to this size are read whole into reused buffers and inflated in one call; larger
/// ones, and plain files, are streamed. Reusing the buffers matters: allocating and freeing buffers
/// of varying sizes per file, between the small long-lived allocations of the engine, fragmented
/// glibc's heap (RSS grew to 260 MB over 45,000 delivery files while the live heap stayed under
/// 5 MB).
const WHOLE_FILE_BYTES: u64 = 64 << 20;

/// Buffers reused from one file to the next (see [`read_file_with`]).
#[derive(Default)]
pub struct Buffers {
    compressed: Vec<u8>,
    text: Vec<u8>,
    line: Vec<u8>,
    inflater: Option<libdeflater::Decompressor>,
}

impl std::fmt::Debug for Buffers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Buffers").finish_non_exhaustive()
    }
}

/// Decompresses a whole single-member gzip file with libdeflate, which is about twice as fast as a
/// streaming inflater on CloudTrail's small delivery files (decompression was a third of the CPU
/// time). The gzip trailer's ISIZE (RFC 1952: the input size modulo 2^32) sizes the output. Returns
/// false, leaving `out` to be refilled, for anything it cannot do in one call: several members, a
/// size over `limit`, a truncated or corrupt stream; the streaming decoder then reads it and says
/// what is wrong.
fn inflate_whole(
    inflater: &mut libdeflater::Decompressor,
    compressed: &[u8],
    out: &mut Vec<u8>,
    limit: usize,
) -> bool {
    if compressed.len() < 18 {
        return false;
    }
    let trailer = &compressed[compressed.len() - 4..];
    let size = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]) as usize;
    if size > limit {
        return false;
    }
    out.clear();
    out.resize(size, 0);
    // libdeflate reads one member and ignores what follows; the file's trailer belongs to its
    // last member, so a different CRC means there are more members to read.
    let crc = u32::from_le_bytes([
        compressed[compressed.len() - 8],
        compressed[compressed.len() - 7],
        compressed[compressed.len() - 6],
        compressed[compressed.len() - 5],
    ]);
    match inflater.gzip_decompress(compressed, out) {
        Ok(n) if n == size => libdeflater::crc32(out) == crc,
        _ => false,
    }
}

/// Reads the CloudTrail records in `path`, handing each to `sink`. Problems go to `diagnostics`
/// with the file and line; what could be read before a problem is still handed on.
pub fn read_file(
    path: &Path,
    display: &Arc<str>,
    limits: &Limits,
    sink: &mut dyn FnMut(Record<'_>),
    diagnostics: &mut Vec<Diagnostic>,
) -> FileSummary {
    read_file_with(
        path,
        display,
        limits,
        &mut Buffers::default(),
        sink,
        diagnostics,
    )
}

/// [`read_file`] with buffers kept across calls: use it to read many files.
pub fn read_file_with(
    path: &Path,
    display: &Arc<str>,
    limits: &Limits,
    buffers: &mut Buffers,
    sink: &mut dyn FnMut(Record<'_>),
    diagnostics: &mut Vec<Diagnostic>,
) -> FileSummary {
    let mut summary = FileSummary::default();
    if path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.contains("CloudTrail-Digest"))
    {
        summary.digest = true;
        return summary;
    }
    let fail = |diagnostics: &mut Vec<Diagnostic>,
                summary: &mut FileSummary,
                what: &str,
                e: &io::Error| {
        diagnostics.push(Diagnostic::whole_file(
            Level::Error,
            display.clone(),
            format!("{what}: {e}"),
        ));
        summary.incomplete = true;
    };
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            fail(diagnostics, &mut summary, "cannot open", &e);
            return summary;
        }
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
    let Buffers {
        compressed,
        text,
        line,
        inflater,
    } = buffers;
    let mut raw = BufReader::with_capacity(1 << 16, file);
    let gzipped = match raw.fill_buf() {
        Ok(buf) => buf.starts_with(&[0x1f, 0x8b]),
        Err(e) => {
            fail(diagnostics, &mut summary, "cannot read", &e);
            return summary;
        }
    };
    let mut reader = Reader {
        display,
        limits,
        sink,
        diagnostics,
        summary: &mut summary,
        line: 1,
        line_buf: line,
    };
    // A gzip file of modest size is inflated in one call (libdeflate); plain files and large
    // gzip files are streamed a line at a time, so memory follows the longest line, not the file.
    if gzipped && size <= WHOLE_FILE_BYTES {
        compressed.clear();
        if let Err(e) = (&mut raw).take(WHOLE_FILE_BYTES).read_to_end(compressed) {
            reader.io_error(&e);
            return summary;
        }
        let inflater = inflater.get_or_insert_with(libdeflater::Decompressor::new);
        if inflate_whole(inflater, compressed, text, limits.max_line_bytes) {
            reader.read(&mut &text[..]);
        } else {
            // Several members, a size over the line limit, or a damaged stream: streamed, so
            // memory stays bounded by the line limit and a truncation is reported where it is.
            let decoder = flate2::bufread::MultiGzDecoder::new(&compressed[..]);
            reader.read(&mut BufReader::with_capacity(1 << 16, decoder));
        }
    } else if gzipped {
        let decoder = flate2::bufread::MultiGzDecoder::new(raw);
        reader.read(&mut BufReader::with_capacity(1 << 16, decoder));
    } else {
        reader.read(&mut raw);
    }
    summary
}

/// [`read_file_with`] for a file already in memory (an S3 object): `display` names it (its name
/// decides whether it is a digest file); gzip is recognised by its magic bytes.
pub fn read_bytes_with(
    bytes: &[u8],
    display: &Arc<str>,
    limits: &Limits,
    buffers: &mut Buffers,
    sink: &mut dyn FnMut(Record<'_>),
    diagnostics: &mut Vec<Diagnostic>,
) -> FileSummary {
    let mut summary = FileSummary::default();
    let name = display.rsplit('/').next().unwrap_or(display);
    if name.contains("CloudTrail-Digest") {
        summary.digest = true;
        return summary;
    }
    let Buffers {
        text,
        line,
        inflater,
        ..
    } = buffers;
    let mut reader = Reader {
        display,
        limits,
        sink,
        diagnostics,
        summary: &mut summary,
        line: 1,
        line_buf: line,
    };
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        reader.read(&mut &bytes[..]);
    } else if bytes.len() as u64 <= WHOLE_FILE_BYTES
        && inflate_whole(
            inflater.get_or_insert_with(libdeflater::Decompressor::new),
            bytes,
            text,
            limits.max_line_bytes,
        )
    {
        reader.read(&mut &text[..]);
    } else {
        let decoder = flate2::bufread::MultiGzDecoder::new(bytes);
        reader.read(&mut BufReader::with_capacity(1 << 16, decoder));
    }
    summary
}

/// Reads records from an in-memory text (tests, examples).
pub fn read_str(
    text: &str,
    display: &Arc<str>,
    limits: &Limits,
    sink: &mut dyn FnMut(Record<'_>),
    diagnostics: &mut Vec<Diagnostic>,
) -> FileSummary {
    let mut summary = FileSummary::default();
    let mut line_buf = Vec::new();
    Reader {
        display,
        limits,
        sink,
        diagnostics,
        summary: &mut summary,
        line: 1,
        line_buf: &mut line_buf,
    }
    .read(&mut text.as_bytes());
    summary
}

struct Reader<'r> {
    display: &'r Arc<str>,
    limits: &'r Limits,
    sink: &'r mut dyn FnMut(Record<'_>),
    diagnostics: &'r mut Vec<Diagnostic>,
    summary: &'r mut FileSummary,
    /// The 1-based line the next read starts at.
    line: u64,
    line_buf: &'r mut Vec<u8>,
}

/// A wrapper or digest object, read without copying the records.
#[derive(Deserialize)]
struct Wrapper<'a> {
    #[serde(rename = "Records", borrow)]
    records: Option<Vec<&'a RawValue>>,
    #[serde(rename = "digestStartTime")]
    digest_start_time: Option<serde::de::IgnoredAny>,
}

impl Reader<'_> {
    fn error(&mut self, line: u64, column: u64, message: String) {
        self.diagnostics.push(Diagnostic::at(
            Level::Error,
            self.display.clone(),
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
            message,
        ));
    }

    fn io_error(&mut self, e: &io::Error) {
        let message = if e.kind() == io::ErrorKind::UnexpectedEof {
            "the file ends early (a truncated gzip stream?): records after this point are missing"
                .to_string()
        } else {
            format!("read error: {e}: records after this point are missing")
        };
        let line = self.line;
        self.error(line, 0, message);
        self.summary.incomplete = true;
    }

    fn read(&mut self, input: &mut dyn BufRead) {
        let mut line_buf = std::mem::take(self.line_buf);
        self.read_lines(input, &mut line_buf);
        *self.line_buf = line_buf;
    }

    fn read_lines(&mut self, input: &mut dyn BufRead, line_buf: &mut Vec<u8>) {
        self.read_lines_from(input, line_buf, true);
    }

    /// Reads records line by line; with `document_allowed`, a first line that is only the start
    /// of a JSON document makes the rest of the input one document.
    fn read_lines_from(
        &mut self,
        input: &mut dyn BufRead,
        line_buf: &mut Vec<u8>,
        document_allowed: bool,
    ) {
        let mut first = document_allowed;
        loop {
            let start_line = self.line;
            let outcome = read_line(input, line_buf, self.limits.max_line_bytes);
            let (complete, skipped) = match outcome {
                Ok(LineRead::Eof) => return,
                Ok(LineRead::Line) => (true, 0),
                Ok(LineRead::TooLong(total)) => (false, total),
                Err(e) => {
                    self.io_error(&e);
                    return;
                }
            };
            self.line += 1;
            self.summary.bytes += line_buf.len() as u64 + skipped;
            if !complete {
                self.error(
                    start_line,
                    0,
                    format!(
                        "line is {} bytes, over the {} MiB limit for one record: skipped",
                        skipped,
                        self.limits.max_line_bytes >> 20
                    ),
                );
                continue;
            }
            let text = match std::str::from_utf8(line_buf) {
                Ok(t) => t,
                Err(e) => {
                    self.error(
                        start_line,
                        e.valid_up_to() as u64 + 1,
                        "not UTF-8: line skipped".into(),
                    );
                    continue;
                }
            };
            // A byte-order mark is not part of the JSON text (RFC 8259 lets readers ignore it).
            let trimmed = text.trim().trim_start_matches('\u{feff}');
            if trimmed.is_empty() {
                continue;
            }
            if first {
                first = false;
                // A document that spans lines (a pretty-printed array or Records object) does not
                // parse on its first line alone: read the rest and parse it whole.
                if self.document(trimmed, start_line, true, true) {
                    let mut doc = std::mem::take(line_buf);
                    doc.push(b'\n');
                    let limit = self.limits.max_document_bytes;
                    let budget = limit.saturating_sub(doc.len()) as u64 + 1;
                    if let Err(e) = input.take(budget).read_to_end(&mut doc) {
                        self.io_error(&e);
                        // Whatever arrived is parsed below and reports where it breaks.
                    }
                    self.summary.bytes = doc.len() as u64;
                    if doc.len() > limit {
                        self.error(
                            start_line,
                            0,
                            format!("document is over the {} MiB limit: skipped", limit >> 20),
                        );
                        self.summary.incomplete = true;
                        return;
                    }
                    match std::str::from_utf8(&doc) {
                        Ok(text) if serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() => {
                            self.document(text.trim(), start_line, false, false);
                        }
                        Ok(_) => {
                            // Not one document after all: a broken first record of NDJSON. Lose
                            // that line, not the file.
                            let first_len = memchr::memchr(b'\n', &doc).unwrap_or(doc.len());
                            self.error(
                                start_line,
                                0,
                                "not valid JSON (the record ends early): line skipped".into(),
                            );
                            self.line = start_line + 1;
                            let rest = doc.get(first_len + 1..).unwrap_or_default();
                            let mut buf = Vec::new();
                            self.read_lines_from(&mut &rest[..], &mut buf, false);
                        }
                        Err(e) => {
                            let line = start_line
                                + memchr::memchr_iter(b'\n', &doc[..e.valid_up_to()]).count()
                                    as u64;
                            self.error(line, 0, "not UTF-8: file skipped".into());
                        }
                    }
                    return;
                }
                continue;
            }
            self.document(trimmed, start_line, false, true);
        }
    }

    /// One complete JSON text: a record, a `Records` wrapper, an array of records, or a digest.
    /// With `may_continue`, a text that ends early is not an error: the return value says the
    /// caller should read on and try again with more (nothing was handed on). With `one_line`,
    /// the text is one line: every record in it is on `line`, and counting the line breaks before
    /// each record (a pass over the whole text) is skipped.
    fn document(&mut self, text: &str, line: u64, may_continue: bool, one_line: bool) -> bool {
        let base = text.as_ptr() as usize;
        let mut lines = LineCounter {
            text: if one_line { "" } else { text },
            offset: 0,
            line,
        };
        match text.as_bytes().first() {
            Some(b'[') => match serde_json::from_str::<Vec<&RawValue>>(text) {
                Ok(records) => self.records(&records, base, &mut lines),
                Err(e) if may_continue && e.is_eof() => return true,
                Err(e) => self.json_error(&e, line),
            },
            Some(b'{') => {
                // Records carry no `Records` or `digestStartTime` key; only wrappers and digests do.
                let looks_wrapped =
                    text.contains("\"Records\"") || text.contains("\"digestStartTime\"");
                if looks_wrapped && self.delivery_records(text, &mut lines) {
                    return false;
                }
                if looks_wrapped {
                    match serde_json::from_str::<Wrapper>(text) {
                        Ok(Wrapper {
                            records: Some(records),
                            ..
                        }) => {
                            self.records(&records, base, &mut lines);
                            return false;
                        }
                        Ok(Wrapper {
                            digest_start_time: Some(_),
                            ..
                        }) => {
                            self.summary.digest = true;
                            return false;
                        }
                        Ok(_) => {}
                        Err(e) if may_continue && e.is_eof() => return true,
                        Err(e) => {
                            self.json_error(&e, line);
                            return false;
                        }
                    }
                }
                match serde_json::from_str::<&RawValue>(text) {
                    Ok(record) => {
                        self.summary.records += 1;
                        (self.sink)(Record {
                            file: self.display,
                            position: Position { line, index: 0 },
                            json: record.get(),
                            header: None,
                        });
                    }
                    Err(e) if may_continue && e.is_eof() => return true,
                    Err(e) => self.json_error(&e, line),
                }
            }
            _ => self.error(
                line,
                1,
                "not JSON: a CloudTrail file holds JSON objects".into(),
            ),
        }
        false
    }

    /// Reads the delivery-file form, `{"Records":[...]}`, in one pass: each record's header is
    /// deserialized while its end is found, where the general path scans the array for the record
    /// texts and the engine then scans each text again for its header (together a third of the CPU
    /// time). Returns false, having handed nothing on, when the text is not exactly that form or a
    /// record's header does not read: the general path then reads the document and says what is
    /// wrong, so both paths hand on the same records and report the same problems.
    fn delivery_records(&mut self, text: &str, lines: &mut LineCounter<'_>) -> bool {
        let bytes = text.as_bytes();
        let mut at = skip_space(bytes, 1);
        let Some(rest) = bytes.get(at..) else {
            return false;
        };
        if !rest.starts_with(b"\"Records\"") {
            return false;
        }
        at = skip_space(bytes, at + b"\"Records\"".len());
        if bytes.get(at) != Some(&b':') {
            return false;
        }
        at = skip_space(bytes, at + 1);
        if bytes.get(at) != Some(&b'[') {
            return false;
        }
        at = skip_space(bytes, at + 1);
        // Held until the whole document has read: a document that breaks half-way is skipped
        // whole, as the general path does.
        let mut found: Vec<(usize, &str, Header<'_>)> = Vec::new();
        if bytes.get(at) == Some(&b']') {
            at += 1;
        } else {
            loop {
                let Some(rest) = text.get(at..) else {
                    return false;
                };
                let mut stream =
                    serde_json::Deserializer::from_str(rest).into_iter::<CheckedHeader>();
                let Some(Ok(CheckedHeader(header))) = stream.next() else {
                    return false;
                };
                let end = at + stream.byte_offset();
                let Some(json) = text.get(at..end) else {
                    return false;
                };
                found.push((at, json, header));
                at = skip_space(bytes, end);
                match bytes.get(at) {
                    Some(b',') => at = skip_space(bytes, at + 1),
                    Some(b']') => {
                        at += 1;
                        break;
                    }
                    _ => return false,
                }
            }
        }
        at = skip_space(bytes, at);
        if bytes.get(at) != Some(&b'}') || skip_space(bytes, at + 1) != bytes.len() {
            return false;
        }
        for (index, (start, json, header)) in found.iter().enumerate() {
            self.emit(index, lines.line_at(*start), json, Some(header));
        }
        true
    }

    fn records(&mut self, records: &[&RawValue], base: usize, lines: &mut LineCounter<'_>) {
        for (index, record) in records.iter().enumerate() {
            let json = record.get();
            self.emit(
                index,
                lines.line_at(json.as_ptr() as usize - base),
                json,
                None,
            );
        }
    }

    /// Hands record `index` of the document (at `line`) to the sink and counts it.
    fn emit(&mut self, index: usize, line: u64, json: &str, header: Option<&Header<'_>>) {
        self.summary.records += 1;
        (self.sink)(Record {
            file: self.display,
            position: Position {
                line,
                index: index as u64,
            },
            json,
            header,
        });
    }

    fn json_error(&mut self, e: &serde_json::Error, first_line: u64) {
        let line = first_line + e.line().saturating_sub(1) as u64;
        let column = e.column() as u64;
        let what = if e.is_eof() {
            "the JSON ends early (a truncated file?)".to_string()
        } else {
            format!("not valid JSON: {e}")
        };
        self.error(
            line,
            column,
            format!("{what}: the records of this document are skipped"),
        );
    }
}

/// The index of the first byte at or after `at` that is not JSON whitespace.
fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(at) {
        at += 1;
    }
    at
}

/// Counts lines up to increasing byte offsets of one text, without rescanning.
struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: u64,
}

impl LineCounter<'_> {
    fn line_at(&mut self, offset: usize) -> u64 {
        if offset > self.offset && offset <= self.text.len() {
            self.line += memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.offset..offset])
                .count() as u64;
            self.offset = offset;
        }
        self.line
    }
}

enum LineRead {
    Eof,
    Line,
    /// The line was longer than the limit; it was consumed, and this many bytes were dropped.
    TooLong(u64),
}

/// Reads one line (without its newline) into `buf`, keeping at most `limit` bytes: a longer line is
/// consumed and dropped, so a 2 GB line costs time, not memory.
fn read_line(input: &mut dyn BufRead, buf: &mut Vec<u8>, limit: usize) -> io::Result<LineRead> {
    buf.clear();
    let mut dropped: u64 = 0;
    let mut any = false;
    loop {
        let available = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        any = true;
        let (chunk, done) = match memchr::memchr(b'\n', available) {
            Some(at) => (&available[..at], Some(at + 1)),
            None => (available, None),
        };
        if dropped == 0 && buf.len() + chunk.len() <= limit {
            buf.extend_from_slice(chunk);
        } else {
            dropped += (buf.len() + chunk.len()) as u64;
            buf.clear();
        }
        let used = done.unwrap_or(available.len());
        input.consume(used);
        if done.is_some() {
            break;
        }
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(match (any, dropped) {
        (false, _) => LineRead::Eof,
        (true, 0) => LineRead::Line,
        (true, n) => LineRead::TooLong(n),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(
        text: &str,
        limits: &Limits,
    ) -> (Vec<(Position, String)>, Vec<Diagnostic>, FileSummary) {
        let display: Arc<str> = Arc::from("f.json");
        let mut out = Vec::new();
        let mut diags = Vec::new();
        let summary = read_str(
            text,
            &display,
            limits,
            &mut |r| out.push((r.position, r.json.to_string())),
            &mut diags,
        );
        (out, diags, summary)
    }

    #[test]
    fn delivery_ndjson_array_and_pretty_forms() {
        let limits = Limits::default();
        let (recs, diags, _) = collect(
            r#"{"Records":[{"eventName":"A"},{"eventName":"B"}]}"#,
            &limits,
        );
        assert!(diags.is_empty());
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[1].0, Position { line: 1, index: 1 });

        let (recs, _, _) = collect(
            "{\"eventName\":\"A\"}\n\n{\"eventName\":\"B\"}\r\n",
            &limits,
        );
        assert_eq!(recs.iter().map(|r| r.0.line).collect::<Vec<_>>(), [1, 3]);

        let (recs, diags, _) = collect(
            "[\n  {\"eventName\": \"A\"},\n  {\n    \"eventName\": \"B\"\n  }\n]\n",
            &limits,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(recs.iter().map(|r| r.0.line).collect::<Vec<_>>(), [2, 3]);

        let (recs, _, _) = collect(
            "{\n \"Records\": [\n  {\"eventName\": \"A\"}\n ]\n}",
            &limits,
        );
        assert_eq!(recs.len(), 1);
        assert_eq!(recs[0].0.line, 3);
    }

    #[test]
    fn delivery_files_are_read_in_one_pass_or_else_as_before() {
        let display: Arc<str> = Arc::from("f.json");
        let read = |text: &str| {
            let mut out = Vec::new();
            let mut diags = Vec::new();
            read_str(
                text,
                &display,
                &Limits::default(),
                &mut |r| {
                    let name = r
                        .header
                        .and_then(|h| h.event_name.as_deref().map(String::from));
                    out.push((r.position, r.json.to_string(), name));
                },
                &mut diags,
            );
            (out, diags)
        };
        let (recs, diags) = read(r#"{ "Records" : [ {"eventName":"A"} ,{"eventName":"B"}] } "#);
        assert!(diags.is_empty());
        assert_eq!(recs[0].1, r#"{"eventName":"A"}"#);
        assert_eq!(recs[1].2.as_deref(), Some("B"));
        assert_eq!(recs[1].0, Position { line: 1, index: 1 });
        // A record that is no object: every record is handed on without a header, for the engine
        // to report the odd one.
        let (recs, _) = read(r#"{"Records":[{"eventName":"A"},5]}"#);
        assert_eq!(recs.len(), 2);
        assert!(recs.iter().all(|r| r.2.is_none()));
        // A document that breaks half-way hands nothing on.
        let (recs, diags) = read(r#"{"Records":[{"eventName":"A"},{"eventName":]}"#);
        assert!(recs.is_empty());
        assert_eq!(diags.len(), 1);
        let (recs, _) = read(r#"{"Records":[],"digestStartTime":null}"#);
        assert!(recs.is_empty());
    }

    #[test]
    fn digests_are_skipped() {
        let (recs, _, summary) = collect(
            r#"{"digestStartTime":"2026-01-01T00:00:00Z","logFiles":[]}"#,
            &Limits::default(),
        );
        assert!(recs.is_empty());
        assert!(summary.digest);
    }

    #[test]
    fn a_bad_line_is_reported_and_the_rest_is_read() {
        let (recs, diags, _) = collect(
            "{\"eventName\":\"A\"}\n{\"eventName\":\n{\"eventName\":\"C\"}\n",
            &Limits::default(),
        );
        assert_eq!(recs.len(), 2);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].line, 2);
    }

    #[test]
    fn an_overlong_line_is_dropped_not_kept() {
        let long = format!("{{\"eventName\":\"{}\"}}", "x".repeat(5000));
        let text = format!("{{\"eventName\":\"A\"}}\n{long}\n{{\"eventName\":\"C\"}}\n");
        let limits = Limits {
            max_line_bytes: 1024,
            max_document_bytes: 1 << 20,
        };
        let (recs, diags, _) = collect(&text, &limits);
        assert_eq!(recs.len(), 2);
        assert_eq!(diags[0].line, 2);
        assert!(diags[0].message.contains("limit"), "{}", diags[0].message);
    }

    #[test]
    fn not_json_is_an_error() {
        let (recs, diags, _) = collect("hello\n", &Limits::default());
        assert!(recs.is_empty());
        assert!(diags[0].message.contains("not JSON"));
    }
}
