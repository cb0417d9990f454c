//! A [`Snapshot`] into the deadbolt model: one module per service, each reading the calls its
//! collector made.
//!
//! Every attribute's span names the API call it came from, `aws://REGION/SERVICE/Operation?Param=value`
//! (line and column 0), the same whether the snapshot was collected just now or read from a file,
//! so a live scan and the scan of its snapshot report identical findings. A resource's address is
//! its ARN.
//!
//! What a call's outcome means for an attribute:
//! - a response: the attribute is known (an absent field is the AWS default, not explicit);
//! - an error code the operation documents as "there is none" (`NoSuchBucketPolicy`,
//!   `NoSuchEntity`, ...): known absent;
//! - any other error (`AccessDenied`, throttling that outlasted the retries) or no call at all:
//!   unknown, with the reason naming the call, so the rules report "not evaluated", never a guess.

mod account;
mod backup;
mod pages;
mod security_services;
mod sharing;

use std::collections::HashMap;
use std::sync::Arc;

use deadbolt_model::{Attr, Diagnostic, Level, Model, Position, Span, Unknown};
use serde_json::Value;

use crate::format::{Call, Snapshot};

mod cloudfront;
mod cloudtrail;
mod dynamodb;
mod ec2;
mod ecr;
mod eks;
mod elb;
mod iam;
mod kms;
mod lambda;
mod lightsail;
mod rds;
mod resource;
mod s3;
mod sns;
mod sqs;

/// The outcome of [`normalise`].
#[derive(Debug, Default)]
pub struct Normalised {
    /// The resources.
    pub model: Model,
    /// Problems, each naming the call: calls that got no answer (the snapshot's `problems`) and
    /// error answers other than "nothing is configured" (errors: the scan is partial), responses
    /// that could not be read (warnings).
    pub diagnostics: Vec<Diagnostic>,
}

/// The deadbolt model of everything in `snapshot`. `file` is how the user named the snapshot (for
/// diagnostics about the snapshot as a whole); attribute spans name API calls, not the file.
pub fn normalise(snapshot: &Snapshot, file: &str) -> Normalised {
    let calls = Calls::new(snapshot);
    let mut out = Normalised::default();
    for problem in &snapshot.problems {
        out.diagnostics.push(Diagnostic::whole_file(
            Level::Error,
            call_label(&problem.region, &problem.service, &problem.operation, &[]),
            format!(
                "no answer, so what it reads is missing from the scan: {}",
                problem.message
            ),
        ));
    }
    let _ = file;
    for call in &snapshot.calls {
        if let Some(error) = &call.error
            && !crate::calls::means_none(&call.service, &call.operation, &error.code)
        {
            out.diagnostics.push(Diagnostic::whole_file(
                Level::Error,
                span_of(call).file,
                format!(
                    "AWS answered {} ({}): what this call reads is missing from the scan or not evaluated",
                    error.code,
                    if error.message.is_empty() { "no message" } else { &error.message }
                ),
            ));
        }
    }
    let mut cx = Context {
        calls: &calls,
        snapshot,
        model: &mut out.model,
        diagnostics: &mut out.diagnostics,
    };
    for service in SERVICES {
        service(&mut cx);
    }
    out
}

/// Every service's normaliser, in a fixed order (resource order in reports follows it).
const SERVICES: &[fn(&mut Context<'_>)] = &[
    iam::normalise,
    s3::normalise,
    ec2::normalise,
    rds::normalise,
    cloudtrail::normalise,
    kms::normalise,
    lambda::normalise,
    dynamodb::normalise,
    elb::normalise,
    cloudfront::normalise,
    eks::normalise,
    ecr::normalise,
    sns::normalise,
    sqs::normalise,
    lightsail::normalise,
    backup::normalise,
    account::normalise,
    security_services::normalise,
    sharing::normalise,
];

/// What a service normaliser works with.
pub(crate) struct Context<'a> {
    /// The snapshot's calls, indexed.
    pub calls: &'a Calls<'a>,
    /// The snapshot (account, regions, collection time).
    pub snapshot: &'a Snapshot,
    /// Where resources go.
    pub model: &'a mut Model,
    /// Where problems go.
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

impl Context<'_> {
    /// Records that `call`'s response could not be read as expected (`what` says what was
    /// missing); the resource is still scanned with what could be read.
    pub fn malformed(&mut self, call: &Call, what: &str) {
        self.diagnostics.push(Diagnostic::whole_file(
            Level::Warning,
            span_of(call).file,
            format!("unexpected response: {what}"),
        ));
    }
}

/// The snapshot's calls by service and operation, in collection order.
pub(crate) struct Calls<'a> {
    by_operation: HashMap<&'a str, HashMap<&'a str, Vec<&'a Call>>>,
}

impl<'a> Calls<'a> {
    fn new(snapshot: &'a Snapshot) -> Self {
        let mut by_operation: HashMap<&str, HashMap<&str, Vec<&Call>>> = HashMap::new();
        for call in &snapshot.calls {
            by_operation
                .entry(call.service.as_str())
                .or_default()
                .entry(call.operation.as_str())
                .or_default()
                .push(call);
        }
        Calls { by_operation }
    }

