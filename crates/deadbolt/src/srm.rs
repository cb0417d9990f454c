//! `deadbolt srm`: the responsibility map of a stack.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::ValueEnum;
use deadbolt_srm::{Catalog, ScanResult, Service, ServicesFrom};

/// How `srm` prints.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SrmFormat {
    /// For a terminal.
    Human,
    /// To paste into an audit document.
    Markdown,
    /// For programs.
    Json,
    /// A self-contained page with the matrix as a coloured grid.
    Html,
}

/// Arguments of `deadbolt srm`.
#[derive(clap::Args)]
pub struct SrmArgs {
    /// The repository: its `deadbolt.yaml` declares the stack; without one, the services are
    /// inferred from the infrastructure code under it.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// A stack file elsewhere than `PATH/deadbolt.yaml`.
    #[arg(long)]
    stack: Option<PathBuf>,
    /// A `deadbolt scan --format json` report: automated duties then show pass or fail.
    #[arg(long, value_name = "SCAN.JSON")]
    findings: Option<PathBuf>,
    /// Output format.
    #[arg(short = 'f', long, value_enum, default_value_t = SrmFormat::Human)]
    format: SrmFormat,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
    /// List the catalog's services (IDs to use in the stack file) and exit.
    #[arg(long)]
    list_services: bool,
    /// The date attestations are judged on (YYYY-MM-DD; default today, UTC).
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
}

/// Runs `deadbolt srm`; returns the exit code (0, or 1 when a duty fails or lapsed or is a gap).
pub fn run(args: SrmArgs) -> Result<u8> {
    let catalog = Catalog::builtin().map_err(|e| anyhow!("{e}"))?;
    if args.list_services {
        let mut out = std::io::stdout().lock();
        for s in &catalog.services {
            writeln!(
                out,
                "{:<28} {:<10} {:<5} {:<14} {}",
                s.id,
                s.cloud,
                s.model.label(),
                s.category,
                s.name
            )?;
        }
        return Ok(0);
    }
    let today = match &args.today {
        Some(d) => d
            .parse::<jiff::civil::Date>()
            .with_context(|| format!("--today {d}"))?,
        None => jiff::tz::TimeZone::UTC
            .to_datetime(jiff::Timestamp::now())
            .date(),
    };
    if !args.path.exists() {
        bail!("{}: no such file or directory", args.path.display());
    }
    let stack_path = args.stack.clone().or_else(|| {
        if args.path.is_dir() {
            deadbolt_srm::find_stack(&args.path)
        } else {
            None
        }
    });
    let stack = match &stack_path {
        Some(p) => Some(deadbolt_srm::read_stack(p, catalog).map_err(|problems| {
            for d in &problems {
                eprintln!("{d}");
            }
            anyhow!(
                "{}: {} problem(s) in the stack file",
                p.display(),
                problems.len()
            )
        })?),
        None => None,
    };
    let (services, from): (Vec<&Service>, ServicesFrom) = match &stack {
        Some(stack) => (
            stack
                .services
                .iter()
                .filter_map(|s| catalog.service(&s.value))
                .collect(),
            ServicesFrom::StackFile,
        ),
        None => (infer(&args.path, catalog), ServicesFrom::Inferred),
    };
    let scan = match &args.findings {
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| p.display().to_string())?;
            Some(ScanResult::from_json(&text).map_err(|e| anyhow!("{}: {e}", p.display()))?)
        }
        None => None,
    };
    let map = deadbolt_srm::map(
        catalog,
        stack.as_ref(),
        &services,
        from,
        scan.as_ref(),
        today,
        &rule_applies,
    );
    let mut buffer = Vec::new();
    match args.format {
        SrmFormat::Human => deadbolt_report::srm::human(&map, &mut buffer)?,
        SrmFormat::Markdown => deadbolt_report::srm::markdown(&map, &mut buffer)?,
        SrmFormat::Json => deadbolt_report::srm::json(&map, &mut buffer)?,
        SrmFormat::Html => deadbolt_report::srm::html(&map, &mut buffer)?,
    }
    match &args.output {
        Some(p) => std::fs::write(p, &buffer).with_context(|| p.display().to_string())?,
        None => std::io::stdout().lock().write_all(&buffer)?,
    }
    let open = map.duties.iter().any(|d| {
        matches!(
            d.status,
            deadbolt_srm::DutyStatus::Failing { .. }
                | deadbolt_srm::DutyStatus::Expired { .. }
                | deadbolt_srm::DutyStatus::Gap
        )
    });
    Ok(u8::from(open))
}

/// Whether a rule can judge a service's resources: AWS rules judge AWS services, Kubernetes rules
/// judge any Kubernetes service (manifests are the same on every cloud).
fn rule_applies(rule_id: &str, service: &Service) -> bool {
    use deadbolt_model::Provider;
    let Some(rule) = deadbolt_rules::registry::by_id(rule_id) else {
        return false;
    };
    match rule.meta().provider {
        Provider::Aws => service.cloud == "aws",
        Provider::Azure => service.cloud == "azure",
        Provider::Gcp => service.cloud == "gcp",
        Provider::Kubernetes => true,
        Provider::Other => false,
    }
}

/// The catalog services whose resource types appear in the infrastructure code under `path`.
fn infer<'c>(path: &Path, catalog: &'c Catalog) -> Vec<&'c Service> {
    let loaded = deadbolt_sources::load(path, &deadbolt_sources::Options::default());
    let kinds: BTreeSet<String> = loaded
        .model
        .resources()
        .iter()
        .map(|r| r.meta().kind.clone())
        .collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for kind in kinds {
        for service in catalog.services_of_type(&kind) {
            if seen.insert(&service.id) {
                out.push(service);
            }
        }
    }
    out
}
