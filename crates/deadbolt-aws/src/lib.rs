//! deadbolt's live AWS collector: reads one account through the AWS SDK for Rust into a
//! [`Snapshot`] (the documented format of `deadbolt-aws-snapshot`), which `deadbolt scan`
//! normalises and judges exactly as it judges a snapshot file.
//!
//! - **Read-only.** Every client carries a [`record::ReadOnlyGuard`] that refuses any operation
//!   whose name is not `List*`, `Get*`, `Describe*` or `Generate*` before it is signed; the
//!   operations called are exactly those of `deadbolt_aws_snapshot::calls::OPERATIONS`. The AWS
//!   managed policies `SecurityAudit` and `ViewOnlyAccess` allow them all.
//! - **Credentials** come from the SDK's default chain (environment, shared config and
//!   credentials files with `--profile`, SSO, web identity, container and instance roles).
//! - **Endpoints**: [`Options::endpoint_url`] (or the standard `AWS_ENDPOINT_URL`) sends every call
//!   to another endpoint, such as a local moto server; S3 then uses path-style addressing.
//! - **Concurrency**: regions and services are collected at the same time, with at most
//!   [`Options::concurrency`] calls in flight. Throttling is retried with exponential backoff by
//!   the SDK's standard retry strategy ([`MAX_ATTEMPTS`] attempts).
//! - **Partial collection**: an error answer (AccessDenied, a service not available in a region)
//!   is recorded with the call; a call with no answer is a snapshot problem. Either way the rest
//!   of the collection goes on, and the scan says what could not be judged.

mod clients;
#[cfg(test)]
mod mock_tests;
pub mod objects;
pub mod record;
mod services;

use std::time::Duration;

use deadbolt_aws_snapshot::{FORMAT_VERSION, Snapshot};
use tokio::task::JoinSet;

pub use clients::Clients;
pub use record::{Recorder, Session};

/// How many attempts the SDK makes for one call before it gives up (throttling and transient
/// errors are retried with exponential backoff and jitter in between).
pub const MAX_ATTEMPTS: u32 = 6;

/// The default bound on calls in flight.
pub const DEFAULT_CONCURRENCY: usize = 16;

/// Which regions to collect.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Regions {
    /// The region of the profile or environment (`AWS_REGION`), else `us-east-1`.
    #[default]
    Configured,
    /// These regions.
    List(Vec<String>),
    /// Every region enabled for the account (EC2 `DescribeRegions`).
    All,
}

/// What to collect and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// A named profile of the shared config and credentials files (`--profile`).
    pub profile: Option<String>,
    /// The regions to collect.
    pub regions: Regions,
    /// Another endpoint for every service (`--endpoint-url`); `AWS_ENDPOINT_URL` works too.
    pub endpoint_url: Option<String>,
    /// At most this many calls in flight.
    pub concurrency: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            profile: None,
            regions: Regions::Configured,
            endpoint_url: None,
            concurrency: DEFAULT_CONCURRENCY,
        }
    }
}

/// Why collection could not start. Anything that goes wrong after the account is known is
/// recorded in the snapshot instead (see the crate documentation).
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// STS `GetCallerIdentity` failed: no credentials, expired or invalid ones, or no route to
    /// the endpoint.
    #[error(
        "could not tell which AWS account the credentials belong to (sts:GetCallerIdentity): {0}"
    )]
    Identity(String),
    /// `--all-regions` was asked for and EC2 `DescribeRegions` failed.
    #[error("could not list the account's regions (ec2:DescribeRegions): {0}")]
    Regions(String),
    /// `deadbolt logs s3://...`: the bucket could not be located or listed.
    #[error("could not list the S3 objects: {0}")]
    Objects(String),
    /// The async runtime could not start.
    #[error("could not start the async runtime: {0}")]
    Runtime(#[from] std::io::Error),
}

/// The outcome of [`collect`].
#[derive(Debug)]
pub struct Collected {
    /// The snapshot: every response, error and problem.
    pub snapshot: Snapshot,
    /// Every operation invoked, as the SDK names it (`("S3", "GetBucketPolicy")`), in order.
    pub invoked: Vec<(String, String)>,
    /// Wall time of the collection.
    pub elapsed: Duration,
}

