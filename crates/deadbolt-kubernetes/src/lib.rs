//! deadbolt's Kubernetes source: manifests mapped into the deadbolt model.
//!
//! The caller ([`deadbolt-sources`]) parses each YAML or JSON file once with `deadbolt-yaml` and
//! offers every document to [`is_manifest`]; the documents that are Kubernetes objects go to
//! [`load_documents`]. Rendered Helm output is ordinary manifests; an unrendered chart template
//! ([`is_helm_template`]) is reported as skipped by the caller.

mod fields;
mod objects;
mod workload;

use std::path::Path;
use std::sync::Arc;

use deadbolt_model::k8s::{Namespace, ObjectMeta};
use deadbolt_model::suppression::{SuppressionComment, comment_block_lines};
use deadbolt_model::{
    Attr, Diagnostic, Level, LineIndex, Model, OtherResource, Provider, Resource, ResourceMeta,
    Span, Suppression,
};
use deadbolt_yaml::Node;

use crate::fields::{Ctx, text};

/// The annotation that carries suppressions on an object: `deadbolt.dev/ignore: "K8S-POD-001
/// reason"`; several IDs may be separated by commas, and each line is its own suppression.
pub const IGNORE_ANNOTATION: &str = "deadbolt.dev/ignore";

/// How deep `kind: List` objects may nest inside each other.
const MAX_LIST_DEPTH: usize = 4;

/// Whether a document is a Kubernetes object: a mapping with string `apiVersion` and `kind`.
pub fn is_manifest(doc: &Node) -> bool {
    doc.get("apiVersion").and_then(Node::as_str).is_some()
        && doc.get("kind").and_then(Node::as_str).is_some()
}

/// Whether a file is an unrendered Helm chart template: it sits under a `templates/` folder of a
/// chart (a folder with `Chart.yaml`) and uses Go template actions (`{{ ... }}`), so it is not YAML
/// until `helm template` renders it.
pub fn is_helm_template(path: &Path, text: &str) -> bool {
    if !text.contains("{{") {
        return false;
    }
    path.ancestors().skip(1).any(|dir| {
        dir.file_name().is_some_and(|n| n == "templates")
            && dir
                .parent()
                .is_some_and(|chart| chart.join("Chart.yaml").is_file())
    })
}

/// Maps the Kubernetes documents of one file into the model. `file` is the name spans carry,
/// `text` the file's text (for suppression comments), `docs` the documents for which
/// [`is_manifest`] holds. Problems (a workload without containers, a malformed field) are pushed to
/// `diagnostics` with their line.
///
/// Suppressions come from the [`IGNORE_ANNOTATION`] annotation and from `# deadbolt:ignore[ID]`
/// comments inside an object or in the comment lines right above it.
pub fn load_documents(
    file: &Arc<str>,
    text: &str,
    docs: &[&Node],
    diagnostics: &mut Vec<Diagnostic>,
) -> Model {
    let comments = deadbolt_yaml::suppression_comments(file, text, docs.iter().copied());
    let index = LineIndex::new(text);
    let mut loader = Loader {
        cx: Ctx {
            file: file.clone(),
            diagnostics,
        },
        text,
        index: &index,
        comments: &comments,
        attached: vec![false; comments.len()],
        model: Model::new(),
    };
    for doc in docs {
        loader.object(doc, 0);
    }
    for (c, attached) in comments.iter().zip(&loader.attached) {
        let message = if c.malformed {
            "malformed suppression (write `deadbolt:ignore[RULE-ID] reason`); it silences nothing"
                .to_string()
        } else if !attached {
            format!(
                "suppression of {} is not attached to a Kubernetes object (write it inside the object or on the comment lines right above it); it silences nothing",
                c.suppression.rule_id
            )
        } else {
            continue;
        };
        loader.cx.diagnostics.push(Diagnostic::at(
            Level::Warning,
            file.clone(),
            c.line,
            c.suppression.span.start.column,
            message,
        ));
    }
    loader.model
}

struct Loader<'a, 'd> {
    cx: Ctx<'d>,
    text: &'a str,
    index: &'a LineIndex,
    comments: &'a [SuppressionComment],
    attached: Vec<bool>,
    model: Model,
}

