use deadbolt_model::k8s::Service;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every Service of type `NodePort`.
    ///
    /// ## Why it matters
    /// A NodePort Service listens on the same port of every node, on the node's own addresses. Anything
    /// that can reach a node (another VPC, a peered network, the internet if nodes have public IPs and
    /// the security group allows 30000-32767) reaches the pods, outside the Ingress and NetworkPolicy
    /// controls.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   type: NodePort
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 443
    ///     targetPort: 8443
    ///     nodePort: 30443
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
    ///   type: ClusterIP
    ///   selector:
    ///     app: web
    ///   ports:
    ///   - port: 443
    ///     targetPort: 8443
    /// ```
    ///
    /// ## Fix
    /// Change the type to `ClusterIP` and route traffic through an Ingress or Gateway; if NodePort is
    /// required by an external load balancer, restrict the node security groups to that load balancer.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7, CM-7
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Network separation and hardening"
    /// - Kubernetes documentation, "Service", type NodePort
    pub(crate) struct NodePortService;
    id: "K8S-NET-002",
    name: "k8s-service-node-port",
    title: "Service opens a port on every node",
    severity: Severity::Low,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "network",
    fix: "Use a ClusterIP Service behind an Ingress or gateway instead of NodePort.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7", "CM-7"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for NodePortService {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for service in model.all::<Service>() {
            if service.service_type.known().map(String::as_str) != Some("NodePort") {
                checks.pass(&service.meta);
                continue;
            }
            let ports: Vec<String> = service
                .ports
                .iter()
                .filter_map(|p| p.node_port.as_ref()?.known().map(|n| n.to_string()))
                .collect();
            let which = if ports.is_empty() {
                "a port chosen from 30000-32767".to_string()
            } else {
                format!("port {}", ports.join(", "))
            };
            checks.fail(
                &service.meta,
                &service.service_type.span,
                format!("is of type `NodePort`: {which} opens on every node"),
            );
        }
    }
}
