//! The `deadbolt` command line: wiring, configuration and exit codes.
//!
//! Exit codes: 0 — no finding at or above `--fail-on`; 1 — findings at or above it, or some input
//! could not be read (the scan is incomplete); 2 — usage error, or nothing could be scanned.

mod aws;
mod classify;
mod config;
mod logs;
mod residency;
mod srm;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use deadbolt_model::{Diagnostic, Model, Severity};
use deadbolt_report::{ScanReport, human};

/// mimalloc, not the system allocator: reading tens of thousands of small delivery files, glibc's
/// heap fragmented (RSS 195 MB over 200,000 events while the live heap stayed under 5 MB);
/// mimalloc's size-segregated pages keep RSS flat.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use deadbolt_rules::{Rule, Selection, evaluate, registry};

#[derive(Parser)]
#[command(
    name = "deadbolt",
    version,
    about = "Finds what is unlocked in the customer's half of the cloud shared responsibility model."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan Terraform, CloudFormation and Kubernetes (a directory, a file, or `terraform show -json`
    /// plan output), AWS account snapshots, or the live AWS account (`--aws`).
    Scan(ScanArgs),
    /// Collect a snapshot of the live AWS account (read-only) to scan later or elsewhere.
    Collect(aws::CollectArgs),
    /// The shared responsibility map of a stack: who owns each layer of each service, and the
    /// customer's duties with how each is covered.
    Srm(srm::SrmArgs),
    /// Classify the data in files: personal, payment and health data and credentials, per file,
    /// with masked samples. Exit 1 when restricted or confidential data is found.
    Classify(classify::ClassifyArgs),
    /// Review AWS CloudTrail logs: CIS monitoring and attack-technique detections (Sigma rules,
    /// built in and your own). Exit 1 when there are alerts.
    Logs(logs::LogsArgs),
    /// List the rules, or print one rule's documentation.
    Rules {
        /// A rule ID (e.g. AWS-S3-001).
        id: Option<String>,
        /// Output format for the list.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Directories or files to scan [default: `.`, unless --aws is given].
    paths: Vec<PathBuf>,
    #[command(flatten)]
    live: aws::LiveArgs,
    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this severity [default: low, or deadbolt.toml].
    #[arg(long)]
    fail_on: Option<Severity>,
    /// Run only these rule IDs or prefixes (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rule IDs or prefixes.
    #[arg(long, value_delimiter = ',')]
    skip: Vec<String>,
    /// Skip these paths (relative to the scanned directory; `*` globs).
    #[arg(long = "skip-path")]
    skip_paths: Vec<String>,
    /// A Terraform variables file (repeatable, applied in order after *.auto.tfvars).
    #[arg(long)]
    var_file: Vec<PathBuf>,
    /// A Terraform variable, NAME=VALUE (repeatable; wins over files).
    #[arg(long)]
    var: Vec<String>,
    /// CloudFormation parameter values: a JSON file in the `aws cloudformation --parameters` form
    /// or the CodePipeline template-configuration form (repeatable; later files win). They
    /// override parameter defaults in every scanned template.
    #[arg(long, value_name = "FILE")]
    parameters: Vec<PathBuf>,
    /// With --aws: the regions to collect (repeatable or comma-separated) [default: the profile's
    /// region]. Otherwise: the one region CloudFormation templates are deployed to (a template
    /// does not name its region; without it, the residency rule cannot place their resources).
    #[arg(long, value_name = "REGION", value_delimiter = ',')]
    region: Vec<String>,
    /// The stack file whose `residency` policy the scan enforces [default: deadbolt.yaml,
    /// deadbolt.yml or deadbolt.toml in the scanned directory].
    #[arg(long, value_name = "FILE")]
    stack: Option<PathBuf>,
    /// A `deadbolt classify --format json` inventory of S3 objects (`s3://BUCKET/KEY` files):
    /// exposure findings on buckets holding restricted data become critical, on buckets holding
    /// confidential data one level higher, and their messages name the data.
    #[arg(long, value_name = "FILE")]
    data_inventory: Option<PathBuf>,
    /// Configuration file [default: deadbolt.toml in the scanned directory].
    #[arg(long)]
    config: Option<PathBuf>,
    /// Print only findings and the verdict.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// When to use colour in the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("deadbolt: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Rules { id, format } => rules(id.as_deref(), format),
        Command::Scan(args) => scan(args),
        Command::Collect(args) => aws::run_collect(args),
        Command::Srm(args) => srm::run(args),
        Command::Classify(args) => classify::run(args),
        Command::Logs(args) => logs::run(args),
    }
}

