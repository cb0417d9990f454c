//! Network exposure rules: Services, Ingresses and NetworkPolicies.

use crate::rule::Rule;

mod ingress_tls;
mod load_balancer;
mod no_network_policy;
mod node_port;

/// The rules of this area.
pub(crate) const RULES: &[&dyn Rule] = &[
    &load_balancer::PublicLoadBalancer,
    &node_port::NodePortService,
    &ingress_tls::IngressWithoutTls,
    &no_network_policy::NamespaceWithoutNetworkPolicy,
];
