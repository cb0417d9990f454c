use crate::rules::k8s::judge_pods;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every workload whose pod spec sets `hostNetwork: true`.
    ///
    /// ## Why it matters
    /// A pod on the host network namespace sees every interface of the node, can bind its ports, sniff
    /// traffic of other pods on some network plugins and reach services listening on localhost (the
    /// kubelet read-only port, cloud metadata proxies) that NetworkPolicies do not cover.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: agent
    ///   namespace: apps
    /// spec:
    ///   hostNetwork: true
    ///   containers:
    ///   - name: agent
    ///     image: registry.example.com/agent:3.2.0
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: agent
    ///   namespace: apps
    /// spec:
    ///   hostNetwork: false
    ///   containers:
    ///   - name: agent
    ///     image: registry.example.com/agent:3.2.0
    /// ```
    ///
    /// ## Fix
    /// Delete `hostNetwork: true` (the default is `false`). Monitoring agents that need the node's view
    /// belong in a dedicated namespace with its own admission policy.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-01, PR.IR-01; NIST SP 800-53 SC-39, CM-7
    /// - Kubernetes Pod Security Standards: baseline profile, "Host Namespaces"
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security"
    pub(crate) struct HostNetwork;
    id: "K8S-POD-003",
    name: "k8s-host-network",
    title: "Pod shares the node's network namespace",
    severity: Severity::High,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Remove `hostNetwork: true` from the pod spec.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01", "PR.IR-01"],
        nist_800_53: &["SC-39", "CM-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_19"], trivy: &[] },
}

impl Rule for HostNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_pods(model, checks, |w| {
            if w.pod.host_network.known() == Some(&true) {
                vec![(
                    w.pod.host_network.span.clone(),
                    "shares the node's network namespace (`hostNetwork: true`)".to_string(),
                )]
            } else {
                Vec::new()
            }
        });
    }
}
