use crate::rules::k8s::judge_containers;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container that runs as UID 0 (`runAsUser: 0`), or that sets neither `runAsNonRoot: true`
    /// nor a non-zero `runAsUser` (in its own securityContext or inherited from the pod), so the
    /// image's user applies, which is root for most images.
    ///
    /// ## Why it matters
    /// Root in a container is root on the node's kernel, held back only by namespaces and capabilities.
    /// A kernel or runtime flaw, a hostPath mount or a misconfigured volume turns it into root on the
    /// node, and files it writes to shared volumes are owned by root.
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
    ///     runAsNonRoot: true
    ///     runAsUser: 10001
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:2.0.1
    /// ```
    ///
    /// ## Fix
    /// Build the image with a non-root `USER` and set `runAsNonRoot: true` (and a high `runAsUser`,
    /// e.g. 10001) in the pod securityContext, so the kubelet refuses to start it as root.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-01, PR.AA-05; NIST SP 800-53 AC-6, CM-7
    /// - Kubernetes Pod Security Standards: restricted profile, "Running as Non-root" and "Running as Non-root user"
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security", non-root containers
    pub(crate) struct RunAsRoot;
    id: "K8S-POD-012",
    name: "k8s-container-runs-as-root",
    title: "Container may run as root",
    severity: Severity::Medium,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Set `runAsNonRoot: true` and a non-zero `runAsUser` on the pod or container.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01", "PR.AA-05"],
        nist_800_53: &["AC-6", "CM-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_23"], trivy: &[] },
}

impl Rule for RunAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_containers(model, checks, |w, c| {
            let user = w.pod.effective(c, |s| &s.run_as_user);
            if user.known() == Some(&Some(0)) {
                return Some((
                    user.span.clone(),
                    "runs as UID 0 (`runAsUser: 0`)".to_string(),
                ));
            }
            let non_root = w.pod.effective(c, |s| &s.run_as_non_root);
            match (non_root.known(), user.known()) {
                (Some(Some(true)), _) | (_, Some(Some(_))) => None,
                (Some(Some(false)), _) => Some((
                    non_root.span.clone(),
                    "sets `runAsNonRoot: false` and no non-zero `runAsUser`, so the image's user (often root) applies"
                        .to_string(),
                )),
                _ => Some((
                    c.span.clone(),
                    "sets neither `runAsNonRoot: true` nor a non-zero `runAsUser`, so the image's user (often root) applies"
                        .to_string(),
                )),
            }
        });
    }
}
