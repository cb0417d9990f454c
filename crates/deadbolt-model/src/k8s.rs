//! Kubernetes objects: workloads and their pod templates, Services, Ingresses, RBAC, NetworkPolicies,
//! ServiceAccounts and Namespaces.
//!
//! Every object keeps the [`ResourceMeta`] of its document (address `Kind/name`, or
//! `namespace/Kind/name` for namespaced objects that name their namespace) and its
//! [`ObjectMeta`]. Settings are [`Attr`]s: a setting the manifest leaves out is a default whose span
//! is the enclosing object (the container, the pod spec), so a finding about a missing setting points
//! there.

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;
use crate::span::Span;

/// The `metadata` of an object, as far as rules need it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectMeta {
    /// `metadata.name` (`<unnamed>` when missing; `generateName` is used when that is all there is).
    pub name: String,
    /// `metadata.namespace`; when absent, a default of `default` at the document's span. `None` for
    /// cluster-scoped kinds (Namespace, ClusterRole, ClusterRoleBinding).
    pub namespace: Option<Attr<String>>,
    /// `metadata.annotations`, in source order, with the span of each key.
    pub annotations: Vec<(String, String, Span)>,
}

impl ObjectMeta {
    /// The namespace name (`default` when unset), or `""` for cluster-scoped objects.
    pub fn namespace_name(&self) -> &str {
        self.namespace
            .as_ref()
            .and_then(Attr::known)
            .map_or("", String::as_str)
    }

    /// The value of annotation `key`.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.annotations
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, _)| v.as_str())
    }
}

/// A workload: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
/// CronJob or PodTemplate, with the pod spec it runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Workload {
    /// Common metadata; `meta.kind` is the Kubernetes kind.
    pub meta: ResourceMeta,
    /// Name, namespace and annotations.
    pub object: ObjectMeta,
    /// The pod spec (`spec`, `spec.template.spec` or `spec.jobTemplate.spec.template.spec`).
    pub pod: PodSpec,
}

/// A pod spec, with the pod-level settings containers inherit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PodSpec {
    /// The pod spec mapping (or the workload document when the spec is missing).
    pub span: Span,
    /// `hostNetwork` (default `false`).
    pub host_network: Attr<bool>,
    /// `hostPID` (default `false`).
    pub host_pid: Attr<bool>,
    /// `hostIPC` (default `false`).
    pub host_ipc: Attr<bool>,
    /// `serviceAccountName` (default `default`).
    pub service_account_name: Attr<String>,
    /// `automountServiceAccountToken`; `None` when the pod leaves it to the service account (whose
    /// own default is to mount).
    pub automount_service_account_token: Attr<Option<bool>>,
    /// The pod-level `securityContext` settings containers inherit.
    pub security_context: SecurityContext,
    /// `volumes`.
    pub volumes: Vec<Volume>,
    /// `containers`, then `initContainers`, then `ephemeralContainers`.
    pub containers: Vec<Container>,
}

impl PodSpec {
    /// The setting that applies to `container`: its own when it sets one, else the pod's.
    pub fn effective<'a, T>(
        &'a self,
        container: &'a Container,
        field: fn(&SecurityContext) -> &Attr<Option<T>>,
    ) -> &'a Attr<Option<T>> {
        let own = field(&container.security_context);
        if own.explicit {
            own
        } else {
            field(&self.security_context)
        }
    }
}

/// `securityContext` settings that exist at both pod and container level (the container's win).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SecurityContext {
    /// `runAsNonRoot`.
    pub run_as_non_root: Attr<Option<bool>>,
    /// `runAsUser`.
    pub run_as_user: Attr<Option<i64>>,
    /// `seccompProfile.type` (`RuntimeDefault`, `Localhost`, `Unconfined`); the annotations
    /// `seccomp.security.alpha.kubernetes.io/pod` and `container.seccomp.security.alpha.kubernetes.io/<name>`
    /// are normalised to the same names.
    pub seccomp_profile: Attr<Option<String>>,
    /// `appArmorProfile.type` (`RuntimeDefault`, `Localhost`, `Unconfined`); the annotation
    /// `container.apparmor.security.beta.kubernetes.io/<name>` is normalised to the same names.
    pub app_armor_profile: Attr<Option<String>>,
}

