//! Reading every page of one regional operation, and values from responses that XML (with its
//! `...Result` wrapper) and JSON protocols shape differently.

use deadbolt_model::{Span, Unknown};
use serde_json::Value;

use super::{Calls, live_span, span_of};
use crate::format::Call;

/// What the pages of one operation in one region showed.
pub(crate) enum Pages<'a> {
    /// Every page answered: each page's call and response, in collection order (never empty).
    Found(Vec<(&'a Call, &'a Value)>),
    /// The call answered with an error code that means "there is none" (Security Hub's
    /// `InvalidAccessException`: not subscribed).
    None(&'a Call),
    /// A page failed otherwise (`AccessDenied`), or the operation was not collected in the region:
    /// why, and where.
    Unknown(Unknown, Span),
}

/// Every page of `service`'s `operation` in `region`. One failed page makes the whole answer
/// unknown: a partial list cannot show that something is absent.
pub(crate) fn pages<'a>(
    calls: &Calls<'a>,
    service: &str,
    operation: &str,
    region: &str,
    absent_codes: &[&str],
) -> Pages<'a> {
    let mut found = Vec::new();
    for call in calls.in_region(service, operation, region) {
        if let Some(error) = &call.error {
            if absent_codes.contains(&error.code.as_str()) {
                return Pages::None(call);
            }
            return Pages::Unknown(
                Unknown::new(format!(
                    "{service}:{operation} failed in {region} ({})",
                    error.code
                )),
                span_of(call),
            );
        }
        match &call.response {
            Some(response) => found.push((call, response)),
            None => {
                return Pages::Unknown(
                    Unknown::new(format!(
                        "{service}:{operation} returned nothing in {region}"
                    )),
                    span_of(call),
                );
            }
        }
    }
    if found.is_empty() {
        return Pages::Unknown(
            Unknown::new(format!(
                "{service}:{operation} was not collected in {region}"
            )),
            live_span(format!("aws://{region}/{service}")),
        );
    }
    Pages::Found(found)
}

/// The call of `operation` in `region` whose parameter `name` is `value` (a detector's
/// `GetDetector`, a snapshot's `DescribeSnapshotAttribute`).
pub(crate) fn per_resource<'a>(
    calls: &Calls<'a>,
    service: &str,
    operation: &str,
    region: &str,
    name: &str,
    value: &str,
) -> Option<&'a Call> {
    calls
        .in_region(service, operation, region)
        .find(|c| c.param(name) == Some(value))
}

/// The value at `names` inside an XML response's `wrapper` element (`GetAccountSummaryResult`),
/// or at `names` directly when the body has no such wrapper.
pub(crate) fn result_path<'v>(
    response: &'v Value,
    wrapper: &str,
    names: &[&str],
) -> Option<&'v Value> {
    response
        .get(wrapper)
        .and_then(|inner| crate::json::path(inner, names))
        .or_else(|| crate::json::path(response, names))
}

/// The first of `names` that `value` has (`snapshotId` from EC2's XML, `SnapshotId` from JSON).
pub(crate) fn field<'v>(value: &'v Value, names: &[&str]) -> Option<&'v Value> {
    names.iter().find_map(|name| value.get(name))
}
