use crate::rules::k8s::judge_containers;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container whose `securityContext.allowPrivilegeEscalation` is not `false` (unset counts:
    /// the runtime then allows escalation).
    ///
    /// ## Why it matters
    /// Unless `no_new_privs` is set, a process in the container can gain privileges through setuid or
    /// setgid binaries or file capabilities, turning a foothold as an unprivileged user into root
    /// inside the container, one step from the node.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:2.0.1
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: api
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:2.0.1
    ///     securityContext:
    ///       allowPrivilegeEscalation: false
    /// ```
    ///
    /// ## Fix
    /// Add `allowPrivilegeEscalation: false` to the securityContext of each container, init container
    /// and ephemeral container.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-01, PR.AA-05; NIST SP 800-53 AC-6, CM-7
    /// - Kubernetes Pod Security Standards: restricted profile, "Privilege Escalation"
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security"
    pub(crate) struct PrivilegeEscalation;
    id: "K8S-POD-002",
    name: "k8s-privilege-escalation-allowed",
    title: "Container allows privilege escalation",
    severity: Severity::Medium,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Set `allowPrivilegeEscalation: false` in every container's securityContext.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01", "PR.AA-05"],
        nist_800_53: &["AC-6", "CM-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_20"], trivy: &[] },
}

impl Rule for PrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_containers(model, checks, |_, c| {
            match c.allow_privilege_escalation.known() {
            Some(Some(false)) => None,
            Some(Some(true)) => Some((
                c.allow_privilege_escalation.span.clone(),
                "sets `allowPrivilegeEscalation: true`".to_string(),
            )),
            _ => Some((
                c.span.clone(),
                "does not set `allowPrivilegeEscalation: false`, so setuid binaries can gain privileges"
                    .to_string(),
            )),
        }
        });
    }
}
