//! `deadbolt classify`: an inventory of the sensitive data in files, masked.
//!
//! Exit codes: 0 — no restricted or confidential data found (internal data such as IP addresses
//! does not count) and every file read whole; 1 — restricted or confidential data found, or an
//! input problem left part of the input unread (an unreadable file, a corrupt row group or member,
//! a bomb: any error diagnostic); 2 — usage error, or no file could be read.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::ValueEnum;
use deadbolt_classify::{Confidence, Engine, FileReport, Format, Label, Options};
use deadbolt_model::Diagnostic;
use serde::Serialize;

/// How `classify` prints.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClassifyFormat {
    /// For a terminal.
    Human,
    /// For programs (`schema_version: 1`).
    Json,
    /// SARIF 2.1.0: one result per finding (up to 1,000 per identifier per file),
    /// the detector as rule, the masked sample in the message.
    Sarif,
    /// One row per file and identifier: file, label, identifier, category, count, highest
    /// confidence, first masked sample, its line.
    Csv,
}

/// Findings kept per identifier per file for SARIF, where each finding is a result; the other
/// formats keep a few samples. Bounded so a file full of e-mail addresses stays a readable report.
/// The help of `--format sarif` states the number (a doc link there would print as its source).
const SARIF_FINDINGS: usize = 1000;

/// Arguments of `deadbolt classify`.
#[derive(clap::Args)]
pub struct ClassifyArgs {
    /// Files or directories to classify, or `s3://BUCKET/PREFIX` (every object under it, through
    /// the AWS SDK: the `aws` build).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// For `s3://` inputs: a named profile of the AWS shared config and credentials files.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// For `s3://` inputs: another S3 endpoint (`AWS_ENDPOINT_URL` works too).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = ClassifyFormat::Human)]
    format: ClassifyFormat,
    /// Report only findings at or above this confidence (low, medium, high).
    #[arg(long, default_value = "low")]
    min_confidence: Confidence,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
    /// Run only these detectors: IDs or starts of IDs, comma-separated (`us-,email-address`).
    /// All by default.
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    detectors: Vec<String>,
}

/// Totals over the scanned files.
#[derive(Serialize, Default)]
struct Summary {
    /// Files found.
    files: usize,
    /// Files read (not binary, not unreadable).
    scanned: usize,
    /// Binary files skipped.
    skipped_binary: usize,
    /// Files that could not be read.
    unreadable: usize,
    /// Bytes scanned (after decompression).
    bytes: u64,
    /// Findings per label of their detector.
    findings: std::collections::BTreeMap<Label, u64>,
    /// Files per label.
    files_by_label: std::collections::BTreeMap<Label, usize>,
}

/// The JSON report.
#[derive(Serialize)]
struct Inventory<'a> {
    schema_version: u32,
    min_confidence: Confidence,
    summary: &'a Summary,
    files: Vec<&'a FileReport>,
    diagnostics: &'a [Diagnostic],
}

