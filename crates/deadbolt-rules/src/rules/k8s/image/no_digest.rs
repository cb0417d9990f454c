use crate::rules::k8s::{image_ref, judge_containers};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container whose image reference has no `@sha256:` digest.
    ///
    /// ## Why it matters
    /// A tag is a mutable pointer: whoever can push to the repository (or compromise the registry) can
    /// make the same manifest run different code. A digest names exactly the content that was tested
    /// and scanned.
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
    ///     image: nginx:1.27.3
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
    ///     image: nginx@sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a
    /// ```
    ///
    /// ## Fix
    /// Resolve tags to digests at release time (Kustomize `images`, Helm values written by CI, or an
    /// admission controller that mutates tags to digests) and keep the tag as a comment for humans.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-02, ID.AM-08; NIST SP 800-53 CM-2, SI-7, SR-11
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security", building secure container images
    /// - Kubernetes documentation, "Images", image pull by digest
    pub(crate) struct ImageNotPinned;
    id: "K8S-IMG-002",
    name: "k8s-image-not-pinned-by-digest",
    title: "Container image is not pinned by digest",
    severity: Severity::Low,
    layer: Layer::Application,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "image",
    fix: "Reference the image by digest (`name@sha256:...`), e.g. resolved by your CD tooling.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-02", "ID.AM-08"],
        nist_800_53: &["CM-2", "SI-7", "SR-11"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_43"], trivy: &[] },
}

impl Rule for ImageNotPinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_containers(model, checks, |_, c| {
            let image = c.image.known()?;
            (!image.is_empty() && image_ref(image).digest.is_none()).then(|| {
                (
                    c.image.span.clone(),
                    format!("uses image `{image}` without a digest"),
                )
            })
        });
    }
}
