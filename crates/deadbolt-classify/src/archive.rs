//! Zip archives and the Office Open XML documents that are zips too (xlsx, docx).
//!
//! Archives are where decompression bombs live, so nothing here trusts a header: every member is
//! checked against the caps of [`Limits`] on what the central directory declares, and then read
//! through a [`Capped`] reader that holds it to its declared size, because a header can lie.
//! Members are streamed into the same readers as files ([`read::scan_stream`]); only an archive
//! nested in an archive (read one level deep) and a Parquet file are held in memory (their readers
//! seek), within [`Limits::max_nested`].

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Cursor, Read, Seek, SeekFrom};

use calamine::{DataRef, Reader, Xlsx};
use deadbolt_model::{Diagnostic, Level};
use quick_xml::events::Event;
use zip::ZipArchive;
use zip::result::ZipError;

use crate::detector::Label;
use crate::engine::Engine;
use crate::read::{
    self, Capped, FileReport, Format, GZIP_MAGIC, Limits, Options, Reopen, Scan, Trip, bomb,
};

/// Whether a stream starts like a zip archive (a local file header, or the end record of an
/// empty archive).
pub(crate) fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// Scans a zip archive named `display`: an xlsx or docx by its extension, otherwise a plain
/// archive whose members become [`FileReport::entries`]. `depth` is 0 for a file, 1 for an
/// archive inside one.
///
/// # Errors
/// A [`Diagnostic`] when the archive's directory cannot be read (corrupt, truncated, not a zip
/// after all), or a workbook or document cannot be opened (a bomb, an encrypted part, not the
/// document its name says).
pub(crate) fn scan_container<R: Read + Seek>(
    engine: &Engine,
    options: &Options,
    display: &str,
    reader: R,
    depth: u8,
) -> Result<FileReport, Diagnostic> {
    let cx = Cx { engine, options };
    let mut budget = options.limits.max_expanded;
    container(&cx, display, reader, depth, &mut budget)
}

/// What every reader of an archive needs.
struct Cx<'e> {
    engine: &'e Engine,
    options: &'e Options,
}

/// An archive of any kind; `budget` is what is left of [`Limits::max_expanded`] (decompressed
/// bytes) for it and whatever encloses it.
fn container<R: Read + Seek>(
    cx: &Cx<'_>,
    display: &str,
    reader: R,
    depth: u8,
    budget: &mut u64,
) -> Result<FileReport, Diagnostic> {
    let archive = ZipArchive::new(reader).map_err(|e| {
        Diagnostic::whole_file(
            Level::Error,
            display,
            format!("corrupt or unsupported zip archive: {e}"),
        )
    })?;
    match read::extension(display, false).as_str() {
        "xlsx" | "xlsm" => {
            // calamine is a large parser of hostile input that this crate does not control: a
            // panic in it is a diagnostic for this workbook, not the end of the run.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                xlsx(cx, display, archive, budget)
            }))
            .unwrap_or_else(|_| {
                Err(Diagnostic::whole_file(
                    Level::Error,
                    display,
                    "the workbook reader failed on this file; not scanned",
                ))
            })
        }
        "docx" | "docm" => docx(cx, display, archive, budget),
        _ => Ok(zip(cx, display, archive, depth, budget)),
    }
}

/// An empty report for an archive, to which entries are added.
fn container_report(display: &str, format: Format) -> FileReport {
    FileReport {
        file: display.to_string(),
        format,
        gzip: false,
        bytes: 0,
        label: Label::Public,
        types: Vec::new(),
        diagnostics: Vec::new(),
        entries: Vec::new(),
        largest_chunk: 0,
    }
}

/// Sums an archive's entries into its own report.
fn close(mut report: FileReport) -> FileReport {
    report.bytes = report.entries.iter().map(|e| e.bytes).sum();
    report.label = report
        .entries
        .iter()
        .map(|e| e.label)
        .max()
        .unwrap_or(Label::Public);
    report.largest_chunk = report
        .entries
        .iter()
        .map(|e| e.largest_chunk)
        .max()
        .unwrap_or(0);
    report
}

