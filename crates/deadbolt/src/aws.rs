//! Live AWS: `deadbolt scan --aws` and `deadbolt collect --aws -o FILE`.
//!
//! The collector (`deadbolt-aws`, the AWS SDK) is behind the cargo feature `aws`; without it the
//! flags exist and say how to get a build that has it. Snapshot files need no feature.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use deadbolt_aws_snapshot::Snapshot;

/// The options every live AWS command shares.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct LiveArgs {
    /// Read the live AWS account (the AWS SDK's default credential chain), read-only.
    #[arg(long)]
    pub aws: bool,
    /// A named profile of the AWS shared config and credentials files (with --aws).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Every region enabled for the account (with --aws; EC2 DescribeRegions).
    #[arg(long, conflicts_with = "region")]
    pub all_regions: bool,
    /// Send every AWS call to this endpoint instead (with --aws), e.g. a local moto server;
    /// `AWS_ENDPOINT_URL` works too.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// At most this many AWS calls in flight (with --aws).
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
}

/// `deadbolt collect`: write a snapshot of live state to scan later or elsewhere.
#[derive(clap::Args)]
pub struct CollectArgs {
    #[command(flatten)]
    live: LiveArgs,
    /// The regions to collect (repeatable or comma-separated) [default: the profile's region].
    #[arg(long, value_name = "REGION", value_delimiter = ',')]
    region: Vec<String>,
    /// Write the snapshot (JSON, mode 0600) to this file.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: PathBuf,
}

/// A collected snapshot, and a one-line account of how the collection went.
pub struct Live {
    /// The snapshot.
    pub snapshot: Snapshot,
    /// `collected 412 calls in 3 regions in 8.1 s (4 error answers, 0 unanswered)`.
    pub summary: String,
}

/// Collects the account `live` and `regions` describe.
pub fn collect(live: &LiveArgs, regions: &[String]) -> Result<Live> {
    imp::collect(live, regions)
}

/// What `deadbolt logs` does with one S3 object: its display name, its body, the diagnostics.
pub type ReadObject<'a> =
    dyn FnMut(&std::sync::Arc<str>, &[u8], &mut Vec<deadbolt_model::Diagnostic>) + 'a;

/// Which objects under an `s3://` prefix a command reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Select {
    /// `deadbolt logs`: the names it reads from disk (`.json`, `.json.gz`, NDJSON...), in
    /// delivery-time order; with `since_ms` (`--since`, milliseconds since the epoch), not the
    /// delivery files whose names say they were delivered before it.
    CloudTrailLogs {
        /// `--since`, milliseconds since the epoch.
        since_ms: Option<i64>,
    },
    /// `deadbolt classify`: every object, in key order.
    All,
}

/// The objects under `s3://BUCKET/PREFIX` that `select` picks, each body handed to `read` with
/// its `s3://BUCKET/KEY` name; returns how many were picked. An object that cannot be fetched is
/// an error diagnostic naming it; a bucket that cannot be listed is an error.
pub fn s3_objects(
    url: &str,
    select: Select,
    profile: Option<&str>,
    endpoint_url: Option<&str>,
    diagnostics: &mut Vec<deadbolt_model::Diagnostic>,
    read: &mut ReadObject<'_>,
) -> Result<usize> {
    imp::s3_objects(url, select, profile, endpoint_url, diagnostics, read)
}

/// `deadbolt collect`.
pub fn run_collect(args: CollectArgs) -> Result<u8> {
    if !args.live.aws {
        bail!("collect needs a provider: `deadbolt collect --aws -o account.json`");
    }
    let live = collect(&args.live, &args.region)?;
    write_snapshot(&args.output, &live.snapshot)?;
    eprintln!(
        "deadbolt: {}; wrote {}",
        live.summary,
        args.output.display()
    );
    let partial = !live.snapshot.problems.is_empty()
        || live.snapshot.calls.iter().any(|c| {
            c.error.as_ref().is_some_and(|e| {
                !deadbolt_aws_snapshot::calls::means_none(&c.service, &c.operation, &e.code)
            })
        });
    if partial {
        eprintln!(
            "deadbolt: the collection is partial: some calls were refused or not answered (`deadbolt scan {}` lists them)",
            args.output.display()
        );
    }
    Ok(u8::from(partial))
}

