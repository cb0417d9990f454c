use crate::rules::k8s::judge_containers;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container whose `securityContext.capabilities.add` has `SYS_ADMIN` (or `CAP_SYS_ADMIN`, or
    /// `ALL`).
    ///
    /// ## Why it matters
    /// SYS_ADMIN is close to root on the host: it allows mounting file systems, using many namespace
    /// and BPF operations, and it underlies most known container escapes (cgroup release_agent,
    /// mounting the host disk).
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: fuse
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: fuse
    ///     image: registry.example.com/fuse:1.0.0
    ///     securityContext:
    ///       capabilities:
    ///         add: ["SYS_ADMIN"]
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: fuse
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: fuse
    ///     image: registry.example.com/fuse:1.0.0
    ///     securityContext:
    ///       capabilities:
    ///         drop: ["ALL"]
    /// ```
    ///
    /// ## Fix
    /// Remove the capability. FUSE and mount needs are better served by CSI drivers or a device plugin
    /// than by SYS_ADMIN in an application container.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-01, PR.AA-05; NIST SP 800-53 AC-6, CM-7
    /// - Kubernetes Pod Security Standards: baseline profile, "Capabilities"
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security"
    pub(crate) struct SysAdminCapability;
    id: "K8S-POD-008",
    name: "k8s-sys-admin-capability",
    title: "Container adds the SYS_ADMIN capability",
    severity: Severity::High,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Remove `SYS_ADMIN` (and `ALL`) from `capabilities.add`.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01", "PR.AA-05"],
        nist_800_53: &["AC-6", "CM-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_39"], trivy: &[] },
}

impl Rule for SysAdminCapability {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_containers(model, checks, |_, c| {
            c.capabilities_add
                .iter()
                .find(|a| matches!(a.known().map(String::as_str), Some("SYS_ADMIN" | "ALL")))
                .map(|a| {
                    (
                        a.span.clone(),
                        format!(
                            "adds the `{}` capability",
                            a.known().map_or("", String::as_str)
                        ),
                    )
                })
        });
    }
}
