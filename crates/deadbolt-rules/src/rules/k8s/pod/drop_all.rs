use crate::rules::k8s::judge_containers;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container whose `securityContext.capabilities.drop` does not include `ALL`.
    ///
    /// ## Why it matters
    /// Container runtimes grant a default set of about fourteen capabilities (CHOWN, DAC_OVERRIDE,
    /// NET_RAW, SETUID...). Most applications need none of them; each one kept is something an attacker
    /// in the container can use.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: worker
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: worker
    ///     image: registry.example.com/worker:1.0.0
    ///     securityContext:
    ///       capabilities:
    ///         drop: ["NET_RAW"]
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: worker
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: worker
    ///     image: registry.example.com/worker:1.0.0
    ///     securityContext:
    ///       capabilities:
    ///         drop: ["ALL"]
    /// ```
    ///
    /// ## Fix
    /// Add `ALL` to `capabilities.drop`; if the workload binds a port below 1024, add back
    /// `NET_BIND_SERVICE` only.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-01, PR.AA-05; NIST SP 800-53 AC-6, CM-7
    /// - Kubernetes Pod Security Standards: restricted profile, "Capabilities"
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security"
    pub(crate) struct CapabilitiesNotDropped;
    id: "K8S-POD-011",
    name: "k8s-capabilities-not-dropped",
    title: "Container does not drop all capabilities",
    severity: Severity::Low,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Set `capabilities.drop: [ALL]` and add back only what the workload needs.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01", "PR.AA-05"],
        nist_800_53: &["AC-6", "CM-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_37"], trivy: &[] },
}

impl Rule for CapabilitiesNotDropped {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_containers(model, checks, |_, c| {
            let all = c
                .capabilities_drop
                .known()
                .is_some_and(|d| d.iter().any(|x| x == "ALL"));
            (!all).then(|| {
                (
                    c.capabilities_drop.span.clone(),
                    "does not drop `ALL` capabilities".to_string(),
                )
            })
        });
    }
}
