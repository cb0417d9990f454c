use crate::rules::k8s::judge_containers;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container whose `securityContext.readOnlyRootFilesystem` is not `true`.
    ///
    /// ## Why it matters
    /// A writable root file system lets an attacker who gains code execution drop tools, modify
    /// binaries or configuration of the running application and persist until the pod is replaced. An
    /// immutable file system makes such changes fail and tampering visible.
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
    ///       readOnlyRootFilesystem: true
    ///     volumeMounts:
    ///     - name: tmp
    ///       mountPath: /tmp
    ///   volumes:
    ///   - name: tmp
    ///     emptyDir: {}
    /// ```
    ///
    /// ## Fix
    /// Set `readOnlyRootFilesystem: true`; give the application emptyDir volumes for the few paths it
    /// writes (`/tmp`, caches).
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-01, PR.DS-01; NIST SP 800-53 CM-7, SI-7
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security", immutable container file systems
    pub(crate) struct WritableRootFilesystem;
    id: "K8S-POD-013",
    name: "k8s-writable-root-filesystem",
    title: "Container root file system is writable",
    severity: Severity::Low,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Set `readOnlyRootFilesystem: true` and mount emptyDir volumes where the application writes.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01", "PR.DS-01"],
        nist_800_53: &["CM-7", "SI-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_22"], trivy: &[] },
}

impl Rule for WritableRootFilesystem {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_containers(model, checks, |_, c| {
            (c.read_only_root_filesystem.known() == Some(&false)).then(|| {
                let message = if c.read_only_root_filesystem.explicit {
                    "sets `readOnlyRootFilesystem: false`"
                } else {
                    "does not set `readOnlyRootFilesystem: true`"
                };
                (
                    c.read_only_root_filesystem.span.clone(),
                    message.to_string(),
                )
            })
        });
    }
}
