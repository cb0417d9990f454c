use crate::rules::k8s::judge_containers;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every container port with a `hostPort`.
    ///
    /// ## Why it matters
    /// A hostPort opens the port on the node's own address, outside the Service and NetworkPolicy
    /// model: it is reachable by anything that can reach the node, it bypasses ingress controls, and it
    /// pins the pod to nodes where the port is free.
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
    ///     ports:
    ///     - containerPort: 8080
    ///       hostPort: 80
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
    ///     ports:
    ///     - containerPort: 8080
    /// ```
    ///
    /// ## Fix
    /// Delete `hostPort` and put a Service (ClusterIP behind an Ingress, or a LoadBalancer where
    /// needed) in front of the pods.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7, CM-7
    /// - Kubernetes Pod Security Standards: baseline profile, "Host Ports"
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Network separation and hardening"
    pub(crate) struct HostPort;
    id: "K8S-POD-019",
    name: "k8s-host-port",
    title: "Container binds a port of the node",
    severity: Severity::Medium,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Remove `hostPort`; expose the workload through a Service.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7", "CM-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_26"], trivy: &[] },
}

impl Rule for HostPort {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_containers(model, checks, |_, c| {
            c.ports.iter().find_map(|p| {
                let host = p.host_port.as_ref()?;
                let port = p
                    .container_port
                    .map_or(String::new(), |c| format!(" (container port {c})"));
                Some((
                    host.span.clone(),
                    format!("binds port {} of the node{port}", host.known()?),
                ))
            })
        });
    }
}
