//! DynamoDB: `AWS::DynamoDB::Table` and SAM's `AWS::Serverless::SimpleTable`.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::dynamodb::Table;
use deadbolt_model::{Attr, Model};

use super::Res;

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    let p = &r.props;
    let point_in_time_recovery = match r.kind {
        "AWS::DynamoDB::Table" if p.has("PointInTimeRecoverySpecification") => p
            .nested("PointInTimeRecoverySpecification")
            .bool("PointInTimeRecoveryEnabled", false),
        // SimpleTable has no point-in-time recovery property: the table SAM creates has it off.
        "AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable" => Attr::default(false, p.span()),
        _ => return false,
    };
    // `SSEEnabled` chooses KMS (the AWS managed key unless `KMSMasterKeyId` names another) over
    // the AWS owned key.
    let (kms_encryption, kms_key) = if p.has("SSESpecification") {
        let sse = p.nested("SSESpecification");
        (
            sse.bool("SSEEnabled", false),
            sse.reference("KMSMasterKeyId"),
        )
    } else {
        (
            Attr::default(false, p.span()),
            Attr::default(None, p.span()),
        )
    };
    model.push(Table {
        meta: r.meta.clone(),
        point_in_time_recovery,
        kms_encryption,
        kms_key,
    });
    true
}