/// A member that may be read, per the central directory.
struct Member {
    /// Its path in the archive.
    name: String,
    /// `archive!path`, the name reports carry.
    full: String,
    /// Declared decompressed size (bytes).
    size: u64,
}

/// Why a member is not read.
enum Skip {
    /// A directory: nothing to read.
    Dir,
    /// This member is reported and skipped.
    One(Diagnostic),
    /// This member and all after it are skipped (the archive's budget is spent).
    Rest(Diagnostic),
}

/// Member `i` of `archive`, if its declared sizes pass the caps and it is not encrypted.
fn member<R: Read + Seek>(
    archive: &ZipArchive<R>,
    i: usize,
    display: &str,
    limits: &Limits,
    budget: u64,
) -> Result<Member, Skip> {
    let entry = archive.by_index_data(i).map_err(|e| {
        Skip::One(Diagnostic::whole_file(
            Level::Error,
            display,
            format!("entry {i}: {e}"),
        ))
    })?;
    let name = entry
        .name()
        .map(|n| n.into_owned())
        .unwrap_or_else(|_| String::from_utf8_lossy(entry.name_raw()).into_owned());
    if entry.is_dir() {
        return Err(Skip::Dir);
    }
    let full = format!("{display}!{name}");
    if entry.encrypted() {
        return Err(Skip::One(Diagnostic::whole_file(
            Level::Error,
            full,
            "encrypted; not scanned",
        )));
    }
    let (size, compressed) = (entry.size(), entry.compressed_size());
    if size > budget {
        return Err(Skip::Rest(bomb(
            &full,
            &format!(
                "declares {size} bytes, more than the {budget} left of the archive's cap of {} \
                 bytes; it and the entries after it are not expanded",
                limits.max_expanded
            ),
        )));
    }
    if size > limits.ratio_grace && size > limits.max_ratio.saturating_mul(compressed) {
        return Err(Skip::One(bomb(
            &full,
            &format!(
                "declares {size} bytes from {compressed} compressed, a ratio over {}; not expanded",
                limits.max_ratio
            ),
        )));
    }
    Ok(Member { name, full, size })
}

/// A zip error as an I/O error. Never `InvalidData`, which would have the stream read again as
/// text.
fn zip_io(e: ZipError) -> io::Error {
    match e {
        ZipError::Io(e) => e,
        other => io::Error::other(other.to_string()),
    }
}

/// What a member that outgrows its declared size is.
fn declared_why(size: u64) -> String {
    format!("expands past its declared size of {size} bytes")
}

/// A plain zip archive: each member scanned as its name and content say.
fn zip<R: Read + Seek>(
    cx: &Cx<'_>,
    display: &str,
    mut archive: ZipArchive<R>,
    depth: u8,
    budget: &mut u64,
) -> FileReport {
    let limits = cx.options.limits;
    let mut report = container_report(display, Format::Zip);
    let count = archive.len();
    if count > limits.max_entries {
        report.diagnostics.push(bomb(
            display,
            &format!(
                "{count} entries, over the cap of {}; only the first {} were scanned",
                limits.max_entries, limits.max_entries
            ),
        ));
    }
    for i in 0..count.min(limits.max_entries) {
        let m = match member(&archive, i, display, &limits, *budget) {
            Ok(m) => m,
            Err(Skip::Dir) => continue,
            Err(Skip::One(d)) => {
                report.diagnostics.push(d);
                continue;
            }
            Err(Skip::Rest(d)) => {
                report.diagnostics.push(d);
                break;
            }
        };
        match entry(cx, &mut archive, i, &m, depth, budget) {
            Ok(r) => report.entries.push(r),
            Err(d) => report.diagnostics.push(d),
        }
    }
    close(report)
}

