//! File readers: plain text and logs, CSV/TSV, JSON/NDJSON, each optionally gzip-compressed,
//! streamed so memory stays bounded whatever the file size. Zip archives, xlsx and docx are opened
//! by `archive`, which hands each member back to [`scan_stream`].

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;

use deadbolt_model::{Diagnostic, Level};
use serde::Serialize;

use crate::detector::{Category, Confidence, Label};
use crate::engine::{Engine, Match};

mod json;

/// How a file is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Lines of text (logs, source, configuration).
    Text,
    /// Comma-separated values; the header row names each column's values.
    Csv,
    /// Tab-separated values; the header row names each column's values.
    Tsv,
    /// One JSON document; key paths name the values under them.
    Json,
    /// One JSON document per line.
    Ndjson,
    /// A zip archive: each member is scanned by the reader its name and content select and
    /// reported as an entry named `archive.zip!path/in/archive`.
    Zip,
    /// An Excel workbook (Office Open XML): one entry per sheet, `book.xlsx!Sheet1`, the first row
    /// naming each column's values.
    Xlsx,
    /// A Word document (Office Open XML): the text of `word/document.xml`, a paragraph per line.
    Docx,
    /// An Apache Parquet file (feature `parquet`): each row a line, each value with its column
    /// path as context. Without the feature it is skipped, with a warning.
    Parquet,
    /// None of the above (NUL bytes or a known binary signature): skipped and counted.
    Binary,
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Text => "text",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Zip => "zip",
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
            Format::Parquet => "parquet",
            Format::Binary => "binary",
        })
    }
}

/// What a scan looks for and how much it keeps.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Findings below this confidence are dropped.
    pub min_confidence: Confidence,
    /// Masked samples kept per identifier type per file.
    pub samples: usize,
    /// The longest run of bytes handed to the engine at once (bytes): longer lines are scanned in
    /// windows of this size overlapping by [`Options::overlap`]. It is also the reader's
    /// line buffer, so it bounds memory per file.
    pub chunk: usize,
    /// Bytes a window shares with the next, so a value across a window edge is still whole in one
    /// of them. Values longer than this that cross an edge are cut.
    pub overlap: usize,
    /// Largest JSON document (bytes, after decompression) parsed as JSON; larger ones are scanned
    /// as text, because a parsed document lives in memory whole.
    pub json_max: usize,
    /// Whole lines of plain text are gathered into blocks of about this many bytes, and each
    /// block is handed to the engine at once ([`Engine::scan_lines`]): one pass over a block costs
    /// far less than one per line. The findings are those of the lines one by one.
    pub block: usize,
    /// Caps on decompression (gzip, zip and the Office containers), against bombs.
    pub limits: Limits,
}

/// Caps on what compressed input may expand to. A stream that passes one is a **bomb**: what was
/// read within the cap is scanned, the rest is not expanded, and a diagnostic names the file.
/// Memory does not grow with these numbers (streams are scanned in windows); they bound time,
/// and what a nested archive or an Office part held whole may cost.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest ratio of decompressed to compressed bytes, checked once a stream or entry is past
    /// [`Limits::ratio_grace`]: for gzip on the bytes read so far, for a zip entry on its declared
    /// sizes, which reading then holds it to.
    pub max_ratio: u64,
    /// Decompressed bytes (per gzip stream or zip entry) below which the ratio is not checked, so
    /// small, very repetitive files are read whole.
    pub ratio_grace: u64,
    /// Decompressed bytes one file may expand to in all (a gzip stream, or all the entries of an
    /// archive and of the archives nested in it together).
    pub max_expanded: u64,
    /// Entries of one archive that are scanned; past it the archive is reported and the rest is
    /// not read.
    pub max_entries: usize,
    /// Largest archive or Parquet file inside an archive (bytes, decompressed): it is held in
    /// memory to be opened, since its reader seeks. One level only: an archive in a nested
    /// archive is reported, not opened.
    pub max_nested: u64,
    /// Largest part of an Office document read whole or as one XML stream (bytes, decompressed):
    /// a workbook's shared strings, styles and workbook parts, which calamine keeps in memory, and
    /// a document's `word/document.xml`, of which only this much is read.
    pub max_part: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_ratio: 100,
            ratio_grace: 16 * 1024 * 1024,
            max_expanded: 4 * 1024 * 1024 * 1024,
            max_entries: 10_000,
            max_nested: 64 * 1024 * 1024,
            max_part: 64 * 1024 * 1024,
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_confidence: Confidence::Low,
            samples: 3,
            chunk: 64 * 1024,
            overlap: 1024,
            json_max: 32 * 1024 * 1024,
            block: 1024 * 1024,
            limits: Limits::default(),
        }
    }
}

/// One masked sample of an identifier type in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sample {
    /// 1-based line (for CSV, the line the record starts on; for a spreadsheet, the row; for a
    /// Word document, the paragraph).
    pub line: u64,
    /// Byte offset of the value in the (decompressed) file; for a CSV field holding a doubled
    /// quote (`""`) or text after its closing quote (`"O"Brien`), of the field's text (it is
    /// read as an unquoted copy); for JSON strings with escapes, of the string; for a Word document, in its text with a paragraph per
    /// line; for a spreadsheet cell, its 0-based column.
    pub offset: u64,
    /// The finding's confidence.
    pub confidence: Confidence,
    /// The value, masked by its detector's style.
    pub masked: String,
    /// The CSV column header or JSON key path the value was under, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The findings of one detector in one file.
#[derive(Clone, Debug, Serialize)]
pub struct TypeSummary {
    /// Detector ID.
    pub detector: String,
    /// Detector name.
    pub name: String,
    /// Its category.
    pub category: Category,
    /// Its label.
    pub label: Label,
    /// How many findings.
    pub count: u64,
    /// The highest confidence among them.
    pub highest: Confidence,
    /// The first few, masked.
    pub samples: Vec<Sample>,
}

/// What was found in one file.
#[derive(Clone, Debug, Serialize)]
pub struct FileReport {
    /// The file as the user named it; an archive member or a sheet is `archive.zip!member` or
    /// `book.xlsx!Sheet1`.
    pub file: String,
    /// How it was read.
    pub format: Format,
    /// Whether it was gzip-compressed.
    pub gzip: bool,
    /// Bytes scanned (after decompression; for an archive, of all its entries; for a sheet, of its
    /// cells' text).
    pub bytes: u64,
    /// The most sensitive label among the findings; public when none.
    pub label: Label,
    /// Findings per identifier type, in detector order.
    pub types: Vec<TypeSummary>,
    /// Problems that did not stop the scan (invalid UTF-8, a CSV record over the cap, a bomb, an
    /// encrypted or corrupt archive member).
    pub diagnostics: Vec<Diagnostic>,
    /// The members of an archive or the sheets of a workbook, each a report of its own (an
    /// archive's own `types` stay empty; its `label` is the most sensitive of its entries').
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<FileReport>,
    /// The largest chunk of text the engine scans as one text (bytes): a line, a window of a long
    /// line, a field or a JSON document. With the block of lines ([`Options::block`]) it bounds
    /// the reader's memory.
    #[serde(skip)]
    pub largest_chunk: usize,
}

