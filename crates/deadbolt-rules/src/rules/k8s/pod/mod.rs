//! Pod security rules: privileges, host namespaces and paths, capabilities, users, profiles and resources of the containers a workload runs.

use deadbolt_model::Model;
use deadbolt_model::k8s::{ContainerKind, Resources};

use crate::checks::Checks;
use crate::rule::Rule;
use crate::rules::k8s::judge_containers;

mod added_capabilities;
mod apparmor;
mod automount_token;
mod cpu_limit;
mod default_namespace;
mod drop_all;
mod env_secret;
mod host_ipc;
mod host_network;
mod host_path;
mod host_pid;
mod host_port;
mod memory_limit;
mod net_raw;
mod privilege_escalation;
mod privileged;
mod requests;
mod run_as_root;
mod runtime_socket;
mod seccomp;
mod sys_admin;
mod writable_root;

/// The rules of this area.
pub(crate) const RULES: &[&dyn Rule] = &[
    &privileged::PrivilegedContainer,
    &privilege_escalation::PrivilegeEscalation,
    &host_network::HostNetwork,
    &host_pid::HostPid,
    &host_ipc::HostIpc,
    &host_path::HostPathVolume,
    &runtime_socket::RuntimeSocketMount,
    &sys_admin::SysAdminCapability,
    &net_raw::NetRawCapability,
    &added_capabilities::AddedCapabilities,
    &drop_all::CapabilitiesNotDropped,
    &run_as_root::RunAsRoot,
    &writable_root::WritableRootFilesystem,
    &cpu_limit::NoCpuLimit,
    &memory_limit::NoMemoryLimit,
    &requests::NoResourceRequests,
    &env_secret::SecretInEnv,
    &automount_token::AutomountToken,
    &host_port::HostPort,
    &seccomp::SeccompUnset,
    &apparmor::AppArmorUnset,
    &default_namespace::DefaultNamespace,
];

/// Fails every container (ephemeral ones excepted: Kubernetes rejects resources on them) for which
/// `missing` names resource settings that are absent, e.g. `["limits.cpu"]`.
fn judge_missing_resources<'m>(
    model: &'m Model,
    checks: &mut Checks<'m>,
    missing: impl Fn(&Resources) -> Vec<&'static str>,
) {
    judge_containers(model, checks, |_, c| {
        if c.kind == ContainerKind::Ephemeral {
            return None;
        }
        let names: Vec<String> = missing(&c.resources)
            .iter()
            .map(|n| format!("`{n}`"))
            .collect();
        (!names.is_empty()).then(|| (c.span.clone(), format!("sets no {}", names.join(" or "))))
    });
}