fn rules(id: Option<&str>, format: ListFormat) -> Result<u8> {
    let mut out = std::io::stdout().lock();
    if let Some(id) = id {
        let Some(rule) = registry::by_id(id) else {
            bail!("no rule `{id}` (see `deadbolt rules`)")
        };
        let m = rule.meta();
        writeln!(out, "{} — {}\n", m.id, m.title)?;
        writeln!(
            out,
            "name: {}  severity: {}  layer: {}  service models: {}",
            m.name,
            m.severity,
            m.layer,
            m.service_models
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )?;
        writeln!(
            out,
            "checkov: {}  trivy: {}\n",
            join(m.equivalents.checkov),
            join(m.equivalents.trivy)
        )?;
        write!(out, "{}", m.documentation())?;
        return Ok(0);
    }
    match format {
        ListFormat::Json => {
            let list: Vec<_> = registry::all().iter().map(|r| r.meta()).collect();
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
        ListFormat::Text => {
            for r in registry::all() {
                let m = r.meta();
                writeln!(
                    out,
                    "{:<20} {:<8} {:<26} {}",
                    m.id,
                    m.severity,
                    m.layer.title(),
                    m.title
                )?;
            }
        }
    }
    Ok(0)
}

fn join(items: &[&str]) -> String {
    if items.is_empty() {
        "-".into()
    } else {
        items.join(", ")
    }
}

fn scan(mut args: ScanArgs) -> Result<u8> {
    if args.paths.is_empty() && !args.live.aws {
        args.paths.push(PathBuf::from("."));
    }
    if !args.live.aws && args.region.len() > 1 {
        bail!("--region names one region for CloudFormation templates (several only with --aws)");
    }
    for p in &args.paths {
        if !p.exists() {
            bail!("{}: no such file or directory", p.display());
        }
    }
    let config_path = args.config.clone().or_else(|| {
        let dir = args.paths.first().filter(|p| p.is_dir())?;
        let candidate = dir.join("deadbolt.toml");
        // Present but not a regular file is an error (from `config::read`), not a silent skip.
        std::fs::symlink_metadata(&candidate)
            .is_ok()
            .then_some(candidate)
    });
    let config = match &config_path {
        Some(p) => config::read(p)?,
        None => config::Config::default(),
    };
    let fail_on = match (args.fail_on, &config.scan.fail_on) {
        (Some(s), _) => s,
        (None, Some(s)) => s.parse().with_context(|| {
            format!(
                "fail-on in {}",
                config_path
                    .as_deref()
                    .unwrap_or(Path::new("deadbolt.toml"))
                    .display()
            )
        })?,
        (None, None) => Severity::Low,
    };
    let mut vars = Vec::new();
    for v in &args.var {
        let Some((k, val)) = v.split_once('=') else {
            bail!("--var takes NAME=VALUE, got `{v}`")
        };
        vars.push((k.trim().to_string(), val.to_string()));
    }
    let options = deadbolt_terraform::Options {
        var_files: args.var_file.clone(),
        vars,
        skip_paths: config
            .scan
            .skip_paths
            .iter()
            .chain(&args.skip_paths)
            .cloned()
            .collect(),
    };
    let selection = Selection {
        select: if args.select.is_empty() {
            config.scan.select.clone()
        } else {
            args.select.clone()
        },
        skip: config.scan.skip.iter().chain(&args.skip).cloned().collect(),
    };
    for id in selection.select.iter().chain(&selection.skip) {
        if !registry::all()
            .iter()
            .any(|r| Selection::matches(id, r.meta().id))
        {
            bail!("`{id}` matches no rule ID (see `deadbolt rules`)");
        }
    }

    let inventory = match &args.data_inventory {
        Some(path) => Some(read_inventory(path)?),
        None => None,
    };
    // Read before scanning: a stack file with problems is a usage error, reported before any work.
    let residency = match residency::stack_path(args.stack.as_deref(), &args.paths) {
        Some(path) => residency::policy(&path)?,
        None => None,
    };

    let progress =
        Progress::start(!args.quiet && (args.output.is_none() || args.format == Format::Human));
    let mut model = Model::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let (mut files, mut parsed, mut bytes, mut resources, mut remote) = (0, 0, 0, 0, Vec::new());
    let mut parameters = deadbolt_cloudformation::ParameterValues::new();
    for file in &args.parameters {
        parameters.extend(deadbolt_cloudformation::read_parameters(file)?);
    }
    let sources = deadbolt_sources::Options {
        terraform: options,
        parameters,
        region: if args.live.aws {
            None
        } else {
            args.region.first().cloned()
        },
    };
    for path in distinct_roots(&args.paths) {
        let loaded = deadbolt_sources::load(path, &sources);
        model.extend(loaded.model);
        diagnostics.extend(loaded.diagnostics);
        files += loaded.files;
        parsed += loaded.parsed;
        bytes += loaded.bytes;
        resources += loaded.resources;
        remote.extend(loaded.remote_modules);
    }
    if args.live.aws {
        let live = aws::collect(&args.live, &args.region)?;
        eprintln!("deadbolt: {}", live.summary);
        let normalised = deadbolt_aws_snapshot::normalise(&live.snapshot, "aws");
        files += 1;
        parsed += 1;
        resources += normalised.model.len();
        model.extend(normalised.model);
        diagnostics.extend(normalised.diagnostics);
    }
    model.set_residency(residency);
    let rules: Vec<&'static dyn Rule> = registry::all().to_vec();
    let mut evaluation = evaluate(&model, &rules, &selection, &registry::ids());
    if let Some(inventory) = &inventory {
        deadbolt_rules::escalate_exposure(&mut evaluation, &model, inventory);
    }
    progress.finish();

    let ran: Vec<&'static dyn Rule> = rules
        .iter()
        .copied()
        .filter(|r| selection.includes(r.meta().id))
        .collect();
    let report = ScanReport {
        evaluation: &evaluation,
        rules: &ran,
        diagnostics: &diagnostics,
        files,
        bytes,
        resources,
        remote_modules: &remote,
        fail_on,
        base_dir: std::env::current_dir().ok(),
        catalog: deadbolt_srm::Catalog::builtin().ok(),
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let written = match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            write_report(&report, args.format, color, args.quiet, &mut out)
                .and_then(|_| out.flush())
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            write_report(&report, args.format, color, args.quiet, &mut out)
                .and_then(|_| out.flush())
        }
    };
    match written {
        // A closed pipe (`| head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(anyhow::Error::new(e).context("cannot write the report")),
        Ok(()) => {}
    }

    let errors = report.errors().count();
    if parsed == 0 {
        let why = if files == 0 {
            "no Terraform, CloudFormation or Kubernetes files found"
        } else {
            "no file could be read or parsed (see the input problems above)"
        };
        eprintln!("deadbolt: nothing could be scanned: {why}");
        return Ok(2);
    }
    if errors > 0 {
        eprintln!("deadbolt: {errors} input problem(s): the scan is incomplete");
    }
    if resources == 0 {
        eprintln!("deadbolt: note: the scanned files declare no resources");
    }
    if !remote.is_empty() {
        eprintln!(
            "deadbolt: note: {} remote module(s) not scanned (run `terraform init` so deadbolt can read them from .terraform/modules)",
            remote.len()
        );
    }
    Ok(if report.failing() > 0 || errors > 0 {
        1
    } else {
        0
    })
}

