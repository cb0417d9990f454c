use crate::rules::k8s::judge_pods;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every `hostPath` volume that is the Docker, containerd, CRI-O or cri-dockerd socket, or a
    /// directory that holds one (`/`, `/run`, `/var/run`, `/run/containerd`...).
    ///
    /// ## Why it matters
    /// Whoever can talk to the container runtime socket can start a privileged container with the
    /// node's root file system mounted: it is root on the node, with no admission control in the way.
    /// Mounting a parent directory such as `/var/run` or `/` exposes the same socket.
    ///
    /// ## Failing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: ci-runner
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: runner
    ///     image: registry.example.com/runner:5.1.0
    ///     volumeMounts:
    ///     - name: docker
    ///       mountPath: /var/run/docker.sock
    ///   volumes:
    ///   - name: docker
    ///     hostPath:
    ///       path: /var/run/docker.sock
    ///       type: Socket
    /// ```
    ///
    /// ## Passing example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: ci-runner
    ///   namespace: apps
    /// spec:
    ///   containers:
    ///   - name: runner
    ///     image: registry.example.com/runner:5.1.0
    ///     volumeMounts:
    ///     - name: work
    ///       mountPath: /workspace
    ///   volumes:
    ///   - name: work
    ///     emptyDir: {}
    /// ```
    ///
    /// ## Fix
    /// Build images with a daemonless builder (BuildKit rootless, Kaniko) instead of the node's
    /// runtime; node agents that need runtime metadata should use the kubelet or CRI APIs read-only, in
    /// a dedicated namespace.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.PS-01, PR.AA-05; NIST SP 800-53 AC-6, SC-39, CM-7
    /// - Kubernetes Pod Security Standards: baseline profile, "HostPath Volumes"
    /// - NSA/CISA Kubernetes Hardening Guide v1.2: "Kubernetes Pod security"
    pub(crate) struct RuntimeSocketMount;
    id: "K8S-POD-007",
    name: "k8s-container-runtime-socket",
    title: "Pod mounts the container runtime socket",
    severity: Severity::Critical,
    layer: Layer::HostOs,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Kubernetes,
    service: "pod",
    fix: "Do not mount the Docker, containerd or CRI-O socket (or a directory holding it) into a pod.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.PS-01", "PR.AA-05"],
        nist_800_53: &["AC-6", "SC-39", "CM-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_K8S_27"], trivy: &[] },
}

/// Where container runtimes put their sockets.
const SOCKETS: &[&str] = &[
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
    "/run/crio/crio.sock",
    "/var/run/cri-dockerd.sock",
    "/run/cri-dockerd.sock",
];

/// The socket `path` exposes: the socket itself, a socket of that name elsewhere, or a directory
/// that holds one.
fn exposed_socket(path: &str) -> Option<&str> {
    let trimmed = path.trim().trim_end_matches('/');
    let dir = format!("{trimmed}/");
    let file = trimmed.rsplit('/').next().unwrap_or("");
    if matches!(
        file,
        "docker.sock" | "containerd.sock" | "crio.sock" | "cri-dockerd.sock"
    ) {
        return Some(path);
    }
    SOCKETS.iter().copied().find(|s| s.starts_with(&dir))
}

impl Rule for RuntimeSocketMount {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        judge_pods(model, checks, |w| {
            w.pod
                .volumes
                .iter()
                .filter_map(|v| {
                    let path = v.host_path.as_ref()?;
                    let socket = exposed_socket(path.known()?)?;
                    Some((
                        path.span.clone(),
                        format!(
                            "volume `{}` mounts the node's `{}`, which exposes the container runtime socket `{socket}`",
                            v.name,
                            path.known()?
                        ),
                    ))
                })
                .collect()
        });
    }
}
