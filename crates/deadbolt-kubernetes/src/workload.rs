//! Workloads: the pod spec of a Pod, of a controller's pod template, or of a CronJob's job template.

use deadbolt_model::k8s::{
    Container, ContainerKind, ContainerPort, EnvVar, ObjectMeta, PodSpec, Resources,
    SecurityContext, Volume, Workload,
};
use deadbolt_model::{Attr, ResourceMeta, Span};
use deadbolt_yaml::Node;

use crate::fields::{Ctx, text};

/// The kinds that run pods, with the path from the document to their pod template (the mapping
/// holding `metadata` and `spec`); an empty path means the document is the pod.
pub(crate) fn template_path(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "Pod" => &[],
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => &["spec", "template"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template"],
        "PodTemplate" => &["template"],
        _ => return None,
    })
}

/// Maps a workload document.
pub(crate) fn workload(
    cx: &mut Ctx<'_>,
    doc: &Node,
    meta: ResourceMeta,
    object: ObjectMeta,
    path: &[&str],
) -> Workload {
    let mut template = Some(doc);
    let mut walked = String::new();
    for key in path {
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(key);
        template = cx.mapping(template, key, &walked);
        if template.is_none() {
            break;
        }
    }
    let spec_path = if walked.is_empty() {
        "spec".to_string()
    } else {
        format!("{walked}.spec")
    };
    let spec = template.and_then(|t| cx.mapping(Some(t), "spec", &spec_path));
    if spec.is_none() {
        cx.problem(
            doc,
            format!(
                "{} `{}` has no `{spec_path}`; it runs no containers",
                meta.kind, object.name
            ),
        );
    }
    let annotations = template
        .and_then(|t| t.get("metadata"))
        .and_then(|m| m.get("annotations"))
        .and_then(Node::as_mapping)
        .unwrap_or(&[]);
    let pod = pod_spec(cx, spec, &spec_path, &meta.span, annotations);
    if spec.is_some()
        && pod
            .containers
            .iter()
            .all(|c| c.kind != ContainerKind::Container)
    {
        cx.problem(
            spec.unwrap_or(doc),
            format!("{} `{}` has no containers", meta.kind, object.name),
        );
    }
    Workload { meta, object, pod }
}

fn pod_spec(
    cx: &mut Ctx<'_>,
    spec: Option<&Node>,
    path: &str,
    doc_span: &Span,
    annotations: &[(Node, Node)],
) -> PodSpec {
    let span = spec.map_or_else(|| doc_span.clone(), |s| s.span.clone());
    let p = |k: &str| format!("{path}.{k}");
    let sc = cx.mapping(spec, "securityContext", &p("securityContext"));
    let mut security_context = security_context(cx, sc, &p("securityContext"), &span);
    if !security_context.seccomp_profile.explicit
        && let Some((k, v)) = annotation(annotations, "seccomp.security.alpha.kubernetes.io/pod")
    {
        security_context.seccomp_profile = Attr::set(Some(profile_from_annotation(&v)), k);
    }
    let volumes = cx
        .sequence(spec, "volumes", &p("volumes"))
        .iter()
        .map(|v| Volume {
            name: text(Some(v), "name").unwrap_or_default(),
            host_path: v
                .get("hostPath")
                .and_then(|h| h.entry("path"))
                .and_then(|(k, v)| Some(Attr::set(v.scalar_text()?.into_owned(), k.span.clone()))),
            span: v.span.clone(),
        })
        .collect();
    let mut containers = Vec::new();
    for (key, kind) in [
        ("containers", ContainerKind::Container),
        ("initContainers", ContainerKind::Init),
        ("ephemeralContainers", ContainerKind::Ephemeral),
    ] {
        let items = cx.sequence(spec, key, &p(key));
        for (i, item) in items.iter().enumerate() {
            let item_path = format!("{path}.{key}[{i}]");
            if item.as_mapping().is_none() {
                cx.problem(item, format!("`{item_path}` should be a mapping; ignored"));
                continue;
            }
            containers.push(container(cx, item, kind, &item_path, annotations));
        }
    }
    PodSpec {
        host_network: cx.bool(spec, "hostNetwork", &p("hostNetwork"), false, &span),
        host_pid: cx.bool(spec, "hostPID", &p("hostPID"), false, &span),
        host_ipc: cx.bool(spec, "hostIPC", &p("hostIPC"), false, &span),
        service_account_name: {
            let name = cx.opt_text(spec, "serviceAccountName", &p("serviceAccountName"), &span);
            match name.known() {
                Some(Some(n)) if !n.is_empty() => Attr::set(n.clone(), name.span.clone()),
                _ => Attr::default("default".to_string(), span.clone()),
            }
        },
        automount_service_account_token: cx.opt_bool(
            spec,
            "automountServiceAccountToken",
            &p("automountServiceAccountToken"),
            &span,
        ),
        security_context,
        volumes,
        containers,
        span,
    }
}

