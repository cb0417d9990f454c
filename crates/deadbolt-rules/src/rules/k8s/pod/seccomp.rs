use crate::rules::k8s::judge_containers;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container whose seccomp profile (its own `securityContext.seccompProfile`, else the pod's,
    /// else the legacy seccomp annotations) is unset or `Unconfined`.
    ///
    /// ## Why it matters
    /// Seccomp filters the system calls a container may make. Without a profile the kubelet runs
    /// containers Unconfined, so the whole kernel attack surface (keyctl, unshare, bpf, io_uring...) is
    /// reachable from the container, which is how most container-escape kernel exploits start.
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
    ///   securityContext:
    ///     seccompProfile:
    ///       type: RuntimeDefault
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:2.0.1
    /// ```
    ///
    /// ## Fix
    /// Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (or `Localhost` with a
    /// tailored profile). The kubelet `--seccomp-default` flag makes RuntimeDefault the node default,
    /// but a manifest should not rely on it.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-01; NIST SP 800-53 CM-7, SC-39
    /// - Kubernetes Pod Security Standards: baseline profile forbids "Unconfined"; restricted profile requires "RuntimeDefault" or "Localhost" ("Seccomp")
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security", hardening container environments
    pub(crate) struct SeccompUnset;
    id: "K8S-POD-020",
    name: "k8s-seccomp-not-set",
    title: "Container runs without a seccomp profile",
    severity: Severity::Medium,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Set `seccompProfile.type: RuntimeDefault` (or `Localhost`) in the pod securityContext.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01"],
        nist_800_53: &["CM-7", "SC-39"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_31"], trivy: &[] },
}

impl Rule for SeccompUnset {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_containers(model, checks, |w, c| {
            let profile = w.pod.effective(c, |s| &s.seccomp_profile);
            match profile.known() {
                Some(Some(p)) if p == "Unconfined" => Some((
                    profile.span.clone(),
                    "runs with the `Unconfined` seccomp profile".to_string(),
                )),
                Some(Some(_)) => None,
                _ => Some((c.span.clone(), "has no seccomp profile (container or pod `seccompProfile`), so it runs Unconfined".to_string())),
            }
        });
    }
}
