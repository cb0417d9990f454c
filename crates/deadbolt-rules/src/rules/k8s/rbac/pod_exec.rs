use super::judge_rules;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every rule of a Role or ClusterRole that grants `create` (or `*`) on `pods/exec` or
    /// `pods/attach` in the core API group, directly or through `*` or `pods/*`.
    ///
    /// ## Why it matters
    /// Exec and attach run commands inside running containers: whoever holds them acts with every
    /// credential, token and network path of those pods, and the commands bypass the application's own
    /// logging.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: debugger
    ///   namespace: shop
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["pods", "pods/exec"]
    ///   verbs: ["get", "create"]
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: debugger
    ///   namespace: shop
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["pods", "pods/log"]
    ///   verbs: ["get", "list"]
    /// ```
    ///
    /// ## Fix
    /// Keep exec for a break-glass role granted just in time; use logs, metrics and ephemeral debug
    /// containers behind approval for routine troubleshooting.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-6, AC-17
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Authentication and authorization", role-based access control
    /// - Kubernetes documentation, "RBAC Good Practices", exec into pods
    pub(crate) struct PodExec;
    id: "K8S-RBAC-004",
    name: "k8s-rbac-pod-exec",
    title: "Role can exec or attach into pods",
    severity: Severity::High,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "rbac",
    fix: "Remove `create` on `pods/exec` and `pods/attach` from roles held by workloads and routine users.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-6", "AC-17"],
    },
    equivalents: Equivalents { checkov: &["CKV2_K8S_2"], trivy: &[] },
}

impl Rule for PodExec {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_rules(model, checks, |rule| {
            if !rule.grants_verb("create") {
                return None;
            }
            let subresources: Vec<&str> = ["pods/exec", "pods/attach"]
                .into_iter()
                .filter(|r| rule.covers_core_resource(r))
                .collect();
            (!subresources.is_empty()).then(|| {
                format!(
                    "rule can create {} (run commands in pods)",
                    subresources.join(" and ")
                )
            })
        });
    }
}
