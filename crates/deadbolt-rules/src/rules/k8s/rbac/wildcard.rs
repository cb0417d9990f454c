use super::judge_rules;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every rule of a Role or ClusterRole with `*` among its `verbs`, `resources` or `apiGroups`.
    ///
    /// ## Why it matters
    /// A wildcard grants everything that exists now and everything added later: new subresources,
    /// custom resources installed by operators, verbs such as `escalate`, `bind` and `impersonate`.
    /// Roles written with `*` are rarely what their authors meant.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: app-operator
    ///   namespace: shop
    /// rules:
    /// - apiGroups: ["apps"]
    ///   resources: ["*"]
    ///   verbs: ["*"]
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: Role
    /// metadata:
    ///   name: app-operator
    ///   namespace: shop
    /// rules:
    /// - apiGroups: ["apps"]
    ///   resources: ["deployments"]
    ///   verbs: ["get", "list", "watch", "patch"]
    /// ```
    ///
    /// ## Fix
    /// Replace each `*` with the explicit list; `kubectl auth can-i --list --as=<subject>` and audit
    /// logs show what the subject uses.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-6, AC-3
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Authentication and authorization", role-based access control
    /// - CIS Kubernetes Benchmark 5.1.3, "Minimize wildcard use in Roles and ClusterRoles"
    pub(crate) struct RbacWildcard;
    id: "K8S-RBAC-002",
    name: "k8s-rbac-wildcard",
    title: "Role grants wildcard verbs, resources or API groups",
    severity: Severity::Medium,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "rbac",
    fix: "List the verbs, resources and API groups the role needs instead of `*`.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-6", "AC-3"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_49"], trivy: &[] },
}

impl Rule for RbacWildcard {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_rules(model, checks, |rule| {
            let star = |list: &[String]| list.iter().any(|v| v == "*");
            let wild: Vec<&str> = [
                ("verbs", star(&rule.verbs)),
                ("resources", star(&rule.resources)),
                ("apiGroups", star(&rule.api_groups)),
            ]
            .into_iter()
            .filter_map(|(name, wild)| wild.then_some(name))
            .collect();
            (!wild.is_empty()).then(|| format!("rule grants `*` in {}", wild.join(", ")))
        });
    }
}
