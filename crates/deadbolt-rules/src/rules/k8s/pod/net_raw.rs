use crate::rules::k8s::judge_containers;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container that adds `NET_RAW` (or `ALL`), or does not drop `NET_RAW` or `ALL`: container
    /// runtimes grant NET_RAW by default.
    ///
    /// ## Why it matters
    /// NET_RAW lets a process craft raw packets: ARP and DNS spoofing against other pods on the node,
    /// and it has been the entry point of several kernel exploits. Almost no application needs it (ping
    /// is the usual exception).
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
    ///     image: registry.example.com/api:1.0.0
    ///     securityContext:
    ///       allowPrivilegeEscalation: false
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
    ///     image: registry.example.com/api:1.0.0
    ///     securityContext:
    ///       capabilities:
    ///         drop: ["NET_RAW"]
    /// ```
    ///
    /// ## Fix
    /// Add `NET_RAW` or, better, `ALL` to `securityContext.capabilities.drop`, adding back only what
    /// the workload needs.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-01, PR.AA-05; NIST SP 800-53 AC-6, CM-7, SC-7
    /// - Kubernetes Pod Security Standards: baseline profile, "Capabilities" (NET_RAW is not in the allowed list)
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security"
    pub(crate) struct NetRawCapability;
    id: "K8S-POD-009",
    name: "k8s-net-raw-capability",
    title: "Container keeps the NET_RAW capability",
    severity: Severity::Medium,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Drop `NET_RAW` (or `ALL`) in `capabilities.drop`, and never add it.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01", "PR.AA-05"],
        nist_800_53: &["AC-6", "CM-7", "SC-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_28"], trivy: &[] },
}

impl Rule for NetRawCapability {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_containers(model, checks, |_, c| {
            if let Some(a) = c
                .capabilities_add
                .iter()
                .find(|a| matches!(a.known().map(String::as_str), Some("NET_RAW" | "ALL")))
            {
                return Some((
                    a.span.clone(),
                    format!(
                        "adds the `{}` capability",
                        a.known().map_or("", String::as_str)
                    ),
                ));
            }
            let dropped = c
                .capabilities_drop
                .known()
                .is_some_and(|d| d.iter().any(|x| x == "NET_RAW" || x == "ALL"));
            (!dropped).then(|| {
                (
                    c.capabilities_drop.span.clone(),
                    "does not drop `NET_RAW`, which container runtimes grant by default"
                        .to_string(),
                )
            })
        });
    }
}