/// One member of a plain archive: a nested archive (one level), gzip, or a stream.
fn entry<R: Read + Seek>(
    cx: &Cx<'_>,
    archive: &mut ZipArchive<R>,
    i: usize,
    m: &Member,
    depth: u8,
    budget: &mut u64,
) -> Result<FileReport, Diagnostic> {
    let limits = cx.options.limits;
    let fail = |e: io::Error| {
        Diagnostic::whole_file(Level::Error, m.full.as_str(), format!("cannot read: {e}"))
    };
    let mut head = Vec::with_capacity(4);
    archive
        .by_index(i)
        .map_err(zip_io)
        .and_then(|f| f.take(4).read_to_end(&mut head))
        .map_err(fail)?;
    if is_zip(&head) {
        if depth >= 1 {
            return Err(Diagnostic::whole_file(
                Level::Warning,
                m.full.as_str(),
                "an archive inside a nested archive; not opened (one level of nesting is read)",
            ));
        }
        let bytes = hold(archive, i, m, &limits, "a nested archive")?;
        *budget = budget.saturating_sub(bytes.len() as u64);
        return container(cx, &m.full, Cursor::new(bytes), depth + 1, budget);
    }
    if head.starts_with(read::PARQUET_MAGIC) {
        // Its footer is at its end: it is read from memory, as a nested archive is, with the
        // caps on its row groups as for a file.
        #[cfg(not(feature = "parquet"))]
        return Ok(read::parquet_not_built(&m.full));
        #[cfg(feature = "parquet")]
        {
            let bytes = hold(archive, i, m, &limits, "a Parquet member")?;
            *budget = budget.saturating_sub(bytes.len() as u64);
            return crate::parquet::scan_parquet(
                cx.engine,
                cx.options,
                &m.full,
                bytes::Bytes::from(bytes),
            );
        }
    }
    let gzip = head.starts_with(&GZIP_MAGIC);
    let trip = Trip::default();
    let mut source = EntrySource {
        archive,
        index: i,
        size: m.size,
        gzip,
        budget: *budget,
        limits,
        trip: trip.clone(),
    };
    let mut report = read::scan_stream(
        cx.engine,
        cx.options,
        &m.full,
        read::extension(&m.name, gzip),
        gzip,
        None,
        &mut source,
    )
    .map_err(fail)?;
    trip.report(&mut report);
    *budget = budget.saturating_sub(report.bytes);
    Ok(report)
}

/// Member `i` read whole into memory, for a reader that must seek (a nested archive, Parquet):
/// within [`Limits::max_nested`] and its declared size. `what` names it in the diagnostics.
fn hold<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    i: usize,
    m: &Member,
    limits: &Limits,
    what: &str,
) -> Result<Vec<u8>, Diagnostic> {
    if m.size > limits.max_nested {
        return Err(Diagnostic::whole_file(
            Level::Warning,
            m.full.as_str(),
            format!(
                "{what} of {} bytes, over the cap of {} held in memory; not opened",
                m.size, limits.max_nested
            ),
        ));
    }
    let fail = |e: io::Error| {
        Diagnostic::whole_file(Level::Error, m.full.as_str(), format!("cannot read: {e}"))
    };
    let trip = Trip::default();
    let file = archive.by_index(i).map_err(|e| fail(zip_io(e)))?;
    let mut bytes = Vec::new();
    Capped::new(file, m.size, declared_why(m.size), trip.clone())
        .read_to_end(&mut bytes)
        .map_err(fail)?;
    match trip.get() {
        Some(why) => Err(bomb(&m.full, &format!("{why}; not opened"))),
        None => Ok(bytes),
    }
}

/// A member read through the cap of its declared size, and through a capped gzip decoder when it
/// is compressed again.
struct EntrySource<'a, R> {
    archive: &'a mut ZipArchive<R>,
    index: usize,
    size: u64,
    gzip: bool,
    budget: u64,
    limits: Limits,
    trip: Trip,
}

impl<R: Read + Seek> Reopen for EntrySource<'_, R> {
    fn open(&mut self) -> io::Result<Box<dyn BufRead + '_>> {
        let file = self.archive.by_index(self.index).map_err(zip_io)?;
        let capped = Capped::new(file, self.size, declared_why(self.size), self.trip.clone());
        Ok(if self.gzip {
            read::gunzip(
                Box::new(capped),
                self.budget,
                &self.limits,
                self.trip.clone(),
            )
        } else {
            Box::new(BufReader::new(capped))
        })
    }
}

/// Whether calamine reads a workbook part whole into memory: the XML parts outside the sheets
/// (shared strings, styles, the workbook, relationships). Sheets are streamed.
fn held_whole(part: &str) -> bool {
    !part.starts_with("xl/worksheets/") && (part.ends_with(".xml") || part.ends_with(".rels"))
}