/// Scans one file. `display` is the name reports carry.
///
/// A zip archive (and an xlsx or docx, by extension) comes back as one report whose
/// [`FileReport::entries`] are its members or sheets.
///
/// # Errors
/// A [`Diagnostic`] when the file cannot be opened or read (not a regular file, no permission, a
/// corrupt gzip stream, a zip archive whose directory cannot be read). A binary file is not an
/// error: its report has [`Format::Binary`].
pub fn scan_file(
    engine: &Engine,
    path: &Path,
    display: &str,
    options: &Options,
) -> Result<FileReport, Diagnostic> {
    let name: Arc<str> = display.into();
    let fail = |e: io::Error| {
        Diagnostic::whole_file(Level::Error, name.clone(), format!("cannot read: {e}"))
    };
    let meta = std::fs::metadata(path).map_err(fail)?;
    if !meta.is_file() {
        return Err(Diagnostic::whole_file(
            Level::Error,
            name.clone(),
            "not a regular file (a directory, FIFO or device); skipped",
        ));
    }
    let mut head = Vec::with_capacity(4);
    File::open(path)
        .and_then(|f| f.take(4).read_to_end(&mut head))
        .map_err(fail)?;
    if crate::archive::is_zip(&head) {
        let file = File::open(path).map_err(fail)?;
        return crate::archive::scan_container(engine, options, display, file, 0);
    }
    if head.starts_with(PARQUET_MAGIC) {
        #[cfg(feature = "parquet")]
        {
            let file = File::open(path).map_err(fail)?;
            return crate::parquet::scan_parquet(engine, options, display, file);
        }
        #[cfg(not(feature = "parquet"))]
        return Ok(parquet_not_built(display));
    }
    let gzip = head.starts_with(&GZIP_MAGIC);
    let trip = Trip::default();
    let mut source = FileSource {
        path,
        gzip,
        limits: options.limits,
        trip: trip.clone(),
    };
    scan_capped(engine, options, display, gzip, &mut source, &trip).map_err(fail)
}

/// Scans a stream that is not an archive and adds the caps its decompression hit (`trip`) to
/// the report.
fn scan_capped(
    engine: &Engine,
    options: &Options,
    display: &str,
    gzip: bool,
    source: &mut dyn Reopen,
    trip: &Trip,
) -> io::Result<FileReport> {
    let mut report = scan_stream(
        engine,
        options,
        display,
        extension(display, gzip),
        gzip,
        None,
        source,
    )?;
    trip.report(&mut report);
    Ok(report)
}

/// Scans one file already in memory (an S3 object), as [`scan_file`] scans one on disk: zip
/// archives (xlsx, docx) by their members, gzip by its magic bytes, the rest by `display`'s
/// extension and content.
///
/// # Errors
/// A [`Diagnostic`] when the bytes cannot be read as what they claim to be (a corrupt gzip
/// stream, a zip archive whose directory cannot be read).
pub fn scan_bytes(
    engine: &Engine,
    bytes: &[u8],
    display: &str,
    options: &Options,
) -> Result<FileReport, Diagnostic> {
    let name: Arc<str> = display.into();
    let fail = |e: io::Error| {
        Diagnostic::whole_file(Level::Error, name.clone(), format!("cannot read: {e}"))
    };
    if crate::archive::is_zip(bytes) {
        return crate::archive::scan_container(engine, options, display, io::Cursor::new(bytes), 0);
    }
    if bytes.starts_with(PARQUET_MAGIC) {
        #[cfg(feature = "parquet")]
        return crate::parquet::scan_parquet(
            engine,
            options,
            display,
            bytes::Bytes::copy_from_slice(bytes),
        );
        #[cfg(not(feature = "parquet"))]
        return Ok(parquet_not_built(display));
    }
    let gzip = bytes.starts_with(&GZIP_MAGIC);
    let trip = Trip::default();
    let mut source = BytesSource {
        bytes,
        gzip,
        limits: options.limits,
        trip: trip.clone(),
    };
    scan_capped(engine, options, display, gzip, &mut source, &trip).map_err(fail)
}

/// The first bytes of an Apache Parquet file.
pub(crate) const PARQUET_MAGIC: &[u8; 4] = b"PAR1";

/// The report of a Parquet file in a build without the `parquet` feature: skipped, and a warning
/// that says so, so a data lake does not read as clean.
#[cfg(not(feature = "parquet"))]
pub(crate) fn parquet_not_built(display: &str) -> FileReport {
    FileReport {
        file: display.to_string(),
        format: Format::Parquet,
        gzip: false,
        bytes: 0,
        label: Label::Public,
        types: Vec::new(),
        diagnostics: vec![Diagnostic::whole_file(
            Level::Warning,
            display,
            "a Parquet file; this build does not read Parquet (build deadbolt with \
             `--features parquet`), so it was not scanned",
        )],
        entries: Vec::new(),
        largest_chunk: 0,
    }
}

/// A file held in memory, through a capped gzip decoder when it is compressed.
struct BytesSource<'b> {
    bytes: &'b [u8],
    gzip: bool,
    limits: Limits,
    trip: Trip,
}

impl Reopen for BytesSource<'_> {
    fn open(&mut self) -> io::Result<Box<dyn BufRead + '_>> {
        Ok(if self.gzip {
            gunzip(
                Box::new(self.bytes),
                self.limits.max_expanded,
                &self.limits,
                self.trip.clone(),
            )
        } else {
            Box::new(self.bytes)
        })
    }
}

/// The first bytes of a gzip stream.
pub(crate) const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The lower-case extension of `name`, past a `.gz` when the content is gzip.
pub(crate) fn extension(name: &str, gzip: bool) -> String {
    let stem = if gzip {
        name.strip_suffix(".gz").unwrap_or(name)
    } else {
        name
    };
    Path::new(stem)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default()
}

/// A stream that can be read again from its start: a structured reader that gives up (a CSV
/// record over the cap, JSON that is not JSON) leaves the stream to be read again as text.
pub(crate) trait Reopen {
    /// The stream's bytes from the start, decompressed and capped.
    fn open(&mut self) -> io::Result<Box<dyn BufRead + '_>>;
}

/// A file on disk, through a capped gzip decoder when it is compressed.
struct FileSource<'p> {
    path: &'p Path,
    gzip: bool,
    limits: Limits,
    trip: Trip,
}

impl Reopen for FileSource<'_> {
    fn open(&mut self) -> io::Result<Box<dyn BufRead + '_>> {
        let file = File::open(self.path)?;
        Ok(if self.gzip {
            gunzip(
                Box::new(file),
                self.limits.max_expanded,
                &self.limits,
                self.trip.clone(),
            )
        } else {
            Box::new(BufReader::new(file))
        })
    }
}

