use crate::rules::k8s::judge_pods;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every workload whose pod spec sets `hostIPC: true`.
    ///
    /// ## Why it matters
    /// Sharing the node's IPC namespace exposes the shared memory segments and message queues of every
    /// process on the node, so data other workloads exchange there can be read or tampered with.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: agent
    ///   namespace: apps
    /// spec:
    ///   hostIPC: true
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
    ///   hostIPC: false
    ///   containers:
    ///   - name: agent
    ///     image: registry.example.com/agent:3.2.0
    /// ```
    ///
    /// ## Fix
    /// Delete `hostIPC: true` (the default is `false`). Monitoring agents that need the node's view
    /// belong in a dedicated namespace with its own admission policy.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-01, PR.IR-01; NIST SP 800-53 SC-39, CM-7
    /// - Kubernetes Pod Security Standards: baseline profile, "Host Namespaces"
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security"
    pub(crate) struct HostIpc;
    id: "K8S-POD-005",
    name: "k8s-host-ipc",
    title: "Pod shares the node's IPC namespace",
    severity: Severity::High,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Remove `hostIPC: true` from the pod spec.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01", "PR.IR-01"],
        nist_800_53: &["SC-39", "CM-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_18"], trivy: &[] },
}

impl Rule for HostIpc {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_pods(model, checks, |w| {
            if w.pod.host_ipc.known() == Some(&true) {
                vec![(
                    w.pod.host_ipc.span.clone(),
                    "shares the node's IPC namespace (`hostIPC: true`)".to_string(),
                )]
            } else {
                Vec::new()
            }
        });
    }
}