impl Loader<'_, '_> {
    fn object(&mut self, doc: &Node, depth: usize) {
        let kind = text(Some(doc), "kind").unwrap_or_default();
        if kind == "List" {
            self.list(doc, depth);
            return;
        }
        let metadata = self.cx.mapping(Some(doc), "metadata", "metadata");
        let name = text(metadata, "name")
            .or_else(|| text(metadata, "generateName"))
            .unwrap_or_else(|| "<unnamed>".to_string());
        let cluster_scoped = matches!(
            kind.as_str(),
            "Namespace"
                | "ClusterRole"
                | "ClusterRoleBinding"
                | "Node"
                | "PersistentVolume"
                | "StorageClass"
                | "CustomResourceDefinition"
                | "PodSecurityPolicy"
                | "PriorityClass"
                | "ValidatingWebhookConfiguration"
                | "MutatingWebhookConfiguration"
                | "APIService"
        );
        let namespace =
            (!cluster_scoped).then(|| match metadata.and_then(|m| m.entry("namespace")) {
                Some((k, v)) if v.scalar_text().is_some_and(|t| !t.is_empty()) => Attr::set(
                    v.scalar_text().unwrap_or_default().into_owned(),
                    k.span.clone(),
                ),
                _ => Attr::default("default".to_string(), doc.span.clone()),
            });
        let address = match &namespace {
            Some(ns) if ns.explicit => {
                format!("{}/{kind}/{name}", ns.known().map_or("", String::as_str))
            }
            _ => format!("{kind}/{name}"),
        };
        let annotations: Vec<(String, String, Span)> = self
            .cx
            .mapping(metadata, "annotations", "metadata.annotations")
            .and_then(Node::as_mapping)
            .unwrap_or(&[])
            .iter()
            .filter_map(|(k, v)| {
                Some((
                    k.scalar_text()?.into_owned(),
                    v.scalar_text().map(|t| t.into_owned()).unwrap_or_default(),
                    k.span.clone(),
                ))
            })
            .collect();
        let mut suppressions = annotation_suppressions(&annotations);
        let lines = comment_block_lines(
            self.text,
            self.index,
            doc.span.start.line,
            doc.span.end.line,
        );
        for (i, c) in self.comments.iter().enumerate() {
            if !c.malformed && lines.contains(&c.line) {
                self.attached[i] = true;
                suppressions.push(c.suppression.clone());
            }
        }
        let meta = ResourceMeta {
            address,
            kind: kind.clone(),
            provider: Provider::Kubernetes,
            span: doc.span.clone(),
            suppressions,
            // Where a cluster runs is not in its manifests.
            locations: Vec::new(),
        };
        let object = ObjectMeta {
            name,
            namespace,
            annotations,
        };
        let cx = &mut self.cx;
        let resource: Resource = if let Some(path) = workload::template_path(&kind) {
            workload::workload(cx, doc, meta, object, path).into()
        } else {
            match kind.as_str() {
                "Service" => objects::service(cx, doc, meta, object).into(),
                "Ingress" => objects::ingress(cx, doc, meta, object).into(),
                "Role" | "ClusterRole" => objects::role(cx, doc, meta, object).into(),
                "RoleBinding" | "ClusterRoleBinding" => {
                    objects::role_binding(cx, doc, meta, object).into()
                }
                "NetworkPolicy" => objects::network_policy(cx, doc, meta, object).into(),
                "ServiceAccount" => objects::service_account(cx, doc, meta, object).into(),
                "Namespace" => Namespace { meta, object }.into(),
                _ => OtherResource { meta }.into(),
            }
        };
        self.model.push(resource);
    }

    /// A `kind: List`: each item is an object of its own.
    fn list(&mut self, doc: &Node, depth: usize) {
        if depth >= MAX_LIST_DEPTH {
            self.cx
                .problem(doc, "`List` nested too deeply inside other Lists; skipped");
            return;
        }
        let items = self.cx.sequence(Some(doc), "items", "items");
        for (i, item) in items.iter().enumerate() {
            if is_manifest(item) {
                self.object(item, depth + 1);
            } else {
                self.cx.problem(
                    item,
                    format!("`items[{i}]` is not a Kubernetes object (it needs `apiVersion` and `kind`); skipped"),
                );
            }
        }
    }
}

