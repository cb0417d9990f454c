use crate::rules::k8s::judge_containers;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container whose AppArmor profile is `Unconfined`, or is not set at all: neither
    /// `securityContext.appArmorProfile` (Kubernetes 1.30 and later; container, else pod) nor the older
    /// `container.apparmor.security.beta.kubernetes.io/<container>` annotation.
    ///
    /// ## Why it matters
    /// AppArmor confines what files, capabilities and mounts a container's processes may use, a second
    /// wall behind namespaces. Unconfined removes it; leaving it unset hands the decision to each node
    /// (the runtime default applies only where AppArmor is enabled), so the manifest does not say what
    /// protection it gets.
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
    ///     appArmorProfile:
    ///       type: RuntimeDefault
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:2.0.1
    /// ```
    ///
    /// ## Fix
    /// Set `securityContext.appArmorProfile.type: RuntimeDefault` (Kubernetes 1.30 and later) or
    /// `Localhost` with a tailored profile; on older clusters use the
    /// `container.apparmor.security.beta.kubernetes.io/<container>: runtime/default` annotation.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-01; NIST SP 800-53 CM-7, SC-39
    /// - Kubernetes Pod Security Standards: baseline profile, "AppArmor" (overriding the default with unconfined is forbidden)
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security", hardening container environments
    pub(crate) struct AppArmorUnset;
    id: "K8S-POD-021",
    name: "k8s-apparmor-not-set",
    title: "Container has no AppArmor profile or runs unconfined",
    severity: Severity::Low,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Set `appArmorProfile.type: RuntimeDefault` (or `Localhost`) on the pod or container.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01"],
        nist_800_53: &["CM-7", "SC-39"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for AppArmorUnset {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_containers(model, checks, |w, c| {
            let profile = w.pod.effective(c, |s| &s.app_armor_profile);
            match profile.known() {
                Some(Some(p)) if p == "Unconfined" => Some((
                    profile.span.clone(),
                    "runs with the `Unconfined` AppArmor profile".to_string(),
                )),
                Some(Some(_)) => None,
                _ => Some((c.span.clone(), "sets no AppArmor profile (`appArmorProfile` or the AppArmor annotation), so its confinement depends on the node".to_string())),
            }
        });
    }
}
