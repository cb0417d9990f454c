//! Data residency rules: where resources keep their data, against the organisation's policy.

use crate::rule::Rule;

mod outside_allowed_regions;

/// The rules of this family.
pub(crate) const RULES: &[&dyn Rule] = &[&outside_allowed_regions::OutsideAllowedRegions];
