use crate::rules::k8s::judge_pods;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every `hostPath` volume of a workload's pod spec (one finding per volume, at its `path`).
    ///
    /// ## Why it matters
    /// A hostPath volume hands the container a piece of the node's file system. Depending on the path
    /// that is the kubelet's credentials, other pods' data, the container runtime socket or system
    /// binaries; written to, it is a way to persist on the node or escape to it.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: logs
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: shipper
    ///     image: registry.example.com/shipper:1.0.0
    ///     volumeMounts:
    ///     - name: varlog
    ///       mountPath: /var/log
    ///   volumes:
    ///   - name: varlog
    ///     hostPath:
    ///       path: /var/log
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: logs
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: shipper
    ///     image: registry.example.com/shipper:1.0.0
    ///     volumeMounts:
    ///     - name: scratch
    ///       mountPath: /tmp
    ///   volumes:
    ///   - name: scratch
    ///     emptyDir: {}
    /// ```
    ///
    /// ## Fix
    /// Use emptyDir, ConfigMap, Secret, projected or persistent volumes. Where a node agent must read
    /// host files, mount the narrowest path read-only and run it in a dedicated namespace.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-01, PR.AA-05; NIST SP 800-53 AC-6, SC-39
    /// - Kubernetes Pod Security Standards: baseline profile, "HostPath Volumes"
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security"
    pub(crate) struct HostPathVolume;
    id: "K8S-POD-006",
    name: "k8s-host-path-volume",
    title: "Pod mounts a path of the node",
    severity: Severity::High,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Replace hostPath volumes with emptyDir, ConfigMap, Secret or persistent volumes.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01", "PR.AA-05"],
        nist_800_53: &["AC-6", "SC-39"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for HostPathVolume {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_pods(model, checks, |w| {
            w.pod
                .volumes
                .iter()
                .filter_map(|v| {
                    let path = v.host_path.as_ref()?;
                    Some((
                        path.span.clone(),
                        format!(
                            "volume `{}` mounts the node's `{}` (hostPath)",
                            v.name,
                            path.known()?
                        ),
                    ))
                })
                .collect()
        });
    }
}
