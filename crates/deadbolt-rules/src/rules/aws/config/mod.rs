//! AWS Config rules.

use crate::rule::Rule;

mod all_resources;
mod every_region;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[
    &all_resources::RecorderNotAllResources,
    &every_region::ConfigNotInEveryRegion,
];
