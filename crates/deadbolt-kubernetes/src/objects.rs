//! The objects around workloads: Services, Ingresses, RBAC, NetworkPolicies, ServiceAccounts and
//! Namespaces.

use deadbolt_model::k8s::{
    Ingress, NetworkPolicy, ObjectMeta, PolicyRule, Role, RoleBinding, Service, ServiceAccount,
    ServicePort, Subject,
};
use deadbolt_model::{Attr, ResourceMeta};
use deadbolt_yaml::Node;

use crate::fields::{Ctx, text};

/// Maps a Service.
pub(crate) fn service(
    cx: &mut Ctx<'_>,
    doc: &Node,
    meta: ResourceMeta,
    object: ObjectMeta,
) -> Service {
    let spec = cx.mapping(Some(doc), "spec", "spec");
    let ty = cx.opt_text(spec, "type", "spec.type", &meta.span);
    let service_type = match ty.known() {
        Some(Some(t)) => Attr::set(t.clone(), ty.span.clone()),
        _ => Attr::default("ClusterIP".to_string(), meta.span.clone()),
    };
    let mut ports = Vec::new();
    for (i, port) in cx.sequence(spec, "ports", "spec.ports").iter().enumerate() {
        let node_port = cx.opt_i64(
            Some(port),
            "nodePort",
            &format!("spec.ports[{i}].nodePort"),
            &port.span,
        );
        ports.push(ServicePort {
            port: port.get("port").and_then(Node::as_i64),
            node_port: match node_port.known() {
                Some(Some(n)) => Some(Attr::set(*n, node_port.span.clone())),
                _ => None,
            },
            span: port.span.clone(),
        });
    }
    let ips = cx.strings(spec, "externalIPs", "spec.externalIPs");
    let external_ips = match spec.and_then(|s| s.entry("externalIPs")) {
        Some((k, _)) => Attr::set(ips, k.span.clone()),
        None => Attr::default(ips, meta.span.clone()),
    };
    Service {
        meta,
        object,
        service_type,
        ports,
        external_ips,
    }
}

/// Maps an Ingress.
pub(crate) fn ingress(
    cx: &mut Ctx<'_>,
    doc: &Node,
    meta: ResourceMeta,
    object: ObjectMeta,
) -> Ingress {
    let spec = cx.mapping(Some(doc), "spec", "spec");
    let tls_entries = cx.sequence(spec, "tls", "spec.tls");
    let tls = match spec.and_then(|s| s.entry("tls")) {
        Some((k, _)) => Attr::set(!tls_entries.is_empty(), k.span.clone()),
        None => Attr::default(false, meta.span.clone()),
    };
    let hosts = cx
        .sequence(spec, "rules", "spec.rules")
        .iter()
        .filter_map(|r| text(Some(r), "host"))
        .collect();
    Ingress {
        meta,
        object,
        tls,
        hosts,
    }
}

/// Maps a Role or ClusterRole.
pub(crate) fn role(cx: &mut Ctx<'_>, doc: &Node, meta: ResourceMeta, object: ObjectMeta) -> Role {
    let mut rules = Vec::new();
    for (i, rule) in cx.sequence(Some(doc), "rules", "rules").iter().enumerate() {
        if rule.as_mapping().is_none() {
            cx.problem(rule, format!("`rules[{i}]` should be a mapping; ignored"));
            continue;
        }
        let p = |k: &str| format!("rules[{i}].{k}");
        rules.push(PolicyRule {
            api_groups: cx.strings(Some(rule), "apiGroups", &p("apiGroups")),
            resources: cx.strings(Some(rule), "resources", &p("resources")),
            verbs: cx.strings(Some(rule), "verbs", &p("verbs")),
            resource_names: cx.strings(Some(rule), "resourceNames", &p("resourceNames")),
            non_resource_urls: cx.strings(Some(rule), "nonResourceURLs", &p("nonResourceURLs")),
            span: rule.span.clone(),
        });
    }
    Role {
        meta,
        object,
        rules,
    }
}

/// Maps a RoleBinding or ClusterRoleBinding.
pub(crate) fn role_binding(
    cx: &mut Ctx<'_>,
    doc: &Node,
    meta: ResourceMeta,
    object: ObjectMeta,
) -> RoleBinding {
    let role_ref = cx.mapping(Some(doc), "roleRef", "roleRef");
    if role_ref.is_none() {
        cx.problem(
            doc,
            format!("{} `{}` has no `roleRef`", meta.kind, object.name),
        );
    }
    let role_kind = text(role_ref, "kind").unwrap_or_default();
    let role_name = match (doc.entry("roleRef"), text(role_ref, "name")) {
        (Some((k, _)), Some(name)) => Attr::set(name, k.span.clone()),
        _ => Attr::default(String::new(), meta.span.clone()),
    };
    let mut subjects = Vec::new();
    for (i, s) in cx
        .sequence(Some(doc), "subjects", "subjects")
        .iter()
        .enumerate()
    {
        if s.as_mapping().is_none() {
            cx.problem(s, format!("`subjects[{i}]` should be a mapping; ignored"));
            continue;
        }
        subjects.push(Subject {
            kind: text(Some(s), "kind").unwrap_or_default(),
            name: text(Some(s), "name").unwrap_or_default(),
            namespace: text(Some(s), "namespace"),
            span: s.span.clone(),
        });
    }
    RoleBinding {
        meta,
        object,
        role_kind,
        role_name,
        subjects,
    }
}

/// Maps a NetworkPolicy.
pub(crate) fn network_policy(
    cx: &mut Ctx<'_>,
    doc: &Node,
    meta: ResourceMeta,
    object: ObjectMeta,
) -> NetworkPolicy {
    let spec = cx.mapping(Some(doc), "spec", "spec");
    let selector = cx.mapping(spec, "podSelector", "spec.podSelector");
    let empty = |key: &str| {
        selector.and_then(|s| s.get(key)).is_none_or(|v| {
            v.as_mapping().is_some_and(<[_]>::is_empty)
                || v.as_sequence().is_some_and(<[_]>::is_empty)
                || v.is_null()
        })
    };
    let selects_all_pods = empty("matchLabels") && empty("matchExpressions");
    let mut policy_types = cx.strings(spec, "policyTypes", "spec.policyTypes");
    if policy_types.is_empty() {
        policy_types.push("Ingress".to_string());
        if spec.and_then(|s| s.get("egress")).is_some() {
            policy_types.push("Egress".to_string());
        }
    }
    NetworkPolicy {
        meta,
        object,
        selects_all_pods,
        policy_types,
    }
}

/// Maps a ServiceAccount.
pub(crate) fn service_account(
    cx: &mut Ctx<'_>,
    doc: &Node,
    meta: ResourceMeta,
    object: ObjectMeta,
) -> ServiceAccount {
    let automount_service_account_token = cx.opt_bool(
        Some(doc),
        "automountServiceAccountToken",
        "automountServiceAccountToken",
        &meta.span,
    );
    ServiceAccount {
        meta,
        object,
        automount_service_account_token,
    }
}