/// Which list of the pod spec a container is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContainerKind {
    /// `containers`.
    Container,
    /// `initContainers`.
    Init,
    /// `ephemeralContainers`.
    Ephemeral,
}

impl ContainerKind {
    /// How messages name it: `container`, `init container`, `ephemeral container`.
    pub fn noun(self) -> &'static str {
        match self {
            ContainerKind::Container => "container",
            ContainerKind::Init => "init container",
            ContainerKind::Ephemeral => "ephemeral container",
        }
    }
}

/// One container of a pod spec.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Container {
    /// Which list it is in.
    pub kind: ContainerKind,
    /// `name` (`<unnamed>` when missing).
    pub name: String,
    /// The container's mapping.
    pub span: Span,
    /// `image` (empty when missing).
    pub image: Attr<String>,
    /// `imagePullPolicy`; `None` when unset (Kubernetes then uses `Always` for `:latest` or
    /// untagged images, `IfNotPresent` otherwise).
    pub image_pull_policy: Attr<Option<String>>,
    /// `securityContext.privileged` (default `false`).
    pub privileged: Attr<bool>,
    /// `securityContext.allowPrivilegeEscalation`; `None` when unset (the runtime then allows it).
    pub allow_privilege_escalation: Attr<Option<bool>>,
    /// `securityContext.readOnlyRootFilesystem` (default `false`).
    pub read_only_root_filesystem: Attr<bool>,
    /// `securityContext.capabilities.add`, each entry with its span, upper-cased without a `CAP_`
    /// prefix.
    pub capabilities_add: Vec<Attr<String>>,
    /// `securityContext.capabilities.drop`, normalised like `capabilities_add`; the span is the
    /// `drop` key, or the container when there is none.
    pub capabilities_drop: Attr<Vec<String>>,
    /// The container-level settings that can also be set on the pod.
    pub security_context: SecurityContext,
    /// `resources`.
    pub resources: Resources,
    /// `env`.
    pub env: Vec<EnvVar>,
    /// `ports`.
    pub ports: Vec<ContainerPort>,
}

/// `resources.limits` and `resources.requests` of a container.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Resources {
    /// `limits.cpu`.
    pub cpu_limit: Attr<Option<String>>,
    /// `limits.memory`.
    pub memory_limit: Attr<Option<String>>,
    /// `requests.cpu`.
    pub cpu_request: Attr<Option<String>>,
    /// `requests.memory`.
    pub memory_request: Attr<Option<String>>,
}

/// One `env` entry.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EnvVar {
    /// `name`.
    pub name: String,
    /// A literal `value`, with its span; `None` when the value comes from `valueFrom` or is absent.
    pub value: Option<Attr<String>>,
    /// Whether the entry uses `valueFrom` (a Secret, ConfigMap or field reference).
    pub value_from: bool,
    /// The entry.
    pub span: Span,
}

/// One `ports` entry of a container.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContainerPort {
    /// `containerPort`.
    pub container_port: Option<i64>,
    /// `hostPort`, with its span.
    pub host_port: Option<Attr<i64>>,
    /// The entry.
    pub span: Span,
}

/// One pod volume.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Volume {
    /// `name`.
    pub name: String,
    /// `hostPath.path`, with its span, for a hostPath volume.
    pub host_path: Option<Attr<String>>,
    /// The entry.
    pub span: Span,
}

/// A Service.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Service {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// Name, namespace and annotations.
    pub object: ObjectMeta,
    /// `spec.type` (default `ClusterIP`).
    pub service_type: Attr<String>,
    /// `spec.ports`.
    pub ports: Vec<ServicePort>,
    /// `spec.externalIPs`.
    pub external_ips: Attr<Vec<String>>,
}

