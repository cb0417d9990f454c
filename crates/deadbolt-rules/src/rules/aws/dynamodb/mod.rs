//! Amazon DynamoDB rules.

use crate::rule::Rule;

mod no_cmk;
mod pitr_disabled;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[&pitr_disabled::TablePitrDisabled, &no_cmk::TableNoCmk];
