//! AWS Config rules.

use crate::rule::Rule;

mod all_resources;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[&all_resources::RecorderNotAllResources];