/// A gzip decoder over `raw` (all members of a multi-member stream), capped at `hard` output
/// bytes and, past the grace, at [`Limits::max_ratio`] times the compressed bytes read so far:
/// a bomb stops early, with `trip` saying why.
pub(crate) fn gunzip<'a>(
    raw: Box<dyn Read + 'a>,
    hard: u64,
    limits: &Limits,
    trip: Trip,
) -> Box<dyn BufRead + 'a> {
    let compressed = Counter::new(raw);
    let read = compressed.count.clone();
    let decoder = flate2::read::MultiGzDecoder::new(compressed);
    Box::new(BufReader::new(Capped {
        inner: decoder,
        out: 0,
        hard,
        hard_why: format!("gzip expands past the cap of {} bytes", hard),
        ratio: Some((limits.max_ratio, limits.ratio_grace, read)),
        stopped: false,
        trip,
    }))
}

/// Why a capped stream stopped early, shared between the reader that stops and the scan that
/// reports it. The first reason is kept.
#[derive(Clone, Default)]
pub(crate) struct Trip(Rc<RefCell<Option<String>>>);

impl Trip {
    pub(crate) fn set(&self, why: String) {
        let mut slot = self.0.borrow_mut();
        if slot.is_none() {
            *slot = Some(why);
        }
    }

    pub(crate) fn get(&self) -> Option<String> {
        self.0.borrow().clone()
    }

    /// Adds the bomb diagnostic to `report` if a cap was passed.
    pub(crate) fn report(&self, report: &mut FileReport) {
        if let Some(why) = self.get() {
            report.diagnostics.push(bomb(
                &report.file,
                &format!(
                    "{why}; the first {} bytes were scanned, the rest was not expanded",
                    report.bytes
                ),
            ));
        }
    }
}

/// The diagnostic of a decompression bomb in `file`.
pub(crate) fn bomb(file: &str, why: &str) -> Diagnostic {
    Diagnostic::whole_file(Level::Error, file, format!("decompression bomb: {why}"))
}

/// A decompressed stream that ends (and records why in its [`Trip`]) once it passes `hard` bytes,
/// or, past a grace, a ratio to the compressed bytes read so far. Ending rather than failing lets
/// the readers above keep what they found within the cap.
pub(crate) struct Capped<R> {
    pub(crate) inner: R,
    pub(crate) out: u64,
    pub(crate) hard: u64,
    pub(crate) hard_why: String,
    /// (largest ratio, grace in bytes, compressed bytes read so far).
    pub(crate) ratio: Option<(u64, u64, Rc<Cell<u64>>)>,
    pub(crate) stopped: bool,
    pub(crate) trip: Trip,
}

impl<R: Read> Capped<R> {
    /// `inner` capped at `hard` bytes, `why` saying what passing it means.
    pub(crate) fn new(inner: R, hard: u64, why: String, trip: Trip) -> Self {
        Capped {
            inner,
            out: 0,
            hard,
            hard_why: why,
            ratio: None,
            stopped: false,
            trip,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stopped || buf.is_empty() {
            return Ok(0);
        }
        let room = self.hard.saturating_sub(self.out);
        if room == 0 {
            // At the cap: one more byte means the stream goes past it. The zip crate answers an
            // entry read past its declared size with an error, which says the same; any other
            // error (a bad checksum at the end) is the stream's own.
            let mut probe = [0u8; 1];
            match self.inner.read(&mut probe) {
                Ok(0) => {}
                Err(e) if !e.to_string().contains("larger than its declared") => return Err(e),
                _ => {
                    self.stopped = true;
                    self.trip.set(self.hard_why.clone());
                }
            }
            return Ok(0);
        }
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.out += n as u64;
        if let Some((ratio, grace, compressed)) = &self.ratio
            && self.out > *grace
            && self.out > ratio.saturating_mul(compressed.get())
        {
            // What was just read is passed on; nothing more will be.
            self.stopped = true;
            self.trip.set(format!(
                "expands more than {ratio} times ({} bytes from {} compressed)",
                self.out,
                compressed.get()
            ));
        }
        Ok(n)
    }
}

/// The format a stream's extension selects.
fn by_extension(ext: &str) -> Format {
    match ext {
        "csv" => Format::Csv,
        "tsv" | "tab" => Format::Tsv,
        "json" => Format::Json,
        "ndjson" | "jsonl" => Format::Ndjson,
        _ => Format::Text,
    }
}

/// Scans one stream (a file, or an archive member) named `display`: the reader is chosen by
/// `ext` unless `as_text` says the stream is the text of a document of that format; a binary
/// stream is skipped. `gzip` is reported as given.
pub(crate) fn scan_stream(
    engine: &Engine,
    options: &Options,
    display: &str,
    ext: String,
    gzip: bool,
    as_text: Option<Format>,
    source: &mut dyn Reopen,
) -> io::Result<FileReport> {
    let name: Arc<str> = display.into();
    let mut scan = Scan::new(engine, options, name.clone());
    let (format, result, bytes) = {
        let mut input = source.open()?;
        let format = match as_text {
            Some(f) => f,
            None if is_binary(input.fill_buf()?) => {
                if is_encrypted_office(input.fill_buf()?, &ext) {
                    scan.diagnostics.push(Diagnostic::whole_file(
                        Level::Warning,
                        name.clone(),
                        "a password-protected Office document (an encrypted OLE container): \
                         its content cannot be read without the password; not scanned",
                    ));
                }
                Format::Binary
            }
            None => by_extension(&ext),
        };
        let counted = Counter::new(input);
        let bytes = counted.count.clone();
        let mut input = BufReader::new(counted);
        let result = match format {
            Format::Binary => Ok(()),
            Format::Ndjson => scan.text(&mut input, true),
            Format::Tsv => scan.csv(input, b'\t'),
            Format::Csv => match input.fill_buf() {
                Ok(head) => {
                    let delimiter = csv_delimiter(head);
                    scan.csv(input, delimiter)
                }
                Err(e) => Err(e),
            },
            Format::Json => scan.json(&mut input),
            Format::Text | Format::Zip | Format::Xlsx | Format::Docx | Format::Parquet => {
                scan.text(&mut input, false)
            }
        };
        (format, result, bytes)
    };
    let mut bytes = bytes.get();
    let mut result = result;
    if let Err(why) = &result
        && matches!(format, Format::Csv | Format::Tsv | Format::Json)
        && (why.kind() == io::ErrorKind::InvalidData || format == Format::Json)
    {
        // The structured reader gave up (a CSV record over the cap, JSON too large or not JSON,
        // or cut short, which leaves a JSON document unparsed): read the file again as plain
        // text, which has no such limits, so nothing goes unscanned.
        scan.reset();
        let message = if why.kind() == io::ErrorKind::InvalidData {
            format!("{why}; scanned as plain text")
        } else {
            format!(
                "the JSON document is cut short ({why}): what was read is scanned as plain text"
            )
        };
        scan.diagnostics.push(Diagnostic::whole_file(
            Level::Warning,
            name.clone(),
            message,
        ));
        let counted = Counter::new(source.open()?);
        let again = counted.count.clone();
        result = scan.text(&mut BufReader::new(counted), false);
        bytes = again.get();
    }
    if let Err(why) = result {
        if bytes == 0 {
            return Err(why);
        }
        // Cut short: the findings in what was read are kept, and the report says where it ends.
        let message = format!(
            "cannot read past byte {bytes}{}: {why}; the findings before it are reported",
            if gzip {
                " of the decompressed stream"
            } else {
                ""
            }
        );
        scan.diagnostics.push(match scan.stopped_at {
            0 => Diagnostic::whole_file(Level::Error, name.clone(), message),
            line => Diagnostic::at(
                Level::Error,
                name.clone(),
                u32::try_from(line).unwrap_or(u32::MAX),
                0,
                message,
            ),
        });
    }
    Ok(scan.finish(display, format, gzip, bytes))
}

/// The delimiter of a `.csv` file: the one of `,`, `;`, `|` and tab its first line that is not
/// blank holds most of outside quotes, `,` when none or on a tie. Excel writes `;` where the comma
/// is the decimal mark (most of Europe), and `|` is common in database exports; read with `,`,
/// such a file is one column.
fn csv_delimiter(head: &[u8]) -> u8 {
    let start = head
        .iter()
        .position(|&b| b != b'\n' && b != b'\r')
        .unwrap_or(head.len());
    let (mut counts, mut quoted) = ([0usize; 4], false);
    const CANDIDATES: [u8; 4] = [b';', b'|', b'\t', b','];
    for &b in &head[start..] {
        if b == b'\n' && !quoted {
            break;
        }
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(i) = CANDIDATES.iter().position(|&d| d == b) {
            counts[i] += 1;
        }
    }
    (0..CANDIDATES.len())
        .max_by_key(|&i| (counts[i], CANDIDATES[i] == b','))
        .map_or(b',', |i| CANDIDATES[i])
}

/// Whether the first bytes of a file say it is binary: a NUL byte (no text encoding we read has
/// one), or the signature of a format this reader does not open (PDF, other compressors,
/// executables, Parquet; and zip, which is opened before this is asked, except where nesting is
/// too deep).
fn is_binary(head: &[u8]) -> bool {
    const SIGNATURES: &[&[u8]] = &[
        b"PK\x03\x04",
        b"%PDF",
        b"\x7fELF",
        b"BZh",
        b"\xfd7zXZ",
        b"7z\xbc\xaf",
        b"\x28\xb5\x2f\xfd",
        b"PAR1",
    ];
    head.contains(&0) || SIGNATURES.iter().any(|s| head.starts_with(s))
}

/// Whether a stream named with extension `ext` is an Office Open XML document that was saved
/// with a password: Office then wraps the encrypted package in an OLE compound file (MS-OFFCRYPTO
/// 2.3.4), whose signature it starts with, instead of the zip the extension promises.
fn is_encrypted_office(head: &[u8], ext: &str) -> bool {
    const OLE_SIGNATURE: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";
    head.starts_with(OLE_SIGNATURE)
        && matches!(
            ext,
            "docx" | "docm" | "xlsx" | "xlsm" | "xlsb" | "pptx" | "pptm"
        )
}

/// A reader that counts the bytes it passes on.
pub(crate) struct Counter<R> {
    inner: R,
    pub(crate) count: Rc<Cell<u64>>,
}

impl<R> Counter<R> {
    pub(crate) fn new(inner: R) -> Self {
        Counter {
            inner,
            count: Rc::new(Cell::new(0)),
        }
    }
}

impl<R: Read> Read for Counter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// A run of bytes handed to the engine.
struct Chunk<'a> {
    bytes: &'a [u8],
    /// File offset of `bytes[0]`.
    offset: u64,
    /// 1-based line of `bytes[0]`.
    line: u64,
    /// For a window with more of its line to come: findings starting at or after this are left to
    /// the next window, which holds them whole.
    accept_before: Option<usize>,
    /// Whether this is a whole line.
    whole: bool,
}