/// An Excel workbook: one entry per sheet, named `book.xlsx!Sheet`, each cell scanned with its
/// row as the line, its 0-based column as the offset, and the first row's value in its column
/// as context (as a CSV header).
fn xlsx<R: Read + Seek>(
    cx: &Cx<'_>,
    display: &str,
    mut archive: ZipArchive<R>,
    budget: &mut u64,
) -> Result<FileReport, Diagnostic> {
    let limits = cx.options.limits;
    let count = archive.len();
    if count > limits.max_entries {
        return Err(bomb(
            display,
            &format!(
                "{count} parts, over the cap of {}; not opened",
                limits.max_entries
            ),
        ));
    }
    // calamine has no caps of its own, and reads some parts whole: every part is decompressed
    // here first, within the caps and held to its declared size, so calamine only reads parts
    // whose real sizes are known to be within them. It costs a second inflate of the workbook.
    for i in 0..count {
        let m = match member(&archive, i, display, &limits, *budget) {
            Ok(m) => m,
            Err(Skip::Dir) => continue,
            Err(Skip::One(d) | Skip::Rest(d)) => {
                return Err(Diagnostic {
                    message: format!("{}; the workbook is not opened", d.message),
                    ..d
                });
            }
        };
        if held_whole(&m.name) && m.size > limits.max_part {
            return Err(Diagnostic::whole_file(
                Level::Warning,
                m.full.as_str(),
                format!(
                    "{} bytes, over the cap of {} for a part read whole; the workbook is not opened",
                    m.size, limits.max_part
                ),
            ));
        }
        let trip = Trip::default();
        let part_fail = |e: io::Error| {
            Diagnostic::whole_file(Level::Error, m.full.as_str(), format!("cannot read: {e}"))
        };
        let file = archive.by_index(i).map_err(|e| part_fail(zip_io(e)))?;
        let n = io::copy(
            &mut Capped::new(file, m.size, declared_why(m.size), trip.clone()),
            &mut io::sink(),
        )
        .map_err(part_fail)?;
        if let Some(why) = trip.get() {
            return Err(bomb(&m.full, &format!("{why}; the workbook is not opened")));
        }
        *budget = budget.saturating_sub(n);
    }
    let mut reader = archive.into_inner();
    let not_a_book = |e: String| {
        Diagnostic::whole_file(
            Level::Error,
            display,
            format!("not a readable workbook: {e}"),
        )
    };
    reader
        .seek(SeekFrom::Start(0))
        .map_err(|e| not_a_book(e.to_string()))?;
    let mut book: Xlsx<R> = Xlsx::new(reader).map_err(|e| not_a_book(e.to_string()))?;
    let mut report = container_report(display, Format::Xlsx);
    for sheet in book.sheet_names() {
        let full = format!("{display}!{sheet}");
        let mut scan = Scan::new(cx.engine, cx.options, full.as_str().into());
        let mut bytes = 0u64;
        match book.worksheet_cells_reader(&sheet) {
            Err(e) => {
                // A chart sheet or a sheet whose XML is broken: the other sheets go on.
                report.diagnostics.push(Diagnostic::whole_file(
                    Level::Warning,
                    full.as_str(),
                    format!("not read: {e}"),
                ));
                continue;
            }
            Ok(mut cells) => {
                let mut header_row: Option<u32> = None;
                let mut headers: BTreeMap<u32, String> = BTreeMap::new();
                loop {
                    let cell = match cells.next_cell() {
                        Ok(Some(cell)) => cell,
                        Ok(None) => break,
                        Err(e) => {
                            scan.diagnostics.push(Diagnostic::whole_file(
                                Level::Warning,
                                full.as_str(),
                                format!("{e}; the cells before it were scanned"),
                            ));
                            break;
                        }
                    };
                    let (row, col) = cell.get_position();
                    let Some(text) = cell_text(cell.get_value()) else {
                        continue;
                    };
                    let header = *header_row.get_or_insert(row) == row;
                    let field = if header {
                        None
                    } else {
                        headers.get(&col).map(String::as_str)
                    };
                    scan.record_value(&text, field, u64::from(col), u64::from(row) + 1);
                    bytes += text.len() as u64;
                    // Excel has 16,384 columns; a hostile sheet may claim more.
                    if header && headers.len() < 16_384 {
                        headers.insert(col, text.trim().to_lowercase());
                    }
                }
            }
        }
        report
            .entries
            .push(scan.finish(&full, Format::Xlsx, false, bytes));
    }
    Ok(close(report))
}