fn security_context(
    cx: &mut Ctx<'_>,
    sc: Option<&Node>,
    path: &str,
    fallback: &Span,
) -> SecurityContext {
    let p = |k: &str| format!("{path}.{k}");
    let seccomp = cx.mapping(sc, "seccompProfile", &p("seccompProfile"));
    let app_armor = cx.mapping(sc, "appArmorProfile", &p("appArmorProfile"));
    SecurityContext {
        run_as_non_root: cx.opt_bool(sc, "runAsNonRoot", &p("runAsNonRoot"), fallback),
        run_as_user: cx.opt_i64(sc, "runAsUser", &p("runAsUser"), fallback),
        seccomp_profile: cx.opt_text(seccomp, "type", &p("seccompProfile.type"), fallback),
        app_armor_profile: cx.opt_text(app_armor, "type", &p("appArmorProfile.type"), fallback),
    }
}

fn container(
    cx: &mut Ctx<'_>,
    node: &Node,
    kind: ContainerKind,
    path: &str,
    annotations: &[(Node, Node)],
) -> Container {
    let span = node.span.clone();
    let name = text(Some(node), "name").unwrap_or_else(|| "<unnamed>".to_string());
    let p = |k: &str| format!("{path}.{k}");
    let sc_path = p("securityContext");
    let sc = cx.mapping(Some(node), "securityContext", &sc_path);
    let mut security_context = security_context(cx, sc, &sc_path, &span);
    if !security_context.seccomp_profile.explicit
        && let Some((k, v)) = annotation(
            annotations,
            &format!("container.seccomp.security.alpha.kubernetes.io/{name}"),
        )
    {
        security_context.seccomp_profile = Attr::set(Some(profile_from_annotation(&v)), k);
    }
    if !security_context.app_armor_profile.explicit
        && let Some((k, v)) = annotation(
            annotations,
            &format!("container.apparmor.security.beta.kubernetes.io/{name}"),
        )
    {
        security_context.app_armor_profile = Attr::set(Some(profile_from_annotation(&v)), k);
    }
    let caps_path = format!("{sc_path}.capabilities");
    let caps = cx.mapping(sc, "capabilities", &caps_path);
    let capabilities_add = cx
        .sequence(caps, "add", &format!("{caps_path}.add"))
        .iter()
        .filter_map(|c| Some(Attr::set(capability(&c.scalar_text()?), c.span.clone())))
        .collect();
    let drop_list: Vec<String> = cx
        .strings(caps, "drop", &format!("{caps_path}.drop"))
        .iter()
        .map(|c| capability(c))
        .collect();
    let capabilities_drop = match caps.and_then(|c| c.entry("drop")) {
        Some((k, _)) => Attr::set(drop_list, k.span.clone()),
        None => Attr::default(drop_list, span.clone()),
    };
    let res_path = p("resources");
    let res = cx.mapping(Some(node), "resources", &res_path);
    let limits = cx.mapping(res, "limits", &format!("{res_path}.limits"));
    let requests = cx.mapping(res, "requests", &format!("{res_path}.requests"));
    let resources = Resources {
        cpu_limit: cx.opt_text(limits, "cpu", &format!("{res_path}.limits.cpu"), &span),
        memory_limit: cx.opt_text(
            limits,
            "memory",
            &format!("{res_path}.limits.memory"),
            &span,
        ),
        cpu_request: cx.opt_text(requests, "cpu", &format!("{res_path}.requests.cpu"), &span),
        memory_request: cx.opt_text(
            requests,
            "memory",
            &format!("{res_path}.requests.memory"),
            &span,
        ),
    };
    let env = cx
        .sequence(Some(node), "env", &p("env"))
        .iter()
        .filter(|e| e.as_mapping().is_some())
        .map(|e| EnvVar {
            name: text(Some(e), "name").unwrap_or_default(),
            value: e
                .entry("value")
                .and_then(|(_, v)| Some(Attr::set(v.scalar_text()?.into_owned(), v.span.clone()))),
            value_from: e.get("valueFrom").is_some_and(|v| !v.is_null()),
            span: e.span.clone(),
        })
        .collect();
    let ports_path = p("ports");
    let mut ports = Vec::new();
    for (i, port) in cx
        .sequence(Some(node), "ports", &ports_path)
        .iter()
        .enumerate()
    {
        let host = cx.opt_i64(
            Some(port),
            "hostPort",
            &format!("{ports_path}[{i}].hostPort"),
            &port.span,
        );
        ports.push(ContainerPort {
            container_port: port.get("containerPort").and_then(Node::as_i64),
            host_port: match host.known() {
                Some(Some(h)) => Some(Attr::set(*h, host.span.clone())),
                _ => None,
            },
            span: port.span.clone(),
        });
    }
    let image = match node.entry("image") {
        Some((k, v)) => {
            if v.scalar_text().is_none() && !v.is_null() {
                cx.problem(v, format!("`{}` should be a string; ignored", p("image")));
            }
            Attr::set(
                v.scalar_text().map(|t| t.into_owned()).unwrap_or_default(),
                k.span.clone(),
            )
        }
        None => Attr::default(String::new(), span.clone()),
    };
    Container {
        kind,
        name,
        image,
        image_pull_policy: cx.opt_text(Some(node), "imagePullPolicy", &p("imagePullPolicy"), &span),
        privileged: cx.bool(
            sc,
            "privileged",
            &format!("{sc_path}.privileged"),
            false,
            &span,
        ),
        allow_privilege_escalation: cx.opt_bool(
            sc,
            "allowPrivilegeEscalation",
            &format!("{sc_path}.allowPrivilegeEscalation"),
            &span,
        ),
        read_only_root_filesystem: cx.bool(
            sc,
            "readOnlyRootFilesystem",
            &format!("{sc_path}.readOnlyRootFilesystem"),
            false,
            &span,
        ),
        capabilities_add,
        capabilities_drop,
        security_context,
        resources,
        env,
        ports,
        span,
    }
}

/// Capability names as the runtime reads them: `cap_net_raw` and `NET_RAW` are the same.
fn capability(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    upper
        .strip_prefix("CAP_")
        .map_or(upper.clone(), str::to_string)
}

/// The annotation `key` of a pod template: the key's span and the value.
fn annotation(annotations: &[(Node, Node)], key: &str) -> Option<(Span, String)> {
    annotations
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .and_then(|(k, v)| Some((k.span.clone(), v.scalar_text()?.into_owned())))
}

/// The seccomp and AppArmor annotation values (`runtime/default`, `docker/default`,
/// `localhost/<profile>`, `unconfined`) under the names the `securityContext` fields use.
fn profile_from_annotation(value: &str) -> String {
    let v = value.trim();
    if v == "runtime/default" || v == "docker/default" {
        "RuntimeDefault".to_string()
    } else if v.starts_with("localhost/") {
        "Localhost".to_string()
    } else if v == "unconfined" {
        "Unconfined".to_string()
    } else {
        v.to_string()
    }
}