/// CSV fields (or Parquet values) waiting to be scanned together.
#[derive(Default)]
pub(crate) struct Fields {
    /// The fields, each followed by `\n` (none holds one).
    text: String,
    /// Per field, where it is.
    place: Vec<FieldPlace>,
}

/// Where a gathered field is, in the batch and in the file.
#[derive(Clone, Copy, Default)]
struct FieldPlace {
    /// Its column (`None` in the header row).
    column: Option<usize>,
    /// The line it starts on.
    line: u64,
    /// With `exact`, the offset in the file of the field's text, so a finding is placed at the
    /// offset of its value; otherwise where every finding in it is placed: the field's start
    /// (its text is an unquoted copy, with `""` read as `"`), its record's (a record whose raw
    /// bytes could not be matched to its fields: [`RawTail::layout`]), or for a Parquet value its
    /// 0-based leaf column.
    offset: u64,
    exact: bool,
    /// Where the field starts in [`Fields::text`].
    start: usize,
}

impl Fields {
    fn push(&mut self, text: &str, column: Option<usize>, line: u64, offset: u64, exact: bool) {
        self.place.push(FieldPlace {
            column,
            line,
            offset,
            exact,
            start: self.text.len(),
        });
        self.text.push_str(text);
        self.text.push('\n');
    }
}

/// `bytes`, the end of a stream cut short, without its last token, which the break may have cut
/// (`4123332054789178` of `4123332054789178555`, `joe@corp.com` of `joe@corp.com.au`): up to its
/// last space, quote, bracket or field separator, none of which a value holds.
fn without_cut_token(bytes: &[u8]) -> &[u8] {
    let keep = bytes
        .iter()
        .rposition(|b| {
            b.is_ascii_whitespace()
                || matches!(
                    b,
                    b',' | b';'
                        | b'|'
                        | b'"'
                        | b'\''
                        | b'('
                        | b')'
                        | b'['
                        | b']'
                        | b'{'
                        | b'}'
                        | b'<'
                        | b'>'
                )
        })
        .map_or(0, |i| i + 1);
    &bytes[..keep]
}

/// The largest `i <= at` that starts a UTF-8 character in `bytes` (so a window never splits one).
fn char_start(bytes: &[u8], mut at: usize) -> usize {
    while at > 0 && at < bytes.len() && bytes[at] & 0xC0 == 0x80 {
        at -= 1;
    }
    at
}

/// The buffers a file's scan fills and empties (megabytes each), kept per thread from one file to
/// the next: made anew for every file (a JSON document's doubling up to its size), their freed
/// pages piled up in the allocator; peak RSS on the 1 GB benchmark corpus ranged 184–223 MiB run
/// to run, and 168–183 MiB with them kept.
#[derive(Default)]
pub(crate) struct Spare {
    block: Vec<u8>,
    strings: json::Strings,
    fields: Fields,
    raw: Vec<u8>,
}

thread_local! {
    static SPARE: RefCell<Spare> = RefCell::new(Spare::default());
}

