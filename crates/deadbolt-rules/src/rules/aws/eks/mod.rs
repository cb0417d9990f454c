//! eks rules.

use crate::rule::Rule;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[];
