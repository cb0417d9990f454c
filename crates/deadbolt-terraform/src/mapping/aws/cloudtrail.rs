//! CloudTrail: `aws_cloudtrail`.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::cloudtrail::Trail;

use crate::evaluated::EvaluatedResource;
use crate::mapping::{MapContext, meta};

/// Maps `aws_cloudtrail`.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    if res.resource_type != "aws_cloudtrail" {
        return false;
    }
    let body = &res.body;
    cx.model.push(Trail {
        meta: meta(res),
        multi_region: body.bool("is_multi_region_trail", false),
        log_file_validation: body.bool("enable_log_file_validation", false),
        kms_key: body.reference("kms_key_id"),
        cloudwatch_logs_group: body.reference("cloud_watch_logs_group_arn"),
        logging: body.bool("enable_logging", true),
    });
    true
}

/// CloudTrail has no split resources.
pub(super) fn map_split(_res: &EvaluatedResource, _cx: &mut MapContext) -> bool {
    false
}

/// Nothing to settle after joins.
pub(super) fn finish(_cx: &mut MapContext) {}
