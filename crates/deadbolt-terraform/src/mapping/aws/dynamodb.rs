//! DynamoDB: `aws_dynamodb_table`.

use deadbolt_model::Attr;
use deadbolt_model::Settings as _;
use deadbolt_model::aws::dynamodb::Table;

use crate::evaluated::EvaluatedResource;
use crate::mapping::{MapContext, meta};

/// Maps `aws_dynamodb_table` with its `point_in_time_recovery` and `server_side_encryption` blocks.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    if res.resource_type != "aws_dynamodb_table" {
        return false;
    }
    let body = &res.body;
    let point_in_time_recovery = match body.block("point_in_time_recovery") {
        Some(p) => p.bool("enabled", false),
        None => Attr::default(false, body.span.clone()),
    };
    let (kms_encryption, kms_key) = match body.block("server_side_encryption") {
        Some(sse) => (sse.bool("enabled", false), sse.reference("kms_key_arn")),
        None => (
            Attr::default(false, body.span.clone()),
            Attr::default(None, body.span.clone()),
        ),
    };
    cx.model.push(Table {
        meta: meta(res),
        point_in_time_recovery,
        kms_encryption,
        kms_key,
    });
    true
}

/// DynamoDB tables have no split resources deadbolt joins.
pub(super) fn map_split(_res: &EvaluatedResource, _cx: &mut MapContext) -> bool {
    false
}

/// Nothing to settle after joins.
pub(super) fn finish(_cx: &mut MapContext) {}
