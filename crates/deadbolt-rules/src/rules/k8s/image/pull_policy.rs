use crate::rules::k8s::{image_ref, judge_containers};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container whose image has no digest and whose pull policy (written, or the default:
    /// `IfNotPresent` for a tagged image) is not `Always`.
    ///
    /// ## Why it matters
    /// With `IfNotPresent` a node reuses whatever image it cached under the tag: pods on different
    /// nodes run different builds, and a pod can start from a stale or tampered local image. It also
    /// lets a pod use a private image another tenant pulled to the node without having registry
    /// credentials.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    ///     imagePullPolicy: IfNotPresent
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    ///     imagePullPolicy: Always
    /// ```
    ///
    /// ## Fix
    /// Pin images by digest (then any policy is safe), or set `imagePullPolicy: Always`; the
    /// AlwaysPullImages admission plugin enforces it cluster-wide on multi-tenant clusters.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-02; NIST SP 800-53 CM-2, SI-7
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security", building secure container images
    /// - Kubernetes documentation, "Images", image pull policy
    pub(crate) struct PullPolicy;
    id: "K8S-IMG-003",
    name: "k8s-image-pull-policy-not-always",
    title: "Mutable image is not pulled on every start",
    severity: Severity::Low,
    layer: Layer::Application,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "image",
    fix: "Set `imagePullPolicy: Always`, or pin the image by digest.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-02"],
        nist_800_53: &["CM-2", "SI-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_15"], trivy: &[] },
}

impl Rule for PullPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_containers(model, checks, |_, c| {
            let image = c.image.known()?;
            let r = image_ref(image);
            if image.is_empty() || r.digest.is_some() {
                return None;
            }
            match c.image_pull_policy.known() {
                Some(Some(policy)) if policy != "Always" => Some((
                    c.image_pull_policy.span.clone(),
                    format!("pulls the mutable image `{image}` with `imagePullPolicy: {policy}`"),
                )),
                Some(Some(_)) => None,
                // Kubernetes defaults to Always only for `latest` and untagged images.
                _ if matches!(r.tag, None | Some("latest")) => None,
                _ => Some((
                    c.image.span.clone(),
                    format!(
                        "pulls the mutable image `{image}` with the default `IfNotPresent` policy"
                    ),
                )),
            }
        });
    }
}