/// The buckets of a `deadbolt classify --format json` inventory and the sensitive data classes in
/// their objects. Entries that are not `s3://` objects are passed over.
fn read_inventory(path: &Path) -> Result<deadbolt_rules::DataInventory> {
    use deadbolt_rules::exposure::Sensitivity;
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the data inventory {}", path.display()))?;
    let report: serde_json::Value = serde_json::from_str(&text).with_context(|| {
        format!(
            "{}: not a `deadbolt classify --format json` inventory",
            path.display()
        )
    })?;
    let Some(files) = report.get("files").and_then(|f| f.as_array()) else {
        bail!(
            "{}: not a `deadbolt classify --format json` inventory (no `files`)",
            path.display()
        );
    };
    let mut inventory = deadbolt_rules::DataInventory::new();
    for file in files {
        let Some(bucket) = file
            .get("file")
            .and_then(|f| f.as_str())
            .and_then(|f| f.strip_prefix("s3://"))
            .and_then(|rest| rest.split('/').next())
            .filter(|b| !b.is_empty())
        else {
            continue;
        };
        for t in file
            .get("types")
            .and_then(|t| t.as_array())
            .into_iter()
            .flatten()
        {
            let sensitivity = match t.get("label").and_then(|l| l.as_str()) {
                Some("restricted") => Sensitivity::Restricted,
                Some("confidential") => Sensitivity::Confidential,
                _ => continue,
            };
            let class = t
                .get("name")
                .or_else(|| t.get("detector"))
                .and_then(|n| n.as_str())
                .unwrap_or("unnamed data");
            inventory.add(bucket, class, sensitivity);
        }
    }
    if inventory.is_empty() {
        eprintln!(
            "deadbolt: note: {} names no S3 object holding restricted or confidential data",
            path.display()
        );
    }
    Ok(inventory)
}

fn write_report(
    report: &ScanReport<'_>,
    format: Format,
    color: bool,
    quiet: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => human::write(report, human::Options { color, quiet }, out),
        Format::Json => deadbolt_report::json::write(report, out),
        Format::Sarif => deadbolt_report::sarif::write(report, out),
    }
}

/// The paths to scan, without those that lie inside another one given (each file is read once).
fn distinct_roots(paths: &[PathBuf]) -> Vec<&PathBuf> {
    let canonical: Vec<PathBuf> = paths
        .iter()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
        .collect();
    paths
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            !canonical.iter().enumerate().any(|(j, other)| {
                j != *i && canonical[*i].starts_with(other) && (canonical[*i] != *other || j < *i)
            })
        })
        .map(|(_, p)| p)
        .collect()
}

/// A spinner on standard error that appears only when the scan takes longer than a moment, and only
/// on a terminal outside CI.
struct Progress {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start(wanted: bool) -> Progress {
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let enabled = wanted && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let handle = enabled.then(|| {
            let done = done.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(300));
                if done.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                let bar = indicatif::ProgressBar::new_spinner();
                bar.set_message("scanning…");
                bar.enable_steady_tick(Duration::from_millis(100));
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(50));
                }
                bar.finish_and_clear();
            })
        });
        Progress { done, handle }
    }

    fn finish(mut self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
