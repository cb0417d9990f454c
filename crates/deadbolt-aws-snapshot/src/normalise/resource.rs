//! What every live resource's metadata is made of: its ARN, its AWS type name, the call that
//! listed it and the region it lives in.

use deadbolt_model::{Attr, Location, LocationRole, Provider, ResourceMeta, Span};
use serde_json::Value;

use super::Context;
use crate::format::Call;

impl Context<'_> {
    /// The snapshot's partition (`aws` when the snapshot leaves it empty).
    pub fn partition(&self) -> &str {
        match self.snapshot.account.partition.as_str() {
            "" => "aws",
            partition => partition,
        }
    }

    /// The snapshot's account ID.
    pub fn account(&self) -> &str {
        &self.snapshot.account.id
    }

    /// An ARN of this account in `region` (`""` for global services):
    /// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
    pub fn arn(&self, service: &str, region: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}:{region}:{}:{resource}",
            self.partition(),
            self.account()
        )
    }
}

/// The metadata of a regional resource listed by `listed_by`: its ARN as address, its AWS type
/// name as kind, the listing call as span, and the listing call's region as its known primary
/// location.
pub(crate) fn regional(address: String, kind: &str, listed_by: &Call) -> ResourceMeta {
    let span = super::span_of(listed_by);
    let location = Location {
        region: Attr::set(listed_by.region.clone(), span.clone()),
        role: LocationRole::Primary,
    };
    meta(address, kind, span, vec![location])
}

/// The metadata of a resource with no region (IAM) or whose locations are filled separately.
pub(crate) fn meta(
    address: String,
    kind: &str,
    span: Span,
    locations: Vec<Location>,
) -> ResourceMeta {
    ResourceMeta {
        address,
        kind: kind.to_string(),
        provider: Provider::Aws,
        span,
        suppressions: Vec::new(),
        locations,
    }
}

/// The text member `name` of `item`, or a [`Context::malformed`] diagnostic naming it.
pub(crate) fn required(
    cx: &mut Context<'_>,
    call: &Call,
    item: &Value,
    name: &str,
) -> Option<String> {
    let found = crate::json::text(item.get(name)).filter(|s| !s.is_empty());
    if found.is_none() {
        cx.malformed(call, &format!("an entry has no `{name}`"));
    }
    found
}

impl Context<'_> {
    /// The response of a listing call (one page of `ListBuckets`, `DescribeSecurityGroups`...), or
    /// `None` when AWS answered with an error: what it lists is then missing from the scan, and
    /// [`super::normalise`] reports the error (it reports every error answer once).
    pub fn listing<'c>(&mut self, call: &'c Call) -> Option<&'c Value> {
        if call.error.is_some() {
            return None;
        }
        if call.response.is_none() {
            self.malformed(call, "no response body");
        }
        call.response.as_ref()
    }
}
