use deadbolt_model::k8s::RoleBinding;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every RoleBinding or ClusterRoleBinding whose `roleRef` is the ClusterRole `cluster-admin`. The
    /// message calls out subjects that stand for many principals: the groups `system:authenticated`,
    /// `system:unauthenticated`, `system:serviceaccounts` (or one namespace's), the user
    /// `system:anonymous` and `default` service accounts.
    ///
    /// ## Why it matters
    /// cluster-admin can do anything to any object: read every Secret, run privileged pods on every
    /// node, rewrite RBAC. A workload holding it turns any code-execution bug into cluster takeover,
    /// and bound to a broad group it gives that to everyone in the group. (A RoleBinding limits it to
    /// one namespace, which is still full control of that namespace.)
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: ci-deployer
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: cluster-admin
    /// subjects:
    /// - kind: ServiceAccount
    ///   name: deployer
    ///   namespace: ci
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRoleBinding
    /// metadata:
    ///   name: ci-deployer
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: ci-deployer
    /// subjects:
    /// - kind: ServiceAccount
    ///   name: deployer
    ///   namespace: ci
    /// ```
    ///
    /// ## Fix
    /// Write a ClusterRole (or namespaced Role) with the verbs and resources the principal uses, bind
    /// that, and keep cluster-admin for break-glass human access through your identity provider.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-6, AC-6(5), AC-2
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Authentication and authorization", role-based access control
    /// - CIS Kubernetes Benchmark 5.1.1, "Ensure that the cluster-admin role is only used where required"
    pub(crate) struct ClusterAdminBinding;
    id: "K8S-RBAC-001",
    name: "k8s-cluster-admin-binding",
    title: "Binding grants cluster-admin",
    severity: Severity::High,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "rbac",
    fix: "Bind a narrow Role or ClusterRole instead of cluster-admin.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-6", "AC-6(5)", "AC-2"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

/// Subjects that stand for many principals at once.
fn broad(kind: &str, name: &str) -> bool {
    matches!(
        name,
        "system:authenticated"
            | "system:unauthenticated"
            | "system:anonymous"
            | "system:serviceaccounts"
    ) || name.starts_with("system:serviceaccounts:")
        || (kind == "ServiceAccount" && name == "default")
}

impl Rule for ClusterAdminBinding {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for binding in model.all::<RoleBinding>() {
            let admin = binding.role_kind == "ClusterRole"
                && binding.role_name.known().map(String::as_str) == Some("cluster-admin");
            if !admin {
                checks.pass(&binding.meta);
                continue;
            }
            let who: Vec<String> = binding
                .subjects
                .iter()
                .map(|s| match &s.namespace {
                    Some(ns) => format!("{} `{ns}/{}`", s.kind, s.name),
                    None => format!("{} `{}`", s.kind, s.name),
                })
                .collect();
            let who = if who.is_empty() {
                "no subject yet".to_string()
            } else {
                who.join(", ")
            };
            let warning = if binding.subjects.iter().any(|s| broad(&s.kind, &s.name)) {
                ", a subject that stands for many principals"
            } else {
                ""
            };
            let scope = if binding.meta.kind == "ClusterRoleBinding" {
                "cluster-wide"
            } else {
                "in its namespace"
            };
            checks.fail(
                &binding.meta,
                &binding.role_name.span,
                format!("grants `cluster-admin` {scope} to {who}{warning}"),
            );
        }
    }
}