impl Spare {
    /// This thread's spare buffers, emptied (none if another scan on this thread holds them).
    fn take() -> Spare {
        SPARE.with(|s| {
            s.try_borrow_mut()
                .map(|mut s| std::mem::take(&mut *s))
                .unwrap_or_default()
        })
    }

    /// Gives the buffers back for the next file, emptied.
    fn keep(mut self) {
        self.block.clear();
        self.strings.clear();
        self.fields.text.clear();
        self.fields.place.clear();
        self.raw.clear();
        SPARE.with(|s| {
            if let Ok(mut s) = s.try_borrow_mut() {
                *s = self;
            }
        });
    }
}

/// The scan of one file: the engine, the findings so far, the diagnostics.
pub(crate) struct Scan<'e> {
    engine: &'e Engine,
    options: &'e Options,
    name: Arc<str>,
    types: BTreeMap<usize, TypeSummary>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    warned_utf8: bool,
    largest_chunk: usize,
    /// Whole lines of text waiting to be scanned as one block, each ended by `\n`.
    block: Vec<u8>,
    /// File offset and line of the block's first byte.
    block_at: (u64, u64),
    /// JSON values waiting to be scanned together.
    strings: json::Strings,
    /// CSV fields waiting to be scanned together (empty between records' batches).
    fields: Fields,
    /// The CSV input from the current record on ([`RawTail`]), or a JSON document read whole.
    raw: Vec<u8>,
    /// File offset that a finding of the last window of a long line reached: the next window
    /// starts inside it (its overlap) and must not report its tail again.
    carry: u64,
    /// The line a read error stopped the scan on (0: none, or not known).
    stopped_at: u64,
}

impl<'e> Scan<'e> {
    pub(crate) fn new(engine: &'e Engine, options: &'e Options, name: Arc<str>) -> Self {
        let spare = Spare::take();
        Scan {
            engine,
            options,
            name,
            types: BTreeMap::new(),
            diagnostics: Vec::new(),
            warned_utf8: false,
            largest_chunk: 0,
            block: spare.block,
            block_at: (0, 1),
            strings: spare.strings,
            fields: spare.fields,
            raw: spare.raw,
            carry: 0,
            stopped_at: 0,
        }
    }

    /// Forgets the findings (a structured reader gave up and the file is read again).
    fn reset(&mut self) {
        self.types.clear();
    }

    pub(crate) fn finish(
        self,
        display: &str,
        format: Format,
        gzip: bool,
        bytes: u64,
    ) -> FileReport {
        Spare {
            block: self.block,
            strings: self.strings,
            fields: self.fields,
            raw: self.raw,
        }
        .keep();
        let types: Vec<TypeSummary> = self.types.into_values().collect();
        FileReport {
            file: display.to_string(),
            format,
            gzip,
            bytes,
            label: types.iter().map(|t| t.label).max().unwrap_or(Label::Public),
            types,
            diagnostics: self.diagnostics,
            entries: Vec::new(),
            largest_chunk: self.largest_chunk,
        }
    }

    /// Scans `text` and records its findings. `offset` and `line` place `text[0]` in the file;
    /// `accept_before` is as in [`Chunk`]. Unless `exact`, every finding is placed at `offset`
    /// and `line` themselves (the text is an unquoted copy of a CSV field).
    pub(crate) fn record(
        &mut self,
        text: &str,
        field: Option<&str>,
        offset: u64,
        line: u64,
        accept_before: Option<usize>,
        exact: bool,
    ) {
        self.largest_chunk = self.largest_chunk.max(text.len());
        for m in self.engine.scan(text, field, self.options.min_confidence) {
            if accept_before.is_some_and(|a| m.start >= a) {
                continue;
            }
            if exact {
                let (start, end) = (offset + m.start as u64, offset + m.end as u64);
                if start < self.carry {
                    continue;
                }
                if accept_before.is_some() {
                    self.carry = self.carry.max(end);
                }
            }
            let place = |m: &Match| {
                if exact {
                    let newlines = text[..m.start].bytes().filter(|&b| b == b'\n').count();
                    (line + newlines as u64, offset + m.start as u64)
                } else {
                    (line, offset)
                }
            };
            self.add(m, field, place);
        }
    }

    /// Counts finding `m` and keeps it as a sample while there is room; `place` gives its line and
    /// file offset (computed only for samples).
    fn add(&mut self, m: Match, field: Option<&str>, place: impl Fn(&Match) -> (u64, u64)) {
        let d = &self.engine.detectors()[m.detector];
        let t = self.types.entry(m.detector).or_insert_with(|| TypeSummary {
            detector: d.id.clone(),
            name: d.name.clone(),
            category: d.category,
            label: d.label,
            count: 0,
            highest: m.confidence,
            samples: Vec::new(),
        });
        t.count += 1;
        t.highest = t.highest.max(m.confidence);
        if t.samples.len() < self.options.samples {
            let (line, offset) = place(&m);
            t.samples.push(Sample {
                line,
                offset,
                confidence: m.confidence,
                masked: m.masked,
                field: field.map(|f| self.engine.mask_all(f)),
            });
        }
    }

    /// Scans one value that has no lines of its own (a spreadsheet cell), every finding placed at
    /// `offset` and `line`; a value longer than [`Options::chunk`] is scanned in overlapping
    /// windows, as a long line is.
    pub(crate) fn record_value(&mut self, text: &str, field: Option<&str>, offset: u64, line: u64) {
        let (cap, overlap) = (
            self.options.chunk.max(2),
            self.options.overlap.min(self.options.chunk / 2),
        );
        let mut rest = text;
        while rest.len() > cap {
            let mut end = cap;
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            if end == 0 {
                end = rest.chars().next().map_or(rest.len(), char::len_utf8);
            }
            let mut keep = end.saturating_sub(overlap);
            while !rest.is_char_boundary(keep) {
                keep -= 1;
            }
            if keep == 0 {
                keep = end;
            }
            self.record(&rest[..end], field, offset, line, Some(keep), false);
            rest = &rest[keep..];
        }
        self.record(rest, field, offset, line, None, false);
    }

    /// Scans the valid UTF-8 runs of `chunk`; invalid bytes are skipped with one warning per file.
    fn record_bytes(&mut self, chunk: &Chunk<'_>, field: Option<&str>, exact: bool) {
        let mut at = 0;
        for piece in chunk.bytes.utf8_chunks() {
            let valid = piece.valid();
            let accept = chunk.accept_before.map(|a| a.saturating_sub(at));
            self.record(
                valid,
                field,
                chunk.offset + at as u64,
                chunk.line,
                accept,
                exact,
            );
            at += valid.len();
            if !piece.invalid().is_empty() && !self.warned_utf8 {
                self.warned_utf8 = true;
                self.diagnostics.push(Diagnostic::at(
                    Level::Warning,
                    self.name.clone(),
                    u32::try_from(chunk.line).unwrap_or(u32::MAX),
                    0,
                    "invalid UTF-8; the valid text around it is scanned",
                ));
            }
            at += piece.invalid().len();
        }
    }