/// One `spec.ports` entry of a Service.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServicePort {
    /// `port`.
    pub port: Option<i64>,
    /// `nodePort`, with its span.
    pub node_port: Option<Attr<i64>>,
    /// The entry.
    pub span: Span,
}

/// An Ingress.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ingress {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// Name, namespace and annotations.
    pub object: ObjectMeta,
    /// Whether `spec.tls` has at least one entry (span: the `tls` key, or the document).
    pub tls: Attr<bool>,
    /// The hosts of `spec.rules`.
    pub hosts: Vec<String>,
}

/// A Role or ClusterRole.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Role {
    /// Common metadata; `meta.kind` tells Role from ClusterRole.
    pub meta: ResourceMeta,
    /// Name, namespace and annotations.
    pub object: ObjectMeta,
    /// `rules`.
    pub rules: Vec<PolicyRule>,
}

impl Role {
    /// Whether this is a ClusterRole.
    pub fn is_cluster_role(&self) -> bool {
        self.meta.kind == "ClusterRole"
    }
}

/// One RBAC rule. Values are as written; `*` is a wildcard.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyRule {
    /// `apiGroups` (`""` is the core group).
    pub api_groups: Vec<String>,
    /// `resources` (`pods`, `pods/exec`, `*`).
    pub resources: Vec<String>,
    /// `verbs`.
    pub verbs: Vec<String>,
    /// `resourceNames`; empty means every object.
    pub resource_names: Vec<String>,
    /// `nonResourceURLs`.
    pub non_resource_urls: Vec<String>,
    /// The rule.
    pub span: Span,
}

impl PolicyRule {
    /// Whether the rule grants `verb` (or `*`).
    pub fn grants_verb(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == "*" || v == verb)
    }

    /// Whether the rule covers `resource` in the core API group (or every group), directly or through
    /// a wildcard (`*`, or `pods/*` for a subresource of pods).
    pub fn covers_core_resource(&self, resource: &str) -> bool {
        let group = self.api_groups.iter().any(|g| g.is_empty() || g == "*");
        let parent = resource.split('/').next().unwrap_or(resource);
        group
            && self.resources.iter().any(|r| {
                r == "*" || r == resource || (resource.contains('/') && *r == format!("{parent}/*"))
            })
    }
}

/// A RoleBinding or ClusterRoleBinding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleBinding {
    /// Common metadata; `meta.kind` tells RoleBinding from ClusterRoleBinding.
    pub meta: ResourceMeta,
    /// Name, namespace and annotations.
    pub object: ObjectMeta,
    /// `roleRef.kind` (`Role` or `ClusterRole`).
    pub role_kind: String,
    /// `roleRef.name`, with the span of `roleRef`.
    pub role_name: Attr<String>,
    /// `subjects`.
    pub subjects: Vec<Subject>,
}

/// One subject of a binding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Subject {
    /// `kind`: `User`, `Group` or `ServiceAccount`.
    pub kind: String,
    /// `name`.
    pub name: String,
    /// `namespace` (service accounts), if written.
    pub namespace: Option<String>,
    /// The entry.
    pub span: Span,
}

/// A NetworkPolicy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkPolicy {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// Name, namespace and annotations.
    pub object: ObjectMeta,
    /// Whether `spec.podSelector` is empty (the policy selects every pod of its namespace).
    pub selects_all_pods: bool,
    /// `spec.policyTypes` (when absent: `Ingress`, plus `Egress` when egress rules are written).
    pub policy_types: Vec<String>,
}

/// A ServiceAccount.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceAccount {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// Name, namespace and annotations.
    pub object: ObjectMeta,
    /// `automountServiceAccountToken`; `None` when unset (tokens are mounted).
    pub automount_service_account_token: Attr<Option<bool>>,
}

/// A Namespace.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Namespace {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// Name and annotations.
    pub object: ObjectMeta,
}
