use crate::rules::k8s::{image_ref, judge_containers};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container whose image has the tag `latest` or no tag at all (which means `latest`) and no
    /// digest.
    ///
    /// ## Why it matters
    /// `latest` changes under the same name: two replicas can run different code, a rollback cannot
    /// return to the previous version, and a compromised or broken push reaches production on the next
    /// pod restart without any change to the manifest.
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
    ///     image: nginx
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
    ///     image: nginx:1.27.3
    /// ```
    ///
    /// ## Fix
    /// Pin a version tag that your pipeline promotes deliberately (`nginx:1.27.3`), or a digest
    /// (`nginx@sha256:...`).
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-02, ID.AM-08; NIST SP 800-53 CM-2, SI-7
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security", building secure container images
    /// - Kubernetes documentation, "Images", image names and tags
    pub(crate) struct LatestTag;
    id: "K8S-IMG-001",
    name: "k8s-image-latest-or-untagged",
    title: "Container image uses the latest tag or no tag",
    severity: Severity::Medium,
    layer: Layer::Application,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "image",
    fix: "Reference a fixed version tag, or better a digest.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-02", "ID.AM-08"],
        nist_800_53: &["CM-2", "SI-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_14"], trivy: &[] },
}

impl Rule for LatestTag {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_containers(model, checks, |_, c| {
            let image = c.image.known()?;
            if image.is_empty() {
                return None;
            }
            let r = image_ref(image);
            if r.digest.is_some() {
                return None;
            }
            match r.tag {
                None => Some((
                    c.image.span.clone(),
                    format!("uses image `{image}` with no tag, which means `latest`"),
                )),
                Some("latest") => Some((c.image.span.clone(), format!("uses image `{image}`"))),
                Some(_) => None,
            }
        });
    }
}
