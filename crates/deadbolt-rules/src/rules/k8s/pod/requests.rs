use super::judge_missing_resources;
use deadbolt_model::{Attr, Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container and init container without `resources.requests.cpu` or
    /// `resources.requests.memory`. A request left out where the matching limit is set is not
    /// missing: Kubernetes then sets the request to the limit.
    ///
    /// ## Why it matters
    /// The scheduler places pods by their requests. Without them a node is overcommitted without anyone
    /// noticing, and under pressure the pods without requests are the first to be evicted or throttled.
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
    ///     resources:
    ///       requests:
    ///         cpu: 100m
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
    ///       requests:
    ///         cpu: 100m
    ///         memory: 128Mi
    /// ```
    ///
    /// ## Fix
    /// Set `resources.requests.cpu` and `resources.requests.memory` (or LimitRange defaults for the
    /// namespace).
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-04; NIST SP 800-53 SC-6
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Network separation and hardening", resource policies
    /// - Kubernetes documentation, "Resource Management for Pods and Containers"
    pub(crate) struct NoResourceRequests;
    id: "K8S-POD-016",
    name: "k8s-no-resource-requests",
    title: "Container has no CPU or memory request",
    severity: Severity::Low,
    layer: Layer::Application,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Set CPU and memory requests on every container, or LimitRange defaults for the namespace.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-04"],
        nist_800_53: &["SC-6"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_10", "CKV_K8S_12"], trivy: &[] },
}

impl Rule for NoResourceRequests {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        // A request left out where the limit is set defaults to the limit.
        let absent = |request: &Attr<Option<String>>, limit: &Attr<Option<String>>| {
            matches!(request.known(), Some(None)) && matches!(limit.known(), Some(None))
        };
        judge_missing_resources(model, checks, |r| {
            let mut missing = Vec::new();
            if absent(&r.cpu_request, &r.cpu_limit) {
                missing.push("requests.cpu");
            }
            if absent(&r.memory_request, &r.memory_limit) {
                missing.push("requests.memory");
            }
            missing
        });
    }
}
