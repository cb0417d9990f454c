//! RBAC rules: what Roles, ClusterRoles and their bindings grant.

use deadbolt_model::Model;
use deadbolt_model::k8s::{PolicyRule, Role};

use crate::checks::Checks;
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

/// Judges every rule of every Role and ClusterRole: `judge` gives the failure message of a rule.
pub(super) fn judge_rules<'m>(
    model: &'m Model,
    checks: &mut Checks<'m>,
    judge: impl Fn(&PolicyRule) -> Option<String>,
) {
    for role in model.all::<Role>() {
        let mut failed = false;
        for rule in &role.rules {
            if let Some(message) = judge(rule) {
                checks.fail(&role.meta, &rule.span, message);
                failed = true;
            }
        }
        if !failed {
            checks.pass(&role.meta);
        }
    }
}
