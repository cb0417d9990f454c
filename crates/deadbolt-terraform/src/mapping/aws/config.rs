//! AWS Config: `aws_config_configuration_recorder`.

use deadbolt_model::Attr;
use deadbolt_model::Settings as _;
use deadbolt_model::aws::config::Recorder;

use crate::evaluated::EvaluatedResource;
use crate::mapping::{MapContext, meta};

/// Maps `aws_config_configuration_recorder` and its `recording_group` block.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    if res.resource_type != "aws_config_configuration_recorder" {
        return false;
    }
    let body = &res.body;
    // Without a recording group AWS Config records every supported regional resource type and no
    // global ones.
    let (all_supported, include_global_resource_types) = match body.block("recording_group") {
        Some(group) => (
            group.bool("all_supported", true),
            group.bool("include_global_resource_types", false),
        ),
        None => (
            Attr::default(true, body.span.clone()),
            Attr::default(false, body.span.clone()),
        ),
    };
    cx.model.push(Recorder {
        meta: meta(res),
        all_supported,
        include_global_resource_types,
    });
    true
}

/// AWS Config has no split resource that changes what a recorder records.
pub(super) fn map_split(_res: &EvaluatedResource, _cx: &mut MapContext) -> bool {
    false
}

/// Nothing to resolve.
pub(super) fn finish(_cx: &mut MapContext) {}