fn write_snapshot(path: &Path, snapshot: &Snapshot) -> Result<()> {
    use anyhow::Context;
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // The account's configuration is nobody else's business on a shared machine.
        options.mode(0o600);
    }
    let file = options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    serde_json::to_writer_pretty(&mut out, snapshot)
        .map_err(std::io::Error::from)
        .and_then(|_| out.write_all(b"\n"))
        .and_then(|_| out.flush())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn summary(snapshot: &Snapshot, seconds: f64) -> String {
    let errors = snapshot.calls.iter().filter(|c| c.error.is_some()).count();
    format!(
        "collected {} calls from account {} in {} region(s) in {seconds:.1} s ({errors} error answers, {} unanswered)",
        snapshot.calls.len(),
        snapshot.account.id,
        snapshot.regions.len(),
        snapshot.problems.len()
    )
}

#[cfg(feature = "aws")]
mod imp {
    use super::*;
    use anyhow::Context;

    pub fn collect(live: &LiveArgs, regions: &[String]) -> Result<Live> {
        let options = deadbolt_aws::Options {
            profile: live.profile.clone(),
            regions: if live.all_regions {
                deadbolt_aws::Regions::All
            } else if regions.is_empty() {
                deadbolt_aws::Regions::Configured
            } else {
                deadbolt_aws::Regions::List(regions.to_vec())
            },
            endpoint_url: live.endpoint_url.clone(),
            concurrency: usize::from(live.concurrency),
        };
        let collected = deadbolt_aws::collect(&options).context("live AWS collection")?;
        let summary = summary(&collected.snapshot, collected.elapsed.as_secs_f64());
        Ok(Live {
            snapshot: collected.snapshot,
            summary,
        })
    }

    pub fn s3_objects(
        url: &str,
        select: Select,
        profile: Option<&str>,
        endpoint_url: Option<&str>,
        diagnostics: &mut Vec<deadbolt_model::Diagnostic>,
        read: &mut ReadObject<'_>,
    ) -> Result<usize> {
        use deadbolt_aws::objects::{Objects, S3Location};
        let Some(location) = S3Location::parse(url) else {
            bail!("{url}: expected s3://BUCKET or s3://BUCKET/PREFIX");
        };
        let options = deadbolt_aws::Options {
            profile: profile.map(str::to_string),
            endpoint_url: endpoint_url.map(str::to_string),
            ..deadbolt_aws::Options::default()
        };
        let objects = Objects::list(&options, &location).with_context(|| url.to_string())?;
        let mut keys: Vec<(String, i64)> = objects
            .keys
            .iter()
            .filter(|(key, _)| match select {
                Select::All => true,
                Select::CloudTrailLogs { since_ms } => {
                    crate::logs::is_log_file(Path::new(key))
                        && !since_ms.is_some_and(|since| {
                            crate::logs::delivered_before(Path::new(key), since)
                        })
                }
            })
            .cloned()
            .collect();
        if matches!(select, Select::CloudTrailLogs { .. }) {
            keys.sort_by_cached_key(|(key, _)| crate::logs::delivery_time(Path::new(key)));
        }
        let picked = keys.len();
        objects.fetch(&keys, |key, body| {
            let display: std::sync::Arc<str> = objects.url(key).into();
            match body {
                Ok(body) => read(&display, &body, diagnostics),
                Err(why) => diagnostics.push(deadbolt_model::Diagnostic::whole_file(
                    deadbolt_model::Level::Error,
                    display,
                    format!("cannot fetch: {why}"),
                )),
            }
        });
        Ok(picked)
    }
}

#[cfg(not(feature = "aws"))]
mod imp {
    use super::*;

    pub fn collect(_live: &LiveArgs, _regions: &[String]) -> Result<Live> {
        let _ = summary;
        bail!(
            "this deadbolt was built without live AWS support: build it with `cargo build --release -p deadbolt --features aws` (snapshot files scan without it)"
        )
    }

    pub fn s3_objects(
        url: &str,
        _select: Select,
        _profile: Option<&str>,
        _endpoint_url: Option<&str>,
        _diagnostics: &mut Vec<deadbolt_model::Diagnostic>,
        _read: &mut ReadObject<'_>,
    ) -> Result<usize> {
        bail!(
            "{url}: reading from S3 needs the `aws` build (`cargo build --release -p deadbolt --features aws`); or download the files (aws s3 sync {url} DIR) and point deadbolt at DIR"
        )
    }
}