    /// Plain text, line by line, long lines in overlapping windows. With `ndjson`, each whole
    /// line that is a JSON document is read as JSON.
    fn text(&mut self, input: &mut dyn BufRead, ndjson: bool) -> io::Result<()> {
        let (cap, overlap) = (
            self.options.chunk.max(2),
            self.options.overlap.min(self.options.chunk / 2),
        );
        let mut line: Vec<u8> = Vec::with_capacity(cap.min(64 * 1024));
        let (mut offset, mut line_no, mut continued) = (0u64, 1u64, false);
        loop {
            let avail = match input.fill_buf() {
                Ok(avail) => avail,
                Err(e) => {
                    // A stream cut short (a truncated gzip file, a failing disk): what was read
                    // is scanned, the partial line too, before the error is reported.
                    self.flush_block();
                    let read = without_cut_token(&line);
                    if !read.is_empty() {
                        self.line(read, offset, line_no, !continued, None, ndjson);
                    }
                    self.flush_strings();
                    self.stopped_at = line_no;
                    return Err(e);
                }
            };
            if avail.is_empty() {
                if !line.is_empty() {
                    if continued || ndjson {
                        self.flush_block();
                        self.line(&line, offset, line_no, !continued, None, ndjson);
                    } else {
                        self.push_line(&line, offset, line_no);
                    }
                }
                self.flush_block();
                self.flush_strings();
                return Ok(());
            }
            let room = cap - line.len();
            let take = avail.len().min(room);
            if let Some(nl) = avail[..take].iter().position(|&b| b == b'\n') {
                line.extend_from_slice(&avail[..nl]);
                input.consume(nl + 1);
                if continued || ndjson {
                    // Windows of a long line and NDJSON documents go on their own, in order.
                    self.flush_block();
                    self.line(&line, offset, line_no, !continued, None, ndjson);
                } else {
                    self.push_line(&line, offset, line_no);
                }
                offset += line.len() as u64 + 1;
                line_no += 1;
                line.clear();
                continued = false;
                continue;
            }
            line.extend_from_slice(&avail[..take]);
            input.consume(take);
            if line.len() < cap {
                continue;
            }
            // The window is full and the line goes on: scan it, keep its tail as the start of the
            // next window so a value across the edge is whole there.
            let end = char_start(&line, cap);
            let keep = char_start(&line, end.saturating_sub(overlap)).max(1);
            self.flush_block();
            self.line(&line[..end], offset, line_no, false, Some(keep), ndjson);
            line.drain(..keep);
            offset += keep as u64;
            continued = true;
        }
    }

    /// Adds a whole line (without its `\n`) at `offset`, line `line_no`, to the block, and scans
    /// the block once it is full.
    fn push_line(&mut self, bytes: &[u8], offset: u64, line_no: u64) {
        if self.block.is_empty() {
            self.block_at = (offset, line_no);
        }
        self.largest_chunk = self.largest_chunk.max(bytes.len());
        self.block.extend_from_slice(bytes);
        self.block.push(b'\n');
        if self.block.len() >= self.options.block {
            self.flush_block();
        }
    }

    /// Scans the block of whole lines, if any. Lines with invalid UTF-8 are scanned on their own
    /// (their valid runs, with one warning per file), as before blocks; the lines around them
    /// still go as blocks.
    fn flush_block(&mut self) {
        if self.block.is_empty() {
            return;
        }
        let block = std::mem::take(&mut self.block);
        let (mut offset, mut line_no) = self.block_at;
        // Each line ends with `\n`; the last one is not followed by another line.
        let mut rest = &block[..block.len() - 1];
        loop {
            let (good, bad) = match std::str::from_utf8(rest) {
                Ok(text) => (text, None),
                Err(e) => {
                    let at = e.valid_up_to();
                    let start = memchr::memrchr(b'\n', &rest[..at]).map_or(0, |i| i + 1);
                    let end = memchr::memchr(b'\n', &rest[at..]).map_or(rest.len(), |i| at + i);
                    // `rest[..start]` is valid UTF-8 up to a line's end (or empty).
                    let good = std::str::from_utf8(&rest[..start.saturating_sub(1)]).unwrap_or("");
                    (good, Some((start, end)))
                }
            };
            if bad.is_none_or(|(start, _)| start > 0) {
                self.record_lines(good, offset, line_no);
            }
            let Some((start, end)) = bad else {
                break;
            };
            line_no += memchr::memchr_iter(b'\n', &rest[..start]).count() as u64;
            self.line(
                &rest[start..end],
                offset + start as u64,
                line_no,
                true,
                None,
                false,
            );
            if end >= rest.len() {
                break;
            }
            offset += end as u64 + 1;
            line_no += 1;
            rest = &rest[end + 1..];
        }
        // Keep the allocation for the next block.
        self.block = block;
        self.block.clear();
    }

    /// Scans `text`, whole lines from file offset `offset` and line `line`, as one block.
    fn record_lines(&mut self, text: &str, offset: u64, line: u64) {
        for lm in self.engine.scan_lines(text, self.options.min_confidence) {
            let at = (line + lm.line as u64, offset + lm.found.start as u64);
            self.add(lm.found, None, |_| at);
        }
    }

    fn line(
        &mut self,
        bytes: &[u8],
        offset: u64,
        line: u64,
        whole: bool,
        accept_before: Option<usize>,
        ndjson: bool,
    ) {
        let chunk = Chunk {
            bytes,
            offset,
            line,
            accept_before,
            whole,
        };
        if ndjson && chunk.whole && self.json_line(bytes, offset, line) {
            return;
        }
        // The JSON lines gathered before this one go first, so samples keep the file's order.
        self.flush_strings();
        self.record_bytes(&chunk, None, true);
    }

    /// CSV or TSV: the first row is the header; every later value is scanned with its column's
    /// header as context. A record over four chunks (a quoted field that never closes) stops
    /// the CSV reader with `InvalidData`.
    fn csv(&mut self, input: impl Read, delimiter: u8) -> io::Result<()> {
        let mut batch = std::mem::take(&mut self.fields);
        let raw = Rc::new(RefCell::new(RawTail {
            base: 0,
            bytes: std::mem::take(&mut self.raw),
        }));
        let result = self.csv_records(input, delimiter, &mut batch, &raw);
        batch.text.clear();
        batch.place.clear();
        self.fields = batch;
        if let Ok(tail) = Rc::try_unwrap(raw) {
            self.raw = tail.into_inner().bytes;
            self.raw.clear();
        }
        result
    }

