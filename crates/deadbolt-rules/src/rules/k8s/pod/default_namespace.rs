use deadbolt_model::ResourceMeta;
use deadbolt_model::k8s::{
    Ingress, ObjectMeta, Role, RoleBinding, Service, ServiceAccount, Workload,
};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every workload, Service, Ingress, ServiceAccount, Role and RoleBinding whose
    /// `metadata.namespace` is `default`, or that names no namespace (it then lands in the deploying
    /// context's namespace, `default` unless configured otherwise).
    ///
    /// ## Why it matters
    /// Namespaces are the unit RBAC, NetworkPolicies, resource quotas and Pod Security admission apply
    /// to. Everything in `default` shares one boundary: a permission granted there, or a missing
    /// policy, covers every unrelated application put there too.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 80
    /// ```
    ///
    /// ## Fix
    /// Create a namespace per application or team, apply RBAC, NetworkPolicies, quotas and a Pod
    /// Security level to it, and set `metadata.namespace` on every object.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-05, PR.IR-01; NIST SP 800-53 AC-6, SC-7
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Network separation and hardening", namespaces
    /// - Kubernetes documentation, "Namespaces"
    pub(crate) struct DefaultNamespace;
    id: "K8S-POD-022",
    name: "k8s-default-namespace",
    title: "Object is in the default namespace",
    severity: Severity::Low,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Set `metadata.namespace` to a namespace dedicated to the application.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-05", "PR.IR-01"],
        nist_800_53: &["AC-6", "SC-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_21"], trivy: &[] },
}

fn judge<'m>(checks: &mut Checks<'m>, meta: &'m ResourceMeta, object: &'m ObjectMeta) {
    let Some(namespace) = &object.namespace else {
        return;
    };
    if namespace.known().map(String::as_str) != Some("default") {
        checks.pass(meta);
    } else if namespace.explicit {
        checks.fail(meta, &namespace.span, "is in the `default` namespace");
    } else {
        checks.fail(
            meta,
            &namespace.span,
            "names no namespace, so it lands in `default` unless the deploying context sets another",
        );
    }
}

impl Rule for DefaultNamespace {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for w in model.all::<Workload>() {
            judge(checks, &w.meta, &w.object);
        }
        for s in model.all::<Service>() {
            judge(checks, &s.meta, &s.object);
        }
        for i in model.all::<Ingress>() {
            judge(checks, &i.meta, &i.object);
        }
        for a in model.all::<ServiceAccount>() {
            judge(checks, &a.meta, &a.object);
        }
        for r in model.all::<Role>() {
            judge(checks, &r.meta, &r.object);
        }
        for b in model.all::<RoleBinding>() {
            judge(checks, &b.meta, &b.object);
        }
    }
}