/// Runs `deadbolt classify`; returns the exit code.
/// Hands the memory this thread freed back to the system. The scan keeps its big buffers from one
/// file to the next (`Spare` in deadbolt-classify); what a file frees besides is handed back once
/// it is done, rather than left to mimalloc, which keeps freed pages for reuse a while. On the 1 GB
/// benchmark corpus (density 0.02, 2 threads) peak RSS was 184–223 MiB run to run with neither,
/// 168–183 MiB with the kept buffers, and 145–156 MiB with both, for about 1.5% more CPU time.
fn release_freed_memory() {
    // SAFETY: `mi_collect` takes no pointers; it frees what this thread's heap no longer uses,
    // which is what mimalloc does by itself from time to time.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

pub fn run(args: ClassifyArgs) -> Result<u8> {
    // With transparent huge pages, every lazy DFA cache and read buffer the scan touches is
    // backed in 2 MiB pages: on the 1 GB benchmark corpus peak RSS was 200–212 MiB with them and
    // 166–171 MiB without, for 2–12% more CPU time. A failure (an old kernel) changes nothing else.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let is_s3 = |p: &Path| p.to_str().is_some_and(|p| p.starts_with("s3://"));
    for p in &args.paths {
        if !is_s3(p) && !p.exists() {
            bail!("{}: no such file or directory", p.display());
        }
    }
    let engine = if args.detectors.is_empty() {
        Engine::builtin().map_err(|e| anyhow!("built-in detectors: {e}"))?
    } else {
        Engine::builtin_selected(&args.detectors).map_err(|e| anyhow!("--detectors: {e}"))?
    };
    let options = Options {
        min_confidence: args.min_confidence,
        samples: if args.format == ClassifyFormat::Sarif {
            SARIF_FINDINGS
        } else {
            Options::default().samples
        },
        ..Options::default()
    };
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for root in args.paths.iter().filter(|p| !is_s3(p)) {
        let base = if root.is_dir() {
            root.clone()
        } else {
            root.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        for path in deadbolt_files::walk(root, &[], |_| true, &mut diagnostics) {
            let display = deadbolt_files::display_path(root, &base, &path);
            files.push((path, display));
        }
    }
    let mut results = deadbolt_files::parallel_map(&files, |(path, display)| {
        let report = deadbolt_classify::scan_file(&engine, path, display, &options);
        release_freed_memory();
        report
    });
    let mut objects = 0;
    for url in args.paths.iter().filter(|p| is_s3(p)) {
        let url = url.to_string_lossy();
        objects += crate::aws::s3_objects(
            &url,
            crate::aws::Select::All,
            args.profile.as_deref(),
            args.endpoint_url.as_deref(),
            &mut diagnostics,
            &mut |display, body, _| {
                results.push(deadbolt_classify::scan_bytes(
                    &engine, body, display, &options,
                ))
            },
        )?;
    }
    let mut summary = Summary {
        files: files.len() + objects,
        ..Summary::default()
    };
    let mut reports = Vec::new();
    for r in results {
        match r {
            Ok(report) if report.format == Format::Binary => {
                // A password-protected Office document is binary with a warning that says so.
                summary.skipped_binary += 1;
                diagnostics.extend(report.diagnostics);
            }
            Ok(report) => {
                summary.scanned += 1;
                summary.bytes += report.bytes;
                *summary.files_by_label.entry(report.label).or_default() += 1;
                // An archive's members and a workbook's sheets are reported each on its own, as
                // `archive.zip!member`, after the archive.
                let first = reports.len();
                flatten(report, &mut reports);
                for r in &reports[first..] {
                    for t in &r.types {
                        *summary.findings.entry(t.label).or_default() += t.count;
                    }
                    diagnostics.extend(r.diagnostics.iter().cloned());
                }
            }
            Err(d) => {
                summary.unreadable += 1;
                diagnostics.push(d);
            }
        }
    }
    let mut buffer = Vec::new();
    match args.format {
        ClassifyFormat::Human => human(&summary, &reports, &diagnostics, &mut buffer)?,
        ClassifyFormat::Json => {
            let inventory = Inventory {
                schema_version: 1,
                min_confidence: args.min_confidence,
                summary: &summary,
                files: reports.iter().collect(),
                diagnostics: &diagnostics,
            };
            serde_json::to_writer_pretty(&mut buffer, &inventory)?;
            writeln!(buffer)?;
        }
        ClassifyFormat::Sarif => {
            serde_json::to_writer_pretty(&mut buffer, &sarif(&engine, &reports))?;
            writeln!(buffer)?;
        }
        ClassifyFormat::Csv => csv_rows(&reports, &mut buffer)?,
    }
    match &args.output {
        Some(p) => std::fs::write(p, &buffer).with_context(|| p.display().to_string())?,
        None => match std::io::stdout().lock().write_all(&buffer) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other.context("cannot write the report")?,
        },
    }
    if args.format != ClassifyFormat::Human || args.output.is_some() {
        for d in &diagnostics {
            eprintln!("{d}");
        }
    }
    if summary.scanned == 0 && summary.files > summary.skipped_binary {
        eprintln!("deadbolt: nothing could be classified: no file could be read");
        return Ok(2);
    }
    let sensitive = reports
        .iter()
        .any(|r| matches!(r.label, Label::Restricted | Label::Confidential));
    let partial = diagnostics
        .iter()
        .any(|d| d.level == deadbolt_model::Level::Error);
    Ok(u8::from(sensitive || partial))
}

/// Appends `report` and then, in order, the entries of it and of its entries.
fn flatten(mut report: FileReport, out: &mut Vec<FileReport>) {
    let entries = std::mem::take(&mut report.entries);
    out.push(report);
    for e in entries {
        flatten(e, out);
    }
}

/// The human report: one block per file with findings, then the problems and the summary.
fn human(
    summary: &Summary,
    reports: &[FileReport],
    diagnostics: &[Diagnostic],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for r in reports.iter().filter(|r| !r.types.is_empty()) {
        let gz = if r.gzip { ", gzip" } else { "" };
        writeln!(out, "{}  [{}]  ({}{gz})", r.file, r.label, r.format)?;
        for t in &r.types {
            writeln!(
                out,
                "  {:<24} {:>6}  highest {:<6}  {}",
                t.detector, t.count, t.highest, t.category
            )?;
            for s in &t.samples {
                let field = s
                    .field
                    .as_deref()
                    .map(|f| format!("  [{f}]"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "      line {} byte {}: {} ({}){field}",
                    s.line, s.offset, s.masked, s.confidence
                )?;
            }
        }
    }
    if !diagnostics.is_empty() {
        writeln!(out, "\nInput problems:")?;
        for d in diagnostics {
            writeln!(out, "  {d}")?;
        }
    }
    let count = |l: Label| summary.findings.get(&l).copied().unwrap_or(0);
    let files = |l: Label| summary.files_by_label.get(&l).copied().unwrap_or(0);
    writeln!(
        out,
        "\n{} file(s): {} scanned ({} bytes), {} binary skipped, {} unreadable",
        summary.files, summary.scanned, summary.bytes, summary.skipped_binary, summary.unreadable
    )?;
    writeln!(
        out,
        "files: {} restricted, {} confidential, {} internal, {} public",
        files(Label::Restricted),
        files(Label::Confidential),
        files(Label::Internal),
        files(Label::Public)
    )?;
    writeln!(
        out,
        "findings: {} restricted, {} confidential, {} internal",
        count(Label::Restricted),
        count(Label::Confidential),
        count(Label::Internal)
    )
}

/// The SARIF level of a finding: restricted data is an error, confidential a warning, internal a
/// note, so code-scanning UIs sort them as the labels do.
fn sarif_level(label: Label) -> &'static str {
    match label {
        Label::Restricted => "error",
        Label::Confidential => "warning",
        Label::Internal | Label::Public => "note",
    }
}

/// The report as SARIF 2.1.0 (OASIS): every detector is a rule; every kept finding is a result at
/// its file and line, its message naming the identifier and the masked sample only.
fn sarif(engine: &Engine, reports: &[FileReport]) -> serde_json::Value {
    use serde_json::json;
    let detectors = engine.detectors();
    let rules: Vec<serde_json::Value> = detectors
        .iter()
        .map(|d| {
            json!({
                "id": d.id,
                "name": d.name,
                "shortDescription": { "text": d.name },
                "fullDescription": {
                    "text": format!("{} ({} data, labelled {}).", d.name, d.category, d.label)
                },
                "defaultConfiguration": { "level": sarif_level(d.label) },
                "properties": { "category": d.category.to_string(), "label": d.label.to_string() },
            })
        })
        .collect();
    let mut results = Vec::new();
    for r in reports {
        for t in &r.types {
            let Some(index) = detectors.iter().position(|d| d.id == t.detector) else {
                continue;
            };
            for s in &t.samples {
                let field = s
                    .field
                    .as_deref()
                    .map(|f| format!(" in {f}"))
                    .unwrap_or_default();
                results.push(json!({
                    "ruleId": t.detector,
                    "ruleIndex": index,
                    "level": sarif_level(t.label),
                    "message": {
                        "text": format!(
                            "{}: {}{field} ({} confidence; {} in this file)",
                            t.name, s.masked, s.confidence, t.count
                        )
                    },
                    "locations": [{
                        "physicalLocation": {
                            "artifactLocation": { "uri": r.file.replace('\\', "/") },
                            "region": { "startLine": s.line.max(1), "byteOffset": s.offset }
                        }
                    }],
                    "properties": {
                        "confidence": s.confidence.to_string(),
                        "label": t.label.to_string(),
                        "category": t.category.to_string(),
                    },
                }));
            }
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "deadbolt-classify",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }]
    })
}

/// The CSV inventory: a header, then one row per file and identifier type. Files without findings
/// get no row; the sample is masked like everywhere else.
fn csv_rows(reports: &[FileReport], out: &mut Vec<u8>) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "file",
        "label",
        "identifier",
        "category",
        "count",
        "highest_confidence",
        "sample",
        "line",
    ])?;
    for r in reports {
        for t in &r.types {
            let first = t.samples.first();
            w.write_record([
                r.file.as_str(),
                &r.label.to_string(),
                &t.detector,
                &t.category.to_string(),
                &t.count.to_string(),
                &t.highest.to_string(),
                first.map(|s| s.masked.as_str()).unwrap_or_default(),
                &first.map(|s| s.line.to_string()).unwrap_or_default(),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}
