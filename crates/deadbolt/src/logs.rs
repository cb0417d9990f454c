//! `deadbolt logs`: detections over AWS CloudTrail.
//!
//! Exit codes: 0 — no alert and every file read; 1 — alerts, or some input could not be read (the
//! review is partial); 2 — usage error, or no record could be read at all. `--emit-sql` and
//! `--list` exit 0.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use deadbolt_logs::sql::{self, Dialect, Fidelity};
use deadbolt_logs::{Engine, Limits, Window, detection};
use deadbolt_model::{Diagnostic, Level};
use deadbolt_report::logs::{self as report, LogReport};

/// How `logs` prints.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogsFormat {
    /// For a terminal.
    Human,
    /// For programs (`schema_version: 1`).
    Json,
    /// OCSF Detection Finding records (class 2004), one per line.
    Ocsf,
    /// SARIF 2.1.0.
    Sarif,
}

/// The SQL dialects `--emit-sql` writes.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SqlDialect {
    /// Apache Spark SQL 3.4+ / Databricks (see the docs for Athena and Trino).
    Spark,
    /// DuckDB 1.3+.
    Duckdb,
    /// Apache DataFusion 55 with datafusion-functions-json.
    Datafusion,
}

impl From<SqlDialect> for Dialect {
    fn from(d: SqlDialect) -> Dialect {
        match d {
            SqlDialect::Spark => Dialect::Spark,
            SqlDialect::Duckdb => Dialect::DuckDb,
            SqlDialect::Datafusion => Dialect::DataFusion,
        }
    }
}

/// What runs the detections.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineKind {
    /// The streaming Sigma engine: one pass, memory bounded by the correlation windows.
    Stream,
    /// The detections as SQL, run in process by DataFusion over a table of the events (needs the
    /// `lake` feature, on by default).
    Datafusion,
}

/// Arguments of `deadbolt logs`.
#[derive(clap::Args)]
pub struct LogsArgs {
    /// CloudTrail files or folders: S3 delivery files (`.json`, `.json.gz`), NDJSON, JSON arrays;
    /// or `s3://BUCKET/PREFIX`, read from S3 (the `aws` build), after the local ones.
    #[arg(required_unless_present_any = ["emit_sql", "list"])]
    paths: Vec<String>,
    /// More Sigma rules (a `.yml` file or a folder of them), for `logsource: {product: aws,
    /// service: cloudtrail}`. Repeatable.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Run only the rules given with --rules, not the built-in detections.
    #[arg(long)]
    no_builtin: bool,
    /// Only records at or after this time (`2026-11-01` or RFC 3339, UTC). Delivery files whose
    /// name says they were delivered before it are not read at all (a delivery file holds only
    /// records written before its delivery time).
    #[arg(long)]
    since: Option<String>,
    /// Only records before this time (`2026-11-02` or RFC 3339, UTC).
    #[arg(long)]
    until: Option<String>,
    /// How much older than matches of its group already read a correlation's match may be and
    /// still count (`30m`, `1h`, `2d`): within it, the order of the records does not change the
    /// alerts. Raise
    /// it for an export in reverse time order spanning longer; the state kept grows with it.
    #[arg(long, value_name = "SPAN", default_value = "1h", value_parser = parse_lateness)]
    max_lateness: i64,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = LogsFormat::Human)]
    format: LogsFormat,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
    /// The largest single line (one NDJSON record, or a whole delivery file written on one line)
    /// or multi-line JSON document to read, in MiB; a longer one is skipped with an error, so a
    /// hostile 2 GB line or gzip bomb costs time, not memory.
    #[arg(long, value_name = "MIB", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..=4096))]
    max_line_mib: u32,
    /// Days at the start of the logs during which the per-identity baseline only learns (when no
    /// saved baseline is given): first-seen APIs, networks, user agents and regions after them are
    /// scored as anomalies (CT-ANOM-001).
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    baseline_days: u32,
    /// A saved baseline: go on from it if the file exists (the learning period counts from the
    /// first event of its history), and write the updated baseline back to it, so a daily run
    /// compares against history.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// A MaxMind GeoIP2/GeoLite2 database (`.mmdb`: ASN, Country or City): the baseline then keys
    /// source networks by ASN or country instead of /24 (IPv4) and /48 (IPv6) prefixes.
    #[arg(long, value_name = "MMDB")]
    geoip: Option<PathBuf>,
    /// Run the detections only, without the per-identity baseline.
    #[arg(long)]
    no_baseline: bool,
    /// Also write every reviewed record as an OCSF 1.4.0 event (API Activity 6003, Authentication
    /// 3002, Account Change 3001), one JSON object per line, to this file.
    #[arg(long, value_name = "FILE")]
    export_ocsf: Option<PathBuf>,
    /// Also write every reviewed record as an OCSF event to this Parquet file (nested columns as
    /// OCSF nests them, Snappy-compressed), for a security data lake.
    #[arg(long, value_name = "FILE")]
    export_parquet: Option<PathBuf>,
    /// List the detections (ID, severity, ATT&CK, CIS, title) and exit.
    #[arg(long)]
    list: bool,
    /// Print the detections as SQL over a `cloudtrail_events` table for this engine (its CREATE
    /// TABLE first) and exit.
    #[arg(long, value_enum, value_name = "DIALECT")]
    emit_sql: Option<SqlDialect>,
    /// Which engine runs the detections.
    #[arg(long, value_enum, default_value_t = EngineKind::Stream)]
    engine: EngineKind,
    /// For `s3://` inputs: a named profile of the AWS shared config and credentials files.
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// For `s3://` inputs: another S3 endpoint (`AWS_ENDPOINT_URL` works too).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
}

