use super::judge_rules;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every rule of a Role or ClusterRole that grants `get`, `list` or `watch` (or `*`) on `secrets`
    /// in the core API group, directly or through a wildcard resource, without `resourceNames`.
    ///
    /// ## Why it matters
    /// Secrets hold database passwords, API keys, TLS keys and service account tokens. Reading all of
    /// them in a namespace (or the cluster, for a ClusterRole bound cluster-wide) is usually enough to
    /// become every workload there; `list` and `watch` return the values, not only the names.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: config-reader
    ///   namespace: shop
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["configmaps", "secrets"]
    ///   verbs: ["get", "list"]
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: config-reader
    ///   namespace: shop
    /// rules:
    /// - apiGroups: [""]
    ///   resources: ["configmaps"]
    ///   verbs: ["get", "list"]
    /// - apiGroups: [""]
    ///   resources: ["secrets"]
    ///   resourceNames: ["app-tls"]
    ///   verbs: ["get"]
    /// ```
    ///
    /// ## Fix
    /// Grant access to the specific Secrets the workload needs with `resourceNames` and verb `get`
    /// only; better, mount the Secrets into the pod so the workload needs no API access to them at all.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-05, PR.DS-01; NIST SP 800-53 AC-6, AC-3
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Authentication and authorization", role-based access control
    /// - CIS Kubernetes Benchmark 5.1.2, "Minimize access to secrets"
    pub(crate) struct ReadSecrets;
    id: "K8S-RBAC-003",
    name: "k8s-rbac-read-secrets",
    title: "Role can read every Secret",
    severity: Severity::High,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "rbac",
    fix: "Remove get, list and watch on `secrets`, or restrict `get` to named Secrets with `resourceNames`.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-05", "PR.DS-01"],
        nist_800_53: &["AC-6", "AC-3"],
    },
    equivalents: Equivalents { checkov: &["CKV2_K8S_5"], trivy: &[] },
}

impl Rule for ReadSecrets {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_rules(model, checks, |rule| {
            if !rule.resource_names.is_empty() || !rule.covers_core_resource("secrets") {
                return None;
            }
            let verbs: Vec<&str> = ["get", "list", "watch"]
                .into_iter()
                .filter(|v| rule.grants_verb(v))
                .collect();
            (!verbs.is_empty())
                .then(|| format!("rule can {} every Secret in scope", verbs.join(", ")))
        });
    }
}