    /// [`Scan::csv`] with its batch of fields and the raw input it keeps.
    fn csv_records(
        &mut self,
        input: impl Read,
        delimiter: u8,
        batch: &mut Fields,
        raw: &Rc<RefCell<RawTail>>,
    ) -> io::Result<()> {
        let limit = self.options.chunk as u64 * 4;
        let consumed = Rc::new(Cell::new(0u64));
        let guard = RecordGuard {
            inner: input,
            read: 0,
            record_start: consumed.clone(),
            limit,
            raw: Rc::clone(raw),
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(guard);
        let mut table = Table {
            headers: None,
            spots: Vec::new(),
            delimiter,
        };
        let mut record = csv::ByteRecord::new();
        let mut next_line = 1;
        loop {
            let read = reader.read_byte_record(&mut record);
            if !matches!(read, Ok(true)) || batch.text.len() >= self.options.block {
                self.flush_fields(batch, table.headers.as_deref());
            }
            match read {
                Ok(false) => return Ok(()),
                Ok(true) => {}
                Err(e) => {
                    self.stopped_at = reader.position().line();
                    let kind = e.into_kind();
                    if matches!(kind, csv::ErrorKind::Io(_)) {
                        self.unfinished_record(batch, &mut table, raw, (consumed.get(), next_line));
                    }
                    return Err(match kind {
                        csv::ErrorKind::Io(e) => e,
                        other => {
                            io::Error::new(io::ErrorKind::InvalidData, format!("CSV: {other:?}"))
                        }
                    });
                }
            }
            let (line, offset) = record.position().map_or((0, 0), |p| (p.line(), p.byte()));
            let (offset, line) = raw.borrow().record_start(offset, line);
            let next = reader.position().byte();
            consumed.set(next);
            next_line = reader.position().line();
            self.take_record(batch, &mut table, &record, raw, (offset, line, next), false);
        }
    }

    /// One CSV record at file offset `offset` and `line`, ending at `next`: its fields scanned
    /// (or gathered into `batch`) under their columns, each placed at its value where the raw
    /// record allows it ([`RawTail::layout`]); the first record is the header. With `cut`, the
    /// last token of the last field is left out: a stream cut short may have cut it.
    fn take_record(
        &mut self,
        batch: &mut Fields,
        table: &mut Table,
        record: &csv::ByteRecord,
        raw: &RefCell<RawTail>,
        (offset, line, next): (u64, u64, u64),
        cut: bool,
    ) {
        let tail = raw.borrow();
        let layout = tail.layout((offset, next), record, table.delimiter, &mut table.spots);
        let laid_out = layout.is_some();
        let open_quote = layout.unwrap_or_else(|| tail.quote_left_open(offset, next));
        drop(tail);
        if open_quote && !cut {
            // A quote that never closes makes the rest of the file one field: what follows is
            // still scanned, but under that field's column, not its own.
            self.diagnostics.push(Diagnostic::at(
                Level::Warning,
                self.name.clone(),
                u32::try_from(line).unwrap_or(u32::MAX),
                0,
                "a quoted CSV field opens here and never closes: the rest of the file was \
                 read as that one field",
            ));
        }
        let whole_record = FieldSpot {
            offset,
            lines_before: 0,
            verbatim: false,
        };
        let last = record.len().saturating_sub(1);
        for (i, field) in record.iter().enumerate() {
            let field = if cut && i == last {
                without_cut_token(field)
            } else {
                field
            };
            let spot = if laid_out {
                table.spots[i]
            } else {
                whole_record
            };
            let line = line + spot.lines_before;
            // Most fields are one line of UTF-8: they are scanned many at a time, each as
            // its own text with its column as context.
            match std::str::from_utf8(field) {
                Ok("") => continue,
                Ok(text) if !text.contains('\n') => {
                    self.largest_chunk = self.largest_chunk.max(text.len());
                    let column = table.headers.as_ref().map(|_| i);
                    batch.push(text, column, line, spot.offset, spot.verbatim);
                    continue;
                }
                _ => self.flush_fields(batch, table.headers.as_deref()),
            }
            let column = table
                .headers
                .as_ref()
                .and_then(|h| h.get(i))
                .map(String::as_str);
            // A field of many lines, or with invalid UTF-8, is scanned on its own.
            let chunk = Chunk {
                bytes: field,
                offset: spot.offset,
                line,
                accept_before: None,
                whole: true,
            };
            self.record_bytes(&chunk, column, spot.verbatim);
        }
        if table.headers.is_none() {
            // The header row's own fields are scanned without a column.
            self.flush_fields(batch, None);
            table.headers = Some(
                record
                    .iter()
                    .map(|h| String::from_utf8_lossy(h).trim().to_lowercase())
                    .collect(),
            );
        }
    }

    /// Scans the record that a stream cut short left unfinished, from file offset `start` (and
    /// `line`, where the csv crate places the next record) to what was read, as the record it
    /// is so far: its fields under their columns, but for the last token of its last field,
    /// which the break may have cut.
    fn unfinished_record(
        &mut self,
        batch: &mut Fields,
        table: &mut Table,
        raw: &RefCell<RawTail>,
        (start, line): (u64, u64),
    ) {
        let tail = raw.borrow();
        let (start, line) = tail.record_start(start, line);
        let Some(read) = tail.get(start, tail.base + tail.bytes.len() as u64) else {
            return;
        };
        let read = read.to_vec();
        drop(tail);
        self.stopped_at = line + memchr::memchr_iter(b'\n', &read).count() as u64;
        let mut record = csv::ByteRecord::new();
        let parsed = csv::ReaderBuilder::new()
            .delimiter(table.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(&read[..])
            .read_byte_record(&mut record);
        if !matches!(parsed, Ok(true)) {
            return;
        }
        let end = start + read.len() as u64;
        let unfinished = RefCell::new(RawTail {
            base: start,
            bytes: read,
        });
        self.take_record(batch, table, &record, &unfinished, (start, line, end), true);
        self.flush_fields(batch, table.headers.as_deref());
    }

    /// Gathers one value of a table-like file (a Parquet leaf) into `batch`, to be scanned with
    /// many others with `headers[column]` as context and placed at `line` and `offset`; a value
    /// of many lines or longer than [`Options::chunk`] is scanned on its own, as a CSV field is.
    /// The batch is scanned once it holds [`Options::block`] bytes; [`Scan::flush_fields`]
    /// scans the rest.
    #[cfg(feature = "parquet")]
    pub(crate) fn push_field(
        &mut self,
        batch: &mut Fields,
        headers: &[String],
        value: (&str, usize),
        line: u64,
        offset: u64,
    ) {
        let (text, column) = value;
        if text.is_empty() {
            return;
        }
        if text.contains('\n') || text.len() > self.options.chunk {
            self.flush_fields(batch, Some(headers));
            self.record_value(text, headers.get(column).map(String::as_str), offset, line);
            return;
        }
        self.largest_chunk = self.largest_chunk.max(text.len());
        batch.push(text, Some(column), line, offset, false);
        if batch.text.len() >= self.options.block {
            self.flush_fields(batch, Some(headers));
        }
    }

    /// Scans the gathered CSV fields (one per line of `batch.text`), each with its column's header
    /// as context, placed at its value (or its record: see [`FieldPlace::offset`]).
    pub(crate) fn flush_fields(&mut self, batch: &mut Fields, headers: Option<&[String]>) {
        if batch.text.is_empty() {
            return;
        }
        let text = &batch.text[..batch.text.len() - 1];
        let place = |l: usize| batch.place.get(l).copied().unwrap_or_default();
        let column = |l: usize| {
            place(l)
                .column
                .and_then(|c| headers.and_then(|h| h.get(c)))
                .map(String::as_str)
        };
        for lm in self
            .engine
            .scan_fields(text, column, self.options.min_confidence)
        {
            let p = place(lm.line);
            let within = if p.exact {
                lm.found.start.saturating_sub(p.start) as u64
            } else {
                0
            };
            self.add(lm.found, column(lm.line), |_| (p.line, p.offset + within));
        }
        batch.text.clear();
        batch.place.clear();
    }
}

/// Fails a CSV read whose current record has grown past `limit` bytes: the csv crate keeps a
/// whole record in memory, and a quote that never closes would make that the whole file. Keeps
/// the bytes read from the current record on ([`RawTail`]).
struct RecordGuard<R> {
    inner: R,
    read: u64,
    record_start: Rc<Cell<u64>>,
    limit: u64,
    raw: Rc<RefCell<RawTail>>,
}

/// The CSV input as read, from the current record's start on (and up to [`RAW_SLACK`] bytes
/// before it): what tells whether a record's fields stand in the file as the csv crate gives
/// them, and so where each one is.
#[derive(Default)]
struct RawTail {
    /// File offset of `bytes[0]`.
    base: u64,
    bytes: Vec<u8>,
}

/// Bytes [`RawTail`] lets pass before dropping those before the current record: one move of
/// the read-ahead per this many bytes, not one per record.
const RAW_SLACK: u64 = 1 << 18;

impl RawTail {
    fn append(&mut self, read: &[u8], record_start: u64) {
        let done = record_start.saturating_sub(self.base);
        if done >= RAW_SLACK {
            let done = usize::try_from(done)
                .unwrap_or(usize::MAX)
                .min(self.bytes.len());
            self.bytes.drain(..done);
            self.base += done as u64;
        }
        self.bytes.extend_from_slice(read);
    }

    /// Whether the record at `start..end` of the file holds an odd number of `"`: a quote opened
    /// and never closed (escaped quotes come in pairs, and so do a field's opening and closing
    /// ones), which only the file's end stops.
    fn quote_left_open(&self, start: u64, end: u64) -> bool {
        self.get(start, end)
            .is_some_and(|raw| raw.iter().filter(|&&c| c == b'"').count() % 2 == 1)
    }

    /// The bytes at `start..end` of the file, if still kept.
    fn get(&self, start: u64, end: u64) -> Option<&[u8]> {
        let a = usize::try_from(start.checked_sub(self.base)?).ok()?;
        let b = usize::try_from(end.checked_sub(self.base)?).ok()?;
        self.bytes.get(a..b)
    }

    /// Where the record the csv crate places at `(offset, line)` starts in the file: past the
    /// `\n` of a CRLF it places records on (and on that line), and past a UTF-8 byte order mark
    /// it drops from the first field.
    fn record_start(&self, mut offset: u64, mut line: u64) -> (u64, u64) {
        let rest = self
            .get(offset, self.base + self.bytes.len() as u64)
            .unwrap_or_default();
        for &b in rest.iter().take_while(|&&b| b == b'\r' || b == b'\n') {
            offset += 1;
            line += u64::from(b == b'\n');
        }
        if offset == 0 && self.bytes.starts_with(b"\xEF\xBB\xBF") {
            offset = 3;
        }
        (offset, line)
    }

    /// Where each of `record`'s fields stands in the record at `start..end` of the file, into
    /// `spots`, and whether its last field is a quote that never closes (it runs to the end of
    /// the input). `None` (and `spots` unusable) unless the record is its fields, each as it is
    /// or quoted with its quotes doubled (text after a closing quote, `"O"Brien`, is the field's
    /// too, as the csv crate reads it), joined by `delimiter`, then a line end or nothing.
    fn layout(
        &self,
        (start, end): (u64, u64),
        record: &csv::ByteRecord,
        delimiter: u8,
        spots: &mut Vec<FieldSpot>,
    ) -> Option<bool> {
        spots.clear();
        let raw = self.get(start, end)?;
        let mut unclosed = false;
        let mut at = 0;
        let mut lines = 0;
        for (i, field) in record.iter().enumerate() {
            if i > 0 {
                if raw.get(at) != Some(&delimiter) {
                    return None;
                }
                at += 1;
            }
            if raw.get(at) != Some(&b'"') {
                if raw.get(at..at + field.len()) != Some(field) {
                    return None;
                }
                spots.push(FieldSpot {
                    offset: start + at as u64,
                    lines_before: lines,
                    verbatim: true,
                });
                at += field.len();
                continue;
            }
            // As the csv crate reads it: `""` inside the quotes is one `"`; a lone `"` closes
            // them, and what follows up to the delimiter is the field's too (`"O"Brien`).
            let text_start = at + 1;
            let (mut j, mut quoted, mut verbatim) = (text_start, true, true);
            for &b in field {
                if quoted && raw.get(j) == Some(&b'"') {
                    if raw.get(j + 1) != Some(&b'"') {
                        quoted = false;
                        j += 1;
                    } else if b == b'"' {
                        j += 1;
                    }
                    verbatim = false;
                }
                if raw.get(j) != Some(&b) {
                    return None;
                }
                j += 1;
            }
            let end = j;
            match raw.get(j) {
                Some(b'"') if quoted => at = j + 1,
                None if quoted && i + 1 == record.len() => {
                    unclosed = true;
                    at = j;
                }
                _ if quoted => return None,
                _ => at = j,
            }
            spots.push(FieldSpot {
                offset: start + text_start as u64,
                lines_before: lines,
                verbatim,
            });
            lines += raw[text_start..end].iter().filter(|&&b| b == b'\n').count() as u64;
        }
        matches!(&raw[at..], b"" | b"\n" | b"\r\n" | b"\r").then_some(unclosed)
    }
}

/// What a CSV file's records are read with: its header (after the first record), its delimiter,
/// and the field places of the record at hand.
struct Table {
    headers: Option<Vec<String>>,
    spots: Vec<FieldSpot>,
    delimiter: u8,
}

/// Where a CSV field's text stands in the file ([`RawTail::layout`]).
#[derive(Clone, Copy)]
struct FieldSpot {
    /// File offset of the field's first byte of text (past its opening quote, if quoted).
    offset: u64,
    /// Line ends in the record before the field (inside quoted fields before it).
    lines_before: u64,
    /// Whether the text stands in the file byte for byte (no doubled quote in it), so a value
    /// `k` bytes into the text is `k` bytes past `offset`.
    verbatim: bool,
}

impl<R: Read> Read for RecordGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.read.saturating_sub(self.record_start.get()) > self.limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a CSV record over {} KiB", self.limit / 1024),
            ));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        self.raw
            .borrow_mut()
            .append(&buf[..n], self.record_start.get());
        Ok(n)
    }
}
