use super::judge_missing_resources;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container and init container without `resources.limits.memory`.
    ///
    /// ## Why it matters
    /// Without a memory limit one container can exhaust the node's memory: the kernel then kills
    /// processes of other pods, and a leak or a hostile request becomes a denial of service for the
    /// node.
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
    ///         memory: 256Mi
    /// ```
    ///
    /// ## Fix
    /// Set `resources.limits.memory` (or enforce a default with a LimitRange in the namespace).
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-04; NIST SP 800-53 SC-6
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Network separation and hardening", resource policies
    /// - Kubernetes documentation, "Resource Management for Pods and Containers"
    pub(crate) struct NoMemoryLimit;
    id: "K8S-POD-015",
    name: "k8s-no-memory-limit",
    title: "Container has no memory limit",
    severity: Severity::Medium,
    layer: Layer::Application,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Set `resources.limits.memory` on every container, or a LimitRange default for the namespace.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-04"],
        nist_800_53: &["SC-6"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_13"], trivy: &[] },
}

impl Rule for NoMemoryLimit {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_missing_resources(model, checks, |r| {
            if matches!(r.memory_limit.known(), Some(None)) {
                vec!["limits.memory"]
            } else {
                Vec::new()
            }
        });
    }
}
