//! ECR: `aws_ecr_repository`, and `aws_ecr_registry_scanning_configuration`, whose rules turn on
//! scanning for every repository their filters match.

use deadbolt_model::Attr;
use deadbolt_model::Settings as _;
use deadbolt_model::aws::ecr::Repository;

use crate::evaluated::EvaluatedResource;
use crate::mapping::{MapContext, meta};

/// Maps repositories.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    if res.resource_type != "aws_ecr_repository" {
        return false;
    }
    let body = &res.body;
    let scan_on_push = match body.block("image_scanning_configuration") {
        Some(s) => s.bool("scan_on_push", false),
        None => Attr::default(false, body.span.clone()),
    };
    let encryption_type = match body.block("encryption_configuration") {
        Some(e) => e.string("encryption_type", "AES256"),
        None => Attr::default("AES256".to_string(), body.span.clone()),
    };
    cx.model.push(Repository {
        meta: meta(res),
        name: body.string("name", ""),
        tag_mutability: body.string("image_tag_mutability", "MUTABLE"),
        scan_on_push,
        encryption_type,
    });
    true
}

/// Applies the registry's scanning rules to the repositories they match. The registry setting is
/// account-wide, so it needs no parent reference.
pub(super) fn map_split(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    if res.resource_type != "aws_ecr_registry_scanning_configuration" {
        return false;
    }
    for rule in res.body.blocks("rule") {
        let frequency = rule.string("scan_frequency", "");
        // A manual rule scans nothing by itself.
        if frequency.is(&"MANUAL".to_string()) == Some(true) {
            continue;
        }
        for filter in rule.blocks("repository_filter") {
            let pattern = filter.string("filter", "");
            for repo in cx.model.all_mut::<Repository>() {
                repo.apply_registry_scanning(&frequency, &pattern);
            }
        }
    }
    cx.model
        .push(deadbolt_model::OtherResource { meta: meta(res) });
    true
}

/// Nothing to resolve after the joins.
pub(super) fn finish(_cx: &mut MapContext) {}