/// Parses `2026-11-01` (midnight UTC) or an RFC 3339 timestamp into milliseconds since the epoch.
fn parse_bound(flag: &str, text: &str) -> Result<i64> {
    if let Ok(t) = text.parse::<jiff::Timestamp>() {
        return Ok(t.as_millisecond());
    }
    // A date and time without an offset is UTC, as CloudTrail's eventTime is.
    if let Ok(civil) = text.parse::<jiff::civil::DateTime>()
        && text.contains('T')
    {
        let utc: jiff::Timestamp = format!("{civil}Z")
            .parse()
            .with_context(|| format!("{flag} {text:?}"))?;
        return Ok(utc.as_millisecond());
    }
    let date: jiff::civil::Date = text.parse().with_context(|| {
        format!("{flag} {text:?}: expected a date (2026-11-01) or an RFC 3339 time")
    })?;
    let midnight: jiff::Timestamp = format!("{date}T00:00:00Z")
        .parse()
        .with_context(|| format!("{flag} {text:?}"))?;
    Ok(midnight.as_millisecond())
}

pub(crate) fn is_log_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    [
        ".json",
        ".json.gz",
        ".ndjson",
        ".ndjson.gz",
        ".jsonl",
        ".jsonl.gz",
        ".gz",
    ]
    .iter()
    .any(|ext| name.ends_with(ext))
}

fn parse_lateness(text: &str) -> Result<i64, String> {
    deadbolt_logs::sigma::timespan(text)
        .ok_or_else(|| format!("{text:?} is not a span: a number and s, m, h, d or w (1h)"))
}

