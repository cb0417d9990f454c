//! The registry of every rule, by stable ID.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::rule::Rule;
use crate::rules;

/// Every rule deadbolt has, sorted by ID.
pub fn all() -> &'static [&'static dyn Rule] {
    static ALL: OnceLock<Vec<&'static dyn Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut rules = rules::aws::all();
        rules.extend(rules::k8s::all());
        rules.sort_by_key(|r| r.meta().id);
        rules
    })
}

/// The rule with this ID (case-insensitive).
pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    all()
        .iter()
        .copied()
        .find(|r| r.meta().id.eq_ignore_ascii_case(id))
}

/// Every rule ID.
pub fn ids() -> HashSet<&'static str> {
    all().iter().map(|r| r.meta().id).collect()
}