/// Collects one account. Blocks; runs its own async runtime.
pub fn collect(options: &Options) -> Result<Collected, CollectError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(collect_async(options))
}

async fn collect_async(options: &Options) -> Result<Collected, CollectError> {
    let started = std::time::Instant::now();
    let collected_at = jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or_else(|_| jiff::Timestamp::now());
    let recorder = Recorder::default();
    let clients = Clients::load(options, recorder.guard()).await;
    let session = Session::new(recorder.clone(), options.concurrency);
    let home = clients.home_region().to_string();

    let account = services::sts::caller_identity(&session, &clients, &home)
        .await
        .map_err(CollectError::Identity)?;
    let regions = match &options.regions {
        Regions::Configured => vec![home.clone()],
        Regions::List(list) => {
            let mut list = list.clone();
            list.sort();
            list.dedup();
            list
        }
        Regions::All => services::ec2::enabled_regions(&session, &clients, &home)
            .await
            .map_err(CollectError::Regions)?,
    };

    let mut tasks = JoinSet::new();
    let clients = std::sync::Arc::new(clients);
    let account_id = account.id.clone();
    {
        let (s, c, h) = (session.clone(), clients.clone(), home.clone());
        tasks.spawn(async move { services::iam::collect(&s, &c, &h).await });
    }
    {
        let (s, c, h) = (session.clone(), clients.clone(), home.clone());
        tasks.spawn(async move { services::s3::collect(&s, &c, &h).await });
    }
    {
        let (s, c, h) = (session.clone(), clients.clone(), home.clone());
        tasks.spawn(async move { services::cloudfront::collect(&s, &c, &h).await });
    }
    {
        let (s, c, h, a) = (session.clone(), clients.clone(), home.clone(), account_id);
        tasks.spawn(async move { services::s3::account_public_access_block(&s, &c, &h, &a).await });
    }
    for region in &regions {
        for service in services::REGIONAL {
            let (s, c, r) = (session.clone(), clients.clone(), region.clone());
            tasks.spawn(async move { service(s, c, r).await });
        }
    }
    while let Some(joined) = tasks.join_next().await {
        if let Err(e) = joined {
            // A task that panicked loses its service's calls, not the collection.
            session.recorder.problem(
                "deadbolt",
                "collect",
                &home,
                format!("a collection task failed: {e}"),
            );
        }
    }

    Ok(Collected {
        snapshot: assemble(&recorder, &collected_at, account, regions),
        invoked: recorder.invoked(),
        elapsed: started.elapsed(),
    })
}

/// The snapshot of what `recorder` holds (taken out of it): calls sorted by service, region,
/// operation and identifying parameters (pages keep their order), problems by service, region and
/// operation.
pub(crate) fn assemble(
    recorder: &Recorder,
    collected_at: &jiff::Timestamp,
    account: deadbolt_aws_snapshot::Account,
    regions: Vec<String>,
) -> Snapshot {
    let (mut calls, mut problems) = recorder.take();
    calls.sort_by_cached_key(|c| {
        let identifying: Vec<(&String, &serde_json::Value)> =
            c.params.iter().filter(|(k, _)| !is_pagination(k)).collect();
        (
            c.service.clone(),
            c.region.clone(),
            c.operation.clone(),
            serde_json::to_string(&identifying).unwrap_or_default(),
        )
    });
    problems.sort_by(|a, b| {
        (&a.service, &a.region, &a.operation).cmp(&(&b.service, &b.region, &b.operation))
    });
    Snapshot {
        deadbolt_snapshot: FORMAT_VERSION,
        provider: "aws".to_string(),
        collected_at: collected_at.to_string(),
        collector: format!("deadbolt {}", env!("CARGO_PKG_VERSION")),
        account,
        regions,
        calls,
        problems,
    }
}

/// Pagination parameters do not identify a call; pages keep their order under a stable sort.
fn is_pagination(name: &str) -> bool {
    matches!(
        name,
        "Marker"
            | "NextToken"
            | "nextToken"
            | "ContinuationToken"
            | "pageToken"
            | "ExclusiveStartTableName"
    )
}

/// The partition of an ARN (`arn:PARTITION:...`), `aws` when it has none.
fn partition_of(arn: &str) -> String {
    arn.split(':')
        .nth(1)
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
        .to_string()
}
