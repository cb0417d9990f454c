use super::judge_missing_resources;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container and init container without `resources.limits.cpu`.
    ///
    /// ## Why it matters
    /// Without a CPU limit one container can use every core of the node: a busy loop, a crypto miner or
    /// a flood of requests then starves the other pods and node agents on it.
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
    ///     resources:
    ///       limits:
    ///         cpu: 500m
    /// ```
    ///
    /// ## Fix
    /// Set `resources.limits.cpu` (or enforce a default with a LimitRange in the namespace).
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-04; NIST SP 800-53 SC-6
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Network separation and hardening", resource policies
    /// - Kubernetes documentation, "Resource Management for Pods and Containers"
    pub(crate) struct NoCpuLimit;
    id: "K8S-POD-014",
    name: "k8s-no-cpu-limit",
    title: "Container has no CPU limit",
    severity: Severity::Low,
    layer: Layer::Application,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Set `resources.limits.cpu` on every container, or a LimitRange default for the namespace.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-04"],
        nist_800_53: &["SC-6"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_11"], trivy: &[] },
}

impl Rule for NoCpuLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_missing_resources(model, checks, |r| {
            if matches!(r.cpu_limit.known(), Some(None)) {
                vec!["limits.cpu"]
            } else {
                Vec::new()
            }
        });
    }
}
