//! RBAC rules: what Roles, ClusterRoles and their bindings grant.

use crate::rule::Rule;

mod cluster_admin;
mod escalation;
mod pod_exec;
mod read_secrets;
mod wildcard;

/// The rules of this area.
pub(crate) const RULES: &[&dyn Rule] = &[
    &cluster_admin::ClusterAdminBinding,
    &wildcard::RbacWildcard,
    &read_secrets::ReadSecrets,
    &pod_exec::PodExec,
    &escalation::RbacEscalation,
];
