//! Kubernetes rules, one folder per area: pod security (`pod`), images (`image`), RBAC (`rbac`) and
//! network exposure (`network`). They map to the Pod Security Standards (baseline and restricted
//! profiles) and the NSA/CISA Kubernetes Hardening Guide.

use deadbolt_model::k8s::{Container, Workload};
use deadbolt_model::{Model, Span};

use crate::checks::Checks;
use crate::rule::Rule;

mod image;
mod network;
mod pod;
mod rbac;

/// Every Kubernetes rule.
pub(crate) fn all() -> Vec<&'static dyn Rule> {
    let mut rules = Vec::new();
    rules.extend_from_slice(pod::RULES);
    rules.extend_from_slice(image::RULES);
    rules.extend_from_slice(rbac::RULES);
    rules.extend_from_slice(network::RULES);
    rules
}

/// Judges every container of every workload (init and ephemeral containers too): each container
/// for which `judge` returns a span and a message fails there, named in the message; a workload with
/// no failing container passes.
pub(crate) fn judge_containers<'m>(
    model: &'m Model,
    checks: &mut Checks<'m>,
    judge: impl Fn(&'m Workload, &'m Container) -> Option<(Span, String)>,
) {
    for workload in model.all::<Workload>() {
        let mut failed = false;
        for container in &workload.pod.containers {
            if let Some((span, message)) = judge(workload, container) {
                checks.fail(
                    &workload.meta,
                    &span,
                    format!("{} `{}` {message}", container.kind.noun(), container.name),
                );
                failed = true;
            }
        }
        if !failed {
            checks.pass(&workload.meta);
        }
    }
}

/// Judges the pod spec of every workload: `judge` returns the failures (span, message), none for a
/// pass.
pub(crate) fn judge_pods<'m>(
    model: &'m Model,
    checks: &mut Checks<'m>,
    judge: impl Fn(&'m Workload) -> Vec<(Span, String)>,
) {
    for workload in model.all::<Workload>() {
        let failures = judge(workload);
        if failures.is_empty() {
            checks.pass(&workload.meta);
        }
        for (span, message) in failures {
            checks.fail(&workload.meta, &span, message);
        }
    }
}

/// An image reference split into its parts: `registry/name`, the tag and the digest.
pub(crate) struct ImageRef<'a> {
    /// The tag, if the reference has one.
    pub(crate) tag: Option<&'a str>,
    /// The digest (`sha256:...`), if the reference has one.
    pub(crate) digest: Option<&'a str>,
}

/// Splits an image reference. A `:` after the last `/` starts the tag (one before it is a registry
/// port).
pub(crate) fn image_ref(image: &str) -> ImageRef<'_> {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let tag = name[last_slash..]
        .rfind(':')
        .map(|i| &name[last_slash + i + 1..]);
    ImageRef { tag, digest }
}

#[cfg(test)]
mod tests {
    use super::image_ref;

    #[test]
    fn image_references() {
        let r = image_ref("registry.example.com:5000/team/app:1.2@sha256:abc");
        assert_eq!((r.tag, r.digest), (Some("1.2"), Some("sha256:abc")));
        let r = image_ref("registry.example.com:5000/team/app");
        assert_eq!((r.tag, r.digest), (None, None));
        assert_eq!(image_ref("nginx:latest").tag, Some("latest"));
    }
}