/// The text of a cell as a person reads it: strings as they are, whole numbers without a
/// fraction (a card number or SSN typed into a number cell), date cells as `YYYY-MM-DD` (a date
/// of birth column; the time of day is dropped). Booleans, durations, errors and empty cells carry
/// no identifier.
fn cell_text(value: &DataRef<'_>) -> Option<String> {
    let text = match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        // Below 2^53 a whole float is exact, and Excel keeps 15 significant digits anyway.
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::DateTime(when) if when.is_datetime() => {
            // calamine clamps serials out of range and knows the 1900 and 1904 date systems.
            let (year, month, day, ..) = when.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        DataRef::Bool(_) | DataRef::DateTime(_) | DataRef::Error(_) | DataRef::Empty => {
            return None;
        }
    };
    (!text.is_empty()).then_some(text)
}

/// A Word document: the text of `word/document.xml`, a paragraph per line, read as plain text.
/// The text Word keeps in other parts (headers, footers, footnotes, endnotes, comments) comes back
/// as [`FileReport::entries`] named `report.docx!word/header1.xml`, and the document's label is
/// the most sensitive of its own and theirs.
fn docx<R: Read + Seek>(
    cx: &Cx<'_>,
    display: &str,
    mut archive: ZipArchive<R>,
    budget: &mut u64,
) -> Result<FileReport, Diagnostic> {
    let Some(i) = archive.index_for_name("word/document.xml") else {
        return Err(Diagnostic::whole_file(
            Level::Warning,
            display,
            "no word/document.xml: not a Word document; not scanned",
        ));
    };
    let mut report = docx_part(cx, display, display, &mut archive, i, budget)?;
    let others: Vec<(usize, String)> = (0..archive.len())
        .filter_map(|j| {
            let name = archive.name_for_index(j)?.ok()?;
            is_other_text_part(&name).then(|| (j, name.into_owned()))
        })
        .take(cx.options.limits.max_entries)
        .collect();
    for (j, name) in others {
        let full = format!("{display}!{name}");
        match docx_part(cx, &full, display, &mut archive, j, budget) {
            Ok(part) => {
                report.label = report.label.max(part.label);
                report.entries.push(part);
            }
            Err(d) => report.diagnostics.push(d),
        }
    }
    Ok(report)
}

/// Whether `name` is a part of a Word document, besides the body, that holds text a person
/// wrote: headers and footers (`word/header1.xml`), footnotes, endnotes and comments.
fn is_other_text_part(name: &str) -> bool {
    let Some(file) = name.strip_prefix("word/") else {
        return false;
    };
    let Some(stem) = file.strip_suffix(".xml") else {
        return false;
    };
    let numbered = |prefix: &str| {
        stem.strip_prefix(prefix)
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
    };
    numbered("header")
        || numbered("footer")
        || matches!(stem, "footnotes" | "endnotes" | "comments")
}

