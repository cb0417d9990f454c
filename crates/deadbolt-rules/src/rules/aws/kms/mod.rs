//! AWS KMS rules.

use crate::rule::Rule;

mod policy_any_principal;
mod rotation;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[
    &rotation::KeyRotationDisabled,
    &policy_any_principal::KeyPolicyAnyPrincipal,
];
