//! Amazon ECR rules.

use crate::rule::Rule;

mod mutable_tags;
mod no_kms;
mod no_scan_on_push;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[
    &mutable_tags::MutableTags,
    &no_scan_on_push::NoScanOnPush,
    &no_kms::NoKms,
];