/// Runs `deadbolt logs`; returns the exit code.
pub fn run(args: LogsArgs) -> Result<u8> {
    let window = Window {
        since_ms: args
            .since
            .as_deref()
            .map(|s| parse_bound("--since", s))
            .transpose()?,
        until_ms: args
            .until
            .as_deref()
            .map(|s| parse_bound("--until", s))
            .transpose()?,
        lateness_ms: Some(args.max_lateness),
    };
    if let (Some(since), Some(until)) = (window.since_ms, window.until_ms)
        && since >= until
    {
        bail!("--since must be before --until");
    }
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut detections = if args.no_builtin {
        Vec::new()
    } else {
        detection::builtin(&mut diagnostics)
    };
    for path in &args.rules {
        detections.extend(detection::from_path(path, &mut diagnostics));
    }
    if detections.is_empty() {
        for d in &diagnostics {
            eprintln!("{d}");
        }
        bail!("no detections to run");
    }
    let engine = Engine::new(detections, &mut diagnostics);
    if args.list {
        list(&engine)?;
        for d in &diagnostics {
            eprintln!("{d}");
        }
        let errors = diagnostics.iter().any(|d| d.level == Level::Error);
        return Ok(if errors { 2 } else { 0 });
    }
    if let Some(dialect) = args.emit_sql {
        return emit_sql(
            &engine,
            dialect.into(),
            args.output.as_deref(),
            &diagnostics,
        );
    }

    let mut files: Vec<(PathBuf, Arc<str>)> = Vec::new();
    let mut s3_urls: Vec<&str> = Vec::new();
    for p in &args.paths {
        if p.starts_with("s3://") {
            s3_urls.push(p);
            continue;
        }
        let root = Path::new(p);
        if !root.exists() {
            bail!("{p}: no such file or directory");
        }
        if root.is_file() {
            files.push((root.to_path_buf(), Arc::from(p.as_str())));
            continue;
        }
        for path in deadbolt_files::walk(root, &[], is_log_file, &mut diagnostics) {
            let display = Arc::from(path.display().to_string());
            files.push((path, display));
        }
    }

    let options = deadbolt_logs::BaselineOptions {
        learn_days: args.baseline_days,
        geoip: args.geoip.clone(),
        ..deadbolt_logs::BaselineOptions::default()
    };
    let mut baseline = if args.no_baseline {
        None
    } else {
        Some(match &args.baseline {
            Some(path) if path.exists() => deadbolt_logs::Baseline::load(path, options)
                .with_context(|| format!("baseline {}", path.display()))?,
            _ => deadbolt_logs::Baseline::new(options).context("baseline")?,
        })
    };
    let listed = files.len();
    if let Some(since) = window.since_ms {
        files.retain(|(path, _)| !delivered_before(path, since));
    }
    let skipped_by_since = listed - files.len();
    if skipped_by_since > 0 {
        eprintln!(
            "deadbolt: {skipped_by_since} delivery file(s) delivered before --since were not read"
        );
    }
    // Correlation windows and the baseline assume records arrive roughly in time order; S3
    // delivery files are laid out per account, region and day, so walking the folders would replay
    // each region's month before the next region's. Their names carry the delivery time.
    files.sort_by_cached_key(|(path, _)| delivery_time(path));
    let limit_bytes = (args.max_line_mib as usize).saturating_mul(1 << 20);
    let limits = Limits {
        max_line_bytes: limit_bytes,
        max_document_bytes: limit_bytes,
    };
    // The DataFusion engine reads the same records through a session with no detections (so
    // skips, counts, the baseline and the export are the same) into a table, and runs the
    // detections as SQL over it afterwards.
    let in_sql = args.engine == EngineKind::Datafusion;
    let no_detections = Engine::new(Vec::new(), &mut diagnostics);
    let mut table = deadbolt_lake::Table::new();
    let mut session = if in_sql {
        no_detections.session(window)
    } else {
        engine.session(window)
    };
    let mut record_diagnostics = Vec::new();
    let mut export = match &args.export_ocsf {
        Some(path) => Some((
            std::io::BufWriter::new(
                create_private(path).with_context(|| format!("cannot write {}", path.display()))?,
            ),
            None::<std::io::Error>,
        )),
        None => None,
    };
    let mut parquet = match &args.export_parquet {
        Some(path) => Some(ParquetSink::create(path)?),
        None => None,
    };
    let mut parquet_failed: Option<String> = None;
    let (mut bytes, mut digest_files, mut read_any) = (0u64, 0u64, false);
    let mut buffers = deadbolt_logs::Buffers::default();
    let mut read_files = 0u64;
    let mut read_one = |display: &Arc<str>,
                        source: Source<'_>,
                        diagnostics: &mut Vec<Diagnostic>| {
        read_files += 1;
        let before = session.stats();
        let mut sink = |record: deadbolt_logs::Record<'_>| {
            session.record(&record, &mut record_diagnostics, &mut |event| {
                if in_sql {
                    table.push(event);
                }
                if let Some(baseline) = &mut baseline {
                    baseline.observe(event);
                }
                if export.is_none() && parquet.is_none() {
                    return;
                }
                let tree: Option<serde_json::Value> = serde_json::from_str(event.record.json).ok();
                let ocsf = deadbolt_logs::ocsf::event(event.header, tree.as_ref());
                if let Some((out, failed)) = &mut export
                    && failed.is_none()
                    && let Err(e) = serde_json::to_writer(&mut *out, &ocsf)
                        .map_err(std::io::Error::from)
                        .and_then(|()| out.write_all(b"\n"))
                {
                    *failed = Some(e);
                }
                if let Some(sink) = &mut parquet
                    && parquet_failed.is_none()
                    && let Err(e) = sink.push(ocsf)
                {
                    parquet_failed = Some(e);
                }
            })
        };
        let summary = match source {
            Source::File(path) => deadbolt_logs::read_file_with(
                path,
                display,
                &limits,
                &mut buffers,
                &mut sink,
                diagnostics,
            ),
            Source::Bytes(body) => deadbolt_logs::read_bytes_with(
                body,
                display,
                &limits,
                &mut buffers,
                &mut sink,
                diagnostics,
            ),
        };
        bytes += summary.bytes;
        digest_files += u64::from(summary.digest);
        read_any |= !summary.incomplete;
        let after = session.stats();
        let events = after.events + after.insights + after.outside_window
            - (before.events + before.insights + before.outside_window);
        if summary.records > 0 && events == 0 {
            diagnostics.push(Diagnostic::whole_file(
                Level::Error,
                display.clone(),
                format!(
                    "none of its {} records is a CloudTrail event: not reviewed",
                    summary.records
                ),
            ));
        }
        diagnostics.append(&mut record_diagnostics);
    };
    for (path, display) in &files {
        read_one(display, Source::File(path), &mut diagnostics);
    }
    for url in &s3_urls {
        crate::aws::s3_objects(
            url,
            crate::aws::Select::CloudTrailLogs {
                since_ms: window.since_ms,
            },
            args.profile.as_deref(),
            args.endpoint_url.as_deref(),
            &mut diagnostics,
            &mut |display, body, diagnostics| read_one(display, Source::Bytes(body), diagnostics),
        )?;
    }
    if let (Some((mut out, failed)), Some(path)) = (export, &args.export_ocsf) {
        if let Some(e) = failed {
            return Err(anyhow::Error::new(e).context(format!("cannot write {}", path.display())));
        }
        out.flush()
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let (Some(sink), Some(path)) = (parquet, &args.export_parquet) {
        if let Some(e) = parquet_failed {
            bail!("cannot write {}: {e}", path.display());
        }
        sink.finish()
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    let (mut alerts, stats) = session.finish(&mut diagnostics);
    if in_sql {
        alerts = run_datafusion(&engine, table, &mut diagnostics)?;
    }
    if let Some(baseline) = &mut baseline {
        alerts.extend(baseline.finish());
        // The report comes first; a baseline that cannot be saved is an input problem, not a
        // lost review.
        if let Some(path) = &args.baseline
            && let Err(e) = baseline.save(path)
        {
            diagnostics.push(Diagnostic::whole_file(
                Level::Error,
                path.display().to_string(),
                format!("cannot write the baseline: {e}"),
            ));
        }
    }
    alerts.sort_by(|a, b| a.time.cmp(&b.time));

    let alerting: Vec<deadbolt_logs::Detection> = engine.alerting().cloned().collect();
    let report = LogReport {
        alerts: &alerts,
        stats,
        files: read_files,
        digest_files,
        bytes,
        diagnostics: &diagnostics,
        detections: &alerting,
    };
    // Written as it is rendered, not gathered first: a long review can hold thousands of alerts.
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| p.display().to_string())?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let written = match args.format {
        LogsFormat::Human => report::human(&report, &mut out),
        LogsFormat::Json => report::json(&report, &mut out),
        LogsFormat::Ocsf => report::ocsf(&report, &mut out),
        LogsFormat::Sarif => report::sarif(&report, &mut out),
    }
    .and_then(|()| out.flush());
    drop(out);
    match written {
        // A closed pipe (`| head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write the report")?,
    }
    if args.format != LogsFormat::Human || args.output.is_some() {
        for d in &diagnostics {
            eprintln!("{d}");
        }
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count();
    if !read_any {
        if skipped_by_since > 0 && files.is_empty() && s3_urls.is_empty() && errors == 0 {
            // A daily run with nothing delivered since the last one: nothing new, not a failure.
            eprintln!("deadbolt: nothing new: every delivery file predates --since");
            return Ok(0);
        }
        eprintln!("deadbolt: nothing could be reviewed: no CloudTrail record was read");
        return Ok(2);
    }
    if errors > 0 {
        eprintln!("deadbolt: {errors} input problem(s): the review is partial");
    }
    Ok(u8::from(!alerts.is_empty() || errors > 0))
}

/// Creates a file only its owner can read: exported events carry account activity.
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Where one input's records come from.
enum Source<'a> {
    /// A file on disk, streamed.
    File(&'a Path),
    /// An S3 object's body.
    Bytes(&'a [u8]),
}

/// The `YYYYMMDDTHHMMZ` stamp in a CloudTrail delivery file's name
/// (`ACCOUNT_CloudTrail_REGION_20261102T1005Z_UNIQUE.json.gz`), when there is one. Files without
/// one sort first, in walk order.
pub(crate) fn delivery_time(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    name.split('_')
        .find(|part| {
            part.len() == 14
                && part.as_bytes()[8] == b'T'
                && part.ends_with('Z')
                && part[..8].bytes().all(|b| b.is_ascii_digit())
                && part[9..13].bytes().all(|b| b.is_ascii_digit())
        })
        .map(str::to_string)
}

/// Whether the delivery file at `path` was delivered, by the time stamped in its name, before
/// `since_ms` (milliseconds since the epoch): then every record in it was written before
/// `--since`, and it need not be read. CloudTrail stamps the minute of delivery, and "a log file
/// delivered at a specific time can contain records written at any point before that time" (AWS
/// CloudTrail User Guide, log file name format), so a file counts as delivered at the end of its
/// minute. A name without a stamp is never skipped.
pub(crate) fn delivered_before(path: &Path, since_ms: i64) -> bool {
    // Only CloudTrail's own names (`ACCOUNT_CloudTrail_REGION_STAMP_UNIQUE...`) say when a file
    // was delivered; any other name with a stamp in it says nothing about its records.
    let Some(stamp) = delivery_time(path) else {
        return false;
    };
    let is_delivery_name = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        let parts: Vec<&str> = n.split('_').collect();
        parts.len() >= 5 && parts[1] == "CloudTrail" && parts[3] == stamp
    });
    if !is_delivery_name {
        return false;
    }
    // `20261102T1005Z` is the basic form of `2026-11-02T10:05:00Z`.
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:00Z",
        &stamp[..4],
        &stamp[4..6],
        &stamp[6..8],
        &stamp[9..11],
        &stamp[11..13]
    );
    let Ok(minute) = rfc3339.parse::<jiff::Timestamp>() else {
        return false;
    };
    minute.as_millisecond() + 60_000 <= since_ms
}

