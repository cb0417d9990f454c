//! deadbolt's Kubernetes source: manifests mapped into the deadbolt model.
//!
//! The caller ([`deadbolt-sources`]) parses each YAML or JSON file once with `deadbolt-yaml` and
//! offers every document to [`is_manifest`]; the documents that are Kubernetes objects go to
//! [`load_documents`]. Rendered Helm output is ordinary manifests; an unrendered chart template
//! ([`is_helm_template`]) is reported as skipped by the caller.

use std::path::Path;
use std::sync::Arc;

use deadbolt_model::{Diagnostic, Model, OtherResource, Provider, ResourceMeta, Span};
use deadbolt_yaml::Node;

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
    path.ancestors()
        .skip(1)
        .any(|dir| {
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
pub fn load_documents(
    file: &Arc<str>,
    text: &str,
    docs: &[&Node],
    diagnostics: &mut Vec<Diagnostic>,
) -> Model {
    let _ = (text, diagnostics);
    let mut model = Model::new();
    for doc in docs {
        let kind = doc.get("kind").and_then(Node::as_str).unwrap_or_default();
        let name = doc
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Node::as_str)
            .unwrap_or("<unnamed>");
        model.push(
            OtherResource {
                meta: ResourceMeta {
                    address: format!("{kind}/{name}"),
                    kind: kind.to_string(),
                    provider: Provider::Kubernetes,
                    span: Span {
                        file: file.clone(),
                        ..doc.span.clone()
                    },
                    suppressions: Vec::new(),
                },
            },
        );
    }
    model
}
