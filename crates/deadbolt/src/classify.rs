//! `deadbolt classify`: an inventory of the sensitive data in files, masked.
//!
//! Exit codes: 0 — no restricted or confidential data found (internal data such as IP addresses
//! does not count); 1 — restricted or confidential data found; 2 — usage error, or no file could
//! be read.

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
}

/// Arguments of `deadbolt classify`.
#[derive(clap::Args)]
pub struct ClassifyArgs {
    /// Files or directories to classify.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = ClassifyFormat::Human)]
    format: ClassifyFormat,
    /// Report only findings at or above this confidence (low, medium, high).
    #[arg(long, default_value = "low")]
    min_confidence: Confidence,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
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
pub fn run(args: ClassifyArgs) -> Result<u8> {
    for p in &args.paths {
        if !p.exists() {
            bail!("{}: no such file or directory", p.display());
        }
    }
    let engine = Engine::builtin().map_err(|e| anyhow!("built-in detectors: {e}"))?;
    let options = Options {
        min_confidence: args.min_confidence,
        ..Options::default()
    };
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    for root in &args.paths {
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
    let results = deadbolt_files::parallel_map(&files, |(path, display)| {
        deadbolt_classify::scan_file(&engine, path, display, &options)
    });
    let mut summary = Summary {
        files: files.len(),
        ..Summary::default()
    };
    let mut reports = Vec::new();
    for r in results {
        match r {
            Ok(report) if report.format == Format::Binary => summary.skipped_binary += 1,
            Ok(report) => {
                summary.scanned += 1;
                summary.bytes += report.bytes;
                *summary.files_by_label.entry(report.label).or_default() += 1;
                for t in &report.types {
                    *summary.findings.entry(t.label).or_default() += t.count;
                }
                diagnostics.extend(report.diagnostics.iter().cloned());
                reports.push(report);
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
    }
    match &args.output {
        Some(p) => std::fs::write(p, &buffer).with_context(|| p.display().to_string())?,
        None => match std::io::stdout().lock().write_all(&buffer) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other.context("cannot write the report")?,
        },
    }
    if args.format == ClassifyFormat::Json || args.output.is_some() {
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
    Ok(u8::from(sensitive))
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
