use crate::rules::k8s::judge_containers;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container, init container and ephemeral container of a workload whose
    /// `securityContext.privileged` is `true`.
    ///
    /// ## Why it matters
    /// A privileged container has every Linux capability, sees all host devices and runs without the
    /// seccomp, AppArmor and cgroup device restrictions that separate it from the node. Code execution
    /// in it is root on the node, and from there every other pod and the kubelet credentials.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: debug
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: shell
    ///     image: busybox:1.36
    ///     securityContext:
    ///       privileged: true
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: debug
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: shell
    ///     image: busybox:1.36
    ///     securityContext:
    ///       privileged: false
    /// ```
    ///
    /// ## Fix
    /// Delete `privileged: true` (the default is `false`). If the workload needs one kernel feature,
    /// add that single capability; node agents that truly need the host belong in a dedicated,
    /// separately governed namespace.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-01, PR.AA-05; NIST SP 800-53 AC-6, CM-7, SC-39
    /// - Kubernetes Pod Security Standards: baseline profile, "Privileged Containers"
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security", non-root and unprivileged containers
    pub(crate) struct PrivilegedContainer;
    id: "K8S-POD-001",
    name: "k8s-privileged-container",
    title: "Container runs privileged",
    severity: Severity::Critical,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Remove `privileged: true`; grant the one capability the workload needs instead.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01", "PR.AA-05"],
        nist_800_53: &["AC-6", "CM-7", "SC-39"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_16"], trivy: &[] },
}

impl Rule for PrivilegedContainer {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_containers(model, checks, |_, c| {
            (c.privileged.known() == Some(&true)).then(|| {
                (
                    c.privileged.span.clone(),
                    "runs privileged (`privileged: true`)".to_string(),
                )
            })
        });
    }
}