/// The suppressions an object's [`IGNORE_ANNOTATION`] carries: one per rule ID per line, the rest of
/// the line being the reason.
fn annotation_suppressions(annotations: &[(String, String, Span)]) -> Vec<Suppression> {
    let mut out = Vec::new();
    for (key, value, span) in annotations {
        if key != IGNORE_ANNOTATION {
            continue;
        }
        for line in value.lines() {
            let mut ids = Vec::new();
            let mut rest = line.trim();
            loop {
                let token_end = rest.find([',', ' ', '\t']).unwrap_or(rest.len());
                let token = &rest[..token_end];
                if !is_rule_id(token) {
                    break;
                }
                ids.push(token.to_string());
                rest = rest[token_end..].trim_start_matches([',', ' ', '\t']);
            }
            let reason = (!rest.trim().is_empty()).then(|| rest.trim().to_string());
            for id in ids {
                out.push(Suppression {
                    rule_id: id,
                    reason: reason.clone(),
                    span: span.clone(),
                });
            }
        }
    }
    out
}

/// `K8S-POD-001`: parts of letters and digits joined by hyphens, the last one a number.
fn is_rule_id(token: &str) -> bool {
    let parts: Vec<&str> = token.split('-').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && parts
            .last()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use deadbolt_model::k8s::{ContainerKind, Workload};

    use super::*;

    fn load(text: &str) -> (Model, Vec<Diagnostic>) {
        let file: Arc<str> = "k.yaml".into();
        let docs = deadbolt_yaml::parse(&file, text).expect("parses");
        let manifests: Vec<&Node> = docs.iter().filter(|d| is_manifest(d)).collect();
        let mut diagnostics = Vec::new();
        let model = load_documents(&file, text, &manifests, &mut diagnostics);
        (model, diagnostics)
    }

    #[test]
    fn maps_a_cronjob_pod_template_with_every_container_kind() {
        let text = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly\n  namespace: prod\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          annotations:\n            container.apparmor.security.beta.kubernetes.io/main: unconfined\n        spec:\n          hostPID: true\n          containers:\n          - name: main\n            image: busybox\n            securityContext:\n              capabilities:\n                add: [\"cap_sys_admin\"]\n          initContainers:\n          - name: setup\n            image: busybox:1.36\n";
        let (model, diagnostics) = load(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let w = model.all::<Workload>().next().expect("workload");
        assert_eq!(w.meta.address, "prod/CronJob/nightly");
        assert_eq!(w.pod.host_pid.known(), Some(&true));
        assert_eq!(w.pod.host_pid.span.start.line, 14);
        let kinds: Vec<_> = w.pod.containers.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [ContainerKind::Container, ContainerKind::Init]);
        let main = &w.pod.containers[0];
        assert_eq!(
            main.capabilities_add[0].known().map(String::as_str),
            Some("SYS_ADMIN")
        );
        assert_eq!(
            main.security_context.app_armor_profile.known(),
            Some(&Some("Unconfined".to_string()))
        );
    }

    #[test]
    fn malformed_fields_are_diagnosed_with_their_line_not_a_panic() {
        let (model, diagnostics) = load(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers: 5\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\n---\napiVersion: v1\nkind: List\nitems:\n- 3\n- {kind: Pod}\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: x}\n",
        );
        let lines: Vec<u32> = diagnostics.iter().map(|d| d.line).collect();
        assert!(lines.contains(&6), "containers: 5 {diagnostics:?}");
        assert!(lines.contains(&8), "Pod without spec {diagnostics:?}");
        assert!(
            lines.contains(&16) && lines.contains(&17),
            "List junk {diagnostics:?}"
        );
        assert_eq!(model.all::<Namespace>().count(), 1);
        assert_eq!(model.all::<Workload>().count(), 2);
    }

    #[test]
    fn suppressions_from_the_annotation_and_from_comments() {
        let text = "# deadbolt:ignore[K8S-POD-003] lab cluster\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    deadbolt.dev/ignore: |\n      K8S-POD-001, K8S-POD-002 debugging image\n      K8S-NET-001\nspec:\n  containers:\n  - name: a # deadbolt:ignore[K8S-IMG-001]\n    image: a\n";
        let (model, diagnostics) = load(text);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let w = model.all::<Workload>().next().expect("workload");
        let ids: Vec<_> = w
            .meta
            .suppressions
            .iter()
            .map(|s| s.rule_id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "K8S-POD-001",
                "K8S-POD-002",
                "K8S-NET-001",
                "K8S-POD-003",
                "K8S-IMG-001"
            ]
        );
        assert_eq!(
            w.meta.suppressions[0].reason.as_deref(),
            Some("debugging image")
        );
        assert_eq!(w.meta.suppressions[2].reason, None);
    }
}
