//! Amazon S3 rules.

use crate::rule::Rule;

mod public_acl;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[&public_acl::BucketPublicAcl];