    /// Every call (every page) of `service`'s `operation`.
    pub fn all(&self, service: &str, operation: &str) -> &[&'a Call] {
        self.by_operation
            .get(service)
            .and_then(|operations| operations.get(operation))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Every call of `operation` in `region`.
    pub fn in_region<'s>(
        &'s self,
        service: &'s str,
        operation: &'s str,
        region: &'s str,
    ) -> impl Iterator<Item = &'a Call> + 's {
        self.all(service, operation)
            .iter()
            .copied()
            .filter(move |c| c.region == region)
    }

    /// The first call of `operation` whose parameters include every `(name, value)` of `params`
    /// (a bucket's `GetBucketPolicy`).
    pub fn find(
        &self,
        service: &str,
        operation: &str,
        params: &[(&str, &str)],
    ) -> Option<&'a Call> {
        self.all(service, operation)
            .iter()
            .copied()
            .find(|c| params.iter().all(|(k, v)| c.param(k) == Some(v)))
    }
}

/// The span naming `call`: `aws://REGION/SERVICE/Operation?Name=value&...` at 0:0.
pub(crate) fn span_of(call: &Call) -> Span {
    let params: Vec<(&str, String)> = call
        .params
        .iter()
        .filter(|(k, _)| !is_pagination_param(k))
        .map(|(k, v)| (k.as_str(), crate::json::text(Some(v)).unwrap_or_default()))
        .collect();
    live_span(call_label(
        &call.region,
        &call.service,
        &call.operation,
        &params,
    ))
}

/// A span for a resource or setting that no single call names (a default that applies because a
/// call found nothing), e.g. `aws://eu-west-1/ec2`.
pub(crate) fn live_span(label: String) -> Span {
    Span {
        file: Arc::from(label),
        start: Position { line: 0, column: 0 },
        end: Position { line: 0, column: 0 },
    }
}

fn call_label(region: &str, service: &str, operation: &str, params: &[(&str, String)]) -> String {
    let mut label = format!("aws://{region}/{service}/{operation}");
    for (i, (k, v)) in params.iter().enumerate() {
        label.push(if i == 0 { '?' } else { '&' });
        label.push_str(k);
        label.push('=');
        label.push_str(v);
    }
    label
}

fn is_pagination_param(name: &str) -> bool {
    matches!(
        name,
        "Marker"
            | "NextToken"
            | "nextToken"
            | "ContinuationToken"
            | "StartingToken"
            | "PageToken"
            | "pageToken"
            | "ExclusiveStartTableName"
    )
}

/// What one lookup of a setting found.
pub(crate) enum Lookup<'a> {
    /// The call answered; its response.
    Found(&'a Call, &'a Value),
    /// The call answered with an error code that means "there is none".
    None(&'a Call),
    /// The call failed otherwise, or was not made: why the setting is unknown, and where.
    Unknown(Unknown, Span),
}

/// Looks up the call of `operation` with `params` and sorts its outcome: `absent_codes` are the
/// error codes that mean "not configured". `fallback` is the span used when the call was never
/// made.
pub(crate) fn lookup<'a>(
    calls: &Calls<'a>,
    service: &str,
    operation: &str,
    params: &[(&str, &str)],
    absent_codes: &[&str],
    fallback: &Span,
) -> Lookup<'a> {
    outcome(
        calls.find(service, operation, params),
        service,
        operation,
        absent_codes,
        fallback,
    )
}

/// [`lookup`] among the calls made in `region` only: for per-resource calls whose parameter
/// (a table or cluster name) may name different resources in different regions.
pub(crate) fn lookup_in<'a>(
    calls: &Calls<'a>,
    service: &str,
    operation: &str,
    region: &str,
    params: &[(&str, &str)],
    absent_codes: &[&str],
    fallback: &Span,
) -> Lookup<'a> {
    let call = calls
        .in_region(service, operation, region)
        .find(|c| params.iter().all(|(k, v)| c.param(k) == Some(v)));
    outcome(call, service, operation, absent_codes, fallback)
}

fn outcome<'a>(
    call: Option<&'a Call>,
    service: &str,
    operation: &str,
    absent_codes: &[&str],
    fallback: &Span,
) -> Lookup<'a> {
    let Some(call) = call else {
        return Lookup::Unknown(
            Unknown::new(format!("{service}:{operation} was not collected")),
            fallback.clone(),
        );
    };
    if let Some(error) = &call.error {
        if absent_codes.contains(&error.code.as_str()) {
            return Lookup::None(call);
        }
        return Lookup::Unknown(
            Unknown::new(format!(
                "{service}:{operation} failed in {} ({})",
                call.region, error.code
            )),
            span_of(call),
        );
    }
    match &call.response {
        Some(response) => Lookup::Found(call, response),
        None => Lookup::Unknown(
            Unknown::new(format!("{service}:{operation} returned nothing")),
            span_of(call),
        ),
    }
}

/// An attribute read from one lookup: `read` turns the response into the value (`None` when the
/// response lacks it: the AWS `default` applies, not explicit); "there is none" gives `absent`.
pub(crate) fn attr<T>(
    lookup: &Lookup<'_>,
    absent: T,
    default: T,
    read: impl FnOnce(&Value) -> Option<T>,
) -> Attr<T> {
    match lookup {
        Lookup::Found(call, response) => match read(response) {
            Some(value) => Attr::set(value, span_of(call)),
            None => Attr::default(default, span_of(call)),
        },
        Lookup::None(call) => Attr::set(absent, span_of(call)),
        Lookup::Unknown(reason, span) => Attr::unknown(reason.clone(), span.clone()),
    }
}
