use super::judge_rules;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every rule of a Role or ClusterRole that names the verbs `bind`, `escalate` or `impersonate`.
    ///
    /// ## Why it matters
    /// These verbs switch off RBAC's own safeguard against privilege escalation: `escalate` lets a
    /// subject write roles with permissions it does not hold, `bind` lets it bind roles it does not
    /// hold (cluster-admin included), and `impersonate` lets it act as any user, group or service
    /// account.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: team-admin
    /// rules:
    /// - apiGroups: ["rbac.authorization.k8s.io"]
    ///   resources: ["clusterroles"]
    ///   verbs: ["get", "bind", "escalate"]
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: rbac.authorization.k8s.io/v1
    /// kind: ClusterRole
    /// metadata:
    ///   name: team-admin
    /// rules:
    /// - apiGroups: ["rbac.authorization.k8s.io"]
    ///   resources: ["clusterroles"]
    ///   verbs: ["get", "list"]
    /// ```
    ///
    /// ## Fix
    /// Reserve these verbs for the few controllers that manage RBAC; if a team must create bindings,
    /// grant `bind` with `resourceNames` limited to the roles it may hand out.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-05; NIST SP 800-53 AC-6, AC-6(10)
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Authentication and authorization", role-based access control
    /// - Kubernetes documentation, "Using RBAC Authorization", privilege escalation prevention
    pub(crate) struct RbacEscalation;
    id: "K8S-RBAC-005",
    name: "k8s-rbac-escalation-verbs",
    title: "Role grants bind, escalate or impersonate",
    severity: Severity::High,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "rbac",
    fix: "Remove the `bind`, `escalate` and `impersonate` verbs from roles that do not administer RBAC.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-05"],
        nist_800_53: &["AC-6", "AC-6(10)"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_157", "CKV_K8S_158", "CKV2_K8S_3"], trivy: &[] },
}

impl Rule for RbacEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_rules(model, checks, |rule| {
            let verbs: Vec<&str> = rule
                .verbs
                .iter()
                .map(String::as_str)
                .filter(|v| matches!(*v, "bind" | "escalate" | "impersonate"))
                .collect();
            (!verbs.is_empty()).then(|| {
                let names: Vec<String> = verbs.iter().map(|v| format!("`{v}`")).collect();
                format!("rule grants {}", names.join(", "))
            })
        });
    }
}
