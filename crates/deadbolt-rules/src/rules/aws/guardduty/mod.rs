//! Amazon GuardDuty rules (live state only).

use crate::rule::Rule;

mod enabled;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[&enabled::GuardDutyNotEnabled];
