use deadbolt_model::k8s::Service;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every Service of type `LoadBalancer` that is not marked internal by its cloud annotation
    /// (`service.beta.kubernetes.io/aws-load-balancer-internal`, `service.beta.kubernetes.io/azure-
    /// load-balancer-internal`, `networking.gke.io/load-balancer-type: Internal`,
    /// `cloud.google.com/load-balancer-type: Internal`, `service.beta.kubernetes.io/aws-load-balancer-
    /// scheme: internal`).
    ///
    /// ## Why it matters
    /// A LoadBalancer Service makes the cloud provider create a load balancer that is public by
    /// default, reaching the pods directly from the internet and bypassing the Ingress layer where TLS,
    /// authentication and WAF rules usually live.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 443
    ///     targetPort: 8443
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    ///   annotations:
    ///     service.beta.kubernetes.io/aws-load-balancer-scheme: internal
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 443
    ///     targetPort: 8443
    /// ```
    ///
    /// ## Fix
    /// Expose HTTP services through an Ingress or Gateway; where a load balancer is needed for internal
    /// clients, add the provider's internal annotation, and restrict `loadBalancerSourceRanges` for the
    /// rest.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7, AC-4
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Network separation and hardening"
    /// - Kubernetes documentation, "Service", type LoadBalancer and internal load balancers
    pub(crate) struct PublicLoadBalancer;
    id: "K8S-NET-001",
    name: "k8s-service-load-balancer",
    title: "Service is exposed through a load balancer",
    severity: Severity::Medium,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "network",
    fix: "Use a ClusterIP Service behind an Ingress or gateway, or mark the load balancer internal.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7", "AC-4"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

/// Annotations (and the values) that make a cloud load balancer internal.
const INTERNAL: &[(&str, &str)] = &[
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        "true",
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        "internal",
    ),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        "true",
    ),
    ("networking.gke.io/load-balancer-type", "internal"),
    ("cloud.google.com/load-balancer-type", "internal"),
];

impl Rule for PublicLoadBalancer {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for service in model.all::<Service>() {
            if service.service_type.known().map(String::as_str) != Some("LoadBalancer") {
                checks.pass(&service.meta);
                continue;
            }
            let internal = INTERNAL.iter().any(|(key, value)| {
                service.object.annotation(key).is_some_and(|v| {
                    v.eq_ignore_ascii_case(value)
                        || (*value == "true" && v.starts_with("0.0.0.0/0"))
                })
            });
            if internal {
                checks.pass(&service.meta);
            } else {
                checks.fail(
                    &service.meta,
                    &service.service_type.span,
                    "is of type `LoadBalancer` with no internal annotation, so the cloud load balancer is public",
                );
            }
        }
    }
}
