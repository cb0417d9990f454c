//! Container image rules: tags, digests and pull policy.

use crate::rule::Rule;

mod latest_tag;
mod no_digest;
mod pull_policy;

/// The rules of this area.
pub(crate) const RULES: &[&dyn Rule] = &[
    &latest_tag::LatestTag,
    &no_digest::ImageNotPinned,
    &pull_policy::PullPolicy,
];