/// One XML part of a Word document (entry `index` of `archive`), its text a paragraph per line,
/// reported as `display`; `document` names the document in diagnostics of the part's size.
fn docx_part<R: Read + Seek>(
    cx: &Cx<'_>,
    display: &str,
    document: &str,
    archive: &mut ZipArchive<R>,
    index: usize,
    budget: &mut u64,
) -> Result<FileReport, Diagnostic> {
    let limits = cx.options.limits;
    let m = match member(archive, index, document, &limits, *budget) {
        Ok(m) => m,
        Err(Skip::Dir) => {
            return Err(Diagnostic::whole_file(
                Level::Warning,
                display,
                "a directory where a part of the document should be; not scanned",
            ));
        }
        Err(Skip::One(d) | Skip::Rest(d)) => return Err(d),
    };
    let trip = Trip::default();
    let broken = Trip::default();
    let mut warnings = Vec::new();
    let hard = if m.size > limits.max_part {
        warnings.push(Diagnostic::whole_file(
            Level::Warning,
            m.full.as_str(),
            format!(
                "{} bytes; only the first {} were read",
                m.size, limits.max_part
            ),
        ));
        limits.max_part
    } else {
        m.size
    };
    let mut source = DocxSource {
        archive,
        index,
        hard,
        // Past the part cap the stream stops quietly (warned above); past the declared size it
        // is a bomb.
        trip: if hard < m.size {
            Trip::default()
        } else {
            trip.clone()
        },
        why: declared_why(m.size),
        broken: broken.clone(),
    };
    let mut report = read::scan_stream(
        cx.engine,
        cx.options,
        display,
        String::new(),
        false,
        Some(Format::Docx),
        &mut source,
    )
    .map_err(|e| Diagnostic::whole_file(Level::Error, display, format!("cannot read: {e}")))?;
    trip.report(&mut report);
    report.diagnostics.extend(warnings);
    if let Some(why) = broken.get() {
        report.diagnostics.push(Diagnostic::whole_file(
            Level::Warning,
            m.full.as_str(),
            format!("{why}; the text before it was scanned"),
        ));
    }
    *budget = budget.saturating_sub(report.bytes);
    Ok(report)
}

/// One XML part of a Word document as its text, capped.
struct DocxSource<'a, R> {
    archive: &'a mut ZipArchive<R>,
    index: usize,
    hard: u64,
    trip: Trip,
    why: String,
    broken: Trip,
}

impl<R: Read + Seek> Reopen for DocxSource<'_, R> {
    fn open(&mut self) -> io::Result<Box<dyn BufRead + '_>> {
        let file = self.archive.by_index(self.index).map_err(zip_io)?;
        let capped = Capped::new(file, self.hard, self.why.clone(), self.trip.clone());
        Ok(Box::new(BufReader::new(DocxText {
            xml: quick_xml::Reader::from_reader(BufReader::new(capped)),
            event: Vec::new(),
            out: Vec::new(),
            pos: 0,
            in_text: false,
            done: false,
            broken: self.broken.clone(),
        })))
    }
}

/// The text runs of a WordprocessingML body as a byte stream: `w:t` text, a tab for `w:tab`, a
/// space for a line break within a paragraph (`w:br`, `w:cr`), and a newline after each paragraph,
/// so a line is a paragraph. Broken XML ends the stream and is recorded in `broken`.
struct DocxText<R: BufRead> {
    xml: quick_xml::Reader<R>,
    /// quick-xml's buffer for one event (at most the part's cap).
    event: Vec<u8>,
    /// Text of the last event, not yet read.
    out: Vec<u8>,
    pos: usize,
    in_text: bool,
    done: bool,
    broken: Trip,
}

impl<R: BufRead> DocxText<R> {
    /// Reads one event into `out`.
    fn next_event(&mut self) {
        self.event.clear();
        self.out.clear();
        self.pos = 0;
        match self.xml.read_event_into(&mut self.event) {
            Ok(Event::Start(e)) => {
                if e.local_name().as_ref() == "t" {
                    self.in_text = true;
                }
            }
            Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "tab" => self.out.push(b'\t'),
                "br" | "cr" => self.out.push(b' '),
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "t" => self.in_text = false,
                "p" => self.out.push(b'\n'),
                _ => {}
            },
            Ok(Event::Text(t)) if self.in_text => {
                self.out.extend_from_slice(t.xml10_content().as_bytes());
            }
            Ok(Event::GeneralRef(r)) if self.in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    self.out
                        .extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes());
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    self.out.extend_from_slice(s.as_bytes());
                }
            }
            Ok(Event::Eof) => self.done = true,
            Ok(_) => {}
            Err(e) => {
                self.broken.set(format!("broken XML ({e})"));
                self.done = true;
            }
        }
    }
}

impl<R: BufRead> Read for DocxText<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.next_event();
        }
        let n = dst.len().min(self.out.len() - self.pos);
        dst[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
