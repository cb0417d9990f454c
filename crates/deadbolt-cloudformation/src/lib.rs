//! deadbolt's CloudFormation source: templates (YAML or JSON, SAM included) mapped into the
//! deadbolt model, so the AWS rules judge them exactly as they judge Terraform.
//!
//! The caller (`deadbolt-sources`) parses each file once with `deadbolt-yaml` and offers its
//! documents to [`is_template`]; a template goes to [`load_template`]. Intrinsic functions are
//! evaluated where their inputs are known (parameters from `Default` or a `--parameters` file,
//! `Mappings`, `Conditions`); `Fn::GetAtt`, `Fn::ImportValue` and deployment-time pseudo
//! parameters become unknown values with a reason, never a guess. A resource whose `Condition`
//! is known to be false is not created, so it is not scanned.

mod mapping;
mod parameters;
mod props;
mod residency;
mod template;

use std::sync::Arc;

use deadbolt_model::suppression::comment_block_lines;
use deadbolt_model::{
    Diagnostic, Level, LineIndex, Model, Provider, ResourceMeta, Span, Suppression,
};
use deadbolt_yaml::Node;

pub use parameters::{ParameterError, read_parameters};
pub use template::ParameterValues;

use template::Template;

/// Whether a document is a CloudFormation template: it has `AWSTemplateFormatVersion`, or a
/// `Resources` mapping whose entries all have a `Type` like `AWS::S3::Bucket`.
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

/// Maps one template into the model.
///
/// `file` is the name spans carry, `text` the file's text (for suppression comments), `parameters`
/// the values given for the template's parameters (see [`read_parameters`]), `region` the region
/// the stack is deployed to when the caller knows it (a template does not name it; without it
/// every resource's primary location is unknown). Problems (a `Ref` to
/// nothing, a malformed intrinsic, a resource without `Type`) are pushed to `diagnostics` with their
/// line; they never stop the other resources from being read.
pub fn load_template(
    file: &Arc<str>,
    text: &str,
    doc: &Node,
    parameters: &ParameterValues,
    region: Option<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Model {
    let template = Template::new(file.clone(), doc, parameters);
    diagnostics.extend(template::unknown_tags(file, doc));
    let docs = std::slice::from_ref(doc);
    let comments = deadbolt_yaml::suppression_comments(file, text, docs);
    let index = LineIndex::new(text);
    let sam = transforms(doc).any(|t| t == template::SAM_TRANSFORM);
    let mut resources = Vec::new();
    for res in &template.resources {
        if res.kind.is_empty() {
            diagnostics.push(Diagnostic::at(
                Level::Error,
                file.clone(),
                res.key.span.start.line,
                res.key.span.start.column,
                format!("resource {} has no Type; not scanned", res.id),
            ));
            continue;
        }
        if let Some(condition) = res.node.get("Condition").and_then(Node::scalar_text)
            && template.condition(&condition, res.node) == Some(false)
        {
            continue;
        }
        let span = Span {
            file: file.clone(),
            start: res.key.span.start,
            end: res.node.span.end,
        };
        let lines = comment_block_lines(text, &index, span.start.line, span.end.line);
        let mut suppressions: Vec<Suppression> = comments
            .iter()
            .filter(|c| !c.malformed && lines.contains(&c.line))
            .map(|c| c.suppression.clone())
            .collect();
        suppressions.extend(metadata_suppressions(res.node));
        for c in comments
            .iter()
            .filter(|c| c.malformed && lines.contains(&c.line))
        {
            diagnostics.push(Diagnostic::at(
                Level::Warning,
                file.clone(),
                c.line,
                c.suppression.span.start.column,
                "malformed suppression: write `deadbolt:ignore[RULE-ID] reason`; it silences nothing",
            ));
        }
        let props = props::Props {
            template: &template,
            node: res
                .node
                .get("Properties")
                .filter(|p| p.as_mapping().is_some()),
            fallback: span.clone(),
        };
        let locations = residency::locations(&res.kind, &props, &span, region);
        let meta = ResourceMeta {
            address: res.id.clone(),
            kind: res.kind.clone(),
            provider: Provider::Aws,
            span,
            suppressions,
            locations,
        };
        resources.push((res, meta));
    }
    let mut model = Model::new();
    mapping::map(&template, &resources, sam, &mut model);
    diagnostics.extend(template.diagnostics.into_inner());
    model
}

/// The template's `Transform` names (a string or a list).
fn transforms(doc: &Node) -> impl Iterator<Item = String> + '_ {
    let node = doc.get("Transform");
    let list: Vec<String> = match node {
        Some(n) => match n.as_sequence() {
            Some(items) => items
                .iter()
                .filter_map(|i| i.scalar_text().map(Into::into))
                .collect(),
            None => n.scalar_text().map(Into::into).into_iter().collect(),
        },
        None => Vec::new(),
    };
    list.into_iter()
}

/// Suppressions written as resource metadata, for JSON templates (which have no comments):
/// `Metadata: {deadbolt: {ignore: [{id: AWS-S3-010, reason: "..."}]}}`.
fn metadata_suppressions(resource: &Node) -> Vec<Suppression> {
    let Some(list) = resource
        .get("Metadata")
        .and_then(|m| m.get("deadbolt"))
        .and_then(|d| d.get("ignore"))
        .and_then(Node::as_sequence)
    else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|entry| {
            Some(Suppression {
                rule_id: entry.get("id")?.scalar_text()?.into_owned(),
                reason: entry
                    .get("reason")
                    .and_then(Node::scalar_text)
                    .map(Into::into),
                span: entry.span.clone(),
            })
        })
        .collect()
}