/// Where `--export-parquet` writes.
#[cfg(feature = "lake")]
struct ParquetSink(deadbolt_lake::ocsf_parquet::OcsfParquet);

#[cfg(feature = "lake")]
impl ParquetSink {
    fn create(path: &Path) -> Result<ParquetSink> {
        deadbolt_lake::ocsf_parquet::OcsfParquet::create(path)
            .map(ParquetSink)
            .with_context(|| format!("cannot write {}", path.display()))
    }

    fn push(&mut self, event: serde_json::Value) -> std::result::Result<(), String> {
        self.0.push(event).map_err(|e| e.to_string())
    }

    fn finish(self) -> std::result::Result<u64, String> {
        self.0.finish().map_err(|e| e.to_string())
    }
}

/// Without the `lake` feature there is no Parquet writer.
#[cfg(not(feature = "lake"))]
struct ParquetSink;

#[cfg(not(feature = "lake"))]
impl ParquetSink {
    fn create(_: &Path) -> Result<ParquetSink> {
        bail!("--export-parquet: this deadbolt was built without the `lake` feature")
    }

    fn push(&mut self, _: serde_json::Value) -> std::result::Result<(), String> {
        Ok(())
    }

    fn finish(self) -> std::result::Result<u64, String> {
        Ok(0)
    }
}

