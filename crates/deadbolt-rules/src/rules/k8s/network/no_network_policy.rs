use deadbolt_model::k8s::{Namespace, NetworkPolicy, Workload};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};
use std::collections::BTreeMap;

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every namespace that has workloads in the scan but no NetworkPolicy in the scan. The finding
    /// points at the Namespace object when the scan declares it, else at the first workload of that
    /// namespace. (It looks at presence only: a NetworkPolicy that selects no pod still counts.)
    ///
    /// ## Why it matters
    /// Without a NetworkPolicy every pod accepts traffic from every other pod in the cluster and can
    /// reach anything, so one compromised workload can scan and attack every service, database and node
    /// agent in the cluster.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: ["Ingress", "Egress"]
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    /// ```
    ///
    /// ## Fix
    /// Start each namespace with a default-deny policy (empty `podSelector`, `policyTypes: [Ingress,
    /// Egress]`), then add policies that allow each required flow (and DNS egress). The network plugin
    /// must enforce NetworkPolicies (Calico, Cilium, the VPC CNI with network policy enabled).
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7, AC-4
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Network separation and hardening", network policies
    /// - Kubernetes documentation, "Network Policies"
    pub(crate) struct NamespaceWithoutNetworkPolicy;
    id: "K8S-NET-004",
    name: "k8s-namespace-without-network-policy",
    title: "Namespace runs workloads without any NetworkPolicy",
    severity: Severity::Medium,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "network",
    fix: "Add a default-deny NetworkPolicy to the namespace and allow the flows the workloads need.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7", "AC-4"],
    },
    equivalents: Equivalents { checkov: &["CKV2_K8S_6"], trivy: &[] },
}

impl Rule for NamespaceWithoutNetworkPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        let mut first_workload: BTreeMap<&str, &Workload> = BTreeMap::new();
        for workload in model.all::<Workload>() {
            first_workload
                .entry(workload.object.namespace_name())
                .or_insert(workload);
        }
        for (namespace, workload) in first_workload {
            let declared = model
                .all::<Namespace>()
                .find(|n| n.object.name == namespace);
            let meta = declared.map_or(&workload.meta, |n| &n.meta);
            if model
                .all::<NetworkPolicy>()
                .any(|p| p.object.namespace_name() == namespace)
            {
                checks.pass(meta);
                continue;
            }
            let message = match declared {
                Some(_) => "has workloads but no NetworkPolicy, so its pods accept traffic from anywhere in the cluster".to_string(),
                None => format!(
                    "namespace `{namespace}` has workloads (this one first) but no NetworkPolicy, so its pods accept traffic from anywhere in the cluster"
                ),
            };
            checks.fail(meta, &meta.span, message);
        }
    }
}
