use deadbolt_model::k8s::Ingress;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every Ingress without a `spec.tls` entry.
    ///
    /// ## Why it matters
    /// Without TLS the Ingress controller serves the application over plain HTTP: credentials, session
    /// cookies and data cross the network readable and modifiable by anyone on the path.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   rules:
    ///   - host: shop.example.com
    ///     http:
    ///       paths:
    ///       - path: /
    ///         pathType: Prefix
    ///         backend:
    ///           service:
    ///             name: web
    ///             port:
    ///               number: 80
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   tls:
    ///   - hosts: ["shop.example.com"]
    ///     secretName: shop-tls
    ///   rules:
    ///   - host: shop.example.com
    ///     http:
    ///       paths:
    ///       - path: /
    ///         pathType: Prefix
    ///         backend:
    ///           service:
    ///             name: web
    ///             port:
    ///               number: 80
    /// ```
    ///
    /// ## Fix
    /// Add `spec.tls` with the hosts and a Secret holding the certificate (cert-manager can issue and
    /// renew it), and redirect HTTP to HTTPS in the controller.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.DS-02; NIST SP 800-53 SC-8, SC-8(1)
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Network separation and hardening"
    /// - Kubernetes documentation, "Ingress", TLS
    pub(crate) struct IngressWithoutTls;
    id: "K8S-NET-003",
    name: "k8s-ingress-without-tls",
    title: "Ingress serves without TLS",
    severity: Severity::Medium,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "network",
    fix: "Add a `spec.tls` entry with the hosts and a certificate Secret.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.DS-02"],
        nist_800_53: &["SC-8", "SC-8(1)"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for IngressWithoutTls {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for ingress in model.all::<Ingress>() {
            if ingress.tls.known() == Some(&true) {
                checks.pass(&ingress.meta);
                continue;
            }
            let hosts = if ingress.hosts.is_empty() {
                String::new()
            } else {
                format!(" for {}", ingress.hosts.join(", "))
            };
            checks.fail(
                &ingress.meta,
                &ingress.tls.span,
                format!("has no `spec.tls`, so traffic{hosts} is served over plain HTTP"),
            );
        }
    }
}
