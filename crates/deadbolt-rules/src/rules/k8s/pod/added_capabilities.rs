use crate::rules::k8s::judge_containers;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container whose `capabilities.add` names a capability outside the Pod Security Standards
    /// baseline set (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE,
    /// SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT).
    ///
    /// ## Why it matters
    /// Capabilities outside the baseline set (SYS_ADMIN, SYS_PTRACE, NET_ADMIN, SYS_MODULE, BPF...) let
    /// a container change the node's kernel state, inspect other processes or reconfigure the network:
    /// each is a known route to escaping the container.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: vpn
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: vpn
    ///     image: registry.example.com/vpn:1.0.0
    ///     securityContext:
    ///       capabilities:
    ///         add: ["NET_ADMIN"]
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: vpn
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: vpn
    ///     image: registry.example.com/vpn:1.0.0
    ///     securityContext:
    ///       capabilities:
    ///         drop: ["ALL"]
    ///         add: ["NET_BIND_SERVICE"]
    /// ```
    ///
    /// ## Fix
    /// Remove the extra capabilities. Workloads that manage node networking (CNI agents, VPN gateways)
    /// belong in a dedicated namespace labelled for the privileged profile.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-01, PR.AA-05; NIST SP 800-53 AC-6, CM-7
    /// - Kubernetes Pod Security Standards: baseline profile, "Capabilities"; restricted profile allows adding only NET_BIND_SERVICE
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security"
    pub(crate) struct AddedCapabilities;
    id: "K8S-POD-010",
    name: "k8s-capabilities-beyond-baseline",
    title: "Container adds capabilities beyond the Pod Security Standards baseline",
    severity: Severity::High,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Add only capabilities of the baseline set (ideally only NET_BIND_SERVICE).",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01", "PR.AA-05"],
        nist_800_53: &["AC-6", "CM-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_25"], trivy: &[] },
}

/// The capabilities the Pod Security Standards baseline profile allows adding.
const BASELINE: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

impl Rule for AddedCapabilities {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_containers(model, checks, |_, c| {
            let extra: Vec<_> = c
                .capabilities_add
                .iter()
                .filter(|a| a.known().is_some_and(|n| !BASELINE.contains(&n.as_str())))
                .collect();
            let first = extra.first()?;
            let names: Vec<String> = extra
                .iter()
                .filter_map(|a| a.known().map(|n| format!("`{n}`")))
                .collect();
            Some((
                first.span.clone(),
                format!(
                    "adds {} beyond the baseline capability set",
                    names.join(", ")
                ),
            ))
        });
    }
}