/// Runs the DataFusion dialect of the detections over the table of the events read.
/// Detections that DataFusion cannot express are warnings: they did not run.
#[cfg(feature = "lake")]
fn run_datafusion(
    engine: &Engine,
    table: deadbolt_lake::Table,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<deadbolt_logs::Alert>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let outcome = deadbolt_lake::engine::run(engine, table, threads)
        .map_err(|e| anyhow::anyhow!("DataFusion: {e}"))?;
    for (id, why) in deadbolt_lake::engine::not_expressible(&outcome.queries) {
        let file = engine
            .detections()
            .iter()
            .find(|d| d.meta.id == id)
            .map_or_else(|| Arc::from(id), |d| d.rule.file.clone());
        diagnostics.push(Diagnostic::whole_file(
            Level::Warning,
            file,
            format!("{id} did not run: not expressible in DataFusion SQL: {why}"),
        ));
    }
    Ok(outcome.alerts)
}

#[cfg(not(feature = "lake"))]
fn run_datafusion(
    _engine: &Engine,
    _table: deadbolt_lake::Table,
    _diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<deadbolt_logs::Alert>> {
    bail!("--engine datafusion: this deadbolt was built without the `lake` feature")
}

/// Prints the SQL script of `dialect`; a summary of what is approximate or not expressible goes to
/// standard error.
fn emit_sql(
    engine: &Engine,
    dialect: Dialect,
    output: Option<&Path>,
    diagnostics: &[Diagnostic],
) -> Result<u8> {
    for d in diagnostics {
        eprintln!("{d}");
    }
    let queries = sql::compile(engine, dialect);
    let script = sql::script(&queries, dialect);
    match output {
        Some(p) => std::fs::write(p, &script).with_context(|| p.display().to_string())?,
        None => match std::io::stdout().lock().write_all(script.as_bytes()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other.context("cannot write the SQL")?,
        },
    }
    let approximate = queries
        .iter()
        .filter(|q| matches!(q.fidelity, Fidelity::Approximate(_)))
        .count();
    let missing: Vec<&str> = queries
        .iter()
        .filter(|q| matches!(q.fidelity, Fidelity::NotExpressible(_)))
        .map(|q| q.detection.as_str())
        .collect();
    eprintln!(
        "deadbolt: {} detections as {} SQL: {} exact, {approximate} approximate, {} not expressible{}",
        queries.len(),
        dialect.name(),
        queries.len() - approximate - missing.len(),
        missing.len(),
        if missing.is_empty() {
            String::new()
        } else {
            format!(" ({})", missing.join(", "))
        }
    );
    Ok(0)
}

fn list(engine: &Engine) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for d in engine.alerting() {
        writeln!(
            out,
            "{:<12} {:<13} {:<22} {:<5} {}",
            d.meta.id,
            d.rule.level.as_str(),
            d.rule.techniques().join(","),
            d.meta.cis.as_deref().unwrap_or("-"),
            d.rule.title
        )?;
    }
    writeln!(
        out,
        "{:<12} {:<13} {:<22} {:<5} {} (the per-identity baseline; severity by score)",
        deadbolt_logs::baseline::DETECTION_ID,
        "low..high",
        "T1078,T1078.004",
        "-",
        deadbolt_logs::baseline::TITLE
    )?;
    Ok(())
}
